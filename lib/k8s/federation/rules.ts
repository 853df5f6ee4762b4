import type { IConstruct } from 'constructs';
import type { IScalableWorkload } from '../autoscaled-service';
import { checkRules, Rule as RuleOf, Violation } from '../../private/rules';
import { replicaSplitProblems, SplitMember } from './replica-split';
import type { IFederatedWorkload } from './workload';

/** The construct name every FederatedApp message starts with. */
export const FEDERATED_APP = 'FederatedApp';
/** The value class whose factories choose a backend (its options' messages start with it). */
export const FEDERATION_BACKEND = 'FederationBackend';

/** A member as the rules see it. */
export interface FederationMemberFacts extends SplitMember {
  readonly overrides?: object;
  readonly scope?: unknown;
}

/** The facts the table-driven rules look at (defaults applied, the split already feasible). */
export interface FederatedAppFacts<O extends object, W extends IScalableWorkload & IConstruct> {
  readonly workload: IFederatedWorkload<O, W>;
  readonly totalReplicas: number;
  readonly members: readonly FederationMemberFacts[];
  /** Whether the backend renders each member's copy into its scope (per-cluster). */
  readonly perCluster: boolean;
  /** The per-cluster ApplicationSet's `path`, if one is asked for. */
  readonly applicationSetPath?: string;
}

type Rule = RuleOf<FederatedAppFacts<object, IScalableWorkload & IConstruct>>;

/** The first violation `check` finds among `items`, in their order. */
function firstOf<T>(items: Iterable<T>, check: (item: T) => Violation | undefined): Violation | undefined {
  for (const item of items) {
    const v = check(item);
    if (v) return v;
  }
  return undefined;
}

/**
 * The rules, in the order they are checked; the first broken one is thrown. They run after the split's own checks
 * ({@link checkSplit}), so every member has a name, a weight and feasible bounds.
 */
export const FEDERATED_APP_RULES: readonly Rule[] = [
  (f) => firstOf(f.members, (m) => {
    const known = new Set(f.workload.overridableProps);
    return firstOf(Object.entries(m.overrides ?? {}), ([key, value]): Violation | undefined => {
      if (!known.has(key)) {
        return [`member "${m.name}" overrides.${key}`, value, `is not a prop of ${f.workload.kind}`,
          `override only ${f.workload.kind} props, e.g. image, env or resources`];
      }
      return f.workload.splitProps.includes(key)
        ? [`member "${m.name}" overrides.${key}`, value, 'is set by the replica split', 'set minReplicas / maxReplicas on the member instead']
        : undefined;
    });
  }),
  (f) => {
    const { minReplicas, maxReplicas } = f.workload;
    if (!f.workload.isAutoscaled() || (f.totalReplicas >= minReplicas && f.totalReplicas <= maxReplicas)) return undefined;
    return ['totalReplicas', f.totalReplicas,
      `must be between the workload's minReplicas (${minReplicas}) and maxReplicas (${maxReplicas}), which are totals across the members`,
      f.totalReplicas > maxReplicas ? `raise the workload's maxReplicas to at least ${f.totalReplicas} or lower totalReplicas`
        : `lower the workload's minReplicas to at most ${f.totalReplicas} or raise totalReplicas`];
  },
  (f) => (f.perCluster ? firstOf(f.members, (m) => (m.scope === undefined
    ? [`member "${m.name}" scope`, undefined, 'is required by the per-cluster backend, which renders each member\'s workload into it',
      'give every member the chart of its cluster']
    : undefined)) : undefined),
  (f) => (f.perCluster && f.applicationSetPath !== undefined && !f.applicationSetPath.includes('{{member}}')
    ? ['applicationSet.path', f.applicationSetPath, 'does not contain {{member}}, so every Application would sync the same folder',
      'use e.g. "production/{{member}}/api"']
    : undefined),
];

/** Throws every problem of the replica split at once (`<construct> '<id>': <problem>; <problem>`), as `splitReplicas` lists them. */
export function checkSplit(id: string, totalReplicas: number, members: readonly SplitMember[]): void {
  const problems = replicaSplitProblems(totalReplicas, members);
  if (problems.length > 0) throw new Error(`${FEDERATED_APP} '${id}': ${problems.join('; ')}`);
}

/** Throws the first rule a FederatedApp's props break, in the house message form. */
export function validateFederatedApp<O extends object, W extends IScalableWorkload & IConstruct>(id: string, facts: FederatedAppFacts<O, W>): void {
  checkRules(FEDERATED_APP, id, FEDERATED_APP_RULES as readonly RuleOf<FederatedAppFacts<O, W>>[], facts);
}
