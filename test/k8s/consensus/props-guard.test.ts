/** Props from plain JavaScript: every type, range and key is checked before use, with the house message. */
import { Cron } from 'cdk8s';
import { ConsensusEngine, ConsensusMembership, ConsensusSnapshot, ConsensusStatefulSet } from '../../../lib/k8s/consensus';
import { testChart } from '../../util';

const IMAGE = 'quay.io/coreos/etcd:v3.5.21';
/** Builds with props typed as `unknown`, as a JavaScript caller would. */
const build = (props: unknown) => () => new ConsensusStatefulSet(testChart(), 'raft', props as never);
const msg = (rest: string) => `ConsensusStatefulSet 'raft': ${rest}`;

describe('ConsensusStatefulSet props guard', () => {
  test.each([
    [{ image: IMAGE, storage: 100 }, 'storage (100) must be a Size, not a number; build one with Size.gibibytes(10)'],
    [{ image: IMAGE, heartbeatInterval: '1s' }, 'heartbeatInterval ("1s") must be a Duration, not a string; build one with Duration.seconds(30)'],
    [{ image: IMAGE, replicas: '3' }, 'replicas ("3") must be a number, not a string; pass a number from -2147483647 to 2147483647'],
    [{ image: IMAGE, replicas: 1e308 }, 'replicas (1e+308) must be from -2147483647 to 2147483647; pass a value in that range'],
    [{ image: IMAGE, replicas: NaN }, 'replicas (NaN) must be a finite number; pass a number from -2147483647 to 2147483647'],
    [{ image: IMAGE, replicas: 3n }, 'replicas (3n) must be a number, not a bigint; pass a number from -2147483647 to 2147483647'],
    [{ image: IMAGE, replica: 3 }, 'replica (3) is not a known prop; did you mean "replicas"?'],
    [{ image: IMAGE, clusterDomain: 'cluster.local/evil' }, 'clusterDomain ("cluster.local/evil") must be a DNS subdomain such as "cluster.local" (lower-case labels joined by dots; no "/", ":" or spaces); fix the value'],
    [{ image: IMAGE, nodeSelector: 'role=db' }, 'nodeSelector ("role=db") must be an object of names to values, not a string; pass { name: value }'],
    [{ image: IMAGE, allowedClients: [{ app: 'api' }] }, 'allowedClients[0] ({"app":"api"}) must be a ConsensusClient, not an object; build one with ConsensusClient.pods({ app: "api" })'],
    [{ image: IMAGE, zoneSpread: 'always' }, 'zoneSpread ("always") must be one of "DoNotSchedule", "ScheduleAnyway"; use one of the enum\'s members'],
    [{ image: IMAGE, snapshots: { bucket: 'b', schedule: '*/5 * * * *' } }, 'snapshots.schedule ("*/5 * * * *") must be a Cron, not a string; build one with Cron.daily()'],
    [{ image: IMAGE, snapshots: { bukket: 'b' } }, 'snapshots.bukket ("b") is not a known prop; did you mean "bucket"?'],
    [{ image: IMAGE, resources: { memory: { limit: '2Gi' } } }, 'resources.memory.limit ("2Gi") must be a Size, not a string; build one with Size.gibibytes(10)'],
    [{ replicas: 3 }, 'image (undefined) is required; pass it (see its documentation)'],
    [{ image: 42 }, 'image (42) must be a string, not a number; pass text'],
    [null, 'props (null) must be an object, not null; pass { ... } with the documented props'],
  ])('refuses with the value and the fix (%#)', (...args: unknown[]) => {
    const [props, message] = args as [unknown, string];
    expect(build(props)).toThrow(msg(message));
  });

  test('a metadata block is checked field by field: no key the API server would refuse', () => {
    expect(build({ image: IMAGE, metadata: { labels: { team: 'db' } } })).not.toThrow();
    expect(build({ image: IMAGE, metadata: { custom: true } })).toThrow(msg('metadata.custom (true) is not a known prop; known props: name,'));
    expect(build({ image: IMAGE, metadata: { labels: { team: 7 } } })).toThrow(msg('metadata.labels.team (7) must be a string, not a number; pass text'));
  });
});

describe('engine options, snapshot and membership props', () => {
  test('ConsensusEngine factories check their options', () => {
    expect(() => ConsensusEngine.etcd({ quotaBackendBytes: 8 } as never)).toThrow(
      "ConsensusEngine 'etcd': quotaBackendBytes (8) must be a Size, not a number; build one with Size.gibibytes(10)");
    expect(() => ConsensusEngine.generic({ dataMountPath: 'data' })).toThrow(
      "ConsensusEngine 'generic': dataMountPath (\"data\") must be an absolute path; fix the value");
    expect(() => ConsensusEngine.generic({ snapshotComand: ['x'] } as never)).toThrow('snapshotComand (["x"]) is not a known prop; did you mean "snapshotCommand"?');
  });

  test('ConsensusSnapshot and ConsensusMembership check theirs', () => {
    const base = { name: 'raft', labels: {}, image: IMAGE, memberSelector: {}, clientPort: 2379 };
    expect(() => new ConsensusSnapshot(testChart(), 's', { ...base, bucket: 'b', command: 'etcdctl' } as never)).toThrow(
      "ConsensusSnapshot 's': command (\"etcdctl\") must be a function, not a string; pass a function");
    expect(() => new ConsensusSnapshot(testChart(), 's', { ...base, command: () => ({ command: [], env: {} }), schedule: Cron.daily() } as never)).toThrow(
      "ConsensusSnapshot 's': bucket (undefined) is required");
    expect(() => new ConsensusMembership(testChart(), 'm', { ...base, command: ['sh'], env: { A: '1' }, clientPort: 70000 })).toThrow(
      "ConsensusMembership 'm': clientPort (70000) must be from 1 to 65535; pass a value in that range");
  });
});
