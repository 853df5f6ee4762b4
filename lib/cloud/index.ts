/**
 * fleetcraft's Pulumi side: components that provision a region (cluster, storage, secrets, manifests) and the
 * shared cloud names. Importing this loads `@pulumi/pulumi` and `@pulumi/aws`; the cdk8s constructs do not need it.
 */
export * from './names';
export * from './iam';
export * from './network';
export * from './kubernetes';
export * from './roles';
export * from './access';
export * from './cluster';
export * from './capacity';
export * from './storage';
export * from './consensus-snapshots';
export * from './secrets';
export * from './manifests';
export * from './argocd';
export * from './certificates';
export * from './platform';
