import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AutoscaledService, formatViolation, LinuxCapability, NamespaceBaseline, NetworkDaemonSet, PodSecurityLevel, POLICY_RULE_IDS, POLICY_RULES,
  PolicyChecks, runRules, SKIP_RULES_ANNOTATION, skipRule, KubeObject,
} from '../../lib';
import { describeWithSchemas, schemaRegistry } from '../util';

const IMAGE = 'registry.example.com/api:1.4.2';

/** An App with a restricted `api` namespace and an autoscaled service in it. */
function apiApp(): { app: App; chart: Chart; api: AutoscaledService } {
  const app = Testing.app();
  const chart = new Chart(app, 'cluster', { disableResourceNameHashes: true });
  new NamespaceBaseline(chart, 'ns', { name: 'api' });
  const api = new AutoscaledService(chart, 'api', { image: IMAGE, port: 8080, maxReplicas: 10, namespace: 'api' });
  return { app, chart, api };
}

const synthErrors = (app: App): string => {
  try {
    app.synthYaml();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
};

describe('PolicyChecks inside app.synth()', () => {
  test('the rule ids the API accepts are exactly the rules that run', () => {
    expect([...POLICY_RULE_IDS]).toEqual(POLICY_RULES.map((r) => r.id));
  });

  test('one instance per App, however many constructs; none in an App without fleetcraft constructs', () => {
    const { app } = apiApp();
    expect(app.node.children.filter((c) => c instanceof PolicyChecks)).toHaveLength(1);
    expect(PolicyChecks.of(app).enabled).toBe(true);
    const plain = Testing.app();
    new kplus.Deployment(new Chart(plain, 'c'), 'web', { containers: [{ image: IMAGE }] });
    expect(plain.node.tryFindChild('FleetcraftPolicyChecks')).toBeUndefined();
    expect(() => plain.synthYaml()).not.toThrow();
  });

  test('a clean App synthesizes', () => {
    expect(apiApp().app.synthYaml()).toContain('kind: Deployment');
  });

  test('a NetworkDaemonSet in a restricted NamespaceBaseline fails app.synth() with the lines fleetcraft validate prints', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cluster', { disableResourceNameHashes: true });
    new NamespaceBaseline(chart, 'ns', { name: 'network-system', podSecurity: PodSecurityLevel.RESTRICTED });
    new NetworkDaemonSet(chart, 'agent', { image: IMAGE, namespace: 'network-system', capabilities: [LinuxCapability.NET_ADMIN], ports: [{ name: 'health', number: 9879 }] });
    const objects = app.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson() as KubeObject);
    const expected = runRules(objects).filter((v) => v.severity === 'error').map(formatViolation);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.join('\n')).toContain('[pss/baseline-host-namespaces]');
    const message = synthErrors(app);
    for (const line of expected) expect(message).toContain(`[FleetcraftPolicyChecks] ${line}`);
    expect(message).toContain(`${expected.length} policy error(s) above, as fleetcraft validate reports them; fix them, or skip a rule with a reason`);
  });

  test('an error in the chart being synthesized fails Testing.synth too', () => {
    const { chart, api } = apiApp();
    api.deployment.metadata.addAnnotation(SKIP_RULES_ANNOTATION, 'reliability/pdbs: typo');
    expect(() => Testing.synth(chart)).toThrow('names unknown rule "reliability/pdbs"');
  });

  describe('skipping a rule for the App', () => {
    test('with a reason, the rule does not run', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
      new AutoscaledService(chart, 'api', { image: IMAGE, port: 8080, maxReplicas: 10, namespace: 'api' });
      expect(synthErrors(app)).toContain('[security/default-deny]');
      PolicyChecks.of(app).skip('security/default-deny', 'the namespace is created by another team');
      expect(synthErrors(app)).toBe('');
      expect(PolicyChecks.of(chart).skipped).toEqual(new Map([['security/default-deny', 'the namespace is created by another team']]));
    });

    test('an unknown id is refused, naming the known ones; an empty reason is refused', () => {
      const checks = PolicyChecks.of(Testing.app());
      expect(() => checks.skip('reliability/pdbs' as never, 'x')).toThrow(`PolicyChecks.skip: unknown policy rule "reliability/pdbs"; use one of ${POLICY_RULE_IDS.join(', ')}`);
      expect(() => checks.skip('reliability/pdb', ' ')).toThrow('PolicyChecks: reason to skip reliability/pdb (" ") must be one non-empty line; say why, for whoever audits the app');
    });

    test('disable turns every check off, with a reason; assumePodSecurity sets the level of unlabelled namespaces', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
      new NetworkDaemonSet(chart, 'agent', { image: IMAGE, namespace: 'kube-system', ports: [{ name: 'health', number: 9879 }] });
      PolicyChecks.of(app).skip('security/default-deny', 'host-network pods only');
      expect(synthErrors(app)).toContain('namespace kube-system is restricted by default');
      PolicyChecks.of(app).assumePodSecurity(PodSecurityLevel.PRIVILEGED, 'kube-system is privileged on every cluster');
      expect(synthErrors(app)).toBe('');
      expect(() => PolicyChecks.of(app).assumePodSecurity('root' as never, 'x')).toThrow('is not a Pod Security level');
      PolicyChecks.of(app).disable('the entry point checks every cluster itself');
      expect(PolicyChecks.of(app).enabled).toBe(false);
      expect(PolicyChecks.of(app).disabledReason).toBe('the entry point checks every cluster itself');
      expect(() => PolicyChecks.of(app).disable('')).toThrow('reason to disable the checks ("") must be one non-empty line');
    });
  });

  describe('skipping a rule for one object', () => {
    test('skipRule writes the annotation; runRules (so validate and the platform) drops that rule on that object only', () => {
      const { app, api } = apiApp();
      skipRule(api.deployment, 'reliability/spread', 'a single-zone test cluster');
      skipRule(api.deployment, 'reliability/probes', 'probes come from the mesh');
      skipRule(api.deployment, 'reliability/spread', 'one zone');
      const deployment = app.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson() as KubeObject).find((o) => o.kind === 'Deployment');
      expect(deployment?.metadata?.annotations?.[SKIP_RULES_ANNOTATION]).toBe('reliability/probes: probes come from the mesh\nreliability/spread: one zone');
      const bare = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'api' }, spec: { replicas: 3, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: IMAGE }] } } } };
      const annotated = { ...bare, metadata: { ...bare.metadata, annotations: { [SKIP_RULES_ANNOTATION]: 'reliability/spread: one zone' } } };
      expect(runRules([bare]).map((v) => v.rule)).toContain('reliability/spread');
      expect(runRules([annotated]).map((v) => v.rule)).not.toContain('reliability/spread');
    });

    test('refuses an unknown rule, integrity/skip-rules itself, and an empty or multi-line reason', () => {
      const { api } = apiApp();
      expect(() => skipRule(api.deployment, 'nope' as never, 'x')).toThrow(`skipRule: unknown policy rule "nope"; use one of ${POLICY_RULE_IDS.join(', ')}`);
      expect(() => skipRule(api.deployment, 'integrity/skip-rules', 'x')).toThrow('skipRule: integrity/skip-rules checks the skips themselves and cannot be skipped');
      expect(() => skipRule(api.deployment, 'reliability/pdb', '')).toThrow('skipRule: reason ("") must be one non-empty line; say why this object is exempt from reliability/pdb');
      expect(() => skipRule(api.deployment, 'reliability/pdb', 'a\nb')).toThrow('must be one non-empty line');
    });
  });

  describeWithSchemas('with the upstream schemas', () => {
    test('useSchemas adds the schema checks', () => {
      const { app, chart } = apiApp();
      PolicyChecks.of(app).useSchemas(schemaRegistry() as never);
      new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', namespace: 'api' }, data: { n: 1 } as never });
      expect(synthErrors(app)).toContain('ConfigMap api/bad');
      expect(() => PolicyChecks.of(app).useSchemas({} as never)).toThrow('PolicyChecks.useSchemas: registry must be a SchemaRegistry');
    });
  });
});
