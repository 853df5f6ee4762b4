export * from './k8s/namespace-baseline';
export * from './policy/objects';
export * from './policy/schema';
export * from './policy/api-checks';
export * from './policy/conformance';
