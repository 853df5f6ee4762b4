import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AutoscaledService, AutoscaledServiceProps, IScalableWorkload } from '../autoscaled-service';
import { renderKarmada } from './karmada';
import { renderKubeFed } from './kubefed';
import { checkPerCluster, PerClusterOptions, renderPerCluster } from './per-cluster';
import { FederatedShare, IFederatedWorkload } from './workload';
import { replicaSplitProblems } from './replica-split';
import { ArgoApplicationSet } from '../resources/argocd';
import { OverridePolicy, PropagationPolicy } from '../resources/karmada';
import { KubeFedFederatedResource, ReplicaSchedulingPreference } from '../resources/kubefed';
import { propError } from '../../private/errors';
import { federatedBounds } from './bounds';
import { FederationContext, FederationMemberPlan } from './context';
import { standardLabels } from '../../private/labels';

/** Which mechanism carries a `FederatedApp` to its member clusters. */
export enum FederationBackendType {
  /** One copy per member cluster, rendered into that member's chart; no federation control plane. */
  PER_CLUSTER = 'per-cluster',
  /** KubeFed federated types and a ReplicaSchedulingPreference in the host cluster (KubeFed is archived upstream). */
  KUBEFED = 'kubefed',
  /** The plain workload in the Karmada control plane, with PropagationPolicies and OverridePolicies. */
  KARMADA = 'karmada',
}

/**
 * How a `FederatedApp` reaches its member clusters. A value class: build it with the static factories.
 */
export class FederationBackend {
  /**
   * One copy of the workload in each member's scope (usually the chart of that member's cluster), with its share;
   * optionally an Argo CD ApplicationSet over the members. Needs no federation control plane.
   */
  public static perCluster(options: PerClusterOptions = {}): FederationBackend {
    return new FederationBackend(FederationBackendType.PER_CLUSTER, options);
  }

  /**
   * KubeFed v0.8.1: FederatedDeployment, FederatedService (and the other federated kinds the workload needs) and a
   * ReplicaSchedulingPreference in the host cluster's chart (the `FederatedApp`'s). KubeFed is **archived upstream**
   * (kubernetes-retired/kubefed): use it only where it already runs; prefer `karmada()` or `perCluster()`.
   * Objects KubeFed has no federated type for (HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy, …) are
   * rendered into each member's scope, which members then need.
   * @see https://github.com/kubernetes-retired/kubefed
   */
  public static kubefed(): FederationBackend {
    return new FederationBackend(FederationBackendType.KUBEFED, {});
  }

  /**
   * Karmada: the plain workload in the `FederatedApp`'s chart (the Karmada control plane), a PropagationPolicy
   * dividing its replicas by weight, and OverridePolicies for each member's autoscaler bounds and overrides.
   * @see https://karmada.io/docs/userguide/scheduling/resource-propagating
   */
  public static karmada(): FederationBackend {
    return new FederationBackend(FederationBackendType.KARMADA, {});
  }

  private constructor(
    /** Which backend. */
    public readonly type: FederationBackendType,
    /** Options of the per-cluster backend. */
    public readonly perClusterOptions: PerClusterOptions,
  ) {}
}

/** A member cluster (or region) of a `FederatedApp`. */
export interface FederatedMember<O extends object = Partial<AutoscaledServiceProps>> {
  /** The member's name: the cluster as Argo CD, KubeFed or Karmada knows it. Unique. */
  readonly name: string;
  /** Its relative share of the replicas; a positive integer. */
  readonly weight: number;
  /**
   * Fewest replicas this member gets (also a floor for its autoscaler's bounds).
   * @default 0
   */
  readonly minReplicas?: number;
  /**
   * Most replicas this member gets (also a ceiling for its autoscaler's bounds).
   * @default - unbounded
   */
  readonly maxReplicas?: number;
  /**
   * Props of the workload that differ in this member (image, env, resources, … any prop but the replica bounds,
   * which the split sets).
   * @default - none: the member runs the workload as given
   */
  readonly overrides?: O;
  /**
   * Where this member's objects go: usually the chart of the member's cluster. Required by the per-cluster
   * backend, and by KubeFed for the objects it cannot federate.
   * @default - none
   */
  readonly scope?: Construct;
}

/** Props for {@link FederatedApp}. */
export interface FederatedAppProps<O extends object = Partial<AutoscaledServiceProps>, W extends IScalableWorkload & IConstruct = AutoscaledService> {
  /** The workload to spread, e.g. `FederatedWorkload.autoscaledService({...})`. */
  readonly workload: IFederatedWorkload<O, W>;
  /** Replicas across all members, split by weight. For an autoscaled workload, between its minReplicas and maxReplicas. */
  readonly totalReplicas: number;
  /** The member clusters; at least one, unique names. */
  readonly members: readonly FederatedMember<O>[];
  /**
   * How the workload reaches the members.
   * @default FederationBackend.perCluster()
   */
  readonly backend?: FederationBackend;
}

/**
 * One workload across several clusters or regions, with `totalReplicas` split by weight.
 *
 * **The split.** `totalReplicas` is split with `splitReplicas` (a bounded Sainte-Laguë divisor method: exact,
 * within each member's `minReplicas`/`maxReplicas`, deterministic, and monotone: raising the total never lowers a
 * member's share). 45 over weights 3:2:1 gives 23, 15 and 7.
 *
 * **Autoscaler bounds.** For an autoscaled workload, its `minReplicas` and `maxReplicas` are totals across the
 * members, and `totalReplicas` must lie between them. Both totals are first clamped into what the members' bounds
 * allow and to either side of `totalReplicas` (`min' = min(total, max(min, Σ member minimums))`,
 * `max' = max(total, min(max, Σ member maximums))`), then split with the same method, weights and member bounds.
 * Because the split is monotone, each member's share of `min'` ≤ its share of `totalReplicas` ≤ its share of `max'`.
 * A member's autoscaler gets `minReplicas` = its share of `min'` raised to 1, and `maxReplicas` = its share of
 * `max'`. A fixed-size member (no autoscaler) runs exactly its share. **A member whose share is 0 runs nothing**:
 * no objects in its scope, no placement, no Application; raise its weight or `minReplicas` to give it replicas.
 *
 * **Backends.** See {@link FederationBackend}: per-cluster rendering (default), KubeFed (archived upstream), Karmada.
 *
 * @see https://karmada.io/docs/userguide/scheduling/resource-propagating
 */
export class FederatedApp<O extends object = Partial<AutoscaledServiceProps>, W extends IScalableWorkload & IConstruct = AutoscaledService> extends Construct {
  /** The workload's name (its props' `name`, else the construct id). */
  public readonly name: string;
  /** The backend used. */
  public readonly backend: FederationBackendType;
  /** Each member's share of `totalReplicas`, keyed by member name, in the members' order. */
  public readonly split: Readonly<Record<string, number>>;
  /** Each member's share and autoscaler bounds, keyed by member name. */
  public readonly shares: Readonly<Record<string, FederatedShare>>;
  /** Per-cluster: the workload built in each member's scope (members with a share only). */
  public readonly memberWorkloads: Readonly<Record<string, W>>;
  /** Per-cluster: the Argo CD ApplicationSet, if asked for. */
  public readonly applicationSet?: ArgoApplicationSet;
  /** Karmada: the plain workload in this construct's chart. */
  public readonly template?: W;
  /** Karmada: the PropagationPolicies. */
  public readonly propagationPolicies: readonly PropagationPolicy[];
  /** Karmada: the OverridePolicies. */
  public readonly overridePolicies: readonly OverridePolicy[];
  /** KubeFed: the federated objects. */
  public readonly federatedObjects: readonly KubeFedFederatedResource[];
  /** KubeFed: the ReplicaSchedulingPreference. */
  public readonly replicaSchedulingPreference?: ReplicaSchedulingPreference;
  /** KubeFed: what it cannot federate, rendered into each member's scope. */
  public readonly memberObjects: Readonly<Record<string, readonly ApiObject[]>>;

  constructor(scope: Construct, id: string, props: FederatedAppProps<O, W>) {
    super(scope, id);
    const { workload, totalReplicas, members } = props;
    const backend = props.backend ?? FederationBackend.perCluster();
    const problems = replicaSplitProblems(totalReplicas, members);
    if (problems.length > 0) throw new Error(`FederatedApp '${id}': ${problems.join('; ')}`);
    const overrides = members.map((m) => checkOverrides(id, workload, m));
    const autoscaled = workload.isAutoscaled();
    if (autoscaled && (totalReplicas < workload.minReplicas || totalReplicas > workload.maxReplicas)) {
      throw propError('FederatedApp', id, 'totalReplicas', totalReplicas,
        `must be between the workload's minReplicas (${workload.minReplicas}) and maxReplicas (${workload.maxReplicas}), which are totals across the members`,
        totalReplicas > workload.maxReplicas ? `raise the workload's maxReplicas to at least ${totalReplicas} or lower totalReplicas`
          : `lower the workload's minReplicas to at most ${totalReplicas} or raise totalReplicas`);
    }

    const bounds = federatedBounds(totalReplicas, members, members.map((_, i) => workload.isAutoscaled(overrides[i])), workload.minReplicas, workload.maxReplicas);
    const plans: FederationMemberPlan<O>[] = members.map((m, i) => ({ name: m.name, weight: m.weight, overrides: overrides[i], scope: m.scope, share: bounds[i] }));
    this.name = workload.name ?? id;
    this.backend = backend.type;
    this.split = Object.fromEntries(plans.map((p) => [p.name, p.share.replicas]));
    this.shares = Object.fromEntries(plans.map((p) => [p.name, p.share]));
    const ctx: FederationContext<O, W> = {
      scope: this,
      id,
      name: this.name,
      namespace: workload.namespace ?? Chart.of(this).namespace,
      labels: standardLabels({ name: this.name, instance: this.name, component: 'federation', partOf: workload.partOf }),
      workload,
      totalReplicas,
      autoscaled,
      deployed: plans.filter((p) => p.share.replicas > 0),
    };

    this.memberWorkloads = {};
    this.propagationPolicies = [];
    this.overridePolicies = [];
    this.federatedObjects = [];
    this.memberObjects = {};
    switch (backend.type) {
      case FederationBackendType.KARMADA: {
        const out = renderKarmada(ctx);
        this.template = out.template;
        this.propagationPolicies = out.propagationPolicies;
        this.overridePolicies = out.overridePolicies;
        break;
      }
      case FederationBackendType.KUBEFED: {
        const out = renderKubeFed(ctx);
        this.federatedObjects = out.federatedObjects;
        this.replicaSchedulingPreference = out.replicaSchedulingPreference;
        this.memberObjects = out.memberObjects;
        break;
      }
      default: {
        checkPerCluster(ctx, members, backend.perClusterOptions);
        const out = renderPerCluster(ctx, backend.perClusterOptions);
        this.memberWorkloads = out.memberWorkloads;
        this.applicationSet = out.applicationSet;
      }
    }
  }
}

/** Refuses overrides of props the workload does not have, or that the split sets; drops keys set to `undefined`. */
function checkOverrides<O extends object, W extends IScalableWorkload & IConstruct>(id: string, workload: IFederatedWorkload<O, W>, member: FederatedMember<O>): O | undefined {
  if (member.overrides === undefined) return undefined;
  const known = new Set(workload.overridableProps);
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(member.overrides)) {
    if (!known.has(key)) {
      throw propError('FederatedApp', id, `member "${member.name}" overrides.${key}`, value, `is not a prop of ${workload.kind}`,
        `override only ${workload.kind} props, e.g. image, env or resources`);
    }
    if (workload.splitProps.includes(key)) {
      throw propError('FederatedApp', id, `member "${member.name}" overrides.${key}`, value, 'is set by the replica split',
        'set minReplicas / maxReplicas on the member instead');
    }
    if (value !== undefined) kept[key] = value;
  }
  return kept as O;
}
