import { describeObject } from './objects';
import { SKIP_RULES_ANNOTATION, skippedRules } from './skip-rules';
import { asObject, formatSelector, namespaceOf, PolicyRule, RuleContext, selectorMatches, RuleWorkload } from './rules-context';

/** Local workloads of a namespace, described for messages. */
function workloadsIn(ctx: RuleContext, namespace: string): RuleWorkload[] {
  return ctx.workloads.filter((w) => w.local && w.namespace === namespace);
}

function nearby(ctx: RuleContext, namespace: string): string {
  const here = workloadsIn(ctx, namespace);
  if (here.length === 0) return `no workload in the set runs in namespace ${namespace}`;
  return `pod labels there: ${here.slice(0, 3).map((w) => `${describeObject(w.obj)} {${Object.keys(w.labels).length ? formatSelector(w.labels) : ''}}`).join('; ')}${here.length > 3 ? '; …' : ''}`;
}

/** Integrity rules: references between objects resolve inside the set. */
export const INTEGRITY_RULES: readonly PolicyRule[] = [
  {
    id: 'integrity/service-selector',
    severity: 'error',
    doc: 'Every Service selector matches the pod labels of a workload in the set (same namespace).',
    check: (ctx) => ctx.ofKind('Service').flatMap((svc) => {
      const spec = asObject(svc.spec);
      const selector = asObject(spec.selector) as Record<string, string>;
      if (spec.type === 'ExternalName' || Object.keys(selector).length === 0) return [];
      const ns = namespaceOf(svc);
      if (workloadsIn(ctx, ns).some((w) => Object.entries(selector).every(([k, v]) => w.labels[k] === v))) return [];
      return [{
        obj: svc, path: 'spec.selector',
        message: `selector ${formatSelector(selector)} matches no pod template in the set (${nearby(ctx, ns)}); fix the selector or the pod labels, or the Service routes to nothing`,
      }];
    }),
  },
  {
    id: 'integrity/pdb-selector',
    severity: 'error',
    doc: 'Every PodDisruptionBudget selector matches the pod labels of a workload in the set (same namespace; a KubeFed template counts).',
    check: (ctx) => ctx.ofKind('PodDisruptionBudget').flatMap((pdb) => {
      const selector = asObject(pdb.spec).selector;
      const ns = namespaceOf(pdb);
      // KubeFed templates count: the member cluster runs their pods.
      if (ctx.workloads.some((w) => w.namespace === ns && selectorMatches(selector, w.labels))) return [];
      const what = selector === undefined ? 'has no selector, so it' : `selector ${formatSelector(selector)}`;
      return [{
        obj: pdb, path: 'spec.selector',
        message: `${what} matches no pod template in the set (${nearby(ctx, ns)}); fix the selector so the budget protects the pods it was written for`,
      }];
    }),
  },
  {
    id: 'integrity/autoscaler-target',
    severity: 'error',
    doc: 'Every HorizontalPodAutoscaler and KEDA ScaledObject targets a workload in the set (kind, name and namespace; a KubeFed `Federated<Kind>` counts).',
    check: (ctx) => ctx.autoscalers.flatMap((a) => {
      const target = ctx.workloads.find((w) => w.namespace === a.namespace && w.kind === a.targetKind && w.name === a.targetName);
      if (target && target.scalable) {
        const group = a.targetApiVersion?.includes('/') ? a.targetApiVersion.split('/')[0] : undefined;
        const actual = target.obj.apiVersion.includes('/') ? target.obj.apiVersion.split('/')[0] : '';
        if (a.targetApiVersion === undefined || group === actual) return [];
        return [{ obj: a.obj, path: 'spec.scaleTargetRef.apiVersion', message: `targets ${a.targetApiVersion} ${a.targetKind} ${a.targetName} but the workload is ${target.obj.apiVersion}; use apiVersion ${target.obj.apiVersion}` }];
      }
      // A KubeFed template (FederatedDeployment) creates the target in the member cluster.
      if (ctx.workloads.some((w) => !w.local && w.kind === `Federated${a.targetKind}` && w.namespace === a.namespace && w.name === a.targetName)) return [];
      const sameName = ctx.workloads.filter((w) => w.namespace === a.namespace && w.name === a.targetName).map((w) => describeObject(w.obj));
      const hint = target ? `${target.kind} cannot be scaled` : sameName.length ? `the set has ${sameName.join(', ')}: fix scaleTargetRef.kind` : 'fix scaleTargetRef.name or add the workload';
      return [{
        obj: a.obj, path: 'spec.scaleTargetRef',
        message: `targets ${a.targetKind} ${a.namespace}/${a.targetName}, which is not a scalable workload in the set; ${hint}`,
      }];
    }),
  },
  {
    id: 'integrity/statefulset-service',
    severity: 'error',
    doc: 'A StatefulSet\'s `serviceName` names a headless Service (clusterIP: None) in the set (same namespace).',
    check: (ctx) => ctx.ofKind('StatefulSet').flatMap((sts) => {
      const serviceName = asObject(sts.spec).serviceName;
      if (typeof serviceName !== 'string' || serviceName === '') return [];
      const ns = namespaceOf(sts);
      const svc = ctx.ofKind('Service').find((s) => namespaceOf(s) === ns && s.metadata?.name === serviceName);
      if (!svc) {
        return [{ obj: sts, path: 'spec.serviceName', message: `names Service ${ns}/${serviceName}, which is not in the set, so its pods get no stable DNS names; add a headless Service (clusterIP: None) with that name` }];
      }
      if (asObject(svc.spec).clusterIP !== 'None') {
        return [{ obj: sts, path: 'spec.serviceName', message: `names ${describeObject(svc)}, which is not headless, so its pods get no stable DNS names; set clusterIP: None on it (or name a headless Service)` }];
      }
      return [];
    }),
  },
  {
    id: 'integrity/skip-rules',
    severity: 'error',
    doc: `A \`${SKIP_RULES_ANNOTATION}\` annotation names known rules, one \`<rule id>: <reason>\` per line, each with a reason.`,
    check: (ctx) => ctx.objects.flatMap((obj) => skippedRules(obj).problems.map((problem) => ({
      obj, path: `metadata.annotations.${SKIP_RULES_ANNOTATION}`, message: problem,
    }))),
  },
];
