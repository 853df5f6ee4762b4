import { ApiObjectMetadata, Cron, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from '../../private/errors';
import { DURATION, guardProps, METADATA, PropShape, shape, STRING_MAP } from '../../private/prop-guard';
import { standardLabels } from '../../private/labels';
import { goDuration } from '../../private/quantities';
import { parseCron } from './cron';
import {
  LocationRef, longestInterval, PhasedHook, validateBackupHook, validateVeleroSchedule, VELERO_NAMESPACE, VELERO_SCHEDULE, VeleroScheduleFacts,
} from './rules';
import { BACKUP_HOOK_PROVIDER_SHAPES, BackupHook, IBackupHookProvider } from './backup-hook';
import { BackupStorageLocation } from './backup-storage-location';
import {
  CRON_OR_EXPRESSION, HOOK_PROVIDER, NAME, NAMESPACE_LIST, PART_OF, RESOURCE_LIST, SNAPSHOT_LOCATION, STORAGE_LOCATION,
} from './props-shape';
import { VeleroBackupResourceHookSpec, VeleroExecHook, VeleroScheduleResource } from '../resources/velero';
import { VolumeSnapshotLocation } from './volume-snapshot-location';
import { enablePolicyChecks } from '../../policy/app-checks';

export { ARGOCD_TRACKING_LABELS } from './rules';

/**
 * Annotations every Schedule carries so that Argo CD never prunes the Backups it creates. Velero copies a
 * Schedule's annotations onto each Backup (since v1.10), so these land on the Backups too.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/compare-options/
 */
export const GITOPS_SAFE_ANNOTATIONS: Readonly<Record<string, string>> = {
  'argocd.argoproj.io/sync-options': 'Prune=false',
  'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
};

/** Velero's default backup retention (30 days). */
export const DEFAULT_BACKUP_TTL = Duration.hours(720);

/** Props for {@link VeleroSchedule}. */
export interface VeleroScheduleProps {
  /**
   * When backups run: a cdk8s `Cron` or a five-field cron expression (minute hour day-of-month month day-of-week,
   * in the Velero server's time zone, UTC by default). `@hourly`, `@daily`, `@weekly`, `@monthly` and `@yearly`
   * are accepted too.
   */
  readonly schedule: Cron | string;
  /**
   * How long each backup is kept. Must be at least the longest interval between two firings, or there would be
   * times with no backup kept.
   * @default Duration.hours(720) - Velero's default, 30 days
   */
  readonly ttl?: Duration;
  /**
   * The Schedule's name (Backups are named `<name>-<timestamp>`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Velero's namespace (Schedules are read only from there).
   * @default 'velero'
   */
  readonly namespace?: string;
  /**
   * Namespaces to back up, or `['*']` for all.
   * @default ['*']
   */
  readonly includedNamespaces?: readonly string[];
  /**
   * Namespaces not to back up.
   * @default - none
   */
  readonly excludedNamespaces?: readonly string[];
  /**
   * Resources to back up (e.g. `persistentvolumeclaims`, `deployments.apps`).
   * @default - every resource
   */
  readonly includedResources?: readonly string[];
  /**
   * Resources not to back up.
   * @default - none
   */
  readonly excludedResources?: readonly string[];
  /**
   * Whether cluster-scoped resources are backed up.
   * @default - Velero decides: all of them when every namespace is backed up, else only those the namespaced objects need
   */
  readonly includeClusterResources?: boolean;
  /**
   * Back up only objects carrying all these labels.
   * @default - every object
   */
  readonly labelSelector?: Readonly<Record<string, string>>;
  /**
   * Whether persistent volumes are snapshotted.
   * @default true
   */
  readonly snapshotVolumes?: boolean;
  /**
   * Whether every pod volume is backed up by file-system backup (kopia) instead of snapshots, unless opted out.
   * @default false
   */
  readonly defaultVolumesToFsBackup?: boolean;
  /**
   * The BackupStorageLocation backups go to (the construct or its name). When the app defines any
   * BackupStorageLocation, this must name one of them in the same namespace (checked at synth).
   * @default - Velero's default location (when the app defines locations, one of them must be `default: true`)
   */
  readonly storageLocation?: BackupStorageLocation | string;
  /**
   * VolumeSnapshotLocations for volume snapshots (constructs or names); checked at synth like `storageLocation`.
   * @default - the provider's default location
   */
  readonly volumeSnapshotLocations?: ReadonlyArray<VolumeSnapshotLocation | string>;
  /**
   * Constructs whose pre/post-backup hooks this Schedule runs (e.g. a ConsensusStatefulSet's consistent snapshot).
   * More can be added with {@link VeleroSchedule.addHooks}.
   * @default - none
   */
  readonly hooksFrom?: readonly IBackupHookProvider[];
  /**
   * Whether the Schedule is paused.
   * @default false
   */
  readonly paused?: boolean;
  /**
   * Whether Velero skips the backup that would otherwise be due at once when the Schedule is created, re-created
   * or unpaused, and waits for the next cron time instead. Keeps a GitOps sync from firing a backup.
   * @default true
   */
  readonly skipImmediately?: boolean;
  /**
   * Extra labels for each Backup the Schedule creates (Velero writes these instead of the Schedule's own labels,
   * so Argo CD's tracking label is never copied). Argo CD tracking label keys are refused.
   * @default - only `app.kubernetes.io/name: velero`, `component: backup`, `managed-by: velero` and part-of
   */
  readonly backupLabels?: Readonly<Record<string, string>>;
  /**
   * The `app.kubernetes.io/part-of` label (on the Schedule and its Backups).
   * @default - no part-of label
   */
  readonly partOf?: string;
  /**
   * Extra labels and annotations for the Schedule (merged; fleetcraft's labels win, and the Argo CD sync and compare
   * options always include `Prune=false` and `IgnoreExtraneous`).
   * @default - none
   */
  readonly metadata?: ApiObjectMetadata;
}

/** The runtime shape of {@link VeleroScheduleProps}, checked before any prop is read. */
export const VELERO_SCHEDULE_PROP_SHAPES = {
  schedule: shape.required(CRON_OR_EXPRESSION),
  ttl: DURATION,
  name: NAME,
  namespace: NAME,
  includedNamespaces: NAMESPACE_LIST,
  excludedNamespaces: NAMESPACE_LIST,
  includedResources: RESOURCE_LIST,
  excludedResources: RESOURCE_LIST,
  includeClusterResources: shape.boolean(),
  labelSelector: STRING_MAP,
  snapshotVolumes: shape.boolean(),
  defaultVolumesToFsBackup: shape.boolean(),
  storageLocation: shape.either(STORAGE_LOCATION, NAME),
  volumeSnapshotLocations: shape.list(shape.either(SNAPSHOT_LOCATION, NAME)),
  hooksFrom: shape.list(HOOK_PROVIDER),
  paused: shape.boolean(),
  skipImmediately: shape.boolean(),
  backupLabels: STRING_MAP,
  partOf: PART_OF,
  metadata: METADATA,
} satisfies { readonly [K in keyof Required<VeleroScheduleProps>]: PropShape };

/**
 * A Velero backup schedule that provably covers what it must: a validated cron expression, a TTL that outlives the
 * interval, namespaces that are valid and not both included and excluded, the consistency hooks of the stateful
 * sets it covers, and a storage location that exists in the app.
 *
 * GitOps-safe by construction:
 * - Backups never carry Argo CD's tracking label: `spec.template.metadata.labels` is always set, and Velero then
 *   labels Backups with it instead of copying the Schedule's labels (velero #2975, #3560).
 * - `useOwnerReferencesInBackup: false`: a re-created Schedule does not garbage-collect its Backups.
 * - The Schedule is annotated `argocd.argoproj.io/sync-options: Prune=false` and
 *   `argocd.argoproj.io/compare-options: IgnoreExtraneous`; Velero copies both onto every Backup, so even a Backup
 *   that carries a copied tracking annotation is never pruned and never makes the Application OutOfSync. (Removing
 *   a Schedule from Git therefore leaves it in the cluster until deleted by hand: deleting backups is deliberate.)
 * - `skipImmediately: true` and no hook annotations: applying, re-applying or re-creating the Schedule never fires
 *   a backup out of its cron times.
 * @see https://velero.io/docs/main/api-types/schedule/
 */
export class VeleroSchedule extends Construct {
  /** The Schedule's object name; its Backups are named `<name>-<timestamp>`. */
  public readonly name: string;
  /** Velero's namespace, which holds the Schedule and its Backups. */
  public readonly namespace: string;
  /** The cron expression, as written into the Schedule. */
  public readonly schedule: string;
  /** How long each backup is kept. */
  public readonly ttl: Duration;
  /** The longest time between two consecutive backups. */
  public readonly longestInterval: Duration;
  /** The namespaces backed up (`['*']` for all). */
  public readonly includedNamespaces: readonly string[];
  /** The namespaces not backed up. */
  public readonly excludedNamespaces: readonly string[];
  /** The storage location's name, if one is set. */
  public readonly storageLocation?: string;
  /** The Schedule object. */
  public readonly resource: VeleroScheduleResource;

  private readonly hooks: PhasedHook[] = [];
  private readonly id: string;

  constructor(scope: Construct, id: string, props: VeleroScheduleProps) {
    guardProps(VELERO_SCHEDULE, id, props, VELERO_SCHEDULE_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    this.id = id;
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? VELERO_NAMESPACE;
    this.schedule = typeof props.schedule === 'string' ? props.schedule.trim() : props.schedule.expressionString;
    this.ttl = props.ttl ?? DEFAULT_BACKUP_TTL;
    this.includedNamespaces = props.includedNamespaces ?? ['*'];
    this.excludedNamespaces = props.excludedNamespaces ?? [];
    const includedResources = props.includedResources ?? [];
    const excludedResources = props.excludedResources ?? [];
    const ref = (l: BackupStorageLocation | VolumeSnapshotLocation | string): LocationRef | string =>
      (typeof l === 'string' ? l : { name: l.name, namespace: l.namespace });
    const facts: VeleroScheduleFacts = {
      name: this.name, namespace: this.namespace, schedule: this.schedule, cron: parseCron(this.schedule), ttl: this.ttl,
      includedNamespaces: this.includedNamespaces, excludedNamespaces: this.excludedNamespaces, includedResources, excludedResources,
      labelSelector: props.labelSelector ?? {}, backupLabels: props.backupLabels ?? {},
      storageLocation: props.storageLocation === undefined ? undefined : ref(props.storageLocation),
      volumeSnapshotLocations: (props.volumeSnapshotLocations ?? []).map(ref),
    };
    validateVeleroSchedule(id, facts);
    this.longestInterval = longestInterval(facts.cron);
    const storage = props.storageLocation;
    this.storageLocation = typeof storage === 'string' || storage === undefined ? storage : storage.name;
    const snapshotLocations = (props.volumeSnapshotLocations ?? []).map((l) => (typeof l === 'string' ? l : l.name));
    for (const provider of props.hooksFrom ?? []) this.addHooks(provider);

    const labels = standardLabels({ name: 'velero', instance: this.name, component: 'backup-schedule', partOf: props.partOf });
    const backupLabels: Record<string, string> = {
      ...props.backupLabels,
      'app.kubernetes.io/name': 'velero',
      'app.kubernetes.io/component': 'backup',
      'app.kubernetes.io/managed-by': 'velero',
    };
    if (props.partOf) backupLabels['app.kubernetes.io/part-of'] = props.partOf;

    this.resource = new VeleroScheduleResource(this, 'Resource', {
      metadata: {
        ...props.metadata,
        name: this.name,
        namespace: this.namespace,
        labels: { ...props.metadata?.labels, ...labels },
        annotations: withGitOpsOptions(props.metadata?.annotations ?? {}),
      },
      spec: {
        schedule: this.schedule,
        paused: props.paused ?? false,
        skipImmediately: props.skipImmediately ?? true,
        useOwnerReferencesInBackup: false,
        template: {
          metadata: { labels: backupLabels },
          ttl: goDuration(this.ttl),
          includedNamespaces: this.includedNamespaces,
          excludedNamespaces: this.excludedNamespaces.length > 0 ? this.excludedNamespaces : undefined,
          includedResources: includedResources.length > 0 ? includedResources : undefined,
          excludedResources: excludedResources.length > 0 ? excludedResources : undefined,
          includeClusterResources: props.includeClusterResources,
          labelSelector: props.labelSelector ? { matchLabels: props.labelSelector } : undefined,
          snapshotVolumes: props.snapshotVolumes ?? true,
          defaultVolumesToFsBackup: props.defaultVolumesToFsBackup ?? false,
          storageLocation: this.storageLocation,
          volumeSnapshotLocations: snapshotLocations.length > 0 ? snapshotLocations : undefined,
          hooks: Lazy.any({ produce: () => (this.hooks.length > 0 ? { resources: this.hookResources() } : undefined) }),
        },
      },
    });

    this.node.addValidation({ validate: () => this.validateLocations(snapshotLocations) });
  }

  /**
   * Runs a construct's pre- and post-backup hooks in this Schedule's backups. Refuses hooks for namespaces the
   * Schedule does not back up (they would never run) and hook names used twice.
   */
  public addHooks(provider: IBackupHookProvider): void {
    guardProps(VELERO_SCHEDULE, this.id, { hooksFrom: [provider] }, { hooksFrom: VELERO_SCHEDULE_PROP_SHAPES.hooksFrom });
    const offered = { preBackupHooks: provider.preBackupHooks, postBackupHooks: provider.postBackupHooks };
    guardProps(VELERO_SCHEDULE, this.id, offered, BACKUP_HOOK_PROVIDER_SHAPES);
    const added: PhasedHook[] = [
      ...offered.preBackupHooks.map((hook) => ({ phase: 'pre' as const, hook })),
      ...offered.postBackupHooks.map((hook) => ({ phase: 'post' as const, hook })),
    ];
    for (const phased of added) {
      validateBackupHook(this.id, { ...phased, includedNamespaces: this.includedNamespaces, excludedNamespaces: this.excludedNamespaces, added: this.hooks });
      this.hooks.push(phased);
    }
  }

  /** One hook resource per hook name: pre and post hooks of the same name and pods share it. */
  private hookResources(): VeleroBackupResourceHookSpec[] {
    const byName = new Map<string, { hook: BackupHook; pre: VeleroExecHook[]; post: VeleroExecHook[] }>();
    for (const { phase, hook } of this.hooks) {
      const entry = byName.get(hook.name) ?? { hook, pre: [], post: [] };
      entry[phase].push({
        exec: { container: hook.container, command: [...hook.command], onError: hook.onError, timeout: goDuration(hook.timeout) },
      });
      byName.set(hook.name, entry);
    }
    return [...byName.values()].map(({ hook, pre, post }) => ({
      name: hook.name,
      includedNamespaces: [hook.namespace],
      labelSelector: { matchLabels: sorted(hook.podLabels) },
      pre: pre.length > 0 ? pre : undefined,
      post: post.length > 0 ? post : undefined,
    }));
  }

  /** Synth-time: the storage and snapshot locations named must exist in the app, when it defines any. */
  private validateLocations(snapshotLocations: readonly string[]): string[] {
    const errors: string[] = [];
    const root = this.node.root;
    const storage = BackupStorageLocation.allIn(root);
    if (storage.length > 0) {
      const here = storage.filter((l) => l.namespace === this.namespace);
      const defined = storage.map((l) => `${l.namespace}/${l.name}`).join(', ');
      if (this.storageLocation !== undefined && !here.some((l) => l.name === this.storageLocation)) {
        errors.push(propError(VELERO_SCHEDULE, this.id, 'storageLocation', this.storageLocation,
          `names no BackupStorageLocation in namespace "${this.namespace}" of this app (it defines ${defined})`,
          'use one of those names, or define the missing BackupStorageLocation').message);
      }
      if (this.storageLocation === undefined && !here.some((l) => l.isDefault)) {
        errors.push(propError(VELERO_SCHEDULE, this.id, 'storageLocation', undefined,
          `is unset and no BackupStorageLocation in namespace "${this.namespace}" of this app is the default (it defines ${defined})`,
          'name a location with storageLocation, or mark one default: true').message);
      }
    }
    const snapshots = VolumeSnapshotLocation.allIn(root);
    if (snapshots.length > 0) {
      const defined = snapshots.map((l) => `${l.namespace}/${l.name}`).join(', ');
      for (const name of snapshotLocations) {
        if (!snapshots.some((l) => l.namespace === this.namespace && l.name === name)) {
          errors.push(propError(VELERO_SCHEDULE, this.id, 'volumeSnapshotLocations', name,
            `names no VolumeSnapshotLocation in namespace "${this.namespace}" of this app (it defines ${defined})`,
            'use one of those names, or define the missing VolumeSnapshotLocation').message);
        }
      }
    }
    return errors;
  }
}

/** Adds `Prune=false` and `IgnoreExtraneous` to whatever Argo CD options the user's annotations already carry. */
function withGitOpsOptions(annotations: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = { ...annotations };
  for (const [key, option] of Object.entries(GITOPS_SAFE_ANNOTATIONS)) {
    const existing = (out[key] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '' && !s.startsWith(`${option.split('=')[0]}=`) && s !== option);
    out[key] = [...existing, option].join(',');
  }
  return out;
}

function sorted(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}
