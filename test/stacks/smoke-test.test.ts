import { Chart, Testing } from 'cdk8s';
import { ENVIRONMENTS, production, staging } from '../../environments';
import { AutoscaledService, KubeObject, NamespaceBaseline, ScalingMetric } from '../../lib';
import { renderEnvironment, RenderedEnvironment } from '../../stacks/render';
import { addApiSmokeTest, SMOKE_TEST_IMAGE, SMOKE_TEST_NAME, SMOKE_TEST_RETRIES } from '../../stacks/smoke-test';
import { expectConformant, field, findObject, schemaRegistry, synth } from '../util';

const registry = schemaRegistry();
const rendered: Record<string, RenderedEnvironment> = Object.fromEntries(ENVIRONMENTS.map((e) => [e.name, renderEnvironment(e, registry)]));
const objectsOf = (env: string, cluster: string, component?: string): KubeObject[] => rendered[env].objects
  .filter((o) => o.cluster === cluster && (component === undefined || o.component === component)).map((o) => o.object);

type Container = { command: string[]; resources: unknown; securityContext: Record<string, unknown>; image: string; imagePullPolicy: string };
const containerOf = (job: KubeObject): Container => (field(job, 'spec.template.spec.containers') as Container[])[0];

describe('the API smoke test (a PostSync hook per cluster)', () => {
  test('every environment renders it with no policy error, and every object passes the upstream schemas', () => {
    for (const env of ENVIRONMENTS) {
      expect(rendered[env.name].violations.filter((v) => v.severity === 'error')).toEqual([]);
      for (const region of env.regions) {
        const api = objectsOf(env.name, region.clusterName, 'api');
        const own = [findObject(api, 'Job', SMOKE_TEST_NAME, 'api'), findObject(api, 'NetworkPolicy', SMOKE_TEST_NAME, 'api'), findObject(api, 'ServiceAccount', SMOKE_TEST_NAME, 'api')];
        expectConformant(own);
      }
    }
  });

  test('a PostSync hook of the api Application, re-created each sync and deleted when it succeeds', () => {
    const job = findObject(objectsOf('production', 'prod-euw1', 'api'), 'Job', SMOKE_TEST_NAME, 'api');
    expect(job.metadata?.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded',
    });
  });

  test('calls the readiness path of the API\'s Deployment through the API\'s Service name and port, with bounded retries', () => {
    for (const [env, cluster] of [['dev', 'dev-use1'], ['production', 'prod-apse1']]) {
      const api = objectsOf(env, cluster, 'api');
      const service = findObject(api, 'Service', 'api', 'api');
      const port = (field(service, 'spec.ports') as Array<{ port: number }>)[0].port;
      const deployment = findObject(api, 'Deployment', 'api', 'api');
      const path = field((field(deployment, 'spec.template.spec.containers') as unknown[])[0], 'readinessProbe.httpGet.path');
      const job = findObject(api, 'Job', SMOKE_TEST_NAME, 'api');
      const command = containerOf(job).command;
      expect(command[command.length - 1]).toBe(`http://api.api.svc.cluster.local:${port}${String(path)}`);
      expect(command).toEqual(expect.arrayContaining(['curl', '--fail', '--retry-all-errors', '--retry-connrefused']));
      expect(command[command.indexOf('--retry') + 1]).toBe(String(SMOKE_TEST_RETRIES));
      expect(command[command.indexOf('--max-time') + 1]).toBe('5');
      expect(field(job, 'spec.backoffLimit')).toBe(0);
      expect(field(job, 'spec.activeDeadlineSeconds')).toBe(300);
    }
  });

  test('pinned image, restricted security, requests and a memory limit, no service-account token', () => {
    const job = findObject(objectsOf('staging', 'staging-use1', 'api'), 'Job', SMOKE_TEST_NAME, 'api');
    const c = containerOf(job);
    expect([c.image, c.imagePullPolicy]).toEqual([SMOKE_TEST_IMAGE, 'IfNotPresent']);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(field(job, 'spec.template.spec.securityContext.seccompProfile')).toEqual({ type: 'RuntimeDefault' });
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } });
    expect(field(job, 'spec.template.spec.automountServiceAccountToken')).toBe(false);
    expect(field(job, 'spec.template.spec.serviceAccountName')).toBe(SMOKE_TEST_NAME);
    expect(field(job, 'spec.template.metadata.labels')).toEqual({
      'app.kubernetes.io/name': SMOKE_TEST_NAME, 'app.kubernetes.io/instance': SMOKE_TEST_NAME, 'app.kubernetes.io/component': 'smoke-test',
      'app.kubernetes.io/part-of': 'fleetcraft', 'app.kubernetes.io/managed-by': 'fleetcraft',
    });
  });

  test('its NetworkPolicy allows exactly the API\'s pods on their port, and DNS (outside the mesh)', () => {
    const api = objectsOf('staging', 'staging-use1', 'api');
    const policy = findObject(api, 'NetworkPolicy', SMOKE_TEST_NAME, 'api');
    // The pods the API's Service sends to (every track of the API).
    const apiSelector = field(findObject(api, 'Service', 'api', 'api'), 'spec.selector');
    expect(field(policy, 'spec.policyTypes')).toEqual(['Ingress', 'Egress']);
    expect(field(policy, 'spec.ingress')).toBeUndefined();
    const egress = field(policy, 'spec.egress') as Array<{ to?: unknown[]; ports: Array<{ port: number; protocol: string }> }>;
    expect(egress).toHaveLength(2);
    expect(egress[0]).toEqual({ to: [{ podSelector: { matchLabels: apiSelector } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    expect(egress[1].ports.map((p) => [p.protocol, p.port])).toEqual(expect.arrayContaining([['UDP', 53], ['TCP', 53]]));
  });

  test('the API\'s NetworkPolicy admits the smoke test\'s pods on its port', () => {
    const api = objectsOf('dev', 'dev-use1', 'api');
    const job = findObject(api, 'Job', SMOKE_TEST_NAME, 'api');
    const ingress = field(findObject(api, 'NetworkPolicy', 'api', 'api'), 'spec.ingress') as Array<{ from: Array<{ podSelector?: { matchLabels: Record<string, string> } }> }>;
    const podLabels = field(job, 'spec.template.metadata.labels') as Record<string, string>;
    const admitted = ingress.flatMap((r) => r.from).filter((f) => f.podSelector !== undefined);
    expect(admitted).toHaveLength(1);
    expect(Object.entries(admitted[0].podSelector!.matchLabels).every(([k, v]) => podLabels[k] === v)).toBe(true);
  });

  describe('in the mesh (production)', () => {
    const api = objectsOf('production', 'prod-use1', 'api');
    const job = findObject(api, 'Job', SMOKE_TEST_NAME, 'api');

    test('the pod gets a native Istio sidecar, so its call is mutual TLS with the mesh\'s certificates', () => {
      expect(field(job, 'spec.template.metadata.labels')).toMatchObject({ 'sidecar.istio.io/inject': 'true' });
      expect(field(job, 'spec.template.metadata.annotations')).toEqual({ 'sidecar.istio.io/nativeSidecar': 'true' });
      expect(field(staging.features, 'mesh')).toBeUndefined();
      expect(field(findObject(objectsOf('staging', 'staging-use1', 'api'), 'Job', SMOKE_TEST_NAME, 'api'), 'spec.template.metadata.annotations')).toBeUndefined();
    });

    test('the API\'s AuthorizationPolicy admits the smoke test\'s service account on the API\'s port', () => {
      const rules = field(findObject(api, 'AuthorizationPolicy', 'api', 'api'), 'spec.rules') as Array<{ from: Array<{ source: { principals?: string[] } }>; to: unknown }>;
      const rule = rules.find((r) => r.from.some((f) => (f.source.principals ?? []).some((p) => p.endsWith(`/ns/api/sa/${SMOKE_TEST_NAME}`))));
      expect(rule?.to).toEqual([{ operation: { ports: ['8080'] } }]);
    });

    test('its NetworkPolicy also lets the sidecar reach istiod', () => {
      const egress = field(findObject(api, 'NetworkPolicy', SMOKE_TEST_NAME, 'api'), 'spec.egress') as Array<{ ports: Array<{ port: number }> }>;
      expect(egress.map((r) => r.ports.map((p) => p.port))).toEqual([[8080], [15012], expect.arrayContaining([53])]);
    });

    test('one hook per cluster', () => {
      for (const region of production.regions) expect(findObject(objectsOf('production', region.clusterName, 'api'), 'Job', SMOKE_TEST_NAME, 'api').kind).toBe('Job');
    });
  });
});

describe('addApiSmokeTest on its own', () => {
  const service = (namespace?: string, readinessPath?: string) => {
    const chart = new Chart(Testing.app(), 'c', { disableResourceNameHashes: true });
    if (namespace) new NamespaceBaseline(chart, 'Namespace', { name: namespace });
    const api = new AutoscaledService(chart, 'shop', {
      image: 'registry.example.com/shop:1.0.0', port: 9090, minReplicas: 2, maxReplicas: 4, metrics: [ScalingMetric.cpu(70)], namespace, readinessPath,
    });
    return { chart, api };
  };

  test('reads the URL from the service it is given: its name, namespace, port and readiness path', () => {
    const { chart, api } = service('shop', '/healthz/ready');
    const smoke = addApiSmokeTest(chart, { api, partOf: 'shop', mesh: false });
    expect(smoke.url).toBe('http://shop.shop.svc.cluster.local:9090/healthz/ready');
    const objects = synth(chart);
    const egress = field(findObject(objects, 'NetworkPolicy', SMOKE_TEST_NAME, 'shop'), 'spec.egress') as Array<{ ports: unknown }>;
    expect(egress[0].ports).toEqual([{ protocol: 'TCP', port: 9090 }]);
  });

  test('the service\'s default readiness path when none is set', () => {
    const { chart, api } = service('shop');
    expect(addApiSmokeTest(chart, { api, partOf: 'shop', mesh: false }).url).toBe('http://shop.shop.svc.cluster.local:9090/ready');
  });

  test('a service without a namespace is refused, naming it and the fix', () => {
    const { chart, api } = service(undefined);
    expect(() => addApiSmokeTest(chart, { api, partOf: 'shop', mesh: false }))
      .toThrow('the API "shop" has no namespace; the smoke test runs next to it and needs one');
  });
});
