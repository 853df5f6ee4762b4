/**
 * Whether each namespace's ResourceQuota admits its workloads at their maximums: every autoscaler at `maxReplicas`,
 * every rollout at its surge, every claim template on every replica.
 */
import { describeObject, KubeObject } from './objects';
import { asList, asObject, Json, namespaceOf, parseQuantity, PolicyRule, RuleContext, RuleFinding, RuleWorkload } from './rules-context';

/** A quota resource the rule checks: its `spec.hard` names (the first is the canonical one) and how to show it. */
interface QuotaResource {
  readonly names: readonly string[];
  readonly unit: 'cpu' | 'bytes' | 'count';
}

/**
 * The ResourceQuota resources the rule adds up. `cpu` and `memory` are the API's other names of `requests.cpu` and
 * `requests.memory`.
 */
const RESOURCES: readonly QuotaResource[] = [
  { names: ['requests.cpu', 'cpu'], unit: 'cpu' },
  { names: ['requests.memory', 'memory'], unit: 'bytes' },
  { names: ['limits.cpu'], unit: 'cpu' },
  { names: ['limits.memory'], unit: 'bytes' },
  { names: ['pods'], unit: 'count' },
  { names: ['persistentvolumeclaims'], unit: 'count' },
  { names: ['requests.storage'], unit: 'bytes' },
];

/** What one workload takes at its maximum, per quota resource (the canonical name), and why. */
interface Demand {
  readonly w: RuleWorkload;
  readonly amounts: Readonly<Record<string, number>>;
  /** How many pods, and what sets that number, for messages: `150 pods (HorizontalPodAutoscaler api/api's maximum + 1 surge)`. */
  readonly why: string;
}

/** A value of an int-or-percent field scaled to `n` and rounded up (as the Deployment controller rounds maxSurge). */
function surgeOf(value: unknown, n: number): number {
  if (typeof value === 'number') return value;
  const m = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  return m ? Math.ceil((Number(m[1]) * n) / 100) : 0;
}

/**
 * The most pods a workload runs at once, and why; undefined for kinds whose count the manifests do not fix (a
 * DaemonSet runs one pod per node).
 */
function maxPods(ctx: RuleContext, w: RuleWorkload): { pods: number; why: string } | undefined {
  const spec = asObject(w.obj.spec);
  const scaler = ctx.autoscalerOf(w);
  const replicas = scaler ? scaler.max : typeof spec.replicas === 'number' ? spec.replicas : 1;
  const base = scaler ? `${replicas} (${describeObject(scaler.obj)}'s maximum)` : `${replicas} replica(s)`;
  switch (w.kind) {
    case 'Deployment': {
      const strategy = asObject(spec.strategy);
      // A rolling update may run maxSurge pods above the desired count (25 % rounded up unless set); Recreate none.
      const surge = strategy.type === 'Recreate' ? 0 : surgeOf(asObject(strategy.rollingUpdate).maxSurge ?? '25%', replicas);
      return { pods: replicas + surge, why: surge > 0 ? `${base} + ${surge} rollout surge` : base };
    }
    // A StatefulSet replaces its pods in place (maxUnavailable and partition only hold pods back): no surge.
    case 'StatefulSet': case 'ReplicaSet': case 'ReplicationController':
      return { pods: replicas, why: base };
    case 'Job': {
      const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 1;
      return { pods: parallelism, why: `${parallelism} parallel pod(s)` };
    }
    case 'CronJob': {
      const job = asObject(asObject(spec.jobTemplate).spec);
      const parallelism = typeof job.parallelism === 'number' ? job.parallelism : 1;
      return { pods: parallelism, why: `${parallelism} parallel pod(s) per run` };
    }
    case 'Pod':
      return { pods: 1, why: '1 pod' };
    default:
      return undefined;
  }
}

/** One container's request or limit of a resource, in base units (a missing request defaults to the limit). */
function containerAmount(c: Json, kind: 'requests' | 'limits', resource: string): number {
  const resources = asObject(c.resources);
  const value = parseQuantity(asObject(resources[kind])[resource]);
  if (value !== undefined) return value;
  return kind === 'requests' ? parseQuantity(asObject(resources.limits)[resource]) ?? 0 : 0;
}

/**
 * A pod's effective request or limit of a resource, as the scheduler and the quota count it: the larger of the
 * app containers (with the sidecars, init containers that keep running) and the largest init container (with the
 * sidecars started before it).
 */
function podAmount(pod: Json, kind: 'requests' | 'limits', resource: string): number {
  const amount = (c: unknown): number => containerAmount(asObject(c), kind, resource);
  let sidecars = 0;
  let init = 0;
  for (const c of asList(pod.initContainers)) {
    if (asObject(c).restartPolicy === 'Always') sidecars += amount(c);
    else init = Math.max(init, sidecars + amount(c));
  }
  const app = asList(pod.containers).reduce<number>((n, c) => n + amount(c), 0) + sidecars;
  return Math.max(app, init);
}

/** What a workload takes at its maximum, or undefined when its pod count is not in the manifests. */
function demandOf(ctx: RuleContext, w: RuleWorkload): Demand | undefined {
  const max = maxPods(ctx, w);
  if (!max) return undefined;
  const claims = w.kind === 'StatefulSet' ? asList(asObject(w.obj.spec).volumeClaimTemplates).map(asObject) : [];
  const storage = claims.reduce((n, t) => n + (parseQuantity(asObject(asObject(asObject(t.spec).resources).requests).storage) ?? 0), 0);
  // Claims stay when a rollout replaces a pod, so they follow the replicas, not the surge.
  const replicas = w.kind === 'StatefulSet' ? max.pods : 0;
  return {
    w, why: `${max.pods} pod(s): ${max.why}`,
    amounts: {
      'requests.cpu': max.pods * podAmount(w.spec, 'requests', 'cpu'),
      'requests.memory': max.pods * podAmount(w.spec, 'requests', 'memory'),
      'limits.cpu': max.pods * podAmount(w.spec, 'limits', 'cpu'),
      'limits.memory': max.pods * podAmount(w.spec, 'limits', 'memory'),
      'pods': max.pods,
      'persistentvolumeclaims': replicas * claims.length,
      'requests.storage': replicas * storage,
    },
  };
}

/** A figure for messages: CPU in cores (`37.5`), bytes in the largest binary unit that keeps it whole, counts as is. */
export function formatFigure(value: number, unit: QuotaResource['unit']): string {
  if (unit === 'count') return String(value);
  if (unit === 'cpu') return String(Math.round(value * 1000) / 1000);
  for (const [suffix, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (value >= size && Number.isInteger(Math.round(value * 1000) / 1000 / size)) return `${value / size}${suffix}`;
  }
  return value >= 2 ** 30 ? `${Math.round((value / 2 ** 30) * 100) / 100}Gi` : `${Math.ceil(value / 2 ** 20)}Mi`;
}

/** The findings of one ResourceQuota: one per resource its workloads overflow. */
function quotaFindings(ctx: RuleContext, quota: KubeObject): RuleFinding[] {
  const spec = asObject(quota.spec);
  // A scoped quota counts only some pods (by priority class, termination, …); which ones the manifests cannot say.
  if (asList(spec.scopes).length > 0 || spec.scopeSelector !== undefined) return [];
  const hard = asObject(spec.hard);
  const ns = namespaceOf(quota);
  const demands = ctx.memo(`quota-demands/${ns}`, () => ctx.workloads
    .filter((w) => w.local && w.namespace === ns)
    .map((w) => demandOf(ctx, w))
    .filter((d): d is Demand => d !== undefined));
  const out: RuleFinding[] = [];
  for (const r of RESOURCES) {
    for (const name of r.names) {
      if (hard[name] === undefined) continue;
      const allowed = parseQuantity(hard[name]);
      if (allowed === undefined) continue;
      const parts = demands.filter((d) => d.amounts[r.names[0]] > 0).sort((a, b) => b.amounts[r.names[0]] - a.amounts[r.names[0]]);
      const needed = parts.reduce((n, d) => n + d.amounts[r.names[0]], 0);
      // Rounding errors of decimal quantities (0.1 + 0.2) must not report an overflow.
      if (needed <= allowed * (1 + 1e-9)) continue;
      const drivers = parts.slice(0, 3).map((d) => `${describeObject(d.w.obj)} ${formatFigure(d.amounts[r.names[0]], r.unit)} (${d.why})`);
      out.push({
        obj: quota, path: `spec.hard.${name}`,
        message: `namespace ${ns} needs ${formatFigure(needed, r.unit)} ${name} with its workloads at their maximums but the quota allows ` +
          `${formatFigure(allowed, r.unit)}, so pods beyond it are refused; driven by ${drivers.join(', ')}${parts.length > 3 ? `, and ${parts.length - 3} more` : ''}; ` +
          `raise ${name} to ${formatFigure(needed, r.unit)} or lower those maximums or requests`,
      });
    }
  }
  return out;
}

/**
 * `reliability/quota-capacity`: a namespace's ResourceQuota admits every workload of the namespace at its maximum.
 * A workload's maximum is its autoscaler's `maxReplicas` (else `replicas`), plus a Deployment's rolling-update
 * surge (`maxSurge`, 25 % rounded up when unset; none with `Recreate`), a Job's or CronJob's parallelism (one run
 * at a time), each pod's effective requests and limits (init containers and sidecars included), and a
 * StatefulSet's claim templates on every replica. DaemonSets are not counted: their pod count is the node count,
 * which the manifests do not hold. Scoped quotas are not checked.
 *
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 */
export const QUOTA_CAPACITY_RULE: PolicyRule = {
  id: 'reliability/quota-capacity',
  severity: 'error',
  doc: 'A namespace\'s ResourceQuota admits its workloads at their maximums: autoscalers at `maxReplicas`, Deployments with their rollout surge, StatefulSets\' claims on every replica (requests, limits, pods, claims and storage; DaemonSets are not counted).',
  check: (ctx) => ctx.ofKind('ResourceQuota').flatMap((q) => quotaFindings(ctx, q)),
};
