// Public: lib/index.ts re-exports these files (federation: only some names of per-cluster and karmada).
export * from './backup-hook';
export * from './velero-schedule';
export * from './backup-storage-location';
export * from './volume-snapshot-location';
export * from './backup-policy';
export * from './restore-drill';
export * from './backup-check';
// Internal: rules and renderers, for the tests; not part of the package API.
export * from './cron';
export * from './rules';
