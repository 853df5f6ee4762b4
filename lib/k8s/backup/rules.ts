import { propError } from '../../private/errors';
import { dnsLabelError, dnsSubdomainError, labelValueError, qualifiedNameError } from '../../private/names';
import { checkRules, Rule } from '../../private/rules';

/**
 * Prop rules shared by the Velero constructs (schedule, locations, restore drill), table-driven where there is a
 * table, so they can be tested alone. Each returns the Error to throw, or undefined.
 */

/** The namespace Velero runs in by default, and where its custom resources live. */
export const VELERO_NAMESPACE = 'velero';

/** Checks the object name and namespace every Velero construct takes. */
export function nameError(construct: string, id: string, prop: 'name' | 'namespace', value: string): Error | undefined {
  const error = dnsLabelError(value);
  return error ? propError(construct, id, prop, value, error, `use a DNS-1123 label such as "${prop === 'name' ? 'daily' : VELERO_NAMESPACE}"`) : undefined;
}

/**
 * Checks a namespace list (`includedNamespaces` may also be exactly `["*"]`): every entry a DNS-1123 label, no
 * duplicates.
 */
export function namespaceListError(construct: string, id: string, prop: string, values: readonly string[], allowStar: boolean): Error | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < values.length; i++) {
    const ns = values[i];
    if (allowStar && ns === '*' && values.length === 1) continue;
    const error = ns === '*' ? (allowStar ? 'must be the only entry when it is "*"' : 'cannot be "*"') : dnsLabelError(ns);
    if (error) {
      return propError(construct, id, `${prop}[${i}]`, ns, error, allowStar
        ? 'use a namespace name (a DNS-1123 label), or ["*"] alone for every namespace'
        : 'use a namespace name (a DNS-1123 label)');
    }
    if (seen.has(ns)) return propError(construct, id, `${prop}[${i}]`, ns, 'is listed twice', 'list each namespace once');
    seen.add(ns);
  }
  return undefined;
}

/** Refuses a namespace (or resource) both included and excluded. */
export function overlapError(construct: string, id: string, what: 'Namespaces' | 'Resources', included: readonly string[], excluded: readonly string[]): Error | undefined {
  const both = excluded.find((x) => included.includes(x));
  if (both === undefined) return undefined;
  return propError(construct, id, `excluded${what}`, both, `is also in included${what}; a ${what === 'Namespaces' ? 'namespace' : 'resource'} cannot be both included and excluded`, `remove "${both}" from one of the two lists`);
}

/** Checks a label map (keys qualified names, values label values). */
export function labelMapError(construct: string, id: string, prop: string, labels: Readonly<Record<string, string>>): Error | undefined {
  for (const [key, value] of Object.entries(labels)) {
    const keyError = qualifiedNameError(key);
    if (keyError) return propError(construct, id, `${prop} key`, key, keyError, 'use a label key such as "app.kubernetes.io/name"');
    const valueError = labelValueError(value);
    if (valueError) return propError(construct, id, `${prop}["${key}"]`, value, valueError, 'use a label value of at most 63 alphanumerics, \'-\', \'_\' or \'.\'');
  }
  return undefined;
}

/** Why a Secret name or key is invalid, or undefined. */
export function secretRefError(construct: string, id: string, name: string, key: string): Error | undefined {
  const error = dnsSubdomainError(name);
  if (error) return propError(construct, id, 'credentials secret name', name, error, 'use the name of a Secret in Velero\'s namespace, e.g. "cloud-credentials"');
  if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) {
    return propError(construct, id, 'credentials secret key', key, 'is not a valid Secret key (alphanumerics, \'-\', \'_\' or \'.\')', 'use a key such as "cloud"');
  }
  return undefined;
}

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

/** Why a string is not an AWS region name such as `us-east-1`, or undefined. */
export function awsRegionError(construct: string, id: string, region: string): Error | undefined {
  return AWS_REGION.test(region) ? undefined
    : propError(construct, id, 'region', region, 'is not an AWS region name', 'use a region such as "us-east-1" or "eu-west-1"');
}

/** S3 bucket naming rules (general purpose buckets). */
const BUCKET_RULES: ReadonlyArray<{ readonly test: (b: string) => boolean; readonly rule: string }> = [
  { test: (b) => b.length >= 3 && b.length <= 63, rule: 'must be 3 to 63 characters' },
  { test: (b) => /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(b), rule: 'must consist of lowercase letters, digits, \'.\' and \'-\', and start and end with a letter or digit' },
  { test: (b) => !b.includes('..'), rule: 'must not contain two adjacent periods' },
  { test: (b) => !/^\d+\.\d+\.\d+\.\d+$/.test(b), rule: 'must not be formatted as an IP address' },
];

/** Why a string is not a valid S3 bucket name, or undefined. */
export function bucketError(construct: string, id: string, bucket: string): Error | undefined {
  const broken = BUCKET_RULES.find((r) => !r.test(bucket));
  return broken ? propError(construct, id, 'bucket', bucket, broken.rule, 'use the S3 bucket name only (no "s3://" and no path; put the path in prefix)') : undefined;
}

/** Why a bucket prefix is invalid (Velero wants a path without leading or trailing '/'), or undefined. */
export function prefixError(construct: string, id: string, prefix: string): Error | undefined {
  if (prefix === '' || prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('//')) {
    return propError(construct, id, 'prefix', prefix, 'must be a non-empty path without leading, trailing or doubled \'/\'', 'write e.g. "clusters/prod-use1"');
  }
  return undefined;
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
}

/** The first broken rule of a Velero location, in the order name, namespace, bucket, prefix, region, Secret. */
export function locationError(construct: string, id: string, f: VeleroLocationFacts): Error | undefined {
  return nameError(construct, id, 'name', f.name) ?? nameError(construct, id, 'namespace', f.namespace)
    ?? (f.bucket !== undefined ? bucketError(construct, id, f.bucket) : undefined)
    ?? (f.prefix !== undefined ? prefixError(construct, id, f.prefix) : undefined)
    ?? awsRegionError(construct, id, f.region)
    ?? (f.secret ? secretRefError(construct, id, f.secret.name, f.secret.key) : undefined);
}

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
  checkRules('BackupPolicy', id, BACKUP_POLICY_RULES, facts);
}
