import { Construct, IConstruct } from 'constructs';
import type { IScalableWorkload } from '../autoscaled-service';
import type { FederatedShare, IFederatedWorkload } from './workload';
import type { KubeObject } from '../../policy/objects';
import { propError } from '../../private/errors';
import { FEDERATED_APP } from './rules';
import { objectKey, objectLabel, renderDetached } from './render';

/** One member with its share, as the backends see it. */
export interface FederationMemberPlan<O extends object> {
  readonly name: string;
  readonly weight: number;
  readonly overrides?: O;
  readonly scope?: Construct;
  readonly share: FederatedShare;
}

/** Everything a backend renders from, validated. */
export interface FederationContext<O extends object, W extends IScalableWorkload & IConstruct> {
  /** The `FederatedApp` (host objects go here). */
  readonly scope: Construct;
  readonly id: string;
  /** The workload's name (its props' `name`, else the id). */
  readonly name: string;
  readonly namespace?: string;
  /** Labels of the federation's own objects. */
  readonly labels: Readonly<Record<string, string>>;
  readonly workload: IFederatedWorkload<O, W>;
  readonly totalReplicas: number;
  /** Whether an autoscaler owns the template's replica count. */
  readonly autoscaled: boolean;
  /** Members whose share is at least 1, in the members' order. */
  readonly deployed: readonly FederationMemberPlan<O>[];
}

/** Builds a member's copy of the workload, prefixing any refusal with the federation and the member. */
export function buildMember<O extends object, W extends IScalableWorkload & IConstruct>(ctx: FederationContext<O, W>, scope: Construct,
  member: FederationMemberPlan<O>): W {
  try {
    return ctx.workload.build(scope, ctx.id, { defaultName: ctx.name, share: member.share, overrides: member.overrides });
  } catch (e) {
    throw new Error(`${FEDERATED_APP} '${ctx.id}': member "${member.name}": ${(e as Error).message}`);
  }
}

/** Renders each deployed member's copy detached, keyed by object identity. */
export function renderMembers<O extends object, W extends IScalableWorkload & IConstruct>(ctx: FederationContext<O, W>): Map<string, Map<string, KubeObject>> {
  const out = new Map<string, Map<string, KubeObject>>();
  for (const m of ctx.deployed) {
    const objects = renderDetached(ctx.scope, (s) => buildMember(ctx, s, m));
    out.set(m.name, new Map(objects.map((o) => [objectKey(o), o])));
  }
  return out;
}

/**
 * Refuses members whose overrides render objects the template lacks (a federation propagates one template per
 * object), and a template with other than one Deployment (the replica division targets exactly one).
 */
export function checkFederable<O extends object, W extends IScalableWorkload & IConstruct>(ctx: FederationContext<O, W>, backend: string,
  template: readonly KubeObject[], members: Map<string, Map<string, KubeObject>>): void {
  const deployments = template.filter((o) => o.kind === 'Deployment');
  if (deployments.length !== 1) {
    throw propError(FEDERATED_APP, ctx.id, 'workload', deployments.map(objectLabel),
      `renders ${deployments.length} Deployments, but the ${backend} backend divides the replicas of exactly one`,
      'use a rolling update (RolloutStrategy.rollingUpdate()) or FederationBackend.perCluster()');
  }
  const keys = new Set(template.map(objectKey));
  for (const m of ctx.deployed) {
    const extra = [...(members.get(m.name) as Map<string, KubeObject>).entries()].filter(([k]) => !keys.has(k)).map(([, o]) => objectLabel(o));
    if (extra.length > 0) {
      throw propError(FEDERATED_APP, ctx.id, `member "${m.name}" overrides`, Object.keys(m.overrides ?? {}),
        `render ${extra.join(', ')}, which the federation's template does not have, and the ${backend} backend propagates one template per object`,
        'set those props on the workload for every member, or use FederationBackend.perCluster()');
    }
  }
}
