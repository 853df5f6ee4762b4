import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 classes for the Istio traffic-management resources fleetcraft emits (networking.istio.io/v1), covering
 * the fields it uses. Checked against the Istio CRDs in tests.
 * @see https://istio.io/latest/docs/reference/config/networking/
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

/** Retry policy of an HTTP route. */
export interface IstioHttpRetry {
  readonly attempts?: number;
  /** Go duration, e.g. `2s`. */
  readonly perTryTimeout?: string;
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

/** Traffic policy of a DestinationRule (the fields fleetcraft uses). */
export interface IstioTrafficPolicy {
  readonly tls?: { readonly mode?: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL' };
  readonly loadBalancer?: { readonly simple?: 'UNSPECIFIED' | 'LEAST_CONN' | 'RANDOM' | 'PASSTHROUGH' | 'ROUND_ROBIN' | 'LEAST_REQUEST' };
}

/** Spec of a DestinationRule. */
export interface DestinationRuleSpec {
  readonly host: string;
  readonly subsets?: readonly DestinationRuleSubset[];
  readonly trafficPolicy?: IstioTrafficPolicy;
  readonly exportTo?: readonly string[];
}

/** Props of the Istio L1 classes: metadata plus a typed spec. */
export interface IstioResourceProps<S> {
  readonly metadata: ApiObjectMetadata;
  readonly spec: S;
}

const API_VERSION = 'networking.istio.io/v1';

/**
 * An Istio VirtualService: routing rules for a host, such as a weighted split between subsets.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class VirtualService extends ApiObject {
  constructor(scope: Construct, id: string, props: IstioResourceProps<VirtualServiceSpec>) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'VirtualService', metadata: props.metadata, spec: props.spec });
  }
}

/**
 * An Istio DestinationRule: subsets of a host's endpoints and the traffic policy towards them.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export class DestinationRule extends ApiObject {
  constructor(scope: Construct, id: string, props: IstioResourceProps<DestinationRuleSpec>) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'DestinationRule', metadata: props.metadata, spec: props.spec });
  }
}
