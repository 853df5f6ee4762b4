// Public: lib/index.ts re-exports these files (federation: only some names of per-cluster and karmada).
export * from './props';
export * from './autoscaled-service';
export * from './keda';
export * from './network';
export * from './pod';
export * from './scaling';
export * from './rollout-strategy';
export * from './scaling-metric';
// Internal: rules and renderers, for the tests; not part of the package API.
export * from './config';
export * from './rules';
export * from './props-shape';
export * from './track';
export * from './exposure';
export * from './mesh';
