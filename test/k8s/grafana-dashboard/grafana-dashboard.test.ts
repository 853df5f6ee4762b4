import { Dashboard, GRAFANA_DASHBOARD_LABEL, GrafanaDashboard, PanelType } from '../../../lib';
import { findObject, synth, testChart } from '../../util';

const dashboard = (uid = 'fleetcraft-api') => new Dashboard({ uid, title: 'API', rows: [{ title: 'Traffic', panels: [{ title: 'Up', type: PanelType.STAT, targets: [{ expr: 'up' }] }] }] });

describe('GrafanaDashboard', () => {
  test('a ConfigMap in the namespace given, labelled for Grafana\'s sidecar, holding the dashboard JSON under <uid>.json', () => {
    const chart = testChart();
    const d = dashboard();
    const made = new GrafanaDashboard(chart, 'Api', { dashboard: d, namespace: 'monitoring', name: 'api-dashboard', partOf: 'fleetcraft' });
    const map = findObject(synth(chart), 'ConfigMap', 'api-dashboard', 'monitoring');
    expect(made.name).toBe('api-dashboard');
    expect(made.dashboard).toBe(d);
    expect(map.metadata?.labels).toEqual({
      'grafana_dashboard': '1', 'app.kubernetes.io/name': 'grafana-dashboard', 'app.kubernetes.io/instance': 'api-dashboard',
      'app.kubernetes.io/component': 'dashboard', 'app.kubernetes.io/managed-by': 'fleetcraft', 'app.kubernetes.io/part-of': 'fleetcraft',
    });
    expect(GRAFANA_DASHBOARD_LABEL).toEqual({ key: 'grafana_dashboard', value: '1' });
    const data = (map as { data?: Record<string, string> }).data ?? {};
    expect(Object.keys(data)).toEqual(['fleetcraft-api.json']);
    expect(JSON.parse(data['fleetcraft-api.json'])).toEqual(JSON.parse(JSON.stringify(d.toJson())));
  });

  describe('defaults', () => {
    test('name defaults to grafana-dashboard-<uid>, lower-cased with "_" written "-"', () => {
      const chart = testChart();
      expect(new GrafanaDashboard(chart, 'Api', { dashboard: dashboard('Fleet_API'), namespace: 'monitoring' }).name).toBe('grafana-dashboard-fleet-api');
      expect(findObject(synth(chart), 'ConfigMap', 'grafana-dashboard-fleet-api', 'monitoring').metadata?.name).toBe('grafana-dashboard-fleet-api');
    });

    test('partOf defaults to no part-of label', () => {
      const chart = testChart();
      new GrafanaDashboard(chart, 'Api', { dashboard: dashboard(), namespace: 'monitoring' });
      expect(findObject(synth(chart), 'ConfigMap', 'grafana-dashboard-fleetcraft-api', 'monitoring').metadata?.labels?.['app.kubernetes.io/part-of']).toBeUndefined();
    });
  });

  describe('refuses', () => {
    test('a default name that is not a DNS-1123 label', () => {
      expect(() => new GrafanaDashboard(testChart(), 'Api', { dashboard: dashboard('api-'), namespace: 'monitoring' })).toThrow(
        'GrafanaDashboard \'Api\': name ("grafana-dashboard-api-") derived from the dashboard\'s uid is not a DNS-1123 label; set name to one, e.g. "grafana-dashboard-api"');
    });

    test('a namespace that is not a DNS-1123 label', () => {
      expect(() => new GrafanaDashboard(testChart(), 'Api', { dashboard: dashboard(), namespace: 'Monitoring' })).toThrow('GrafanaDashboard \'Api\': namespace ("Monitoring") must be a DNS-1123 label');
    });

    test('a dashboard that is not a Dashboard', () => {
      expect(() => new GrafanaDashboard(testChart(), 'Api', { dashboard: { uid: 'x' } as unknown as Dashboard, namespace: 'monitoring' })).toThrow('GrafanaDashboard \'Api\': dashboard');
    });
  });
});
