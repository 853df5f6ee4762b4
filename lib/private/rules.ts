import { propError } from './errors';

/** A broken rule: the prop, the value shown, the rule and the fix (what `propError` prints). */
export type Violation = readonly [prop: string, value: unknown, rule: string, fix: string];

/** One pure rule over a construct's facts (its props with defaults applied): a violation, or undefined. */
export type Rule<F> = (facts: F) => Violation | undefined;

/** The first rule of the table that `facts` break, or undefined: rules are checked in order. */
export function firstViolation<F>(rules: readonly Rule<F>[], facts: F): Violation | undefined {
  for (const rule of rules) {
    const v = rule(facts);
    if (v) return v;
  }
  return undefined;
}

/** Throws the first rule `facts` break, as `<construct> '<id>': <prop> (<value>) <rule>; <fix>`. */
export function checkRules<F>(construct: string, id: string, rules: readonly Rule<F>[], facts: F): void {
  const v = firstViolation(rules, facts);
  if (v) throw propError(construct, id, ...v);
}
