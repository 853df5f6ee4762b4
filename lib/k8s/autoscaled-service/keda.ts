import { Duration } from 'cdk8s';

/** Options for {@link KedaTrigger.prometheus}. */
export interface PrometheusTriggerOptions {
  /** Prometheus' URL, e.g. `http://prometheus.monitoring.svc:9090`. */
  readonly serverAddress: string;
  /** A PromQL query returning one number, e.g. `sum(rate(http_requests_total{service="api"}[2m]))`. */
  readonly query: string;
  /** The query's target value per pod (KEDA divides the result by this to get the replica count). */
  readonly threshold: number;
  /**
   * Below this value the scaler counts as inactive.
   * @default - KEDA's default (0)
   */
  readonly activationThreshold?: number;
}

/** Options for {@link KedaTrigger.redisList}. */
export interface RedisListTriggerOptions {
  /** Redis' `host:port`, e.g. `redis.queues.svc:6379`. */
  readonly address: string;
  /** The list holding pending work. */
  readonly listName: string;
  /** The list length per pod to aim for (queue depth). */
  readonly listLength: number;
  /**
   * The TriggerAuthentication holding Redis' password.
   * @default - no authentication
   */
  readonly authenticationRef?: string;
  /**
   * Whether to connect with TLS.
   * @default false
   */
  readonly enableTls?: boolean;
}

/**
 * A KEDA scaler: an event source a ScaledObject scales on. Metadata values are strings, as KEDA reads them.
 * @see https://keda.sh/docs/latest/scalers/
 */
export class KedaTrigger {
  /**
   * Scale on a Prometheus query (e.g. requests per second, active connections).
   * @see https://keda.sh/docs/latest/scalers/prometheus/
   */
  public static prometheus(options: PrometheusTriggerOptions): KedaTrigger {
    const metadata: Record<string, string> = {
      serverAddress: options.serverAddress,
      query: options.query,
      threshold: String(options.threshold),
    };
    if (options.activationThreshold !== undefined) metadata.activationThreshold = String(options.activationThreshold);
    return new KedaTrigger('prometheus', metadata);
  }

  /**
   * Scale on the length of a Redis list (queue depth).
   * @see https://keda.sh/docs/latest/scalers/redis-lists/
   */
  public static redisList(options: RedisListTriggerOptions): KedaTrigger {
    const metadata: Record<string, string> = {
      address: options.address,
      listName: options.listName,
      listLength: String(options.listLength),
    };
    if (options.enableTls) metadata.enableTLS = 'true';
    return new KedaTrigger('redis', metadata, options.authenticationRef);
  }

  /**
   * Any other KEDA scaler, by its type and metadata.
   * @param type the scaler type, e.g. `rabbitmq`
   * @param metadata the scaler's metadata (string values)
   * @param authenticationRef a TriggerAuthentication name (optional)
   */
  public static custom(type: string, metadata: Readonly<Record<string, string>>, authenticationRef?: string): KedaTrigger {
    return new KedaTrigger(type, { ...metadata }, authenticationRef);
  }

  private constructor(
    /** The scaler type. */
    public readonly type: string,
    /** The scaler's metadata. */
    public readonly metadata: Readonly<Record<string, string>>,
    /** The TriggerAuthentication the scaler uses, if any. */
    public readonly authenticationRef?: string,
  ) {}
}

/**
 * Scale with a KEDA ScaledObject instead of a HorizontalPodAutoscaler. The `AutoscaledService`'s `minReplicas`,
 * `maxReplicas`, `scaleUp` and `scaleDown` apply; its CPU and memory `metrics` become KEDA `cpu` / `memory`
 * triggers next to `triggers`.
 * @see https://keda.sh/docs/latest/reference/scaledobject-spec/
 */
export interface KedaOptions {
  /** The event sources to scale on (Prometheus, Redis, …). */
  readonly triggers: readonly KedaTrigger[];
  /**
   * How often KEDA checks each trigger.
   * @default Duration.seconds(30)
   */
  readonly pollingInterval?: Duration;
  /**
   * How long after the last active trigger KEDA waits before scaling to `minReplicas`.
   * @default Duration.seconds(300)
   */
  readonly cooldownPeriod?: Duration;
}
