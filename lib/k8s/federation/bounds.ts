import type { FederatedShare } from './workload';
import { splitReplicas, SplitMember } from './replica-split';

/**
 * Splits `total` and the autoscaler totals over `members` (whose inputs `replicaSplitProblems` has accepted).
 *
 * - each member's `replicas` is its share of `total`;
 * - the `min` and `max` totals are clamped into what the members' bounds allow and to either side of `total`
 *   (`min' = min(total, max(min, Σ member minimums))`, `max' = max(total, min(max, Σ member maximums))`), then
 *   split with the same weights and bounds; because the split is monotone, each member's share of `min'` is at most
 *   its share of `total`, which is at most its share of `max'`;
 * - an autoscaled member's minimum is its share of `min'` raised to 1, its maximum its share of `max'`;
 * - a fixed-size member has min = max = its share;
 * - a member whose share is 0 gets `{0, 0, 0}`: it runs nothing.
 * @returns by member, in the members' order
 */
export function federatedBounds(total: number, members: readonly SplitMember[], autoscaled: readonly boolean[],
  minTotal: number, maxTotal: number): FederatedShare[] {
  const shares = splitReplicas(total, members);
  const sumMin = members.reduce((s, m) => s + (m.minReplicas ?? 0), 0);
  const sumMax = members.every((m) => m.maxReplicas !== undefined)
    ? members.reduce((s, m) => s + (m.maxReplicas as number), 0) : Number.POSITIVE_INFINITY;
  const lowerTotal = Math.min(total, Math.max(minTotal, sumMin));
  const upperTotal = Math.max(total, Math.min(maxTotal, sumMax));
  const lower = splitReplicas(lowerTotal, members);
  const upper = splitReplicas(upperTotal, members);
  return members.map((m, i) => {
    const replicas = shares[m.name];
    if (replicas === 0) return { replicas: 0, minReplicas: 0, maxReplicas: 0 };
    if (!autoscaled[i]) return { replicas, minReplicas: replicas, maxReplicas: replicas };
    return { replicas, minReplicas: Math.max(1, lower[m.name]), maxReplicas: upper[m.name] };
  });
}

/**
 * The share a federation-wide template is built with (KubeFed, Karmada): `totalReplicas`, and the largest member
 * minimum and maximum, so every object any member renders (e.g. a PodDisruptionBudget, emitted only above one
 * replica) is in the template too; members then differ from it only by overrides.
 */
export function templateShare(total: number, deployed: readonly FederatedShare[]): FederatedShare {
  return {
    replicas: total,
    minReplicas: Math.max(1, ...deployed.map((s) => s.minReplicas)),
    maxReplicas: Math.max(1, ...deployed.map((s) => s.maxReplicas)),
  };
}
