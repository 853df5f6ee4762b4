// Public: lib/index.ts re-exports these files (federation: only some names of per-cluster and karmada).
export * from './federated-app';
export * from './workload';
export * from './replica-split';
export * from './per-cluster';
export * from './karmada';
export * from './kubefed';
// Internal: rules and renderers, for the tests; not part of the package API.
export * from './bounds';
export * from './context';
export * from './render';
export * from './rules';
export * from './props-shape';
