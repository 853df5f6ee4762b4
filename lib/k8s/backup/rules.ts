import { Duration } from 'cdk8s';
import { dnsLabelError, dnsSubdomainError, labelValueError, qualifiedNameError } from '../../private/names';
import { goDuration } from '../../private/quantities';
import { checkRules, Rule, Violation } from '../../private/rules';
import { BackupHook } from './backup-hook';
import { CronProblem, isCronProblem, longestIntervalMinutes, ParsedCron } from './cron';

/**
 * The rule tables of the backup constructs: pure rules over each construct's facts (its props with defaults
 * applied), each returning the prop, the value, the rule and the fix, run with `checkRules` so that they can be
 * tested alone. The helpers shared by several tables return a `Violation` too.
 */

/** The construct names every message starts with. */
export const VELERO_SCHEDULE = 'VeleroSchedule';
export const BACKUP_STORAGE_LOCATION = 'BackupStorageLocation';
export const VOLUME_SNAPSHOT_LOCATION = 'VolumeSnapshotLocation';
export const BACKUP_POLICY = 'BackupPolicy';
export const RESTORE_DRILL = 'RestoreDrill';
export const BACKUP_CHECK = 'BackupCheck';

/** The namespace Velero runs in by default, and where its custom resources live. */
export const VELERO_NAMESPACE = 'velero';

/** Label keys Argo CD uses to track resources; a Backup carrying one can be mistaken for a tracked resource. */
export const ARGOCD_TRACKING_LABELS: readonly string[] = ['app.kubernetes.io/instance', 'argocd.argoproj.io/instance'];

/** The image the backup check runs its script in by default (Node.js on Alpine, pinned). */
export const DEFAULT_BACKUP_CHECK_IMAGE = 'node:22.12.0-alpine3.20';

/** The kubectl image the restore drill runs by default (distroless, pinned to the Kubernetes minor fleetcraft targets). */
export const DEFAULT_RESTORE_DRILL_IMAGE = 'registry.k8s.io/kubectl:v1.36.0';

/** The longest duration Go (and so Velero and kubectl) can represent: 2562047h47m16.854775807s, in milliseconds. */
export const MAX_GO_DURATION_MS = 9_223_372_036_854;

// ---------------------------------------------------------------------------------------------------------------
// Shared checks

/** An object name or namespace that is not a DNS-1123 label. */
export function nameViolation(prop: 'name' | 'namespace', value: string): Violation | undefined {
  const error = dnsLabelError(value);
  return error ? [prop, value, error, `use a DNS-1123 label such as "${prop === 'name' ? 'daily' : VELERO_NAMESPACE}"`] : undefined;
}

/** A namespace (under any prop) that is not a DNS-1123 label. */
export function namespaceViolation(prop: string, value: string): Violation | undefined {
  const error = dnsLabelError(value);
  return error ? [prop, value, error, 'use a namespace name (a DNS-1123 label)'] : undefined;
}

/**
 * A namespace list (`includedNamespaces` may also be exactly `["*"]`) with an entry that is not a DNS-1123 label,
 * or a duplicate.
 */
export function namespaceListViolation(prop: string, values: readonly string[], allowStar: boolean): Violation | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < values.length; i++) {
    const ns = values[i];
    if (allowStar && ns === '*' && values.length === 1) continue;
    const error = ns === '*' ? (allowStar ? 'must be the only entry when it is "*"' : 'cannot be "*"') : dnsLabelError(ns);
    if (error) {
      return [`${prop}[${i}]`, ns, error, allowStar
        ? 'use a namespace name (a DNS-1123 label), or ["*"] alone for every namespace'
        : 'use a namespace name (a DNS-1123 label)'];
    }
    if (seen.has(ns)) return [`${prop}[${i}]`, ns, 'is listed twice', 'list each namespace once'];
    seen.add(ns);
  }
  return undefined;
}

/** A namespace (or resource) both included and excluded. */
export function overlapViolation(what: 'Namespaces' | 'Resources', included: readonly string[], excluded: readonly string[]): Violation | undefined {
  const both = excluded.find((x) => included.includes(x));
  if (both === undefined) return undefined;
  return [`excluded${what}`, both, `is also in included${what}; a ${what === 'Namespaces' ? 'namespace' : 'resource'} cannot be both included and excluded`, `remove "${both}" from one of the two lists`];
}

/** A label map whose keys are not qualified names or whose values are not label values. */
export function labelMapViolation(prop: string, labels: Readonly<Record<string, string>>): Violation | undefined {
  for (const [key, value] of Object.entries(labels)) {
    const keyError = qualifiedNameError(key);
    if (keyError) return [`${prop} key`, key, keyError, 'use a label key such as "app.kubernetes.io/name"'];
    const valueError = labelValueError(value);
    if (valueError) return [`${prop}["${key}"]`, value, valueError, 'use a label value of at most 63 alphanumerics, \'-\', \'_\' or \'.\''];
  }
  return undefined;
}

/** A duration's milliseconds, or NaN when it has none (cdk8s throws for `Duration.seconds(NaN)`). */
function millisOf(d: Duration): number {
  try {
    return d.toMilliseconds();
  } catch {
    return NaN;
  }
}

/**
 * A duration Go cannot hold (not finite, negative, or above {@link MAX_GO_DURATION_MS}). Checked before any other
 * rule reads the duration, which could then throw or print nonsense.
 */
export function goDurationViolation(prop: string, d: Duration, example: string): Violation | undefined {
  const ms = millisOf(d);
  return ms >= 0 && ms <= MAX_GO_DURATION_MS ? undefined
    : [`${prop} in ms`, ms, 'must be a finite, non-negative duration of at most 2562047h (the longest Go duration)', `use e.g. ${example}`];
}

// ---------------------------------------------------------------------------------------------------------------
// BackupStorageLocation and VolumeSnapshotLocation

/** A Secret name or key that is invalid. */
export function secretRefViolation(name: string, key: string): Violation | undefined {
  if (typeof name !== 'string' || typeof key !== 'string') {
    return ['credentials', { name, key }, 'must name a Secret and a key with two strings', 'use VeleroCredentials.fromSecret("cloud-credentials", "cloud")'];
  }
  const error = dnsSubdomainError(name);
  if (error) return ['credentials secret name', name, error, 'use the name of a Secret in Velero\'s namespace, e.g. "cloud-credentials"'];
  if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) {
    return ['credentials secret key', key, 'is not a valid Secret key (alphanumerics, \'-\', \'_\' or \'.\')', 'use a key such as "cloud"'];
  }
  return undefined;
}

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/** A string that is not an AWS region name such as `us-east-1`. */
export function awsRegionViolation(region: string): Violation | undefined {
  return AWS_REGION.test(region) ? undefined : ['region', region, 'is not an AWS region name', 'use a region such as "us-east-1" or "eu-west-1"'];
}

/** S3 bucket naming rules (general purpose buckets). */
const BUCKET_RULES: ReadonlyArray<{ readonly test: (b: string) => boolean; readonly rule: string }> = [
  { test: (b) => b.length >= 3 && b.length <= 63, rule: 'must be 3 to 63 characters' },
  { test: (b) => /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(b), rule: 'must consist of lowercase letters, digits, \'.\' and \'-\', and start and end with a letter or digit' },
  { test: (b) => !b.includes('..'), rule: 'must not contain two adjacent periods' },
  { test: (b) => !/^\d+\.\d+\.\d+\.\d+$/.test(b), rule: 'must not be formatted as an IP address' },
];

/** A string that is not a valid S3 bucket name. */
export function bucketViolation(bucket: string): Violation | undefined {
  const broken = BUCKET_RULES.find((r) => !r.test(bucket));
  return broken ? ['bucket', bucket, broken.rule, 'use the S3 bucket name only (no "s3://" and no path; put the path in prefix)'] : undefined;
}

/** A bucket prefix Velero refuses (it wants a path without leading or trailing '/'). */
export function prefixViolation(prefix: string): Violation | undefined {
  return prefix === '' || prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('//')
    ? ['prefix', prefix, 'must be a non-empty path without leading, trailing or doubled \'/\'', 'write e.g. "clusters/prod-use1"']
    : undefined;
}

/** What a Velero location (BackupStorageLocation or VolumeSnapshotLocation) is validated on. */
export interface VeleroLocationFacts {
  readonly name: string;
  readonly namespace: string;
  readonly region: string;
  readonly secret?: { readonly name: string; readonly key: string };
  /** Object storage, for a BackupStorageLocation. */
  readonly bucket?: string;
  readonly prefix?: string;
  readonly kmsKeyId?: string;
  readonly backupSyncPeriod?: Duration;
  readonly validationFrequency?: Duration;
}

/** The location rules, in the order name, namespace, bucket, prefix, region, Secret, KMS key, periods. */
export const LOCATION_RULES: readonly Rule<VeleroLocationFacts>[] = [
  (f) => nameViolation('name', f.name),
  (f) => nameViolation('namespace', f.namespace),
  (f) => (f.bucket !== undefined ? bucketViolation(f.bucket) : undefined),
  (f) => (f.prefix !== undefined ? prefixViolation(f.prefix) : undefined),
  (f) => awsRegionViolation(f.region),
  (f) => (f.secret ? secretRefViolation(f.secret.name, f.secret.key) : undefined),
  (f) => (f.kmsKeyId !== undefined && f.kmsKeyId.trim() === ''
    ? ['kmsKeyId', f.kmsKeyId, 'is empty', 'omit it to use the bucket\'s default encryption, or give a key id, ARN or "alias/..."']
    : undefined),
  (f) => (f.backupSyncPeriod ? goDurationViolation('backupSyncPeriod', f.backupSyncPeriod, 'Duration.minutes(1)') : undefined),
  (f) => (f.validationFrequency ? goDurationViolation('validationFrequency', f.validationFrequency, 'Duration.minutes(1)') : undefined),
];

/** Throws the first rule a Velero location breaks. */
export function validateLocation(construct: string, id: string, facts: VeleroLocationFacts): void {
  checkRules(construct, id, LOCATION_RULES, facts);
}

// ---------------------------------------------------------------------------------------------------------------
// VeleroSchedule

/** A location passed as a construct: where it is. */
export interface LocationRef {
  readonly name: string;
  readonly namespace: string;
}

/** The facts the VeleroSchedule rules look at (defaults applied). */
export interface VeleroScheduleFacts {
  readonly name: string;
  readonly namespace: string;
  /** The cron expression as written into the Schedule, and what parsing it gave. */
  readonly schedule: string;
  readonly cron: ParsedCron | CronProblem;
  readonly ttl: Duration;
  readonly includedNamespaces: readonly string[];
  readonly excludedNamespaces: readonly string[];
  readonly includedResources: readonly string[];
  readonly excludedResources: readonly string[];
  readonly labelSelector: Readonly<Record<string, string>>;
  readonly backupLabels: Readonly<Record<string, string>>;
  /** A location construct's place, or the name given. */
  readonly storageLocation?: LocationRef | string;
  readonly volumeSnapshotLocations: ReadonlyArray<LocationRef | string>;
}

/** The longest time between two consecutive firings of a parsed expression. */
export function longestInterval(cron: ParsedCron): Duration {
  return Duration.minutes(longestIntervalMinutes(cron));
}

const notInNamespace = (prop: string, l: LocationRef, namespace: string): Violation => [
  prop, `${l.namespace}/${l.name}`, `is not in the Schedule's namespace "${namespace}", so Velero cannot use it`, 'create the location in the same namespace as the Schedule',
];

/** The VeleroSchedule rules, in the order they are checked; the first broken one is thrown. */
export const VELERO_SCHEDULE_RULES: readonly Rule<VeleroScheduleFacts>[] = [
  (f) => nameViolation('name', f.name),
  (f) => nameViolation('namespace', f.namespace),
  (f) => (isCronProblem(f.cron) ? ['schedule', f.schedule, f.cron.rule, f.cron.fix] : undefined),
  (f) => goDurationViolation('ttl', f.ttl, 'Duration.days(30)'),
  (f) => {
    if (isCronProblem(f.cron)) return undefined;
    const longest = longestInterval(f.cron);
    if (f.ttl.toMilliseconds() >= longest.toMilliseconds()) return undefined;
    const interval = goDuration(longest);
    return ['ttl', goDuration(f.ttl),
      `is shorter than the longest interval between two backups of schedule "${f.schedule}" (${interval}), so there would be times with no backup kept`,
      `use a ttl of at least ${interval}`];
  },
  (f) => (f.includedNamespaces.length === 0
    ? ['includedNamespaces', [], 'is empty, so nothing would be backed up', 'list the namespaces, or omit it for every namespace']
    : undefined),
  (f) => namespaceListViolation('includedNamespaces', f.includedNamespaces, true),
  (f) => namespaceListViolation('excludedNamespaces', f.excludedNamespaces, false),
  (f) => overlapViolation('Namespaces', f.includedNamespaces, f.excludedNamespaces),
  (f) => overlapViolation('Resources', f.includedResources, f.excludedResources),
  (f) => labelMapViolation('labelSelector', f.labelSelector),
  (f) => labelMapViolation('backupLabels', f.backupLabels),
  (f) => {
    const tracking = Object.keys(f.backupLabels).find((k) => ARGOCD_TRACKING_LABELS.includes(k));
    return tracking !== undefined
      ? ['backupLabels key', tracking, 'is an Argo CD tracking label; Backups carrying it can be pruned by Argo CD', 'use another label key']
      : undefined;
  },
  (f) => {
    const l = f.storageLocation;
    if (l === undefined) return undefined;
    if (typeof l !== 'string') return l.namespace !== f.namespace ? notInNamespace('storageLocation', l, f.namespace) : undefined;
    const error = dnsSubdomainError(l);
    return error ? ['storageLocation', l, error, 'use the name of a BackupStorageLocation'] : undefined;
  },
  (f) => {
    const away = f.volumeSnapshotLocations.find((l): l is LocationRef => typeof l !== 'string' && l.namespace !== f.namespace);
    return away ? notInNamespace('volumeSnapshotLocations', away, f.namespace) : undefined;
  },
];

/** Throws the first rule a VeleroSchedule's props break; past it, the schedule is known to parse. */
export function validateVeleroSchedule(id: string, facts: VeleroScheduleFacts): asserts facts is VeleroScheduleFacts & { readonly cron: ParsedCron } {
  checkRules(VELERO_SCHEDULE, id, VELERO_SCHEDULE_RULES, facts);
}

/** A hook a Schedule runs, and whether before or after the volume backup. */
export interface PhasedHook {
  readonly phase: 'pre' | 'post';
  readonly hook: BackupHook;
}

/** What the hook rules look at: the hook being added, the Schedule's namespaces and the hooks already added. */
export interface BackupHookFacts extends PhasedHook {
  readonly includedNamespaces: readonly string[];
  readonly excludedNamespaces: readonly string[];
  readonly added: readonly PhasedHook[];
}

const sortedJson = (labels: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
const hookProp = (f: BackupHookFacts) => `hook "${f.hook.name}"`;

/** The rules for each hook a Schedule runs, in the order they are checked. */
export const BACKUP_HOOK_RULES: readonly Rule<BackupHookFacts>[] = [
  (f) => (f.hook.name.trim() === '' ? ['hook name', f.hook.name, 'is empty', 'give every hook a name'] : undefined),
  (f) => namespaceViolation(`${hookProp(f)} namespace`, f.hook.namespace),
  (f) => (f.excludedNamespaces.includes(f.hook.namespace)
    ? [`${hookProp(f)} namespace`, f.hook.namespace, 'is in excludedNamespaces, so the hook would never run', 'remove it from excludedNamespaces, or add the hooks to the schedule that backs it up']
    : undefined),
  (f) => (!f.includedNamespaces.includes('*') && !f.includedNamespaces.includes(f.hook.namespace)
    ? [`${hookProp(f)} namespace`, f.hook.namespace, `is not in includedNamespaces (${JSON.stringify(f.includedNamespaces)}), so the hook would never run`, 'add it to includedNamespaces, or add the hooks to the schedule that backs it up']
    : undefined),
  (f) => (Object.keys(f.hook.podLabels).length === 0
    ? [`${hookProp(f)} podLabels`, {}, 'is empty, so the hook would run in every pod of the namespace', 'select the pods that hold the data']
    : undefined),
  (f) => labelMapViolation(`${hookProp(f)} podLabels`, f.hook.podLabels),
  (f) => {
    const error = dnsLabelError(f.hook.container);
    return error ? [`${hookProp(f)} container`, f.hook.container, error, 'use the name of a container of the selected pods'] : undefined;
  },
  (f) => (f.hook.command.length === 0 ? [`${hookProp(f)} command`, [], 'is empty', 'give the command and its arguments'] : undefined),
  (f) => goDurationViolation(`${hookProp(f)} timeout`, f.hook.timeout, 'Duration.seconds(30)'),
  (f) => (f.hook.timeout.toMilliseconds() <= 0 ? [`${hookProp(f)} timeout`, goDuration(f.hook.timeout), 'must be positive', 'use e.g. Duration.seconds(30)'] : undefined),
  (f) => {
    for (const other of f.added) {
      if (other.hook.name !== f.hook.name) continue;
      if (other.phase === f.phase) {
        return ['hook name', f.hook.name, `is used by two ${f.phase}-backup hooks`, 'give each hook a unique name (was the same provider added twice?)'];
      }
      if (other.hook.namespace !== f.hook.namespace || sortedJson(other.hook.podLabels) !== sortedJson(f.hook.podLabels)) {
        return ['hook name', f.hook.name, 'is used by a pre- and a post-backup hook that select different pods', 'give the two hooks different names'];
      }
    }
    return undefined;
  },
];

/** Throws the first rule a hook added to a VeleroSchedule breaks. */
export function validateBackupHook(id: string, facts: BackupHookFacts): void {
  checkRules(VELERO_SCHEDULE, id, BACKUP_HOOK_RULES, facts);
}

// ---------------------------------------------------------------------------------------------------------------
// BackupPolicy

/** The facts the BackupPolicy rules look at (defaults applied). */
export interface BackupPolicyFacts {
  readonly name: string;
  /** The longest Schedule name the policy makes (the cross-region tier's). */
  readonly longestScheduleName: string;
  readonly location: { readonly name: string; readonly region: string };
  readonly crossRegionLocation?: { readonly name: string; readonly region: string };
  readonly hourly: boolean;
  readonly daily: boolean;
}

/** The BackupPolicy rules, in the order they are checked; the first broken one is thrown. */
export const BACKUP_POLICY_RULES: readonly Rule<BackupPolicyFacts>[] = [
  (f) => {
    const error = dnsLabelError(f.name) ?? dnsLabelError(f.longestScheduleName);
    return error ? ['name', f.name, `${error} (checked as "${f.longestScheduleName}", the longest Schedule name)`, 'use a short DNS-1123 label such as "backups"'] : undefined;
  },
  (f) => (f.crossRegionLocation && f.crossRegionLocation.region === f.location.region
    ? ['crossRegionLocation', `${f.crossRegionLocation.name} (${f.crossRegionLocation.region})`,
      `is in the same region as location "${f.location.name}", so the copy would not survive a regional outage`,
      'use a BackupStorageLocation whose bucket is in another region']
    : undefined),
  (f) => (!f.hourly && !f.daily && !f.crossRegionLocation
    ? ['hourly, daily and crossRegionLocation', 'false, false, undefined', 'leave no schedule at all', 'enable at least one of them']
    : undefined),
];

/** Throws the first rule a BackupPolicy's props break. */
export function validateBackupPolicy(id: string, facts: BackupPolicyFacts): void {
  checkRules(BACKUP_POLICY, id, BACKUP_POLICY_RULES, facts);
}

// ---------------------------------------------------------------------------------------------------------------
// RestoreDrill

/** The facts the RestoreDrill rules look at (defaults applied). */
export interface RestoreDrillFacts {
  readonly name: string;
  readonly sourceNamespace: string;
  readonly scratchNamespace: string;
  /** The Schedule restored from: its name and the namespaces it backs up. */
  readonly schedule: { readonly name: string; readonly includedNamespaces: readonly string[]; readonly excludedNamespaces: readonly string[] };
  /** The cron expression, and what parsing it gave. */
  readonly cronText: string;
  readonly cron: ParsedCron | CronProblem;
  readonly image: string;
  readonly timeout: Duration;
  /** The workloads whose restored pods must become Ready (`<kind>/<name>`), and the resources not restored. */
  readonly readyWorkloads: readonly { readonly kind: string; readonly name: string }[];
  readonly excludedResources: readonly string[];
  /** The namespace the drill's Job runs in, and where its NetworkPolicy lets it reach the API server. */
  readonly namespace: string;
  readonly apiServerCidrs: readonly string[];
}

/** The resource each workload kind a drill can wait for is restored as (what `excludedResources` would name). */
export const DRILL_WORKLOAD_RESOURCES: Readonly<Record<string, string>> = { Deployment: 'deployments.apps', StatefulSet: 'statefulsets.apps' };

const PINNED = /(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;

const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

/** An `apiServerCidrs` list that is empty or holds something other than a CIDR block. */
export function apiServerCidrsViolation(cidrs: readonly string[], who: string): Violation | undefined {
  if (cidrs.length === 0) return ['apiServerCidrs', '[]', `is empty, so ${who} could not reach the API server`, 'omit it (anywhere) or give the API endpoint\'s range, e.g. the VPC CIDR'];
  const bad = cidrs.find((c) => !CIDR.test(c));
  return bad === undefined ? undefined : ['apiServerCidrs', bad, 'is not a CIDR block', 'use e.g. "10.10.0.0/16"'];
}

/** The RestoreDrill rules, in the order they are checked; the first broken one is thrown. */
export const RESTORE_DRILL_RULES: readonly Rule<RestoreDrillFacts>[] = [
  (f) => nameViolation('name', f.name),
  (f) => namespaceViolation('namespace', f.namespace),
  (f) => namespaceViolation('sourceNamespace', f.sourceNamespace),
  (f) => namespaceViolation('scratchNamespace', f.scratchNamespace),
  (f) => (f.scratchNamespace === f.sourceNamespace
    ? ['scratchNamespace', f.scratchNamespace, 'is the source namespace; the drill would overwrite the live objects', 'omit it (default "<source>-restore-drill") or use another namespace']
    : undefined),
  (f) => {
    const s = f.schedule;
    const backedUp = !s.excludedNamespaces.includes(f.sourceNamespace) && (s.includedNamespaces.includes('*') || s.includedNamespaces.includes(f.sourceNamespace));
    return backedUp ? undefined : ['sourceNamespace', f.sourceNamespace, `is not backed up by schedule "${s.name}"`, 'pick a namespace the schedule backs up, or another schedule'];
  },
  (f) => (isCronProblem(f.cron) ? ['cron', f.cronText, f.cron.rule, f.cron.fix] : undefined),
  (f) => (!PINNED.test(f.image.replace(/^[^/]*\//, '')) || /:latest$/.test(f.image)
    ? ['image', f.image, 'is not pinned to a tag or digest (or is :latest)', `use e.g. "${DEFAULT_RESTORE_DRILL_IMAGE}"`]
    : undefined),
  (f) => goDurationViolation('timeout', f.timeout, 'Duration.hours(1)'),
  (f) => (f.timeout.toMilliseconds() % 1000 !== 0
    ? ['timeout in ms', f.timeout.toMilliseconds(), 'must be a whole number of seconds (kubectl\'s --timeout and the Job deadline are in seconds)', 'use e.g. Duration.hours(1)']
    : undefined),
  (f) => (f.timeout.toSeconds() < 60 ? ['timeout', `${f.timeout.toSeconds()}s`, 'is under a minute, too short for any restore', 'use e.g. Duration.hours(1)'] : undefined),
  (f) => {
    const seen = new Set<string>();
    for (let i = 0; i < f.readyWorkloads.length; i++) {
      const w = f.readyWorkloads[i];
      const error = dnsSubdomainError(w.name);
      if (error) return [`readyWorkloads[${i}].name`, w.name, error, 'use the workload\'s metadata.name, e.g. "api"'];
      const key = `${w.kind}/${w.name}`;
      if (seen.has(key)) return [`readyWorkloads[${i}]`, key, 'is listed twice', 'list each workload once'];
      seen.add(key);
      const resource = DRILL_WORKLOAD_RESOURCES[w.kind];
      if (f.excludedResources.includes(resource) || f.excludedResources.includes(resource.split('.')[0])) {
        return [`readyWorkloads[${i}]`, key, `is a ${resource} resource, which excludedResources keeps from being restored, so its pods could never become Ready`,
          `remove "${resource}" from excludedResources, or the workload from readyWorkloads`];
      }
    }
    return undefined;
  },
  (f) => apiServerCidrsViolation(f.apiServerCidrs, 'the drill'),
];

/** Throws the first rule a RestoreDrill's props break. */
export function validateRestoreDrill(id: string, facts: RestoreDrillFacts): void {
  checkRules(RESTORE_DRILL, id, RESTORE_DRILL_RULES, facts);
}

// ---------------------------------------------------------------------------------------------------------------
// BackupCheck

/** What the BackupCheck rules read. */
export interface BackupCheckFacts {
  readonly name: string;
  /** The namespace the CronJob runs in. */
  readonly namespace: string;
  /** The schedules checked: name and namespace. */
  readonly schedules: readonly { readonly name: string; readonly namespace: string }[];
  readonly cronText: string;
  readonly cron: ParsedCron | CronProblem;
  readonly image: string;
  readonly grace: Duration;
  readonly apiServerCidrs: readonly string[];
}


/** The BackupCheck rules, in the order they are checked; the first broken one is thrown. */
export const BACKUP_CHECK_RULES: readonly Rule<BackupCheckFacts>[] = [
  (f) => (f.schedules.length === 0 ? ['schedules', '[]', 'is empty, so nothing would be checked', 'pass the schedules whose backups must be fresh, e.g. policy.schedules'] : undefined),
  (f) => nameViolation('name', f.name),
  (f) => namespaceViolation('namespace', f.namespace),
  (f) => {
    const names = f.schedules.map((s) => s.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    return twice === undefined ? undefined : ['schedules', twice, 'is listed twice', 'list each schedule once'];
  },
  (f) => {
    const other = f.schedules.find((s) => s.namespace !== f.schedules[0].namespace);
    return other === undefined ? undefined : ['schedules', `${other.namespace}/${other.name}`,
      `is in another namespace than ${f.schedules[0].namespace}/${f.schedules[0].name}; the check reads Backups in one Velero namespace`, 'use one BackupCheck per Velero namespace'];
  },
  (f) => (isCronProblem(f.cron) ? ['cron', f.cronText, f.cron.rule, f.cron.fix] : undefined),
  (f) => (!PINNED.test(f.image.replace(/^[^/]*\//, '')) || /:latest$/.test(f.image)
    ? ['image', f.image, 'is not pinned to a tag or digest (or is :latest)', `use e.g. "${DEFAULT_BACKUP_CHECK_IMAGE}"`]
    : undefined),
  (f) => (f.grace.toMilliseconds() % 1000 !== 0
    ? ['grace in ms', f.grace.toMilliseconds(), 'must be a whole number of seconds', 'use e.g. Duration.hours(2)']
    : undefined),
  (f) => apiServerCidrsViolation(f.apiServerCidrs, 'the check'),
];

/** Throws the first rule a BackupCheck's props break. */
export function validateBackupCheck(id: string, facts: BackupCheckFacts): void {
  checkRules(BACKUP_CHECK, id, BACKUP_CHECK_RULES, facts);
}
