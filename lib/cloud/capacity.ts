/**
 * Whether a cluster's node groups can hold what its manifests may scale to, as pure functions over plain data: the
 * instance types' sizes, Kubernetes resource quantities and the groups' maximum sizes.
 */
import { NodeGroupArgs } from './cluster';

/** vCPUs and memory of the EC2 instance types fleetcraft's environments use. */
export const INSTANCE_TYPES: Readonly<Record<string, { readonly vcpu: number; readonly memoryGiB: number }>> = {
  'm6i.large': { vcpu: 2, memoryGiB: 8 }, 'm6i.xlarge': { vcpu: 4, memoryGiB: 16 }, 'm6i.2xlarge': { vcpu: 8, memoryGiB: 32 },
  'm7i.large': { vcpu: 2, memoryGiB: 8 }, 'm7i.xlarge': { vcpu: 4, memoryGiB: 16 }, 'm7i.2xlarge': { vcpu: 8, memoryGiB: 32 },
  'm7i.4xlarge': { vcpu: 16, memoryGiB: 64 }, 'c7i.large': { vcpu: 2, memoryGiB: 4 }, 'c7i.xlarge': { vcpu: 4, memoryGiB: 8 },
  'r7i.large': { vcpu: 2, memoryGiB: 16 }, 'r7i.xlarge': { vcpu: 4, memoryGiB: 32 },
  'i4i.large': { vcpu: 2, memoryGiB: 16 }, 'i4i.xlarge': { vcpu: 4, memoryGiB: 32 }, 'i4i.2xlarge': { vcpu: 8, memoryGiB: 64 },
};

/** Pod resource requests, in millicores and MiB. */
export interface PodRequests {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** A CPU quantity (`250m`, `1`, `0.5`) in millicores; undefined when it is not one. */
export function cpuMillis(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(q));
  if (!m) return undefined;
  return m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
}

const MEMORY_UNITS: Record<string, number> = { '': 1 / 2 ** 20, 'Ki': 1 / 1024, 'Mi': 1, 'Gi': 1024, 'Ti': 2 ** 20, 'k': 1e3 / 2 ** 20, 'M': 1e6 / 2 ** 20, 'G': 1e9 / 2 ** 20 };

/** A memory quantity (`256Mi`, `1Gi`, `512M`, bytes) in MiB; undefined when it is not one. */
export function memoryMiB(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(String(q));
  if (!m) return undefined;
  return Number(m[1]) * MEMORY_UNITS[m[2] ?? ''];
}

/**
 * The system reserve of every node, before any pod: 100m of CPU and 20 % of memory, the kubelet's and the container
 * runtime's reservations and the eviction threshold, rounded up (EKS reserves less CPU on small types and about
 * 10 % of memory). The DaemonSets of every node come on top: pass their requests as `perNode`.
 */
export const SYSTEM_RESERVE = { cpuMillis: 100, memoryFraction: 0.2 } as const;

/**
 * What one node of a type can give pods, conservatively: its vCPUs less the {@link SYSTEM_RESERVE} (the DaemonSets of
 * every node take their share of the rest: see {@link podRoom}).
 */
export function allocatable(instanceType: string): PodRequests | undefined {
  const t = INSTANCE_TYPES[instanceType];
  return t && { cpuMillis: t.vcpu * 1000 - SYSTEM_RESERVE.cpuMillis, memoryMiB: t.memoryGiB * 1024 * (1 - SYSTEM_RESERVE.memoryFraction) };
}

/**
 * What one node of a type leaves for other pods once the pods every node runs (the DaemonSets: the network agent,
 * log and metrics collectors) have their requests; undefined for an unknown type.
 */
export function podRoom(instanceType: string, perNode: readonly PodRequests[] = []): PodRequests | undefined {
  const node = allocatable(instanceType);
  return node && {
    cpuMillis: node.cpuMillis - perNode.reduce((n, p) => n + p.cpuMillis, 0),
    memoryMiB: node.memoryMiB - perNode.reduce((n, p) => n + p.memoryMiB, 0),
  };
}

/**
 * How many pods with `requests` fit on one node of the group's smallest listed type (the autoscaler may pick any),
 * after the requests of the pods every node runs (`perNode`).
 */
export function podsPerNode(group: Pick<NodeGroupArgs, 'instanceTypes'>, requests: PodRequests, perNode: readonly PodRequests[] = []): number | undefined {
  const sizes = group.instanceTypes.map((t) => podRoom(t, perNode));
  if (sizes.some((s) => s === undefined)) return undefined;
  return Math.min(...sizes.map((s) => Math.max(0, Math.floor(Math.min(
    requests.cpuMillis > 0 ? (s as PodRequests).cpuMillis / requests.cpuMillis : Infinity,
    requests.memoryMiB > 0 ? (s as PodRequests).memoryMiB / requests.memoryMiB : Infinity,
  )))));
}

/**
 * How many pods of a workload a group holds at its `maxSize`: every node as full as its requests allow, or, with
 * `onePerNode` (required anti-affinity on the host name, as consensus members have), one pod on each node that can
 * take one. Undefined when the group lists an instance type of unknown size.
 */
export function groupCapacity(group: Pick<NodeGroupArgs, 'instanceTypes' | 'maxSize'>, requests: PodRequests, perNode: readonly PodRequests[] = [], onePerNode = false): number | undefined {
  const perNodePods = podsPerNode(group, requests, perNode);
  if (perNodePods === undefined) return undefined;
  return group.maxSize * (onePerNode ? Math.min(1, perNodePods) : perNodePods);
}

/**
 * The problem, if any, with running `maxPods` pods of `requests` on the untainted node groups other than `system`
 * (the groups workloads land on) at their maximum sizes, beside the pods every node runs (`perNode`): the message
 * names the cluster, the numbers and the fix.
 */
export function workloadCapacityProblem(cluster: string, workload: string, maxPods: number, requests: PodRequests, groups: readonly NodeGroupArgs[], perNode: readonly PodRequests[] = []): string | undefined {
  const targets = groups.filter((g) => !g.taint && g.name !== 'system');
  const unknown = targets.flatMap((g) => g.instanceTypes).filter((t) => !INSTANCE_TYPES[t]);
  if (unknown.length > 0) {
    return `cluster ${cluster}: instance type(s) ${unknown.join(', ')} have no known size, so the capacity for ${workload} cannot be checked; ` +
      `add them to INSTANCE_TYPES (lib/cloud/capacity.ts)`;
  }
  const capacity = targets.reduce((n, g) => n + (groupCapacity(g, requests, perNode) ?? 0), 0);
  if (capacity >= maxPods) return undefined;
  return `cluster ${cluster}: node groups ${targets.map((g) => `${g.name} (at most ${g.maxSize} × ${g.instanceTypes.join('/')})`).join(', ') || '(none)'} ` +
    `hold at most ${capacity} pod(s) of ${workload} (requests ${requests.cpuMillis}m CPU, ${Math.round(requests.memoryMiB)}Mi memory), ` +
    `but its autoscaler may run ${maxPods}; raise maxSize or use larger instance types`;
}
