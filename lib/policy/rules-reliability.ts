import { imageParts } from '../private/images';
import { QUOTA_CAPACITY_RULE } from './rules-quota';
import { describeObject, KubeObject } from './objects';
import { asList, asObject, RuleAutoscaler, RuleFinding, formatSelector, joinPath, Json, namespaceOf, parseQuantity, PolicyRule, RuleContext, selectorMatches, RuleWorkload } from './rules-context';

interface ContainerRef {
  readonly c: Json;
  readonly path: string;
  readonly name: string;
}

function containersOf(w: RuleWorkload, fields: readonly string[]): ContainerRef[] {
  return fields.flatMap((field) => asList(w.spec[field]).map((raw, i) => {
    const c = asObject(raw);
    return { c, path: joinPath(w.podPath, `spec.${field}[${i}]`), name: String(c.name ?? i) };
  }));
}


/** Karmada's label: the members keep their own replica count (their HPA's), the template's is the total it divides. */
const KARMADA_RETAIN_REPLICAS = 'resourcetemplate.karmada.io/retain-replicas';

/** How many pods a scalable workload can run: the autoscaler's bounds, else its replicas (default 1). */
function replicaBounds(ctx: RuleContext, w: RuleWorkload): { min: number; max: number; scaler?: RuleAutoscaler } {
  const scaler = ctx.autoscalerOf(w);
  if (scaler) return { min: scaler.min, max: scaler.max, scaler };
  const replicas = typeof asObject(w.obj.spec).replicas === 'number' ? (asObject(w.obj.spec).replicas as number) : 1;
  return { min: replicas, max: replicas };
}

function pdbsOf(ctx: RuleContext, w: RuleWorkload): KubeObject[] {
  return ctx.ofKind('PodDisruptionBudget').filter((p) => namespaceOf(p) === w.namespace && selectorMatches(asObject(p.spec).selector, w.labels));
}

/** A value of an int-or-percent field scaled to `n`, rounded up, as the disruption controller does. */
function scaled(value: unknown, n: number): number | undefined {
  if (typeof value === 'number') return value;
  const m = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  return m ? Math.ceil((Number(m[1]) * n) / 100) : undefined;
}

function pdbDisruptions(ctx: RuleContext): RuleFinding[] {
  const out: RuleFinding[] = [];
  const scalable = ctx.workloads.filter((w) => w.scalable);
  for (const pdb of ctx.ofKind('PodDisruptionBudget')) {
    const spec = asObject(pdb.spec);
    const matched = scalable.filter((w) => w.namespace === namespaceOf(pdb) && selectorMatches(spec.selector, w.labels));
    if (matched.length === 0) continue;
    const parts = matched.map((w) => ({ w, ...replicaBounds(ctx, w) }));
    const n = Math.max(1, parts.reduce((sum, p) => sum + p.min, 0));
    let allowed: number | undefined;
    let rule: string;
    if (spec.maxUnavailable !== undefined) {
      const max = scaled(spec.maxUnavailable, n);
      allowed = max;
      rule = `maxUnavailable ${String(spec.maxUnavailable)}`;
    } else if (spec.minAvailable !== undefined) {
      const min = scaled(spec.minAvailable, n);
      allowed = min === undefined ? undefined : n - min;
      rule = `minAvailable ${String(spec.minAvailable)}`;
    } else {
      continue;
    }
    if (allowed === undefined || allowed >= 1) continue;
    const at = parts.map((p) => (p.scaler ? `${describeObject(p.w.obj)} at ${describeObject(p.scaler.obj)}'s minimum of ${p.min}` : `${describeObject(p.w.obj)} at ${p.min} replica(s)`)).join(', ');
    out.push({
      obj: pdb, path: spec.maxUnavailable !== undefined ? 'spec.maxUnavailable' : 'spec.minAvailable',
      message: `${rule} allows no voluntary disruption with ${n} pod(s) (${at}), so every node drain blocks; ` +
        'use maxUnavailable: 1, or a minAvailable below the minimum pod count',
    });
  }
  return out;
}

/** The Services of the workload's namespace that select its pods. */
function servicesOf(ctx: RuleContext, w: RuleWorkload): KubeObject[] {
  return ctx.ofKind('Service').filter((svc) => {
    const spec = asObject(svc.spec);
    const selector = Object.entries(asObject(spec.selector));
    return namespaceOf(svc) === w.namespace && spec.type !== 'ExternalName' && selector.length > 0 && selector.every(([k, v]) => w.labels[k] === v);
  });
}

/** Whether a Service sends traffic to the pod (a bare Pod that serves, not a one-off). */
function servedPod(ctx: RuleContext, w: RuleWorkload): boolean {
  return servicesOf(ctx, w).length > 0;
}

/** Whether a Service takes the pods out of rotation when they are not ready (one that does not publish them anyway). */
function readinessRoutes(ctx: RuleContext, w: RuleWorkload): boolean {
  return servicesOf(ctx, w).some((svc) => asObject(svc.spec).publishNotReadyAddresses !== true);
}

/** A value as JSON with sorted keys, so two probes written in different key orders compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Reliability rules: probes, resources, pinned images, disruption budgets, spread, autoscaling. */
export const RELIABILITY_RULES: readonly PolicyRule[] = [
  {
    id: 'reliability/probes',
    severity: 'error',
    doc: 'Every container of a long-running workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, or a bare Pod a Service sends traffic to) has a readiness and a liveness probe; Jobs, CronJobs and init containers are exempt.',
    check: (ctx) => ctx.workloads.filter((w) => w.longRunning || (w.kind === 'Pod' && servedPod(ctx, w))).flatMap((w) => containersOf(w, ['containers']).flatMap((c) => {
      const missing = ['readinessProbe', 'livenessProbe'].filter((p) => c.c[p] === undefined);
      if (missing.length === 0) return [];
      return [{
        obj: w.obj, path: c.path,
        message: `container "${c.name}" has no ${missing.join(' or ')}; add ${missing.length > 1 ? 'both' : 'it'} so traffic only reaches ready pods and a hung process is restarted`,
      }];
    })),
  },
  {
    id: 'reliability/resources',
    severity: 'error',
    doc: 'Every container and init container requests CPU and memory and limits memory (a CPU limit is optional); no request exceeds its limit.',
    check: (ctx) => ctx.workloads.flatMap((w) => containersOf(w, ['initContainers', 'containers']).flatMap((c) => {
      const resources = asObject(c.c.resources);
      const requests = asObject(resources.requests);
      const limits = asObject(resources.limits);
      const missing = [
        requests.cpu === undefined ? 'resources.requests.cpu' : undefined,
        requests.memory === undefined ? 'resources.requests.memory' : undefined,
        limits.memory === undefined ? 'resources.limits.memory' : undefined,
      ].filter((m): m is string => m !== undefined);
      const out: RuleFinding[] = [];
      if (missing.length > 0) {
        out.push({
          obj: w.obj, path: `${c.path}.resources`,
          message: `container "${c.name}" does not set ${missing.join(', ')}; set CPU and memory requests so the scheduler can place it, and a memory limit so a leak cannot starve the node`,
        });
      }
      for (const r of ['cpu', 'memory']) {
        const req = parseQuantity(requests[r]);
        const lim = parseQuantity(limits[r]);
        if (req !== undefined && lim !== undefined && req > lim) {
          out.push({ obj: w.obj, path: `${c.path}.resources.requests.${r}`, message: `container "${c.name}" requests ${String(requests[r])} ${r} but is limited to ${String(limits[r])}; the API server rejects a request above its limit: raise the limit or lower the request` });
        }
      }
      return out;
    })),
  },
  {
    id: 'reliability/image-tag',
    severity: 'error',
    doc: 'Every image is pinned by a tag or a digest, and no tag is `latest`.',
    check: (ctx) => ctx.workloads.flatMap((w) => containersOf(w, ['initContainers', 'containers', 'ephemeralContainers']).flatMap((c) => {
      const image = c.c.image;
      if (typeof image !== 'string' || image === '') {
        return [{ obj: w.obj, path: `${c.path}.image`, message: `container "${c.name}" has no image; set one pinned by tag or digest` }];
      }
      const { tag, digest } = imageParts(image);
      if (digest !== undefined) return [];
      if (tag === undefined) {
        return [{ obj: w.obj, path: `${c.path}.image`, message: `image "${image}" has no tag or digest, so it means :latest and changes under you; pin it, e.g. "${image}:1.2.3" or "${image}@sha256:<digest>"` }];
      }
      if (tag === 'latest') {
        return [{ obj: w.obj, path: `${c.path}.image`, message: `image "${image}" uses the mutable tag latest, so two nodes can run different code; pin a version tag or a digest` }];
      }
      return [];
    })),
  },
  {
    id: 'reliability/image-pull-policy',
    severity: 'warning',
    doc: 'No container sets `imagePullPolicy: Always` (pinned images are pulled `IfNotPresent`).',
    check: (ctx) => ctx.workloads.flatMap((w) => containersOf(w, ['initContainers', 'containers', 'ephemeralContainers'])
      .filter((c) => c.c.imagePullPolicy === 'Always')
      .map((c) => ({
        obj: w.obj, path: `${c.path}.imagePullPolicy`,
        message: `container "${c.name}" sets imagePullPolicy: Always, so every restart depends on the registry; pin the image and use IfNotPresent`,
      }))),
  },
  {
    id: 'reliability/pdb',
    severity: 'error',
    doc: 'Every Deployment or StatefulSet that can run more than one replica (its replicas, or its autoscaler\'s maximum) has a PodDisruptionBudget selecting its pods.',
    check: (ctx) => ctx.workloads.filter((w) => w.scalable && w.local).flatMap((w) => {
      const { max, scaler } = replicaBounds(ctx, w);
      if (max <= 1 || pdbsOf(ctx, w).length > 0) return [];
      return [{
        obj: w.obj, path: '(root)',
        message: `runs up to ${max} replicas${scaler ? ` (${describeObject(scaler.obj)})` : ''} but no PodDisruptionBudget in namespace ${w.namespace} selects its pods (${formatSelector(w.labels)}); add one so a node drain cannot take them all down at once`,
      }];
    }),
  },
  {
    id: 'reliability/spread',
    severity: 'warning',
    doc: 'A workload that can run more than one replica spreads them: topologySpreadConstraints or pod anti-affinity.',
    check: (ctx) => ctx.workloads.filter((w) => w.scalable && w.local).flatMap((w) => {
      const { max } = replicaBounds(ctx, w);
      const anti = asObject(asObject(w.spec.affinity).podAntiAffinity);
      const spread = asList(w.spec.topologySpreadConstraints).length > 0
        || asList(anti.requiredDuringSchedulingIgnoredDuringExecution).length > 0
        || asList(anti.preferredDuringSchedulingIgnoredDuringExecution).length > 0;
      if (max <= 1 || spread) return [];
      return [{
        obj: w.obj, path: joinPath(w.podPath, 'spec'),
        message: `runs up to ${max} replicas with no topologySpreadConstraints or podAntiAffinity, so they may all land on one node or zone; spread them across kubernetes.io/hostname and topology.kubernetes.io/zone`,
      }];
    }),
  },
  {
    id: 'reliability/autoscaler-replicas',
    severity: 'error',
    doc: 'A workload an autoscaler (HorizontalPodAutoscaler or KEDA ScaledObject) owns has no `replicas` field (except a Karmada resource template labelled `resourcetemplate.karmada.io/retain-replicas: "true"`).',
    check: (ctx) => ctx.workloads.filter((w) => w.scalable).flatMap((w) => {
      const scaler = ctx.autoscalerOf(w);
      const replicas = asObject(w.obj.spec).replicas;
      // A Karmada resource template keeps its replicas (the total Karmada divides); the members retain the HPA's count.
      if (!scaler || replicas === undefined || w.obj.metadata?.labels?.[KARMADA_RETAIN_REPLICAS] === 'true') return [];
      return [{
        obj: w.obj, path: 'spec.replicas',
        message: `is scaled by ${describeObject(scaler.obj)} but sets spec.replicas (${String(replicas)}), so every GitOps sync resets the autoscaler's choice; remove the field`,
      }];
    }),
  },
  {
    id: 'reliability/pdb-disruptions',
    severity: 'error',
    doc: 'A PodDisruptionBudget allows at least one disruption at the minimum pod count of what it selects (the autoscaler\'s minimum, or the replicas).',
    check: pdbDisruptions,
  },
  {
    id: 'reliability/identical-probes',
    severity: 'warning',
    doc: 'Where a Service routes by readiness, a container\'s liveness probe differs from its readiness probe (a busy pod is taken out of rotation, not restarted).',
    check: (ctx) => ctx.workloads.filter((w) => readinessRoutes(ctx, w)).flatMap((w) => containersOf(w, ['containers'])
      .filter((c) => c.c.livenessProbe !== undefined && canonical(c.c.livenessProbe) === canonical(c.c.readinessProbe))
      .map((c) => ({
        obj: w.obj, path: `${c.path}.livenessProbe`,
        message: `container "${c.name}" has identical liveness and readiness probes, so a pod that is only slow or busy is restarted instead of taken out of rotation; ` +
          'give liveness a cheaper check (is the process alive?) or a higher failureThreshold than readiness',
      }))),
  },
  QUOTA_CAPACITY_RULE,
];
