import { Duration, Size } from 'cdk8s';
import { ConsensusEngine, DEFAULT_ETCD_TOOLS_IMAGE, InitialClusterState } from '../../../lib/k8s/consensus';
import { ConsensusStatefulSet, ConsensusStatefulSetProps } from '../../../lib/k8s/consensus';
import { KubeObject } from '../../../lib/policy/objects';
import { field, findObject, synth, testChart } from '../../util';

const ETCD = 'quay.io/coreos/etcd:v3.5.21';
const RAFTD = 'ghcr.io/acme/raftd:1.4.0';

const build = (props: Partial<ConsensusStatefulSetProps> = {}) => {
  const chart = testChart();
  const cluster = new ConsensusStatefulSet(chart, 'raft', { image: ETCD, namespace: 'db', ...props });
  return { cluster, objects: synth(chart) };
};
const container = (objects: KubeObject[]) => field(findObject(objects, 'StatefulSet', 'raft', 'db'), 'spec.template.spec.containers.0') as Record<string, unknown>;
const envList = (objects: KubeObject[]) => container(objects).env as Array<{ name: string; value?: string; valueFrom?: unknown }>;
const env = (objects: KubeObject[]): Record<string, unknown> => Object.fromEntries(envList(objects).map((e) => [e.name, e.value ?? e.valueFrom]));
const jobEnv = (objects: KubeObject[]): Record<string, string> => Object.fromEntries(
  (field(findObject(objects, 'Job', 'raft-membership', 'db'), 'spec.template.spec.containers.0.env') as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
const msg = (rest: string) => `ConsensusStatefulSet 'raft': ${rest}`;
const peer = (i: number) => `http://raft-${i}.raft-peer.db.svc.cluster.local:2380`;

describe('ConsensusEngine.etcd', () => {
  const { objects } = build();

  test('the full etcd environment, in dependency order (ETCD_NAME first, so $(ETCD_NAME) expands)', () => {
    expect(envList(objects).map((e) => e.name)).toEqual([
      'ETCD_NAME', 'ETCD_DATA_DIR', 'ETCD_LISTEN_PEER_URLS', 'ETCD_LISTEN_CLIENT_URLS', 'ETCD_LISTEN_METRICS_URLS',
      'ETCD_ADVERTISE_CLIENT_URLS', 'ETCD_INITIAL_ADVERTISE_PEER_URLS', 'ETCD_INITIAL_CLUSTER', 'ETCD_INITIAL_CLUSTER_TOKEN',
      'ETCD_INITIAL_CLUSTER_STATE', 'ETCD_HEARTBEAT_INTERVAL', 'ETCD_ELECTION_TIMEOUT', 'ETCD_SNAPSHOT_COUNT',
      'ETCD_AUTO_COMPACTION_MODE', 'ETCD_AUTO_COMPACTION_RETENTION', 'ETCD_QUOTA_BACKEND_BYTES', 'ETCD_STRICT_RECONFIG_CHECK',
    ]);
    expect(env(objects)).toEqual({
      ETCD_NAME: { fieldRef: { fieldPath: 'metadata.name' } },
      ETCD_DATA_DIR: '/var/lib/etcd/data',
      ETCD_LISTEN_PEER_URLS: 'http://0.0.0.0:2380',
      ETCD_LISTEN_CLIENT_URLS: 'http://0.0.0.0:2379',
      ETCD_LISTEN_METRICS_URLS: 'http://0.0.0.0:2381',
      ETCD_ADVERTISE_CLIENT_URLS: 'http://$(ETCD_NAME).raft-peer.db.svc.cluster.local:2379',
      ETCD_INITIAL_ADVERTISE_PEER_URLS: 'http://$(ETCD_NAME).raft-peer.db.svc.cluster.local:2380',
      ETCD_INITIAL_CLUSTER: `raft-0=${peer(0)},raft-1=${peer(1)},raft-2=${peer(2)}`,
      ETCD_INITIAL_CLUSTER_TOKEN: 'db-raft',
      ETCD_INITIAL_CLUSTER_STATE: 'new',
      ETCD_HEARTBEAT_INTERVAL: '1000',
      ETCD_ELECTION_TIMEOUT: '5000',
      ETCD_SNAPSHOT_COUNT: '10000',
      ETCD_AUTO_COMPACTION_MODE: 'periodic',
      ETCD_AUTO_COMPACTION_RETENTION: '1h0m0s',
      ETCD_QUOTA_BACKEND_BYTES: '2147483648',
      ETCD_STRICT_RECONFIG_CHECK: 'true',
    });
  });

  test('no command: the distroless etcd image runs etcd directly', () => {
    expect(container(objects).command).toBeUndefined();
    expect(container(objects).args).toBeUndefined();
  });

  test('snapshotCount defaults to 10000 and quotaBackendBytes to 2 GiB', () => {
    expect(env(objects).ETCD_SNAPSHOT_COUNT).toBe('10000');
    expect(env(objects).ETCD_QUOTA_BACKEND_BYTES).toBe(String(2 * 1024 ** 3));
  });

  test('toolsImage defaults to registry.k8s.io/etcd:3.5.21-0 (static bash + etcdctl)', () => {
    expect(DEFAULT_ETCD_TOOLS_IMAGE).toBe('registry.k8s.io/etcd:3.5.21-0');
    expect(field(findObject(objects, 'Job', 'raft-membership', 'db'), 'spec.template.spec.containers.0.image')).toBe('registry.k8s.io/etcd:3.5.21-0');
    expect(field(findObject(objects, 'StatefulSet', 'raft', 'db'), 'spec.template.spec.initContainers.0.image')).toBe('registry.k8s.io/etcd:3.5.21-0');
  });

  test('the membership Job gets the desired members, the removal order and the state', () => {
    const { objects: five } = build({ replicas: 5, initialClusterState: InitialClusterState.EXISTING });
    const e = jobEnv(five);
    expect(e).toEqual({
      ETCDCTL_ENDPOINTS: 'http://raft.db.svc.cluster.local:2379',
      ETCDCTL_DIAL_TIMEOUT: '5s',
      ETCDCTL_COMMAND_TIMEOUT: '30s',
      DESIRED_PEERS: [0, 1, 2, 3, 4].map((i) => `raft-${i}=${peer(i)}`).join(','),
      DESIRED_PEER_URLS: [0, 1, 2, 3, 4].map(peer).join(','),
      INITIAL_CLUSTER_STATE: 'existing',
      REPLICAS: '5',
      REMOVAL_ORDER: [10, 9, 8, 7, 6, 5].map(peer).join(','),
      QUORUM_CHECK_TIMEOUT: '15s',
    });
  });

  test('the quorum check may take three election timeouts, at least 2 s', () => {
    expect(jobEnv(build({ electionTimeout: Duration.seconds(10) }).objects).QUORUM_CHECK_TIMEOUT).toBe('30s');
    expect(jobEnv(build({ heartbeatInterval: Duration.millis(50), electionTimeout: Duration.millis(500) }).objects).QUORUM_CHECK_TIMEOUT).toBe('2s');
  });

  test('the members\' join step gets the member\'s own identity, data folder and bootstrap settings, and the client Service', () => {
    const init = field(findObject(objects, 'StatefulSet', 'raft', 'db'), 'spec.template.spec.initContainers.0') as Record<string, unknown>;
    const member = env(objects);
    expect(init.env).toEqual([
      { name: 'ETCD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ...['ETCD_DATA_DIR', 'ETCD_INITIAL_ADVERTISE_PEER_URLS', 'ETCD_INITIAL_CLUSTER', 'ETCD_INITIAL_CLUSTER_STATE'].map((name) => ({ name, value: member[name] })),
      { name: 'ETCDCTL_ENDPOINTS', value: 'http://raft.db.svc.cluster.local:2379' },
      { name: 'ETCDCTL_DIAL_TIMEOUT', value: '5s' },
      { name: 'ETCDCTL_COMMAND_TIMEOUT', value: '30s' },
    ]);
  });

  test('options override', () => {
    const { objects: o } = build({
      engine: ConsensusEngine.etcd({ snapshotCount: 50000, quotaBackendBytes: Size.gibibytes(4), toolsImage: 'registry.example/etcd-tools:3.5.21' }),
    });
    expect(env(o).ETCD_SNAPSHOT_COUNT).toBe('50000');
    expect(env(o).ETCD_QUOTA_BACKEND_BYTES).toBe(String(4 * 1024 ** 3));
    expect(field(findObject(o, 'Job', 'raft-membership', 'db'), 'spec.template.spec.containers.0.image')).toBe('registry.example/etcd-tools:3.5.21');
    expect(field(findObject(o, 'StatefulSet', 'raft', 'db'), 'spec.template.spec.initContainers.0.image')).toBe('registry.example/etcd-tools:3.5.21');
  });

  test('the kind is etcd', () => {
    expect(ConsensusEngine.etcd().kind).toBe('etcd');
  });

  describe('refuses', () => {
    test('an election timeout above etcd\'s 50 s', () => {
      expect(() => build({ electionTimeout: Duration.seconds(60) })).toThrow(msg(
        'electionTimeout in ms (60000) exceeds etcd\'s maximum of 50000; use at most Duration.seconds(50)'));
    });

    test('a snapshot count below 1', () => {
      expect(() => build({ engine: ConsensusEngine.etcd({ snapshotCount: 0 }) })).toThrow(msg('snapshotCount (0) must be a positive whole number of transactions; use 10000'));
    });

    test('a backend quota above half the volume', () => {
      expect(() => build({ storage: Size.gibibytes(3) })).toThrow(msg(
        'quotaBackendBytes ("2Gi") must be more than zero and at most half of storage (3Gi): the volume also holds the WAL and the pre-backup snapshot; raise storage or lower quotaBackendBytes'));
    });

    test('an unpinned tools image', () => {
      expect(() => build({ engine: ConsensusEngine.etcd({ toolsImage: 'registry.k8s.io/etcd:latest' }) })).toThrow(msg(
        'engine toolsImage ("registry.k8s.io/etcd:latest") is tagged :latest, so what runs changes under you; pin a version tag or a digest, e.g. "quay.io/coreos/etcd:v3.5.21"'));
    });

    test('an unpinned tools image is ignored when the membership hook is off', () => {
      expect(build({ engine: ConsensusEngine.etcd({ toolsImage: 'registry.k8s.io/etcd:latest' }), membershipHook: false }).cluster.membership).toBeUndefined();
    });
  });
});

describe('ConsensusEngine.generic', () => {
  test('defaults: documented RAFT_* environment, app and container name raft, /livez and /readyz, mount /var/lib/raft', () => {
    const { cluster, objects } = build({ image: RAFTD, engine: ConsensusEngine.generic() });
    expect(env(objects)).toEqual({
      RAFT_NODE_ID: { fieldRef: { fieldPath: 'metadata.name' } },
      RAFT_NODE_INDEX: { fieldRef: { fieldPath: 'metadata.labels[\'apps.kubernetes.io/pod-index\']' } },
      RAFT_PEERS: [0, 1, 2].map((i) => `raft-${i}=raft-${i}.raft-peer.db.svc.cluster.local:2380`).join(','),
      RAFT_BIND_ADDR: '0.0.0.0:2380',
      RAFT_ADVERTISE_ADDR: '$(RAFT_NODE_ID).raft-peer.db.svc.cluster.local:2380',
      RAFT_CLIENT_ADDR: '0.0.0.0:2379',
      RAFT_METRICS_ADDR: '0.0.0.0:2381',
      RAFT_DATA_DIR: '/var/lib/raft/data',
      RAFT_CLUSTER_TOKEN: 'db-raft',
      RAFT_BOOTSTRAP: 'true',
      RAFT_HEARTBEAT_MS: '1000',
      RAFT_ELECTION_TIMEOUT_MS: '5000',
      RAFT_SNAPSHOT_INTERVAL_MS: '3600000',
    });
    const c = container(objects);
    expect(c.name).toBe('raft');
    expect(c.command).toBeUndefined();
    expect(c.args).toBeUndefined();
    expect(c.volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/raft' }]);
    expect(field(c, 'livenessProbe.httpGet.path')).toBe('/livez');
    expect(field(c, 'readinessProbe.httpGet.path')).toBe('/readyz');
    expect(findObject(objects, 'StatefulSet', 'raft', 'db').metadata?.labels?.['app.kubernetes.io/name']).toBe('raft');
    expect(cluster.peerUrls).toEqual([0, 1, 2].map((i) => `raft-${i}.raft-peer.db.svc.cluster.local:2380`));
    // backupCommand, snapshotCommand and membershipCommand default to none
    expect(cluster.preBackupHooks).toEqual([]);
    expect(cluster.membership).toBeUndefined();
    expect(ConsensusEngine.generic().kind).toBe('raft');
  });

  test('options override, including backup, snapshot and membership commands', () => {
    const engine = ConsensusEngine.generic({
      appName: 'ledger', containerName: 'ledger', command: ['/ledger'], args: ['serve'], dataMountPath: '/data',
      livenessPath: '/healthz', readinessPath: '/ready', backupCommand: ['/ledger', 'snapshot', '/data/backup.snap'],
      snapshotCommand: ['/ledger', 'snapshot-remote'], membershipCommand: ['/ledger', 'reconcile'], membershipImage: 'ghcr.io/acme/ledger-ops:1.0.0',
    });
    const { cluster, objects } = build({ image: RAFTD, engine, initialClusterState: InitialClusterState.EXISTING, snapshots: { bucket: 'b' } });
    const c = container(objects);
    expect(c.name).toBe('ledger');
    expect(c.command).toEqual(['/ledger']);
    expect(c.args).toEqual(['serve']);
    expect(c.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(field(c, 'livenessProbe.httpGet.path')).toBe('/healthz');
    expect(field(c, 'readinessProbe.httpGet.path')).toBe('/ready');
    expect(env(objects).RAFT_BOOTSTRAP).toBe('false');
    expect(cluster.preBackupHooks.map((h) => [h.name, h.container, h.command])).toEqual([['raft-ledger-snapshot', 'ledger', ['/ledger', 'snapshot', '/data/backup.snap']]]);
    const job = findObject(objects, 'Job', 'raft-membership', 'db');
    expect(field(job, 'spec.template.spec.containers.0.image')).toBe('ghcr.io/acme/ledger-ops:1.0.0');
    expect(field(job, 'spec.template.spec.containers.0.command')).toEqual(['/ledger', 'reconcile']);
    expect(field(job, 'spec.template.spec.containers.0.env')).toEqual([
      { name: 'RAFT_DESIRED_PEERS', value: [0, 1, 2].map((i) => `raft-${i}=raft-${i}.raft-peer.db.svc.cluster.local:2380`).join(',') },
      { name: 'RAFT_CLIENT_ENDPOINT', value: 'http://raft.db.svc.cluster.local:2379' },
      { name: 'RAFT_BOOTSTRAP', value: 'false' },
    ]);
    const init = field(findObject(objects, 'CronJob', 'raft-snapshot', 'db'), 'spec.jobTemplate.spec.template.spec.initContainers.0');
    expect(field(init, 'command')).toEqual(['/ledger', 'snapshot-remote']);
    expect(field(init, 'env')).toEqual([
      { name: 'RAFT_SNAPSHOT_FILE', value: '/snapshot/snapshot.db' },
      { name: 'RAFT_CLIENT_ENDPOINT', value: 'http://raft.db.svc.cluster.local:2379' },
    ]);
  });

  test('membershipImage defaults to the member image', () => {
    const { objects } = build({ image: RAFTD, engine: ConsensusEngine.generic({ membershipCommand: ['/raftd', 'reconcile'] }) });
    expect(field(findObject(objects, 'Job', 'raft-membership', 'db'), 'spec.template.spec.containers.0.image')).toBe(RAFTD);
  });
});
