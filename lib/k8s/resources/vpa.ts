import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 class for the VerticalPodAutoscaler (autoscaling.k8s.io/v1), covering the fields fleetcraft uses.
 * Checked against the VPA CRD in tests.
 * @see https://github.com/kubernetes/autoscaler/tree/master/vertical-pod-autoscaler
 */

/** What the VPA does with its recommendations. `Off` only records them (recommendation mode). */
export type VpaUpdateMode = 'Off' | 'Initial' | 'Recreate' | 'InPlaceOrRecreate' | 'Auto';

/** Per-container limits of a VPA's recommendations. */
export interface VpaContainerPolicy {
  /** A container name, or `*` for all. */
  readonly containerName?: string;
  readonly mode?: 'Auto' | 'Off';
  readonly controlledResources?: ReadonlyArray<'cpu' | 'memory'>;
  readonly controlledValues?: 'RequestsAndLimits' | 'RequestsOnly';
  readonly minAllowed?: Readonly<Record<string, string>>;
  readonly maxAllowed?: Readonly<Record<string, string>>;
}

/** Spec of a VerticalPodAutoscaler. */
export interface VerticalPodAutoscalerSpec {
  readonly targetRef: { readonly apiVersion?: string; readonly kind: string; readonly name: string };
  readonly updatePolicy?: { readonly updateMode?: VpaUpdateMode; readonly minReplicas?: number };
  readonly resourcePolicy?: { readonly containerPolicies?: readonly VpaContainerPolicy[] };
}

/** Props of {@link VerticalPodAutoscaler}. */
export interface VerticalPodAutoscalerProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: VerticalPodAutoscalerSpec;
}

/**
 * A VerticalPodAutoscaler: recommends (or applies) container requests from observed use.
 * @see https://kubernetes.io/docs/concepts/workloads/autoscaling/#scaling-workloads-vertically
 */
export class VerticalPodAutoscaler extends ApiObject {
  constructor(scope: Construct, id: string, props: VerticalPodAutoscalerProps) {
    super(scope, id, { apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: props.metadata, spec: props.spec });
  }
}
