import { KUBEFED_KINDS, KubeFedFederatedResource, KubeFedKind, ReplicaSchedulingPreference } from '../../../lib/k8s/resources/kubefed';
import { findObject, synth, testChart } from '../../util';

describe('KubeFed resources (v0.8.1 CRDs)', () => {
  test('every default federated kind passes the v0.8.1 schema, with placement, overrides and retainReplicas', () => {
    const chart = testChart();
    for (const kind of Object.values(KubeFedKind)) {
      new KubeFedFederatedResource(chart, kind, {
        kind,
        metadata: { name: 'api', namespace: kind === KubeFedKind.CLUSTER_ROLE || kind === KubeFedKind.NAMESPACE ? undefined : 'shop' },
        spec: {
          template: { metadata: { labels: { app: 'api' } }, spec: {} },
          placement: { clusters: [{ name: 'us-east-1' }], clusterSelector: { matchLabels: { region: 'us' } } },
          overrides: [{ clusterName: 'us-east-1', clusterOverrides: [{ op: 'replace', path: '/spec/replicas', value: 3 }, { op: 'remove', path: '/metadata/labels/app' }] }],
          ...(kind === KubeFedKind.DEPLOYMENT ? { retainReplicas: true } : {}),
        },
      });
    }
    const objects = synth(chart);
    const deployment = findObject(objects, 'FederatedDeployment', 'api', 'shop');
    expect(deployment.apiVersion).toBe('types.kubefed.io/v1beta1');
    expect(objects).toHaveLength(10);
  });

  test('KUBEFED_KINDS maps each target kind to its federated kind', () => {
    expect(KUBEFED_KINDS.Deployment).toBe('FederatedDeployment');
    expect(KUBEFED_KINDS.Service).toBe('FederatedService');
    expect(KUBEFED_KINDS.HorizontalPodAutoscaler).toBeUndefined();
  });

  test('ReplicaSchedulingPreference is scheduling.kubefed.io/v1alpha1', () => {
    const chart = testChart();
    new ReplicaSchedulingPreference(chart, 'rsp', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: { targetKind: 'FederatedDeployment', totalReplicas: 9, rebalance: true, intersectWithClusterSelector: false, clusters: { '*': { weight: 1 }, 'a': { minReplicas: 1, maxReplicas: 5, weight: 2 } } },
    });
    const rsp = findObject(synth(chart), 'ReplicaSchedulingPreference', 'api', 'shop');
    expect(rsp.apiVersion).toBe('scheduling.kubefed.io/v1alpha1');
    expect(rsp.spec).toEqual(expect.objectContaining({ targetKind: 'FederatedDeployment', totalReplicas: 9 }));
  });
});
