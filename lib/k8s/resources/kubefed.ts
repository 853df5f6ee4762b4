import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 classes for the KubeFed custom resources fleetcraft emits: federated types (`types.kubefed.io/v1beta1`)
 * and the ReplicaSchedulingPreference (`scheduling.kubefed.io/v1alpha1`). Checked against the KubeFed v0.8.1 CRDs
 * in tests.
 *
 * KubeFed is archived upstream (kubernetes-retired/kubefed, no release since v0.10): these classes exist for
 * clusters that still run it; prefer Karmada or per-cluster rendering for new work.
 * @see https://github.com/kubernetes-retired/kubefed/blob/master/docs/userguide.md
 */

/**
 * The federated kinds KubeFed v0.8.1 installs by default (`kubefedctl enable` can add others, with CRDs of their own).
 * Values are the exact `kind` strings.
 */
export enum KubeFedKind {
  CLUSTER_ROLE = 'FederatedClusterRole',
  CONFIG_MAP = 'FederatedConfigMap',
  DEPLOYMENT = 'FederatedDeployment',
  INGRESS = 'FederatedIngress',
  JOB = 'FederatedJob',
  NAMESPACE = 'FederatedNamespace',
  REPLICA_SET = 'FederatedReplicaSet',
  SECRET = 'FederatedSecret',
  SERVICE_ACCOUNT = 'FederatedServiceAccount',
  SERVICE = 'FederatedService',
}

/** The federated kind of each Kubernetes kind KubeFed v0.8.1 federates by default, keyed by the target's kind. */
export const KUBEFED_KINDS: Readonly<Record<string, KubeFedKind>> = {
  ClusterRole: KubeFedKind.CLUSTER_ROLE,
  ConfigMap: KubeFedKind.CONFIG_MAP,
  Deployment: KubeFedKind.DEPLOYMENT,
  Ingress: KubeFedKind.INGRESS,
  Job: KubeFedKind.JOB,
  Namespace: KubeFedKind.NAMESPACE,
  ReplicaSet: KubeFedKind.REPLICA_SET,
  Secret: KubeFedKind.SECRET,
  ServiceAccount: KubeFedKind.SERVICE_ACCOUNT,
  Service: KubeFedKind.SERVICE,
};

/** One JSON-patch-style change KubeFed applies to the template in one cluster. */
export interface KubeFedClusterOverride {
  /** `add`, `remove` or `replace`; KubeFed treats an absent op as `replace`. */
  readonly op?: 'add' | 'remove' | 'replace';
  /** JSON pointer into the target object, e.g. `/spec/replicas`. */
  readonly path: string;
  /** The new value (not for `remove`). */
  readonly value?: unknown;
}

/** The overrides of one member cluster. */
export interface KubeFedOverride {
  readonly clusterName: string;
  readonly clusterOverrides: readonly KubeFedClusterOverride[];
}

/** Which member clusters receive the object. */
export interface KubeFedPlacement {
  /** Clusters by name (as registered as `KubeFedCluster`). */
  readonly clusters?: ReadonlyArray<{ readonly name: string }>;
  /** Clusters by label; ignored when `clusters` is set. */
  readonly clusterSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
}

/** Spec shared by every federated type: the template, where it goes, and per-cluster changes. */
export interface KubeFedFederatedSpec {
  /** The target object without `apiVersion`, `kind`, and `metadata.name`/`namespace` (taken from the federated object). */
  readonly template: Readonly<Record<string, unknown>>;
  readonly placement: KubeFedPlacement;
  readonly overrides?: readonly KubeFedOverride[];
  /** Keep the replicas the member cluster has (an HPA there owns them) instead of writing the template's. Only FederatedDeployment and FederatedReplicaSet have this field. */
  readonly retainReplicas?: boolean;
}

/** Props of {@link KubeFedFederatedResource}. */
export interface KubeFedFederatedResourceProps {
  /** Which federated type. */
  readonly kind: KubeFedKind;
  readonly metadata: ApiObjectMetadata;
  readonly spec: KubeFedFederatedSpec;
}

/**
 * A KubeFed federated object (`types.kubefed.io/v1beta1`), e.g. a FederatedDeployment: a template propagated to
 * the placed member clusters, with per-cluster overrides. KubeFed is archived upstream.
 * @see https://github.com/kubernetes-retired/kubefed/blob/master/docs/userguide.md#federated-api-types
 */
export class KubeFedFederatedResource extends ApiObject {
  constructor(scope: Construct, id: string, props: KubeFedFederatedResourceProps) {
    super(scope, id, { apiVersion: 'types.kubefed.io/v1beta1', kind: props.kind, metadata: props.metadata, spec: props.spec });
  }
}

/** Replica preferences of one member cluster (or `*` for every cluster without its own entry). */
export interface ReplicaSchedulingClusterPreference {
  /** Fewest replicas in the cluster; KubeFed assumes 0 when absent. */
  readonly minReplicas?: number;
  /** Most replicas in the cluster; unbounded when absent. */
  readonly maxReplicas?: number;
  /** Preference for the cluster when adding a replica; KubeFed assumes 0 when absent. */
  readonly weight?: number;
}

/** Spec of a ReplicaSchedulingPreference. */
export interface ReplicaSchedulingPreferenceSpec {
  /** `FederatedDeployment` or `FederatedReplicaSet`; the target has the same namespace and name. */
  readonly targetKind: 'FederatedDeployment' | 'FederatedReplicaSet';
  /** Replicas across every cluster. */
  readonly totalReplicas: number;
  /** Preferences by cluster name; clusters without one get no replicas. */
  readonly clusters?: Readonly<Record<string, ReplicaSchedulingClusterPreference>>;
  /** Move running replicas to match the preferences. */
  readonly rebalance?: boolean;
  /** Intersect the result with the target's `placement.clusterSelector`. */
  readonly intersectWithClusterSelector?: boolean;
}

/** Props of {@link ReplicaSchedulingPreference}. */
export interface ReplicaSchedulingPreferenceProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: ReplicaSchedulingPreferenceSpec;
}

/**
 * A KubeFed ReplicaSchedulingPreference (`scheduling.kubefed.io/v1alpha1`): how a federated Deployment's replicas
 * are spread over member clusters. KubeFed is archived upstream.
 * @see https://github.com/kubernetes-retired/kubefed/blob/master/docs/userguide.md#replicaschedulingpreference
 */
export class ReplicaSchedulingPreference extends ApiObject {
  constructor(scope: Construct, id: string, props: ReplicaSchedulingPreferenceProps) {
    super(scope, id, { apiVersion: 'scheduling.kubefed.io/v1alpha1', kind: 'ReplicaSchedulingPreference', metadata: props.metadata, spec: props.spec });
  }
}
