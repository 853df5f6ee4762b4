/**
 * Every construct, with minimal props and with each strategy or backend, synthesizes objects that pass every policy
 * rule and the conformance checks: in a plain App (no skips), next to the NamespaceBaseline of each namespace it uses,
 * one App per cluster.
 */
import { App, Chart, Cron, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AutoscaledService, AutoscaledServiceProps, BackupCheck, BackupPolicy, BackupStorageLocation, ConsensusStatefulSet, DeploymentColour, FederatedApp,
  FederatedWorkload, FederationBackend, KedaTrigger, NamespaceBaseline, NetworkDaemonSet, PodSecurityLevel, RestoreDrill, RolloutStrategy,
  runRules, VeleroSchedule, VolumeSnapshotLocation, formatViolation, KubeObject, Dashboard, GrafanaDashboard, PanelType,
} from '../../lib';
import { expectConformant } from '../util';

const IMAGE = 'registry.example.com/api:1.4.2';

/** A chart in a fresh App with the baseline of each namespace (restricted unless given). */
function cluster(namespaces: Record<string, PodSecurityLevel> = {}, app: App = Testing.app()): Chart {
  const chart = new Chart(app, 'cluster', { disableResourceNameHashes: true });
  for (const [name, podSecurity] of Object.entries(namespaces)) new NamespaceBaseline(chart, `ns-${name}`, { name, podSecurity });
  return chart;
}

/** Synthesizes every chart of the App (the in-synth checks run), then runs the rules and conformance over all of it. */
function expectClean(app: Construct): KubeObject[] {
  const objects = (app as App).charts.flatMap((c) => Testing.synth(c) as KubeObject[]);
  expect(runRules(objects).map(formatViolation)).toEqual([]);
  expectConformant(objects);
  return objects;
}

const service = (props: Partial<AutoscaledServiceProps> = {}): AutoscaledServiceProps => ({ image: IMAGE, port: 8080, maxReplicas: 10, namespace: 'api', ...props });

describe('construct defaults pass every rule', () => {
  test.each<[string, Partial<AutoscaledServiceProps>]>([
    ['rolling update (default)', {}],
    ['rolling update at minReplicas 1', { minReplicas: 1 }],
    ['a fixed single pod (hpa: false, minReplicas 1)', { hpa: false, minReplicas: 1 }],
    ['blue-green', { strategy: RolloutStrategy.blueGreen({ active: DeploymentColour.BLUE }) }],
    ['canary (canaryMinReplicas 1 by default)', { strategy: RolloutStrategy.canary() }],
    ['KEDA', { keda: { triggers: [KedaTrigger.redisList({ address: 'redis.queue:6379', listName: 'jobs', listLength: 100 })] } }],
  ])('AutoscaledService: %s', (_, props) => {
    const chart = cluster({ api: PodSecurityLevel.RESTRICTED });
    new AutoscaledService(chart, 'web', service(props));
    expectClean(chart.node.root);
  });

  test('ConsensusStatefulSet', () => {
    const chart = cluster({ db: PodSecurityLevel.RESTRICTED });
    new ConsensusStatefulSet(chart, 'raft', { image: 'quay.io/coreos/etcd:v3.5.21', namespace: 'db' });
    expectClean(chart.node.root);
  });

  test('NetworkDaemonSet, in a namespace at the level it reports', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'agent', { disableResourceNameHashes: true });
    const agent = new NetworkDaemonSet(chart, 'agent', { image: 'registry.example.com/agent:1.0.0', namespace: 'network-system', ports: [{ name: 'health', number: 9879 }] });
    new NamespaceBaseline(chart, 'ns', { name: 'network-system', podSecurity: agent.podSecurityLevel });
    expectClean(app);
  });

  test('GrafanaDashboard, in a namespace with its baseline', () => {
    const chart = cluster({ monitoring: PodSecurityLevel.RESTRICTED });
    const dashboard = new Dashboard({ uid: 'api', title: 'API', rows: [{ title: 'Traffic', panels: [{ title: 'Up', type: PanelType.STAT, targets: [{ expr: 'up' }] }] }] });
    new GrafanaDashboard(chart, 'dashboard', { dashboard, namespace: 'monitoring' });
    expectClean(chart.node.root);
  });

  test('the backup constructs: locations, a schedule, the policy trio, a restore drill and a backup check', () => {
    const chart = cluster({ velero: PodSecurityLevel.RESTRICTED });
    const location = new BackupStorageLocation(chart, 'primary', { bucket: 'fleetcraft-backups', region: 'us-east-1', default: true });
    const snapshots = new VolumeSnapshotLocation(chart, 'ebs', { region: 'us-east-1' });
    new BackupPolicy(chart, 'policy', { location, snapshotLocation: snapshots });
    const daily = new VeleroSchedule(chart, 'daily', { schedule: Cron.daily(), includedNamespaces: ['db'] });
    new RestoreDrill(chart, 'drill', { schedule: daily, sourceNamespace: 'db' });
    new BackupCheck(chart, 'check', { schedules: [daily] });
    expectClean(chart.node.root);
  });

  const members = (scopes: Record<string, Construct | undefined>) => Object.entries(scopes).map(([name, scope], i) => ({ name, weight: 3 - i, scope }));
  const federated = { workload: FederatedWorkload.autoscaledService(service({ minReplicas: 2, maxReplicas: 30 })), totalReplicas: 9 };

  test('FederatedApp, per-cluster: one App per member cluster, a member whose share gives minReplicas 1 included', () => {
    const apps = ['use1', 'euw1', 'apse1'].map(() => Testing.app());
    const scopes = Object.fromEntries(['use1', 'euw1', 'apse1'].map((n, i) => [n, cluster({ api: PodSecurityLevel.RESTRICTED }, apps[i])]));
    const host = new Chart(Testing.app(), 'host');
    const fed = new FederatedApp(host, 'api', { ...federated, members: members(scopes) });
    expect(fed.memberWorkloads.apse1.minReplicas).toBe(1);
    for (const app of apps) expectClean(app);
  });

  test.each([['KubeFed', FederationBackend.kubefed()], ['Karmada', FederationBackend.karmada()]])('FederatedApp, %s: the control plane and the members in one App', (_, backend) => {
    const app = Testing.app();
    const host = cluster({ api: PodSecurityLevel.RESTRICTED }, app);
    const scopes = Object.fromEntries(['use1', 'euw1', 'apse1'].map((n) => [n, new Chart(app, n, { disableResourceNameHashes: true })]));
    new FederatedApp(host, 'api', { ...federated, backend, members: members(scopes) });
    expectClean(app);
  });
});
