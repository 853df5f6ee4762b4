/** Suggestions for a misspelt name: the known names a short edit away. */

/** Levenshtein distance between two short strings (kind names, rule ids). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** The known names at most `max` edits from `name` (case-insensitive), closest first. */
export function nearNames(name: string, known: readonly string[], max = 2): string[] {
  return known.map((k) => ({ k, d: editDistance(k.toLowerCase(), name.toLowerCase()) }))
    .filter((x) => x.d <= max).sort((a, b) => a.d - b.d).map((x) => x.k);
}
