import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 classes for the Istio resources fleetcraft emits: traffic management (networking.istio.io/v1), security
 * (security.istio.io/v1) and telemetry (telemetry.istio.io/v1), covering the fields it uses. Checked against the
 * Istio CRDs in tests.
 * @see https://istio.io/latest/docs/reference/config/
 */

/** Where a route sends traffic: a host (a Service name or FQDN), optionally a subset and a port. */
export interface IstioDestination {
  readonly host: string;
  readonly subset?: string;
  readonly port?: { readonly number: number };
}

/** One weighted destination of an HTTP route. */
export interface IstioHttpRouteDestination {
  readonly destination: IstioDestination;
  /** Percent of the route's traffic (the weights of a route sum to 100). */
  readonly weight?: number;
}

/** A string match: exactly one of `exact`, `prefix`, `regex`. */
export interface IstioStringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

/** Conditions an HTTP request must meet for a route to apply. */
export interface IstioHttpMatchRequest {
  readonly name?: string;
  readonly uri?: IstioStringMatch;
  readonly headers?: Readonly<Record<string, IstioStringMatch>>;
  readonly port?: number;
}

/**
 * Retry policy of an HTTP route. With `attempts: 0` (retries off) Istio refuses every other field.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface IstioHttpRetry {
  readonly attempts?: number;
  /** Go duration, e.g. `2s`. */
  readonly perTryTimeout?: string;
  /** Comma-separated Envoy retry conditions, e.g. `connect-failure,refused-stream,503`. */
  readonly retryOn?: string;
}

/** One HTTP route of a VirtualService. */
export interface IstioHttpRoute {
  readonly name?: string;
  readonly match?: readonly IstioHttpMatchRequest[];
  readonly route?: readonly IstioHttpRouteDestination[];
  /** Go duration, e.g. `15s`. */
  readonly timeout?: string;
  readonly retries?: IstioHttpRetry;
}

/** Spec of a VirtualService. */
export interface VirtualServiceSpec {
  readonly hosts?: readonly string[];
  readonly gateways?: readonly string[];
  readonly http?: readonly IstioHttpRoute[];
  readonly exportTo?: readonly string[];
}

/** A named group of a host's endpoints, selected by pod labels. */
export interface DestinationRuleSubset {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Limits on the connections and requests to each endpoint of a host: beyond them Envoy queues or fails fast (the
 * circuit breaker).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
 */
export interface IstioConnectionPool {
  readonly tcp?: {
    /** Most HTTP/1 and TCP connections to a destination host. */
    readonly maxConnections?: number;
    /** Go duration, e.g. `5s`. */
    readonly connectTimeout?: string;
  };
  readonly http?: {
    /** Most requests queued while waiting for a connection. */
    readonly http1MaxPendingRequests?: number;
    /** Most active requests to a destination (HTTP/1 and HTTP/2). */
    readonly http2MaxRequests?: number;
    readonly maxRequestsPerConnection?: number;
    readonly maxRetries?: number;
  };
}

/**
 * Ejection of endpoints that keep failing from the load-balancing pool.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
 */
export interface IstioOutlierDetection {
  /** 5xx responses (or connection errors) in a row that eject an endpoint. */
  readonly consecutive5xxErrors?: number;
  /** Go duration between ejection sweeps, e.g. `10s`. */
  readonly interval?: string;
  /** Go duration of the first ejection (it grows with each ejection), e.g. `30s`. */
  readonly baseEjectionTime?: string;
  /** Most percent of the pool ejected at once. */
  readonly maxEjectionPercent?: number;
}

/** Consistent-hash load balancing on exactly one request property (sticky routing). */
export interface IstioConsistentHash {
  /** Hash on this HTTP header's value. */
  readonly httpHeaderName?: string;
  /** Hash on the source IP address. */
  readonly useSourceIp?: boolean;
  /** Hash on this query parameter's value. */
  readonly httpQueryParameterName?: string;
}

/** Load balancing: a simple algorithm or a consistent hash (never both). */
export interface IstioLoadBalancer {
  readonly simple?: 'UNSPECIFIED' | 'LEAST_CONN' | 'RANDOM' | 'PASSTHROUGH' | 'ROUND_ROBIN' | 'LEAST_REQUEST';
  readonly consistentHash?: IstioConsistentHash;
}

/** Traffic policy of a DestinationRule (the fields fleetcraft uses). */
export interface IstioTrafficPolicy {
  readonly tls?: { readonly mode?: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL' };
  readonly loadBalancer?: IstioLoadBalancer;
  readonly connectionPool?: IstioConnectionPool;
  readonly outlierDetection?: IstioOutlierDetection;
}

/** Spec of a DestinationRule. */
export interface DestinationRuleSpec {
  readonly host: string;
  readonly subsets?: readonly DestinationRuleSubset[];
  readonly trafficPolicy?: IstioTrafficPolicy;
  readonly exportTo?: readonly string[];
}

/** The workloads (pods) a security or telemetry policy applies to; without it, every workload of the namespace. */
export interface IstioWorkloadSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
}

/** How a workload accepts connections: mutual TLS only (`STRICT`), either (`PERMISSIVE`), or plain text (`DISABLE`). */
export type IstioMtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

/**
 * Spec of a PeerAuthentication.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export interface PeerAuthenticationSpec {
  readonly selector?: IstioWorkloadSelector;
  readonly mtls?: { readonly mode: IstioMtlsMode };
  /** Per container port (a selector is then required). */
  readonly portLevelMtls?: Readonly<Record<string, { readonly mode: IstioMtlsMode }>>;
}

/** Who sent a request, as the mesh authenticated it; the fields of one source are ANDed. */
export interface IstioAuthorizationSource {
  /** Peer identities, `<trust domain>/ns/<namespace>/sa/<service account>`. */
  readonly principals?: readonly string[];
  /** Namespaces of the peers' identities. */
  readonly namespaces?: readonly string[];
  /** Source addresses in CIDR form. */
  readonly ipBlocks?: readonly string[];
}

/** What a request asks for; the fields of one operation are ANDed. */
export interface IstioAuthorizationOperation {
  /** Destination ports (the workload's container ports), as strings. */
  readonly ports?: readonly string[];
  readonly methods?: readonly string[];
  readonly paths?: readonly string[];
}

/** One rule of an AuthorizationPolicy: a request matches when it matches any source and any operation. */
export interface IstioAuthorizationRule {
  readonly from?: ReadonlyArray<{ readonly source: IstioAuthorizationSource }>;
  readonly to?: ReadonlyArray<{ readonly operation: IstioAuthorizationOperation }>;
}

/**
 * Spec of an AuthorizationPolicy. An `ALLOW` policy without rules allows nothing.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export interface AuthorizationPolicySpec {
  readonly selector?: IstioWorkloadSelector;
  readonly action?: 'ALLOW' | 'DENY' | 'AUDIT';
  readonly rules?: readonly IstioAuthorizationRule[];
}

/** Tracing settings of a Telemetry resource. */
export interface IstioTracing {
  /** Extension providers (meshConfig) receiving the spans; without it, the mesh's default tracing provider. */
  readonly providers?: ReadonlyArray<{ readonly name: string }>;
  /** Percent of requests traced when no upstream decided, 0 to 100. */
  readonly randomSamplingPercentage?: number;
  readonly disableSpanReporting?: boolean;
}

/**
 * Spec of a Telemetry resource.
 * @see https://istio.io/latest/docs/reference/config/telemetry/
 */
export interface TelemetrySpec {
  readonly selector?: IstioWorkloadSelector;
  readonly tracing?: readonly IstioTracing[];
}

/** Props of the Istio L1 classes: metadata plus a typed spec. */
export interface IstioResourceProps<S> {
  readonly metadata: ApiObjectMetadata;
  readonly spec: S;
}

const NETWORKING = 'networking.istio.io/v1';
const SECURITY = 'security.istio.io/v1';
const TELEMETRY = 'telemetry.istio.io/v1';

/**
 * An Istio VirtualService: routing rules for a host, such as a weighted split between subsets.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class VirtualService extends ApiObject {
  constructor(scope: Construct, id: string, props: IstioResourceProps<VirtualServiceSpec>) {
    super(scope, id, { apiVersion: NETWORKING, kind: 'VirtualService', metadata: props.metadata, spec: props.spec });
  }
}

/**
 * An Istio DestinationRule: subsets of a host's endpoints and the traffic policy towards them.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export class DestinationRule extends ApiObject {
  constructor(scope: Construct, id: string, props: IstioResourceProps<DestinationRuleSpec>) {
    super(scope, id, { apiVersion: NETWORKING, kind: 'DestinationRule', metadata: props.metadata, spec: props.spec });
  }
}

/**
 * An Istio PeerAuthentication: whether the selected workloads accept plain-text connections or mutual TLS only.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export class PeerAuthentication extends ApiObject {
  constructor(scope: Construct, id: string, props: IstioResourceProps<PeerAuthenticationSpec>) {
    super(scope, id, { apiVersion: SECURITY, kind: 'PeerAuthentication', metadata: props.metadata, spec: props.spec });
  }
}

/**
 * An Istio AuthorizationPolicy: which authenticated peers may send which requests to the selected workloads.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export class AuthorizationPolicy extends ApiObject {
  constructor(scope: Construct, id: string, props: IstioResourceProps<AuthorizationPolicySpec>) {
    super(scope, id, { apiVersion: SECURITY, kind: 'AuthorizationPolicy', metadata: props.metadata, spec: props.spec });
  }
}

/**
 * An Istio Telemetry resource: tracing, metrics and access logging of the selected workloads' proxies.
 * @see https://istio.io/latest/docs/reference/config/telemetry/
 */
export class Telemetry extends ApiObject {
  constructor(scope: Construct, id: string, props: IstioResourceProps<TelemetrySpec>) {
    super(scope, id, { apiVersion: TELEMETRY, kind: 'Telemetry', metadata: props.metadata, spec: props.spec });
  }
}

/** One server of an Istio Gateway: a port and the hosts it accepts. */
export interface IstioGatewayServer {
  readonly port: { readonly number: number; readonly name: string; readonly protocol: 'HTTP' | 'HTTPS' | 'HTTP2' | 'GRPC' | 'TCP' | 'TLS' };
  readonly hosts: readonly string[];
}

/** Spec of an Istio Gateway: which gateway pods (by label) serve which servers. */
export interface IstioGatewaySpec {
  readonly selector: Readonly<Record<string, string>>;
  readonly servers: readonly IstioGatewayServer[];
}

/**
 * An Istio Gateway: the ports and hosts an ingress gateway's pods accept, routed by VirtualServices bound to it.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export class IstioGateway extends ApiObject {
  constructor(scope: Construct, id: string, props: IstioResourceProps<IstioGatewaySpec>) {
    super(scope, id, { apiVersion: NETWORKING, kind: 'Gateway', metadata: props.metadata, spec: props.spec });
  }
}
