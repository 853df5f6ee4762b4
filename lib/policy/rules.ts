import { PodSecurityLevel } from './pod-security-level';
import { describeObject, KubeObject, Violation } from './objects';
import { INTEGRITY_RULES } from './rules-integrity';
import { buildContext, PolicyRule } from './rules-context';
import { POD_SECURITY_RULES } from './rules-pod-security';
import { RELIABILITY_RULES } from './rules-reliability';
import { SECURITY_RULES } from './rules-security';
import { TRANSPORT_RULES } from './rules-transport';
import { skippedRules } from './skip-rules';

export type { PolicyRule, RuleContext, RuleFinding, RuleWorkload, RuleAutoscaler } from './rules-context';

/**
 * Every policy rule, in the order they run and report: Pod Security, reliability, integrity, security, transport. Each has a
 * stable id (`pss/…`, `reliability/…`, `integrity/…`, `security/…`), a severity and a one-line doc.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export const POLICY_RULES: readonly PolicyRule[] = [
  ...POD_SECURITY_RULES,
  ...RELIABILITY_RULES,
  ...INTEGRITY_RULES,
  ...SECURITY_RULES,
  ...TRANSPORT_RULES,
];

/** Options for {@link runRules}. */
export interface RuleOptions {
  /**
   * The Pod Security level of a namespace that no Namespace object in the set labels. Its pods are checked at this
   * level (errors); what only a stricter level forbids is reported as warnings, so a third-party manifest shows
   * how far it is from `restricted` without failing for it.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly defaultPodSecurity?: PodSecurityLevel;
  /**
   * Ids of rules not to run (e.g. `['security/secret-data']` when validating a third-party chart). An unknown id
   * throws, so a typo cannot silently disable nothing.
   * @default - every rule runs
   */
  readonly skip?: readonly string[];
}

/** A violation of a policy rule, with the position of its object in the input. */
export interface RuleViolation extends Violation {
  /** Index in the input array of the object the violation is reported on. */
  readonly objectIndex: number;
}

/**
 * Runs every policy rule over the objects of one cluster (the whole set, so references between objects resolve:
 * Service selectors, PodDisruptionBudgets, autoscaler targets, a namespace's Pod Security level and NetworkPolicies).
 *
 * A finding on an object whose `fleetcraft.io/skip-rules` annotation skips that rule (with a reason) is dropped
 * (see {@link skipRule}).
 *
 * Returns every violation, ordered by object then rule. Pure: reads nothing but its arguments. Synth runs it on
 * each cluster's objects (errors block the write); `fleetcraft validate` runs it on the files it is given.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
export function runRules(objects: readonly KubeObject[], options: RuleOptions = {}): RuleViolation[] {
  const known = new Set(POLICY_RULES.map((r) => r.id));
  for (const id of options.skip ?? []) {
    if (!known.has(id)) throw new Error(`unknown policy rule "${id}"; rules: ${[...known].join(', ')}`);
  }
  const skip = new Set(options.skip ?? []);
  const ctx = buildContext(objects, options.defaultPodSecurity ?? PodSecurityLevel.RESTRICTED);
  const index = new Map<KubeObject, number>();
  objects.forEach((o, i) => {
    if (!index.has(o)) index.set(o, i);
  });
  const out: RuleViolation[] = [];
  for (const rule of POLICY_RULES) {
    if (skip.has(rule.id)) continue;
    for (const f of rule.check(ctx)) {
      if (skippedRules(f.obj).skips.has(rule.id)) continue;
      out.push({
        rule: rule.id, severity: f.severity ?? rule.severity, object: describeObject(f.obj), path: f.path, message: f.message,
        objectIndex: index.get(f.obj) ?? -1,
      });
    }
  }
  return out.sort((a, b) => a.objectIndex - b.objectIndex);
}
