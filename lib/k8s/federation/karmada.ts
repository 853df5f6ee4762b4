import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IScalableWorkload } from '../autoscaled-service';
import { KarmadaResourceSelector, OverridePolicy, PropagationPolicy } from '../resources/karmada';
import { templateShare } from './bounds';
import { checkFederable, FederationContext, renderMembers } from './context';
import { jsonDiff, objectKey, PatchOp, renderSubtree } from './render';
import type { KubeObject } from '../../policy/objects';

/**
 * The label that makes Karmada keep the replica count a member cluster's autoscaler set, instead of writing the
 * template's share back on every sync.
 * @see https://karmada.io/docs/userguide/scheduling/resource-propagating
 */
export const KARMADA_RETAIN_REPLICAS_LABEL = 'resourcetemplate.karmada.io/retain-replicas';

/** What the Karmada backend made. */
export interface KarmadaResult<W> {
  /** The plain workload, in the `FederatedApp`'s chart (the Karmada control plane). */
  readonly template: W;
  /** The PropagationPolicies: `<name>` (objects every member gets), `<name>-workload` (the Deployment, divided), and one per object only some members get. */
  readonly propagationPolicies: readonly PropagationPolicy[];
  /** One OverridePolicy per object that differs in some member (`<object>-<kind>`). */
  readonly overridePolicies: readonly OverridePolicy[];
}

const selector = (o: KubeObject): KarmadaResourceSelector => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata?.name });
const policyName = (o: KubeObject): string => `${o.metadata?.name}-${o.kind.toLowerCase()}`;

/** The differences of a member's object from the template; the Deployment's replicas are Karmada's to divide. */
function memberOps(template: KubeObject, member: KubeObject): PatchOp[] {
  return jsonDiff(template, member).filter((op) => !(template.kind === 'Deployment' && op.path === '/spec/replicas'));
}

/**
 * Karmada: the plain workload in the control plane, a PropagationPolicy dividing the Deployment's replicas with
 * static weights equal to each member's share (so Karmada reproduces the monotone split exactly, whatever its own
 * remainder rule), PropagationPolicies for everything else, and OverridePolicies for per-member differences
 * (autoscaler bounds and overrides), as plaintext JSON patches.
 */
export function renderKarmada<O extends object, W extends IScalableWorkload & IConstruct>(ctx: FederationContext<O, W>): KarmadaResult<W> {
  const share = templateShare(ctx.totalReplicas, ctx.deployed.map((m) => m.share));
  const template = ctx.workload.build(ctx.scope, 'Resource', { defaultName: ctx.name, share });
  const base = renderSubtree(template);
  const members = renderMembers(ctx);
  checkFederable(ctx, 'karmada', base, members);

  const deploymentObject = template.node.findAll().filter(ApiObject.isApiObject).find((o) => o.kind === 'Deployment') as ApiObject;
  deploymentObject.addJsonPatch(JsonPatch.add('/spec/replicas', ctx.totalReplicas));
  if (ctx.autoscaled) deploymentObject.metadata.addLabel(KARMADA_RETAIN_REPLICAS_LABEL, 'true');

  const meta = (name: string) => ({ name, namespace: ctx.namespace, labels: { ...ctx.labels } });
  const allMembers = ctx.deployed.map((m) => m.name);
  const everywhere: KubeObject[] = [];
  const partial: Array<{ object: KubeObject; clusters: string[] }> = [];
  let deployment: KubeObject | undefined;
  for (const o of base) {
    const having = ctx.deployed.filter((m) => members.get(m.name)?.has(objectKey(o))).map((m) => m.name);
    if (o.kind === 'Deployment') deployment = o;
    else if (having.length === allMembers.length) everywhere.push(o);
    else if (having.length > 0) partial.push({ object: o, clusters: having });
  }

  const policies = new Construct(ctx.scope, 'PropagationPolicies');
  const propagationPolicies: PropagationPolicy[] = [];
  if (everywhere.length > 0) {
    propagationPolicies.push(new PropagationPolicy(policies, 'Everywhere', {
      metadata: meta(ctx.name),
      spec: { resourceSelectors: everywhere.map(selector), placement: { clusterAffinity: { clusterNames: allMembers } } },
    }));
  }
  propagationPolicies.push(new PropagationPolicy(policies, 'Workload', {
    metadata: meta(`${ctx.name}-workload`),
    spec: {
      resourceSelectors: [selector(deployment as KubeObject)],
      placement: {
        clusterAffinity: { clusterNames: allMembers },
        replicaScheduling: {
          replicaSchedulingType: 'Divided',
          replicaDivisionPreference: 'Weighted',
          weightPreference: { staticWeightList: ctx.deployed.map((m) => ({ targetCluster: { clusterNames: [m.name] }, weight: m.share.replicas })) },
        },
      },
    },
  }));
  const partialScope = partial.length > 0 ? new Construct(policies, 'Partial') : undefined;
  for (const p of partial) {
    propagationPolicies.push(new PropagationPolicy(partialScope as Construct, policyName(p.object), {
      metadata: meta(policyName(p.object)),
      spec: { resourceSelectors: [selector(p.object)], placement: { clusterAffinity: { clusterNames: p.clusters } } },
    }));
  }

  const overridePolicies: OverridePolicy[] = [];
  const overrides = new Construct(ctx.scope, 'OverridePolicies');
  for (const o of base) {
    const rules = ctx.deployed.flatMap((m) => {
      const mine = members.get(m.name)?.get(objectKey(o));
      const ops = mine ? memberOps(o, mine) : [];
      return ops.length === 0 ? [] : [{
        targetCluster: { clusterNames: [m.name] },
        overriders: { plaintext: ops.map((op) => ({ operator: op.op, path: op.path, ...('value' in op ? { value: op.value } : {}) })) },
      }];
    });
    if (rules.length === 0) continue;
    overridePolicies.push(new OverridePolicy(overrides, policyName(o), {
      metadata: meta(policyName(o)),
      spec: { resourceSelectors: [selector(o)], overrideRules: rules },
    }));
  }
  return { template, propagationPolicies, overridePolicies };
}
