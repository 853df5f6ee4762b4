import { Duration, Testing } from 'cdk8s';
import { BackupStorageAccessMode, BackupStorageLocation, BackupStorageLocationProps, VeleroCredentials } from '../../../lib/k8s/backup';
import { field, findObject, synth, testChart } from '../../util';

const build = (props: Partial<BackupStorageLocationProps> = {}) => {
  const chart = testChart();
  const location = new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups', region: 'us-east-1', ...props });
  return { chart, location, objects: synth(chart) };
};

describe('BackupStorageLocation', () => {
  describe('defaults', () => {
    const { location, objects } = build();
    const bsl = findObject(objects, 'BackupStorageLocation', 'primary', 'velero');

    test('name defaults to the construct id; namespace to velero', () => {
      expect(location.name).toBe('primary');
      expect(location.namespace).toBe('velero');
      expect(bsl.apiVersion).toBe('velero.io/v1');
    });

    test('AWS provider, bucket at its root (no prefix), region in config, no KMS key', () => {
      expect(field(bsl, 'spec.provider')).toBe('aws');
      expect(field(bsl, 'spec.objectStorage')).toEqual({ bucket: 'fleetcraft-backups' });
      expect(field(bsl, 'spec.config')).toEqual({ region: 'us-east-1' });
    });

    test('credentials default to the service-account role: no credential field', () => {
      expect(field(bsl, 'spec.credential')).toBeUndefined();
    });

    test('default is false; accessMode ReadWrite', () => {
      expect(location.isDefault).toBe(false);
      expect(field(bsl, 'spec.default')).toBe(false);
      expect(field(bsl, 'spec.accessMode')).toBe('ReadWrite');
    });

    test('backupSyncPeriod and validationFrequency default to the server settings (unset)', () => {
      expect(field(bsl, 'spec.backupSyncPeriod')).toBeUndefined();
      expect(field(bsl, 'spec.validationFrequency')).toBeUndefined();
    });

    test('labels; no part-of; metadata none', () => {
      expect(bsl.metadata?.labels).toEqual({
        'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/instance': 'primary',
        'app.kubernetes.io/component': 'backup-storage-location', 'app.kubernetes.io/managed-by': 'fleetcraft',
      });
      expect(bsl.metadata?.annotations).toBeUndefined();
    });
  });

  test('overrides', () => {
    const { objects } = build({
      name: 'eu-copy', namespace: 'backup', bucket: 'fleetcraft-backups-eu', prefix: 'clusters/prod', region: 'eu-west-1',
      kmsKeyId: 'alias/velero', credentials: VeleroCredentials.fromSecret('cloud-credentials'), default: true,
      accessMode: BackupStorageAccessMode.READ_ONLY, backupSyncPeriod: Duration.minutes(5), validationFrequency: Duration.seconds(0),
      partOf: 'shop', metadata: { labels: { team: 'core', 'app.kubernetes.io/name': 'x' }, annotations: { owner: 'core' } },
    });
    const bsl = findObject(objects, 'BackupStorageLocation', 'eu-copy', 'backup');
    expect(bsl.spec).toEqual({
      provider: 'aws',
      objectStorage: { bucket: 'fleetcraft-backups-eu', prefix: 'clusters/prod' },
      config: { region: 'eu-west-1', kmsKeyId: 'alias/velero' },
      credential: { name: 'cloud-credentials', key: 'cloud' },
      default: true,
      accessMode: 'ReadOnly',
      backupSyncPeriod: '5m0s',
      validationFrequency: '0ms',
    });
    expect(bsl.metadata?.labels).toEqual(expect.objectContaining({ team: 'core', 'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/part-of': 'shop' }));
    expect(bsl.metadata?.annotations).toEqual({ owner: 'core' });
  });

  test('fromSecret takes another key', () => {
    const { objects } = build({ credentials: VeleroCredentials.fromSecret('aws', 'credentials') });
    expect(field(findObject(objects, 'BackupStorageLocation', 'primary'), 'spec.credential')).toEqual({ name: 'aws', key: 'credentials' });
  });

  test('allIn finds every location in the app', () => {
    const chart = testChart();
    const a = new BackupStorageLocation(chart, 'a', { bucket: 'bucket-a', region: 'us-east-1' });
    const b = new BackupStorageLocation(chart, 'b', { bucket: 'bucket-b', region: 'eu-west-1' });
    expect(BackupStorageLocation.allIn(chart.node.root)).toEqual([a, b]);
  });

  describe('refuses', () => {
    test('a name that is not a DNS label', () => {
      expect(() => build({ name: 'Primary' })).toThrow(
        'BackupStorageLocation \'primary\': name ("Primary") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a DNS-1123 label such as "daily"');
    });

    test('an invalid namespace', () => {
      expect(() => build({ namespace: 'velero_ns' })).toThrow(
        'BackupStorageLocation \'primary\': namespace ("velero_ns") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a DNS-1123 label such as "velero"');
    });

    test('a bucket URL', () => {
      expect(() => build({ bucket: 's3://backups' })).toThrow(
        'BackupStorageLocation \'primary\': bucket ("s3://backups") must consist of lowercase letters, digits, \'.\' and \'-\', and start and end with a letter or digit; use the S3 bucket name only (no "s3://" and no path; put the path in prefix)');
    });

    test('a prefix with a leading slash', () => {
      expect(() => build({ prefix: '/prod' })).toThrow(
        'BackupStorageLocation \'primary\': prefix ("/prod") must be a non-empty path without leading, trailing or doubled \'/\'; write e.g. "clusters/prod-use1"');
    });

    test('an availability zone for a region', () => {
      expect(() => build({ region: 'us-east-1a' })).toThrow(
        'BackupStorageLocation \'primary\': region ("us-east-1a") is not an AWS region name; use a region such as "us-east-1" or "eu-west-1"');
    });

    test('an empty KMS key', () => {
      expect(() => build({ kmsKeyId: ' ' })).toThrow(
        'BackupStorageLocation \'primary\': kmsKeyId (" ") is empty; omit it to use the bucket\'s default encryption, or give a key id, ARN or "alias/..."');
    });

    test('an invalid credentials Secret', () => {
      expect(() => build({ credentials: VeleroCredentials.fromSecret('Cloud') })).toThrow(
        'BackupStorageLocation \'primary\': credentials secret name ("Cloud") must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit; use the name of a Secret in Velero\'s namespace, e.g. "cloud-credentials"');
    });

    test('two default locations in one namespace (at synth)', () => {
      const chart = testChart();
      new BackupStorageLocation(chart, 'a', { bucket: 'bucket-a', region: 'us-east-1', default: true });
      new BackupStorageLocation(chart, 'b', { bucket: 'bucket-b', region: 'us-east-1', default: true });
      expect(() => Testing.synth(chart)).toThrow(
        'BackupStorageLocation \'a\': default (true) is also set on velero/b; Velero uses one default location per namespace, so mark only one as default');
    });
  });

  test('default locations in different namespaces are fine', () => {
    const chart = testChart();
    new BackupStorageLocation(chart, 'a', { bucket: 'bucket-a', region: 'us-east-1', default: true });
    new BackupStorageLocation(chart, 'b', { bucket: 'bucket-b', region: 'us-east-1', default: true, namespace: 'velero-2' });
    expect(synth(chart).length).toBe(2);
  });
});
