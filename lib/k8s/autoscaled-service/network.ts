import { Duration } from 'cdk8s';

/**
 * Who may talk to (or be reached from) an `AutoscaledService`'s pods: pods in a namespace, selected by labels,
 * or an IP block. Plain data, so environments can carry it.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export interface NetworkPeer {
  /**
   * Pods in the namespace of this name.
   * @default - the service's own namespace (unless `namespaceLabels` or `cidr` is set)
   */
  readonly namespace?: string;
  /**
   * Pods in every namespace carrying these labels (instead of `namespace`).
   * @default - not selected by namespace labels
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /**
   * Only pods carrying these labels.
   * @default - every pod of the selected namespace(s)
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * An IP block in CIDR form, e.g. `10.0.0.0/16`; excludes the other fields.
   * @default - pods, not an IP block
   */
  readonly cidr?: string;
}

/** Destinations an `AutoscaledService`'s pods may call, e.g. a consensus cluster's client port. */
export interface EgressRule extends NetworkPeer {
  /** TCP ports allowed to the peer, e.g. `[2379]`. */
  readonly ports: readonly number[];
}

/**
 * An Ingress in front of an `AutoscaledService`. The NetworkPolicy then also admits the ingress controller.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
export interface AutoscaledServiceIngressOptions {
  /** The host name, e.g. `api.example.com`. */
  readonly host: string;
  /**
   * The path prefix routed to the service.
   * @default '/'
   */
  readonly path?: string;
  /**
   * A Secret (type `kubernetes.io/tls`) with the host's certificate.
   * @default - no TLS
   */
  readonly tlsSecretName?: string;
  /**
   * The IngressClass.
   * @default - the cluster's default IngressClass
   */
  readonly className?: string;
  /**
   * The namespace of the ingress controller's pods, admitted by the NetworkPolicy.
   * @default 'ingress-nginx'
   */
  readonly controllerNamespace?: string;
  /**
   * Address ranges the load balancer connects from, admitted by the NetworkPolicy besides the controller's namespace:
   * an AWS application load balancer in IP mode reaches the pods from its own network interfaces in the VPC, not from
   * a pod, so give the VPC's CIDR.
   * @default []
   */
  readonly sourceCidrs?: readonly string[];
  /**
   * Annotations of the Ingress, for the controller (e.g. `alb.ingress.kubernetes.io/target-type: ip`).
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A Prometheus operator ServiceMonitor scraping an `AutoscaledService`. The NetworkPolicy then also admits
 * Prometheus on the metrics port.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
export interface ServiceMonitorOptions {
  /**
   * The HTTP path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * The container port serving metrics; when it differs from `port` the Service exposes it as `metrics`.
   * @default - the service's `port`
   */
  readonly port?: number;
  /**
   * How often Prometheus scrapes.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * The namespace Prometheus runs in, admitted by the NetworkPolicy.
   * @default 'monitoring'
   */
  readonly prometheusNamespace?: string;
}
