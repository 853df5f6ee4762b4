// Public: lib/index.ts re-exports these files (federation: only some names of per-cluster and karmada; tls: its
// classes, options and mount path, not its renderers).
export * from './engine';
export * from './props';
export * from './consensus-stateful-set';
export * from './snapshot';
export * from './membership';
export * from './tls';
// Internal: rules and renderers, for the tests; not part of the package API.
export * from './network';
export * from './pod';
export * from './scripts';
export * from './rules';
export * from './props-shape';
