import { Chart } from 'cdk8s';
import { AutoscaledService, AutoscaledServiceProps } from '../../../lib/k8s/autoscaled-service';
import { FederatedApp, FederatedAppProps, FederatedMember, FederationBackend, FederationBackendType } from '../../../lib/k8s/federation';
import { AUTOSCALED_SERVICE_PROP_NAMES, FederatedWorkload } from '../../../lib/k8s/federation';
import { countOf, field, findObject, synth, testApp } from '../../util';

const SERVICE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 6, maxReplicas: 90 };
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
const WEIGHTS = [3, 2, 1];

/** A host chart and one chart per region, in one app. */
function fleet(regions = REGIONS) {
  const app = testApp();
  const host = new Chart(app, 'host', { disableResourceNameHashes: true });
  const charts: Record<string, Chart> = Object.fromEntries(regions.map((r) => [r, new Chart(app, r, { disableResourceNameHashes: true })]));
  return { host, charts };
}

type Props = FederatedAppProps<Partial<AutoscaledServiceProps>, AutoscaledService>;

function build(overrides: Partial<Props> = {}, service: Partial<AutoscaledServiceProps> = {}, memberExtras: Array<Partial<FederatedMember>> = []) {
  const { host, charts } = fleet();
  const members: FederatedMember[] = REGIONS.map((name, i) => ({ name, weight: WEIGHTS[i], scope: charts[name], ...memberExtras[i] }));
  const app = new FederatedApp(host, 'api', {
    workload: FederatedWorkload.autoscaledService({ ...SERVICE, ...service }),
    totalReplicas: 45,
    members,
    ...overrides,
  });
  return { app, host, charts };
}

describe('FederatedApp', () => {
  describe('the split', () => {
    test('45 over weights 3:2:1 gives 23, 15 and 7', () => {
      const { app } = build();
      expect(app.split).toEqual({ 'us-east-1': 23, 'eu-west-1': 15, 'ap-southeast-1': 7 });
    });

    test('a member minimum lifts the small member; the rest goes by weight', () => {
      const { app } = build({}, {}, [{}, {}, { minReplicas: 10 }]);
      expect(app.split).toEqual({ 'us-east-1': 21, 'eu-west-1': 14, 'ap-southeast-1': 10 });
    });

    test('a member maximum caps the large member; the others take the rest', () => {
      const { app } = build({}, {}, [{ maxReplicas: 15 }, {}, {}]);
      expect(app.split).toEqual({ 'us-east-1': 15, 'eu-west-1': 20, 'ap-southeast-1': 10 });
    });

    test('both bounds at once', () => {
      const { app } = build({}, {}, [{ maxReplicas: 20 }, { minReplicas: 18 }, { minReplicas: 2, maxReplicas: 5 }]);
      expect(app.split).toEqual({ 'us-east-1': 20, 'eu-west-1': 20, 'ap-southeast-1': 5 });
    });

    test('each member\'s workload runs with its share: the HPA bounds come from the min and max totals split alike', () => {
      const { app, charts } = build();
      // min total 6 over 3:2:1 = 3/2/1; max total 90 = 45/30/15
      expect(app.shares).toEqual({
        'us-east-1': { replicas: 23, minReplicas: 3, maxReplicas: 45 },
        'eu-west-1': { replicas: 15, minReplicas: 2, maxReplicas: 30 },
        'ap-southeast-1': { replicas: 7, minReplicas: 1, maxReplicas: 15 },
      });
      const hpa = findObject(synth(charts['eu-west-1']), 'HorizontalPodAutoscaler', 'api');
      expect(field(hpa, 'spec.minReplicas')).toBe(2);
      expect(field(hpa, 'spec.maxReplicas')).toBe(30);
    });

    test('autoscaler minimums are raised to 1, and member bounds clamp the min and max totals', () => {
      // min total 2 over 3:2:1 gives 1/1/0, and 0 is raised to 1; us-east-1's own maximum (25) caps its share of the max total
      const { app } = build({}, { minReplicas: 2 }, [{ maxReplicas: 25 }, {}, {}]);
      expect(app.shares['ap-southeast-1'].minReplicas).toBe(1);
      expect(app.shares['us-east-1']).toEqual({ replicas: 23, minReplicas: 1, maxReplicas: 25 });
    });

    test('a member whose share is 0 runs nothing', () => {
      const { app, charts } = build({ totalReplicas: 2 }, { minReplicas: 2 });
      expect(app.split).toEqual({ 'us-east-1': 1, 'eu-west-1': 1, 'ap-southeast-1': 0 });
      expect(app.shares['ap-southeast-1']).toEqual({ replicas: 0, minReplicas: 0, maxReplicas: 0 });
      expect(Object.keys(app.memberWorkloads)).toEqual(['us-east-1', 'eu-west-1']);
      expect(synth(charts['ap-southeast-1'])).toEqual([]);
    });

    test('a fixed-size workload (hpa: false) runs exactly its share, with a replicas field', () => {
      const { app, charts } = build({}, { hpa: false });
      expect(app.shares['eu-west-1']).toEqual({ replicas: 15, minReplicas: 15, maxReplicas: 15 });
      expect(field(findObject(synth(charts['eu-west-1']), 'Deployment', 'api'), 'spec.replicas')).toBe(15);
    });

    test('bounds hold and shares never drop as totalReplicas grows (property, 3 weight sets x totals 3..90)', () => {
      for (const weights of [[3, 2, 1], [1, 1, 1], [5, 3, 2]]) {
        let previous: Record<string, number> | undefined;
        for (let total = 3; total <= 90; total++) {
          const { host, charts } = fleet();
          const app = new FederatedApp(host, 'api', {
            workload: FederatedWorkload.autoscaledService({ ...SERVICE, minReplicas: 3, maxReplicas: 90 }),
            totalReplicas: total,
            members: REGIONS.map((name, i) => ({ name, weight: weights[i], scope: charts[name] })),
          });
          expect(Object.values(app.split).reduce((a, b) => a + b, 0)).toBe(total);
          for (const [name, s] of Object.entries(app.shares)) {
            if (s.replicas > 0) expect(s.minReplicas >= 1 && s.minReplicas <= s.replicas && s.replicas <= s.maxReplicas).toBe(true);
            if (previous) expect(s.replicas).toBeGreaterThanOrEqual(previous[name]);
          }
          previous = { ...app.split };
        }
      }
    });
  });

  describe('defaults', () => {
    test('backend defaults to per-cluster: one AutoscaledService in each member\'s scope, named after the id', () => {
      const { app, host, charts } = build();
      expect(app.backend).toBe(FederationBackendType.PER_CLUSTER);
      expect(app.name).toBe('api');
      expect(app.memberWorkloads['us-east-1']).toBeInstanceOf(AutoscaledService);
      expect(synth(host)).toEqual([]);
      for (const region of REGIONS) {
        const objects = synth(charts[region]);
        expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual(expect.arrayContaining([
          'Deployment/api', 'HorizontalPodAutoscaler/api', 'NetworkPolicy/api', 'Service/api', 'ServiceAccount/api',
        ]));
      }
    });

    test('member minReplicas defaults to 0 and maxReplicas to unbounded', () => {
      const { app } = build({ totalReplicas: 1 }, { minReplicas: 1 });
      expect(app.split).toEqual({ 'us-east-1': 1, 'eu-west-1': 0, 'ap-southeast-1': 0 });
      const big = build({ totalReplicas: 90 });
      expect(big.app.split['us-east-1']).toBe(45);
    });

    test('overrides default to none: every member runs the workload as given', () => {
      const { charts } = build();
      const images = REGIONS.map((r) => field(findObject(synth(charts[r]), 'Deployment', 'api'), 'spec.template.spec.containers.0.image'));
      expect(images).toEqual(REGIONS.map(() => SERVICE.image));
    });

    test('applicationSet defaults to none; the per-cluster fields of other backends stay empty', () => {
      const { app } = build();
      expect(app.applicationSet).toBeUndefined();
      expect(app.template).toBeUndefined();
      expect(app.propagationPolicies).toEqual([]);
      expect(app.overridePolicies).toEqual([]);
      expect(app.federatedObjects).toEqual([]);
      expect(app.replicaSchedulingPreference).toBeUndefined();
      expect(app.memberObjects).toEqual({});
    });

    test('the workload\'s name and namespace carry over to every member', () => {
      const { app, charts } = build({}, { name: 'checkout', namespace: 'shop' });
      expect(app.name).toBe('checkout');
      expect(countOf(synth(charts['us-east-1']), 'Deployment', 'checkout', 'shop')).toBe(1);
    });
  });

  describe('overrides', () => {
    test('image and env of one member', () => {
      const { charts } = build({}, {}, [{}, { overrides: { image: 'registry.example.com/api:1.5.0', env: { REGION: 'eu' } } }, {}]);
      const eu = findObject(synth(charts['eu-west-1']), 'Deployment', 'api');
      const us = findObject(synth(charts['us-east-1']), 'Deployment', 'api');
      expect(field(eu, 'spec.template.spec.containers.0.image')).toBe('registry.example.com/api:1.5.0');
      expect(field(eu, 'spec.template.spec.containers.0.env')).toEqual([{ name: 'REGION', value: 'eu' }]);
      expect(field(us, 'spec.template.spec.containers.0.image')).toBe(SERVICE.image);
    });

    test('an override set to undefined keeps the workload\'s value', () => {
      const { charts } = build({}, {}, [{ overrides: { image: undefined } }, {}, {}]);
      expect(field(findObject(synth(charts['us-east-1']), 'Deployment', 'api'), 'spec.template.spec.containers.0.image')).toBe(SERVICE.image);
    });

    test('an override turning the autoscaler off gives that member a fixed share', () => {
      const { app } = build({}, {}, [{}, {}, { overrides: { hpa: false } }]);
      expect(app.shares['ap-southeast-1']).toEqual({ replicas: 7, minReplicas: 7, maxReplicas: 7 });
    });

    test('the overridable props are every AutoscaledService prop', () => {
      expect(AUTOSCALED_SERVICE_PROP_NAMES).toHaveLength(39);
      expect(AUTOSCALED_SERVICE_PROP_NAMES).toEqual(expect.arrayContaining(['image', 'env', 'resources', 'strategy', 'config']));
    });
  });

  describe('Argo CD ApplicationSet', () => {
    const repo = { repoURL: 'https://git.example.com/gitops.git', path: 'production/{{member}}/api' };

    test('defaults: list generator over members with a share, HEAD, project default, namespace argocd, manual sync', () => {
      const { app, host } = build({ totalReplicas: 2, backend: FederationBackend.perCluster({ applicationSet: repo }) }, { minReplicas: 2 });
      expect(app.applicationSet).toBeDefined();
      const set = findObject(synth(host), 'ApplicationSet', 'api', 'argocd');
      expect(field(set, 'spec.generators')).toEqual([{ list: { elements: [{ member: 'us-east-1', replicas: '1' }, { member: 'eu-west-1', replicas: '1' }] } }]);
      expect(field(set, 'spec.template.metadata.name')).toBe('api-{{member}}');
      expect(field(set, 'spec.template.spec')).toEqual({
        project: 'default',
        source: { repoURL: repo.repoURL, path: repo.path, targetRevision: 'HEAD' },
        destination: { name: '{{member}}' },
      });
    });

    test('overrides: revision, project, namespace, automated sync; destination namespace from the workload', () => {
      const { host } = build({
        backend: FederationBackend.perCluster({ applicationSet: { ...repo, targetRevision: 'main', project: 'production', namespace: 'gitops', automated: true } }),
      }, { namespace: 'shop' });
      const spec = field(findObject(synth(host), 'ApplicationSet', 'api', 'gitops'), 'spec.template.spec');
      expect(spec).toEqual({
        project: 'production',
        source: { repoURL: repo.repoURL, path: repo.path, targetRevision: 'main' },
        destination: { name: '{{member}}', namespace: 'shop' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      });
    });
  });

  describe('refuses', () => {
    test('no members', () => {
      expect(() => build({ members: [] })).toThrow( "FederatedApp 'api': members is empty; list at least one member with a name and a weight");
    });

    test('duplicate member names', () => {
      expect(() => build({}, {}, [{}, { name: 'us-east-1' }, {}])).toThrow(
        "FederatedApp 'api': member \"us-east-1\" is listed twice; member names must be unique");
    });

    test('a weight that is not a positive integer', () => {
      expect(() => build({}, {}, [{ weight: 1.5 }, {}, {}])).toThrow(
        "FederatedApp 'api': member \"us-east-1\" weight (1.5) must be a positive integer; use 1, 2, 3, …");
      expect(() => build({}, {}, [{}, { weight: 0 }, {}])).toThrow(
        "FederatedApp 'api': member \"eu-west-1\" weight (0) must be a positive integer; use 1, 2, 3, …");
    });

    test('min above max', () => {
      expect(() => build({}, {}, [{}, { minReplicas: 9, maxReplicas: 4 }, {}])).toThrow(
        "FederatedApp 'api': member \"eu-west-1\" minReplicas (9) is above its maxReplicas (4); lower min or raise max");
    });

    test('a sum of minimums above totalReplicas', () => {
      expect(() => build({}, {}, [{ minReplicas: 20 }, { minReplicas: 20 }, { minReplicas: 10 }])).toThrow(
        "FederatedApp 'api': the members' minReplicas add up to 50, above totalReplicas (45); raise totalReplicas to at least 50 or lower the minimums");
    });

    test('a sum of maximums below totalReplicas', () => {
      expect(() => build({}, {}, [{ maxReplicas: 20 }, { maxReplicas: 10 }, { maxReplicas: 5 }])).toThrow(
        "FederatedApp 'api': the members' maxReplicas add up to 35, below totalReplicas (45); lower totalReplicas to at most 35 or raise the maximums");
    });

    test('an override of a prop the workload does not have', () => {
      const bogus = { replicas: 3 } as unknown as Partial<AutoscaledServiceProps>;
      expect(() => build({}, {}, [{}, { overrides: bogus }, {}])).toThrow(
        "FederatedApp 'api': member \"eu-west-1\" overrides.replicas (3) is not a prop of AutoscaledService; override only AutoscaledService props, e.g. image, env or resources");
    });

    test('an override of a bound the split sets', () => {
      expect(() => build({}, {}, [{ overrides: { maxReplicas: 50 } }, {}, {}])).toThrow(
        "FederatedApp 'api': member \"us-east-1\" overrides.maxReplicas (50) is set by the replica split; set minReplicas / maxReplicas on the member instead");
    });

    test('totalReplicas outside the autoscaled workload\'s min and max totals', () => {
      expect(() => build({ totalReplicas: 100 })).toThrow(
        "FederatedApp 'api': totalReplicas (100) must be between the workload's minReplicas (6) and maxReplicas (90), which are totals across the members; raise the workload's maxReplicas to at least 100 or lower totalReplicas");
      expect(() => build({ totalReplicas: 4 })).toThrow(
        "FederatedApp 'api': totalReplicas (4) must be between the workload's minReplicas (6) and maxReplicas (90), which are totals across the members; lower the workload's minReplicas to at most 4 or raise totalReplicas");
    });

    test('a member without a scope, with the per-cluster backend', () => {
      expect(() => build({}, {}, [{}, { scope: undefined }, {}])).toThrow(
        "FederatedApp 'api': member \"eu-west-1\" scope (undefined) is required by the per-cluster backend, which renders each member's workload into it; give every member the chart of its cluster");
    });

    test('an ApplicationSet path without {{member}}', () => {
      expect(() => build({ backend: FederationBackend.perCluster({ applicationSet: { repoURL: 'https://git.example.com/g.git', path: 'production/api' } }) })).toThrow(
        "FederatedApp 'api': applicationSet.path (\"production/api\") does not contain {{member}}, so every Application would sync the same folder; use e.g. \"production/{{member}}/api\"");
    });

    test('a member\'s workload the workload itself refuses names the member', () => {
      expect(() => build({}, {}, [{}, { overrides: { image: 'registry.example.com/api:latest' } }, {}])).toThrow(
        "FederatedApp 'api': member \"eu-west-1\": AutoscaledService 'api': image (\"registry.example.com/api:latest\") is tagged \":latest\", which changes under you; pin a version tag or a digest, e.g. \"registry.example.com/api:1.4.2\"");
    });
  });
});
