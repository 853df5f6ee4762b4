import { OPT_OUTS_ANNOTATION, PodSecurityLevel } from './pod-security-level';
import { describeObject, KubeObject } from './objects';
import { checkPodSecurity } from './pod-security';
import { asList, asObject, RuleFinding, namespaceOf, PolicyRule, RuleContext } from './rules-context';
import { declaredReason, podSecurityOf, requiredLevels } from './rules-pod-security';

/** Whether a NetworkPolicy selects every pod and denies one direction (no rules for it). */
function denies(policy: KubeObject, direction: 'Ingress' | 'Egress'): boolean {
  const spec = asObject(policy.spec);
  const selector = asObject(spec.podSelector);
  const selectsAll = Object.keys(asObject(selector.matchLabels)).length === 0 && asList(selector.matchExpressions).length === 0;
  const rules = asList(spec[direction === 'Ingress' ? 'ingress' : 'egress']);
  const types = spec.policyTypes === undefined
    ? ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])]
    : asList(spec.policyTypes).map(String);
  return selectsAll && types.includes(direction) && rules.length === 0;
}

function defaultDeny(ctx: RuleContext): RuleFinding[] {
  const policies = ctx.ofKind('NetworkPolicy').filter((p) => p.apiVersion === 'networking.k8s.io/v1');
  const out: RuleFinding[] = [];
  const seen = new Set<string>();
  for (const w of ctx.workloads) {
    // NetworkPolicies do not apply to host-network pods, and KubeFed templates run in other clusters.
    if (!w.local || w.spec.hostNetwork === true || seen.has(w.namespace)) continue;
    seen.add(w.namespace);
    const here = policies.filter((p) => namespaceOf(p) === w.namespace);
    const missing = (['Ingress', 'Egress'] as const).filter((d) => !here.some((p) => denies(p, d)));
    if (missing.length === 0) continue;
    const ns = ctx.namespaces.get(w.namespace);
    out.push({
      obj: ns ?? w.obj, path: '(root)',
      message: `namespace ${w.namespace} runs pods (${describeObject(w.obj)}) but no NetworkPolicy there denies all ${missing.join(' and ')} traffic by default; ` +
        'add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules (NamespaceBaseline does), then allow what each workload needs',
    });
  }
  return out;
}

/** Security rules: network isolation, no literal secrets, declared privilege. */
export const SECURITY_RULES: readonly PolicyRule[] = [
  {
    id: 'security/default-deny',
    severity: 'error',
    doc: 'Every namespace that runs pods has a NetworkPolicy selecting all pods that denies all ingress and egress.',
    check: defaultDeny,
  },
  {
    id: 'security/secret-data',
    severity: 'error',
    doc: 'No Secret carries literal `data` or `stringData`: secrets arrive through External Secrets or the Pulumi program.',
    check: (ctx) => ctx.ofKind('Secret').flatMap((s) => {
      const keys = [...Object.keys(asObject(s.data)), ...Object.keys(asObject(s.stringData))];
      if (keys.length === 0) return [];
      return [{
        obj: s, path: Object.keys(asObject(s.data)).length ? 'data' : 'stringData',
        message: `carries literal secret values (keys: ${[...new Set(keys)].sort().join(', ')}), which would be committed to Git; ` +
          'deliver them through an ExternalSecret or the Pulumi program instead',
      }];
    }),
  },
  {
    id: 'security/declared-privilege',
    severity: 'error',
    doc: `A workload whose pods need more than restricted (hostPath, host namespaces, privileged, added capabilities, root, …) and that a namespace labelled for it admits records why in the \`${OPT_OUTS_ANNOTATION}\` annotation.`,
    check: (ctx) => {
      const out: RuleFinding[] = [];
      const pss = podSecurityOf(ctx);
      for (const [w, level] of requiredLevels(ctx)) {
        if (level === PodSecurityLevel.RESTRICTED || declaredReason(w) !== undefined) continue;
        const ns = ctx.levelOf(w.namespace);
        // Where the namespace refuses the pods, its pss/* errors say so already; where its level is only assumed, the
        // restricted-only findings are warnings that name every opt-out. This rule is for exceptions someone labelled.
        if (!ns.labelled || (pss.get(w)?.errors.length ?? 0) > 0) continue;
        const needs = [...new Set(checkPodSecurity({ spec: w.spec, metadata: w.metadata }, PodSecurityLevel.RESTRICTED).map((f) => `pss/${f.check}`))];
        out.push({
          obj: w.obj, path: 'metadata.annotations',
          message: `its pods need Pod Security level ${level} (${needs.join(', ')}), which namespace ${w.namespace} admits (it enforces ${ns.level}), but it declares no reason; ` +
            `make it meet restricted, or annotate it ${OPT_OUTS_ANNOTATION}: "<what it opts out of>: <why>" so audits see the exception`,
        });
      }
      return out;
    },
  },
];
