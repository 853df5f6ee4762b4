import { Duration } from 'cdk8s';
import { propError } from '../../../lib/private/errors';
import { firstViolation, Violation } from '../../../lib/private/rules';
import {
  BACKUP_CHECK_RULES, BackupCheckFacts, BACKUP_HOOK_RULES, BackupHookFacts, HookErrorMode, parseCron, RESTORE_DRILL_RULES, RestoreDrillFacts, VELERO_SCHEDULE_RULES, VeleroScheduleFacts,
  awsRegionViolation, BACKUP_POLICY_RULES, BackupPolicyFacts, bucketViolation, labelMapViolation, LOCATION_RULES, namespaceListViolation, nameViolation,
  overlapViolation, prefixViolation, secretRefViolation,
} from '../../../lib/k8s/backup';

/** A violation as construct 'X' with id 'x' would throw it. */
const message = (v: Violation | undefined) => (v ? propError('X', 'x', ...v).message : undefined);

describe('velero validation rules', () => {
  test('nameViolation: DNS-1123 labels only', () => {
    expect(nameViolation('name', 'daily')).toBeUndefined();
    expect(message(nameViolation('namespace', 'Velero'))).toBe(
      'X \'x\': namespace ("Velero") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a DNS-1123 label such as "velero"');
  });

  test.each([
    [['*'], true, undefined],
    [['api', 'consensus'], true, undefined],
    [['api', '*'], true, 'X \'x\': ns[1] ("*") must be the only entry when it is "*"; use a namespace name (a DNS-1123 label), or ["*"] alone for every namespace'],
    [['*'], false, 'X \'x\': ns[0] ("*") cannot be "*"; use a namespace name (a DNS-1123 label)'],
    [['api', 'api'], false, 'X \'x\': ns[1] ("api") is listed twice; list each namespace once'],
    [['Team_A'], false, 'X \'x\': ns[0] ("Team_A") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a namespace name (a DNS-1123 label)'],
  ])('namespaceListViolation %j (star allowed: %s)', (values, allowStar, expected) => {
    expect(message(namespaceListViolation('ns', values, allowStar))).toBe(expected);
  });

  test('overlapViolation names the first overlap', () => {
    expect(overlapViolation('Namespaces', ['a', 'b'], ['c'])).toBeUndefined();
    expect(message(overlapViolation('Resources', ['pods'], ['pods']))).toBe(
      'X \'x\': excludedResources ("pods") is also in includedResources; a resource cannot be both included and excluded; remove "pods" from one of the two lists');
  });

  test('labelMapViolation checks keys and values', () => {
    expect(labelMapViolation('l', { 'app.kubernetes.io/name': 'etcd' })).toBeUndefined();
    expect(message(labelMapViolation('l', { 'a/b/c': 'v' }))).toBe('X \'x\': l key ("a/b/c") may contain at most one \'/\'; use a label key such as "app.kubernetes.io/name"');
    expect(message(labelMapViolation('l', { app: 'a b' }))).toBe(
      'X \'x\': l["app"] ("a b") must be empty or consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric; use a label value of at most 63 alphanumerics, \'-\', \'_\' or \'.\'');
  });

  test('secretRefViolation checks the Secret name and key', () => {
    expect(secretRefViolation('cloud-credentials', 'cloud')).toBeUndefined();
    expect(message(secretRefViolation('Cloud', 'cloud'))).toBe(
      'X \'x\': credentials secret name ("Cloud") must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit; use the name of a Secret in Velero\'s namespace, e.g. "cloud-credentials"');
    expect(message(secretRefViolation('c', 'a/b'))).toBe(
      'X \'x\': credentials secret key ("a/b") is not a valid Secret key (alphanumerics, \'-\', \'_\' or \'.\'); use a key such as "cloud"');
  });

  test.each(['us-east-1', 'eu-west-1', 'ap-southeast-1', 'us-gov-west-1'])('awsRegionViolation accepts %s', (region) => {
    expect(awsRegionViolation(region)).toBeUndefined();
  });

  test('awsRegionViolation refuses a zone', () => {
    expect(message(awsRegionViolation('us-east-1a'))).toBe('X \'x\': region ("us-east-1a") is not an AWS region name; use a region such as "us-east-1" or "eu-west-1"');
  });

  const fix = 'use the S3 bucket name only (no "s3://" and no path; put the path in prefix)';
  test.each([
    ['ab', 'must be 3 to 63 characters'],
    ['s3://backups', 'must consist of lowercase letters, digits, \'.\' and \'-\', and start and end with a letter or digit'],
    ['my..bucket', 'must not contain two adjacent periods'],
    ['192.168.1.10', 'must not be formatted as an IP address'],
  ])('bucketViolation refuses %s', (bucket, rule) => {
    expect(message(bucketViolation(bucket))).toBe(`X 'x': bucket ("${bucket}") ${rule}; ${fix}`);
  });

  test('bucketViolation accepts a valid name', () => {
    expect(bucketViolation('fleetcraft-backups.prod')).toBeUndefined();
  });

  test.each(['', '/a', 'a/', 'a//b'])('prefixViolation refuses %j', (prefix) => {
    expect(message(prefixViolation(prefix))).toBe(
      `X 'x': prefix ("${prefix}") must be a non-empty path without leading, trailing or doubled '/'; write e.g. "clusters/prod-use1"`);
  });
});

describe('LOCATION_RULES', () => {
  const ok = { name: 'primary', namespace: 'velero', region: 'us-east-1' };
  const first = (facts: Parameters<(typeof LOCATION_RULES)[number]>[0]) => message(firstViolation(LOCATION_RULES, facts));
  test('a valid location, with or without a bucket and Secret, has no error', () => {
    expect(first(ok)).toBeUndefined();
    expect(first({ ...ok, bucket: 'acme-velero', prefix: 'a/b', secret: { name: 'cloud-credentials', key: 'cloud' }, kmsKeyId: 'alias/velero' })).toBeUndefined();
  });
  test('reports the first broken rule: name before region, bucket before region', () => {
    expect(first({ ...ok, name: 'Bad_Name', region: 'nowhere' })).toBe(message(nameViolation('name', 'Bad_Name')));
    expect(first({ ...ok, bucket: 'B', region: 'nowhere' })).toBe(message(bucketViolation('B')));
    expect(first({ ...ok, region: 'nowhere' })).toBe(message(awsRegionViolation('nowhere')));
  });
  test('an empty KMS key id', () => {
    expect(first({ ...ok, kmsKeyId: '' })).toBe(
      'X \'x\': kmsKeyId ("") is empty; omit it to use the bucket\'s default encryption, or give a key id, ARN or "alias/..."');
  });
  test('a Secret reference that is not two strings', () => {
    expect(first({ ...ok, secret: { name: 5, key: 'cloud' } as unknown as { name: string; key: string } })).toBe(
      'X \'x\': credentials ({"name":5,"key":"cloud"}) must name a Secret and a key with two strings; use VeleroCredentials.fromSecret("cloud-credentials", "cloud")');
  });
  test.each([
    [Duration.seconds(NaN), 'NaN'],
    [Duration.days(1e9), '86400000000000000'],
  ])('sync and validation periods Go cannot hold: %s', (period, shown) => {
    const rule = 'must be a finite, non-negative duration of at most 2562047h (the longest Go duration); use e.g. Duration.minutes(1)';
    expect(first({ ...ok, backupSyncPeriod: period })).toBe(`X 'x': backupSyncPeriod in ms (${shown}) ${rule}`);
    expect(first({ ...ok, validationFrequency: period })).toBe(`X 'x': validationFrequency in ms (${shown}) ${rule}`);
  });
  test('zero periods (disabled) are fine', () => {
    expect(first({ ...ok, backupSyncPeriod: Duration.seconds(0), validationFrequency: Duration.seconds(0) })).toBeUndefined();
  });
});

describe('BackupPolicy rules', () => {
  const ok: BackupPolicyFacts = {
    name: 'prod', longestScheduleName: 'prod-cross-region', location: { name: 'primary', region: 'us-east-1' },
    crossRegionLocation: { name: 'copy', region: 'eu-west-1' }, hourly: true, daily: true,
  };

  test('good facts break no rule; a cross-region copy alone is a schedule', () => {
    expect(firstViolation(BACKUP_POLICY_RULES, ok)).toBeUndefined();
    expect(firstViolation(BACKUP_POLICY_RULES, { ...ok, hourly: false, daily: false })).toBeUndefined();
  });

  test('each rule names the prop, the value, the rule and the fix', () => {
    expect(firstViolation(BACKUP_POLICY_RULES, { ...ok, name: 'Prod', longestScheduleName: 'Prod-cross-region' })?.slice(0, 2)).toEqual(['name', 'Prod']);
    expect(firstViolation(BACKUP_POLICY_RULES, { ...ok, crossRegionLocation: { name: 'copy', region: 'us-east-1' } })).toEqual([
      'crossRegionLocation', 'copy (us-east-1)', 'is in the same region as location "primary", so the copy would not survive a regional outage',
      'use a BackupStorageLocation whose bucket is in another region',
    ]);
    expect(firstViolation(BACKUP_POLICY_RULES, { ...ok, crossRegionLocation: undefined, hourly: false, daily: false })).toEqual([
      'hourly, daily and crossRegionLocation', 'false, false, undefined', 'leave no schedule at all', 'enable at least one of them',
    ]);
  });
});

describe('VELERO_SCHEDULE_RULES', () => {
  const ok: VeleroScheduleFacts = {
    name: 'hourly', namespace: 'velero', schedule: '0 * * * *', cron: parseCron('0 * * * *'), ttl: Duration.days(7),
    includedNamespaces: ['*'], excludedNamespaces: [], includedResources: [], excludedResources: [], labelSelector: {}, backupLabels: {},
    storageLocation: { name: 'primary', namespace: 'velero' }, volumeSnapshotLocations: ['ebs'],
  };
  const first = (facts: VeleroScheduleFacts) => message(firstViolation(VELERO_SCHEDULE_RULES, facts));

  test('good facts break no rule', () => {
    expect(first(ok)).toBeUndefined();
  });

  test('the schedule is checked before the ttl, and a ttl Go cannot hold before its interval', () => {
    expect(first({ ...ok, schedule: '0 * *', cron: parseCron('0 * *'), ttl: Duration.seconds(NaN) })).toMatch(/^X 'x': schedule \("0 \* \*"\) must have 5 fields/);
    expect(first({ ...ok, ttl: Duration.seconds(NaN) })).toBe(
      'X \'x\': ttl in ms (NaN) must be a finite, non-negative duration of at most 2562047h (the longest Go duration); use e.g. Duration.days(30)');
    expect(first({ ...ok, ttl: Duration.minutes(30) })).toBe(
      'X \'x\': ttl ("30m0s") is shorter than the longest interval between two backups of schedule "0 * * * *" (1h0m0s), so there would be times with no backup kept; use a ttl of at least 1h0m0s');
  });

  test('locations given as constructs must be in the Schedule\'s namespace; names must be DNS subdomains', () => {
    expect(first({ ...ok, storageLocation: { name: 'primary', namespace: 'backup' } })).toBe(
      'X \'x\': storageLocation ("backup/primary") is not in the Schedule\'s namespace "velero", so Velero cannot use it; create the location in the same namespace as the Schedule');
    expect(first({ ...ok, volumeSnapshotLocations: ['ebs', { name: 'ebs-eu', namespace: 'backup' }] })).toBe(
      'X \'x\': volumeSnapshotLocations ("backup/ebs-eu") is not in the Schedule\'s namespace "velero", so Velero cannot use it; create the location in the same namespace as the Schedule');
    expect(first({ ...ok, storageLocation: 'Primary' })).toBe(
      'X \'x\': storageLocation ("Primary") must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit; use the name of a BackupStorageLocation');
  });
});

describe('BACKUP_HOOK_RULES', () => {
  const hook = {
    name: 'snap', namespace: 'consensus', podLabels: { app: 'etcd' }, container: 'etcd', command: ['etcdctl'], onError: HookErrorMode.FAIL, timeout: Duration.seconds(30),
  };
  const ok: BackupHookFacts = { phase: 'pre', hook, includedNamespaces: ['*'], excludedNamespaces: [], added: [] };
  const first = (facts: BackupHookFacts) => message(firstViolation(BACKUP_HOOK_RULES, facts));

  test('good facts break no rule; a post hook of the same name and pods shares the resource', () => {
    expect(first(ok)).toBeUndefined();
    expect(first({ ...ok, phase: 'post', added: [{ phase: 'pre', hook }] })).toBeUndefined();
  });

  test('each rule names the hook, the value, the rule and the fix', () => {
    expect(first({ ...ok, hook: { ...hook, name: ' ' } })).toBe('X \'x\': hook name (" ") is empty; give every hook a name');
    expect(first({ ...ok, includedNamespaces: ['api'] })).toBe(
      'X \'x\': hook "snap" namespace ("consensus") is not in includedNamespaces (["api"]), so the hook would never run; add it to includedNamespaces, or add the hooks to the schedule that backs it up');
    expect(first({ ...ok, hook: { ...hook, command: [] } })).toBe('X \'x\': hook "snap" command ([]) is empty; give the command and its arguments');
    expect(first({ ...ok, hook: { ...hook, timeout: Duration.seconds(0) } })).toBe('X \'x\': hook "snap" timeout ("0ms") must be positive; use e.g. Duration.seconds(30)');
    expect(first({ ...ok, added: [{ phase: 'pre', hook }] })).toBe(
      'X \'x\': hook name ("snap") is used by two pre-backup hooks; give each hook a unique name (was the same provider added twice?)');
    expect(first({ ...ok, phase: 'post', added: [{ phase: 'pre', hook: { ...hook, podLabels: { app: 'other' } } }] })).toBe(
      'X \'x\': hook name ("snap") is used by a pre- and a post-backup hook that select different pods; give the two hooks different names');
  });
});

describe('RESTORE_DRILL_RULES', () => {
  const ok: RestoreDrillFacts = {
    name: 'drill', sourceNamespace: 'consensus', scratchNamespace: 'consensus-restore-drill',
    schedule: { name: 'daily', includedNamespaces: ['*'], excludedNamespaces: [] },
    cronText: '0 6 * * 1', cron: parseCron('0 6 * * 1'), image: 'registry.k8s.io/kubectl:v1.36.0', timeout: Duration.hours(1),
    readyWorkloads: [{ kind: 'Deployment', name: 'api' }], excludedResources: ['pods', 'jobs.batch'], namespace: 'backup-checks', apiServerCidrs: ['10.10.0.0/16'],
  };
  const first = (facts: RestoreDrillFacts) => message(firstViolation(RESTORE_DRILL_RULES, facts));

  test('good facts break no rule', () => {
    expect(first(ok)).toBeUndefined();
  });

  test.each([
    [{ image: 'registry.k8s.io/kubectl' }, 'image ("registry.k8s.io/kubectl") is not pinned to a tag or digest (or is :latest); use e.g. "registry.k8s.io/kubectl:v1.36.0"'],
    [{ timeout: Duration.seconds(30) }, 'timeout ("30s") is under a minute, too short for any restore; use e.g. Duration.hours(1)'],
    [{ timeout: Duration.millis(90_500) }, 'timeout in ms (90500) must be a whole number of seconds (kubectl\'s --timeout and the Job deadline are in seconds); use e.g. Duration.hours(1)'],
    [{ schedule: { name: 'daily', includedNamespaces: ['*'], excludedNamespaces: ['consensus'] } },
      'sourceNamespace ("consensus") is not backed up by schedule "daily"; pick a namespace the schedule backs up, or another schedule'],
    [{ readyWorkloads: [{ kind: 'Deployment', name: 'Api_1' }] },
      'readyWorkloads[0].name ("Api_1") must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit; use the workload\'s metadata.name, e.g. "api"'],
    [{ readyWorkloads: [{ kind: 'Deployment', name: 'api' }, { kind: 'Deployment', name: 'api' }] },
      'readyWorkloads[1] ("Deployment/api") is listed twice; list each workload once'],
    [{ excludedResources: ['deployments.apps'] },
      'readyWorkloads[0] ("Deployment/api") is a deployments.apps resource, which excludedResources keeps from being restored, so its pods could never become Ready; remove "deployments.apps" from excludedResources, or the workload from readyWorkloads'],
    [{ namespace: 'Checks' }, 'namespace ("Checks") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a namespace name (a DNS-1123 label)'],
    [{ apiServerCidrs: ['10.0.0.0'] }, 'apiServerCidrs ("10.0.0.0") is not a CIDR block; use e.g. "10.10.0.0/16"'],
    [{ readyWorkloads: [{ kind: 'StatefulSet', name: 'raft' }], excludedResources: ['statefulsets'] },
      'readyWorkloads[0] ("StatefulSet/raft") is a statefulsets.apps resource, which excludedResources keeps from being restored, so its pods could never become Ready; remove "statefulsets.apps" from excludedResources, or the workload from readyWorkloads'],
  ])('refuses %j', (change, expected) => {
    expect(first({ ...ok, ...change })).toBe(`X 'x': ${expected}`);
  });
});

describe('BACKUP_CHECK_RULES', () => {
  const ok: BackupCheckFacts = {
    name: 'backup-check', namespace: 'backup-checks',
    schedules: [{ name: 'production-hourly', namespace: 'velero' }, { name: 'production-daily', namespace: 'velero' }],
    cronText: '0 7 * * *', cron: parseCron('0 7 * * *'), image: 'node:22.12.0-alpine3.20', grace: Duration.hours(2), apiServerCidrs: ['10.10.0.0/16', '::/0'],
  };
  const first = (facts: BackupCheckFacts) => message(firstViolation(BACKUP_CHECK_RULES, facts));

  test('good facts break no rule', () => {
    expect(first(ok)).toBeUndefined();
  });

  test.each([
    [{ schedules: [] }, 'schedules ("[]") is empty, so nothing would be checked; pass the schedules whose backups must be fresh, e.g. policy.schedules'],
    [{ name: 'Check' }, 'name ("Check") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a DNS-1123 label such as "daily"'],
    [{ namespace: 'x_y' }, 'namespace ("x_y") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a namespace name (a DNS-1123 label)'],
    [{ schedules: [{ name: 'a', namespace: 'velero' }, { name: 'a', namespace: 'velero' }] }, 'schedules ("a") is listed twice; list each schedule once'],
    [{ schedules: [{ name: 'a', namespace: 'velero' }, { name: 'b', namespace: 'other' }] },
      'schedules ("other/b") is in another namespace than velero/a; the check reads Backups in one Velero namespace; use one BackupCheck per Velero namespace'],
    [{ cronText: '61 7 * * *', cron: parseCron('61 7 * * *') }, 'cron ("61 7 * * *") has minute 61 out of range 0-59; use a minute between 0 and 59'],
    [{ image: 'node:latest' }, 'image ("node:latest") is not pinned to a tag or digest (or is :latest); use e.g. "node:22.12.0-alpine3.20"'],
    [{ grace: Duration.millis(2500) }, 'grace in ms (2500) must be a whole number of seconds; use e.g. Duration.hours(2)'],
    [{ apiServerCidrs: [] }, 'apiServerCidrs ("[]") is empty, so the check could not reach the API server; omit it (anywhere) or give the API endpoint\'s range, e.g. the VPC CIDR'],
    [{ apiServerCidrs: ['vpc'] }, 'apiServerCidrs ("vpc") is not a CIDR block; use e.g. "10.10.0.0/16"'],
  ])('refuses %j', (change, expected) => {
    expect(first({ ...ok, ...change })).toBe(`X 'x': ${expected}`);
  });
});
