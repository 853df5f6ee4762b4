import { firstViolation } from '../../../lib/private/rules';
import {
  awsRegionError, BACKUP_POLICY_RULES, BackupPolicyFacts, bucketError, labelMapError, locationError, namespaceListError, nameError, overlapError, prefixError, secretRefError,
} from '../../../lib/k8s/backup';

const message = (e: Error | undefined) => e?.message;

describe('velero validation rules', () => {
  test('nameError: DNS-1123 labels only', () => {
    expect(nameError('X', 'x', 'name', 'daily')).toBeUndefined();
    expect(message(nameError('X', 'x', 'namespace', 'Velero'))).toBe(
      'X \'x\': namespace ("Velero") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a DNS-1123 label such as "velero"');
  });

  test.each([
    [['*'], true, undefined],
    [['api', 'consensus'], true, undefined],
    [['api', '*'], true, 'X \'x\': ns[1] ("*") must be the only entry when it is "*"; use a namespace name (a DNS-1123 label), or ["*"] alone for every namespace'],
    [['*'], false, 'X \'x\': ns[0] ("*") cannot be "*"; use a namespace name (a DNS-1123 label)'],
    [['api', 'api'], false, 'X \'x\': ns[1] ("api") is listed twice; list each namespace once'],
    [['Team_A'], false, 'X \'x\': ns[0] ("Team_A") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a namespace name (a DNS-1123 label)'],
  ])('namespaceListError %j (star allowed: %s)', (values, allowStar, expected) => {
    expect(message(namespaceListError('X', 'x', 'ns', values, allowStar))).toBe(expected);
  });

  test('overlapError names the first overlap', () => {
    expect(overlapError('X', 'x', 'Namespaces', ['a', 'b'], ['c'])).toBeUndefined();
    expect(message(overlapError('X', 'x', 'Resources', ['pods'], ['pods']))).toBe(
      'X \'x\': excludedResources ("pods") is also in includedResources; a resource cannot be both included and excluded; remove "pods" from one of the two lists');
  });

  test('labelMapError checks keys and values', () => {
    expect(labelMapError('X', 'x', 'l', { 'app.kubernetes.io/name': 'etcd' })).toBeUndefined();
    expect(message(labelMapError('X', 'x', 'l', { 'a/b/c': 'v' }))).toBe('X \'x\': l key ("a/b/c") may contain at most one \'/\'; use a label key such as "app.kubernetes.io/name"');
    expect(message(labelMapError('X', 'x', 'l', { app: 'a b' }))).toBe(
      'X \'x\': l["app"] ("a b") must be empty or consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric; use a label value of at most 63 alphanumerics, \'-\', \'_\' or \'.\'');
  });

  test('secretRefError checks the Secret name and key', () => {
    expect(secretRefError('X', 'x', 'cloud-credentials', 'cloud')).toBeUndefined();
    expect(message(secretRefError('X', 'x', 'Cloud', 'cloud'))).toBe(
      'X \'x\': credentials secret name ("Cloud") must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit; use the name of a Secret in Velero\'s namespace, e.g. "cloud-credentials"');
    expect(message(secretRefError('X', 'x', 'c', 'a/b'))).toBe(
      'X \'x\': credentials secret key ("a/b") is not a valid Secret key (alphanumerics, \'-\', \'_\' or \'.\'); use a key such as "cloud"');
  });

  test.each(['us-east-1', 'eu-west-1', 'ap-southeast-1', 'us-gov-west-1'])('awsRegionError accepts %s', (region) => {
    expect(awsRegionError('X', 'x', region)).toBeUndefined();
  });

  test('awsRegionError refuses a zone', () => {
    expect(message(awsRegionError('X', 'x', 'us-east-1a'))).toBe('X \'x\': region ("us-east-1a") is not an AWS region name; use a region such as "us-east-1" or "eu-west-1"');
  });

  const fix = 'use the S3 bucket name only (no "s3://" and no path; put the path in prefix)';
  test.each([
    ['ab', 'must be 3 to 63 characters'],
    ['s3://backups', 'must consist of lowercase letters, digits, \'.\' and \'-\', and start and end with a letter or digit'],
    ['my..bucket', 'must not contain two adjacent periods'],
    ['192.168.1.10', 'must not be formatted as an IP address'],
  ])('bucketError refuses %s', (bucket, rule) => {
    expect(message(bucketError('X', 'x', bucket))).toBe(`X 'x': bucket ("${bucket}") ${rule}; ${fix}`);
  });

  test('bucketError accepts a valid name', () => {
    expect(bucketError('X', 'x', 'fleetcraft-backups.prod')).toBeUndefined();
  });

  test.each(['', '/a', 'a/', 'a//b'])('prefixError refuses %j', (prefix) => {
    expect(message(prefixError('X', 'x', prefix))).toBe(
      `X 'x': prefix ("${prefix}") must be a non-empty path without leading, trailing or doubled '/'; write e.g. "clusters/prod-use1"`);
  });
});

describe('locationError', () => {
  const ok = { name: 'primary', namespace: 'velero', region: 'us-east-1' };
  test('a valid location, with or without a bucket and Secret, has no error', () => {
    expect(locationError('L', 'x', ok)).toBeUndefined();
    expect(locationError('L', 'x', { ...ok, bucket: 'acme-velero', prefix: 'a/b', secret: { name: 'cloud-credentials', key: 'cloud' } })).toBeUndefined();
  });
  test('reports the first broken rule: name before region, bucket before region', () => {
    expect(locationError('L', 'x', { ...ok, name: 'Bad_Name', region: 'nowhere' })?.message).toBe(nameError('L', 'x', 'name', 'Bad_Name')?.message);
    expect(locationError('L', 'x', { ...ok, bucket: 'B', region: 'nowhere' })?.message).toBe(bucketError('L', 'x', 'B')?.message);
    expect(locationError('L', 'x', { ...ok, region: 'nowhere' })?.message).toBe(awsRegionError('L', 'x', 'nowhere')?.message);
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
