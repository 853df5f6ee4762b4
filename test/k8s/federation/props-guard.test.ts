import { Chart } from 'cdk8s';
import {
  FederatedApp, FederatedAppProps, FederatedWorkload, FederationBackend, MAX_WEIGHT, ReplicaSplitError, splitReplicas, SplitMember,
} from '../../../lib/k8s/federation';
import { testApp } from '../../util';

const WORKLOAD = FederatedWorkload.autoscaledService({ image: 'registry.example.com/api:1.4.2', port: 8080, maxReplicas: 10 });
const P = 'FederatedApp \'api\': ';

/** Builds with `props` as a plain-JavaScript caller could pass them (no compile-time check). */
function build(props: unknown) {
  return () => {
    const app = testApp();
    const host = new Chart(app, 'host', { disableResourceNameHashes: true });
    return new FederatedApp(host, 'api', props as FederatedAppProps);
  };
}
const member = (extra: Record<string, unknown> = {}) => ({ name: 'east', weight: 1, ...extra });
const withBase = (extra: Record<string, unknown>) => build({ workload: WORKLOAD, totalReplicas: 3, members: [member()], backend: FederationBackend.karmada(), ...extra });

describe('FederatedApp prop guard', () => {
  test('valid props pass', () => {
    expect(withBase({})().split).toEqual({ east: 3 });
  });

  test('a wrong type where a value object is due: workload, backend, a member\'s scope', () => {
    expect(withBase({ workload: 5 })).toThrow(
      `${P}workload (5) must be a FederatedWorkload, not a number; build one with FederatedWorkload.autoscaledService({ image, port, maxReplicas })`);
    expect(withBase({ workload: { image: 'x' } })).toThrow(`${P}workload ({"image":"x"}) must be a FederatedWorkload, not an object`);
    expect(withBase({ backend: 'karmada' })).toThrow(`${P}backend ("karmada") must be a FederationBackend, not a string; build one with FederationBackend.karmada()`);
    expect(withBase({ members: [member({ scope: 'chart' })] })).toThrow(`${P}members[0].scope ("chart") must be a Construct, not a string; pass a Construct`);
  });

  test('a string where a list or an object is due', () => {
    expect(withBase({ members: 'east' })).toThrow(`${P}members ("east") must be a list, not a string; pass an array`);
    expect(withBase({ members: [member({ overrides: 'image=x' })] })).toThrow(
      `${P}members[0].overrides ("image=x") must be an object, not a string; pass { ... } with the documented fields`);
  });

  test('out-of-range numbers: 1e308, NaN, a weight above the bound; a fraction reaches the split\'s message', () => {
    expect(withBase({ totalReplicas: 1e308 })).toThrow(`${P}totalReplicas (1e+308) must be from 0 to 2147483647; pass a value in that range`);
    expect(withBase({ totalReplicas: NaN })).toThrow(`${P}totalReplicas (NaN) must be a finite number; pass a number from 0 to 2147483647`);
    expect(withBase({ members: [member({ weight: 1e7 })] })).toThrow(`${P}members[0].weight (10000000) must be from 0 to ${MAX_WEIGHT}; pass a value in that range`);
    expect(withBase({ members: [member({ maxReplicas: -1 })] })).toThrow(`${P}members[0].maxReplicas (-1) must be from 0 to 2147483647; pass a value in that range`);
    expect(withBase({ totalReplicas: 2.5 })).toThrow(`${P}totalReplicas (2.5) must be a whole number of at least 0`);
  });

  test('a misspelt key is refused with the nearest name, at any depth', () => {
    expect(withBase({ totalReplica: 3 })).toThrow(`${P}totalReplica (3) is not a known prop; did you mean "totalReplicas"?`);
    expect(withBase({ members: [{ name: 'east', wieght: 1 }] })).toThrow(`${P}members[0].wieght (1) is not a known prop; did you mean "weight"?`);
  });

  test('a required prop missing, at any depth', () => {
    expect(build({ workload: WORKLOAD, members: [member()] })).toThrow(`${P}totalReplicas (undefined) is required; pass it (see its documentation)`);
    expect(withBase({ members: [{ name: 'east' }] })).toThrow(`${P}members[0].weight (undefined) is required; pass it (see its documentation)`);
  });

  test('props that are not an object', () => {
    expect(build(null)).toThrow(`${P}props (null) must be an object, not null; pass { ... } with the documented props`);
  });

  test('a member name that is not a DNS-1123 label (it names clusters and Applications)', () => {
    expect(withBase({ members: [member({ name: 'US East' })] })).toThrow(
      `${P}members[0].name ("US East") must be a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit); fix the value`);
  });
});

describe('FederationBackend.perCluster options guard', () => {
  const B = 'FederationBackend \'perCluster\': ';
  const repo = { repoURL: 'https://git.example.com/gitops.git', path: 'production/{{member}}/api' };

  test('valid options and no options pass', () => {
    expect(FederationBackend.perCluster({ applicationSet: { ...repo, project: 'platform', namespace: 'argocd', automated: true } }).perClusterOptions.applicationSet?.project).toBe('platform');
    expect(FederationBackend.perCluster().perClusterOptions).toEqual({});
  });

  test('a wrong type, a misspelt key, a missing required field, a bad namespace, options not an object', () => {
    const perCluster = (options: unknown) => () => FederationBackend.perCluster(options as never);
    expect(perCluster({ applicationSet: { ...repo, path: 5 } })).toThrow(`${B}applicationSet.path (5) must be a string, not a number; pass text`);
    expect(perCluster({ applicationset: {} })).toThrow(`${B}applicationset ({}) is not a known prop; did you mean "applicationSet"?`);
    expect(perCluster({ applicationSet: { path: repo.path } })).toThrow(`${B}applicationSet.repoURL (undefined) is required; pass it (see its documentation)`);
    expect(perCluster({ applicationSet: { ...repo, namespace: 'Argo CD' } })).toThrow(
      `${B}applicationSet.namespace ("Argo CD") must be a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit); fix the value`);
    expect(perCluster({ applicationSet: { ...repo, automated: 'yes' } })).toThrow(`${B}applicationSet.automated ("yes") must be true or false, not a string; pass a boolean`);
    expect(perCluster(null)).toThrow(`${B}props (null) must be an object, not null; pass { ... } with the documented props`);
  });
});

describe('splitReplicas argument guard', () => {
  const one = [{ name: 'a', weight: 1 }];
  const expectRefused = (total: unknown, members: unknown, message: string) => {
    expect(() => splitReplicas(total as number, members as SplitMember[])).toThrow(ReplicaSplitError);
    expect(() => splitReplicas(total as number, members as SplitMember[])).toThrow(message);
  };

  test('totals: 1e308, NaN, a string, a symbol (shown, never crashing the message)', () => {
    expectRefused(1e308, one, 'totalReplicas (1e+308) must be at most 2147483647, the most replicas a Kubernetes object holds');
    expectRefused(NaN, one, 'totalReplicas (NaN) must be a whole number of at least 0');
    expectRefused('3', one, 'totalReplicas ("3") must be a whole number of at least 0');
    expectRefused(Symbol('x'), one, 'totalReplicas (Symbol(x)) must be a whole number of at least 0');
  });

  test('members: not a list, a member that is not an object or has no name', () => {
    expectRefused(3, null, 'members (null) must be a list of members, each with a name and a weight');
    expectRefused(3, [null], 'members[0] (null) must be an object with a name (a string) and a weight');
    expectRefused(3, [{ weight: 1 }], 'members[0] ({"weight":1}) must be an object with a name (a string) and a weight');
  });

  test('weights and bounds: above the bound, NaN, negative, a BigInt', () => {
    expectRefused(3, [{ name: 'a', weight: 2e6 }], 'member "a" weight (2000000) must be at most 1000000; weights are relative, so divide them all by a common factor');
    expectRefused(3, [{ name: 'a', weight: NaN }], 'member "a" weight (NaN) must be a positive integer; use 1, 2, 3, …');
    expectRefused(3, [{ name: 'a', weight: 1, minReplicas: -1 }], 'member "a" minReplicas (-1) must be a whole number of at least 0');
    expectRefused(3, [{ name: 'a', weight: 1, maxReplicas: 1e10 }], 'member "a" maxReplicas (10000000000) must be at most 2147483647');
    expectRefused(3, [{ name: 'a', weight: 1, minReplicas: 1n }], 'member "a" minReplicas (1n) must be a whole number of at least 0');
  });

  test('the largest inputs split at once, exactly', () => {
    const members = [{ name: 'a', weight: MAX_WEIGHT }, { name: 'b', weight: 1 }, { name: 'c', weight: 3, maxReplicas: 7 }];
    const shares = splitReplicas(2_147_483_647, members);
    expect(shares.a + shares.b + shares.c).toBe(2_147_483_647);
    expect(shares.c).toBe(7);
  });
});
