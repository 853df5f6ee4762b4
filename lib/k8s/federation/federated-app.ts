import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AutoscaledService, AutoscaledServiceProps, IScalableWorkload } from '../autoscaled-service';
import { renderKarmada } from './karmada';
import { renderKubeFed } from './kubefed';
import { renderPerCluster } from './per-cluster';
import { FederatedShare } from './workload';
import { ArgoApplicationSet } from '../resources/argocd';
import { OverridePolicy, PropagationPolicy } from '../resources/karmada';
import { KubeFedFederatedResource, ReplicaSchedulingPreference } from '../resources/kubefed';
import { guardProps } from '../../private/prop-guard';
import { checkSplit, FEDERATED_APP, validateFederatedApp } from './rules';
import { FEDERATED_APP_PROP_SHAPES } from './props-shape';
import { FederatedAppProps, FederationBackend, FederationBackendType } from './props';
import { federatedBounds } from './bounds';
import { FederationContext, FederationMemberPlan } from './context';
import { standardLabels } from '../../private/labels';
import { enablePolicyChecks } from '../../policy/app-checks';

export * from './props';

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
  /** Which backend carries the workload (`props.backend`, per-cluster by default). */
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
    guardProps(FEDERATED_APP, id, props, FEDERATED_APP_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    const { workload, totalReplicas, members } = props;
    const backend = props.backend ?? FederationBackend.perCluster();
    checkSplit(id, totalReplicas, members);
    const perCluster = backend.type === FederationBackendType.PER_CLUSTER;
    validateFederatedApp(id, { workload, totalReplicas, members, perCluster, applicationSetPath: backend.perClusterOptions.applicationSet?.path });
    const overrides = members.map((m) => withoutUndefined(m.overrides));
    const autoscaled = workload.isAutoscaled();

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
        const out = renderPerCluster(ctx, backend.perClusterOptions);
        this.memberWorkloads = out.memberWorkloads;
        this.applicationSet = out.applicationSet;
      }
    }
  }
}

/** A member's overrides without the keys set to `undefined` (which would unset the workload's props). */
function withoutUndefined<O extends object>(overrides: O | undefined): O | undefined {
  if (overrides === undefined) return undefined;
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as O;
}
