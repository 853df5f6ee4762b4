// Public: lib/index.ts re-exports these files (federation: only some names of per-cluster and karmada).
export * from './startup-taint';
export * from './props';
export * from './network-daemon-set';
export * from './admission-policy';
// Internal: rules and renderers, for the tests; not part of the package API.
export * from './kernel';
export * from './rules';
export * from './props-shape';
export * from './node-patch-policy';
