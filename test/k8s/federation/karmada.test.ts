import { Chart } from 'cdk8s';
import { AutoscaledService, AutoscaledServiceProps } from '../../../lib/k8s/autoscaled-service';
import { FederatedApp, FederatedMember, FederationBackend, FederationBackendType } from '../../../lib/k8s/federation';
import { KARMADA_RETAIN_REPLICAS_LABEL } from '../../../lib/k8s/federation';
import { FederatedWorkload } from '../../../lib/k8s/federation';
import { DeploymentColour, RolloutStrategy } from '../../../lib/k8s/autoscaled-service';
import { field, findObject, synth, testApp } from '../../util';

const SERVICE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 6, maxReplicas: 90, namespace: 'shop' };
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
const WEIGHTS = [3, 2, 1];

/** Karmada needs no member charts: members carry no scope. */
function build(service: Partial<AutoscaledServiceProps> = {}, extras: Array<Partial<FederatedMember>> = [], totalReplicas = 45) {
  const host = new Chart(testApp(), 'karmada', { disableResourceNameHashes: true });
  const fed = new FederatedApp(host, 'api', {
    workload: FederatedWorkload.autoscaledService({ ...SERVICE, ...service }),
    totalReplicas,
    members: REGIONS.map((name, i) => ({ name, weight: WEIGHTS[i], ...extras[i] })),
    backend: FederationBackend.karmada(),
  });
  return { fed, objects: synth(host) };
}

const selector = (kind: string, apiVersion: string) => ({ apiVersion, kind, name: 'api' });

describe('FederatedApp with the Karmada backend', () => {
  const { fed, objects } = build({}, [{}, { overrides: { image: 'registry.example.com/api:1.4.3' } }, {}]);

  test('the plain workload sits in the control plane\'s chart, as an AutoscaledService', () => {
    expect(fed.backend).toBe(FederationBackendType.KARMADA);
    expect(fed.template).toBeInstanceOf(AutoscaledService);
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
      'Deployment/api', 'HorizontalPodAutoscaler/api', 'NetworkPolicy/api', 'OverridePolicy/api-deployment', 'OverridePolicy/api-horizontalpodautoscaler',
      'OverridePolicy/api-poddisruptionbudget', 'PodDisruptionBudget/api', 'PropagationPolicy/api', 'PropagationPolicy/api-workload',
      'Service/api', 'ServiceAccount/api',
    ]);
  });

  test('the Deployment template carries the total to divide and keeps the members\' HPA counts', () => {
    const deployment = findObject(objects, 'Deployment', 'api', 'shop');
    expect(field(deployment, 'spec.replicas')).toBe(45);
    expect(deployment.metadata?.labels?.[KARMADA_RETAIN_REPLICAS_LABEL]).toBe('true');
  });

  test('api-workload divides the Deployment with static weights equal to each member\'s share (23/15/7)', () => {
    expect(findObject(objects, 'PropagationPolicy', 'api-workload', 'shop').spec).toEqual({
      resourceSelectors: [selector('Deployment', 'apps/v1')],
      placement: {
        clusterAffinity: { clusterNames: REGIONS },
        replicaScheduling: {
          replicaSchedulingType: 'Divided',
          replicaDivisionPreference: 'Weighted',
          weightPreference: {
            staticWeightList: [
              { targetCluster: { clusterNames: ['us-east-1'] }, weight: 23 },
              { targetCluster: { clusterNames: ['eu-west-1'] }, weight: 15 },
              { targetCluster: { clusterNames: ['ap-southeast-1'] }, weight: 7 },
            ],
          },
        },
      },
    });
  });

  test('what every member runs is propagated by one policy, the PodDisruptionBudget too', () => {
    expect(findObject(objects, 'PropagationPolicy', 'api', 'shop').spec).toEqual({
      resourceSelectors: [
        selector('ServiceAccount', 'v1'), selector('HorizontalPodAutoscaler', 'autoscaling/v2'), selector('PodDisruptionBudget', 'policy/v1'),
        selector('Service', 'v1'), selector('NetworkPolicy', 'networking.k8s.io/v1'),
      ],
      placement: { clusterAffinity: { clusterNames: REGIONS } },
    });
    // ap-southeast-1's autoscaler minimum is 1 (maximum 15): its budget allows one eviction instead of 20 %
    expect(field(findObject(objects, 'OverridePolicy', 'api-poddisruptionbudget', 'shop'), 'spec.overrideRules')).toEqual([
      { targetCluster: { clusterNames: ['ap-southeast-1'] }, overriders: { plaintext: [{ operator: 'replace', path: '/spec/maxUnavailable', value: 1 }] } },
    ]);
  });

  test('OverridePolicies set each member\'s autoscaler bounds and its overrides', () => {
    expect(findObject(objects, 'OverridePolicy', 'api-horizontalpodautoscaler', 'shop').spec).toEqual({
      resourceSelectors: [selector('HorizontalPodAutoscaler', 'autoscaling/v2')],
      overrideRules: [
        { targetCluster: { clusterNames: ['eu-west-1'] }, overriders: { plaintext: [{ operator: 'replace', path: '/spec/maxReplicas', value: 30 }, { operator: 'replace', path: '/spec/minReplicas', value: 2 }] } },
        { targetCluster: { clusterNames: ['ap-southeast-1'] }, overriders: { plaintext: [{ operator: 'replace', path: '/spec/maxReplicas', value: 15 }, { operator: 'replace', path: '/spec/minReplicas', value: 1 }] } },
      ],
    });
    expect(field(findObject(objects, 'OverridePolicy', 'api-deployment', 'shop'), 'spec.overrideRules')).toEqual([
      { targetCluster: { clusterNames: ['eu-west-1'] }, overriders: { plaintext: [{ operator: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example.com/api:1.4.3' }] } },
    ]);
    expect(fed.overridePolicies).toHaveLength(3);
    expect(fed.propagationPolicies).toHaveLength(2);
  });

  test('a fixed-size workload: the total to divide, no retain label, no Deployment overrides', () => {
    const fixed = build({ hpa: false });
    const deployment = findObject(fixed.objects, 'Deployment', 'api', 'shop');
    expect(field(deployment, 'spec.replicas')).toBe(45);
    expect(deployment.metadata?.labels?.[KARMADA_RETAIN_REPLICAS_LABEL]).toBeUndefined();
    expect(fixed.fed.overridePolicies).toEqual([]);
  });

  test('a member whose share is 0 is left out of every placement', () => {
    const small = build({ minReplicas: 2 }, [], 2);
    expect(field(findObject(small.objects, 'PropagationPolicy', 'api-workload', 'shop'), 'spec.placement.clusterAffinity.clusterNames')).toEqual(['us-east-1', 'eu-west-1']);
    expect(field(findObject(small.objects, 'PropagationPolicy', 'api', 'shop'), 'spec.placement.clusterAffinity.clusterNames')).toEqual(['us-east-1', 'eu-west-1']);
  });

  describe('refuses', () => {
    test('a workload with two Deployments (blue-green)', () => {
      expect(() => build({ strategy: RolloutStrategy.blueGreen({ active: DeploymentColour.BLUE }) })).toThrow(
        "FederatedApp 'api': workload ([\"Deployment/api-blue\",\"Deployment/api-green\"]) renders 2 Deployments, but the karmada backend divides the replicas of exactly one; use a rolling update (RolloutStrategy.rollingUpdate()) or FederationBackend.perCluster()");
    });

    test('an override that adds an object the template lacks', () => {
      expect(() => build({}, [{ overrides: { name: 'api-us' } }, {}, {}])).toThrow(
        "FederatedApp 'api': member \"us-east-1\" overrides ([\"name\"]) render ServiceAccount/api-us, Deployment/api-us, HorizontalPodAutoscaler/api-us, PodDisruptionBudget/api-us, Service/api-us, NetworkPolicy/api-us, which the federation's template does not have, and the karmada backend propagates one template per object; set those props on the workload for every member, or use FederationBackend.perCluster()");
    });
  });
});
