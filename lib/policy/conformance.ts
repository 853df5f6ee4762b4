import { checkApiRules } from './api-checks';
import { KubeObject, Violation } from './objects';
import { SchemaRegistry } from './schema';

/**
 * Checks objects as an API server would: each against its upstream schema (when a registry is given) and against
 * the rules beyond the schema. Returns every violation, in the order of the objects.
 */
export function checkConformance(objects: readonly KubeObject[], registry?: SchemaRegistry): Violation[] {
  const out: Violation[] = [];
  for (const obj of objects) {
    if (registry) out.push(...registry.validate(obj));
    out.push(...checkApiRules(obj));
  }
  return out;
}
