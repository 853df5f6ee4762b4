/** The recommended `app.kubernetes.io/*` labels, set deterministically on every object fleetcraft emits. */

export const MANAGED_BY = 'fleetcraft';

/** What an object belongs to; becomes the `app.kubernetes.io/*` labels. */
export interface LabelIdentity {
  /** `app.kubernetes.io/name`: the application, e.g. `etcd`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`: this instance of it, e.g. `raft`. */
  readonly instance: string;
  /** `app.kubernetes.io/component`: its role, e.g. `consensus`. */
  readonly component: string;
  /** `app.kubernetes.io/part-of`: the larger system. */
  readonly partOf?: string;
}

/** The full label set for an object. */
export function standardLabels(id: LabelIdentity): Record<string, string> {
  const labels: Record<string, string> = {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': id.instance,
    'app.kubernetes.io/component': id.component,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
  if (id.partOf) labels['app.kubernetes.io/part-of'] = id.partOf;
  return labels;
}

/** The stable subset used in selectors (labels that never change across an object's life). */
export function selectorLabels(id: LabelIdentity): Record<string, string> {
  return {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': id.instance,
  };
}
