/**
 * The coverage check: every API an object needs is served in its cluster before the object syncs. A custom resource
 * needs its CRD, a namespaced object its namespace, an Ingress its IngressClass (and its TLS Secret), a
 * HorizontalPodAutoscaler the metrics APIs its targets read, a workload the Secrets its pods cannot start without. Each need is met by Kubernetes itself, by what was there before Argo CD's first sync
 * (Argo CD, the cloud's managed add-ons), or by a cluster add-on in an earlier sync wave; anything else is an error
 * naming the need and the add-on that serves it.
 */
import { describeObject, KubeObject, Violation } from '../../policy/objects';
import { asObject } from '../../policy/rules-context';
import { secretsWritten } from '../../policy/rules-transport';
import { podTemplateOf } from '../../policy/workloads';
import { AddonName, ADDONS, ProvidedApi } from './catalogue';

/** The rule id of coverage findings. */
export const COVERAGE_RULE = 'addons/coverage';

/**
 * The API groups of Kubernetes 1.36 itself (a test compares this list with the groups of its OpenAPI document; some,
 * such as `extensions`, only name review and option types, and the schema check refuses their removed kinds).
 */
export const KUBERNETES_API_GROUPS: readonly string[] = [
  '', 'admission.k8s.io', 'admissionregistration.k8s.io', 'extensions', 'imagepolicy.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps', 'authentication.k8s.io',
  'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io',
  'flowcontrol.apiserver.k8s.io', 'internal.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'policy', 'rbac.authorization.k8s.io',
  'resource.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io', 'storagemigration.k8s.io',
];

/** Namespaces every cluster has from the start. */
export const KUBERNETES_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Something a cluster serves, and from which sync wave on. */
export interface CoverageProvider {
  /** How messages name it, e.g. `add-on velero` or `Argo CD (installed by Pulumi)`. */
  readonly name: string;
  /**
   * The sync wave it belongs to: objects in later waves may use what it serves. Whatever exists before the first
   * sync (Kubernetes, Argo CD, the cloud's managed add-ons) has `-Infinity`.
   */
  readonly wave: number;
  /** Custom resource kinds it serves. @default [] */
  readonly apis?: readonly ProvidedApi[];
  /** Namespaces it creates. @default [] */
  readonly namespaces?: readonly string[];
  /** IngressClasses it creates. @default [] */
  readonly ingressClasses?: readonly string[];
  /** The resource metrics API (`metrics.k8s.io`). @default false */
  readonly resourceMetrics?: boolean;
  /** Per-pod or per-object custom metrics it serves by name (`custom.metrics.k8s.io`). @default [] */
  readonly customMetrics?: readonly string[];
  /** The external metrics API (`external.metrics.k8s.io`). @default false */
  readonly externalMetrics?: boolean;
  /** Secrets it writes, as `namespace/name`. @default [] */
  readonly secrets?: readonly string[];
}

/** An object and the sync wave (and Application) it is applied in. */
export interface WavedObject {
  readonly object: KubeObject;
  /** Its sync wave. */
  readonly wave: number;
  /**
   * The Application (component) it is synced by: a Namespace is available to the objects of its own Application in
   * the same wave (Argo CD applies Namespaces first), to other Applications only in later waves.
   * @default - its own group
   */
  readonly group?: string;
}

/** One thing an object needs served. */
export type CoverageNeed =
  | { readonly type: 'api'; readonly apiVersion: string; readonly kind: string }
  | { readonly type: 'namespace'; readonly namespace: string }
  | { readonly type: 'ingressClass'; readonly name: string }
  | { readonly type: 'resourceMetrics' }
  | { readonly type: 'customMetric'; readonly name: string }
  | { readonly type: 'externalMetrics' }
  | { readonly type: 'secret'; readonly namespace: string; readonly name: string };

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');


/** What one object needs served: its API, its namespace, and for Ingresses and HPAs what their specs name. */
export function needsOf(object: KubeObject): CoverageNeed[] {
  const needs: CoverageNeed[] = [];
  if (!KUBERNETES_API_GROUPS.includes(groupOf(object.apiVersion))) needs.push({ type: 'api', apiVersion: object.apiVersion, kind: object.kind });
  if (object.metadata?.namespace) needs.push({ type: 'namespace', namespace: object.metadata.namespace });
  const spec = asObject(object.spec);
  if (object.apiVersion === 'networking.k8s.io/v1' && object.kind === 'Ingress') {
    needs.push({ type: 'ingressClass', name: typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '' });
  }
  if (object.kind === 'HorizontalPodAutoscaler' && object.apiVersion === 'autoscaling/v2' && Array.isArray(spec.metrics)) {
    for (const m of spec.metrics.map(asObject)) {
      if (m.type === 'Resource' || m.type === 'ContainerResource') needs.push({ type: 'resourceMetrics' });
      else if (m.type === 'Pods' || m.type === 'Object') {
        const name = asObject(asObject(m[m.type === 'Pods' ? 'pods' : 'object']).metric).name;
        needs.push({ type: 'customMetric', name: typeof name === 'string' ? name : '' });
      } else if (m.type === 'External') needs.push({ type: 'externalMetrics' });
    }
  } else if (object.kind === 'HorizontalPodAutoscaler' && object.apiVersion === 'autoscaling/v1') {
    needs.push({ type: 'resourceMetrics' });
  }
  const namespace = object.metadata?.namespace ?? 'default';
  if (object.apiVersion === 'networking.k8s.io/v1' && object.kind === 'Ingress' && Array.isArray(spec.tls)) {
    for (const t of spec.tls.map(asObject)) if (typeof t.secretName === 'string') needs.push({ type: 'secret', namespace, name: t.secretName });
  }
  for (const name of secretsOfPods(object)) needs.push({ type: 'secret', namespace, name });
  const unique = new Map(needs.map((n) => [JSON.stringify(n), n]));
  return [...unique.values()];
}

/** The Secrets a workload's pods cannot start without: env, envFrom and volumes that are not marked optional. */
function secretsOfPods(object: KubeObject): string[] {
  const pod = podTemplateOf(object);
  if (!pod) return [];
  const names: string[] = [];
  const add = (ref: Record<string, unknown>, key: string): void => {
    if (ref.optional !== true && typeof ref[key] === 'string') names.push(ref[key] as string);
  };
  const containers = [pod.spec.containers, pod.spec.initContainers].flatMap((c) => (Array.isArray(c) ? c.map(asObject) : []));
  for (const c of containers) {
    for (const e of Array.isArray(c.envFrom) ? c.envFrom.map(asObject) : []) if (e.secretRef) add(asObject(e.secretRef), 'name');
    for (const e of Array.isArray(c.env) ? c.env.map(asObject) : []) {
      const ref = asObject(asObject(e.valueFrom).secretKeyRef);
      if (Object.keys(ref).length > 0) add(ref, 'name');
    }
  }
  for (const v of Array.isArray(pod.spec.volumes) ? pod.spec.volumes.map(asObject) : []) {
    if (v.secret) add(asObject(v.secret), 'secretName');
    for (const source of Array.isArray(asObject(v.projected).sources) ? (asObject(v.projected).sources as unknown[]).map(asObject) : []) {
      if (source.secret) add(asObject(source.secret), 'name');
    }
  }
  return names;
}


function serves(p: CoverageProvider, need: CoverageNeed): boolean {
  switch (need.type) {
    case 'api': return (p.apis ?? []).some((a) => a.apiVersion === need.apiVersion && a.kinds.includes(need.kind));
    case 'namespace': return (p.namespaces ?? []).includes(need.namespace);
    case 'ingressClass': return (p.ingressClasses ?? []).includes(need.name);
    case 'resourceMetrics': return p.resourceMetrics === true;
    case 'customMetric': return (p.customMetrics ?? []).includes(need.name);
    case 'externalMetrics': return p.externalMetrics === true;
    case 'secret': return (p.secrets ?? []).includes(`${need.namespace}/${need.name}`);
  }
}

/** The need as messages name it. */
export function describeNeed(need: CoverageNeed): string {
  switch (need.type) {
    case 'api': return `${need.apiVersion} ${need.kind}`;
    case 'namespace': return `namespace ${need.namespace}`;
    case 'ingressClass': return need.name ? `IngressClass ${need.name}` : 'an IngressClass (spec.ingressClassName is not set)';
    case 'resourceMetrics': return 'the resource metrics API (metrics.k8s.io)';
    case 'customMetric': return `the custom metric ${need.name || '(unnamed)'} (custom.metrics.k8s.io)`;
    case 'externalMetrics': return 'the external metrics API (external.metrics.k8s.io)';
    case 'secret': return `Secret ${need.namespace}/${need.name}`;
  }
}

/** The add-ons that would serve a need (from the catalogue, whether enabled or not). */
export function addonsServing(need: CoverageNeed): AddonName[] {
  return (Object.entries(ADDONS) as Array<[AddonName, (typeof ADDONS)[AddonName]]>).filter(([, a]) => {
    switch (need.type) {
      case 'api': return a.provides.some((p) => p.apiVersion === need.apiVersion && p.kinds.includes(need.kind));
      case 'namespace': return a.createsNamespace !== undefined && a.namespace === need.namespace;
      case 'ingressClass': return a.ingressClass !== undefined && (need.name === '' || a.ingressClass === need.name);
      case 'resourceMetrics': return a.metrics?.resource === true;
      case 'customMetric': return a.metrics?.custom === true;
      case 'externalMetrics': return a.metrics?.external === true;
      case 'secret': return false;
    }
  }).map(([name]) => name);
}

function fixFor(need: CoverageNeed, late: readonly CoverageProvider[]): string {
  if (need.type === 'secret') {
    return 'add what writes it (an ExternalSecret from the secret store, a cert-manager Certificate, or a Secret), or mark the reference optional';
  }
  if (late.length > 0) {
    return `${late.map((p) => `${p.name} (wave ${p.wave})`).join(', ')} serves it, but not before this object's wave; make this object's component depend on it`;
  }
  if (need.type === 'ingressClass' && need.name === '') {
    const classes = addonsServing(need).map((a) => ADDONS[a].ingressClass);
    return `set spec.ingressClassName to the class of an ingress controller add-on (${classes.join(', ')})`;
  }
  if (need.type === 'namespace') {
    const creators = addonsServing(need);
    return creators.length > 0
      ? `enable the add-on ${creators.map((a) => `"${a}"`).join(' or ')}, which creates it, or create the namespace in an earlier component`
      : 'create the namespace (a Namespace object, e.g. a NamespaceBaseline) in an earlier component or in the same one';
  }
  const addons = addonsServing(need);
  if (need.type === 'customMetric' && addons.length > 0) {
    return `enable the add-on ${addons.map((a) => `"${a}"`).join(' or ')} and give it a rule exposing ${need.name || 'the metric'}`;
  }
  return addons.length > 0
    ? `enable the add-on ${addons.map((a) => `"${a}"`).join(' or ')}, which serves it`
    : 'no fleetcraft add-on serves it: install its controller before this object syncs, or use a kind the cluster serves';
}

/**
 * The coverage findings of one cluster's objects: one error per object and unmet need, naming the need and the fix
 * (the add-on to enable, or the dependency to add when it is served too late). Empty when everything is covered.
 */
export function coverageViolations(objects: readonly WavedObject[], providers: readonly CoverageProvider[]): Violation[] {
  const namespaces = objects.filter((o) => o.object.apiVersion === 'v1' && o.object.kind === 'Namespace' && o.object.metadata?.name);
  // A Secret may be written in any wave: pods wait for it (the kubelet retries), but something must write it.
  const secrets = secretsWritten(objects.map((o) => o.object));
  const violations: Violation[] = [];
  for (const o of objects) {
    for (const need of needsOf(o.object)) {
      if (need.type === 'secret' && (secrets.has(`${need.namespace}/${need.name}`) || providers.some((p) => serves(p, need)))) continue;
      if (need.type === 'namespace' && KUBERNETES_NAMESPACES.includes(need.namespace)) continue;
      if (need.type === 'namespace' && namespaces.some((n) => n.object.metadata?.name === need.namespace
        && (n.wave < o.wave || (n.wave === o.wave && (n.group ?? '') === (o.group ?? ''))))) continue;
      const serving = providers.filter((p) => serves(p, need));
      if (serving.some((p) => p.wave < o.wave)) continue;
      const late = need.type === 'namespace'
        ? [...serving, ...namespaces.filter((n) => n.object.metadata?.name === need.namespace).map((n) => ({ name: `Namespace ${need.namespace}${n.group ? ` of ${n.group}` : ''}`, wave: n.wave }))]
        : serving;
      violations.push({
        rule: COVERAGE_RULE,
        severity: 'error',
        object: describeObject(o.object),
        path: need.type === 'namespace' ? 'metadata.namespace' : need.type === 'api' ? 'apiVersion' : need.type === 'ingressClass' ? 'spec.ingressClassName'
          : need.type === 'secret' ? 'spec' : 'spec.metrics',
        message: need.type === 'secret'
          ? `needs ${describeNeed(need)}, which nothing in its cluster writes; ${fixFor(need, late)}`
          : `needs ${describeNeed(need)}, which nothing in its cluster serves before it syncs (wave ${o.wave}); ${fixFor(need, late)}`,
      });
    }
  }
  return violations;
}
