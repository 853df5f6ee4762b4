export * from './k8s/namespace-baseline';
export * from './policy/objects';
export * from './policy/schema';
export * from './policy/api-checks';
export * from './policy/conformance';
export * from './k8s/backup-hook';
export * from './k8s/startup-taint';
export * from './k8s/replica-split';
