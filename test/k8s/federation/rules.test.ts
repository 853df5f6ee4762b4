import { IConstruct } from 'constructs';
import { IScalableWorkload } from '../../../lib/k8s/autoscaled-service';
import { checkSplit, FEDERATED_APP, FEDERATED_APP_RULES, FederatedAppFacts, FederatedWorkload } from '../../../lib/k8s/federation';
import { firstViolation } from '../../../lib/private/rules';

const workload = FederatedWorkload.autoscaledService({ image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 2, maxReplicas: 10 });
const scope = {};
type Facts = FederatedAppFacts<object, IScalableWorkload & IConstruct>;
const facts = (extra: Partial<Facts> = {}): Facts => ({
  workload, totalReplicas: 4, members: [{ name: 'east', weight: 1, scope }, { name: 'west', weight: 1, scope }], perCluster: true, ...extra,
});
const first = (extra: Partial<Facts> = {}) => firstViolation(FEDERATED_APP_RULES, facts(extra));

describe('FederatedApp rule table', () => {
  test('valid facts break no rule', () => {
    expect(first()).toBeUndefined();
    expect(first({ applicationSetPath: 'production/{{member}}/api' })).toBeUndefined();
  });

  test('an override of an unknown prop, then of a bound the split sets', () => {
    expect(first({ members: [{ name: 'east', weight: 1, scope, overrides: { replicas: 3 } }] })).toEqual(
      ['member "east" overrides.replicas', 3, 'is not a prop of AutoscaledService', 'override only AutoscaledService props, e.g. image, env or resources']);
    expect(first({ members: [{ name: 'east', weight: 1, scope, overrides: { minReplicas: 3 } }] })).toEqual(
      ['member "east" overrides.minReplicas', 3, 'is set by the replica split', 'set minReplicas / maxReplicas on the member instead']);
  });

  test('a total outside the autoscaled workload\'s bounds', () => {
    expect(first({ totalReplicas: 11 })?.[3]).toBe('raise the workload\'s maxReplicas to at least 11 or lower totalReplicas');
    expect(first({ totalReplicas: 1 })?.[3]).toBe('lower the workload\'s minReplicas to at most 1 or raise totalReplicas');
  });

  test('a member without a scope matters only to the per-cluster backend', () => {
    const members = [{ name: 'east', weight: 1 }];
    expect(first({ members })?.[0]).toBe('member "east" scope');
    expect(first({ members, perCluster: false })).toBeUndefined();
  });

  test('an ApplicationSet path without {{member}}', () => {
    expect(first({ applicationSetPath: 'production/api' })).toEqual(
      ['applicationSet.path', 'production/api', 'does not contain {{member}}, so every Application would sync the same folder', 'use e.g. "production/{{member}}/api"']);
  });

  test('the split\'s problems are thrown together, after the construct name', () => {
    expect(() => checkSplit('api', 3, [])).toThrow(`${FEDERATED_APP} 'api': members is empty; list at least one member with a name and a weight`);
    expect(() => checkSplit('api', -1, [{ name: 'a', weight: 0 }])).toThrow(
      'FederatedApp \'api\': totalReplicas (-1) must be a whole number of at least 0; member "a" weight (0) must be a positive integer; use 1, 2, 3, …');
    expect(() => checkSplit('api', 3, [{ name: 'a', weight: 1 }])).not.toThrow();
  });
});
