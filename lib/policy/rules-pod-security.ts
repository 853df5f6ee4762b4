import { PodSecurityLevel } from './pod-security-level';
import { checkPodSecurity, POD_SECURITY_CHECKS, PodSecurityFinding, requiredPodSecurityLevel } from './pod-security';
import { OPT_OUTS_ANNOTATION } from './pod-security-level';
import { ENFORCE_LABEL, RuleFinding, joinPath, PolicyRule, RuleContext, RuleWorkload } from './rules-context';

const VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';

/** A workload's Pod Security findings: what its namespace's level forbids, and what only `restricted` adds to it. */
export interface WorkloadPodSecurity {
  /** Findings at the namespace's level (stated or assumed): errors. */
  readonly errors: readonly PodSecurityFinding[];
  /**
   * Findings only `restricted` forbids, where the namespace's level is assumed below it (no Namespace object in the
   * set states it): warnings. Empty where the level is stated, or assumed `restricted`.
   */
  readonly advice: readonly PodSecurityFinding[];
}

/** Whether one path is the other or contains it (`spec.volumes[0]` contains `spec.volumes[0].hostPath`). */
function overlaps(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}.`) || a.startsWith(`${b}.`);
}

/** The Pod Security findings of every workload, computed once per context. */
export function podSecurityOf(ctx: RuleContext): Map<RuleWorkload, WorkloadPodSecurity> {
  return ctx.memo('pss/findings', () => new Map(ctx.workloads.map((w) => {
    const { level, labelled } = ctx.levelOf(w.namespace);
    const pod = { spec: w.spec, metadata: w.metadata };
    const errors = checkPodSecurity(pod, level);
    // A restricted check that replaces a baseline one (restricted-volumes for host-path) names the same field: once is enough.
    const advice = labelled || level === PodSecurityLevel.RESTRICTED ? []
      : checkPodSecurity(pod, PodSecurityLevel.RESTRICTED).filter((f) => !errors.some((e) => overlaps(f.path, e.path)));
    return [w, { errors, advice }];
  })));
}

/** One rule per upstream check: pods must meet the level their namespace enforces (and hear what restricted adds). */
const CHECK_RULES: PolicyRule[] = POD_SECURITY_CHECKS.map((check) => ({
  id: `pss/${check.id}`,
  severity: 'error' as const,
  doc: `Pod Security ${check.level === PodSecurityLevel.BASELINE ? 'baseline (and restricted)' : 'restricted'}, in namespaces that enforce it: ${check.doc}.`,
  check: (ctx: RuleContext): RuleFinding[] => {
    const out: RuleFinding[] = [];
    for (const [w, { errors, advice }] of podSecurityOf(ctx)) {
      const { level, labelled } = ctx.levelOf(w.namespace);
      const where = labelled ? `namespace ${w.namespace} enforces ${level}` : `namespace ${w.namespace} is ${level} by default: no Namespace object in the set labels it`;
      const needed = check.level === PodSecurityLevel.BASELINE ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.BASELINE;
      for (const f of errors.filter((x) => x.check === check.id)) {
        out.push({
          obj: w.obj, path: joinPath(w.podPath, f.path),
          message: `${f.detail}, which Pod Security level ${check.level} forbids (${where}); ${f.fix}, or, if the workload truly needs it, ` +
            `run it in a namespace labelled ${ENFORCE_LABEL}=${needed} and annotate it ${OPT_OUTS_ANNOTATION}`,
        });
      }
      for (const f of advice.filter((x) => x.check === check.id)) {
        out.push({
          obj: w.obj, path: joinPath(w.podPath, f.path), severity: 'warning',
          message: `${f.detail}; only Pod Security level restricted forbids it, and namespace ${w.namespace} is checked at ${level} ` +
            `(no Namespace object in the set labels it): to meet restricted, ${f.fix}`,
        });
      }
    }
    return out;
  },
}));

/** Pod Security rules: one per upstream check, plus the namespace labels they depend on. */
export const POD_SECURITY_RULES: readonly PolicyRule[] = [
  {
    id: 'pss/namespace-level',
    severity: 'error',
    doc: `A Namespace's \`${ENFORCE_LABEL}\` label names a level (restricted, baseline, privileged) and its \`-version\` label a minor (\`v1.36\`) or \`latest\`.`,
    check: (ctx) => ctx.ofKind('Namespace').flatMap((ns) => {
      const labels = ns.metadata?.labels ?? {};
      const out: RuleFinding[] = [];
      for (const mode of ['enforce', 'warn', 'audit']) {
        const key = `pod-security.kubernetes.io/${mode}`;
        const level = labels[key];
        if (level !== undefined && !(Object.values(PodSecurityLevel) as string[]).includes(level)) {
          out.push({ obj: ns, path: `metadata.labels.${key}`, message: `label ${key}="${level}" is not a Pod Security level and admission rejects the Namespace; use restricted, baseline or privileged` });
        }
        const version = labels[`${key}-version`];
        if (version !== undefined && version !== 'latest' && !/^v1\.\d+$/.test(version)) {
          out.push({ obj: ns, path: `metadata.labels.${key}-version`, message: `label ${key}-version="${version}" is not a Kubernetes minor version; use the cluster's minor, e.g. "v1.36"` });
        }
      }
      return out;
    }),
  },
  {
    id: 'pss/namespace-labels',
    severity: 'warning',
    doc: `A Namespace states its Pod Security level (\`${ENFORCE_LABEL}\`) and pins it to the cluster's minor (\`${VERSION_LABEL}\`), not \`latest\`.`,
    check: (ctx) => ctx.ofKind('Namespace').flatMap((ns) => {
      const labels = ns.metadata?.labels ?? {};
      if (labels[ENFORCE_LABEL] === undefined) {
        return [{ obj: ns, path: 'metadata.labels', message: `has no ${ENFORCE_LABEL} label, so the cluster's default level applies (privileged unless configured) while fleetcraft checks its pods as ${ctx.defaultPodSecurity}; label it ${ENFORCE_LABEL}=${ctx.defaultPodSecurity}` }];
      }
      const version = labels[VERSION_LABEL];
      if (version === undefined || version === 'latest') {
        return [{ obj: ns, path: `metadata.labels.${VERSION_LABEL}`, message: `${version === undefined ? 'has no' : 'sets'} ${VERSION_LABEL}${version === undefined ? ' label' : '=latest'}, so a cluster upgrade can change what is admitted; pin it to the cluster's minor, e.g. ${VERSION_LABEL}=v1.36` }];
      }
      return [];
    }),
  },
  ...CHECK_RULES,
];

/** Whether a workload carries a non-empty reason annotation (on itself or its pod template). */
export function declaredReason(w: RuleWorkload): string | undefined {
  const own = w.obj.metadata?.annotations?.[OPT_OUTS_ANNOTATION];
  const pod = (w.metadata.annotations as Record<string, string> | undefined)?.[OPT_OUTS_ANNOTATION];
  const reason = [own, pod].find((r) => typeof r === 'string' && r.trim() !== '');
  return reason;
}

/** The level each workload's pods need, computed once per context. */
export function requiredLevels(ctx: RuleContext): Map<RuleWorkload, PodSecurityLevel> {
  return ctx.memo('pss/required', () => new Map(ctx.workloads.map((w) => [w, requiredPodSecurityLevel({ spec: w.spec, metadata: w.metadata })])));
}
