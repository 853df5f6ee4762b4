/**
 * Splitting a replica total across members by weight: a bounded Sainte-Laguë (Webster) divisor method, applied
 * one replica at a time, so it is exact, honours each member's bounds, and is monotone.
 */

/** One member of a split: a cluster or region with a weight and optional bounds. */
export interface SplitMember {
  /** Unique member name (e.g. the cluster). */
  readonly name: string;
  /** Relative share; a positive integer. */
  readonly weight: number;
  /**
   * Fewest replicas this member gets.
   * @default 0
   */
  readonly minReplicas?: number;
  /**
   * Most replicas this member gets.
   * @default - unbounded
   */
  readonly maxReplicas?: number;
}

/** Why a split is impossible; `message` names the value and the fix. */
export class ReplicaSplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplicaSplitError';
  }
}

/** Every problem with a split's inputs, one message each (empty when feasible). */
export function replicaSplitProblems(total: number, members: readonly SplitMember[]): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(total) || total < 0) {
    problems.push(`totalReplicas (${total}) must be a whole number of at least 0`);
  }
  if (members.length === 0) {
    problems.push('members is empty; list at least one member with a name and a weight');
    return problems;
  }
  const names = new Set<string>();
  for (const m of members) {
    if (names.has(m.name)) problems.push(`member "${m.name}" is listed twice; member names must be unique`);
    names.add(m.name);
    if (!Number.isInteger(m.weight) || m.weight <= 0) {
      problems.push(`member "${m.name}" weight (${m.weight}) must be a positive integer; use 1, 2, 3, …`);
    }
    const min = m.minReplicas ?? 0;
    if (!Number.isInteger(min) || min < 0) problems.push(`member "${m.name}" minReplicas (${min}) must be a whole number of at least 0`);
    if (m.maxReplicas !== undefined) {
      if (!Number.isInteger(m.maxReplicas) || m.maxReplicas < 0) {
        problems.push(`member "${m.name}" maxReplicas (${m.maxReplicas}) must be a whole number of at least 0`);
      } else if (min > m.maxReplicas) {
        problems.push(`member "${m.name}" minReplicas (${min}) is above its maxReplicas (${m.maxReplicas}); lower min or raise max`);
      }
    }
  }
  if (problems.length > 0) return problems;
  const sumMin = members.reduce((s, m) => s + (m.minReplicas ?? 0), 0);
  if (sumMin > total) {
    problems.push(`the members' minReplicas add up to ${sumMin}, above totalReplicas (${total}); raise totalReplicas to at least ${sumMin} or lower the minimums`);
  }
  if (members.every((m) => m.maxReplicas !== undefined)) {
    const sumMax = members.reduce((s, m) => s + (m.maxReplicas as number), 0);
    if (sumMax < total) {
      problems.push(`the members' maxReplicas add up to ${sumMax}, below totalReplicas (${total}); lower totalReplicas to at most ${sumMax} or raise the maximums`);
    }
  }
  return problems;
}

/**
 * Splits `total` replicas across `members` in proportion to their weights.
 *
 * Every member starts at its `minReplicas`; then replicas are handed out one at a time to the member with the
 * highest priority `weight / (replicas + 0.5)` (the Sainte-Laguë divisor) among those below their `maxReplicas`.
 * Properties (each tested):
 * - exact: the shares add up to `total`; bounded: each share is within the member's min and max;
 * - monotone: raising `total` never lowers any share (the split for `total + 1` is the split for `total` plus one
 *   replica), so no Alabama paradox — unlike the largest-remainder method;
 * - order-independent: equal priorities are broken by the larger weight, then by name in code-point order, so
 *   reordering members never changes the result.
 *
 * Like every divisor method it can stray from a member's exact quota by slightly more than one replica in rare
 * cases (a consequence of being monotone); in exchange a growing total never takes a replica from anyone.
 *
 * @returns each member's share, keyed by name, in the members' order
 * @throws ReplicaSplitError listing every problem when the inputs are invalid or the bounds make it infeasible
 */
export function splitReplicas(total: number, members: readonly SplitMember[]): Record<string, number> {
  const problems = replicaSplitProblems(total, members);
  if (problems.length > 0) throw new ReplicaSplitError(problems.join('; '));
  const shares = members.map((m) => m.minReplicas ?? 0);
  let remaining = total - shares.reduce((a, b) => a + b, 0);
  while (remaining > 0) {
    let best = -1;
    for (let i = 0; i < members.length; i++) {
      const max = members[i].maxReplicas;
      if (max !== undefined && shares[i] >= max) continue;
      if (best < 0 || outranks(members[i], shares[i], members[best], shares[best])) best = i;
    }
    shares[best] += 1;
    remaining -= 1;
  }
  return Object.fromEntries(members.map((m, i) => [m.name, shares[i]]));
}

/** Whether member `a` (holding `sa`) gets the next replica before `b` (holding `sb`). Exact integer comparison. */
function outranks(a: SplitMember, sa: number, b: SplitMember, sb: number): boolean {
  // a.weight / (sa + 0.5) vs b.weight / (sb + 0.5), cross-multiplied by 2 to stay in integers
  const left = a.weight * (2 * sb + 1);
  const right = b.weight * (2 * sa + 1);
  if (left !== right) return left > right;
  if (a.weight !== b.weight) return a.weight > b.weight;
  return a.name < b.name;
}
