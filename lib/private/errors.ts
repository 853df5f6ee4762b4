import { describeValue } from './prop-guard';

/**
 * Builds the message every construct throws: `<Construct> '<id>': <prop> (<value>) <rule>; <fix>`.
 */
export function propError(construct: string, id: string, prop: string, value: unknown, rule: string, fix: string): Error {
  return new Error(`${construct} '${id}': ${prop} (${formatValue(value)}) ${rule}; ${fix}`);
}

/**
 * Shows a value the way messages do: strings quoted, everything else as JSON; never throws (a BigInt, a circular
 * object or a symbol is shown by `describeValue`).
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // BigInt, circular: fall through
  }
  return describeValue(value);
}
