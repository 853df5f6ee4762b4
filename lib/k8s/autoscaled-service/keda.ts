import { Duration } from 'cdk8s';
import { guardProps, INT32_MAX, PropShape, shape, STRING_MAP } from '../../private/prop-guard';
import { DNS_SUBDOMAIN } from './shapes';

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

/** The name messages of the factories' guard start with. */
const KEDA_TRIGGER_NAME = 'KedaTrigger';

/** A number KEDA reads back from a string: finite and written without an exponent (at most 2^53 - 1). */
const THRESHOLD = shape.number(0, Number.MAX_SAFE_INTEGER);

const PROMETHEUS_TRIGGER_OPTION_SHAPES = {
  serverAddress: shape.required(shape.string({ maxLength: 2048, pattern: /^https?:\/\/\S+$/, patternRule: 'must be an http(s) URL such as "http://prometheus.monitoring.svc:9090"' })),
  query: shape.required(shape.string({ maxLength: 64 * 1024 })),
  threshold: shape.required(THRESHOLD),
  activationThreshold: THRESHOLD,
} satisfies { readonly [K in keyof Required<PrometheusTriggerOptions>]: PropShape };

const REDIS_LIST_TRIGGER_OPTION_SHAPES = {
  address: shape.required(shape.string({ maxLength: 1024, pattern: /^[^\s/]+:\d{1,5}$/, patternRule: 'must be a "host:port" address such as "redis.queues.svc:6379"' })),
  listName: shape.required(shape.string({ maxLength: 1024 })),
  listLength: shape.required(shape.integer(1, INT32_MAX)),
  authenticationRef: DNS_SUBDOMAIN,
  enableTls: shape.boolean(),
} satisfies { readonly [K in keyof Required<RedisListTriggerOptions>]: PropShape };

/** The arguments of {@link KedaTrigger.custom}, by parameter name. */
const CUSTOM_TRIGGER_SHAPES = {
  type: shape.required(shape.string({ maxLength: 63, pattern: /^[a-z0-9][a-z0-9-]*$/, patternRule: 'must be a KEDA scaler type such as "rabbitmq"' })),
  metadata: shape.required(STRING_MAP),
  authenticationRef: DNS_SUBDOMAIN,
} satisfies Readonly<Record<'type' | 'metadata' | 'authenticationRef', PropShape>>;

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
    guardProps(KEDA_TRIGGER_NAME, 'prometheus', options, PROMETHEUS_TRIGGER_OPTION_SHAPES);
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
    guardProps(KEDA_TRIGGER_NAME, 'redisList', options, REDIS_LIST_TRIGGER_OPTION_SHAPES);
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
    guardProps(KEDA_TRIGGER_NAME, 'custom', { type, metadata, authenticationRef }, CUSTOM_TRIGGER_SHAPES);
    return new KedaTrigger(type, { ...metadata }, authenticationRef);
  }

  private constructor(
    /** The scaler type, e.g. `prometheus` or `redis`. */
    public readonly type: string,
    /** The scaler's settings, as the strings KEDA reads. */
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
