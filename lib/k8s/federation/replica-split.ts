import { describeValue, INT32_MAX } from '../../private/prop-guard';

/**
 * Splitting a replica total across members by weight: a bounded Sainte-Laguë (Webster) divisor method, applied
 * one replica at a time, so it is exact, honours each member's bounds, and is monotone.
 */

/** One member of a split: a cluster or region with a weight and optional bounds. */
export interface SplitMember {
  /** Unique member name (e.g. the cluster). */
  readonly name: string;
  /** Relative share; a whole number from 1 to {@link MAX_WEIGHT}. */
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

/** The largest int32: the most replicas a Kubernetes object holds, and the bound of totals and member bounds. */
const MAX_REPLICAS = INT32_MAX;

/**
 * The largest weight. Weights are relative, so nothing needs more; the bound keeps the split's integer arithmetic
 * (`weight × (2 × share + 1)`, with shares up to 2³¹) exact in a double.
 */
export const MAX_WEIGHT = 1_000_000;

const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Every problem with a split's inputs, one message each (empty when feasible). Never throws, whatever it is given. */
export function replicaSplitProblems(total: number, members: readonly SplitMember[]): string[] {
  const problems: string[] = [];
  if (!isWhole(total) || total < 0) {
    problems.push(`totalReplicas (${describeValue(total)}) must be a whole number of at least 0`);
  } else if (total > MAX_REPLICAS) {
    problems.push(`totalReplicas (${describeValue(total)}) must be at most ${MAX_REPLICAS}, the most replicas a Kubernetes object holds`);
  }
  if (!Array.isArray(members)) {
    problems.push(`members (${describeValue(members)}) must be a list of members, each with a name and a weight`);
    return problems;
  }
  if (members.length === 0) {
    problems.push('members is empty; list at least one member with a name and a weight');
    return problems;
  }
  const unnamed = members.findIndex((m: unknown) => typeof m !== 'object' || m === null || typeof (m as SplitMember).name !== 'string');
  if (unnamed >= 0) {
    problems.push(`members[${unnamed}] (${describeValue(members[unnamed])}) must be an object with a name (a string) and a weight`);
    return problems;
  }
  const names = new Set<string>();
  for (const m of members) {
    if (names.has(m.name)) problems.push(`member "${m.name}" is listed twice; member names must be unique`);
    names.add(m.name);
    if (!isWhole(m.weight) || m.weight <= 0) {
      problems.push(`member "${m.name}" weight (${describeValue(m.weight)}) must be a positive integer; use 1, 2, 3, …`);
    } else if (m.weight > MAX_WEIGHT) {
      problems.push(`member "${m.name}" weight (${describeValue(m.weight)}) must be at most ${MAX_WEIGHT}; weights are relative, so divide them all by a common factor`);
    }
    const min: unknown = m.minReplicas ?? 0;
    const max: unknown = m.maxReplicas;
    if (!isWhole(min) || min < 0) problems.push(`member "${m.name}" minReplicas (${describeValue(min)}) must be a whole number of at least 0`);
    else if (min > MAX_REPLICAS) problems.push(`member "${m.name}" minReplicas (${describeValue(min)}) must be at most ${MAX_REPLICAS}`);
    if (max !== undefined) {
      if (!isWhole(max) || max < 0) {
        problems.push(`member "${m.name}" maxReplicas (${describeValue(max)}) must be a whole number of at least 0`);
      } else if (max > MAX_REPLICAS) {
        problems.push(`member "${m.name}" maxReplicas (${describeValue(max)}) must be at most ${MAX_REPLICAS}`);
      } else if (isWhole(min) && min > max) {
        problems.push(`member "${m.name}" minReplicas (${min}) is above its maxReplicas (${max}); lower min or raise max`);
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
 * Handing out millions of replicas one at a time would take seconds, so the bulk is handed out at once (see
 * `fastForward`), with the same result; only the last few replicas (about two per member) go one at a time.
 *
 * @returns each member's share, keyed by name, in the members' order
 * @throws ReplicaSplitError listing every problem when the inputs are invalid or the bounds make it infeasible
 */
export function splitReplicas(total: number, members: readonly SplitMember[]): Record<string, number> {
  const problems = replicaSplitProblems(total, members);
  if (problems.length > 0) throw new ReplicaSplitError(problems.join('; '));
  const shares = fastForward(total, members);
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

/**
 * The shares after the first replicas of the one-at-a-time split, handed out at once. Each member's next replica
 * has a lower priority than its previous one, so the split hands replicas out in falling priority: every replica
 * with a priority above a threshold `1/λ` comes before any other. With `λ = p / q`, member `i` holds, above its
 * minimum, the `s` with `q(2s + 1) < 2·wᵢ·p` (its priority `wᵢ / (s + ½)` above `q / p`), capped at its maximum.
 * A binary search finds the largest `p` whose count does not exceed the replicas to hand out; with `q` at least the
 * largest weight, the next step of `p` adds at most about two replicas per member, which the loop then hands out.
 * BigInt keeps every comparison exact.
 */
function fastForward(total: number, members: readonly SplitMember[]): number[] {
  const mins = members.map((m) => BigInt(m.minReplicas ?? 0));
  const toHandOut = BigInt(total) - mins.reduce((a, b) => a + b, 0n);
  const q = BigInt(Math.max(...members.map((m) => m.weight)));
  const extras = (p: bigint): bigint[] => members.map((m, i) => {
    const numerator = 2n * BigInt(m.weight) * p - q;
    // the s >= 0 with s < numerator / 2q: ceil(numerator / 2q) of them
    const below = numerator > 0n ? (numerator + 2n * q - 1n) / (2n * q) : 0n;
    let extra = below - mins[i];
    if (extra < 0n) extra = 0n;
    const room = m.maxReplicas === undefined ? undefined : BigInt(m.maxReplicas) - mins[i];
    return room !== undefined && extra > room ? room : extra;
  });
  const count = (p: bigint): bigint => extras(p).reduce((a, b) => a + b, 0n);
  // at p = hi every member's uncapped count exceeds toHandOut (weights are at least 1)
  const largestMin = mins.reduce((a, b) => (a > b ? a : b), 0n);
  let lo = 0n;
  let hi = (toHandOut + largestMin + 1n) * q;
  if (count(hi) <= toHandOut) lo = hi;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (count(mid) <= toHandOut) lo = mid;
    else hi = mid;
  }
  return extras(lo).map((extra, i) => Number(mins[i] + extra));
}
