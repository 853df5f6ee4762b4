import { Duration } from 'cdk8s';
import { propError } from '../../../lib/private/errors';
import { firstViolation, Violation } from '../../../lib/private/rules';
import {
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
