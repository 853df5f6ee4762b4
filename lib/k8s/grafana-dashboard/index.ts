// Public: lib/index.ts re-exports these files.
export * from './dashboard';
export * from './props';
export * from './grafana-dashboard';
