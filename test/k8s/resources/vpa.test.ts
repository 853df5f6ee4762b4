import { VerticalPodAutoscaler } from '../../../lib/k8s/resources/vpa';
import { findObject, synth, testChart } from '../../util';

describe('VerticalPodAutoscaler', () => {
  test('emits autoscaling.k8s.io/v1 in recommendation mode with container policies', () => {
    const chart = testChart();
    new VerticalPodAutoscaler(chart, 'vpa', {
      metadata: { name: 'api' },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        updatePolicy: { updateMode: 'Off' },
        resourcePolicy: { containerPolicies: [{ containerName: 'app', controlledResources: ['cpu', 'memory'], controlledValues: 'RequestsOnly', minAllowed: { cpu: '100m' }, maxAllowed: { memory: '2Gi' } }] },
      },
    });
    const vpa = findObject(synth(chart), 'VerticalPodAutoscaler', 'api');
    expect(vpa.apiVersion).toBe('autoscaling.k8s.io/v1');
    expect(vpa.spec).toEqual(expect.objectContaining({ updatePolicy: { updateMode: 'Off' } }));
  });
});
