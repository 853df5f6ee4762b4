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
  /**
   * Only callers running as this service account (of `namespace`, or the service's own), checked by the mesh: with
   * `mesh`, the AuthorizationPolicy admits the principal `<trustDomain>/ns/<namespace>/sa/<serviceAccount>` instead
   * of the whole namespace. A NetworkPolicy cannot select pods by service account, so it is refused without `mesh`
   * and in egress rules; keep `podLabels` to narrow the NetworkPolicy as well.
   * @default - any service account of the selected namespace
   */
  readonly serviceAccount?: string;
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

/**
 * Puts an `AutoscaledService` in the Istio service mesh, with the figures of the specification as defaults. The
 * service then emits, in its namespace and named after it:
 * - a `PeerAuthentication` (mTLS `STRICT`) selecting the service's pods: per service rather than one per namespace,
 *   so two services in a namespace never collide and a namespace can join the mesh one service at a time;
 * - an `AuthorizationPolicy` (`ALLOW`) derived from `allowFrom` (a peer's `namespace` becomes a source namespace, its
 *   `serviceAccount` a principal, its `cidr` an IP block) on the service's port, plus the ingress controller's
 *   namespace with `ingress` and Prometheus' namespace on the metrics port with `serviceMonitor`;
 * - one `DestinationRule` (connection pool, outlier detection, consistent hashing, `ISTIO_MUTUAL`; the canary's
 *   subsets too) and one `VirtualService` (retries and a timeout on the route; the canary's weights too);
 * - a `Telemetry` resource sampling traces;
 * - on the pods, the `sidecar.istio.io/inject: "true"` label and the native-sidecar annotation (the proxy starts
 *   before and stops after the app, so the preStop drain keeps its network); the NetworkPolicy then always
 *   restricts egress, allowing the proxy to reach istiod (xDS and certificates on 15012) and DNS besides
 *   `allowEgressTo`.
 *
 * Requirements: **the Istio CNI node agent**. Without it, Istio injects an `istio-init` container that needs
 * `NET_ADMIN` and `NET_RAW`, which the `restricted` and `baseline` Pod Security levels refuse, so the pods would not
 * be admitted; the pod's security context is never weakened for it. Callers outside the mesh cannot pass STRICT mTLS:
 * the ingress controller must run with a sidecar (a load balancer connecting to the pods directly, `ingress.sourceCidrs`,
 * is refused). With `serviceMonitor`, Prometheus scrapes the proxy's merged metrics (the app's metrics and the
 * proxy's, served in plain text on 15020 at `/stats/prometheus`, outside mTLS), as Istio's metrics merging does.
 *
 * @see https://istio.io/latest/docs/ops/best-practices/security/
 * @see https://istio.io/latest/docs/setup/additional-setup/cni/
 */
export interface AutoscaledServiceMeshOptions {
  /**
   * Most HTTP/1 and TCP connections from each calling proxy to the service (the DestinationRule's
   * `connectionPool.tcp.maxConnections`; Envoy's circuit breakers count per caller).
   * @default 1000
   */
  readonly maxConnections?: number;
  /**
   * Most requests a calling proxy queues while waiting for a connection (`connectionPool.http.http1MaxPendingRequests`).
   * @default 1000
   */
  readonly maxPendingRequests?: number;
  /**
   * Most active requests from a calling proxy to the service (`connectionPool.http.http2MaxRequests`).
   * @default 1000
   */
  readonly maxRequests?: number;
  /**
   * 5xx responses or connection failures in a row that eject a pod from the pool (`outlierDetection.consecutive5xxErrors`).
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Time between two outlier-detection sweeps (`outlierDetection.interval`).
   * @default Duration.seconds(10)
   */
  readonly outlierDetectionInterval?: Duration;
  /**
   * How long a pod stays ejected the first time; each further ejection multiplies it (`outlierDetection.baseEjectionTime`).
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * The HTTP header whose value picks the pod (consistent-hash load balancing), so one user's requests reach the
   * same pod. Requests without it are spread at random.
   * @default 'x-user-id'
   */
  readonly consistentHashHeader?: string;
  /**
   * Retries after a failed attempt (`retries.attempts`); `0` turns retries off.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * Timeout of each attempt (`retries.perTryTimeout`).
   * @default Duration.seconds(2)
   */
  readonly perTryTimeout?: Duration;
  /**
   * The failures retried (`retries.retryOn`), comma-separated Envoy conditions or status codes. The default retries
   * only what the app most likely never processed, so non-idempotent requests are safe.
   * @default 'connect-failure,refused-stream,unavailable,cancelled,503'
   */
  readonly retryOn?: string;
  /**
   * Overall timeout of a request, retries included (the route's `timeout`).
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Percent of requests traced when no caller decided (the Telemetry's `randomSamplingPercentage`), 0 to 100.
   * @default 10
   */
  readonly tracingSamplingPercentage?: number;
  /**
   * The tracing extension provider (declared in the mesh config) receiving the spans. Allow egress to its
   * collector with `allowEgressTo`.
   * @default - the mesh's default tracing provider
   */
  readonly tracingProvider?: string;
  /**
   * The mesh's trust domain, the first part of the principals in the AuthorizationPolicy.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * The namespace istiod runs in, which the NetworkPolicy lets the proxy reach.
   * @default 'istio-system'
   */
  readonly istiodNamespace?: string;
}
