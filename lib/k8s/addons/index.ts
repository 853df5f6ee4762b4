// Public: lib/index.ts re-exports these files.
export * from './catalogue';
export * from './helm-application';
export * from './values';
export * from './cluster-addons';
export * from './coverage';
