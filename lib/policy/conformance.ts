import { checkApiRules } from './api-checks';
import { KubeObject, Violation } from './objects';
import { SchemaRegistry } from './schema';
import { skippedRules } from './skip-rules';

/**
 * Checks objects as an API server would: each against its upstream schema (when a registry is given) and against
 * the rules beyond the schema. Returns every violation, in the order of the objects, except those an object's
 * `fleetcraft.io/skip-rules` annotation exempts it from (with a reason).
 */
export function checkConformance(objects: readonly KubeObject[], registry?: SchemaRegistry): Violation[] {
  const out: Violation[] = [];
  for (const obj of objects) {
    const found = [...(registry ? registry.validate(obj) : []), ...checkApiRules(obj)];
    const { skips } = skippedRules(obj);
    out.push(...found.filter((v) => !skips.has(v.rule)));
  }
  return out;
}
