import * as kplus from 'cdk8s-plus-27';
import { guardProps, PERCENT_OR_ABSOLUTE, PropShape, shape } from '../../private/prop-guard';
import { IMAGE, RULED_NUMBER } from './shapes';

/**
 * The kind of rollout an `AutoscaledService` performs.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy
 */
export enum RolloutStrategyType {
  /** One Deployment replaced pod by pod. */
  ROLLING_UPDATE = 'RollingUpdate',
  /** Two Deployments (blue and green); the Service sends all traffic to the active one. */
  BLUE_GREEN = 'BlueGreen',
  /** A stable and a canary Deployment; Istio splits traffic between them by weight. */
  CANARY = 'Canary',
}

/** The two colours of a blue-green rollout. */
export enum DeploymentColour {
  BLUE = 'blue',
  GREEN = 'green',
}

/**
 * How fast each Deployment replaces its pods. Shared by every strategy (blue-green and canary Deployments
 * still roll when their own image changes).
 */
export interface RollingUpdateOptions {
  /**
   * Pods created above the desired count during a rollout.
   * @default PercentOrAbsolute.absolute(1)
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;
  /**
   * Pods that may be unavailable during a rollout. Zero keeps full capacity while rolling.
   * @default PercentOrAbsolute.absolute(0)
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;
}

/** Options for {@link RolloutStrategy.blueGreen}. */
export interface BlueGreenOptions extends RollingUpdateOptions {
  /** The colour the Service sends traffic to. Switching it is a one-line change that only moves the selector. */
  readonly active: DeploymentColour;
  /**
   * Image of the blue Deployment.
   * @default - the service's `image`
   */
  readonly blueImage?: string;
  /**
   * Image of the green Deployment.
   * @default - the service's `image`
   */
  readonly greenImage?: string;
}

/** Options for {@link RolloutStrategy.canary}. */
export interface CanaryOptions extends RollingUpdateOptions {
  /**
   * Percent of requests Istio sends to the stable Deployment (with `canaryWeight`, must sum to 100).
   * @default 90
   */
  readonly stableWeight?: number;
  /**
   * Percent of requests Istio sends to the canary Deployment.
   * @default 10
   */
  readonly canaryWeight?: number;
  /**
   * Image of the canary Deployment.
   * @default - the service's `image`
   */
  readonly canaryImage?: string;
  /**
   * Fewest replicas of the canary Deployment (its autoscaler goes up to the service's `maxReplicas`).
   * @default 1
   */
  readonly canaryMinReplicas?: number;
}

/** The name messages of the factories' guard start with. */
const ROLLOUT_STRATEGY_NAME = 'RolloutStrategy';

const ROLLING_UPDATE_OPTION_SHAPES = {
  maxSurge: PERCENT_OR_ABSOLUTE,
  maxUnavailable: PERCENT_OR_ABSOLUTE,
} satisfies { readonly [K in keyof Required<RollingUpdateOptions>]: PropShape };

/** `active` is any text here: `AutoscaledService` refuses a non-colour with a message naming `strategy.active`. */
const BLUE_GREEN_OPTION_SHAPES = {
  ...ROLLING_UPDATE_OPTION_SHAPES,
  active: shape.required(shape.string({ maxLength: 63 })),
  blueImage: IMAGE,
  greenImage: IMAGE,
} satisfies { readonly [K in keyof Required<BlueGreenOptions>]: PropShape };

/** Weights and the minimum are judged by `AutoscaledService`'s rules (whole percents summing to 100, at least 1). */
const CANARY_OPTION_SHAPES = {
  ...ROLLING_UPDATE_OPTION_SHAPES,
  stableWeight: RULED_NUMBER,
  canaryWeight: RULED_NUMBER,
  canaryImage: IMAGE,
  canaryMinReplicas: RULED_NUMBER,
} satisfies { readonly [K in keyof Required<CanaryOptions>]: PropShape };

/**
 * How an `AutoscaledService` rolls out a new version: a rolling update, blue-green, or an Istio canary.
 *
 * A value class: build it with the static factories. `AutoscaledService` validates it (weights, colours, a
 * rollout that can make progress) and names the prop in its messages.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 * @see https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/
 */
export class RolloutStrategy {
  /**
   * Replace pods one by one in a single Deployment (the default strategy).
   * @param options surge and unavailability (default `maxSurge: 1`, `maxUnavailable: 0`)
   */
  public static rollingUpdate(options: RollingUpdateOptions = {}): RolloutStrategy {
    guardProps(ROLLOUT_STRATEGY_NAME, 'rollingUpdate', options, ROLLING_UPDATE_OPTION_SHAPES, true);
    return new RolloutStrategy(RolloutStrategyType.ROLLING_UPDATE, options);
  }

  /**
   * Two Deployments, `<name>-blue` and `<name>-green`, each with its own autoscaler and disruption budget; the
   * Service selects the active colour. Both colours stay scaled, so switching is instant and reversible.
   */
  public static blueGreen(options: BlueGreenOptions): RolloutStrategy {
    guardProps(ROLLOUT_STRATEGY_NAME, 'blueGreen', options, BLUE_GREEN_OPTION_SHAPES);
    return new RolloutStrategy(RolloutStrategyType.BLUE_GREEN, options, options);
  }

  /**
   * A stable Deployment `<name>` and a canary Deployment `<name>-canary`; an Istio VirtualService and
   * DestinationRule split requests between their subsets by weight (90/10 by default). Clients outside the
   * mesh reach both tracks through the Service in proportion to their pod counts.
   */
  public static canary(options: CanaryOptions = {}): RolloutStrategy {
    guardProps(ROLLOUT_STRATEGY_NAME, 'canary', options, CANARY_OPTION_SHAPES, true);
    return new RolloutStrategy(RolloutStrategyType.CANARY, options, undefined, options);
  }

  /** Pods created above the desired count during a rollout. */
  public readonly maxSurge: kplus.PercentOrAbsolute;
  /** Pods that may be unavailable during a rollout. */
  public readonly maxUnavailable: kplus.PercentOrAbsolute;

  private constructor(
    public readonly type: RolloutStrategyType,
    rolling: RollingUpdateOptions,
    /** The blue-green options, for a blue-green strategy. */
    public readonly blueGreenOptions?: BlueGreenOptions,
    /** The canary options, for a canary strategy. */
    public readonly canaryOptions?: CanaryOptions,
  ) {
    this.maxSurge = rolling.maxSurge ?? kplus.PercentOrAbsolute.absolute(1);
    this.maxUnavailable = rolling.maxUnavailable ?? kplus.PercentOrAbsolute.absolute(0);
  }

  /** The stable weight of a canary (90 unless set). */
  public get stableWeight(): number {
    return this.canaryOptions?.stableWeight ?? 90;
  }

  /** The canary weight of a canary (10 unless set). */
  public get canaryWeight(): number {
    return this.canaryOptions?.canaryWeight ?? 10;
  }

  /** The Deployment strategy each Deployment uses. */
  public toDeploymentStrategy(): kplus.DeploymentStrategy {
    return kplus.DeploymentStrategy.rollingUpdate({ maxSurge: this.maxSurge, maxUnavailable: this.maxUnavailable });
  }
}
