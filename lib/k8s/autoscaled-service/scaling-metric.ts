import { guardProps, PropShape, shape } from '../../private/prop-guard';
import { RULED_NUMBER } from './shapes';

/**
 * The source of a scaling metric, as `autoscaling/v2` `MetricSpec.type` spells it.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
 */
export enum ScalingMetricType {
  /** A resource of the pods' containers (CPU or memory), measured by the metrics server. */
  RESOURCE = 'Resource',
  /** A custom metric reported per pod (e.g. requests per second), averaged across pods. */
  PODS = 'Pods',
  /** A metric of something outside the cluster's pods (e.g. queue depth). */
  EXTERNAL = 'External',
}

/**
 * How a metric's target is expressed, as `autoscaling/v2` `MetricTarget.type` spells it.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
 */
export enum ScalingTargetType {
  /** Percent of the containers' resource request, averaged across pods. */
  UTILIZATION = 'Utilization',
  /** The metric's value divided by the number of pods. */
  AVERAGE_VALUE = 'AverageValue',
}

/** The name messages of the factories' guard start with. */
const SCALING_METRIC_NAME = 'ScalingMetric';

/** A utilisation percent; `AutoscaledService`'s rules judge it (a whole percent from 1 to 100) and name the metric. */
const UTILIZATION_SHAPES = { utilization: RULED_NUMBER } satisfies Readonly<Record<'utilization', PropShape>>;

/**
 * The arguments of {@link ScalingMetric.podMetric} and {@link ScalingMetric.externalMetric}. The target's sign is
 * judged by `AutoscaledService`'s rules; the guard only wants a finite number written without an exponent.
 */
const NAMED_METRIC_SHAPES = {
  name: shape.required(shape.string({ maxLength: 253, pattern: /^[A-Za-z_:][\w:.\-/]*$/, patternRule: 'must be a metric name such as "http_requests_per_second"' })),
  target: shape.required(shape.number(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
  // Metric series labels: strings of label length; their characters are the metrics adapter's to judge.
  selector: shape.map(shape.string({ maxLength: 63, allowEmpty: true }), 64),
} satisfies Readonly<Record<'name' | 'target' | 'selector', PropShape>>;

/**
 * What an autoscaler scales on: CPU or memory utilisation, a per-pod custom metric (requests per second), or an
 * external metric (queue depth).
 *
 * A value class: build it with the static factories. The factories do not throw; `AutoscaledService` validates
 * the targets (utilisation 1–100, a matching resource request, positive average values) and names the prop.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#support-for-metrics-apis
 */
export class ScalingMetric {
  /**
   * Average CPU use across pods, as a percent of each container's CPU request.
   * @param utilization target percent (1–100)
   * @default 70
   */
  public static cpu(utilization: number = 70): ScalingMetric {
    guardProps(SCALING_METRIC_NAME, 'cpu', { utilization }, UTILIZATION_SHAPES);
    return new ScalingMetric(ScalingMetricType.RESOURCE, 'cpu', utilization, ScalingTargetType.UTILIZATION);
  }

  /**
   * Average memory use across pods, as a percent of each container's memory request.
   * @param utilization target percent (1–100)
   * @default 80
   */
  public static memory(utilization: number = 80): ScalingMetric {
    guardProps(SCALING_METRIC_NAME, 'memory', { utilization }, UTILIZATION_SHAPES);
    return new ScalingMetric(ScalingMetricType.RESOURCE, 'memory', utilization, ScalingTargetType.UTILIZATION);
  }

  /**
   * A custom metric every pod reports (through a custom metrics adapter such as prometheus-adapter), scaled so
   * that its average across pods stays at `averageValue`, e.g. 1000 requests per second per pod.
   * @param name the metric's name in the custom metrics API, e.g. `http_requests_per_second`
   * @param averageValue the target average per pod (positive)
   * @param selector labels narrowing the metric's series (optional)
   */
  public static podMetric(name: string, averageValue: number, selector?: Readonly<Record<string, string>>): ScalingMetric {
    guardProps(SCALING_METRIC_NAME, 'podMetric', { name, target: averageValue, selector }, NAMED_METRIC_SHAPES);
    return new ScalingMetric(ScalingMetricType.PODS, name, averageValue, ScalingTargetType.AVERAGE_VALUE, selector);
  }

  /**
   * A metric from outside the pods (the external metrics API), such as a queue's depth. The target is an
   * average per pod: a target of 100 with 1,000 queued messages asks for 10 pods.
   * @param name the metric's name in the external metrics API, e.g. `queue_messages_ready`
   * @param target the target value per pod (positive)
   * @param selector labels choosing the series, e.g. `{ queue: 'jobs' }` (optional)
   */
  public static externalMetric(name: string, target: number, selector?: Readonly<Record<string, string>>): ScalingMetric {
    guardProps(SCALING_METRIC_NAME, 'externalMetric', { name, target, selector }, NAMED_METRIC_SHAPES);
    return new ScalingMetric(ScalingMetricType.EXTERNAL, name, target, ScalingTargetType.AVERAGE_VALUE, selector);
  }

  private constructor(
    /** Where the metric comes from. */
    public readonly type: ScalingMetricType,
    /** `cpu` or `memory` for resource metrics; otherwise the metric's name. */
    public readonly name: string,
    /** The target: a percent for utilisation, otherwise the average value per pod. */
    public readonly target: number,
    /** How the target is expressed. */
    public readonly targetType: ScalingTargetType,
    /** Labels narrowing a custom or external metric's series. */
    public readonly selector?: Readonly<Record<string, string>>,
  ) {}

  /** Whether this is CPU or memory utilisation (which needs a matching resource request). */
  public get isUtilization(): boolean {
    return this.targetType === ScalingTargetType.UTILIZATION;
  }

  /** A short description for messages, e.g. `cpu 70%` or `pods http_requests_per_second 1000`. */
  public toString(): string {
    if (this.isUtilization) return `${this.name} ${this.target}%`;
    const kind = this.type === ScalingMetricType.PODS ? 'pods' : 'external';
    return `${kind} ${this.name} ${this.target}`;
  }
}
