import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 classes for the Karmada policies fleetcraft emits (`policy.karmada.io/v1alpha1`), covering the fields
 * it uses. Checked against the Karmada v1.18 CRDs in tests.
 * @see https://karmada.io/docs/userguide/scheduling/resource-propagating
 */

/** Selects resource templates in the Karmada control plane. */
export interface KarmadaResourceSelector {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
}

/** Selects member clusters. */
export interface KarmadaClusterAffinity {
  readonly clusterNames?: readonly string[];
  readonly exclude?: readonly string[];
  readonly labelSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
}

/** A static weight for some clusters. */
export interface KarmadaStaticClusterWeight {
  readonly targetCluster: KarmadaClusterAffinity;
  /** At least 1. */
  readonly weight: number;
}

/** How replicas of a workload are scheduled. */
export interface KarmadaReplicaScheduling {
  /** `Duplicated`: every cluster gets all replicas; `Divided`: they are split. */
  readonly replicaSchedulingType?: 'Duplicated' | 'Divided';
  /** With `Divided`: `Weighted` by `weightPreference`, or `Aggregated` into as few clusters as possible. */
  readonly replicaDivisionPreference?: 'Aggregated' | 'Weighted';
  readonly weightPreference?: {
    readonly staticWeightList?: readonly KarmadaStaticClusterWeight[];
    readonly dynamicWeight?: 'AvailableReplicas';
  };
}

/** Where resources go. */
export interface KarmadaPlacement {
  readonly clusterAffinity?: KarmadaClusterAffinity;
  readonly replicaScheduling?: KarmadaReplicaScheduling;
}

/** Spec of a PropagationPolicy. */
export interface PropagationPolicySpec {
  readonly resourceSelectors: readonly KarmadaResourceSelector[];
  readonly placement?: KarmadaPlacement;
  /** Higher wins when several policies match a resource. */
  readonly priority?: number;
  /** Also propagate what the resources depend on (ConfigMaps, Secrets, ServiceAccounts of a workload). */
  readonly propagateDeps?: boolean;
  /** What to do when the member already has the resource. */
  readonly conflictResolution?: 'Abort' | 'Overwrite';
}

/** One plaintext (JSON patch) change. */
export interface KarmadaPlaintextOverrider {
  readonly operator: 'add' | 'remove' | 'replace';
  /** JSON pointer into the resource. */
  readonly path: string;
  readonly value?: unknown;
}

/** The changes of one override rule. */
export interface KarmadaOverriders {
  readonly plaintext?: readonly KarmadaPlaintextOverrider[];
  readonly imageOverrider?: ReadonlyArray<{
    readonly component: 'Registry' | 'Repository' | 'Tag';
    readonly operator: 'add' | 'remove' | 'replace';
    readonly value?: string;
    readonly predicate?: { readonly path: string };
  }>;
  readonly labelsOverrider?: ReadonlyArray<{ readonly operator: 'add' | 'remove' | 'replace'; readonly value: Readonly<Record<string, string>> }>;
  readonly annotationsOverrider?: ReadonlyArray<{ readonly operator: 'add' | 'remove' | 'replace'; readonly value: Readonly<Record<string, string>> }>;
}

/** Overriders applied in some clusters. */
export interface KarmadaOverrideRule {
  readonly targetCluster?: KarmadaClusterAffinity;
  readonly overriders: KarmadaOverriders;
}

/** Spec of an OverridePolicy. */
export interface OverridePolicySpec {
  readonly resourceSelectors?: readonly KarmadaResourceSelector[];
  readonly overrideRules?: readonly KarmadaOverrideRule[];
}

/** Props of the Karmada policy classes: metadata plus a typed spec. */
export interface KarmadaPolicyProps<S> {
  readonly metadata: ApiObjectMetadata;
  readonly spec: S;
}

const API_VERSION = 'policy.karmada.io/v1alpha1';

/**
 * A Karmada PropagationPolicy: which resource templates go to which member clusters, and how a workload's replicas
 * are divided among them.
 * @see https://karmada.io/docs/userguide/scheduling/resource-propagating
 */
export class PropagationPolicy extends ApiObject {
  constructor(scope: Construct, id: string, props: KarmadaPolicyProps<PropagationPolicySpec>) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'PropagationPolicy', metadata: props.metadata, spec: props.spec });
  }
}

/**
 * A Karmada OverridePolicy: changes applied to resource templates as they are propagated to some clusters.
 * @see https://karmada.io/docs/userguide/scheduling/override-policy
 */
export class OverridePolicy extends ApiObject {
  constructor(scope: Construct, id: string, props: KarmadaPolicyProps<OverridePolicySpec>) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'OverridePolicy', metadata: props.metadata, spec: props.spec });
  }
}
