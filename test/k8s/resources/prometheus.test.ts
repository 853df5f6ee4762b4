import { PodMonitor, PrometheusRule, ServiceMonitor } from '../../../lib/k8s/resources/prometheus';
import { findObject, synth, testChart } from '../../util';

describe('Prometheus operator resources', () => {
  test('ServiceMonitor', () => {
    const chart = testChart();
    new ServiceMonitor(chart, 'sm', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'api' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
        namespaceSelector: { matchNames: ['shop'] },
        endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s', scheme: 'http', honorLabels: false }],
        jobLabel: 'app.kubernetes.io/name',
        targetLabels: ['app.kubernetes.io/instance'],
        podTargetLabels: ['fleetcraft.io/track'],
      },
    });
    const sm = findObject(synth(chart), 'ServiceMonitor', 'api', 'shop');
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
  });

  test('PrometheusRule with alerting and recording rules', () => {
    const chart = testChart();
    new PrometheusRule(chart, 'rules', {
      metadata: { name: 'api-alerts', namespace: 'monitoring' },
      spec: {
        groups: [{
          name: 'api',
          interval: '1m',
          rules: [
            { record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total[5m]))' },
            {
              alert: 'HighErrorRate',
              expr: 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
              for: '10m',
              labels: { severity: 'critical' },
              annotations: { summary: 'More than 5 % of requests fail' },
            },
          ],
        }],
      },
    });
    const rule = findObject(synth(chart), 'PrometheusRule', 'api-alerts', 'monitoring');
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect((rule.spec as { groups: Array<{ rules: unknown[] }> }).groups[0].rules).toHaveLength(2);
  });
});

describe('PodMonitor', () => {
  test('scrapes pods by a named container port', () => {
    const chart = testChart();
    new PodMonitor(chart, 'pm', {
      metadata: { name: 'raft', namespace: 'consensus' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/instance': 'raft' } }, podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }], jobLabel: 'app.kubernetes.io/instance' },
    });
    const pm = findObject(synth(chart), 'PodMonitor', 'raft', 'consensus');
    expect(pm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(pm.spec).toEqual(expect.objectContaining({ podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }] }));
  });
});
