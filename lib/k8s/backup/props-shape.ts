import { CRON, shape } from '../../private/prop-guard';

/**
 * Prop shapes the backup constructs share, for their runtime prop guards. The guard checks types and gross ranges;
 * the rule tables of `rules.ts` check meaning (DNS names, label syntax, cron fields) with their own messages, so the
 * string shapes here are deliberately loose where a rule says more.
 */

/** An object name or namespace: a string (the rules check it is a DNS-1123 label, with a better message). */
export const NAME = shape.string({ maxLength: 253, allowEmpty: true });

/** A list of namespace names (the rules check each is a DNS-1123 label, or `"*"` where allowed). */
export const NAMESPACE_LIST = shape.list(NAME);

/** A list of Kubernetes resource names such as `persistentvolumeclaims` or `deployments.apps`. */
export const RESOURCE_LIST = shape.list(shape.string({ maxLength: 253 }));

/** The `app.kubernetes.io/part-of` label value. */
export const PART_OF = shape.string({
  maxLength: 63,
  pattern: /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
  patternRule: 'must be a label value (alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric)',
});

/** A cdk8s `Cron` or a cron expression (the cron rules check its fields). */
export const CRON_OR_EXPRESSION = shape.either(CRON, shape.string({ maxLength: 1000, allowEmpty: true }));

/** A `BackupStorageLocation` construct, recognised by its `isDefault` member. */
export const STORAGE_LOCATION = shape.value('BackupStorageLocation', ['name', 'namespace', 'region', 'isDefault'], 'new BackupStorageLocation(scope, \'Primary\', { bucket, region })');

/** A `VolumeSnapshotLocation` construct. */
export const SNAPSHOT_LOCATION = shape.value('VolumeSnapshotLocation', ['name', 'namespace', 'region', 'resource'], 'new VolumeSnapshotLocation(scope, \'Ebs\', { region })');

/** `VeleroCredentials`, recognised by its `source` member. */
export const CREDENTIALS = shape.value('VeleroCredentials', ['source'], 'VeleroCredentials.fromSecret(\'cloud-credentials\')');

/** A construct offering backup hooks (read through its `preBackupHooks` and `postBackupHooks`). */
export const HOOK_PROVIDER = shape.anyObject('an IBackupHookProvider such as a ConsensusStatefulSet');

/** An image reference (the rules check it is pinned). */
export const IMAGE = shape.string({ maxLength: 4096 });

