import { Construct, IConstruct } from 'constructs';
import { AutoscaledService, AutoscaledServiceProps, IScalableWorkload } from '../autoscaled-service';

/**
 * A member's part of a `FederatedApp`: its share of `totalReplicas` and the autoscaler bounds the split gives it.
 * @see FederatedApp for exactly how the bounds are split
 */
export interface FederatedShare {
  /** The member's share of `totalReplicas` (what a fixed-size member runs, and where an autoscaled one starts). */
  readonly replicas: number;
  /** The member's autoscaler minimum (equal to `replicas` when no autoscaler owns the count). */
  readonly minReplicas: number;
  /** The member's autoscaler maximum (equal to `replicas` when no autoscaler owns the count). */
  readonly maxReplicas: number;
}

/** What a workload is built with for one member (or for the federation's template). */
export interface FederatedWorkloadBuildOptions<O extends object> {
  /** The name to use when the workload's props name none (the `FederatedApp`'s id). */
  readonly defaultName: string;
  /** The replica share and autoscaler bounds. */
  readonly share: FederatedShare;
  /**
   * The member's overrides, already checked against {@link IFederatedWorkload.overridableProps}.
   * @default - none
   */
  readonly overrides?: O;
}

/**
 * The contract between `FederatedApp` and the workload it spreads over members: what may be overridden, whether
 * an autoscaler owns the replica count, and how to build one copy with a share. Implement it to federate another
 * kind of workload; {@link FederatedWorkload} has the built-in ones.
 */
export interface IFederatedWorkload<O extends object, W extends IScalableWorkload & IConstruct> {
  /** The workload's construct name, for messages (e.g. `AutoscaledService`). */
  readonly kind: string;
  /** The name given in the workload's props, if any. */
  readonly name?: string;
  /** The namespace given in the workload's props, if any. */
  readonly namespace?: string;
  /** The `app.kubernetes.io/part-of` label given in the workload's props, if any. */
  readonly partOf?: string;
  /** The props a member may override (any prop of the workload). */
  readonly overridableProps: readonly string[];
  /** Props the split sets, which a member may not override. */
  readonly splitProps: readonly string[];
  /** Fewest replicas across all members, for an autoscaled workload. */
  readonly minReplicas: number;
  /** Most replicas across all members, for an autoscaled workload. */
  readonly maxReplicas: number;
  /** Whether an autoscaler owns the replica count, with these overrides applied. */
  isAutoscaled(overrides?: O): boolean;
  /** Builds one copy of the workload into `scope`. */
  build(scope: Construct, id: string, options: FederatedWorkloadBuildOptions<O>): W;
}

/**
 * Every prop of `AutoscaledServiceProps`, as a record so the compiler refuses a missing or unknown key: the list of
 * props a `FederatedApp` member may override is derived from it, never written twice.
 */
const AUTOSCALED_SERVICE_PROPS: Record<keyof AutoscaledServiceProps, true> = {
  name: true, namespace: true, partOf: true, metadata: true, image: true, port: true, portName: true, servicePort: true,
  minReplicas: true, maxReplicas: true, metrics: true, scaleUp: true, scaleDown: true, hpa: true, keda: true,
  strategy: true, disruptionBudget: true, resources: true, readinessPath: true, livenessPath: true, startupPath: true,
  startupTimeout: true, terminationGracePeriod: true, drain: true, drainMethod: true, env: true, config: true,
  envFromSecrets: true, secretVolumes: true, runAsUser: true, tmpSize: true, zoneSpread: true, nodeSpread: true, allowFrom: true,
  allowEgressTo: true, ingress: true, serviceMonitor: true, mesh: true, vpaRecommendations: true,
};

/** The names of every `AutoscaledServiceProps` prop. */
export const AUTOSCALED_SERVICE_PROP_NAMES: readonly (keyof AutoscaledServiceProps)[] =
  Object.keys(AUTOSCALED_SERVICE_PROPS) as (keyof AutoscaledServiceProps)[];

/** An `AutoscaledService` spread over members. */
class FederatedAutoscaledService implements IFederatedWorkload<Partial<AutoscaledServiceProps>, AutoscaledService> {
  public readonly kind = 'AutoscaledService';
  public readonly overridableProps = AUTOSCALED_SERVICE_PROP_NAMES;
  public readonly splitProps: readonly string[] = ['minReplicas', 'maxReplicas'];
  public readonly name?: string;
  public readonly namespace?: string;
  public readonly partOf?: string;
  public readonly minReplicas: number;
  public readonly maxReplicas: number;

  constructor(private readonly props: AutoscaledServiceProps) {
    this.name = props.name;
    this.namespace = props.namespace;
    this.partOf = props.partOf;
    this.minReplicas = props.minReplicas ?? 2;
    this.maxReplicas = props.maxReplicas;
  }

  public isAutoscaled(overrides: Partial<AutoscaledServiceProps> = {}): boolean {
    const merged = { ...this.props, ...overrides };
    return merged.keda !== undefined || (merged.hpa ?? true);
  }

  public build(scope: Construct, id: string, options: FederatedWorkloadBuildOptions<Partial<AutoscaledServiceProps>>): AutoscaledService {
    return new AutoscaledService(scope, id, {
      ...this.props,
      name: this.props.name ?? options.defaultName,
      ...options.overrides,
      minReplicas: options.share.minReplicas,
      maxReplicas: options.share.maxReplicas,
    });
  }
}

/**
 * The workloads a `FederatedApp` can spread over members, built with static factories.
 */
export class FederatedWorkload {
  /**
   * An `AutoscaledService` in every member. Its `minReplicas` and `maxReplicas` are totals across the members,
   * split with the members' weights (see `FederatedApp`); every other prop is the same in every member unless a
   * member overrides it.
   * @param props the service's props; `minReplicas` and `maxReplicas` are federation-wide totals
   */
  public static autoscaledService(props: AutoscaledServiceProps): IFederatedWorkload<Partial<AutoscaledServiceProps>, AutoscaledService> {
    return new FederatedAutoscaledService(props);
  }

  private constructor() {}
}
