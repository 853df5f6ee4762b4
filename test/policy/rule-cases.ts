/** Shared fixtures of the policy rule tests: the known-good object set and table-driven pass/fail cases. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../../lib/policy/objects';
import { runRules } from '../../lib/policy/rules';

export type Json = Record<string, unknown>;

/** The web Deployment's first container, as a dotted path for {@link at}. */
export const WEB = 'spec.template.spec.containers.0';

/** The known-good object set of test/fixtures/valid, fresh for each case. */
export function validSet(): Json[] {
  const dir = path.join(__dirname, '..', 'fixtures', 'valid');
  return fs.readdirSync(dir).sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as Json))
    .flatMap((o) => (o.kind === 'List' ? (o.items as Json[]) : [o]));
}

/** The object at a dotted path (numeric segments index arrays), e.g. `spec.template.spec.containers.0`. */
export function at(root: Json[], kind: string, name: string, dotted = ''): Json {
  const obj = root.find((o) => o.kind === kind && (o.metadata as Json).name === name);
  if (!obj) throw new Error(`no ${kind} ${name}`);
  return (dotted ? dotted.split('.') : []).reduce<Json>((acc, k) => acc[k] as Json, obj);
}

/** The set without one object. */
export const without = (set: Json[], kind: string, name: string): Json[] => set.filter((o) => !(o.kind === kind && (o.metadata as Json).name === name));

/** A ResourceQuota of the valid set's `shop` namespace with these hard limits. */
export function shopQuota(hard: Record<string, string | number>): Json {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'shop-quota', namespace: 'shop' }, spec: { hard } };
}

/** Every violation of the set, one line each: `rule object path: message`. */
export const run = (set: Json[]): string[] => runRules(set as unknown as KubeObject[]).map((v) => `${v.rule} ${v.object} ${v.path}: ${v.message}`);

/** One rule's passing and failing change to the valid set, and the exact lines the failing one produces. */
export interface Case {
  readonly rule: string;
  readonly pass: (set: Json[]) => Json[] | void;
  readonly fail: (set: Json[]) => Json[] | void;
  readonly expected: string[];
}

/** A passing and a failing test for each case. */
export function describeCases(cases: readonly Case[]): void {
  describe.each(cases)('$rule', (c) => {
    test('passes', () => {
      const set = validSet();
      expect(run(c.pass(set) ?? set)).toEqual([]);
    });
    test('fails with its message', () => {
      const set = validSet();
      expect(run(c.fail(set) ?? set)).toEqual(c.expected);
    });
  });
}
