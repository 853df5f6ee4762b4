import { ApiObjectMetadataDefinition } from 'cdk8s';
import { ObjectCheckId, PolicyRuleId, SKIPPABLE_IDS } from './rule-ids';
import { KubeObject } from './objects';
import { nearNames } from './spelling';

/**
 * The annotation that exempts one object from named policy rules and checks: one `<rule id>: <reason>` per line, e.g.
 * `reliability/pdb: a singleton migration job, drained by hand`, or several ids sharing one reason
 * (`security/host-mounts, security/rbac-secrets: the log agent reads every node's and namespace's logs`). Any policy
 * rule or {@link OBJECT_CHECKS} id (the schema and API-server checks included) can be named. `runRules` and
 * `checkConformance` (so `fleetcraft validate`, the platform's synth and the checks inside `app.synth()`) drop that
 * check's findings on that object; an entry with an unknown id or no reason is itself reported
 * (`integrity/skip-rules`). Write it with {@link skipRule}.
 */
export const SKIP_RULES_ANNOTATION = 'fleetcraft.io/skip-rules';

/** What an object's {@link SKIP_RULES_ANNOTATION} says: the rules it skips, and the entries that are not valid. */
export interface SkippedRules {
  /** Rule id to reason. */
  readonly skips: ReadonlyMap<string, string>;
  /** One message per invalid line. */
  readonly problems: readonly string[];
}

const NONE: SkippedRules = { skips: new Map(), problems: [] };

/** Reads an object's {@link SKIP_RULES_ANNOTATION}; an object without one skips nothing. */
export function skippedRules(obj: KubeObject): SkippedRules {
  const raw = obj.metadata?.annotations?.[SKIP_RULES_ANNOTATION];
  if (raw === undefined) return NONE;
  const skips = new Map<string, string>();
  const problems: string[] = [];
  const lines = typeof raw === 'string' ? raw.split('\n').filter((l) => l.trim() !== '') : [];
  if (lines.length === 0) problems.push(`is empty; write one "<rule id>: <reason>" per line, or remove it`);
  for (const line of lines) {
    const at = line.indexOf(':');
    const ids = (at < 0 ? line : line.slice(0, at)).split(',').map((id) => id.trim());
    const reason = at < 0 ? '' : line.slice(at + 1).trim();
    for (const id of ids) {
      if (!SKIPPABLE_IDS.includes(id) || id === 'integrity/skip-rules') {
        const near = nearNames(id, SKIPPABLE_IDS.filter((r) => r !== 'integrity/skip-rules'));
        problems.push(`names unknown rule "${id}"${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}; use a rule or check id that fleetcraft validate --list-rules lists`);
      } else if (reason === '') {
        problems.push(`skips ${id} without a reason; write "${id}: <why this object is exempt>"`);
      } else {
        skips.set(id, reason);
      }
    }
  }
  return { skips, problems };
}

/** Anything with cdk8s object metadata: an `ApiObject`, or a cdk8s-plus resource (`api.deployment`, `raft.statefulSet`). */
export interface IHasObjectMetadata {
  /** The object's metadata. */
  readonly metadata: ApiObjectMetadataDefinition;
}

/**
 * Exempts one object from one policy rule, with a reason auditors can read: adds `<rule id>: <reason>` to its
 * {@link SKIP_RULES_ANNOTATION}. Honoured wherever the rules run (`app.synth()`, `fleetcraft validate`, the platform).
 * Throws on an unknown rule id (naming the known ones), an empty reason or one with a line break.
 *
 * @example skipRule(api.deployment, 'reliability/spread', 'a single-zone test cluster');
 */
export function skipRule(target: IHasObjectMetadata, ruleId: PolicyRuleId | ObjectCheckId, reason: string): void {
  if (!SKIPPABLE_IDS.includes(ruleId)) throw new Error(`skipRule: unknown policy rule ${JSON.stringify(ruleId)}; use one of ${SKIPPABLE_IDS.join(', ')}`);
  if (ruleId === 'integrity/skip-rules') throw new Error('skipRule: integrity/skip-rules checks the skips themselves and cannot be skipped');
  if (typeof reason !== 'string' || reason.trim() === '' || /[\r\n]/.test(reason)) {
    throw new Error(`skipRule: reason (${JSON.stringify(reason)}) must be one non-empty line; say why this object is exempt from ${ruleId}`);
  }
  const current = (target.metadata.toJson() as { annotations?: Record<string, string> }).annotations?.[SKIP_RULES_ANNOTATION];
  const kept = (current ?? '').split('\n').filter((l) => l.trim() !== '' && l.slice(0, l.indexOf(':')).trim() !== ruleId);
  target.metadata.addAnnotation(SKIP_RULES_ANNOTATION, [...kept, `${ruleId}: ${reason.trim()}`].join('\n'));
}
