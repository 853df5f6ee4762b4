import { checkConformance } from '../../lib/policy/conformance';
import { KubeObject } from '../../lib/policy/objects';
import { describeWithSchemas, schemaRegistry } from '../util';

const configMap = (name: string, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'api' }, data: { a: 'b' }, ...extra });

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'api', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
      spec: { containers: [{ name: 'app', image: 'registry.example.com/web:1.0.0', ports: [{ name: 'http', containerPort: 8080 }] }] },
    },
  },
};

describe('checkConformance without a registry', () => {
  test('no objects, no violations', () => {
    expect(checkConformance([])).toEqual([]);
  });

  test('valid objects pass', () => {
    expect(checkConformance([configMap('settings'), deployment])).toEqual([]);
  });

  test('runs the API-server rules', () => {
    expect(checkConformance([configMap('Settings')])).toEqual([{
      rule: 'api/name', severity: 'error', object: 'ConfigMap api/Settings', path: 'metadata.name',
      message: 'name "Settings" must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit',
    }]);
  });

  test('does not check schemas: unknown fields and kinds pass', () => {
    expect(checkConformance([configMap('settings', { dta: {} }), { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual([]);
  });

  test('returns violations in object order', () => {
    const violations = checkConformance([configMap('B_'), configMap('ok'), configMap('A_')]);
    expect(violations.map((v) => v.object)).toEqual(['ConfigMap api/B_', 'ConfigMap api/A_']);
  });

  test('checks a workload\'s selector against its template', () => {
    const broken = { ...deployment, spec: { ...(deployment.spec as object), selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } } };
    expect(checkConformance([broken])).toEqual([{
      rule: 'api/selector-matches-template', severity: 'error', object: 'Deployment api/web', path: 'spec.selector.matchLabels',
      message: 'selector app.kubernetes.io/name=api does not match the template label app.kubernetes.io/name=web at spec.template.metadata.labels; make them equal',
    }]);
  });
});

describeWithSchemas('checkConformance with a registry', () => {
  test('valid objects pass', () => {
    expect(checkConformance([configMap('settings'), deployment], schemaRegistry())).toEqual([]);
  });

  test('catches an unknown field', () => {
    expect(checkConformance([configMap('settings', { dta: {} })], schemaRegistry())).toEqual([{
      rule: 'schema', severity: 'error', object: 'ConfigMap api/settings', path: '(root)',
      message: 'unknown field "dta" (not in the schema; check its spelling and placement)',
    }]);
  });

  test('catches an unknown kind', () => {
    const violations = checkConformance([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }], schemaRegistry());
    expect(violations).toEqual([{
      rule: 'schema', severity: 'error', object: 'Widget w', path: '(root)',
      message: 'no schema for apiVersion example.com/v1 kind Widget: API group example.com is unknown to the schemas (a custom resource?); add its CustomResourceDefinition to the schema folder or the input',
    }]);
  });

  test('a kind of an unknown group is not said to be served by another group\'s kind of the same name', () => {
    const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'api' } };
    const [v] = checkConformance([gateway], schemaRegistry());
    expect(v.message).toBe('no schema for apiVersion gateway.networking.k8s.io/v1 kind Gateway: API group gateway.networking.k8s.io is unknown to the schemas (a custom resource?); add its CustomResourceDefinition to the schema folder or the input');
    expect(v.message).not.toContain('istio');
  });

  test('a misspelt kind of a known group is named, with the kinds it may mean', () => {
    const [v] = checkConformance([{ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'web', namespace: 'api' } }], schemaRegistry());
    expect(v.message).toBe('no schema for apiVersion apps/v1 kind Deploymnet: API group apps has no kind Deploymnet; did you mean Deployment?');
  });

  test('catches a removed API version and names the served one', () => {
    const violations = checkConformance([{ ...deployment, apiVersion: 'extensions/v1beta1' }], schemaRegistry());
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toMatch(/^no schema for apiVersion extensions\/v1beta1 kind Deployment \(removed or unknown API\); Deployment is served as .*apps\/v1/);
  });

  test('reports schema violations before API-server rules, per object', () => {
    const violations = checkConformance([configMap('Bad', { dta: {} }), configMap('Worse', { dtaa: {} })], schemaRegistry());
    expect(violations.map((v) => `${v.object} ${v.rule}`)).toEqual([
      'ConfigMap api/Bad schema', 'ConfigMap api/Bad api/name', 'ConfigMap api/Worse schema', 'ConfigMap api/Worse api/name',
    ]);
  });
});
