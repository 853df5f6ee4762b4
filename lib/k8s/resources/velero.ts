import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 classes for the Velero custom resources fleetcraft emits (velero.io/v1), covering the fields it uses.
 * Field names are the CRDs' own; checked against the Velero v1.18 CRDs in tests.
 * @see https://velero.io/docs/main/api-types/
 */

/** A label selector (`metav1.LabelSelector`) with equality terms only. */
export interface VeleroLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
}

/** One exec hook: a command run in a container of the selected pods. */
export interface VeleroExecHook {
  readonly exec: {
    readonly container?: string;
    readonly command: readonly string[];
    readonly onError?: 'Continue' | 'Fail';
    /** Go duration, e.g. `30s`. */
    readonly timeout?: string;
  };
}

/** Hooks for the pods selected by namespace and labels. */
export interface VeleroBackupResourceHookSpec {
  readonly name: string;
  readonly includedNamespaces?: readonly string[];
  readonly excludedNamespaces?: readonly string[];
  readonly labelSelector?: VeleroLabelSelector;
  readonly pre?: readonly VeleroExecHook[];
  readonly post?: readonly VeleroExecHook[];
}

/** The Backup a Schedule creates (`BackupSpec`), as far as fleetcraft sets it. */
export interface VeleroBackupTemplate {
  /** Labels Velero puts on each Backup instead of the Schedule's own labels. */
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
  readonly includedNamespaces?: readonly string[];
  readonly excludedNamespaces?: readonly string[];
  readonly includedResources?: readonly string[];
  readonly excludedResources?: readonly string[];
  readonly includeClusterResources?: boolean;
  readonly labelSelector?: VeleroLabelSelector;
  readonly snapshotVolumes?: boolean;
  readonly defaultVolumesToFsBackup?: boolean;
  readonly storageLocation?: string;
  readonly volumeSnapshotLocations?: readonly string[];
  /** Go duration, e.g. `720h0m0s`. */
  readonly ttl?: string;
  readonly hooks?: { readonly resources?: readonly VeleroBackupResourceHookSpec[] };
}

/** Spec of a Schedule. */
export interface VeleroScheduleSpec {
  readonly schedule: string;
  readonly template: VeleroBackupTemplate;
  readonly paused?: boolean;
  readonly skipImmediately?: boolean;
  readonly useOwnerReferencesInBackup?: boolean;
}

/** A reference to one key of a Secret in Velero's namespace. */
export interface VeleroSecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** Spec of a BackupStorageLocation. */
export interface VeleroBackupStorageLocationSpec {
  readonly provider: string;
  readonly objectStorage: { readonly bucket: string; readonly prefix?: string };
  readonly config?: Readonly<Record<string, string>>;
  readonly credential?: VeleroSecretKeyRef;
  readonly default?: boolean;
  readonly accessMode?: 'ReadOnly' | 'ReadWrite';
  readonly backupSyncPeriod?: string;
  readonly validationFrequency?: string;
}

/** Spec of a VolumeSnapshotLocation. */
export interface VeleroVolumeSnapshotLocationSpec {
  readonly provider: string;
  readonly config?: Readonly<Record<string, string>>;
  readonly credential?: VeleroSecretKeyRef;
}

/** Spec of a Restore. */
export interface VeleroRestoreSpec {
  readonly backupName?: string;
  readonly scheduleName?: string;
  readonly includedNamespaces?: readonly string[];
  readonly excludedResources?: readonly string[];
  readonly namespaceMapping?: Readonly<Record<string, string>>;
  readonly restorePVs?: boolean;
  readonly includeClusterResources?: boolean;
  readonly existingResourcePolicy?: 'none' | 'update';
  /** A ConfigMap (in Velero's namespace) of JSON patches applied to resources before they are restored (Velero 1.12+). */
  readonly resourceModifier?: { readonly kind: 'ConfigMap'; readonly name: string; readonly apiGroup?: string };
}

/** Props of the L1 classes: metadata plus a typed spec. */
export interface VeleroResourceProps<S> {
  readonly metadata: ApiObjectMetadata;
  readonly spec: S;
}

/** Velero's API group and version. */
export const VELERO_API_VERSION = 'velero.io/v1';

/** A Velero Schedule: a Backup template and a cron expression. */
export class VeleroScheduleResource extends ApiObject {
  constructor(scope: Construct, id: string, props: VeleroResourceProps<VeleroScheduleSpec>) {
    super(scope, id, { apiVersion: VELERO_API_VERSION, kind: 'Schedule', metadata: props.metadata, spec: props.spec });
  }
}

/** A Velero BackupStorageLocation: the object store backups are written to. */
export class VeleroBackupStorageLocationResource extends ApiObject {
  constructor(scope: Construct, id: string, props: VeleroResourceProps<VeleroBackupStorageLocationSpec>) {
    super(scope, id, { apiVersion: VELERO_API_VERSION, kind: 'BackupStorageLocation', metadata: props.metadata, spec: props.spec });
  }
}

/** A Velero VolumeSnapshotLocation: where the provider's volume snapshots are taken. */
export class VeleroVolumeSnapshotLocationResource extends ApiObject {
  constructor(scope: Construct, id: string, props: VeleroResourceProps<VeleroVolumeSnapshotLocationSpec>) {
    super(scope, id, { apiVersion: VELERO_API_VERSION, kind: 'VolumeSnapshotLocation', metadata: props.metadata, spec: props.spec });
  }
}

/** A Velero Restore: objects and volumes of a backup brought back, possibly into other namespaces. */
export class VeleroRestoreResource extends ApiObject {
  constructor(scope: Construct, id: string, props: VeleroResourceProps<VeleroRestoreSpec>) {
    super(scope, id, { apiVersion: VELERO_API_VERSION, kind: 'Restore', metadata: props.metadata, spec: props.spec });
  }
}
