import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 class for the KEDA ScaledObject (keda.sh/v1alpha1), covering the fields fleetcraft uses. Checked against
 * the KEDA CRD in tests.
 * @see https://keda.sh/docs/latest/reference/scaledobject-spec/
 */

/** One `autoscaling/v2` scaling policy, as KEDA passes it to the HPA it creates. */
export interface KedaScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

/** One direction of `autoscaling/v2` behaviour. */
export interface KedaScalingRules {
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
  readonly policies?: readonly KedaScalingPolicy[];
}

/** One trigger (scaler) of a ScaledObject. */
export interface ScaledObjectTrigger {
  readonly type: string;
  readonly name?: string;
  /** `Utilization` or `AverageValue` for cpu/memory; `AverageValue` or `Value` for other scalers. */
  readonly metricType?: 'Utilization' | 'AverageValue' | 'Value';
  readonly metadata: Readonly<Record<string, string>>;
  readonly authenticationRef?: { readonly name: string; readonly kind?: 'TriggerAuthentication' | 'ClusterTriggerAuthentication' };
}

/** Spec of a ScaledObject. */
export interface ScaledObjectSpec {
  readonly scaleTargetRef: { readonly name: string; readonly kind?: string; readonly apiVersion?: string; readonly envSourceContainerName?: string };
  readonly minReplicaCount?: number;
  readonly maxReplicaCount?: number;
  readonly pollingInterval?: number;
  readonly cooldownPeriod?: number;
  readonly advanced?: {
    readonly restoreToOriginalReplicaCount?: boolean;
    readonly horizontalPodAutoscalerConfig?: {
      readonly name?: string;
      readonly behavior?: { readonly scaleUp?: KedaScalingRules; readonly scaleDown?: KedaScalingRules };
    };
  };
  readonly triggers: readonly ScaledObjectTrigger[];
}

/** Props of {@link ScaledObject}. */
export interface ScaledObjectProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: ScaledObjectSpec;
}

/**
 * A KEDA ScaledObject: scales a Deployment on event sources by creating and owning an HPA.
 * @see https://keda.sh/docs/latest/concepts/scaling-deployments/
 */
export class ScaledObject extends ApiObject {
  constructor(scope: Construct, id: string, props: ScaledObjectProps) {
    super(scope, id, { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: props.metadata, spec: props.spec });
  }
}
