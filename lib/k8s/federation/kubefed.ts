import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IScalableWorkload } from '../autoscaled-service';
import { KUBEFED_KINDS, KubeFedFederatedResource, ReplicaSchedulingPreference } from '../resources/kubefed';
import { propError } from '../../private/errors';
import { FEDERATED_APP } from './rules';
import { templateShare } from './bounds';
import { checkFederable, FederationContext, renderMembers } from './context';
import { jsonDiff, objectKey, objectLabel, renderDetached, transplant } from './render';
import type { KubeObject } from '../../policy/objects';

/** What the KubeFed backend made. */
export interface KubeFedResult {
  /** The federated objects (FederatedDeployment, FederatedService, …), in the `FederatedApp`'s chart (the host cluster). */
  readonly federatedObjects: readonly KubeFedFederatedResource[];
  /** The ReplicaSchedulingPreference of the FederatedDeployment. */
  readonly replicaSchedulingPreference: ReplicaSchedulingPreference;
  /** By member: the objects KubeFed v0.8.1 has no federated type for, rendered into the member's scope. */
  readonly memberObjects: Readonly<Record<string, readonly ApiObject[]>>;
}

/** A rendered object as a federated template: everything but `apiVersion`, `kind` and the name and namespace. */
function templateOf(o: KubeObject): Record<string, unknown> {
  const body: Record<string, unknown> = { ...o };
  delete body.apiVersion;
  delete body.kind;
  delete body.metadata;
  const meta: Record<string, unknown> = { ...o.metadata };
  delete meta.name;
  delete meta.namespace;
  if (o.kind === 'Deployment' && typeof body.spec === 'object') {
    const spec = { ...(body.spec as Record<string, unknown>) };
    delete spec.replicas;
    body.spec = spec;
  }
  return Object.keys(meta).length > 0 ? { metadata: meta, ...body } : body;
}

/**
 * KubeFed (archived upstream): each object of a kind KubeFed v0.8.1 federates becomes a federated object in the
 * host cluster's chart (placement: the members that render it; overrides: each member's differences as JSON
 * patches), and the Deployment's ReplicaSchedulingPreference pins every member to its share. With an autoscaler the
 * FederatedDeployment sets `retainReplicas`, so the member's HPA keeps the count. Objects KubeFed cannot federate
 * (HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy, …) are rendered into each member's scope.
 */
export function renderKubeFed<O extends object, W extends IScalableWorkload & IConstruct>(ctx: FederationContext<O, W>): KubeFedResult {
  const share = templateShare(ctx.totalReplicas, ctx.deployed.map((m) => m.share));
  const base = renderDetached(ctx.scope, (s) => ctx.workload.build(s, ctx.id, { defaultName: ctx.name, share }));
  const members = renderMembers(ctx);
  checkFederable(ctx, 'kubefed', base, members);

  const memberObjects: Record<string, readonly ApiObject[]> = {};
  for (const m of ctx.deployed) {
    const rest = [...(members.get(m.name) as Map<string, KubeObject>).values()].filter((o) => !KUBEFED_KINDS[o.kind]);
    if (rest.length === 0) continue;
    if (m.scope === undefined) {
      throw propError(FEDERATED_APP, ctx.id, `member "${m.name}" scope`, undefined,
        `is required by the kubefed backend for what KubeFed v0.8.1 cannot federate (${rest.map(objectLabel).join(', ')})`,
        'give every member the chart of its cluster');
    }
    memberObjects[m.name] = transplant(new Construct(m.scope, ctx.id), rest);
  }

  const group = new Construct(ctx.scope, 'Federated');
  const federatedObjects: KubeFedFederatedResource[] = [];
  let deployment: KubeObject | undefined;
  for (const o of base.filter((b) => KUBEFED_KINDS[b.kind])) {
    const having = ctx.deployed.filter((m) => members.get(m.name)?.has(objectKey(o)));
    if (having.length === 0) continue;
    if (o.kind === 'Deployment') deployment = o;
    const overrides = having.flatMap((m) => {
      const ops = jsonDiff(o, members.get(m.name)?.get(objectKey(o)))
        .filter((op) => !(o.kind === 'Deployment' && op.path === '/spec/replicas'));
      return ops.length === 0 ? [] : [{ clusterName: m.name, clusterOverrides: ops.map((op) => ({ ...op })) }];
    });
    const scope = (group.node.tryFindChild(o.kind) as Construct | undefined) ?? new Construct(group, o.kind);
    federatedObjects.push(new KubeFedFederatedResource(scope, o.metadata?.name ?? o.kind, {
      kind: KUBEFED_KINDS[o.kind],
      metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace, labels: { ...o.metadata?.labels } },
      spec: {
        template: templateOf(o),
        placement: { clusters: having.map((m) => ({ name: m.name })) },
        ...(overrides.length > 0 ? { overrides } : {}),
        ...(o.kind === 'Deployment' && ctx.autoscaled ? { retainReplicas: true } : {}),
      },
    }));
  }

  const target = deployment as KubeObject;
  const replicaSchedulingPreference = new ReplicaSchedulingPreference(ctx.scope, 'ReplicaSchedulingPreference', {
    metadata: { name: target.metadata?.name, namespace: target.metadata?.namespace, labels: { ...ctx.labels } },
    spec: {
      targetKind: 'FederatedDeployment',
      totalReplicas: ctx.totalReplicas,
      rebalance: false,
      clusters: Object.fromEntries(ctx.deployed.map((m) => [m.name, { minReplicas: m.share.replicas, maxReplicas: m.share.replicas, weight: m.weight }])),
    },
  });
  return { federatedObjects, replicaSchedulingPreference, memberObjects };
}
