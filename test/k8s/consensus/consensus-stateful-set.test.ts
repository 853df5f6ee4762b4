import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HookErrorMode } from '../../../lib/k8s/backup';
import { ConsensusEngine, ConsensusTls, ETCD_JOIN_SCRIPT, InitialClusterState } from '../../../lib/k8s/consensus';
import { ConsensusClient, ConsensusStatefulSet, ConsensusStatefulSetProps, ZoneSpread } from '../../../lib/k8s/consensus';
import { KubeObject } from '../../../lib/policy/objects';
import { countOf, field, findAll, findObject, synth, testApp, testChart } from '../../util';

const IMAGE = 'quay.io/coreos/etcd:v3.5.21';

const build = (props: Partial<ConsensusStatefulSetProps> = {}, id = 'raft') => {
  const chart = testChart();
  const cluster = new ConsensusStatefulSet(chart, id, { image: IMAGE, namespace: 'db', ...props });
  return { cluster, objects: synth(chart) };
};

const sts = (objects: KubeObject[], name = 'raft') => findObject(objects, 'StatefulSet', name, 'db');
const podSpec = (objects: KubeObject[]) => field(sts(objects), 'spec.template.spec') as Record<string, unknown>;
const container = (objects: KubeObject[]) => (podSpec(objects).containers as Array<Record<string, unknown>>)[0];
const env = (objects: KubeObject[]): Record<string, unknown> => Object.fromEntries(
  (container(objects).env as Array<{ name: string; value?: string; valueFrom?: unknown }>).map((e) => [e.name, e.value ?? e.valueFrom]));
const refuse = (props: Partial<ConsensusStatefulSetProps>) => () => build(props);
const msg = (rest: string) => `ConsensusStatefulSet 'raft': ${rest}`;

describe('ConsensusStatefulSet', () => {
  describe('quorum facts', () => {
    test('a single member has quorum 1, no fault tolerance and no PDB (it would block every drain)', () => {
      const { cluster, objects } = build({ replicas: 1 });
      expect([cluster.quorum, cluster.faultTolerance, cluster.pdb]).toEqual([1, 0, undefined]);
      expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
    });

    test.each([[3, 2, 1], [5, 3, 2], [7, 4, 3], [9, 5, 4], [11, 6, 5]])('%i members: quorum %i, fault tolerance %i, PDB minAvailable = quorum', (replicas, quorum, tolerance) => {
      const { cluster, objects } = build({ replicas });
      expect(cluster.quorum).toBe(quorum);
      expect(cluster.faultTolerance).toBe(tolerance);
      expect(field(findObject(objects, 'PodDisruptionBudget', 'raft', 'db'), 'spec.minAvailable')).toBe(quorum);
      expect(field(sts(objects), 'spec.replicas')).toBe(replicas);
    });

    test('peerUrls and clientEndpoint come from the stable DNS names', () => {
      const { cluster } = build({ replicas: 5 });
      expect(cluster.peerUrls).toEqual([0, 1, 2, 3, 4].map((i) => `http://raft-${i}.raft-peer.db.svc.cluster.local:2380`));
      expect(cluster.clientEndpoint).toBe('http://raft.db.svc.cluster.local:2379');
    });
  });

  describe('defaults', () => {
    const { cluster, objects } = build();
    const e = env(objects);

    test('engine defaults to etcd', () => {
      expect(field(sts(objects), 'metadata.labels')).toEqual(expect.objectContaining({ 'app.kubernetes.io/name': 'etcd', 'app.kubernetes.io/component': 'consensus' }));
      expect(container(objects).name).toBe('etcd');
      expect(e.ETCD_NAME).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    });

    test('name defaults to the construct id; every object is named after it', () => {
      expect(cluster.name).toBe('raft');
      expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
        'Job/raft-membership', 'NetworkPolicy/raft', 'NetworkPolicy/raft-membership', 'PodDisruptionBudget/raft',
        'Service/raft', 'Service/raft-peer', 'StatefulSet/raft',
      ]);
    });

    test('namespace defaults to the chart\'s', () => {
      const chart = new Chart(testApp(), 'test', { disableResourceNameHashes: true, namespace: 'chart-ns' });
      const c = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE });
      const objs = synth(chart);
      expect(c.namespace).toBe('chart-ns');
      expect(findObject(objs, 'StatefulSet', 'raft').metadata?.namespace).toBe('chart-ns');
      expect(c.peerUrls[0]).toBe('http://raft-0.raft-peer.chart-ns.svc.cluster.local:2380');
    });

    test('without any namespace, DNS names are namespace-relative', () => {
      const chart = testChart();
      const c = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE });
      const objs = synth(chart);
      expect(c.namespace).toBeUndefined();
      expect(c.peerUrls[0]).toBe('http://raft-0.raft-peer:2380');
      expect(c.clientEndpoint).toBe('http://raft:2379');
      expect(findObject(objs, 'StatefulSet', 'raft').metadata?.namespace).toBeUndefined();
    });

    test('replicas defaults to 3', () => {
      expect(cluster.replicas).toBe(3);
      expect(field(sts(objects), 'spec.replicas')).toBe(3);
    });

    test('production defaults to false: a single member is allowed', () => {
      expect(build({ replicas: 1 }).cluster.quorum).toBe(1);
    });

    test('ports default to client 2379, peer 2380, metrics 2381', () => {
      expect(container(objects).ports).toEqual([
        { containerPort: 2379, name: 'client' }, { containerPort: 2380, name: 'peer' }, { containerPort: 2381, name: 'metrics' },
      ]);
      expect(field(findObject(objects, 'Service', 'raft', 'db'), 'spec.ports')).toEqual([{ name: 'client', port: 2379, targetPort: 2379 }]);
    });

    test('storage defaults to 10Gi ReadWriteOnce on the default StorageClass', () => {
      expect(field(sts(objects), 'spec.volumeClaimTemplates')).toEqual([{
        metadata: { name: 'data', labels: expect.objectContaining({ 'app.kubernetes.io/instance': 'raft' }) },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
      }]);
      expect(container(objects).volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/etcd' }]);
    });

    test('PVCs of removed ordinals are deleted, the set\'s are kept', () => {
      expect(field(sts(objects), 'spec.persistentVolumeClaimRetentionPolicy')).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    });

    test('resources default to 500m CPU request, 1Gi memory request, 2Gi memory limit, no CPU limit', () => {
      expect(container(objects).resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { memory: '2048Mi' } });
    });

    test('timings default to 1 s heartbeat, 5 s election timeout, 1 h snapshot interval', () => {
      expect(e.ETCD_HEARTBEAT_INTERVAL).toBe('1000');
      expect(e.ETCD_ELECTION_TIMEOUT).toBe('5000');
      expect(e.ETCD_AUTO_COMPACTION_RETENTION).toBe('1h0m0s');
    });

    test('clusterToken defaults to <namespace>-<name>', () => {
      expect(e.ETCD_INITIAL_CLUSTER_TOKEN).toBe('db-raft');
    });

    test('initialClusterState defaults to new', () => {
      expect(e.ETCD_INITIAL_CLUSTER_STATE).toBe('new');
    });

    test('clusterDomain defaults to cluster.local', () => {
      expect(e.ETCD_INITIAL_CLUSTER).toBe(['0', '1', '2'].map((i) => `raft-${i}=http://raft-${i}.raft-peer.db.svc.cluster.local:2380`).join(','));
    });

    test('podManagementPolicy defaults to Parallel', () => {
      expect(field(sts(objects), 'spec.podManagementPolicy')).toBe('Parallel');
    });

    test('members are on distinct nodes, and zoneSpread defaults to REQUIRED (DoNotSchedule)', () => {
      const selector = { matchLabels: cluster.memberSelector };
      expect(podSpec(objects).affinity).toEqual({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: selector }] } });
      expect(podSpec(objects).topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }]);
    });

    test('nodeSelector and tolerations default to none', () => {
      expect(podSpec(objects).nodeSelector).toBeUndefined();
      expect(podSpec(objects).tolerations).toBeUndefined();
    });

    test('allowedClients and allowMetricsFrom default to none: client port only from members and the membership Job', () => {
      const np = findObject(objects, 'NetworkPolicy', 'raft', 'db');
      const members = { podSelector: { matchLabels: cluster.memberSelector } };
      expect(field(np, 'spec.ingress')).toEqual([
        { from: [members], ports: [{ protocol: 'TCP', port: 2380 }] },
        { from: [members, { podSelector: { matchLabels: { ...cluster.memberSelector, 'app.kubernetes.io/component': 'membership' } } }], ports: [{ protocol: 'TCP', port: 2379 }] },
      ]);
      // Members reach each other's client port too: their join step reads the member list.
      expect(field(np, 'spec.egress')).toEqual([
        { to: [members], ports: [{ protocol: 'TCP', port: 2380 }, { protocol: 'TCP', port: 2379 }] },
        expect.objectContaining({ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }),
      ]);
      expect(field(np, 'spec.policyTypes')).toEqual(['Ingress', 'Egress']);
    });

    test('minAvailable defaults to the quorum; unhealthy pods are evicted only while the budget holds', () => {
      expect(field(findObject(objects, 'PodDisruptionBudget', 'raft', 'db'), 'spec')).toEqual({
        minAvailable: 2, selector: { matchLabels: cluster.memberSelector }, unhealthyPodEvictionPolicy: 'IfHealthyBudget',
      });
    });

    test('veleroHookAnnotations defaults to true: the pre-backup hook is on the pod template', () => {
      expect(field(sts(objects), 'spec.template.metadata.annotations')).toEqual({
        'pre.hook.backup.velero.io/container': 'etcd',
        'pre.hook.backup.velero.io/command': '["etcdctl","--endpoints=http://127.0.0.1:2379","snapshot","save","/var/lib/etcd/velero-snapshot.db"]',
        'pre.hook.backup.velero.io/on-error': 'Fail',
        'pre.hook.backup.velero.io/timeout': '5m0s',
      });
    });

    test('snapshots default to none; membershipHook defaults to true', () => {
      expect(cluster.snapshot).toBeUndefined();
      expect(findAll(objects, 'CronJob')).toEqual([]);
      expect(cluster.membership).toBeDefined();
      expect(field(findObject(objects, 'Job', 'raft-membership', 'db'), 'metadata.annotations')).toEqual({
        'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      });
    });

    test('with the membership hook (the default), every member first runs the join step in the tools image', () => {
      const init = podSpec(objects).initContainers as Array<Record<string, unknown>>;
      expect(init.map((c) => c.name)).toEqual(['join']);
      expect(init[0]).toEqual(expect.objectContaining({
        image: 'registry.k8s.io/etcd:3.5.21-0', imagePullPolicy: 'IfNotPresent', command: ['/bin/sh', '-c', ETCD_JOIN_SCRIPT],
        volumeMounts: [{ mountPath: '/tmp', name: 'join-tmp' }, { name: 'data', mountPath: '/var/lib/etcd', readOnly: true }],
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
      }));
      expect(init[0].securityContext).toEqual(expect.objectContaining({
        runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] },
      }));
      expect(podSpec(objects).volumes).toEqual([{ emptyDir: {}, name: 'join-tmp' }]);
    });

    test('partOf and metadata default to none', () => {
      expect(sts(objects).metadata?.labels?.['app.kubernetes.io/part-of']).toBeUndefined();
      expect(sts(objects).metadata?.annotations).toBeUndefined();
    });

    test('restricted pod security: non-root, read-only root, no escalation, ALL dropped, RuntimeDefault, no token', () => {
      expect(podSpec(objects).automountServiceAccountToken).toBe(false);
      expect(podSpec(objects).securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }));
      expect(container(objects).securityContext).toEqual(expect.objectContaining({
        runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] },
      }));
      expect(container(objects).imagePullPolicy).toBe('IfNotPresent');
    });

    test('probes: startup and liveness local, readiness needs a leader, all on the metrics port', () => {
      const c = container(objects);
      expect(field(c, 'startupProbe.httpGet')).toEqual({ path: '/health?serializable=true&exclude=NOSPACE', port: 2381, scheme: 'HTTP' });
      expect(field(c, 'livenessProbe.httpGet.path')).toBe('/health?serializable=true&exclude=NOSPACE');
      expect(field(c, 'readinessProbe.httpGet')).toEqual({ path: '/health', port: 2381, scheme: 'HTTP' });
      expect(field(c, 'startupProbe.failureThreshold')).toBe(30);
    });

    test('the peer Service is headless, publishes not-ready addresses and selects the members only', () => {
      const peer = findObject(objects, 'Service', 'raft-peer', 'db');
      expect(field(peer, 'spec.clusterIP')).toBe('None');
      expect(field(peer, 'spec.publishNotReadyAddresses')).toBe(true);
      expect(field(peer, 'spec.selector')).toEqual(cluster.memberSelector);
      expect(field(sts(objects), 'spec.serviceName')).toBe('raft-peer');
      expect(field(findObject(objects, 'Service', 'raft', 'db'), 'spec.selector')).toEqual(cluster.memberSelector);
    });

    test('no cdk8s-plus address label or selector anywhere', () => {
      expect(JSON.stringify(objects)).not.toContain('cdk8s.io/metadata.addr');
    });

    test('backup hooks for VeleroSchedule', () => {
      expect(cluster.preBackupHooks).toEqual([{
        name: 'raft-etcd-snapshot', namespace: 'db', podLabels: cluster.memberSelector, container: 'etcd',
        command: ['etcdctl', '--endpoints=http://127.0.0.1:2379', 'snapshot', 'save', '/var/lib/etcd/velero-snapshot.db'],
        onError: HookErrorMode.FAIL, timeout: Duration.minutes(5),
      }]);
      expect(cluster.postBackupHooks).toEqual([]);
    });
  });

  describe('overrides', () => {
    test('ports, storage, resources, timings, token, state, domain, policy, spread', () => {
      const { objects } = build({
        clientPort: 12379, peerPort: 12380, metricsPort: 12381, storage: Size.gibibytes(100), storageClassName: 'fast-ssd',
        resources: { cpu: { request: kplus.Cpu.units(1) }, memory: { request: Size.gibibytes(4), limit: Size.gibibytes(8) } },
        heartbeatInterval: Duration.millis(200), electionTimeout: Duration.seconds(2), snapshotInterval: Duration.minutes(30),
        clusterToken: 'prod-1', initialClusterState: InitialClusterState.EXISTING, clusterDomain: 'east.local',
        podManagementPolicy: kplus.PodManagementPolicy.ORDERED_READY, zoneSpread: ZoneSpread.PREFERRED,
        nodeSelector: { 'fleetcraft.io/node-role': 'consensus' },
        tolerations: [kplus.NodeTaintQuery.is('fleetcraft.io/consensus', 'true', { effect: kplus.TaintEffect.NO_SCHEDULE })],
      });
      const e = env(objects);
      expect(e).toEqual(expect.objectContaining({
        ETCD_LISTEN_CLIENT_URLS: 'http://0.0.0.0:12379', ETCD_LISTEN_PEER_URLS: 'http://0.0.0.0:12380', ETCD_LISTEN_METRICS_URLS: 'http://0.0.0.0:12381',
        ETCD_HEARTBEAT_INTERVAL: '200', ETCD_ELECTION_TIMEOUT: '2000', ETCD_AUTO_COMPACTION_RETENTION: '30m0s',
        ETCD_INITIAL_CLUSTER_TOKEN: 'prod-1', ETCD_INITIAL_CLUSTER_STATE: 'existing',
        ETCD_ADVERTISE_CLIENT_URLS: 'http://$(ETCD_NAME).raft-peer.db.svc.east.local:12379',
      }));
      expect(field(sts(objects), 'spec.volumeClaimTemplates.0.spec')).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, storageClassName: 'fast-ssd' });
      expect(container(objects).resources).toEqual({ requests: { cpu: '1', memory: '4096Mi' }, limits: { memory: '8192Mi' } });
      expect(field(sts(objects), 'spec.podManagementPolicy')).toBe('OrderedReady');
      expect(field(podSpec(objects), 'topologySpreadConstraints.0.whenUnsatisfiable')).toBe('ScheduleAnyway');
      expect(podSpec(objects).nodeSelector).toEqual({ 'fleetcraft.io/node-role': 'consensus' });
      expect(podSpec(objects).tolerations).toEqual([{ key: 'fleetcraft.io/consensus', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
      expect(field(container(objects), 'readinessProbe.httpGet.port')).toBe(12381);
    });

    test('allowed clients reach the client port; metrics sources reach the metrics port', () => {
      const { cluster, objects } = build({
        allowedClients: [ConsensusClient.pods({ app: 'api' }), ConsensusClient.namespace('tools'), ConsensusClient.podsInNamespace('ops', { app: 'backup' })],
        allowMetricsFrom: [ConsensusClient.namespace('monitoring')],
        membershipHook: false,
      });
      const members = { podSelector: { matchLabels: cluster.memberSelector } };
      expect(field(findObject(objects, 'NetworkPolicy', 'raft', 'db'), 'spec.ingress')).toEqual([
        { from: [members], ports: [{ protocol: 'TCP', port: 2380 }] },
        {
          from: [
            members,
            { podSelector: { matchLabels: { app: 'api' } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tools' } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } }, podSelector: { matchLabels: { app: 'backup' } } },
          ],
          ports: [{ protocol: 'TCP', port: 2379 }],
        },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 2381 }] },
      ]);
      expect(cluster.membership).toBeUndefined();
      expect(findAll(objects, 'Job')).toEqual([]);
      // Without the hook, no join step and no member egress to the client port.
      expect(podSpec(objects).initContainers).toBeUndefined();
      expect(field(findObject(objects, 'NetworkPolicy', 'raft', 'db'), 'spec.egress.0')).toEqual({ to: [members], ports: [{ protocol: 'TCP', port: 2380 }] });
    });

    test('minAvailable above the quorum is allowed', () => {
      const { objects } = build({ replicas: 5, minAvailable: 4 });
      expect(field(findObject(objects, 'PodDisruptionBudget', 'raft', 'db'), 'spec.minAvailable')).toBe(4);
    });

    test('snapshots add the CronJob, and its pods may reach the client port', () => {
      const { cluster, objects } = build({ snapshots: { bucket: 'backups' } });
      expect(cluster.snapshot?.cronJob).toBeDefined();
      expect(countOf(objects, 'CronJob', 'raft-snapshot', 'db')).toBe(1);
      const clientRule = (field(findObject(objects, 'NetworkPolicy', 'raft', 'db'), 'spec.ingress') as unknown[])[1];
      expect(field(clientRule, 'from')).toContainEqual({ podSelector: { matchLabels: { ...cluster.memberSelector, 'app.kubernetes.io/component': 'snapshot' } } });
    });

    test('veleroHookAnnotations false leaves the pod template clean but keeps preBackupHooks', () => {
      const { cluster, objects } = build({ veleroHookAnnotations: false });
      expect(field(sts(objects), 'spec.template.metadata.annotations')).toBeUndefined();
      expect(cluster.preBackupHooks).toHaveLength(1);
    });

    test('partOf and metadata', () => {
      const { objects } = build({ partOf: 'shop', metadata: { labels: { team: 'core' }, annotations: { owner: 'core' } } });
      expect(sts(objects).metadata?.labels).toEqual(expect.objectContaining({ team: 'core', 'app.kubernetes.io/part-of': 'shop' }));
      expect(sts(objects).metadata?.annotations).toEqual({ owner: 'core' });
    });

    test('a production cluster of 5 (the seed): PDB minAvailable 3', () => {
      const { objects } = build({ replicas: 5, production: true, tls: ConsensusTls.certManager() });
      expect(field(findObject(objects, 'PodDisruptionBudget', 'raft', 'db'), 'spec.minAvailable')).toBe(3);
    });

    test('a generic engine without a backup command has no backup hooks', () => {
      const { cluster, objects } = build({ engine: ConsensusEngine.generic(), image: 'ghcr.io/acme/raftd:1.4.0' });
      expect(cluster.preBackupHooks).toEqual([]);
      expect(field(sts(objects), 'spec.template.metadata.annotations')).toBeUndefined();
      expect(cluster.membership).toBeUndefined();
      expect(podSpec(objects).initContainers).toBeUndefined();
    });
  });

  describe('refuses', () => {
    test.each([4, 0, 13, 2.5])('replicas %p', (replicas) => {
      expect(refuse({ replicas })).toThrow(msg(`replicas (${replicas}) must be odd and between 1 and 11, so a majority survives the same number of failures; use 3 or 5`));
    });

    test('one replica in production', () => {
      expect(refuse({ replicas: 1, production: true })).toThrow(msg('replicas (1) cannot lose a single member, and production is true; use 3 or 5 in production'));
    });

    test('an election timeout shorter than five heartbeats', () => {
      expect(refuse({ heartbeatInterval: Duration.seconds(1), electionTimeout: Duration.seconds(4) })).toThrow(msg(
        'electionTimeout in ms (4000) must be a whole number of at least 5 heartbeat intervals (5 × 1000 = 5000), or followers start elections whenever a few heartbeats are late; use at least Duration.millis(5000)'));
    });

    test('a zero heartbeat', () => {
      expect(refuse({ heartbeatInterval: Duration.millis(0) })).toThrow(msg('heartbeatInterval in ms (0) must be a positive whole number of milliseconds; use e.g. Duration.seconds(1)'));
    });

    test('zero storage', () => {
      expect(refuse({ storage: Size.gibibytes(0) })).toThrow(msg('storage ("0Gi") must be more than zero: every member keeps its log and snapshots on it; use e.g. Size.gibibytes(10)'));
    });

    test('unparsable storage', () => {
      expect(refuse({ storage: Size.gibibytes(NaN) })).toThrow(msg('storage ("NaNGi") is not a valid quantity; use e.g. Size.gibibytes(10)'));
    });

    test('client port equal to peer port', () => {
      expect(refuse({ clientPort: 2380 })).toThrow(msg(
        'peerPort (2380) equals clientPort; clients and members need separate ports so the NetworkPolicy can tell them apart; use 2380 for peers and 2379 for clients'));
    });

    test('a metrics port equal to another port', () => {
      expect(refuse({ metricsPort: 2379 })).toThrow(msg('metricsPort (2379) equals clientPort or peerPort; probes and metrics need their own port; use 2381'));
    });

    test('a port out of range', () => {
      expect(refuse({ clientPort: 70000 })).toThrow(msg('clientPort (70000) must be a whole number between 1 and 65535; use a valid TCP port'));
    });

    test('a name that is not a DNS label', () => {
      expect(() => build({ name: 'Raft_1' })).toThrow(msg(
        'name ("Raft_1") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a DNS-1123 label such as "raft"'));
    });

    test('a StatefulSet name above 52 characters', () => {
      const name = 'a'.repeat(53);
      expect(() => build({ name })).toThrow(msg(
        `name ("${name}") must be at most 52 characters (got 53), because the StatefulSet controller appends an 11-character hash to it in each pod's controller-revision-hash label (at most 63); use a shorter name`));
    });

    test('52 characters is fine', () => {
      expect(build({ name: 'a'.repeat(52) }).cluster.name).toHaveLength(52);
    });

    test('a name that makes the snapshot CronJob name too long', () => {
      const name = 'a'.repeat(44);
      expect(() => build({ name, snapshots: { bucket: 'b' } })).toThrow(msg(
        `name ("${name}") makes the snapshot CronJob name "${name}-snapshot" 53 characters, above the API server's limit of 52; use a name of at most 43 characters`));
    });

    test('member DNS names above 253 characters', () => {
      const name = 'a'.repeat(52);
      const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}`;
      const ns = 'n'.repeat(63);
      const fqdn = `${name}-2.${name}-peer.${ns}.svc.${domain}`;
      expect(() => build({ name, namespace: ns, clusterDomain: domain })).toThrow(msg(
        `name ("${name}") makes the member DNS name "${fqdn}" ${fqdn.length} characters, above the DNS limit of 253; use a shorter name, namespace or clusterDomain`));
    });

    test('a PDB that would allow losing quorum', () => {
      expect(refuse({ replicas: 5, minAvailable: 2 })).toThrow(msg(
        'minAvailable (2) would let voluntary disruptions (drains, evictions) take the cluster below its quorum of 3 of 5; use at least 3, or leave it unset'));
    });

    test('a PDB above replicas', () => {
      expect(refuse({ replicas: 3, minAvailable: 4 })).toThrow(msg('minAvailable (4) exceeds replicas (3), so no eviction could ever succeed; use 2'));
    });

    test.each([
      ['quay.io/coreos/etcd', 'has no tag or digest, so what runs changes under you'],
      ['quay.io/coreos/etcd:latest', 'is tagged :latest, so what runs changes under you'],
      ['localhost:5000/etcd', 'has no tag or digest, so what runs changes under you'],
    ])('the unpinned image %s', (image, rule) => {
      expect(refuse({ image })).toThrow(msg(`image ("${image}") ${rule}; pin a version tag or a digest, e.g. "quay.io/coreos/etcd:v3.5.21"`));
    });

    test('an image pinned by digest is accepted', () => {
      expect(build({ image: `quay.io/coreos/etcd@sha256:${'a'.repeat(64)}` }).cluster.name).toBe('raft');
    });

    test('resources without a memory limit', () => {
      expect(refuse({ resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.gibibytes(1) } } })).toThrow(msg(
        'resources.memory.limit (undefined) is required: an unbounded member can starve its node; set e.g. memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) }'));
    });

    test('snapshots with an engine that has no snapshot command', () => {
      expect(refuse({ engine: ConsensusEngine.generic(), snapshots: { bucket: 'b' } })).toThrow(msg(
        'snapshots ("b") needs a snapshot command, and the raft engine has none; set snapshotCommand in ConsensusEngine.generic({...})'));
    });

    test('an unpinned snapshot uploader image', () => {
      expect(refuse({ snapshots: { bucket: 'b', uploaderImage: 'amazon/aws-cli' } })).toThrow(msg(
        'snapshots.uploaderImage ("amazon/aws-cli") has no tag or digest, so what runs changes under you; pin a version tag or a digest, e.g. "quay.io/coreos/etcd:v3.5.21"'));
    });

    test('Velero hooks without a namespace', () => {
      const c = new ConsensusStatefulSet(testChart(), 'raft', { image: IMAGE });
      expect(() => c.preBackupHooks).toThrow(msg('namespace (undefined) is needed for Velero hooks, which select pods by namespace; set namespace on the construct or its chart'));
    });
  });
});
