import { ReplicaSplitError, splitReplicas, SplitMember } from '../../../lib/k8s/federation';

const seed = [
  { name: 'us-east-1', weight: 3 },
  { name: 'eu-west-1', weight: 2 },
  { name: 'ap-southeast-1', weight: 1 },
];

/** A small deterministic PRNG (mulberry32), so the property test is repeatable. */
function prng(seedValue: number): () => number {
  let s = seedValue >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('splitReplicas', () => {
  test('45 over 3:2:1 gives 23, 15, 7', () => {
    expect(splitReplicas(45, seed)).toEqual({ 'us-east-1': 23, 'eu-west-1': 15, 'ap-southeast-1': 7 });
  });

  test('an exact multiple splits exactly: 60 over 3:2:1 gives 30, 20, 10', () => {
    expect(splitReplicas(60, seed)).toEqual({ 'us-east-1': 30, 'eu-west-1': 20, 'ap-southeast-1': 10 });
  });

  test('a minimum lifts a small member and the rest is split by weight', () => {
    const members = [{ ...seed[0] }, { ...seed[1] }, { ...seed[2], minReplicas: 10 }];
    expect(splitReplicas(45, members)).toEqual({ 'us-east-1': 21, 'eu-west-1': 14, 'ap-southeast-1': 10 });
  });

  test('a maximum caps a member and the others take the rest', () => {
    const members = [{ ...seed[0], maxReplicas: 15 }, { ...seed[1] }, { ...seed[2] }];
    expect(splitReplicas(45, members)).toEqual({ 'us-east-1': 15, 'eu-west-1': 20, 'ap-southeast-1': 10 });
  });

  test('0 replicas gives every member 0; minReplicas defaults to 0 and maxReplicas to unbounded', () => {
    expect(splitReplicas(0, seed)).toEqual({ 'us-east-1': 0, 'eu-west-1': 0, 'ap-southeast-1': 0 });
    expect(splitReplicas(1000, [{ name: 'a', weight: 1 }])).toEqual({ a: 1000 });
  });

  test('equal weights break ties by name, whatever the order', () => {
    expect(splitReplicas(1, [{ name: 'b', weight: 1 }, { name: 'a', weight: 1 }])).toEqual({ b: 0, a: 1 });
    expect(splitReplicas(1, [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }])).toEqual({ a: 1, b: 0 });
  });

  describe('refuses', () => {
    const expectRefused = (total: number, members: SplitMember[], message: string) => {
      expect(() => splitReplicas(total, members)).toThrow(ReplicaSplitError);
      expect(() => splitReplicas(total, members)).toThrow(message);
    };
    test('no members', () => {
      expectRefused(3, [], 'members is empty; list at least one member with a name and a weight');
    });
    test('duplicate member names', () => {
      expectRefused(3, [{ name: 'a', weight: 1 }, { name: 'a', weight: 2 }], 'member "a" is listed twice; member names must be unique');
    });
    test('a weight that is not a positive integer', () => {
      expectRefused(3, [{ name: 'a', weight: 0 }], 'member "a" weight (0) must be a positive integer; use 1, 2, 3, …');
      expectRefused(3, [{ name: 'a', weight: 1.5 }], 'member "a" weight (1.5) must be a positive integer; use 1, 2, 3, …');
    });
    test('min above max', () => {
      expectRefused(3, [{ name: 'a', weight: 1, minReplicas: 4, maxReplicas: 2 }], 'member "a" minReplicas (4) is above its maxReplicas (2); lower min or raise max');
    });
    test('a sum of minimums above the total', () => {
      expectRefused(5, [{ name: 'a', weight: 1, minReplicas: 3 }, { name: 'b', weight: 1, minReplicas: 3 }],
        'the members\' minReplicas add up to 6, above totalReplicas (5); raise totalReplicas to at least 6 or lower the minimums');
    });
    test('a sum of maximums below the total', () => {
      expectRefused(10, [{ name: 'a', weight: 1, maxReplicas: 3 }, { name: 'b', weight: 1, maxReplicas: 3 }],
        'the members\' maxReplicas add up to 6, below totalReplicas (10); lower totalReplicas to at most 6 or raise the maximums');
    });
    test('a negative or fractional total', () => {
      expectRefused(-1, seed, 'totalReplicas (-1) must be a whole number of at least 0');
      expectRefused(2.5, seed, 'totalReplicas (2.5) must be a whole number of at least 0');
    });
  });

  test('property: exact, bounded, monotone and order-independent over many totals and weight sets', () => {
    const random = prng(20261126);
    const failures: string[] = [];
    let checked = 0;
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(random() * 6);
      const members: SplitMember[] = Array.from({ length: n }, (_, i) => {
        const min = random() < 0.3 ? Math.floor(random() * 4) : undefined;
        const max = random() < 0.3 ? (min ?? 0) + Math.floor(random() * 30) : undefined;
        return { name: `m${i}`, weight: 1 + Math.floor(random() * 9), minReplicas: min, maxReplicas: max };
      });
      const low = members.reduce((s, m) => s + (m.minReplicas ?? 0), 0);
      const high = members.every((m) => m.maxReplicas !== undefined) ? members.reduce((s, m) => s + (m.maxReplicas as number), 0) : low + 120;
      const reversed = [...members].reverse();
      let previous: Record<string, number> | undefined;
      for (let total = low; total <= high; total++) {
        const split = splitReplicas(total, members);
        const where = `total ${total}, members ${JSON.stringify(members)}`;
        if (Object.values(split).reduce((a, b) => a + b, 0) !== total) failures.push(`sum differs: ${where}`);
        for (const m of members) {
          if (split[m.name] < (m.minReplicas ?? 0) || split[m.name] > (m.maxReplicas ?? Infinity)) failures.push(`${m.name} out of bounds: ${where}`);
          if (previous && split[m.name] < previous[m.name]) failures.push(`${m.name} dropped: ${where}`);
        }
        if (JSON.stringify(Object.entries(splitReplicas(total, reversed)).sort()) !== JSON.stringify(Object.entries(split).sort())) {
          failures.push(`order changed the split: ${where}`);
        }
        previous = split;
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
  });

  test('stays close to proportional: an unbounded member is within 1.5 replicas of its exact quota', () => {
    const weights = [[3, 2, 1], [5, 3], [7, 1, 1, 1], [1, 1, 1]];
    const far: string[] = [];
    for (const w of weights) {
      const members = w.map((weight, i) => ({ name: `m${i}`, weight }));
      const sum = w.reduce((a, b) => a + b, 0);
      for (let total = 0; total <= 200; total++) {
        const split = splitReplicas(total, members);
        for (const m of members) {
          if (Math.abs(split[m.name] - (total * m.weight) / sum) >= 1.5) far.push(`${w.join(':')} total ${total}: ${m.name}=${split[m.name]}`);
        }
      }
    }
    expect(far).toEqual([]);
  });
});

describe('splitReplicas hands out the bulk at once, with the one-at-a-time result', () => {
  /** The one-at-a-time split, as specified: every replica to the highest priority, ties by weight then name. */
  function reference(total: number, members: readonly SplitMember[]): Record<string, number> {
    const shares = members.map((m) => m.minReplicas ?? 0);
    for (let left = total - shares.reduce((a, b) => a + b, 0); left > 0; left--) {
      let best = -1;
      members.forEach((m, i) => {
        if (m.maxReplicas !== undefined && shares[i] >= m.maxReplicas) return;
        if (best < 0) { best = i; return; }
        const b = members[best];
        const l = m.weight * (2 * shares[best] + 1);
        const r = b.weight * (2 * shares[i] + 1);
        if (l > r || (l === r && (m.weight > b.weight || (m.weight === b.weight && m.name < b.name)))) best = i;
      });
      shares[best] += 1;
    }
    return Object.fromEntries(members.map((m, i) => [m.name, shares[i]]));
  }

  test('on 500 random feasible inputs', () => {
    const rand = prng(2024);
    const int = (n: number) => Math.floor(rand() * n);
    for (let run = 0; run < 500; run++) {
      const members: SplitMember[] = Array.from({ length: 1 + int(6) }, (_, i) => {
        const min = rand() < 0.3 ? int(20) : undefined;
        const max = rand() < 0.3 ? (min ?? 0) + int(60) : undefined;
        return { name: `m${i}`, weight: 1 + int(rand() < 0.2 ? 1000 : 9), minReplicas: min, maxReplicas: max };
      });
      const sumMin = members.reduce((s, m) => s + (m.minReplicas ?? 0), 0);
      const capped = members.every((m) => m.maxReplicas !== undefined);
      const sumMax = members.reduce((s, m) => s + (m.maxReplicas ?? 0), 0);
      const total = capped ? sumMin + int(sumMax - sumMin + 1) : sumMin + int(400);
      expect(splitReplicas(total, members)).toEqual(reference(total, members));
    }
  });
});
