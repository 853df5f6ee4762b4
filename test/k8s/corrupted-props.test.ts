/**
 * Props from plain JavaScript, corrupted one key at a time with hostile values: every construct either refuses
 * with its own message (`<Construct> '<id>': ...`, never a TypeError or RangeError from deep inside) or builds
 * objects that pass the conformance checks (schemas where ../shared/crds is present, API-server rules always).
 */
import { Chart, Cron } from 'cdk8s';
import { Construct } from 'constructs';
import { AUTOSCALED_SERVICE_PROP_SHAPES, AutoscaledService } from '../../lib/k8s/autoscaled-service';
import {
  BACKUP_POLICY_PROP_SHAPES, BACKUP_STORAGE_LOCATION_PROP_SHAPES, BackupPolicy, BackupStorageLocation, RESTORE_DRILL_PROP_SHAPES, RestoreDrill, BACKUP_CHECK_PROP_SHAPES, BackupCheck,
  VELERO_SCHEDULE_PROP_SHAPES, VeleroSchedule, VOLUME_SNAPSHOT_LOCATION_PROP_SHAPES, VolumeSnapshotLocation,
} from '../../lib/k8s/backup';
import { CONSENSUS_PROP_SHAPES, ConsensusStatefulSet } from '../../lib/k8s/consensus';
import { FEDERATED_APP_PROP_SHAPES, FederatedApp, FederatedWorkload } from '../../lib/k8s/federation';
import { NAMESPACE_BASELINE_PROP_SHAPES, NamespaceBaseline } from '../../lib/k8s/namespace-baseline';
import { NETWORK_DAEMON_SET_PROP_SHAPES, NetworkDaemonSet } from '../../lib/k8s/network-agent';
import { Dashboard, GRAFANA_DASHBOARD_PROP_SHAPES, GrafanaDashboard, PanelType } from '../../lib/k8s/grafana-dashboard';
import { CLUSTER_ADDONS_PROP_SHAPES, ClusterAddons, HELM_APPLICATION_PROP_SHAPES, HelmApplication } from '../../lib/k8s/addons';
import { checkConformance, formatViolation, KubeObject } from '../../lib';
import { PropTable } from '../../lib/private/prop-guard';
import { schemaRegistry, testApp } from '../util';

const circular: Record<string, unknown> = {};
circular.self = circular;

/** What a JavaScript caller, a YAML config or an `as any` can hand a construct. */
const HOSTILE: ReadonlyArray<readonly [string, unknown]> = [
  ['null', null], ['true', true], ['a string', 'x'], ['"A=1"', 'A=1'], ['a path', '../etc'], ['42', 42], ['-1', -1], ['0.5', 0.5],
  ['1e308', 1e308], ['NaN', NaN], ['Infinity', Infinity], ['a BigInt', 10n], ['an empty list', []], ['a list of numbers', [1, 2]],
  ['an empty object', {}], ['an object', { a: 1 }], ['a circular object', circular], ['a symbol', Symbol('s')], ['a function', () => 1],
  ['a Date', new Date(0)],
];

interface Subject {
  readonly name: string;
  readonly table: PropTable;
  readonly base: (chart: Chart) => Record<string, unknown>;
  readonly build: (chart: Chart, props: unknown) => void;
}

const SUBJECTS: readonly Subject[] = [
  { name: 'ConsensusStatefulSet', table: CONSENSUS_PROP_SHAPES, base: () => ({ image: 'quay.io/coreos/etcd:v3.5.21', namespace: 'db' }), build: (c, p) => new ConsensusStatefulSet(c, 'raft', p as never) },
  {
    name: 'GrafanaDashboard', table: GRAFANA_DASHBOARD_PROP_SHAPES,
    base: () => ({ namespace: 'monitoring', dashboard: new Dashboard({ uid: 'api', title: 'API', rows: [{ title: 'Traffic', panels: [{ title: 'Up', type: PanelType.STAT, targets: [{ expr: 'up' }] }] }] }) }),
    build: (c, p) => new GrafanaDashboard(c, 'api', p as never),
  },
  { name: 'NamespaceBaseline', table: NAMESPACE_BASELINE_PROP_SHAPES, base: () => ({ name: 'api' }), build: (c, p) => new NamespaceBaseline(c, 'ns', p as never) },
  { name: 'NetworkDaemonSet', table: NETWORK_DAEMON_SET_PROP_SHAPES, base: () => ({ image: 'registry.example.com/agent:1.0.0', namespace: 'network-system' }), build: (c, p) => new NetworkDaemonSet(c, 'agent', p as never) },
  { name: 'AutoscaledService', table: AUTOSCALED_SERVICE_PROP_SHAPES, base: () => ({ image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 2, maxReplicas: 6, namespace: 'api' }), build: (c, p) => new AutoscaledService(c, 'api', p as never) },
  { name: 'VeleroSchedule', table: VELERO_SCHEDULE_PROP_SHAPES, base: () => ({ schedule: Cron.daily(), includedNamespaces: ['db'] }), build: (c, p) => new VeleroSchedule(c, 'daily', p as never) },
  { name: 'BackupStorageLocation', table: BACKUP_STORAGE_LOCATION_PROP_SHAPES, base: () => ({ bucket: 'fleetcraft-backups', region: 'us-east-1' }), build: (c, p) => new BackupStorageLocation(c, 'primary', p as never) },
  { name: 'VolumeSnapshotLocation', table: VOLUME_SNAPSHOT_LOCATION_PROP_SHAPES, base: () => ({ region: 'us-east-1' }), build: (c, p) => new VolumeSnapshotLocation(c, 'ebs', p as never) },
  {
    name: 'BackupPolicy', table: BACKUP_POLICY_PROP_SHAPES,
    base: (c) => ({ location: new BackupStorageLocation(c, 'primary', { bucket: 'fleetcraft-backups', region: 'us-east-1' }) }),
    build: (c, p) => new BackupPolicy(c, 'backups', p as never),
  },
  {
    name: 'RestoreDrill', table: RESTORE_DRILL_PROP_SHAPES,
    base: (c) => ({ schedule: new VeleroSchedule(c, 'daily', { schedule: '0 2 * * *' }), sourceNamespace: 'consensus' }),
    build: (c, p) => new RestoreDrill(c, 'drill', p as never),
  },
  {
    name: 'BackupCheck', table: BACKUP_CHECK_PROP_SHAPES,
    base: (c) => ({ schedules: [new VeleroSchedule(c, 'daily', { schedule: '0 2 * * *' })] }),
    build: (c, p) => new BackupCheck(c, 'check', p as never),
  },
  {
    name: 'HelmApplication', table: HELM_APPLICATION_PROP_SHAPES,
    base: () => ({ name: 'use1-velero', project: 'addons', chart: { repoURL: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '12.1.0' }, cluster: 'use1', targetNamespace: 'velero' }),
    build: (c, p) => new HelmApplication(c, 'velero', p as never),
  },
  {
    name: 'ClusterAddons', table: CLUSTER_ADDONS_PROP_SHAPES,
    base: () => ({
      addons: ['kube-prometheus-stack', 'prometheus-adapter', 'cluster-autoscaler'], project: 'addons',
      cluster: { name: 'use1', region: 'us-east-1', environment: 'prod', accountId: '111122223333', domain: 'example.com' },
      customMetrics: [{ name: 'http_requests_per_second', counter: 'http_requests_total' }],
    }),
    build: (c, p) => new ClusterAddons(c, 'addons', p as never),
  },
  {
    name: 'FederatedApp', table: FEDERATED_APP_PROP_SHAPES,
    base: (c) => {
      const app = c.node.root as Construct;
      const region = (n: string) => new Chart(app, n, { disableResourceNameHashes: true });
      return {
        workload: FederatedWorkload.autoscaledService({ image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 2, maxReplicas: 20 }),
        totalReplicas: 9,
        members: [{ name: 'use1', weight: 2, scope: region('use1') }, { name: 'euw1', weight: 1, scope: region('euw1') }],
      };
    },
    build: (c, p) => new FederatedApp(c, 'api', p as never),
  },
];

const CONSTRUCT_MESSAGE = /^[A-Z][A-Za-z.]+ '[^']*': /;

/** Builds `props` in a fresh app; answers what went wrong, or undefined when it refused well or built valid objects. */
function trial(subject: Subject, corrupt: (base: Record<string, unknown>) => unknown): string | undefined {
  const app = testApp();
  const chart = new Chart(app, 'test', { disableResourceNameHashes: true });
  let props: unknown;
  try {
    props = corrupt(subject.base(chart));
    subject.build(chart, props);
    const objects = app.charts.flatMap((c) => c.toJson() as KubeObject[]);
    const violations = checkConformance(objects, schemaRegistry());
    return violations.length === 0 ? undefined : `accepted, but the output is invalid: ${violations.slice(0, 2).map(formatViolation).join('; ')}`;
  } catch (e) {
    if (!(e instanceof Error) || e.constructor !== Error) return `threw a raw ${(e as Error)?.constructor?.name ?? typeof e}: ${String((e as Error)?.message ?? e)}`;
    return CONSTRUCT_MESSAGE.test(e.message) ? undefined : `threw a message not naming the construct: ${e.message}`;
  }
}

describe.each(SUBJECTS.map((s) => [s.name, s] as const))('%s with corrupted props', (_name, subject) => {
  test('the base props build valid objects', () => {
    expect(trial(subject, (base) => base)).toBeUndefined();
  });

  test('every prop, set to every hostile value, is refused with the construct\'s message or builds valid objects', () => {
    const failures: string[] = [];
    for (const key of Object.keys(subject.table)) {
      for (const [label, value] of HOSTILE) {
        const problem = trial(subject, (base) => ({ ...base, [key]: value }));
        if (problem) failures.push(`${key} = ${label}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('a misspelt key is refused with the nearest known name, an unrelated one with the list', () => {
    const key = Object.keys(subject.table).find((k) => k.length > 4) ?? Object.keys(subject.table)[0];
    const typo = `${key.slice(0, -1)}${key.slice(-1) === 'x' ? 'y' : 'x'}`;
    expect(() => subject.build(new Chart(testApp(), 't'), { ...subject.base(new Chart(testApp(), 'b')), [typo]: 1 }))
      .toThrow(`${typo} (1) is not a known prop; did you mean "${key}"?`);
  });

  test('props that are not an object are refused, never read', () => {
    for (const [, value] of HOSTILE.filter(([, v]) => typeof v !== 'object' || v === null || Array.isArray(v))) {
      expect(trial(subject, () => value)).toBeUndefined();
    }
  });
});
