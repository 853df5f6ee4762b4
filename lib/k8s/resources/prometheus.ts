import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 classes for the Prometheus operator resources fleetcraft emits (monitoring.coreos.com/v1), covering
 * the fields it uses. Checked against the prometheus-operator CRDs in tests.
 * @see https://prometheus-operator.dev/docs/api-reference/api/
 */

/** A label selector (`matchLabels` and/or `matchExpressions`). */
export interface MonitoringLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }>;
}

/** One scrape endpoint of a ServiceMonitor. */
export interface ServiceMonitorEndpoint {
  /** The Service port's name. */
  readonly port?: string;
  readonly path?: string;
  readonly scheme?: 'http' | 'https';
  /** Prometheus duration, e.g. `30s`. */
  readonly interval?: string;
  /** Prometheus duration, e.g. `10s`. */
  readonly scrapeTimeout?: string;
  readonly honorLabels?: boolean;
}

/** Spec of a ServiceMonitor. */
export interface ServiceMonitorSpec {
  readonly selector: MonitoringLabelSelector;
  readonly endpoints: readonly ServiceMonitorEndpoint[];
  readonly namespaceSelector?: { readonly any?: boolean; readonly matchNames?: readonly string[] };
  readonly jobLabel?: string;
  readonly targetLabels?: readonly string[];
  readonly podTargetLabels?: readonly string[];
}

/** One alerting or recording rule. */
export interface PrometheusRuleEntry {
  /** The alert's name (alerting rule); exclusive with `record`. */
  readonly alert?: string;
  /** The recorded series' name (recording rule); exclusive with `alert`. */
  readonly record?: string;
  /** The PromQL expression. */
  readonly expr: string;
  /** Prometheus duration the condition must hold before firing, e.g. `5m`. */
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A group of rules evaluated together. */
export interface PrometheusRuleGroup {
  readonly name: string;
  /** Prometheus duration, e.g. `1m`. */
  readonly interval?: string;
  readonly rules: readonly PrometheusRuleEntry[];
}

/** Spec of a PrometheusRule. */
export interface PrometheusRuleSpec {
  readonly groups: readonly PrometheusRuleGroup[];
}

/** Props of the Prometheus operator L1 classes: metadata plus a typed spec. */
export interface MonitoringResourceProps<S> {
  readonly metadata: ApiObjectMetadata;
  readonly spec: S;
}

const API_VERSION = 'monitoring.coreos.com/v1';

/**
 * A ServiceMonitor: tells the Prometheus operator to scrape the endpoints of matching Services.
 * @see https://prometheus-operator.dev/docs/developer/getting-started/#using-servicemonitors
 */
export class ServiceMonitor extends ApiObject {
  constructor(scope: Construct, id: string, props: MonitoringResourceProps<ServiceMonitorSpec>) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'ServiceMonitor', metadata: props.metadata, spec: props.spec });
  }
}

/**
 * A PrometheusRule: alerting and recording rules loaded by the Prometheus operator.
 * @see https://prometheus-operator.dev/docs/developer/alerting/
 */
export class PrometheusRule extends ApiObject {
  constructor(scope: Construct, id: string, props: MonitoringResourceProps<PrometheusRuleSpec>) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'PrometheusRule', metadata: props.metadata, spec: props.spec });
  }
}

/** Spec of a PodMonitor: scrape pods directly, by a named container port (no Service needed). */
export interface PodMonitorSpec {
  readonly selector: MonitoringLabelSelector;
  /** Endpoints; `port` names a container port. */
  readonly podMetricsEndpoints: readonly ServiceMonitorEndpoint[];
  readonly namespaceSelector?: { readonly any?: boolean; readonly matchNames?: readonly string[] };
  readonly jobLabel?: string;
  readonly podTargetLabels?: readonly string[];
}

/** A Prometheus operator PodMonitor: scrapes the pods it selects. */
export class PodMonitor extends ApiObject {
  constructor(scope: Construct, id: string, props: MonitoringResourceProps<PodMonitorSpec>) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'PodMonitor', metadata: props.metadata, spec: props.spec });
  }
}
