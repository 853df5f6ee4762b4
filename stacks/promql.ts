/**
 * A small PromQL tokeniser: the metric names an expression reads, without its functions, keywords, label names,
 * label values, durations or numbers. Enough to cross-check dashboards and rules against the series the platform
 * scrapes or records; not a parser (it does not check syntax).
 */

/** Words PromQL reserves: aggregation modifiers, vector matching, set operators, `offset`, `bool`, and number literals. */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);

/** The metric names of a PromQL expression, each once, in order of appearance. */
export function metricNames(expr: string): string[] {
  const stripped = expr
    // String literals first: label values and quantile arguments may hold anything.
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    // Label matchers ({job="api", code=~"5.."}) and range or subquery selectors ([5m], [1h:30s]).
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    // Label lists after by, without, on, ignoring, group_left and group_right.
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  const identifier = /(?<![\w.:])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g;
  for (const m of stripped.matchAll(identifier)) {
    const [, name, call] = m;
    if (call) continue; // a function or aggregation: rate(, sum(, histogram_quantile(
    if (KEYWORDS.has(name.toLowerCase())) continue;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}
