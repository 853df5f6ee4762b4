import { Duration } from 'cdk8s';
import { guardProps, PropShape } from '../../private/prop-guard';
import { RULED_NUMBER } from './shapes';

/**
 * How fast an autoscaler may change the replica count in one direction (`autoscaling/v2` `behavior.scaleUp` or
 * `behavior.scaleDown`). KEDA passes the same behaviour to the HorizontalPodAutoscaler it creates.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
 */
export interface ScalingBehavior {
  /**
   * Most replicas added (scale-up) or removed (scale-down) per `period`, as a percent of the current count.
   * @default 50 for scale-up, 10 for scale-down
   */
  readonly maxPercent?: number;
  /**
   * Also allow this many pods per `period`; when both policies are set the larger change wins (`selectPolicy: Max`).
   * @default - no pod-count policy
   */
  readonly maxPods?: number;
  /**
   * The period the policies are measured over (1 second to 30 minutes).
   * @default Duration.minutes(1) for scale-up, Duration.minutes(5) for scale-down
   */
  readonly period?: Duration;
  /**
   * How long past recommendations are considered before acting, which damps flapping (0 to 1 hour).
   * @default Duration.seconds(60) for scale-up, Duration.seconds(300) for scale-down
   */
  readonly stabilizationWindow?: Duration;
}

/** Which field of a PodDisruptionBudget a {@link DisruptionBudget} sets. */
export enum DisruptionBudgetField {
  /** `spec.maxUnavailable`: stays valid as the autoscaler changes the replica count. */
  MAX_UNAVAILABLE = 'maxUnavailable',
  /** `spec.minAvailable`. */
  MIN_AVAILABLE = 'minAvailable',
}

/** The name messages of the factories' guard start with. */
const DISRUPTION_BUDGET_NAME = 'DisruptionBudget';

/** A budget's size; `AutoscaledService`'s rules judge it (a whole number, a percent at most 100) and its effect. */
const BUDGET_SHAPES = { percent: RULED_NUMBER, pods: RULED_NUMBER } satisfies Readonly<Record<'percent' | 'pods', PropShape>>;

/**
 * The PodDisruptionBudget of an `AutoscaledService`: how many pods voluntary disruptions (node drains, cluster
 * upgrades) may take down at once.
 *
 * Prefer {@link DisruptionBudget.maxUnavailablePercent}: a percentage of `maxUnavailable` is rounded up by the
 * disruption controller, so it allows at least one eviction at any replica count. `AutoscaledService` refuses a
 * budget that allows no eviction at `minReplicas`, because every node drain would then hang.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#rounding-logic-when-specifying-percentages
 */
export class DisruptionBudget {
  /** At most `percent` of the pods (rounded up) may be disrupted at once. */
  public static maxUnavailablePercent(percent: number): DisruptionBudget {
    guardProps(DISRUPTION_BUDGET_NAME, 'maxUnavailablePercent', { percent }, BUDGET_SHAPES);
    return new DisruptionBudget(DisruptionBudgetField.MAX_UNAVAILABLE, percent, true);
  }

  /** At most `pods` pods may be disrupted at once. */
  public static maxUnavailable(pods: number): DisruptionBudget {
    guardProps(DISRUPTION_BUDGET_NAME, 'maxUnavailable', { pods }, BUDGET_SHAPES);
    return new DisruptionBudget(DisruptionBudgetField.MAX_UNAVAILABLE, pods, false);
  }

  /** At least `percent` of the pods (rounded up) must stay available. Easy to make block every drain: prefer `maxUnavailablePercent`. */
  public static minAvailablePercent(percent: number): DisruptionBudget {
    guardProps(DISRUPTION_BUDGET_NAME, 'minAvailablePercent', { percent }, BUDGET_SHAPES);
    return new DisruptionBudget(DisruptionBudgetField.MIN_AVAILABLE, percent, true);
  }

  /** At least `pods` pods must stay available. */
  public static minAvailable(pods: number): DisruptionBudget {
    guardProps(DISRUPTION_BUDGET_NAME, 'minAvailable', { pods }, BUDGET_SHAPES);
    return new DisruptionBudget(DisruptionBudgetField.MIN_AVAILABLE, pods, false);
  }

  /** No PodDisruptionBudget at all. */
  public static none(): DisruptionBudget {
    return new DisruptionBudget(undefined, 0, false);
  }

  private constructor(
    /** The field set, or undefined for no budget. */
    public readonly field: DisruptionBudgetField | undefined,
    /** The number of pods, or the percent. */
    public readonly value: number,
    /** Whether `value` is a percent. */
    public readonly isPercent: boolean,
  ) {}

  /** The value as the PodDisruptionBudget writes it: a number, or a string such as `20%`. */
  public get intOrString(): number | string {
    return this.isPercent ? `${this.value}%` : this.value;
  }

  /**
   * How many pods voluntary disruptions may evict when `replicas` healthy pods run, with the disruption
   * controller's rounding (percentages round up, for both fields).
   */
  public allowedDisruptions(replicas: number): number {
    if (this.field === undefined) return replicas;
    const scaled = this.isPercent ? Math.ceil((this.value * replicas) / 100) : this.value;
    const allowed = this.field === DisruptionBudgetField.MAX_UNAVAILABLE ? scaled : replicas - scaled;
    return Math.max(0, Math.min(replicas, allowed));
  }

  /** A short description for messages, e.g. `maxUnavailable 20%`. */
  public toString(): string {
    return this.field === undefined ? 'none' : `${this.field} ${this.intOrString}`;
  }
}
