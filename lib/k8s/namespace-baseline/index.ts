// Public: lib/index.ts re-exports these files (federation: only some names of per-cluster and karmada).
export * from './props';
export * from './namespace-baseline';
// Internal: rules, for the tests; not part of the package API.
export * from './rules';
