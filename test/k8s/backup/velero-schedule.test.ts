import { Chart, Cron, Duration, Testing } from 'cdk8s';
import { BackupHook, HookErrorMode, IBackupHookProvider } from '../../../lib/k8s/backup';
import { BackupStorageLocation } from '../../../lib/k8s/backup';
import { ARGOCD_TRACKING_LABELS, VeleroSchedule, VeleroScheduleProps } from '../../../lib/k8s/backup';
import { VolumeSnapshotLocation } from '../../../lib/k8s/backup';
import { KubeObject } from '../../../lib/policy/objects';
import { expectConformant, field, findObject, synth, testApp, testChart } from '../../util';

const hook = (overrides: Partial<BackupHook> = {}): BackupHook => ({
  name: 'raft-snapshot',
  namespace: 'consensus',
  podLabels: { 'app.kubernetes.io/name': 'etcd', 'app.kubernetes.io/instance': 'raft' },
  container: 'etcd',
  command: ['/bin/sh', '-c', 'etcdctl snapshot save /var/lib/etcd/backup.db'],
  onError: HookErrorMode.FAIL,
  timeout: Duration.minutes(2),
  ...overrides,
});

/** A stand-in for ConsensusStatefulSet: anything implementing IBackupHookProvider. */
const provider = (pre: BackupHook[], post: BackupHook[] = []): IBackupHookProvider => ({ preBackupHooks: pre, postBackupHooks: post });

const build = (props: Partial<VeleroScheduleProps> = {}) => {
  const chart = testChart();
  const schedule = new VeleroSchedule(chart, 'hourly', { schedule: '0 * * * *', ...props });
  return { chart, schedule, objects: synth(chart) };
};

/** The Backup Velero creates from a Schedule (velero `pkg/builder` `FromSchedule`), to check what it inherits. */
function backupVeleroWouldCreate(schedule: KubeObject): KubeObject {
  const spec = schedule.spec as { template: { metadata?: { labels?: Record<string, string> } } & Record<string, unknown>; useOwnerReferencesInBackup?: boolean };
  const { metadata: templateMeta, ...template } = spec.template;
  const labels = { ...(templateMeta?.labels ?? schedule.metadata?.labels ?? {}), 'velero.io/schedule-name': String(schedule.metadata?.name) };
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      name: `${String(schedule.metadata?.name)}-20260101020000`,
      namespace: schedule.metadata?.namespace,
      labels,
      annotations: schedule.metadata?.annotations,
      ...(spec.useOwnerReferencesInBackup ? { ownerReferences: [{ apiVersion: 'velero.io/v1', kind: 'Schedule', name: String(schedule.metadata?.name), uid: 'x', controller: true }] } : {}),
    },
    spec: { ...template, metadata: templateMeta },
  } as KubeObject;
}

describe('VeleroSchedule', () => {
  describe('defaults', () => {
    const { schedule, objects } = build();
    const s = findObject(objects, 'Schedule', 'hourly', 'velero');
    const t = (path: string) => field(s, `spec.template.${path}`);

    test('name defaults to the construct id; namespace to velero', () => {
      expect(schedule.name).toBe('hourly');
      expect(schedule.namespace).toBe('velero');
      expect(s.apiVersion).toBe('velero.io/v1');
      expect(field(s, 'spec.schedule')).toBe('0 * * * *');
    });

    test('ttl defaults to 720h (Velero\'s default), in Go duration format', () => {
      expect(schedule.ttl.toHours()).toBe(720);
      expect(t('ttl')).toBe('720h0m0s');
    });

    test('longestInterval is computed from the cron expression', () => {
      expect(schedule.longestInterval.toMinutes()).toBe(60);
    });

    test('includedNamespaces defaults to every namespace; nothing excluded', () => {
      expect(t('includedNamespaces')).toEqual(['*']);
      expect(t('excludedNamespaces')).toBeUndefined();
    });

    test('every resource: no included or excluded resources; includeClusterResources left to Velero', () => {
      expect(t('includedResources')).toBeUndefined();
      expect(t('excludedResources')).toBeUndefined();
      expect(t('includeClusterResources')).toBeUndefined();
    });

    test('labelSelector defaults to every object', () => {
      expect(t('labelSelector')).toBeUndefined();
    });

    test('snapshotVolumes defaults to true; defaultVolumesToFsBackup to false', () => {
      expect(t('snapshotVolumes')).toBe(true);
      expect(t('defaultVolumesToFsBackup')).toBe(false);
    });

    test('storageLocation and volumeSnapshotLocations default to Velero\'s defaults (unset)', () => {
      expect(schedule.storageLocation).toBeUndefined();
      expect(t('storageLocation')).toBeUndefined();
      expect(t('volumeSnapshotLocations')).toBeUndefined();
    });

    test('no hooks by default', () => {
      expect(t('hooks')).toBeUndefined();
    });

    test('paused defaults to false; skipImmediately to true', () => {
      expect(field(s, 'spec.paused')).toBe(false);
      expect(field(s, 'spec.skipImmediately')).toBe(true);
    });

    test('backupLabels default: velero name, backup component, managed by velero, no part-of', () => {
      expect(t('metadata.labels')).toEqual({
        'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/component': 'backup', 'app.kubernetes.io/managed-by': 'velero',
      });
    });

    test('labels on the Schedule; no part-of; metadata defaults to only the GitOps annotations', () => {
      expect(s.metadata?.labels).toEqual({
        'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/instance': 'hourly',
        'app.kubernetes.io/component': 'backup-schedule', 'app.kubernetes.io/managed-by': 'fleetcraft',
      });
      expect(s.metadata?.annotations).toEqual({
        'argocd.argoproj.io/sync-options': 'Prune=false',
        'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
      });
    });
  });

  describe('GitOps safety', () => {
    const { chart, objects } = build({ metadata: { labels: { 'argocd.argoproj.io/instance': 'backups' } } });
    const s = findObject(objects, 'Schedule', 'hourly');
    const backup = backupVeleroWouldCreate(s);

    test('Backups get no owner references (a re-created Schedule does not garbage-collect them)', () => {
      expect(field(s, 'spec.useOwnerReferencesInBackup')).toBe(false);
      expect(backup.metadata?.ownerReferences).toBeUndefined();
    });

    test('Backups never carry an Argo CD tracking label, even when the Schedule does', () => {
      for (const key of ARGOCD_TRACKING_LABELS) expect(Object.keys(backup.metadata?.labels ?? {})).not.toContain(key);
      expect(s.metadata?.labels?.['argocd.argoproj.io/instance']).toBe('backups');
    });

    test('Backups inherit Prune=false and IgnoreExtraneous, so Argo CD neither prunes them nor reports OutOfSync', () => {
      expect(backup.metadata?.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false');
      expect(backup.metadata?.annotations?.['argocd.argoproj.io/compare-options']).toBe('IgnoreExtraneous');
    });

    test('the Backup built from the template is a valid Velero v1.18 Backup', () => {
      expectConformant([backup]);
    });

    test('a sync never fires a backup: skipImmediately, no hook annotations, identical output on every synth', () => {
      expect(field(s, 'spec.skipImmediately')).toBe(true);
      const annotations = Object.keys(s.metadata?.annotations ?? {});
      expect(annotations.filter((k) => k.startsWith('helm.sh/') || k === 'argocd.argoproj.io/hook')).toEqual([]);
      expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
    });

    test('user Argo CD options are kept and Prune=false / IgnoreExtraneous added', () => {
      const { objects: o } = build({ metadata: { annotations: { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=confirm', owner: 'core' } } });
      expect(findObject(o, 'Schedule', 'hourly').metadata?.annotations).toEqual({
        'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false',
        'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
        'owner': 'core',
      });
    });
  });

  describe('overrides', () => {
    test('every prop', () => {
      const chart = testChart();
      const primary = new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups', region: 'us-east-1' });
      const ebs = new VolumeSnapshotLocation(chart, 'ebs', { region: 'us-east-1' });
      new VeleroSchedule(chart, 'nightly', {
        schedule: Cron.schedule({ minute: '30', hour: '1' }), ttl: Duration.days(14), name: 'app-nightly',
        includedNamespaces: ['api', 'consensus'], excludedNamespaces: ['kube-system'],
        includedResources: ['persistentvolumeclaims', 'deployments.apps'], excludedResources: ['events'],
        includeClusterResources: false, labelSelector: { backup: 'true' }, snapshotVolumes: false, defaultVolumesToFsBackup: true,
        storageLocation: primary, volumeSnapshotLocations: [ebs], paused: true, skipImmediately: false,
        backupLabels: { team: 'core' }, partOf: 'shop',
      });
      const s = findObject(synth(chart), 'Schedule', 'app-nightly', 'velero');
      expect(s.spec).toEqual({
        schedule: '30 1 * * *', paused: true, skipImmediately: false, useOwnerReferencesInBackup: false,
        template: {
          metadata: { labels: { team: 'core', 'app.kubernetes.io/name': 'velero', 'app.kubernetes.io/component': 'backup', 'app.kubernetes.io/managed-by': 'velero', 'app.kubernetes.io/part-of': 'shop' } },
          ttl: '336h0m0s',
          includedNamespaces: ['api', 'consensus'], excludedNamespaces: ['kube-system'],
          includedResources: ['persistentvolumeclaims', 'deployments.apps'], excludedResources: ['events'],
          includeClusterResources: false, labelSelector: { matchLabels: { backup: 'true' } },
          snapshotVolumes: false, defaultVolumesToFsBackup: true, storageLocation: 'primary', volumeSnapshotLocations: ['ebs'],
        },
      });
      expect(s.metadata?.labels?.['app.kubernetes.io/part-of']).toBe('shop');
    });

    test.each([
      [Cron.hourly(), '0 * * * *', 60],
      [Cron.daily(), '0 0 * * *', 1440],
      ['@weekly', '@weekly', 10080],
      ['  0 3 * * *  ', '0 3 * * *', 1440],
    ])('schedule %j is written as %s', (cron, written, minutes) => {
      const { schedule, objects } = build({ schedule: cron });
      expect(field(findObject(objects, 'Schedule', 'hourly'), 'spec.schedule')).toBe(written);
      expect(schedule.longestInterval.toMinutes()).toBe(minutes);
    });

    test('storage locations given by name', () => {
      const chart = testChart();
      new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups', region: 'us-east-1' });
      new VolumeSnapshotLocation(chart, 'ebs', { region: 'us-east-1' });
      new VeleroSchedule(chart, 'hourly', { schedule: '0 * * * *', storageLocation: 'primary', volumeSnapshotLocations: ['ebs'] });
      const s = findObject(synth(chart), 'Schedule', 'hourly');
      expect(field(s, 'spec.template.storageLocation')).toBe('primary');
      expect(field(s, 'spec.template.volumeSnapshotLocations')).toEqual(['ebs']);
    });

    test('no location named is fine when the app marks one default', () => {
      const chart = testChart();
      new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups', region: 'us-east-1', default: true });
      new VeleroSchedule(chart, 'hourly', { schedule: '0 * * * *' });
      expect(field(findObject(synth(chart), 'Schedule', 'hourly'), 'spec.template.storageLocation')).toBeUndefined();
    });

    test('any name is accepted when the app defines no location (it is defined elsewhere)', () => {
      const { objects } = build({ storageLocation: 'managed-elsewhere' });
      expect(field(findObject(objects, 'Schedule', 'hourly'), 'spec.template.storageLocation')).toBe('managed-elsewhere');
    });
  });

  describe('hooks', () => {
    test('hooksFrom writes pre hooks with container, command, onError, timeout, pods and namespace', () => {
      const { objects } = build({ includedNamespaces: ['consensus'], hooksFrom: [provider([hook()])] });
      expect(field(findObject(objects, 'Schedule', 'hourly'), 'spec.template.hooks')).toEqual({
        resources: [{
          name: 'raft-snapshot',
          includedNamespaces: ['consensus'],
          labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'raft', 'app.kubernetes.io/name': 'etcd' } },
          pre: [{ exec: { container: 'etcd', command: ['/bin/sh', '-c', 'etcdctl snapshot save /var/lib/etcd/backup.db'], onError: 'Fail', timeout: '2m0s' } }],
        }],
      });
    });

    test('addHooks after construction; pre and post hooks of the same name share one resource', () => {
      const chart = testChart();
      const schedule = new VeleroSchedule(chart, 'hourly', { schedule: '0 * * * *' });
      schedule.addHooks(provider(
        [hook()],
        [hook({ command: ['rm', '-f', '/var/lib/etcd/backup.db'], onError: HookErrorMode.CONTINUE, timeout: Duration.seconds(30) })],
      ));
      schedule.addHooks(provider([hook({ name: 'api-flush', namespace: 'api', podLabels: { app: 'api' }, container: 'api', command: ['flush'] })]));
      const hooks = field(findObject(synth(chart), 'Schedule', 'hourly'), 'spec.template.hooks.resources') as Array<Record<string, unknown>>;
      expect(hooks.map((h) => h.name)).toEqual(['raft-snapshot', 'api-flush']);
      expect(hooks[0].post).toEqual([{ exec: { container: 'etcd', command: ['rm', '-f', '/var/lib/etcd/backup.db'], onError: 'Continue', timeout: '30s' } }]);
      expect(hooks[1].includedNamespaces).toEqual(['api']);
    });

    const refuse = (h: BackupHook, props: Partial<VeleroScheduleProps> = {}) => () => build({ hooksFrom: [provider([h])], ...props });

    test('refuses a hook in a namespace the schedule does not include', () => {
      expect(refuse(hook(), { includedNamespaces: ['api'] })).toThrow(
        'VeleroSchedule \'hourly\': hook "raft-snapshot" namespace ("consensus") is not in includedNamespaces (["api"]), so the hook would never run; add it to includedNamespaces, or add the hooks to the schedule that backs it up');
    });

    test('refuses a hook in an excluded namespace', () => {
      expect(refuse(hook(), { excludedNamespaces: ['consensus'] })).toThrow(
        'VeleroSchedule \'hourly\': hook "raft-snapshot" namespace ("consensus") is in excludedNamespaces, so the hook would never run; remove it from excludedNamespaces, or add the hooks to the schedule that backs it up');
    });

    test('refuses the same provider added twice', () => {
      const p = provider([hook()]);
      expect(() => build({ hooksFrom: [p, p] })).toThrow(
        'VeleroSchedule \'hourly\': hook name ("raft-snapshot") is used by two pre-backup hooks; give each hook a unique name (was the same provider added twice?)');
    });

    test('refuses a pre and a post hook of one name selecting different pods', () => {
      expect(() => build({ hooksFrom: [provider([hook()], [hook({ podLabels: { app: 'other' } })])] })).toThrow(
        'VeleroSchedule \'hourly\': hook name ("raft-snapshot") is used by a pre- and a post-backup hook that select different pods; give the two hooks different names');
    });

    test.each<[string, Partial<BackupHook>, string]>([
      ['an empty name', { name: ' ' }, 'VeleroSchedule \'hourly\': hook name (" ") is empty; give every hook a name'],
      ['an invalid namespace', { namespace: 'Consensus' }, 'VeleroSchedule \'hourly\': hook "raft-snapshot" namespace ("Consensus") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a namespace name (a DNS-1123 label)'],
      ['empty pod labels', { podLabels: {} }, 'VeleroSchedule \'hourly\': hook "raft-snapshot" podLabels ({}) is empty, so the hook would run in every pod of the namespace; select the pods that hold the data'],
      ['an invalid container', { container: 'Etcd' }, 'VeleroSchedule \'hourly\': hook "raft-snapshot" container ("Etcd") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use the name of a container of the selected pods'],
      ['an empty command', { command: [] }, 'VeleroSchedule \'hourly\': hook "raft-snapshot" command ([]) is empty; give the command and its arguments'],
      ['a zero timeout', { timeout: Duration.seconds(0) }, 'VeleroSchedule \'hourly\': hook "raft-snapshot" timeout ("0ms") must be positive; use e.g. Duration.seconds(30)'],
    ])('refuses a hook with %s', (_, overrides, message) => {
      expect(refuse(hook(overrides))).toThrow(message);
    });
  });

  describe('refuses', () => {
    test('a cron expression with the wrong number of fields', () => {
      expect(() => build({ schedule: '0 0 * * * *' })).toThrow(
        'VeleroSchedule \'hourly\': schedule ("0 0 * * * *") must have 5 fields (minute hour day-of-month month day-of-week), got 6; write e.g. "0 * * * *" (hourly) or "0 2 * * *" (02:00 daily); seconds, years, time zones and @every are not supported');
    });

    test('a cron expression with an out-of-range value', () => {
      expect(() => build({ schedule: '0 25 * * *' })).toThrow(
        'VeleroSchedule \'hourly\': schedule ("0 25 * * *") has hour 25 out of range 0-23; use a hour between 0 and 23');
    });

    test('a TTL shorter than the interval (hourly kept 30 minutes)', () => {
      expect(() => build({ ttl: Duration.minutes(30) })).toThrow(
        'VeleroSchedule \'hourly\': ttl ("30m0s") is shorter than the longest interval between two backups of schedule "0 * * * *" (1h0m0s), so there would be times with no backup kept; use a ttl of at least 1h0m0s');
    });

    test('a TTL shorter than the longest interval (weekdays only, kept 1 day)', () => {
      expect(() => build({ schedule: '0 2 * * 1-5', ttl: Duration.days(1) })).toThrow(
        'VeleroSchedule \'hourly\': ttl ("24h0m0s") is shorter than the longest interval between two backups of schedule "0 2 * * 1-5" (72h0m0s), so there would be times with no backup kept; use a ttl of at least 72h0m0s');
    });

    test('a TTL equal to the interval is accepted', () => {
      expect(build({ ttl: Duration.hours(1) }).schedule.ttl.toMinutes()).toBe(60);
    });

    test('an invalid namespace name', () => {
      expect(() => build({ includedNamespaces: ['api', 'Team_A'] })).toThrow(
        'VeleroSchedule \'hourly\': includedNamespaces[1] ("Team_A") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a namespace name (a DNS-1123 label), or ["*"] alone for every namespace');
      expect(() => build({ excludedNamespaces: ['kube_system'] })).toThrow(
        'VeleroSchedule \'hourly\': excludedNamespaces[0] ("kube_system") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a namespace name (a DNS-1123 label)');
    });

    test('an invalid Schedule name or namespace', () => {
      expect(() => build({ name: 'Hourly' })).toThrow(
        'VeleroSchedule \'hourly\': name ("Hourly") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a DNS-1123 label such as "daily"');
      expect(() => build({ namespace: 'velero.io' })).toThrow(
        'VeleroSchedule \'hourly\': namespace ("velero.io") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a DNS-1123 label such as "velero"');
    });

    test('the same namespace both included and excluded', () => {
      expect(() => build({ includedNamespaces: ['api', 'consensus'], excludedNamespaces: ['consensus'] })).toThrow(
        'VeleroSchedule \'hourly\': excludedNamespaces ("consensus") is also in includedNamespaces; a namespace cannot be both included and excluded; remove "consensus" from one of the two lists');
    });

    test('the same resource both included and excluded', () => {
      expect(() => build({ includedResources: ['secrets'], excludedResources: ['secrets'] })).toThrow(
        'VeleroSchedule \'hourly\': excludedResources ("secrets") is also in includedResources; a resource cannot be both included and excluded; remove "secrets" from one of the two lists');
    });

    test('an empty includedNamespaces', () => {
      expect(() => build({ includedNamespaces: [] })).toThrow(
        'VeleroSchedule \'hourly\': includedNamespaces ([]) is empty, so nothing would be backed up; list the namespaces, or omit it for every namespace');
    });

    test('an Argo CD tracking label in backupLabels', () => {
      expect(() => build({ backupLabels: { 'app.kubernetes.io/instance': 'backups' } })).toThrow(
        'VeleroSchedule \'hourly\': backupLabels key ("app.kubernetes.io/instance") is an Argo CD tracking label; Backups carrying it can be pruned by Argo CD; use another label key');
    });

    test('an invalid labelSelector', () => {
      expect(() => build({ labelSelector: { backup: 'yes please' } })).toThrow(
        'VeleroSchedule \'hourly\': labelSelector["backup"] ("yes please") must be empty or consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric; use a label value of at most 63 alphanumerics, \'-\', \'_\' or \'.\'');
    });

    test('an invalid storage location name', () => {
      expect(() => build({ storageLocation: 'Primary' })).toThrow(
        'VeleroSchedule \'hourly\': storageLocation ("Primary") must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit; use the name of a BackupStorageLocation');
    });

    test('a location construct in another namespace', () => {
      const chart = testChart();
      const other = new BackupStorageLocation(chart, 'other', { bucket: 'fleetcraft-backups', region: 'us-east-1', namespace: 'backup' });
      const ebs = new VolumeSnapshotLocation(chart, 'ebs', { region: 'us-east-1', namespace: 'backup' });
      expect(() => new VeleroSchedule(chart, 'a', { schedule: '@hourly', storageLocation: other })).toThrow(
        'VeleroSchedule \'a\': storageLocation ("backup/other") is not in the Schedule\'s namespace "velero", so Velero cannot use it; create the location in the same namespace as the Schedule');
      expect(() => new VeleroSchedule(chart, 'b', { schedule: '@hourly', volumeSnapshotLocations: [ebs] })).toThrow(
        'VeleroSchedule \'b\': volumeSnapshotLocations ("backup/ebs") is not in the Schedule\'s namespace "velero", so Velero cannot use it; create the location in the same namespace as the Schedule');
    });

    test('a storage location no BackupStorageLocation of the app defines (at synth)', () => {
      const chart = testChart();
      new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups', region: 'us-east-1' });
      new BackupStorageLocation(chart, 'secondary', { bucket: 'fleetcraft-backups-eu', region: 'eu-west-1' });
      new VeleroSchedule(chart, 'hourly', { schedule: '0 * * * *', storageLocation: 'primry' });
      expect(() => Testing.synth(chart)).toThrow(
        'VeleroSchedule \'hourly\': storageLocation ("primry") names no BackupStorageLocation in namespace "velero" of this app (it defines velero/primary, velero/secondary); use one of those names, or define the missing BackupStorageLocation');
    });

    test('a storage location the app defines only in another chart and namespace (at synth)', () => {
      const app = testApp();
      const a = new Chart(app, 'a', { disableResourceNameHashes: true });
      const b = new Chart(app, 'b', { disableResourceNameHashes: true });
      new BackupStorageLocation(a, 'primary', { bucket: 'fleetcraft-backups', region: 'us-east-1', namespace: 'backup' });
      new VeleroSchedule(b, 'hourly', { schedule: '0 * * * *', storageLocation: 'primary' });
      expect(() => app.synth()).toThrow(
        'VeleroSchedule \'hourly\': storageLocation ("primary") names no BackupStorageLocation in namespace "velero" of this app (it defines backup/primary); use one of those names, or define the missing BackupStorageLocation');
    });

    test('no storage location when the app defines locations but none is default (at synth)', () => {
      const chart = testChart();
      new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups', region: 'us-east-1' });
      new VeleroSchedule(chart, 'hourly', { schedule: '0 * * * *' });
      expect(() => Testing.synth(chart)).toThrow(
        'VeleroSchedule \'hourly\': storageLocation (undefined) is unset and no BackupStorageLocation in namespace "velero" of this app is the default (it defines velero/primary); name a location with storageLocation, or mark one default: true');
    });

    test('a volume snapshot location no VolumeSnapshotLocation of the app defines (at synth)', () => {
      const chart = testChart();
      new VolumeSnapshotLocation(chart, 'ebs', { region: 'us-east-1' });
      new VeleroSchedule(chart, 'hourly', { schedule: '0 * * * *', volumeSnapshotLocations: ['ebs', 'ebs-eu'] });
      expect(() => Testing.synth(chart)).toThrow(
        'VeleroSchedule \'hourly\': volumeSnapshotLocations ("ebs-eu") names no VolumeSnapshotLocation in namespace "velero" of this app (it defines velero/ebs); use one of those names, or define the missing VolumeSnapshotLocation');
    });
  });
});
