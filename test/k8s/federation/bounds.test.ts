import type { SplitMember } from '../../../lib/k8s/federation';
import { federatedBounds, templateShare } from '../../../lib/k8s/federation';

const east: SplitMember = { name: 'east', weight: 1 };
const west: SplitMember = { name: 'west', weight: 1 };

describe('federatedBounds', () => {
  test('splits total, min and max by weight for autoscaled members', () => {
    expect(federatedBounds(4, [east, west], [true, true], 2, 10)).toEqual([
      { replicas: 2, minReplicas: 1, maxReplicas: 5 },
      { replicas: 2, minReplicas: 1, maxReplicas: 5 },
    ]);
  });

  test('follows the weights', () => {
    const big = { name: 'big', weight: 3 };
    expect(federatedBounds(8, [big, west], [true, true], 4, 20)).toEqual([
      { replicas: 6, minReplicas: 3, maxReplicas: 15 },
      { replicas: 2, minReplicas: 1, maxReplicas: 5 },
    ]);
  });

  test('a fixed-size member has min = max = its share', () => {
    expect(federatedBounds(4, [east, west], [true, false], 2, 10)).toEqual([
      { replicas: 2, minReplicas: 1, maxReplicas: 5 },
      { replicas: 2, minReplicas: 2, maxReplicas: 2 },
    ]);
  });

  test('an autoscaled member\'s minimum is raised to 1', () => {
    // min total 1 splits as east 1, west 0; west still keeps one replica.
    expect(federatedBounds(2, [east, west], [true, true], 1, 4)).toEqual([
      { replicas: 1, minReplicas: 1, maxReplicas: 2 },
      { replicas: 1, minReplicas: 1, maxReplicas: 2 },
    ]);
  });

  test('a member whose share is 0 runs nothing, autoscaled or not', () => {
    const capped = { name: 'west', weight: 1, maxReplicas: 0 };
    expect(federatedBounds(3, [east, capped], [true, true], 1, 10)).toEqual([
      { replicas: 3, minReplicas: 1, maxReplicas: 10 },
      { replicas: 0, minReplicas: 0, maxReplicas: 0 },
    ]);
    expect(federatedBounds(1, [east, west], [false, false], 1, 1)).toEqual([
      { replicas: 1, minReplicas: 1, maxReplicas: 1 },
      { replicas: 0, minReplicas: 0, maxReplicas: 0 },
    ]);
  });

  test('the min total is raised to the members\' minimums', () => {
    const a = { name: 'a', weight: 1, minReplicas: 2 };
    const b = { name: 'b', weight: 1, minReplicas: 2 };
    expect(federatedBounds(6, [a, b], [true, true], 1, 10).map((s) => s.minReplicas)).toEqual([2, 2]);
  });

  test('the max total is capped at the members\' maximums', () => {
    const a = { name: 'a', weight: 1, maxReplicas: 3 };
    const b = { name: 'b', weight: 1, maxReplicas: 3 };
    expect(federatedBounds(4, [a, b], [true, true], 2, 100).map((s) => s.maxReplicas)).toEqual([3, 3]);
  });

  test('an unbounded member leaves the max total as given', () => {
    const a = { name: 'a', weight: 1, maxReplicas: 3 };
    expect(federatedBounds(4, [a, west], [true, true], 2, 100).map((s) => s.maxReplicas)).toEqual([3, 97]);
  });

  test('min and max totals are clamped to either side of total', () => {
    // min 8 above total 4 and max 2 below it: both become 4, so each member is pinned to its share.
    expect(federatedBounds(4, [east, west], [true, true], 8, 2)).toEqual([
      { replicas: 2, minReplicas: 2, maxReplicas: 2 },
      { replicas: 2, minReplicas: 2, maxReplicas: 2 },
    ]);
  });

  test('returns the members\' order, not the name order', () => {
    const z = { name: 'zulu', weight: 1 };
    const a = { name: 'alpha', weight: 3 };
    expect(federatedBounds(4, [z, a], [true, true], 4, 4).map((s) => s.replicas)).toEqual([1, 3]);
  });

  test('every member has min <= replicas <= max, and the replicas add up to total', () => {
    const members: SplitMember[] = [
      { name: 'a', weight: 1 }, { name: 'b', weight: 2, minReplicas: 1 }, { name: 'c', weight: 3, maxReplicas: 5 },
    ];
    for (let total = 1; total <= 12; total++) {
      for (const [minTotal, maxTotal] of [[1, 12], [total, total], [0, 50], [6, 8]]) {
        const shares = federatedBounds(total, members, [true, false, true], minTotal, maxTotal);
        expect(shares.reduce((s, x) => s + x.replicas, 0)).toBe(total);
        for (const s of shares) {
          expect(s.minReplicas).toBeLessThanOrEqual(s.replicas);
          expect(s.replicas).toBeLessThanOrEqual(s.maxReplicas);
          if (s.replicas > 0) expect(s.minReplicas).toBeGreaterThanOrEqual(1);
        }
      }
    }
  });

  test('throws the split error for infeasible members', () => {
    expect(() => federatedBounds(1, [], [], 1, 1)).toThrow('members is empty; list at least one member with a name and a weight');
  });
});

describe('templateShare', () => {
  test('takes total and the largest member min and max', () => {
    expect(templateShare(6, [
      { replicas: 3, minReplicas: 1, maxReplicas: 5 },
      { replicas: 3, minReplicas: 2, maxReplicas: 4 },
    ])).toEqual({ replicas: 6, minReplicas: 2, maxReplicas: 5 });
  });

  test('min and max are at least 1', () => {
    expect(templateShare(0, [{ replicas: 0, minReplicas: 0, maxReplicas: 0 }])).toEqual({ replicas: 0, minReplicas: 1, maxReplicas: 1 });
    expect(templateShare(3, [])).toEqual({ replicas: 3, minReplicas: 1, maxReplicas: 1 });
  });
});
