import { Duration } from 'cdk8s';
import { HookErrorMode } from '../../../lib/k8s/backup';
import { BackupPolicy, BackupPolicyProps } from '../../../lib/k8s/backup';
import { BackupStorageLocation } from '../../../lib/k8s/backup';
import { VolumeSnapshotLocation } from '../../../lib/k8s/backup';
import { field, findAll, findObject, synth, testChart } from '../../util';

const build = (props: Partial<BackupPolicyProps> = {}, withCross = false) => {
  const chart = testChart();
  const location = new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups-use1', region: 'us-east-1', default: true });
  const cross = withCross ? new BackupStorageLocation(chart, 'dr', { bucket: 'fleetcraft-backups-euw1', region: 'eu-west-1' }) : undefined;
  const policy = new BackupPolicy(chart, 'backups', { location, crossRegionLocation: cross, ...props });
  return { chart, policy, objects: synth(chart) };
};

describe('BackupPolicy', () => {
  describe('defaults', () => {
    const { policy, objects } = build();

    test('hourly and daily default to true; no cross-region copy without a location', () => {
      expect(policy.schedules.map((s) => s.name)).toEqual(['backups-hourly', 'backups-daily']);
      expect(policy.crossRegion).toBeUndefined();
      expect(findAll(objects, 'Schedule').map((o) => o.metadata?.name).sort()).toEqual(['backups-daily', 'backups-hourly']);
    });

    test('name defaults to the construct id (used as the Schedule name prefix)', () => {
      expect(policy.hourly?.name).toBe('backups-hourly');
    });

    test('hourly kept 7 days, to the primary location', () => {
      const s = findObject(objects, 'Schedule', 'backups-hourly', 'velero');
      expect(field(s, 'spec.schedule')).toBe('0 * * * *');
      expect(field(s, 'spec.template.ttl')).toBe('168h0m0s');
      expect(field(s, 'spec.template.storageLocation')).toBe('primary');
      expect(field(s, 'spec.template.snapshotVolumes')).toBe(true);
    });

    test('daily full backup at 02:00 kept 30 days, cluster resources included', () => {
      const s = findObject(objects, 'Schedule', 'backups-daily', 'velero');
      expect(field(s, 'spec.schedule')).toBe('0 2 * * *');
      expect(field(s, 'spec.template.ttl')).toBe('720h0m0s');
      expect(field(s, 'spec.template.includeClusterResources')).toBe(true);
      expect(field(s, 'spec.template.storageLocation')).toBe('primary');
    });

    test('includedNamespaces defaults to every namespace, none excluded; no snapshot location, hooks or part-of', () => {
      for (const s of findAll(objects, 'Schedule')) {
        expect(field(s, 'spec.template.includedNamespaces')).toEqual(['*']);
        expect(field(s, 'spec.template.excludedNamespaces')).toBeUndefined();
        expect(field(s, 'spec.template.volumeSnapshotLocations')).toBeUndefined();
        expect(field(s, 'spec.template.hooks')).toBeUndefined();
        expect(s.metadata?.labels?.['app.kubernetes.io/part-of']).toBeUndefined();
      }
    });
  });

  describe('the trio', () => {
    const { policy, objects } = build({}, true);

    test('three Schedules, each naming a location the app defines, all conformant', () => {
      expect(policy.schedules.map((s) => s.storageLocation)).toEqual(['primary', 'primary', 'dr']);
      expect(findAll(objects, 'BackupStorageLocation').map((o) => o.metadata?.name).sort()).toEqual(['dr', 'primary']);
    });

    test('daily copy to the other region at 03:00 kept 90 days, volumes by file-system backup', () => {
      const s = findObject(objects, 'Schedule', 'backups-cross-region', 'velero');
      expect(field(s, 'spec.schedule')).toBe('0 3 * * *');
      expect(field(s, 'spec.template.ttl')).toBe('2160h0m0s');
      expect(field(s, 'spec.template.storageLocation')).toBe('dr');
      expect(field(s, 'spec.template.snapshotVolumes')).toBe(false);
      expect(field(s, 'spec.template.defaultVolumesToFsBackup')).toBe(true);
      expect(field(s, 'spec.template.includeClusterResources')).toBe(true);
    });

    test('every schedule is GitOps-safe', () => {
      for (const s of findAll(objects, 'Schedule')) {
        expect(field(s, 'spec.useOwnerReferencesInBackup')).toBe(false);
        expect(field(s, 'spec.skipImmediately')).toBe(true);
        expect(s.metadata?.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false');
      }
    });
  });

  test('overrides: name, namespaces, snapshot location, hooks, part-of, hourly off', () => {
    const chart = testChart();
    const location = new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups-use1', region: 'us-east-1' });
    const ebs = new VolumeSnapshotLocation(chart, 'ebs', { region: 'us-east-1' });
    const hooks = {
      preBackupHooks: [{
        name: 'raft-snapshot', namespace: 'consensus', podLabels: { app: 'raft' }, container: 'etcd',
        command: ['etcdctl', 'snapshot', 'save', '/data/snap.db'], onError: HookErrorMode.FAIL, timeout: Duration.minutes(1),
      }],
      postBackupHooks: [],
    };
    const policy = new BackupPolicy(chart, 'backups', {
      location, name: 'prod', hourly: false, snapshotLocation: ebs, includedNamespaces: ['consensus', 'api'], excludedNamespaces: [],
      hooksFrom: [hooks], partOf: 'shop',
    });
    const objects = synth(chart);
    expect(policy.hourly).toBeUndefined();
    const s = findObject(objects, 'Schedule', 'prod-daily');
    expect(field(s, 'spec.template.includedNamespaces')).toEqual(['consensus', 'api']);
    expect(field(s, 'spec.template.volumeSnapshotLocations')).toEqual(['ebs']);
    expect(field(s, 'spec.template.hooks.resources.0.name')).toBe('raft-snapshot');
    expect(s.metadata?.labels?.['app.kubernetes.io/part-of']).toBe('shop');
  });

  test('locations in another namespace put the schedules there', () => {
    const chart = testChart();
    const location = new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups-use1', region: 'us-east-1', namespace: 'backup' });
    new BackupPolicy(chart, 'backups', { location, daily: false });
    expect(findObject(synth(chart), 'Schedule', 'backups-hourly').metadata?.namespace).toBe('backup');
  });

  describe('refuses', () => {
    test('a cross-region location in the same region', () => {
      const chart = testChart();
      const location = new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups-use1', region: 'us-east-1' });
      const same = new BackupStorageLocation(chart, 'dr', { bucket: 'fleetcraft-backups-use1-b', region: 'us-east-1' });
      expect(() => new BackupPolicy(chart, 'backups', { location, crossRegionLocation: same })).toThrow(
        'BackupPolicy \'backups\': crossRegionLocation ("dr (us-east-1)") is in the same region as location "primary", so the copy would not survive a regional outage; use a BackupStorageLocation whose bucket is in another region');
    });

    test('a name too long for the longest Schedule name', () => {
      expect(() => build({ name: 'a'.repeat(51) })).toThrow(
        `BackupPolicy 'backups': name ("${'a'.repeat(51)}") must be at most 63 characters (got 64) (checked as "${'a'.repeat(51)}-cross-region", the longest Schedule name); use a short DNS-1123 label such as "backups"`);
    });

    test('no schedule at all', () => {
      expect(() => build({ hourly: false, daily: false })).toThrow(
        'BackupPolicy \'backups\': hourly, daily and crossRegionLocation ("false, false, undefined") leave no schedule at all; enable at least one of them');
    });
  });
});
