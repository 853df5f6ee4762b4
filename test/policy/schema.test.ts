import { KubeObject } from '../../lib';
import { describeWithSchemas, schemaRegistry } from '../util';

const deployment = (): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'api' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{
          name: 'web', image: 'nginx:1.27',
          ports: [{ containerPort: 8080, name: 'http' }],
          resources: { requests: { cpu: 0.5, memory: '64Mi' }, limits: { memory: '128Mi' } },
        }],
      },
    },
    strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '0%' } },
  },
});

describeWithSchemas('SchemaRegistry (upstream schemas, strict)', () => {
  const registry = () => {
    const r = schemaRegistry();
    if (!r) throw new Error('schemas missing');
    return r;
  };

  test('a valid Deployment passes, with int-or-string and numeric quantities', () => {
    expect(registry().validate(deployment() as KubeObject)).toEqual([]);
  });

  test('a misspelt field is reported with its path', () => {
    const d = deployment();
    ((d.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers[0]).imagePullPolicyy = 'Always';
    expect(registry().validate(d as KubeObject)).toEqual([expect.objectContaining({
      rule: 'schema',
      object: 'Deployment api/web',
      path: 'spec.template.spec.containers[0]',
      message: expect.stringContaining('unknown field "imagePullPolicyy"'),
    })]);
  });

  test('a removed apiVersion (policy/v1beta1 PodDisruptionBudget) fails and names the served one', () => {
    const pdb = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1 } };
    expect(registry().validate(pdb)).toEqual([expect.objectContaining({
      message: 'no schema for apiVersion policy/v1beta1 kind PodDisruptionBudget (removed or unknown API); PodDisruptionBudget is served as policy/v1',
    })]);
  });

  test('an unknown kind fails', () => {
    expect(registry().validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      expect.objectContaining({ message: expect.stringContaining('no schema for apiVersion example.com/v1 kind Widget') }),
    ]);
  });

  test('a wrong type is reported', () => {
    const d = deployment();
    (d.spec as Record<string, unknown>).replicas = 'two';
    expect(registry().validate(d as KubeObject)).toEqual([expect.objectContaining({ path: 'spec.replicas', message: 'must be integer' })]);
  });

  test('a missing required field is reported', () => {
    const d = deployment();
    delete (d.spec as Record<string, unknown>).selector;
    expect(registry().validate(d as KubeObject)).toEqual([expect.objectContaining({ path: 'spec', message: 'missing required field "selector"' })]);
  });

  test('custom resources are strict too, and their metadata is checked as ObjectMeta', () => {
    const schedule = {
      apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 's', namespace: 'velero', labelz: {} },
      spec: { schedule: '0 * * * *', template: { ttl: '168h0m0s', includedNamespaces: ['api'], snapshotVolume: true } },
    };
    const messages = registry().validate(schedule).map((v) => `${v.path}: ${v.message}`);
    expect(messages).toEqual([
      'metadata: unknown field "labelz" (not in the schema; check its spelling and placement)',
      'spec.template: unknown field "snapshotVolume" (not in the schema; check its spelling and placement)',
    ]);
  });

  test('a served CRD version validates and an unserved one is unknown', () => {
    const store = (version: string) => ({
      apiVersion: `external-secrets.io/${version}`, kind: 'ClusterSecretStore', metadata: { name: 'aws' },
      spec: { provider: { aws: { service: 'SecretsManager', region: 'us-east-1' } } },
    });
    expect(registry().validate(store('v1'))).toEqual([]);
    expect(registry().validate(store('v1beta1'))).toEqual([expect.objectContaining({ message: expect.stringContaining('no schema for apiVersion external-secrets.io/v1beta1') })]);
  });

  test('x-kubernetes-preserve-unknown-fields stays open', () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'argocd' },
      spec: {
        project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'api' },
        source: { repoURL: 'https://example.com/r.git', path: 'x', targetRevision: 'main', helm: { valuesObject: { anything: { goes: 1 } } } },
      },
    };
    expect(registry().validate(app)).toEqual([]);
  });

  test('the converted Cilium JSON Schema is keyed by its group, version and kind', () => {
    expect(registry().has('cilium.io/v2', 'CiliumNetworkPolicy')).toBe(true);
    expect(registry().has('velero.io/v1', 'Schedule')).toBe(true);
    expect(registry().has('apps/v1', 'Deployment')).toBe(true);
  });
});

describeWithSchemas('SchemaRegistry edge cases of real CRDs', () => {
  const registry = () => {
    const r = schemaRegistry();
    if (!r) throw new Error('schemas missing');
    return r;
  };

  test('a CRD that lists only spec and status still accepts apiVersion, kind and ObjectMeta metadata (Istio)', () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api', namespace: 'api', labels: { a: 'b' } },
      spec: { hosts: ['api'], http: [{ route: [{ destination: { host: 'api', subset: 'stable' }, weight: 100 }] }] },
    };
    expect(registry().validate(vs)).toEqual([]);
    expect(registry().validate({ ...vs, metadata: { name: 'api', labelz: {} } })).toEqual([
      expect.objectContaining({ path: 'metadata', message: expect.stringContaining('unknown field "labelz"') }),
    ]);
  });

  test('a Go inline flag in a CRD pattern compiles as a JavaScript flag (PrometheusRule)', () => {
    const rule = {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r', namespace: 'monitoring' },
      spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '5m', labels: { severity: 'critical' } }] }] },
    };
    expect(registry().validate(rule)).toEqual([]);
  });
});
