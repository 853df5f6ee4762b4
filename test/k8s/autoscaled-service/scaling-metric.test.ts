import { ScalingMetric, ScalingMetricType, ScalingTargetType } from '../../../lib/k8s/autoscaled-service';

describe('ScalingMetric', () => {
  test('cpu defaults to 70 % utilisation', () => {
    const m = ScalingMetric.cpu();
    expect([m.type, m.name, m.target, m.targetType, m.isUtilization, m.selector]).toEqual([ScalingMetricType.RESOURCE, 'cpu', 70, ScalingTargetType.UTILIZATION, true, undefined]);
    expect(m.toString()).toBe('cpu 70%');
  });

  test('memory defaults to 80 % utilisation', () => {
    const m = ScalingMetric.memory();
    expect([m.type, m.name, m.target, m.targetType]).toEqual(['Resource', 'memory', 80, 'Utilization']);
  });

  test('cpu and memory take other targets', () => {
    expect(ScalingMetric.cpu(50).target).toBe(50);
    expect(ScalingMetric.memory(65).toString()).toBe('memory 65%');
  });

  test('podMetric is an average value per pod, optionally narrowed by labels', () => {
    const m = ScalingMetric.podMetric('http_requests_per_second', 1000, { path: '/api' });
    expect([m.type, m.name, m.target, m.targetType, m.isUtilization, m.selector]).toEqual(['Pods', 'http_requests_per_second', 1000, 'AverageValue', false, { path: '/api' }]);
    expect(m.toString()).toBe('pods http_requests_per_second 1000');
    expect(ScalingMetric.podMetric('active_connections', 500).selector).toBeUndefined();
  });

  test('externalMetric is an average value per pod with a selector', () => {
    const m = ScalingMetric.externalMetric('queue_messages_ready', 100, { queue: 'jobs' });
    expect([m.type, m.name, m.target, m.targetType, m.selector]).toEqual(['External', 'queue_messages_ready', 100, 'AverageValue', { queue: 'jobs' }]);
    expect(m.toString()).toBe('external queue_messages_ready 100');
  });
});
