import { PodSecurityLevel } from './pod-security-level';
import { KubeObject } from './objects';
import { podTemplateOf, WorkloadKind } from './workloads';

/** A JSON object. */
export type Json = Record<string, unknown>;

/** What one rule found in one object (the engine turns it into a `Violation`). */
export interface RuleFinding {
  /** The object the problem is reported on. */
  readonly obj: KubeObject;
  /** Dotted path to the field, `(root)` for the object itself. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /**
   * The finding's own severity, where it differs from the rule's (a `restricted` check in a namespace only assumed
   * to be `baseline` warns instead of failing).
   * @default - the rule's severity
   */
  readonly severity?: 'error' | 'warning';
}

/**
 * One policy rule: a stable id, a severity and a doc line, and the check itself, which reads the whole object set of
 * one cluster (so cross-object rules such as "every Service selects a pod" can run).
 */
export interface PolicyRule {
  /** Stable id, `<group>/<name>`, e.g. `reliability/probes`. Used in output and to skip a rule. */
  readonly id: string;
  /** `error` blocks synth and fails `validate`; `warning` is printed only. */
  readonly severity: 'error' | 'warning';
  /** One line for the README: what the rule requires. */
  readonly doc: string;
  /** Finds every violation in the set. */
  readonly check: (ctx: RuleContext) => RuleFinding[];
}

/** An object that runs pods, with its pod template located. */
export interface RuleWorkload extends WorkloadKind {
  readonly obj: KubeObject;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Dotted path of the pod (template) inside the object; `''` for a Pod. */
  readonly podPath: string;
  /** The pod's `spec`. */
  readonly spec: Json;
  /** The pod's `metadata`. */
  readonly metadata: Json;
  /** The pod's labels. */
  readonly labels: Record<string, string>;
}

/** A HorizontalPodAutoscaler or a KEDA ScaledObject, with its target and bounds. */
export interface RuleAutoscaler {
  readonly obj: KubeObject;
  readonly namespace: string;
  readonly targetKind: string;
  readonly targetName: string;
  readonly targetApiVersion?: string;
  /** The minimum replica count (HPA default 1; KEDA default 0). */
  readonly min: number;
  /** The maximum replica count (KEDA default 100). */
  readonly max: number;
}

/** The pre-indexed object set every rule reads. */
export interface RuleContext {
  readonly objects: readonly KubeObject[];
  readonly workloads: readonly RuleWorkload[];
  readonly autoscalers: readonly RuleAutoscaler[];
  /** Namespace objects in the set, by name. */
  readonly namespaces: ReadonlyMap<string, KubeObject>;
  /** The level for namespaces no Namespace object labels. */
  readonly defaultPodSecurity: PodSecurityLevel;
  /** Every object of a kind (any apiVersion). */
  ofKind(kind: string): KubeObject[];
  /** The Pod Security level enforced in a namespace, and whether a Namespace object in the set says so. */
  levelOf(namespace: string): { level: PodSecurityLevel; labelled: boolean };
  /** The autoscaler that targets a workload, if any. */
  autoscalerOf(w: RuleWorkload): RuleAutoscaler | undefined;
  /** Computes a value once per context (rules share expensive per-workload work through it). */
  memo<T>(key: string, compute: () => T): T;
}

/** The Pod Security enforce label. */
export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
const LEVELS: readonly string[] = Object.values(PodSecurityLevel);

/** Reads a value as an object, `{}` for anything else. */
export function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** Reads a value as an array, `[]` for anything else. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The namespace an object lives in (`default` when unset, as kubectl applies it). */
export function namespaceOf(obj: KubeObject): string {
  return obj.metadata?.namespace ?? 'default';
}

/** Joins a base path and a relative one. */
export function joinPath(base: string, rel: string): string {
  return base ? `${base}.${rel}` : rel;
}

function toWorkload(obj: KubeObject): RuleWorkload | undefined {
  const pod = podTemplateOf(obj);
  if (!pod) return undefined;
  return {
    ...pod.workload, obj, kind: obj.kind, name: obj.metadata?.name ?? '<no name>', namespace: namespaceOf(obj),
    podPath: pod.path, spec: pod.spec, metadata: pod.metadata, labels: pod.labels,
  };
}

function toAutoscaler(obj: KubeObject): RuleAutoscaler | undefined {
  const spec = asObject(obj.spec);
  const ref = asObject(spec.scaleTargetRef);
  const num = (v: unknown, d: number): number => (typeof v === 'number' ? v : d);
  if (obj.kind === 'HorizontalPodAutoscaler' && obj.apiVersion.startsWith('autoscaling/')) {
    return {
      obj, namespace: namespaceOf(obj), targetKind: String(ref.kind ?? ''), targetName: String(ref.name ?? ''),
      targetApiVersion: ref.apiVersion === undefined ? undefined : String(ref.apiVersion),
      min: num(spec.minReplicas, 1), max: num(spec.maxReplicas, 1),
    };
  }
  if (obj.kind === 'ScaledObject' && obj.apiVersion.startsWith('keda.sh/')) {
    return {
      obj, namespace: namespaceOf(obj), targetKind: String(ref.kind ?? 'Deployment'), targetName: String(ref.name ?? ''),
      targetApiVersion: ref.apiVersion === undefined ? undefined : String(ref.apiVersion),
      min: num(spec.minReplicaCount, 0), max: num(spec.maxReplicaCount, 100),
    };
  }
  return undefined;
}

/** Indexes one cluster's objects for the rules. */
export function buildContext(objects: readonly KubeObject[], defaultPodSecurity: PodSecurityLevel): RuleContext {
  const valid = objects.filter((o) => typeof o === 'object' && o !== null && typeof o.kind === 'string' && typeof o.apiVersion === 'string');
  const workloads = valid.map(toWorkload).filter((w): w is RuleWorkload => w !== undefined);
  const autoscalers = valid.map(toAutoscaler).filter((a): a is RuleAutoscaler => a !== undefined);
  const namespaces = new Map<string, KubeObject>();
  for (const o of valid) if (o.kind === 'Namespace' && o.metadata?.name && !namespaces.has(o.metadata.name)) namespaces.set(o.metadata.name, o);
  const memos = new Map<string, unknown>();
  return {
    objects: valid, workloads, autoscalers, namespaces, defaultPodSecurity,
    ofKind: (kind) => valid.filter((o) => o.kind === kind),
    levelOf: (namespace) => {
      const label = namespaces.get(namespace)?.metadata?.labels?.[ENFORCE_LABEL];
      return label !== undefined && LEVELS.includes(label)
        ? { level: label as PodSecurityLevel, labelled: true }
        : { level: label === undefined ? defaultPodSecurity : PodSecurityLevel.RESTRICTED, labelled: label !== undefined };
    },
    autoscalerOf: (w) => autoscalers.find((a) => a.namespace === w.namespace && a.targetKind === w.kind && a.targetName === w.name),
    memo: <T>(key: string, compute: () => T): T => {
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
  };
}

/**
 * Whether a `LabelSelector` (matchLabels and matchExpressions) selects these labels. An absent selector selects
 * nothing; an empty one selects everything (the `policy/v1` PodDisruptionBudget semantics).
 */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (selector === undefined || selector === null) return false;
  const s = asObject(selector);
  for (const [key, value] of Object.entries(asObject(s.matchLabels))) if (labels[key] !== value) return false;
  for (const raw of asList(s.matchExpressions)) {
    const e = asObject(raw);
    const key = String(e.key);
    const values = asList(e.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const ok = e.operator === 'In' ? has && values.includes(labels[key])
      : e.operator === 'NotIn' ? !has || !values.includes(labels[key])
        : e.operator === 'Exists' ? has
          : e.operator === 'DoesNotExist' ? !has : false;
    if (!ok) return false;
  }
  return true;
}

/** Formats a label selector or a plain label map for messages: `app=web,tier In (a, b)`. */
export function formatSelector(selector: unknown): string {
  const s = asObject(selector);
  const isLabelSelector = 'matchLabels' in s || 'matchExpressions' in s;
  const labels = isLabelSelector ? asObject(s.matchLabels) : s;
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`);
  if (isLabelSelector) {
    for (const raw of asList(s.matchExpressions)) {
      const e = asObject(raw);
      const values = asList(e.values).map(String);
      parts.push(`${String(e.key)} ${String(e.operator)}${values.length ? ` (${values.join(', ')})` : ''}`);
    }
  }
  return parts.length ? parts.join(',') : '{}';
}

const SUFFIXES: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Parses a Kubernetes quantity (`500m`, `1.5Gi`, `2e3`, `128974848`) to a number; undefined if it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(value.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIXES[m[3] ?? ''];
}
