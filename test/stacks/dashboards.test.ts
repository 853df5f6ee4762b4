import { Dashboard, PanelType } from '../../lib';
import { alertGroups, recordingGroups } from '../../stacks/alerts';
import { apiDashboard, consensusDashboard, networkDashboard, platformDashboards } from '../../stacks/dashboards';
import { EXPORTER_METRICS, exporterServes } from '../../stacks/exporter-metrics';
import { ALERT_TARGETS } from '../../stacks/platform';
import { metricNames } from '../../stacks/promql';

/** Where each name a panel reads comes from: an alert's expression, a recording rule, or an exporter's list. */
function unknownMetrics(dashboards: readonly Dashboard[]): string[] {
  const alerted = new Set(alertGroups(ALERT_TARGETS).flatMap((g) => g.rules.flatMap((r) => metricNames(r.expr))));
  const recorded = new Set(recordingGroups(ALERT_TARGETS).flatMap((g) => g.rules.map((r) => r.record)));
  return dashboards.flatMap((d) => d.expressions.flatMap((e) => metricNames(e.expr)
    .filter((m) => !alerted.has(m) && !recorded.has(m) && exporterServes(m) === undefined)
    .map((m) => `${d.uid} / ${e.row} / ${e.panel}: ${m}`)));
}

describe('the platform dashboards', () => {
  test('three: the API, the consensus cluster and the network layer, each with panels', () => {
    expect(platformDashboards(ALERT_TARGETS).map((d) => [d.uid, d.expressions.length > 0])).toEqual([
      ['fleetcraft-api', true], ['fleetcraft-consensus', true], ['fleetcraft-network', true],
    ]);
  });

  test('every metric a panel reads is named by an alert, a recording rule or an exporter the platform runs', () => {
    const dashboards = platformDashboards(ALERT_TARGETS);
    // The check has something to check: every dashboard reads metrics.
    for (const d of dashboards) expect(d.expressions.flatMap((e) => metricNames(e.expr)).length).toBeGreaterThan(0);
    expect(unknownMetrics(dashboards)).toEqual([]);
  });

  test('the check catches a panel reading a metric nothing serves', () => {
    const misspelt = new Dashboard({
      uid: 'typo', title: 'Typo',
      rows: [{ title: 'Row', panels: [{ title: 'Requests', type: PanelType.STAT, targets: [{ expr: 'sum(rate(http_request_total{job="api"}[5m])) / sum(up{job="api"})' }] }] }],
    });
    expect(unknownMetrics([misspelt])).toEqual(['typo / Row / Requests: http_request_total']);
  });

  test('the API dashboard reads the recorded series for traffic, errors and latency, not the raw histogram', () => {
    const names = apiDashboard(ALERT_TARGETS).expressions.flatMap((e) => metricNames(e.expr));
    expect(names).toEqual(expect.arrayContaining(['fleetcraft:api_requests:rate5m', 'fleetcraft:api_errors:ratio_rate5m', 'fleetcraft:api_latency_seconds:p99']));
    expect(names.filter((n) => n.startsWith('http_'))).toEqual([]);
  });

  test('the consensus and network dashboards select the PodMonitors\' jobs', () => {
    expect(consensusDashboard(ALERT_TARGETS).expressions.filter((e) => e.expr.includes('up{')).map((e) => e.expr)).toEqual(['sum(up{job="raft"})']);
    expect(networkDashboard(ALERT_TARGETS).expressions.filter((e) => e.expr.includes('up{')).map((e) => e.expr)).toEqual(['sum(up{job="transport-agent"})']);
  });

  test('every exporter list names its source and only metric names', () => {
    for (const m of Object.values(EXPORTER_METRICS)) {
      expect(m.source).not.toBe('');
      for (const name of [...m.series, ...m.histograms]) expect(name).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
    }
  });
});
