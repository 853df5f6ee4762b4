import { Duration } from 'cdk8s';
import {
  BackupHook, BackupPolicy, BackupStorageLocation, HookErrorMode, RestoreDrill, VeleroSchedule, VolumeSnapshotLocation,
} from '../../../lib/k8s/backup';
import { testChart } from '../../util';

/**
 * Props from plain JavaScript: every prop is checked for its type and range before use, unknown keys are refused
 * with the nearest known name, and each refusal has its exact message.
 */

/** Calls a constructor with props TypeScript would refuse, as plain JavaScript could. */
type Loose = Record<string, unknown> | null | undefined;
const schedule = (props: Loose) => () => new VeleroSchedule(testChart(), 'x', props as never);
const storage = (props: Loose) => () => new BackupStorageLocation(testChart(), 'p', props as never);
const snapshots = (props: Loose) => () => new VolumeSnapshotLocation(testChart(), 'ebs', props as never);

const hook: BackupHook = {
  name: 'raft-snapshot', namespace: 'consensus', podLabels: { 'app.kubernetes.io/name': 'etcd' }, container: 'etcd',
  command: ['etcdctl', 'snapshot', 'save', '/var/lib/etcd/backup.db'], onError: HookErrorMode.FAIL, timeout: Duration.minutes(2),
};

describe('VeleroSchedule props guard', () => {
  const ok = { schedule: '0 * * * *' };
  test.each([
    ['a number where a Duration is due', { ...ok, ttl: 5 }, 'ttl (5) must be a Duration, not a number; build one with Duration.seconds(30)'],
    ['a number where a Cron or expression is due', { schedule: 5 }, 'schedule (5) must be a Cron or a string, not a number; pass one of those'],
    ['a string where a label map is due', { ...ok, labelSelector: 'A=1' }, 'labelSelector ("A=1") must be an object of names to values, not a string; pass { name: value }'],
    ['a number in a label map', { ...ok, backupLabels: { team: 1 } }, 'backupLabels.team (1) must be a string, not a number; pass text'],
    ['a string where a list is due', { ...ok, includedNamespaces: 'api' }, 'includedNamespaces ("api") must be a list, not a string; pass an array'],
    ['an out-of-range number where a name is due', { ...ok, name: 1e308 }, 'name (1e+308) must be a string, not a number; pass text'],
    ['a BigInt where a name is due', { ...ok, namespace: BigInt(10) }, 'namespace (10n) must be a string, not a bigint; pass text'],
    ['a plain object where a location is due', { ...ok, storageLocation: {} }, 'storageLocation ({}) must be a BackupStorageLocation or a string, not an object; pass one of those'],
    ['a number where a hook provider is due', { ...ok, hooksFrom: [5] },
      'hooksFrom[0] (5) must be an IBackupHookProvider such as a ConsensusStatefulSet, not a number; pass an IBackupHookProvider such as a ConsensusStatefulSet'],
    ['a string where a boolean is due', { ...ok, paused: 'false' }, 'paused ("false") must be true or false, not a string; pass a boolean'],
    ['a part-of that is no label value', { ...ok, partOf: 'my shop' },
      'partOf ("my shop") must be a label value (alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric); fix the value'],
    ['a string where metadata is due', { ...ok, metadata: 'x' }, 'metadata ("x") must be an object, not a string; pass { ... } with the documented fields'],
    ['a misspelt key', { ...ok, snapshotVolume: false }, 'snapshotVolume (false) is not a known prop; did you mean "snapshotVolumes"?'],
    ['a misspelt required key', { schedul: '0 * * * *' }, 'schedul ("0 * * * *") is not a known prop; did you mean "schedule"?'],
    ['the required schedule missing', {}, 'schedule (undefined) is required; pass it (see its documentation)'],
    ['props not an object', null, 'props (null) must be an object, not null; pass { ... } with the documented props'],
  ])('refuses %s', (_what, props, message) => {
    expect(schedule(props)).toThrow(`VeleroSchedule 'x': ${message}`);
  });

  test('a Duration Go cannot hold (NaN, or beyond 2562047h) is refused by the ttl rule', () => {
    const rule = 'must be a finite, non-negative duration of at most 2562047h (the longest Go duration); use e.g. Duration.days(30)';
    expect(schedule({ ...ok, ttl: Duration.seconds(NaN) })).toThrow(`VeleroSchedule 'x': ttl in ms (NaN) ${rule}`);
    expect(schedule({ ...ok, ttl: Duration.days(1e9) })).toThrow(`VeleroSchedule 'x': ttl in ms (86400000000000000) ${rule}`);
  });

  test('the hooks a provider offers are checked too, through hooksFrom and addHooks', () => {
    const offering = (h: Record<string, unknown>) => ({ preBackupHooks: [h], postBackupHooks: [] });
    expect(schedule({ ...ok, hooksFrom: [offering({ ...hook, timeout: 30 })] })).toThrow(
      'VeleroSchedule \'x\': preBackupHooks[0].timeout (30) must be a Duration, not a number; build one with Duration.seconds(30)');
    expect(schedule({ ...ok, hooksFrom: [offering({ ...hook, podLabel: {} })] })).toThrow(
      'VeleroSchedule \'x\': preBackupHooks[0].podLabel ({}) is not a known prop; did you mean "podLabels"?');
    expect(schedule({ ...ok, hooksFrom: [offering({ ...hook, command: 'etcdctl snapshot save' })] })).toThrow(
      'VeleroSchedule \'x\': preBackupHooks[0].command ("etcdctl snapshot save") must be a list, not a string; pass an array');
    expect(schedule({ ...ok, hooksFrom: [{ preBackupHooks: [hook] }] })).toThrow(
      'VeleroSchedule \'x\': postBackupHooks (undefined) is required; pass it (see its documentation)');
    const s = new VeleroSchedule(testChart(), 'y', ok);
    expect(() => s.addHooks(null as never)).toThrow(
      'VeleroSchedule \'y\': hooksFrom[0] (null) must be an IBackupHookProvider such as a ConsensusStatefulSet, not null; pass an IBackupHookProvider such as a ConsensusStatefulSet');
    expect(() => s.addHooks(offering({ ...hook, onError: 'Ignore' }) as never)).toThrow(
      'VeleroSchedule \'y\': preBackupHooks[0].onError ("Ignore") must be one of "Continue", "Fail"; use one of the enum\'s members');
    expect(() => s.addHooks(offering({ ...hook, timeout: Duration.seconds(NaN) }) as never)).toThrow(
      'VeleroSchedule \'y\': hook "raft-snapshot" timeout in ms (NaN) must be a finite, non-negative duration of at most 2562047h (the longest Go duration); use e.g. Duration.seconds(30)');
  });

  test('well-typed props pass', () => {
    expect(schedule({ ...ok, ttl: Duration.days(7), labelSelector: { app: 'api' }, paused: false, partOf: 'shop' })).not.toThrow();
  });
});

describe('BackupStorageLocation props guard', () => {
  const ok = { bucket: 'acme-velero', region: 'us-east-1' };
  test.each([
    ['a number where a Duration is due', { ...ok, backupSyncPeriod: 60 }, 'backupSyncPeriod (60) must be a Duration, not a number; build one with Duration.seconds(30)'],
    ['a string where credentials are due', { ...ok, credentials: 'cloud' },
      'credentials ("cloud") must be a VeleroCredentials, not a string; build one with VeleroCredentials.fromSecret(\'cloud-credentials\')'],
    ['a string where a label map is due', { ...ok, metadata: { labels: 'team=core' } },
      'metadata.labels ("team=core") must be an object of names to values, not a string; pass { name: value }'],
    ['a value outside the enum', { ...ok, accessMode: 'rw' }, 'accessMode ("rw") must be one of "ReadWrite", "ReadOnly"; use one of the enum\'s members'],
    ['a number where a bucket name is due', { ...ok, bucket: 1e308 }, 'bucket (1e+308) must be a string, not a number; pass text'],
    ['a misspelt key', { ...ok, defualt: true }, 'defualt (true) is not a known prop; did you mean "default"?'],
    ['the required region missing', { bucket: 'acme-velero' }, 'region (undefined) is required; pass it (see its documentation)'],
    ['the required bucket missing', { region: 'us-east-1' }, 'bucket (undefined) is required; pass it (see its documentation)'],
    ['props not an object', null, 'props (null) must be an object, not null; pass { ... } with the documented props'],
  ])('refuses %s', (_what, props, message) => {
    expect(storage(props)).toThrow(`BackupStorageLocation 'p': ${message}`);
  });

  test('a period Go cannot hold is refused by the location rules', () => {
    expect(storage({ ...ok, validationFrequency: Duration.minutes(NaN) })).toThrow(
      'BackupStorageLocation \'p\': validationFrequency in ms (NaN) must be a finite, non-negative duration of at most 2562047h (the longest Go duration); use e.g. Duration.minutes(1)');
  });
});

describe('VolumeSnapshotLocation props guard', () => {
  test.each([
    ['a plain object where credentials are due', { region: 'us-east-1', credentials: {} },
      'credentials ({}) must be a VeleroCredentials, not an object; build one with VeleroCredentials.fromSecret(\'cloud-credentials\')'],
    ['a string where a label map is due', { region: 'us-east-1', metadata: { annotations: 'a=b' } },
      'metadata.annotations ("a=b") must be an object of names to values, not a string; pass { name: value }'],
    ['NaN where a name is due', { region: 'us-east-1', name: NaN }, 'name (NaN) must be a string, not a number; pass text'],
    ['a misspelt key', { regoin: 'us-east-1' }, 'regoin ("us-east-1") is not a known prop; did you mean "region"?'],
    ['the required region missing', {}, 'region (undefined) is required; pass it (see its documentation)'],
    ['props not an object', null, 'props (null) must be an object, not null; pass { ... } with the documented props'],
  ])('refuses %s', (_what, props, message) => {
    expect(snapshots(props)).toThrow(`VolumeSnapshotLocation 'ebs': ${message}`);
  });
});

describe('BackupPolicy props guard', () => {
  const policy = (props: (location: BackupStorageLocation) => Loose) => () => {
    const chart = testChart();
    const location = new BackupStorageLocation(chart, 'primary', { bucket: 'acme-velero', region: 'us-east-1', default: true });
    return new BackupPolicy(chart, 'b', props(location) as never);
  };
  test.each([
    ['a string where a location is due', () => ({ location: 'primary' }),
      'location ("primary") must be a BackupStorageLocation, not a string; build one with new BackupStorageLocation(scope, \'Primary\', { bucket, region })'],
    ['a string where a boolean is due', (location: BackupStorageLocation) => ({ location, hourly: 'yes' }), 'hourly ("yes") must be true or false, not a string; pass a boolean'],
    ['a string where a list is due', (location: BackupStorageLocation) => ({ location, excludedNamespaces: 'kube-system' }),
      'excludedNamespaces ("kube-system") must be a list, not a string; pass an array'],
    ['a number where a name is due', (location: BackupStorageLocation) => ({ location, name: 1.5 }), 'name (1.5) must be a string, not a number; pass text'],
    ['a misspelt key', (location: BackupStorageLocation) => ({ location, hourley: false }), 'hourley (false) is not a known prop; did you mean "hourly"?'],
    ['the required location missing', () => ({ daily: true }), 'location (undefined) is required; pass it (see its documentation)'],
    ['props not an object', () => null, 'props (null) must be an object, not null; pass { ... } with the documented props'],
  ])('refuses %s', (_what, props, message) => {
    expect(policy(props)).toThrow(`BackupPolicy 'b': ${message}`);
  });
});

describe('RestoreDrill props guard', () => {
  const drill = (props: (schedule: VeleroSchedule) => Loose) => () => {
    const chart = testChart();
    const daily = new VeleroSchedule(chart, 'daily', { schedule: '0 2 * * *', ttl: Duration.days(30) });
    return new RestoreDrill(chart, 'drill', props(daily) as never);
  };
  const source = { sourceNamespace: 'consensus' };
  test.each([
    ['a number where a Duration is due', (schedule: VeleroSchedule) => ({ schedule, ...source, timeout: 3600 }),
      'timeout (3600) must be a Duration, not a number; build one with Duration.seconds(30)'],
    ['a string where the Schedule is due', () => ({ schedule: 'daily', ...source }),
      'schedule ("daily") must be a VeleroSchedule, not a string; build one with new VeleroSchedule(scope, \'Daily\', { schedule: \'0 2 * * *\' })'],
    ['a string where a list is due', (schedule: VeleroSchedule) => ({ schedule, ...source, excludedResources: 'pods' }),
      'excludedResources ("pods") must be a list, not a string; pass an array'],
    ['a number where an image is due', (schedule: VeleroSchedule) => ({ schedule, ...source, image: 1e308 }), 'image (1e+308) must be a string, not a number; pass text'],
    ['a misspelt key', (schedule: VeleroSchedule) => ({ schedule, sourceNamespce: 'consensus' }), 'sourceNamespce ("consensus") is not a known prop; did you mean "sourceNamespace"?'],
    ['the required sourceNamespace missing', (schedule: VeleroSchedule) => ({ schedule }), 'sourceNamespace (undefined) is required; pass it (see its documentation)'],
    ['props not an object', () => null, 'props (null) must be an object, not null; pass { ... } with the documented props'],
  ])('refuses %s', (_what, props, message) => {
    expect(drill(props)).toThrow(`RestoreDrill 'drill': ${message}`);
  });

  test('a timeout Go cannot hold, or not in whole seconds, is refused by the drill rules', () => {
    expect(drill((schedule) => ({ schedule, ...source, timeout: Duration.hours(NaN) }))).toThrow(
      'RestoreDrill \'drill\': timeout in ms (NaN) must be a finite, non-negative duration of at most 2562047h (the longest Go duration); use e.g. Duration.hours(1)');
    expect(drill((schedule) => ({ schedule, ...source, timeout: Duration.millis(60500) }))).toThrow(
      'RestoreDrill \'drill\': timeout in ms (60500) must be a whole number of seconds (kubectl\'s --timeout and the Job deadline are in seconds); use e.g. Duration.hours(1)');
  });
});
