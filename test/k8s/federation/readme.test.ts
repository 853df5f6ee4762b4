import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { FederatedApp, FederationBackend } from '../../../lib/k8s/federation';
import { FederatedWorkload } from '../../../lib/k8s/federation';
import { countOf, synth, testApp } from '../../util';

/** The README example, once per backend. */
function readmeExample(app: App, backend: FederationBackend) {
  const regions = [
    { name: 'us-east-1', weight: 3 },
    { name: 'eu-west-1', weight: 2 },
    { name: 'ap-southeast-1', weight: 1 },
  ];
  // one chart per member cluster (already created by the stack), plus the management / host / Karmada chart
  const charts = Object.fromEntries(regions.map((r) => [r.name, new Chart(app, r.name, { namespace: 'shop' })]));
  const management = new Chart(app, 'management', { namespace: 'shop' });

  const api = new FederatedApp(management, 'checkout', {
    workload: FederatedWorkload.autoscaledService({
      image: 'registry.example.com/checkout:1.4.2',
      port: 8080,
      minReplicas: 6, // totals across the members
      maxReplicas: 90,
    }),
    totalReplicas: 45,
    members: regions.map((r) => ({
      ...r,
      scope: charts[r.name],
      overrides: r.name === 'eu-west-1'
        ? { env: { DATA_RESIDENCY: 'eu' }, resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } } }
        : undefined,
    })),
    backend,
  });
  return { api, charts, management };
}

describe('the README example synthesizes and passes the conformance harness', () => {
  test('per-cluster, with an Argo CD ApplicationSet', () => {
    const { api, charts, management } = readmeExample(testApp(), FederationBackend.perCluster({
      applicationSet: { repoURL: 'https://git.example.com/gitops.git', path: 'production/{{member}}/checkout' },
    }));
    expect(api.split).toEqual({ 'us-east-1': 23, 'eu-west-1': 15, 'ap-southeast-1': 7 });
    expect(countOf(synth(management), 'ApplicationSet', 'checkout', 'argocd')).toBe(1);
    expect(countOf(synth(charts['eu-west-1']), 'Deployment', 'checkout', 'shop')).toBe(1);
  });

  test('KubeFed', () => {
    const { charts, management } = readmeExample(testApp(), FederationBackend.kubefed());
    expect(countOf(synth(management), 'FederatedDeployment', 'checkout', 'shop')).toBe(1);
    expect(countOf(synth(charts['us-east-1']), 'HorizontalPodAutoscaler', 'checkout', 'shop')).toBe(1);
  });

  test('Karmada', () => {
    const { management } = readmeExample(testApp(), FederationBackend.karmada());
    const objects = synth(management);
    expect(countOf(objects, 'PropagationPolicy', 'checkout-workload', 'shop')).toBe(1);
    expect(countOf(objects, 'OverridePolicy', 'checkout-deployment', 'shop')).toBe(1);
  });
});
