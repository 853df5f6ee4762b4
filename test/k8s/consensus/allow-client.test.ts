import { Chart, Testing } from 'cdk8s';
import { AutoscaledService, AutoscaledServiceProps } from '../../../lib/k8s/autoscaled-service';
import { ConsensusClient, ConsensusStatefulSet, ConsensusStatefulSetProps, IConsensusClient } from '../../../lib/k8s/consensus';
import { NamespaceBaseline } from '../../../lib/k8s/namespace-baseline';
import { formatViolation, KubeObject } from '../../../lib/policy/objects';
import { runRules } from '../../../lib/policy/rules';
import { PodSecurityLevel } from '../../../lib/policy/pod-security-level';
import { expectConformant, field, findObject, synth, testApp, testChart } from '../../util';

const IMAGE = 'quay.io/coreos/etcd:v3.5.21';
const API: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 3, maxReplicas: 10 };
const MEMBERS = { 'app.kubernetes.io/name': 'etcd', 'app.kubernetes.io/instance': 'raft', 'app.kubernetes.io/component': 'consensus' };
const API_PODS = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' };
const byName = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
const msg = (rest: string) => `ConsensusStatefulSet 'raft': ${rest}`;

type Rule = { from?: unknown[]; to?: unknown[]; ports: Array<{ port: number; protocol: string }> };
const policy = (objects: KubeObject[], name: string, ns?: string) => findObject(objects, 'NetworkPolicy', name, ns);
/** The members' ingress rule on the client port. */
const clientRule = (objects: KubeObject[], ns = 'db', port = 2379): Rule => {
  const rules = field(policy(objects, 'raft', ns), 'spec.ingress') as Rule[];
  const [rule] = rules.filter((r) => r.ports.some((p) => p.port === port));
  return rule;
};
const egress = (objects: KubeObject[], ns: string) => field(policy(objects, 'api', ns), 'spec.egress') as Rule[];

/** raft and api in one chart of namespace `db`. */
const oneNamespace = (raftProps: Partial<ConsensusStatefulSetProps> = {}, apiProps: Partial<AutoscaledServiceProps> = {}) => {
  const chart = testChart();
  const raft = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, namespace: 'db', ...raftProps });
  const api = new AutoscaledService(chart, 'api', { ...API, namespace: 'db', ...apiProps });
  return { chart, raft, api };
};

/** raft in chart `consensus`, api in chart `api` (namespaces from the charts), one App. */
const twoNamespaces = (raftProps: Partial<ConsensusStatefulSetProps> = {}) => {
  const app = testApp();
  const consensus = new Chart(app, 'consensus', { namespace: 'consensus', disableResourceNameHashes: true });
  const apiChart = new Chart(app, 'api', { namespace: 'api', disableResourceNameHashes: true });
  const raft = new ConsensusStatefulSet(consensus, 'raft', { image: IMAGE, ...raftProps });
  const api = new AutoscaledService(apiChart, 'api', API);
  return { consensus, apiChart, raft, api };
};

describe('ConsensusStatefulSet.allowClient', () => {
  test('an AutoscaledService is an IConsensusClient: its real pod selector and namespace', () => {
    const { api } = oneNamespace();
    const client: IConsensusClient = api;
    expect([client.podSelector, client.namespace]).toEqual([API_PODS, 'db']);
  });

  test('same namespace: the members admit the workload\'s pods on the client port, the workload may call the members there', () => {
    const { chart, raft, api } = oneNamespace();
    raft.allowClient(api);
    const objects = synth(chart);
    expect(clientRule(objects).from).toEqual([{ podSelector: { matchLabels: MEMBERS } }, { podSelector: { matchLabels: API_PODS } },
      { podSelector: { matchLabels: { ...MEMBERS, 'app.kubernetes.io/component': 'membership' } } }]);
    expect(egress(objects, 'db')).toEqual([{ to: [{ podSelector: { matchLabels: MEMBERS } }], ports: [{ protocol: 'TCP', port: 2379 }] }]);
    expect(field(policy(objects, 'api', 'db'), 'spec.policyTypes')).toEqual(['Ingress', 'Egress']);
  });

  test('another namespace: both sides select by namespace and pods, on the set\'s own client port', () => {
    const { consensus, apiChart, raft, api } = twoNamespaces({ clientPort: 12379 });
    raft.allowClient(api);
    const members = synth(consensus);
    const apiObjects = synth(apiChart);
    expect(clientRule(members, 'consensus', 12379).from).toContainEqual({ namespaceSelector: byName('api'), podSelector: { matchLabels: API_PODS } });
    expect(egress(apiObjects, 'api')).toEqual([{ to: [{ namespaceSelector: byName('consensus'), podSelector: { matchLabels: MEMBERS } }], ports: [{ protocol: 'TCP', port: 12379 }] }]);
  });

  test('the metrics and peer rules are unchanged', () => {
    const { chart, raft, api } = oneNamespace({ allowMetricsFrom: [ConsensusClient.namespace('monitoring')] });
    const before = field(policy(synth(chart), 'raft', 'db'), 'spec.ingress') as Rule[];
    raft.allowClient(api);
    const after = field(policy(synth(chart), 'raft', 'db'), 'spec.ingress') as Rule[];
    expect([after[0], after[2]]).toEqual([before[0], before[2]]);
  });

  test('hand-typed allowedClients stay, first; the workload follows them', () => {
    const { chart, raft, api } = oneNamespace({ allowedClients: [ConsensusClient.podsInNamespace('tools', { app: 'debug' })], membershipHook: false });
    raft.allowClient(api);
    expect(clientRule(synth(chart)).from).toEqual([{ podSelector: { matchLabels: MEMBERS } },
      { namespaceSelector: byName('tools'), podSelector: { matchLabels: { app: 'debug' } } }, { podSelector: { matchLabels: API_PODS } }]);
  });

  test('allowing the same client twice, or one already allowed by hand with the same selector, changes nothing', () => {
    const { chart, raft, api } = oneNamespace({ allowedClients: [ConsensusClient.pods(API_PODS)], membershipHook: false },
      { allowEgressTo: [{ podLabels: MEMBERS, ports: [2379] }] });
    const before = synth(chart);
    raft.allowClient(api);
    raft.allowClient(api);
    const after = synth(chart);
    expect(policy(after, 'raft', 'db')).toEqual(policy(before, 'raft', 'db'));
    expect(policy(after, 'api', 'db')).toEqual(policy(before, 'api', 'db'));
    expect(clientRule(after).from).toHaveLength(2);
  });

  test('the wired App passes every policy rule and the schemas, next to each namespace\'s baseline (default deny)', () => {
    const app = Testing.app();
    const consensus = new Chart(app, 'consensus', { namespace: 'consensus', disableResourceNameHashes: true });
    const apiChart = new Chart(app, 'api', { namespace: 'api', disableResourceNameHashes: true });
    for (const name of ['consensus', 'api']) new NamespaceBaseline(consensus, `ns-${name}`, { name, podSecurity: PodSecurityLevel.RESTRICTED });
    const raft = new ConsensusStatefulSet(consensus, 'raft', { image: IMAGE });
    raft.allowClient(new AutoscaledService(apiChart, 'api', API));
    const objects = app.charts.flatMap((c) => Testing.synth(c) as KubeObject[]);
    expect(runRules(objects).map(formatViolation)).toEqual([]);
    expectConformant(objects);
    expect(egress(objects, 'api')).toHaveLength(1);
  });

  describe('refusals', () => {
    test('the set\'s namespace is unknown', () => {
      const chart = testChart();
      const raft = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE });
      const api = new AutoscaledService(chart, 'api', { ...API, namespace: 'api' });
      expect(() => raft.allowClient(api)).toThrow(msg('namespace (undefined) is needed to allow the client "test/api", whose egress rule selects the members by namespace; set namespace on the construct or its chart'));
    });

    test('the workload\'s namespace is unknown', () => {
      const chart = testChart();
      const raft = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, namespace: 'db' });
      const api = new AutoscaledService(chart, 'api', API);
      expect(() => raft.allowClient(api)).toThrow(msg('allowClient(client "test/api").namespace (undefined) must be known, or the members\' NetworkPolicy cannot tell which namespace\'s pods to admit; set namespace on the workload or its chart'));
    });

    test('the workload is in another App', () => {
      const raft = new ConsensusStatefulSet(testChart(), 'raft', { image: IMAGE, namespace: 'db' });
      const other = new Chart(Testing.app(), 'other', { namespace: 'api' });
      const api = new AutoscaledService(other, 'api', API);
      expect(() => raft.allowClient(api)).toThrow(msg('allowClient(client) ("other/api") is in another App, whose objects are deployed apart from this one\'s; '
        + 'build the workload in the same App, or allow its pods by label with allowedClients: [ConsensusClient.podsInNamespace(namespace, labels)]'));
    });

    test('not a workload construct (plain JavaScript)', () => {
      const { raft } = oneNamespace();
      expect(() => raft.allowClient({ podSelector: { app: 'x' } } as unknown as IConsensusClient)).toThrow(msg('allowClient(client) ({"podSelector":{"app":"x"}}) must be a workload construct'));
    });

    test('a refused client changes neither policy', () => {
      const chart = testChart();
      const raft = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, namespace: 'db' });
      const api = new AutoscaledService(chart, 'api', API);
      expect(() => raft.allowClient(api)).toThrow(/namespace \(undefined\) must be known/);
      const objects = synth(chart);
      expect(clientRule(objects).from).toHaveLength(2);
      expect(field(policy(objects, 'api'), 'spec.egress')).toBeUndefined();
    });
  });
});
