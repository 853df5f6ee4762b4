import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PolicyChecks } from '../../policy/app-checks';
import type { KubeObject } from '../../policy/objects';

/** One JSON-patch operation (RFC 6902 `add` / `remove` / `replace`). */
export interface PatchOp {
  readonly op: 'add' | 'remove' | 'replace';
  /** JSON pointer (RFC 6901). */
  readonly path: string;
  readonly value?: unknown;
}

/**
 * Builds constructs into a throwaway chart (same namespace and labels as the chart of `like`, no name hashes) and
 * returns the objects it renders, after running their validations. Nothing is written anywhere.
 */
export function renderDetached(like: Construct, build: (scope: Construct) => void): KubeObject[] {
  const host = Chart.of(like);
  const app = new App({ outdir: 'dist', recordConstructMetadata: false });
  // The rendered objects are checked where they land (inside the host App's federated resources), not here.
  PolicyChecks.of(app).disable('a detached render; its objects are checked in the host App');
  const chart = new Chart(app, 'Detached', { namespace: host.namespace, labels: { ...host.labels }, disableResourceNameHashes: true });
  build(chart);
  const errors = chart.node.findAll().flatMap((c) => c.node.validate());
  if (errors.length > 0) throw new Error(errors.join('; '));
  return chart.toJson() as KubeObject[];
}

/** The objects a construct subtree renders, in tree order. */
export function renderSubtree(root: IConstruct): KubeObject[] {
  return root.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson() as KubeObject);
}

/** The identity of an object: `Kind namespace/name` (namespace empty when unset). */
export function objectKey(o: KubeObject): string {
  return `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/** `Kind/name`, for messages. */
export function objectLabel(o: KubeObject): string {
  return `${o.kind}/${o.metadata?.name ?? '?'}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The JSON-patch operations turning `from` into `to`: objects are compared key by key (removals, then changes and
 * additions, in key order), arrays of equal length element by element, anything else replaced whole.
 */
export function jsonDiff(from: unknown, to: unknown, path = ''): PatchOp[] {
  if (jsonEqual(from, to)) return [];
  if (isPlainObject(from) && isPlainObject(to)) {
    const ops: PatchOp[] = [];
    for (const key of Object.keys(from).sort()) {
      if (!(key in to)) ops.push({ op: 'remove', path: `${path}/${escapePointer(key)}` });
    }
    for (const key of Object.keys(to).sort()) {
      const p = `${path}/${escapePointer(key)}`;
      if (key in from) ops.push(...jsonDiff(from[key], to[key], p));
      else ops.push({ op: 'add', path: p, value: to[key] });
    }
    return ops;
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    return from.flatMap((v, i) => jsonDiff(v, to[i], `${path}/${i}`));
  }
  return [{ op: 'replace', path, value: to }];
}

/**
 * Recreates rendered objects under `scope`, grouped by kind: `<scope>/<Kind>/<name>`.
 * @returns the new objects, in the order given
 */
export function transplant(scope: Construct, objects: readonly KubeObject[]): ApiObject[] {
  return objects.map((o) => {
    const group = (scope.node.tryFindChild(o.kind) as Construct | undefined) ?? new Construct(scope, o.kind);
    const { apiVersion, kind, metadata, ...rest } = o;
    return new ApiObject(group, metadata?.name ?? kind, { ...rest, apiVersion, kind, metadata: { ...metadata } });
  });
}
