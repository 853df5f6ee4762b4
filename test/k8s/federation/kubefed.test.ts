import { Chart } from 'cdk8s';
import { AutoscaledServiceProps } from '../../../lib/k8s/autoscaled-service';
import { FederatedApp, FederatedMember, FederationBackend, FederationBackendType } from '../../../lib/k8s/federation';
import { FederatedWorkload } from '../../../lib/k8s/federation';
import { RolloutStrategy } from '../../../lib/k8s/autoscaled-service';
import { field, findAll, findObject, synth, testApp } from '../../util';

const SERVICE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 6, maxReplicas: 90, namespace: 'shop' };
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
const WEIGHTS = [3, 2, 1];

function build(service: Partial<AutoscaledServiceProps> = {}, extras: Array<Partial<FederatedMember>> = [], totalReplicas = 45) {
  const app = testApp();
  const host = new Chart(app, 'host', { disableResourceNameHashes: true });
  const charts: Record<string, Chart> = Object.fromEntries(REGIONS.map((r) => [r, new Chart(app, r, { disableResourceNameHashes: true })]));
  const fed = new FederatedApp(host, 'api', {
    workload: FederatedWorkload.autoscaledService({ ...SERVICE, ...service }),
    totalReplicas,
    members: REGIONS.map((name, i) => ({ name, weight: WEIGHTS[i], scope: charts[name], ...extras[i] })),
    backend: FederationBackend.kubefed(),
  });
  return { fed, host, charts };
}

describe('FederatedApp with the KubeFed backend (archived upstream)', () => {
  const { fed, host, charts } = build({}, [{}, { overrides: { image: 'registry.example.com/api:1.4.3' } }, {}]);
  const objects = synth(host);
  const deployment = findObject(objects, 'FederatedDeployment', 'api', 'shop');

  test('the host chart holds FederatedServiceAccount, FederatedDeployment, FederatedService and a ReplicaSchedulingPreference', () => {
    expect(fed.backend).toBe(FederationBackendType.KUBEFED);
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata?.name}`).sort()).toEqual([
      'scheduling.kubefed.io/v1alpha1 ReplicaSchedulingPreference/api',
      'types.kubefed.io/v1beta1 FederatedDeployment/api',
      'types.kubefed.io/v1beta1 FederatedService/api',
      'types.kubefed.io/v1beta1 FederatedServiceAccount/api',
    ]);
    expect(fed.federatedObjects).toHaveLength(3);
    expect(fed.replicaSchedulingPreference).toBeDefined();
  });

  test('the ReplicaSchedulingPreference pins each member to its share of 45 (23/15/7)', () => {
    expect(findObject(objects, 'ReplicaSchedulingPreference', 'api', 'shop').spec).toEqual({
      targetKind: 'FederatedDeployment',
      totalReplicas: 45,
      rebalance: false,
      clusters: {
        'us-east-1': { minReplicas: 23, maxReplicas: 23, weight: 3 },
        'eu-west-1': { minReplicas: 15, maxReplicas: 15, weight: 2 },
        'ap-southeast-1': { minReplicas: 7, maxReplicas: 7, weight: 1 },
      },
    });
  });

  test('the FederatedDeployment: template without name, namespace or replicas; placed on every member; retainReplicas for the HPA', () => {
    expect(field(deployment, 'spec.placement')).toEqual({ clusters: [{ name: 'us-east-1' }, { name: 'eu-west-1' }, { name: 'ap-southeast-1' }] });
    expect(field(deployment, 'spec.retainReplicas')).toBe(true);
    expect(field(deployment, 'spec.template.metadata.name')).toBeUndefined();
    expect(field(deployment, 'spec.template.spec.replicas')).toBeUndefined();
    expect(field(deployment, 'spec.template.spec.template.spec.containers.0.image')).toBe(SERVICE.image);
  });

  test('a member override becomes that cluster\'s JSON-patch overrides', () => {
    expect(field(deployment, 'spec.overrides')).toEqual([{
      clusterName: 'eu-west-1',
      clusterOverrides: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example.com/api:1.4.3' }],
    }]);
    expect(field(findObject(objects, 'FederatedService', 'api', 'shop'), 'spec.overrides')).toBeUndefined();
  });

  test('what KubeFed cannot federate goes into each member\'s chart, with that member\'s bounds', () => {
    const us = synth(charts['us-east-1']);
    const ap = synth(charts['ap-southeast-1']);
    expect(us.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual(['HorizontalPodAutoscaler/api', 'NetworkPolicy/api', 'PodDisruptionBudget/api']);
    expect(field(findObject(us, 'HorizontalPodAutoscaler', 'api', 'shop'), 'spec.minReplicas')).toBe(3);
    expect(field(findObject(ap, 'HorizontalPodAutoscaler', 'api', 'shop'), 'spec.maxReplicas')).toBe(15);
    // a member with an autoscaler minimum of 1 that scales above it gets a budget allowing one eviction
    expect(field(findObject(ap, 'PodDisruptionBudget', 'api', 'shop'), 'spec.maxUnavailable')).toBe(1);
    expect(fed.memberObjects['us-east-1']).toHaveLength(3);
  });

  test('a fixed-size workload: no retainReplicas, no HPA in the members', () => {
    const fixed = build({ hpa: false });
    expect(field(findObject(synth(fixed.host), 'FederatedDeployment', 'api', 'shop'), 'spec.retainReplicas')).toBeUndefined();
    expect(findAll(synth(fixed.charts['eu-west-1']), 'HorizontalPodAutoscaler')).toEqual([]);
  });

  test('config on the workload is federated as a FederatedConfigMap', () => {
    const withConfig = build({ config: { LOG_LEVEL: 'info' } });
    expect(field(findObject(synth(withConfig.host), 'FederatedConfigMap', 'api-config', 'shop'), 'spec.template.data')).toEqual({ LOG_LEVEL: 'info' });
  });

  test('a member whose share is 0 is left out of the placement and the preference', () => {
    const small = build({ minReplicas: 2 }, [], 2);
    const out = synth(small.host);
    expect(field(findObject(out, 'FederatedDeployment', 'api', 'shop'), 'spec.placement.clusters')).toEqual([{ name: 'us-east-1' }, { name: 'eu-west-1' }]);
    expect(Object.keys(field(findObject(out, 'ReplicaSchedulingPreference', 'api', 'shop'), 'spec.clusters') as object).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(synth(small.charts['ap-southeast-1'])).toEqual([]);
  });

  describe('refuses', () => {
    test('a workload with two Deployments (canary)', () => {
      expect(() => build({ strategy: RolloutStrategy.canary() })).toThrow(
        "FederatedApp 'api': workload ([\"Deployment/api\",\"Deployment/api-canary\"]) renders 2 Deployments, but the kubefed backend divides the replicas of exactly one; use a rolling update (RolloutStrategy.rollingUpdate()) or FederationBackend.perCluster()");
    });

    test('an override that adds an object the template lacks', () => {
      expect(() => build({}, [{}, { overrides: { config: { LOG_LEVEL: 'debug' } } }, {}])).toThrow(
        "FederatedApp 'api': member \"eu-west-1\" overrides ([\"config\"]) render ConfigMap/api-config, which the federation's template does not have, and the kubefed backend propagates one template per object; set those props on the workload for every member, or use FederationBackend.perCluster()");
    });

    test('a member without a scope for what KubeFed cannot federate', () => {
      expect(() => build({}, [{}, {}, { scope: undefined }])).toThrow(
        "FederatedApp 'api': member \"ap-southeast-1\" scope (undefined) is required by the kubefed backend for what KubeFed v0.8.1 cannot federate (HorizontalPodAutoscaler/api, PodDisruptionBudget/api, NetworkPolicy/api); give every member the chart of its cluster");
    });
  });
});
