import { JsonPatch, Testing } from 'cdk8s';
import {
  VELERO_API_VERSION, VeleroBackupStorageLocationResource, VeleroRestoreResource, VeleroScheduleResource, VeleroScheduleSpec,
  VeleroVolumeSnapshotLocationResource,
} from '../../../lib/k8s/resources/velero';
import { checkConformance } from '../../../lib/policy/conformance';
import { KubeObject } from '../../../lib/policy/objects';
import { describeWithSchemas, field, findObject, schemaRegistry, synth, testChart } from '../../util';

const SCHEDULE_SPEC: VeleroScheduleSpec = {
  schedule: '0 2 * * *',
  paused: false,
  skipImmediately: true,
  useOwnerReferencesInBackup: false,
  template: {
    metadata: { labels: { 'app.kubernetes.io/managed-by': 'fleetcraft' } },
    includedNamespaces: ['shop', 'consensus'],
    excludedNamespaces: ['kube-system'],
    includedResources: ['*'],
    excludedResources: ['events', 'events.events.k8s.io'],
    includeClusterResources: false,
    labelSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'shop' } },
    snapshotVolumes: true,
    defaultVolumesToFsBackup: false,
    storageLocation: 'default',
    volumeSnapshotLocations: ['aws-eu-west-1'],
    ttl: '720h0m0s',
    hooks: {
      resources: [{
        name: 'etcd-snapshot',
        includedNamespaces: ['consensus'],
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'etcd' } },
        pre: [{ exec: { container: 'etcd', command: ['/bin/sh', '-c', 'etcdctl snapshot save /var/lib/etcd/backup.db'], onError: 'Fail', timeout: '60s' } }],
        post: [{ exec: { command: ['/bin/rm', '-f', '/var/lib/etcd/backup.db'], onError: 'Continue' } }],
      }],
    },
  },
};

describe('Velero resources', () => {
  test('the API version is velero.io/v1', () => {
    expect(VELERO_API_VERSION).toBe('velero.io/v1');
  });

  test('Schedule: a daily backup with hooks conforms', () => {
    const chart = testChart();
    new VeleroScheduleResource(chart, 'Schedule', { metadata: { name: 'daily', namespace: 'velero' }, spec: SCHEDULE_SPEC });
    const schedule = findObject(synth(chart), 'Schedule', 'daily', 'velero');
    expect(schedule.apiVersion).toBe('velero.io/v1');
    expect(schedule.spec).toEqual(SCHEDULE_SPEC);
  });

  test('BackupStorageLocation: an S3 bucket with credentials conforms', () => {
    const chart = testChart();
    new VeleroBackupStorageLocationResource(chart, 'Bsl', {
      metadata: { name: 'default', namespace: 'velero' },
      spec: {
        provider: 'aws',
        objectStorage: { bucket: 'fleet-backups', prefix: 'production/eu-west-1' },
        config: { region: 'eu-west-1', s3ForcePathStyle: 'false' },
        credential: { name: 'cloud-credentials', key: 'cloud' },
        default: true,
        accessMode: 'ReadWrite',
        backupSyncPeriod: '1m0s',
        validationFrequency: '1h0m0s',
      },
    });
    const bsl = findObject(synth(chart), 'BackupStorageLocation', 'default', 'velero');
    expect(bsl.apiVersion).toBe('velero.io/v1');
    expect(field(bsl, 'spec.objectStorage')).toEqual({ bucket: 'fleet-backups', prefix: 'production/eu-west-1' });
  });

  test('VolumeSnapshotLocation: an AWS region conforms', () => {
    const chart = testChart();
    new VeleroVolumeSnapshotLocationResource(chart, 'Vsl', {
      metadata: { name: 'aws-eu-west-1', namespace: 'velero' },
      spec: { provider: 'aws', config: { region: 'eu-west-1' }, credential: { name: 'cloud-credentials', key: 'cloud' } },
    });
    const vsl = findObject(synth(chart), 'VolumeSnapshotLocation', 'aws-eu-west-1', 'velero');
    expect(field(vsl, 'spec.config.region')).toBe('eu-west-1');
  });

  test('Restore: a schedule restored into another namespace conforms', () => {
    const chart = testChart();
    new VeleroRestoreResource(chart, 'Restore', {
      metadata: { name: 'drill', namespace: 'velero' },
      spec: {
        scheduleName: 'daily',
        includedNamespaces: ['shop'],
        excludedResources: ['nodes', 'events'],
        namespaceMapping: { shop: 'shop-drill' },
        restorePVs: true,
        includeClusterResources: false,
        existingResourcePolicy: 'none',
      },
    });
    const restore = findObject(synth(chart), 'Restore', 'drill', 'velero');
    expect(field(restore, 'spec.namespaceMapping')).toEqual({ shop: 'shop-drill' });
  });

  test('Restore: from a named backup conforms', () => {
    const chart = testChart();
    new VeleroRestoreResource(chart, 'Restore', { metadata: { name: 'from-backup', namespace: 'velero' }, spec: { backupName: 'daily-20250101020000', existingResourcePolicy: 'update' } });
    expect(field(findObject(synth(chart), 'Restore', 'from-backup', 'velero'), 'spec.backupName')).toBe('daily-20250101020000');
  });
});

describeWithSchemas('Velero schemas catch misspelt fields', () => {
  test('a misspelt Backup template field is an unknown field', () => {
    const chart = testChart();
    const schedule = new VeleroScheduleResource(chart, 'Schedule', { metadata: { name: 'daily', namespace: 'velero' }, spec: SCHEDULE_SPEC });
    schedule.addJsonPatch(JsonPatch.add('/spec/template/includeNamespaces', ['shop']));
    expect(checkConformance(Testing.synth(chart) as KubeObject[], schemaRegistry())).toEqual([{
      rule: 'schema', severity: 'error', object: 'Schedule velero/daily', path: 'spec.template',
      message: 'unknown field "includeNamespaces" (not in the schema; check its spelling and placement)',
    }]);
  });

  test('a misspelt exec hook field is an unknown field', () => {
    const chart = testChart();
    const schedule = new VeleroScheduleResource(chart, 'Schedule', { metadata: { name: 'daily', namespace: 'velero' }, spec: SCHEDULE_SPEC });
    schedule.addJsonPatch(JsonPatch.add('/spec/template/hooks/resources/0/pre/0/exec/timout', '30s'));
    expect(checkConformance(Testing.synth(chart) as KubeObject[], schemaRegistry())).toEqual([{
      rule: 'schema', severity: 'error', object: 'Schedule velero/daily', path: 'spec.template.hooks.resources[0].pre[0].exec',
      message: 'unknown field "timout" (not in the schema; check its spelling and placement)',
    }]);
  });

  test('a wrong enum value is caught', () => {
    const chart = testChart();
    const bsl = new VeleroBackupStorageLocationResource(chart, 'Bsl', {
      metadata: { name: 'default', namespace: 'velero' }, spec: { provider: 'aws', objectStorage: { bucket: 'fleet-backups' } },
    });
    bsl.addJsonPatch(JsonPatch.add('/spec/accessMode', 'readwrite'));
    expect(checkConformance(Testing.synth(chart) as KubeObject[], schemaRegistry())).toEqual([{
      rule: 'schema', severity: 'error', object: 'BackupStorageLocation velero/default', path: 'spec.accessMode',
      message: 'must be equal to one of the allowed values: ["ReadOnly","ReadWrite"]',
    }]);
  });
});
