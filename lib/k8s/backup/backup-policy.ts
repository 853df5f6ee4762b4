import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { guardProps, PropShape, shape } from '../../private/prop-guard';
import { HOOK_PROVIDER, NAME, NAMESPACE_LIST, PART_OF, SNAPSHOT_LOCATION, STORAGE_LOCATION } from './props-shape';
import { BACKUP_POLICY, validateBackupPolicy } from './rules';
import { IBackupHookProvider } from './backup-hook';
import { BackupStorageLocation } from './backup-storage-location';
import { VeleroSchedule } from './velero-schedule';
import { VolumeSnapshotLocation } from './volume-snapshot-location';
import { enablePolicyChecks } from '../../policy/app-checks';

/** The schedules {@link BackupPolicy} creates: cron, retention and name suffix of each. */
export const BACKUP_POLICY_TIERS = {
  /** Every hour on the hour, kept 7 days. */
  hourly: { schedule: '0 * * * *', ttl: Duration.days(7), suffix: 'hourly' },
  /** Every day at 02:00, cluster resources included, kept 30 days. */
  daily: { schedule: '0 2 * * *', ttl: Duration.days(30), suffix: 'daily' },
  /** Every day at 03:00 into another region's bucket, kept 90 days. */
  crossRegion: { schedule: '0 3 * * *', ttl: Duration.days(90), suffix: 'cross-region' },
} as const;

/** Props for {@link BackupPolicy}. */
export interface BackupPolicyProps {
  /**
   * Prefix of the Schedules' names (`<name>-hourly`, `<name>-daily`, `<name>-cross-region`).
   * @default - the construct id
   */
  readonly name?: string;
  /** The location in the cluster's own region, for the hourly and daily backups. */
  readonly location: BackupStorageLocation;
  /**
   * A location in another region; when given, a daily copy at 03:00 kept 90 days goes there.
   * @default - no cross-region copy
   */
  readonly crossRegionLocation?: BackupStorageLocation;
  /**
   * Where the hourly and daily volume snapshots are taken.
   * @default - the provider's default VolumeSnapshotLocation
   */
  readonly snapshotLocation?: VolumeSnapshotLocation;
  /**
   * Whether the hourly backup (kept 7 days) runs.
   * @default true
   */
  readonly hourly?: boolean;
  /**
   * Whether the daily backup at 02:00 (kept 30 days) runs.
   * @default true
   */
  readonly daily?: boolean;
  /**
   * Namespaces every schedule backs up.
   * @default ['*']
   */
  readonly includedNamespaces?: readonly string[];
  /**
   * Namespaces no schedule backs up.
   * @default - none
   */
  readonly excludedNamespaces?: readonly string[];
  /**
   * Constructs whose consistency hooks every schedule runs.
   * @default - none
   */
  readonly hooksFrom?: readonly IBackupHookProvider[];
  /**
   * The `app.kubernetes.io/part-of` label.
   * @default - no part-of label
   */
  readonly partOf?: string;
}

/** The runtime shape of {@link BackupPolicyProps}, checked before any prop is read. */
export const BACKUP_POLICY_PROP_SHAPES = {
  name: NAME,
  location: shape.required(STORAGE_LOCATION),
  crossRegionLocation: STORAGE_LOCATION,
  snapshotLocation: SNAPSHOT_LOCATION,
  hourly: shape.boolean(),
  daily: shape.boolean(),
  includedNamespaces: NAMESPACE_LIST,
  excludedNamespaces: NAMESPACE_LIST,
  hooksFrom: shape.list(HOOK_PROVIDER),
  partOf: PART_OF,
} satisfies { readonly [K in keyof Required<BackupPolicyProps>]: PropShape };

/**
 * The usual backup trio as Velero Schedules: hourly kept 7 days, a daily full backup at 02:00 kept 30 days, and a
 * daily copy at 03:00 to a location in another region kept 90 days. Each Schedule refers to a location passed in
 * as a construct, so it exists in the app.
 *
 * EBS snapshots stay in their region, so the cross-region copy backs volumes up with file-system backup (needs
 * Velero's node agent) instead of snapshots: its data really lives in the other region.
 * @see https://velero.io/docs/main/disaster-case/
 */
export class BackupPolicy extends Construct {
  /** The hourly schedule, if enabled. */
  public readonly hourly?: VeleroSchedule;
  /** The daily schedule, if enabled. */
  public readonly daily?: VeleroSchedule;
  /** The cross-region copy, if a cross-region location was given. */
  public readonly crossRegion?: VeleroSchedule;
  /** Every schedule created. */
  public readonly schedules: readonly VeleroSchedule[];

  constructor(scope: Construct, id: string, props: BackupPolicyProps) {
    guardProps(BACKUP_POLICY, id, props, BACKUP_POLICY_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    const name = props.name ?? id;
    const cross = props.crossRegionLocation;
    const hourlyOn = props.hourly ?? true;
    const dailyOn = props.daily ?? true;
    validateBackupPolicy(id, {
      name, longestScheduleName: `${name}-${BACKUP_POLICY_TIERS.crossRegion.suffix}`,
      location: props.location, crossRegionLocation: cross, hourly: hourlyOn, daily: dailyOn,
    });
    const common = {
      namespace: props.location.namespace,
      includedNamespaces: props.includedNamespaces,
      excludedNamespaces: props.excludedNamespaces,
      hooksFrom: props.hooksFrom,
      partOf: props.partOf,
    };
    const snapshots = props.snapshotLocation ? [props.snapshotLocation] : undefined;
    const tier = (key: keyof typeof BACKUP_POLICY_TIERS) => ({
      name: `${name}-${BACKUP_POLICY_TIERS[key].suffix}`,
      schedule: BACKUP_POLICY_TIERS[key].schedule,
      ttl: BACKUP_POLICY_TIERS[key].ttl,
    });
    if (hourlyOn) {
      this.hourly = new VeleroSchedule(this, 'Hourly', {
        ...common, ...tier('hourly'), storageLocation: props.location, volumeSnapshotLocations: snapshots,
      });
    }
    if (dailyOn) {
      this.daily = new VeleroSchedule(this, 'Daily', {
        ...common, ...tier('daily'), storageLocation: props.location, volumeSnapshotLocations: snapshots, includeClusterResources: true,
      });
    }
    if (cross) {
      this.crossRegion = new VeleroSchedule(this, 'CrossRegion', {
        ...common, ...tier('crossRegion'), storageLocation: cross, includeClusterResources: true,
        snapshotVolumes: false, defaultVolumesToFsBackup: true,
      });
    }
    this.schedules = [this.hourly, this.daily, this.crossRegion].filter((s): s is VeleroSchedule => s !== undefined);
  }
}
