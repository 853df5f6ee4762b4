import { dev, production, staging } from '../../environments';
import { KubeObject, NETWORK_NOT_READY_TAINT, NetworkDaemonSet } from '../../lib';
import { CONSENSUS_SNAPSHOT_MAX_AGE_SECONDS, RECEIVE_DROPS_PER_SECOND, RECORDED, STARTUP_TAINT_MAX_MINUTES, TCP_RETRANSMIT_RATIO } from '../../stacks/alerts';
import { DEFAULT_API_SCRAPE_INTERVAL_SECONDS, NETWORK_AGENT_METRICS_PORT, networkAgentMonitor } from '../../stacks/platform';
import { metricNames } from '../../stacks/promql';
import { renderEnvironment } from '../../stacks/render';
import { expectConformant, field, findAll, findObject, schemaRegistry, testChart } from '../util';

type Rule = { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string> };
type Group = { name: string; rules: Rule[] };

const render = (env: typeof production) => renderEnvironment(env, schemaRegistry());
const prod = render(production);
const objectsOf = (rendered: ReturnType<typeof render>, cluster: string, component?: string): KubeObject[] => rendered.objects
  .filter((o) => o.cluster === cluster && (component === undefined || o.component === component)).map((o) => o.object);
const prodMonitoring = objectsOf(prod, 'prod-euw1', 'monitoring');
const groupsOf = (objects: readonly KubeObject[], name: string): Group[] => field(findObject(objects, 'PrometheusRule', name, 'monitoring'), 'spec.groups') as Group[];
const alertsOf = (objects: readonly KubeObject[]): Rule[] => groupsOf(objects, 'fleetcraft-alerts').flatMap((g) => g.rules);
const alert = (name: string): Rule => {
  const found = alertsOf(prodMonitoring).filter((r) => r.alert === name);
  if (found.length !== 1) throw new Error(`expected one alert ${name}, found ${found.length}`);
  return found[0];
};

describe('observability in the synthesized production output', () => {
  test('every monitoring object of every production cluster passes the upstream schemas and the policy rules', () => {
    expect(prod.violations.filter((v) => v.severity === 'error')).toEqual([]);
    for (const region of production.regions) expectConformant(objectsOf(prod, region.clusterName, 'monitoring'));
  });

  test('Prometheus scrapes the API every 10 s in production, every 30 s in staging and dev (the default)', () => {
    const interval = (rendered: ReturnType<typeof render>, cluster: string) =>
      (field(findObject(objectsOf(rendered, cluster, 'api'), 'ServiceMonitor', 'api', 'api'), 'spec.endpoints') as Array<{ interval: string }>).map((e) => e.interval);
    for (const region of production.regions) expect(interval(prod, region.clusterName)).toEqual(['10s']);
    expect(staging.api.scrapeIntervalSeconds).toBeUndefined();
    expect(DEFAULT_API_SCRAPE_INTERVAL_SECONDS).toBe(30);
    expect(interval(render(staging), 'staging-use1')).toEqual(['30s']);
    expect(interval(render(dev), 'dev-use1')).toEqual(['30s']);
  });

  test('ApiDown fires after 1 minute when no API target is up or none exists, on the ServiceMonitor\'s job', () => {
    const down = alert('ApiDown');
    expect(down.for).toBe('1m');
    expect(down.expr).toBe('sum(up{job="api"}) == 0 or absent(up{job="api"})');
    expect(down.labels).toEqual({ severity: 'critical', environment: 'production', cluster: 'prod-euw1' });
    // The job is the Service's name (a ServiceMonitor without jobLabel), and that Service is the one the monitor selects.
    const monitor = findObject(objectsOf(prod, 'prod-euw1', 'api'), 'ServiceMonitor', 'api', 'api');
    expect(field(monitor, 'spec.jobLabel')).toBeUndefined();
    const service = findObject(objectsOf(prod, 'prod-euw1', 'api'), 'Service', 'api', 'api');
    expect(field(service, 'metadata.labels')).toEqual(expect.objectContaining(field(monitor, 'spec.selector.matchLabels') as Record<string, string>));
  });

  test('a failed backup check or restore drill, and a consensus snapshot older than two hourly runs, each raise a critical alert on the objects production runs', () => {
    const failed = alert('BackupVerificationFailed');
    expect([failed.for, failed.labels?.severity]).toEqual(['0m', 'critical']);
    expect(failed.expr).toBe('max by (namespace, job_name) (kube_job_failed{namespace="backup-checks",condition="true"}) > 0');
    // The drill and the check run as CronJobs in exactly that namespace.
    const backup = objectsOf(prod, 'prod-euw1', 'backup');
    expect(findAll(backup, 'CronJob').filter((o) => o.metadata?.namespace === 'backup-checks').map((o) => o.metadata?.name).sort()).toEqual(['backup-check', 'restore-drill']);
    const stale = alert('ConsensusSnapshotStale');
    expect(stale.expr).toBe(`time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{namespace="consensus",cronjob=~".+-snapshot"}) > ${CONSENSUS_SNAPSHOT_MAX_AGE_SECONDS}`);
    expect(CONSENSUS_SNAPSHOT_MAX_AGE_SECONDS).toBe(3 * 3600);
    const snapshots = findAll(objectsOf(prod, 'prod-euw1', 'consensus'), 'CronJob').filter((o) => /^.+-snapshot$/.test(o.metadata?.name ?? ''));
    expect(snapshots.map((o) => [o.metadata?.namespace, field(o, 'spec.schedule')])).toEqual([['consensus', '0 * * * *']]);
  });

  test('the recording rules follow level:metric:operations and record the API\'s rate, error ratios and latency percentiles', () => {
    const groups = groupsOf(prodMonitoring, 'fleetcraft-recording-rules');
    expect(groups.map((g) => g.name)).toEqual(['fleetcraft-api-recording']);
    const rules = groups[0].rules;
    expect(rules.every((r) => r.alert === undefined && r.for === undefined)).toBe(true);
    expect(rules.map((r) => r.record)).toEqual([
      'fleetcraft:api_requests:rate5m', 'fleetcraft:api_errors:rate5m', 'fleetcraft:api_errors:ratio_rate5m', 'fleetcraft:api_errors:ratio_rate15m',
      'fleetcraft:api_request_duration_seconds_bucket:rate5m', 'fleetcraft:api_latency_seconds:p99', 'fleetcraft:api_latency_seconds:p95',
    ]);
    for (const r of rules) expect(r.record).toMatch(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
    const expr = (name: string) => rules.filter((r) => r.record === name).map((r) => r.expr);
    expect(expr(RECORDED.apiRequestsRate5m)).toEqual(['sum(rate(http_requests_total{job="api"}[5m]))']);
    expect(expr(RECORDED.apiLatencyBucketsRate5m)).toEqual(['sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m]))']);
    expect(expr(RECORDED.apiLatencyP99)).toEqual(['histogram_quantile(0.99, fleetcraft:api_request_duration_seconds_bucket:rate5m)']);
    // A rule reads only series recorded before it in its group (Prometheus evaluates a group in order).
    rules.forEach((r, i) => {
      const recorded = metricNames(r.expr).filter((m) => m.includes(':'));
      expect(recorded.filter((m) => !rules.slice(0, i).some((earlier) => earlier.record === m))).toEqual([]);
    });
  });

  test('the API alerts read the recorded series, never the raw request metrics', () => {
    const apiAlerts = groupsOf(prodMonitoring, 'fleetcraft-alerts').filter((g) => g.name === 'api').flatMap((g) => g.rules);
    for (const r of apiAlerts) expect(metricNames(r.expr).filter((m) => m.startsWith('http_request'))).toEqual([]);
    expect(alert('ApiHighErrorRate').expr).toBe('fleetcraft:api_errors:ratio_rate5m > 0.05');
    expect(alert('ApiElevatedErrorRate').expr).toBe('fleetcraft:api_errors:ratio_rate15m > 0.01');
    expect(alert('ApiHighLatencyP99').expr).toBe('fleetcraft:api_latency_seconds:p99 > 1');
    expect(alert('ApiHighLatencyP95').expr).toBe('fleetcraft:api_latency_seconds:p95 > 0.5');
  });

  test('the network group: agent unavailable and down, the startup taint kept too long, receive drops, TCP retransmits', () => {
    const network = groupsOf(prodMonitoring, 'fleetcraft-alerts').filter((g) => g.name === 'network');
    expect(network.map((g) => g.rules.map((r) => r.alert))).toEqual([['NetworkAgentUnavailable', 'NetworkAgentDown', 'NodeNetworkNotReady', 'NodeNetworkReceiveDrops', 'NodeTcpRetransmitsHigh']]);
    expect(alert('NetworkAgentUnavailable').expr).toBe('kube_daemonset_status_number_unavailable{namespace="network-system",daemonset="transport-agent"} > 0');
    expect(alert('NetworkAgentDown').expr).toBe('up{job="transport-agent"} == 0');
    const taint = alert('NodeNetworkNotReady');
    expect(NETWORK_NOT_READY_TAINT.key).toBe('fleetcraft.io/network-not-ready');
    expect(taint.expr).toBe('max by (node) (kube_node_spec_taint{key="fleetcraft.io/network-not-ready"}) > 0');
    expect(taint.for).toBe(`${STARTUP_TAINT_MAX_MINUTES}m`);
    expect(STARTUP_TAINT_MAX_MINUTES).toBe(10);
    expect(alert('NodeNetworkReceiveDrops').expr).toBe(`sum by (instance) (rate(node_network_receive_drop_total{device!="lo"}[5m])) > ${RECEIVE_DROPS_PER_SECOND}`);
    expect(alert('NodeTcpRetransmitsHigh').expr).toBe(`rate(node_netstat_Tcp_RetransSegs[5m]) / rate(node_netstat_Tcp_OutSegs[5m]) > ${TCP_RETRANSMIT_RATIO}`);
    // The agent's availability is in this group only, not also in workloads.
    expect(alertsOf(prodMonitoring).filter((r) => r.alert === 'NetworkAgentUnavailable')).toHaveLength(1);
  });

  test('the network agent\'s PodMonitor selects the DaemonSet\'s pods by their labels, on a named port the agent container exposes', () => {
    const monitor = findObject(prodMonitoring, 'PodMonitor', 'transport-agent', 'network-system');
    const ds = findObject(objectsOf(prod, 'prod-euw1', 'network'), 'DaemonSet', 'transport-agent', 'network-system');
    const selector = field(monitor, 'spec.selector.matchLabels') as Record<string, string>;
    expect(selector).toEqual(field(ds, 'spec.selector.matchLabels'));
    expect(field(ds, 'spec.template.metadata.labels')).toEqual(expect.objectContaining(selector));
    expect(field(monitor, 'spec.namespaceSelector')).toEqual({ matchNames: ['network-system'] });
    const containers = field(ds, 'spec.template.spec.containers') as Array<{ name: string; ports?: Array<{ name: string; containerPort: number }> }>;
    const agentPorts = containers.filter((c) => c.name === 'agent').flatMap((c) => c.ports ?? []);
    expect(agentPorts).toContainEqual(expect.objectContaining({ name: 'metrics', containerPort: NETWORK_AGENT_METRICS_PORT.number }));
    expect(field(monitor, 'spec.podMetricsEndpoints')).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    // Its job is the pods' instance label, which the alerts and the network dashboard select.
    expect(field(monitor, 'spec.jobLabel')).toBe('app.kubernetes.io/instance');
    expect(selector['app.kubernetes.io/instance']).toBe('transport-agent');
  });

  test('an agent without the metrics port gets no PodMonitor scraping nothing: the platform refuses it, naming the ports it has', () => {
    const chart = testChart();
    const agent = new NetworkDaemonSet(chart, 'agent', { name: 'transport-agent', namespace: 'network-system', image: 'registry.example.com/agent:1.0.0', ports: [{ name: 'health', number: 9879 }] });
    expect(() => networkAgentMonitor(chart, agent, {})).toThrow('the network agent exposes no "metrics" port (it has health); add it to its ports so its PodMonitor can scrape it');
  });

  test('the rendered kube-prometheus-stack values run Grafana with its dashboard sidecar on that label, searching every namespace', () => {
    const apps = prod.objects.filter((o) => o.cluster === 'prod-euw1' && o.object.kind === 'Application' && field(o.object, 'spec.source.chart') === 'kube-prometheus-stack');
    expect(apps).toHaveLength(1);
    const values = field(apps[0].object, 'spec.source.helm.valuesObject');
    expect(field(values, 'grafana.enabled')).toBe(true);
    expect(field(values, 'grafana.sidecar.dashboards')).toEqual({ enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' });
  });

  test('three dashboards, as ConfigMaps in the monitoring namespace labelled for Grafana\'s sidecar, holding dashboard JSON', () => {
    const maps = findAll(prodMonitoring, 'ConfigMap');
    expect(maps.map((m) => m.metadata?.name).sort()).toEqual(['grafana-dashboard-fleetcraft-api', 'grafana-dashboard-fleetcraft-consensus', 'grafana-dashboard-fleetcraft-network']);
    for (const uid of ['fleetcraft-api', 'fleetcraft-consensus', 'fleetcraft-network']) {
      const map = findObject(prodMonitoring, 'ConfigMap', `grafana-dashboard-${uid}`, 'monitoring');
      expect(map.metadata?.labels?.grafana_dashboard).toBe('1');
      const data = field(map, 'data') as Record<string, string>;
      expect(Object.keys(data)).toEqual([`${uid}.json`]);
      const json = JSON.parse(data[`${uid}.json`]) as { uid: string; schemaVersion: number; panels: Array<{ type: string }> };
      expect(json.uid).toBe(uid);
      expect(json.schemaVersion).toBe(39);
      expect(new Set(json.panels.map((p) => p.type))).toEqual(new Set(['row', 'timeseries', 'stat', 'gauge'].filter((t) => uid !== 'fleetcraft-network' || t !== 'gauge')));
    }
  });
});
