import { ScaledObject } from '../../../lib/k8s/resources/keda';
import { Testing } from 'cdk8s';
import { findObject, synth } from '../../util';

describe('ScaledObject', () => {
  test('emits keda.sh/v1alpha1 with triggers, bounds and HPA behaviour', () => {
    const chart = Testing.chart(); // the raw resource alone: its target Deployment is not in the set
    new ScaledObject(chart, 'so', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        minReplicaCount: 3,
        maxReplicaCount: 100,
        pollingInterval: 30,
        cooldownPeriod: 300,
        advanced: {
          restoreToOriginalReplicaCount: false,
          horizontalPodAutoscalerConfig: { behavior: { scaleUp: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } } },
        },
        triggers: [
          { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
          { type: 'redis', metadata: { address: 'redis:6379', listName: 'jobs', listLength: '100' }, authenticationRef: { name: 'redis-auth', kind: 'TriggerAuthentication' } },
        ],
      },
    });
    const so = findObject(synth(chart), 'ScaledObject', 'api', 'shop');
    expect(so.apiVersion).toBe('keda.sh/v1alpha1');
    expect(so.spec).toEqual(expect.objectContaining({ minReplicaCount: 3, maxReplicaCount: 100 }));
  });
});
