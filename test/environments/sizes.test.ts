/**
 * The platform's resource figures, read from the synthesized output of every environment: the sizes of the consensus
 * members, the network agent and the API, the namespaces' quotas, and node groups that hold every workload at its
 * maximum.
 */
import { dev, EnvironmentSpec, production, staging } from '../../environments';
import { PRODUCTION_REGION_NODES } from '../../environments/validate';
import { groupCapacity, INSTANCE_TYPES, podRoom, PodRequests, SYSTEM_RESERVE } from '../../lib/cloud/capacity';
import { KubeObject } from '../../lib/policy/objects';
import { parseQuantity } from '../../lib/policy/rules-context';
import { CONSENSUS_NODE_GROUP, NAMESPACES, WORKLOADS } from '../../stacks/platform';
import { renderEnvironment, RenderedEnvironment } from '../../stacks/render';
import { schemaRegistry } from '../util';

interface Resources {
  readonly requests: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}
/** The fields of the synthesized objects these tests read. */
type Json = KubeObject & {
  readonly spec: {
    readonly replicas?: number;
    readonly maxReplicas?: number;
    readonly hard?: Readonly<Record<string, unknown>>;
    readonly strategy?: { readonly rollingUpdate: { readonly maxSurge: number } };
    readonly template: { readonly spec: { readonly containers: ReadonlyArray<{ readonly name: string; readonly resources: Resources }> } };
  };
};

const rendered = new Map<string, RenderedEnvironment>();
/** An environment rendered once per file, with the upstream schemas and every policy rule. */
function render(env: EnvironmentSpec): RenderedEnvironment {
  if (!rendered.has(env.name)) rendered.set(env.name, renderEnvironment(env, schemaRegistry()));
  return rendered.get(env.name) as RenderedEnvironment;
}

/** The object of a kind and name in one cluster's output. */
function find(env: EnvironmentSpec, cluster: string, kind: string, namespace: string, name: string): Json {
  const found = render(env).objects.find((o) => o.cluster === cluster && o.object.kind === kind && o.object.metadata?.namespace === namespace && o.object.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${namespace}/${name} in ${env.name}/${cluster}`);
  return found.object as Json;
}

/** A workload's container resources by container name. */
function resources(workload: Json, container: string): Resources {
  const c = workload.spec.template.spec.containers.find((x) => x.name === container);
  if (!c) throw new Error(`no container ${container} in ${workload.kind} ${workload.metadata?.name}`);
  return c.resources;
}

/** Requests of a container as the capacity figures (millicores, MiB). */
function requestsOf(r: Resources): PodRequests {
  return { cpuMillis: (parseQuantity(r.requests.cpu) as number) * 1000, memoryMiB: (parseQuantity(r.requests.memory) as number) / 2 ** 20 };
}

const ENVIRONMENTS = [dev, staging, production];

describe('sizes, read from the synthesized output', () => {
  test.each(ENVIRONMENTS.map((e) => [e.name, e]))('%s renders with no error: upstream schemas, API-server rules and every policy rule, reliability/quota-capacity included', (_, env) => {
    expect(render(env).violations.filter((v) => v.severity === 'error')).toEqual([]);
  });

  test('production: consensus members request 2 CPU / 4Gi and are limited to 4 CPU / 8Gi in every region', () => {
    for (const r of production.regions) {
      expect(resources(find(production, r.clusterName, 'StatefulSet', NAMESPACES.consensus, WORKLOADS.consensus), 'etcd'))
        .toEqual({ requests: { cpu: '2', memory: '4096Mi' }, limits: { cpu: '4', memory: '8192Mi' } });
    }
  });

  test('production: the network agent requests 1 CPU / 2Gi and is limited to 4 CPU / 8Gi on every node', () => {
    for (const r of production.regions) {
      expect(resources(find(production, r.clusterName, 'DaemonSet', NAMESPACES.network, WORKLOADS.networkAgent), 'agent'))
        .toEqual({ requests: { cpu: '1', memory: '2048Mi' }, limits: { cpu: '4', memory: '8192Mi' } });
    }
  });

  test('production: API pods request 500m / 1Gi (memory limited to 2Gi, no CPU limit)', () => {
    for (const r of production.regions) {
      expect(resources(find(production, r.clusterName, 'Deployment', NAMESPACES.api, WORKLOADS.api), 'app'))
        .toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { memory: '2048Mi' } });
    }
  });

  test('dev and staging run the smaller sizes their environment data states', () => {
    expect(resources(find(dev, 'dev-use1', 'StatefulSet', NAMESPACES.consensus, WORKLOADS.consensus), 'etcd'))
      .toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
    expect(resources(find(dev, 'dev-use1', 'DaemonSet', NAMESPACES.network, WORKLOADS.networkAgent), 'agent'))
      .toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(resources(find(dev, 'dev-use1', 'Deployment', NAMESPACES.api, WORKLOADS.api), 'app'))
      .toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    expect(resources(find(staging, 'staging-use1', 'StatefulSet', NAMESPACES.consensus, WORKLOADS.consensus), 'etcd'))
      .toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { cpu: '1', memory: '2048Mi' } });
    expect(resources(find(staging, 'staging-use1', 'DaemonSet', NAMESPACES.network, WORKLOADS.networkAgent), 'agent'))
      .toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
    expect(resources(find(staging, 'staging-use1', 'Deployment', NAMESPACES.api, WORKLOADS.api), 'app'))
      .toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1024Mi' } });
  });

  test('production: every namespace\'s quota is the specification\'s 100 CPU, 200Gi memory, 500 pods, 100 claims', () => {
    for (const r of production.regions) {
      for (const ns of [NAMESPACES.consensus, NAMESPACES.api, NAMESPACES.network]) {
        expect(find(production, r.clusterName, 'ResourceQuota', ns, `${ns}-quota`).spec.hard).toEqual({
          'requests.cpu': '100', 'requests.memory': '200Gi', 'limits.memory': '400Gi', 'pods': 500, 'persistentvolumeclaims': 100, 'requests.storage': '2048Gi',
        });
      }
    }
  });

  test('dev and staging quotas are the smaller ones their data states', () => {
    expect(find(dev, 'dev-use1', 'ResourceQuota', NAMESPACES.api, 'api-quota').spec.hard).toEqual({
      'requests.cpu': '8', 'requests.memory': '16Gi', 'limits.memory': '32Gi', 'pods': 50, 'persistentvolumeclaims': 10, 'requests.storage': '256Gi',
    });
    expect(find(staging, 'staging-use1', 'ResourceQuota', NAMESPACES.api, 'api-quota').spec.hard).toEqual({
      'requests.cpu': '16', 'requests.memory': '32Gi', 'limits.memory': '64Gi', 'pods': 100, 'persistentvolumeclaims': 20, 'requests.storage': '512Gi',
    });
  });

  test('the old 32-CPU quota is refused: prod-use1\'s API reaches 150 pods (+1 surge) × 500m, beside the smoke-test Job', () => {
    const tight = { ...production, quotas: { ...production.quotas, api: { ...production.quotas.api, cpu: 32 } } };
    expect(renderEnvironment(tight).violations.filter((v) => v.rule === 'reliability/quota-capacity').map((v) => `${v.object} ${v.path}: ${v.message}`)).toEqual([
      'ResourceQuota api/api-quota spec.hard.requests.cpu: namespace api needs 75.51 requests.cpu with its workloads at their maximums but the quota allows 32, so pods beyond it are refused; driven by Deployment api/api 75.5 (151 pod(s): 150 (HorizontalPodAutoscaler api/api\'s maximum) + 1 rollout surge), Job api/api-smoke-test 0.01 (1 pod(s): 1 parallel pod(s)); raise requests.cpu to 75.51 or lower those maximums or requests',
      'ResourceQuota api/api-quota spec.hard.requests.cpu: namespace api needs 50.51 requests.cpu with its workloads at their maximums but the quota allows 32, so pods beyond it are refused; driven by Deployment api/api 50.5 (101 pod(s): 100 (HorizontalPodAutoscaler api/api\'s maximum) + 1 rollout surge), Job api/api-smoke-test 0.01 (1 pod(s): 1 parallel pod(s)); raise requests.cpu to 50.51 or lower those maximums or requests',
    ]);
  });
});

describe('node groups hold every workload at its maximum (from the synthesized requests)', () => {
  const clusters = ENVIRONMENTS.flatMap((env) => env.regions.map((r) => [`${env.name}/${r.clusterName}`, env, r.clusterName] as const));

  test.each(clusters)('%s: the general groups hold the API at its HPA maximum plus surge, beside the network agent on every node', (_, env, cluster) => {
    const agent = requestsOf(resources(find(env, cluster, 'DaemonSet', NAMESPACES.network, WORKLOADS.networkAgent), 'agent'));
    const deployment = find(env, cluster, 'Deployment', NAMESPACES.api, WORKLOADS.api);
    const maxPods = (find(env, cluster, 'HorizontalPodAutoscaler', NAMESPACES.api, WORKLOADS.api).spec.maxReplicas as number) + (deployment.spec.strategy?.rollingUpdate.maxSurge as number);
    expect(maxPods).toBeGreaterThan(1);
    const groups = env.nodeGroups.filter((g) => !g.taint && g.name !== 'system');
    const capacity = groups.reduce((n, g) => n + (groupCapacity(g, requestsOf(resources(deployment, 'app')), [agent]) as number), 0);
    expect(capacity).toBeGreaterThanOrEqual(maxPods);
  });

  test.each(clusters)('%s: the consensus group holds one member per node at the largest member count, beside the network agent', (_, env, cluster) => {
    const agent = requestsOf(resources(find(env, cluster, 'DaemonSet', NAMESPACES.network, WORKLOADS.networkAgent), 'agent'));
    const members = find(env, cluster, 'StatefulSet', NAMESPACES.consensus, WORKLOADS.consensus);
    const group = env.nodeGroups.find((g) => g.name === CONSENSUS_NODE_GROUP);
    if (!group) throw new Error(`${env.name} has no consensus node group`);
    const largest = env.consensus.primaryReplicas ?? env.consensus.replicas;
    expect(members.spec.replicas).toBeLessThanOrEqual(largest);
    expect(groupCapacity(group, requestsOf(resources(members, 'etcd')), [agent], true)).toBeGreaterThanOrEqual(largest);
  });

  test('production figures per node type: the system reserve (100m, 20 % of memory) and the 1 CPU / 2Gi agent come first', () => {
    expect(SYSTEM_RESERVE).toEqual({ cpuMillis: 100, memoryFraction: 0.2 });
    const agent = { cpuMillis: 1000, memoryMiB: 2048 };
    // i4i.xlarge (4 vCPU, 32 GiB): 2900m and 24166.4Mi left, room for one 2 CPU / 4Gi member.
    expect(INSTANCE_TYPES['i4i.xlarge']).toEqual({ vcpu: 4, memoryGiB: 32 });
    expect(podRoom('i4i.xlarge', [agent])).toEqual({ cpuMillis: 2900, memoryMiB: 32 * 1024 * 0.8 - 2048 });
    // m7i.2xlarge / m6i.2xlarge (8 vCPU, 32 GiB): 6900m left, 13 API pods of 500m each; 30 nodes hold 390 ≥ 151.
    expect(groupCapacity({ instanceTypes: ['m7i.2xlarge', 'm6i.2xlarge'], maxSize: 30 }, { cpuMillis: 500, memoryMiB: 1024 }, [agent])).toBe(390);
  });

  test.each([production.name])('%s: each region\'s node groups add up to at least 10 nodes and at most 100', () => {
    const min = production.nodeGroups.reduce((n, g) => n + g.minSize, 0);
    const max = production.nodeGroups.reduce((n, g) => n + g.maxSize, 0);
    expect(PRODUCTION_REGION_NODES).toEqual({ min: 10, max: 100 });
    expect([min, max]).toEqual([10, 43]);
  });

  test('staging\'s general group runs on spot with two instance types; production and dev stay on demand', () => {
    const general = (env: EnvironmentSpec) => env.nodeGroups.find((g) => g.name === 'general');
    expect(general(staging)).toEqual(expect.objectContaining({ capacityType: 'SPOT', instanceTypes: ['m7i.large', 'm6i.large'] }));
    expect([general(dev)?.capacityType, general(production)?.capacityType]).toEqual([undefined, undefined]);
    expect(production.nodeGroups.map((g) => g.capacityType)).toEqual([undefined, undefined, undefined]);
  });
});
