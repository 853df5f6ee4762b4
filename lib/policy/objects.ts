/**
 * A Kubernetes object as it appears in a manifest: `apiVersion`, `kind`, `metadata` and any other fields.
 */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: KubeObjectMeta;
  readonly [key: string]: unknown;
}

/** The parts of `metadata` the checks read. */
export interface KubeObjectMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly [key: string]: unknown;
}

/** One problem found in one object. */
export interface Violation {
  /** Stable id of the rule that found it, e.g. `schema` or `api/selector-matches-template`. */
  readonly rule: string;
  /** `error` blocks a synth or fails `validate`; `warning` is printed only. */
  readonly severity: 'error' | 'warning';
  /** `Kind namespace/name` of the object. */
  readonly object: string;
  /** Dotted path to the field, `(root)` for the object itself. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Formats an object reference the way every message does: `Deployment api/web` or `Namespace api`. */
export function describeObject(obj: { kind?: unknown; metadata?: unknown }): string {
  const meta = (typeof obj.metadata === 'object' && obj.metadata !== null ? obj.metadata : {}) as KubeObjectMeta;
  const kind = typeof obj.kind === 'string' ? obj.kind : '<no kind>';
  const name = meta.name ?? meta.generateName ?? '<no name>';
  return meta.namespace ? `${kind} ${meta.namespace}/${name}` : `${kind} ${name}`;
}

/** Formats a violation as the one line `validate` and `synth` print. */
export function formatViolation(v: Violation): string {
  return `${v.severity}: ${v.object}: ${v.path === '(root)' ? '' : v.path + ': '}${v.message} [${v.rule}]`;
}
