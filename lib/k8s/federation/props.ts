import type { Construct, IConstruct } from 'constructs';
import type { AutoscaledService, AutoscaledServiceProps, IScalableWorkload } from '../autoscaled-service';
import { guardProps } from '../../private/prop-guard';
import { FEDERATION_BACKEND } from './rules';
import { PER_CLUSTER_OPTIONS_SHAPES, PerClusterOptions } from './per-cluster';
import type { IFederatedWorkload } from './workload';

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
    guardProps(FEDERATION_BACKEND, 'perCluster', options, PER_CLUSTER_OPTIONS_SHAPES, true);
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
    public readonly type: FederationBackendType,
    /** The per-cluster backend's options; `{}` for the others. */
    public readonly perClusterOptions: PerClusterOptions,
  ) {}
}

/** A member cluster (or region) of a `FederatedApp`. */
export interface FederatedMember<O extends object = Partial<AutoscaledServiceProps>> {
  /** The cluster as Argo CD, KubeFed or Karmada knows it (a DNS-1123 label); unique among the members. */
  readonly name: string;
  /** Its relative share of the replicas; a whole number from 1 to 1,000,000. */
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
