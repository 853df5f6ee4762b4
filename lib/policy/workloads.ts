/** A JSON object. */
type Json = Record<string, unknown>;

/** How a workload kind selects its pods. */
export type SelectorStyle =
  /** A required `LabelSelector` (apps/v1 Deployment, StatefulSet, DaemonSet, ReplicaSet). */
  | 'required'
  /** An optional `LabelSelector`, generated when absent (a Job, a CronJob's job template). */
  | 'optional'
  /** An optional plain label map, defaulted to the template's labels (ReplicationController). */
  | 'map'
  /** No selector checked here (a Pod; KubeFed templates, checked in the member clusters). */
  | 'none';

/** Where a kind keeps its pod template, and what kind of workload it is. */
export interface WorkloadKind {
  /** Path of the pod template (`[]`: the object is a Pod). */
  readonly template: readonly string[];
  /** How it selects its pods (the selector sits next to the template). */
  readonly selector: SelectorStyle;
  /** Runs continuously (gets probes). */
  readonly longRunning: boolean;
  /** Has a `replicas` count (can be replicated, autoscaled, protected by a PDB). */
  readonly scalable: boolean;
  /** Runs its pods in this cluster (false for KubeFed templates, which run in member clusters). */
  readonly local: boolean;
}

const TEMPLATE = ['spec', 'template'];
const FED = ['spec', 'template', 'spec', 'template'];

/** Every kind that runs pods, and where its pod template is: the one table the API checks and the rules read. */
export const WORKLOAD_KINDS: Readonly<Record<string, WorkloadKind>> = {
  Deployment: { template: TEMPLATE, selector: 'required', longRunning: true, scalable: true, local: true },
  StatefulSet: { template: TEMPLATE, selector: 'required', longRunning: true, scalable: true, local: true },
  ReplicaSet: { template: TEMPLATE, selector: 'required', longRunning: true, scalable: true, local: true },
  ReplicationController: { template: TEMPLATE, selector: 'map', longRunning: true, scalable: true, local: true },
  DaemonSet: { template: TEMPLATE, selector: 'required', longRunning: true, scalable: false, local: true },
  Job: { template: TEMPLATE, selector: 'optional', longRunning: false, scalable: false, local: true },
  CronJob: { template: ['spec', 'jobTemplate', 'spec', 'template'], selector: 'optional', longRunning: false, scalable: false, local: true },
  Pod: { template: [], selector: 'none', longRunning: false, scalable: false, local: true },
  FederatedDeployment: { template: FED, selector: 'none', longRunning: true, scalable: false, local: false },
  FederatedReplicaSet: { template: FED, selector: 'none', longRunning: true, scalable: false, local: false },
  FederatedJob: { template: FED, selector: 'none', longRunning: false, scalable: false, local: false },
};

/** One object's pod (template), located by {@link podTemplateOf}. */
export interface PodTemplate {
  /** The kind's row of {@link WORKLOAD_KINDS}. */
  readonly workload: WorkloadKind;
  /** Dotted path of the pod (template) inside the object; `''` for a Pod. */
  readonly path: string;
  /** The pod's `spec` (`{}` when it has none). */
  readonly spec: Json;
  /** The pod's `metadata` (`{}` when it has none). */
  readonly metadata: Json;
  /** The pod's labels (`{}` when it has none). */
  readonly labels: Record<string, string>;
  /**
   * The selector as a `LabelSelector`, where the kind has one: `{}` for a required selector that is missing;
   * undefined when the kind has none or an optional one is absent (the API server generates it).
   */
  readonly selector?: Json;
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/**
 * The pod template of a workload object (a Pod's own metadata and spec), or undefined when the kind runs no pods,
 * is a KubeFed template of another API group, or has no template object at all (`null`, a string or a missing
 * field is not a template: there is nothing to check, and the schema reports the missing field).
 */
export function podTemplateOf(obj: { readonly kind: string; readonly apiVersion?: string; readonly [key: string]: unknown }): PodTemplate | undefined {
  const workload = Object.prototype.hasOwnProperty.call(WORKLOAD_KINDS, obj.kind) ? WORKLOAD_KINDS[obj.kind] : undefined;
  if (!workload) return undefined;
  if (!workload.local && !String(obj.apiVersion ?? '').startsWith('types.kubefed.io/')) return undefined;
  const pod = workload.template.reduce<Json | undefined>((acc, key) => asObject(acc?.[key]), obj as Json);
  if (!pod) return undefined;
  const owner = asObject(workload.template.slice(0, -1).reduce<Json | undefined>((acc, key) => asObject(acc?.[key]), obj as Json)) ?? {};
  const metadata = asObject(pod.metadata) ?? {};
  const raw = owner.selector;
  const selector = workload.selector === 'required' ? asObject(raw) ?? {}
    : workload.selector === 'optional' ? asObject(raw)
      : workload.selector === 'map' && Object.keys(asObject(raw) ?? {}).length > 0 ? { matchLabels: raw }
        : undefined;
  return {
    workload, path: workload.template.join('.'), spec: asObject(pod.spec) ?? {}, metadata,
    labels: (asObject(metadata.labels) ?? {}) as Record<string, string>, selector,
  };
}
