import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  configGroup, eksKubeconfig, KUBERNETES_PROVIDER_VERSION, kubernetesProvider, kubernetesTypeToken, objectKey,
} from '../../lib/cloud/kubernetes';
import { KubeObject } from '../../lib/policy/objects';
import { isSecretEnvelope, MockConfig, PlannedResource, ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';

const CLUSTER_ARN = 'arn:aws:eks:eu-west-1:123456789012:cluster/staging-euw1';

/** What the resource options of one registration were (the mock monitor does not see options). */
interface SeenOptions {
  readonly version?: string;
  readonly dependsOn: string[];
}

/** A mock run, plus the options every resource was registered with, by `type::name`. */
interface Run extends ProgramRun {
  readonly options: ReadonlyMap<string, SeenOptions>;
}

/** Runs `fn` under the mocks of stacks/plan.ts and records each resource's version and dependsOn (as `type::name`). */
async function run(fn: () => Record<string, unknown>, config: MockConfig = {}): Promise<Run> {
  const options = new Map<string, SeenOptions>();
  const keys = new Map<pulumi.Resource, string>();
  const result = await runUnderMocks('test', config, () => {
    pulumi.runtime.registerStackTransformation((t) => {
      const key = `${t.type}::${t.name}`;
      keys.set(t.resource, key);
      const deps = t.opts.dependsOn === undefined ? [] : Array.isArray(t.opts.dependsOn) ? t.opts.dependsOn : [t.opts.dependsOn];
      options.set(key, {
        version: t.opts.version,
        dependsOn: (deps as pulumi.Resource[]).map((d) => keys.get(d) ?? '<unregistered>'),
      });
      return undefined;
    });
    return fn();
  });
  return { ...result, options };
}

const one = (r: ProgramRun, type: string, name: string): PlannedResource => {
  const found = r.resources.filter((x) => x.type === type && x.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
};

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'api', annotations: { 'config.kubernetes.io/depends-on': '/namespaces/api' }, labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { replicas: 2, selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27.2', ports: [{ containerPort: 8080 }] }] } } },
};

describe('kubernetesProvider', () => {
  let r: Run;
  beforeAll(async () => {
    r = await run(() => {
      const parent = new pulumi.ComponentResource('test:index:Parent', 'parent', {}, {});
      const before = new pulumi.ComponentResource('test:index:Before', 'before', {}, {});
      const opts: pulumi.CustomResourceOptions = { parent, dependsOn: [before] };
      kubernetesProvider('k8s', { kubeconfig: '{"kind":"Config"}', clusterIdentifier: CLUSTER_ARN }, opts);
      return { optsKeys: Object.keys(opts) };
    });
  });

  test('registers pulumi:providers:kubernetes (the SDK\'s Provider) with the kubeconfig, the stable clusterIdentifier and server-side apply', () => {
    // The SDK's Provider JSON-encodes non-string provider settings, as the plugin reads them.
    expect(one(r, 'pulumi:providers:kubernetes', 'k8s').inputs).toEqual({
      kubeconfig: '{"kind":"Config"}', clusterIdentifier: CLUSTER_ARN, enableServerSideApply: 'true',
    });
  });

  test('asks for the pinned plugin version, which is a 4.x recent enough for yaml/v2 (4.10+)', () => {
    expect(r.options.get('pulumi:providers:kubernetes::k8s')?.version).toBe(KUBERNETES_PROVIDER_VERSION);
    const [major, minor] = KUBERNETES_PROVIDER_VERSION.split('.').map(Number);
    expect(major).toBe(4);
    expect(minor).toBeGreaterThanOrEqual(10);
  });

  test('keeps the caller\'s parent and dependsOn, and does not mutate the caller\'s options', () => {
    expect(one(r, 'pulumi:providers:kubernetes', 'k8s')).toMatchObject({ parent: 'parent', parentType: 'test:index:Parent', custom: true });
    expect(r.options.get('pulumi:providers:kubernetes::k8s')?.dependsOn).toEqual(['test:index:Before::before']);
    expect(r.outputs.optsKeys).toEqual(['parent', 'dependsOn']);
  });

  test('the identity is the clusterIdentifier, not the kubeconfig: new kubeconfig text keeps the same identity', async () => {
    const identities = async (kubeconfig: string) => {
      const x = await run(() => {
        kubernetesProvider('k8s', { kubeconfig, clusterIdentifier: pulumi.output(CLUSTER_ARN) }, {});
        return {};
      });
      return one(x, 'pulumi:providers:kubernetes', 'k8s').inputs;
    };
    const endpoint = 'https://STAGING-EUW1.gr7.eu-west-1.eks.amazonaws.com';
    const before = await identities(eksKubeconfig({ clusterName: 'staging-euw1', region: 'eu-west-1', endpoint, certificateAuthorityData: 'T0xE' }));
    const after = await identities(eksKubeconfig({ clusterName: 'staging-euw1', region: 'eu-west-1', endpoint, certificateAuthorityData: 'TkVX', profile: 'ops' }));
    expect(before.kubeconfig).not.toEqual(after.kubeconfig);
    expect(before.clusterIdentifier).toBe(CLUSTER_ARN);
    expect(after.clusterIdentifier).toBe(before.clusterIdentifier);
  });

  test('a secret kubeconfig stays a secret in the provider\'s inputs', async () => {
    const x = await run(() => {
      kubernetesProvider('k8s', { kubeconfig: pulumi.secret('{"token":"do-not-print"}'), clusterIdentifier: CLUSTER_ARN }, {});
      return {};
    });
    const inputs = one(x, 'pulumi:providers:kubernetes', 'k8s').inputs;
    expect(isSecretEnvelope(inputs.kubeconfig)).toBe(true);
    expect(inputs.clusterIdentifier).toBe(CLUSTER_ARN);
  });
});

describe('configGroup', () => {
  const objects: KubeObject[] = [ns('api'), deployment];
  const pristine = structuredClone(objects);
  let r: Run;
  let remote: unknown;
  beforeAll(async () => {
    r = await run(() => {
      const aws_ = new aws.Provider('aws', { region: 'eu-west-1' });
      // A parent that hands an AWS provider down: the group must still use the Kubernetes provider it is given.
      const parent = new pulumi.ComponentResource('test:index:Parent', 'parent', {}, { provider: aws_ });
      const provider = kubernetesProvider('k8s', { kubeconfig: '{}', clusterIdentifier: CLUSTER_ARN }, {});
      const first = configGroup('first', objects, { parent, provider });
      // The SDK's own flag: a remote component is constructed by the provider plugin, not by this program.
      remote = (first as unknown as { __remote?: boolean }).__remote;
      configGroup('second', pulumi.output([ns('web')]), { parent, provider, dependsOn: [first] });
      return {};
    }, { values: { 'pulumi:disable-default-providers': ['*'] } });
  });

  test('registers the provider\'s remote component kubernetes:yaml/v2:ConfigGroup with the objects unchanged', () => {
    const group = one(r, 'kubernetes:yaml/v2:ConfigGroup', 'first');
    expect(remote).toBe(true);
    expect(group.inputs).toEqual({ objs: pristine, resourcePrefix: 'first' });
    expect(objects).toEqual(pristine);
  });

  test('objects given as an output are resolved and passed through', () => {
    expect(one(r, 'kubernetes:yaml/v2:ConfigGroup', 'second').inputs).toEqual({ objs: [ns('web')], resourcePrefix: 'second' });
  });

  test('with default providers disabled, every group is on the explicit provider, not its parent\'s AWS provider', () => {
    for (const name of ['first', 'second']) {
      expect(one(r, 'kubernetes:yaml/v2:ConfigGroup', name)).toMatchObject({ provider: 'k8s', parent: 'parent' });
    }
    expect(r.resources.filter((x) => x.type === 'pulumi:providers:kubernetes').map((x) => x.name)).toEqual(['k8s']);
  });

  test('asks for the pinned plugin version and keeps dependsOn, so groups deploy in the order given', () => {
    expect(r.options.get('kubernetes:yaml/v2:ConfigGroup::first')).toEqual({ version: KUBERNETES_PROVIDER_VERSION, dependsOn: [] });
    expect(r.options.get('kubernetes:yaml/v2:ConfigGroup::second')).toEqual({
      version: KUBERNETES_PROVIDER_VERSION, dependsOn: ['kubernetes:yaml/v2:ConfigGroup::first'],
    });
    const order = r.resources.map((x) => x.name);
    expect(order.indexOf('first')).toBeLessThan(order.indexOf('second'));
  });
});

describe('type-token helpers', () => {
  test('kubernetesTypeToken spells the core group "core" and keeps other groups as they are', () => {
    expect(kubernetesTypeToken({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe('kubernetes:core/v1:ConfigMap');
    expect(kubernetesTypeToken({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' })).toBe('kubernetes:rbac.authorization.k8s.io/v1:ClusterRole');
    expect(kubernetesTypeToken({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }))
      .toBe('kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition');
    expect(kubernetesTypeToken({ apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore' })).toBe('kubernetes:external-secrets.io/v1:ClusterSecretStore');
  });

  test('objectKey is group/Kind namespace/name: the core group is empty, cluster-scoped objects have no namespace', () => {
    expect(objectKey(ns('api'))).toBe('/Namespace api');
    expect(objectKey(deployment)).toBe('apps/Deployment api/web');
    expect(objectKey({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'x-' } })).toBe('/ConfigMap <no name>');
  });

  test('objectKey ignores the version (one object served at two versions) but not the namespace', () => {
    const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'api' } };
    expect(objectKey({ ...v1, apiVersion: 'autoscaling/v2' })).toBe(objectKey(v1));
    expect(objectKey({ ...v1, metadata: { name: 'web', namespace: 'other' } })).not.toBe(objectKey(v1));
  });
});

describe('eksKubeconfig', () => {
  test('a profile is passed to aws eks get-token as AWS_PROFILE; contexts point at the one cluster and user', () => {
    const config = JSON.parse(eksKubeconfig({ clusterName: 'c', region: 'eu-west-1', endpoint: 'https://e', certificateAuthorityData: 'Q0E=', profile: 'ops' }));
    expect(config.users).toEqual([{
      name: 'c',
      user: { exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', interactiveMode: 'Never', env: [{ name: 'AWS_PROFILE', value: 'ops' }],
        args: ['eks', 'get-token', '--cluster-name', 'c', '--region', 'eu-west-1', '--output', 'json'],
      } },
    }]);
    expect(config.contexts).toEqual([{ name: 'c', context: { cluster: 'c', user: 'c' } }]);
  });
});
