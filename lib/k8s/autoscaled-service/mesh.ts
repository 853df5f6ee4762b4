import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { NetworkPeer } from './network';
import {
  AuthorizationPolicy, DestinationRule, IstioAuthorizationRule, IstioAuthorizationSource, IstioHttpRetry, IstioTrafficPolicy,
  PeerAuthentication, Telemetry, VirtualService,
} from '../resources/istio';
import { RolloutStrategyType } from './rollout-strategy';
import { DEFAULT_INGRESS_CONTROLLER_NAMESPACE, ResolvedAutoscaledService, ResolvedMesh, TRACK_LABEL } from './config';
import { dnsEgress } from '../../private/network-policy';
import { goDuration } from '../../private/quantities';

/** The pod label asking Istio's injector for a sidecar. */
export const ISTIO_INJECT_LABEL = 'sidecar.istio.io/inject';
/** The pod annotation running the proxy as a native sidecar: started before the app, stopped after it. */
export const NATIVE_SIDECAR_ANNOTATION = 'sidecar.istio.io/nativeSidecar';
/** istiod's port for xDS configuration and certificate signing (mTLS). */
export const ISTIOD_XDS_PORT = 15012;
/** The istio-agent's port serving the merged (app and proxy) metrics in plain text, outside mTLS. */
export const MERGED_METRICS_PORT = 15020;
/** The Service port's name for {@link MERGED_METRICS_PORT}. */
export const MERGED_METRICS_PORT_NAME = 'mesh-metrics';
/** The path of the merged metrics. */
export const MERGED_METRICS_PATH = '/stats/prometheus';

const byName = (namespace: string): kplus.k8s.LabelSelector => ({ matchLabels: { 'kubernetes.io/metadata.name': namespace } });

/** Labels and annotations the pod template gets with `mesh`: injection, native sidecar, and metrics merging. */
export function meshPodMetadata(c: ResolvedAutoscaledService): { labels: Record<string, string>; annotations: Record<string, string> } {
  if (!c.mesh) return { labels: {}, annotations: {} };
  // Istio's metrics merging reads these (its injector then points them at the merged endpoint).
  const scrape: Record<string, string> = c.metricsPort ? {
    'prometheus.io/scrape': 'true', 'prometheus.io/port': String(c.metricsPort.port), 'prometheus.io/path': c.metricsPort.path,
  } : {};
  return { labels: { [ISTIO_INJECT_LABEL]: 'true' }, annotations: { [NATIVE_SIDECAR_ANNOTATION]: 'true', ...scrape } };
}

/** The egress the proxy needs: istiod (configuration and certificates) and the cluster DNS. */
export function meshEgress(m: ResolvedMesh): kplus.k8s.NetworkPolicyEgressRule[] {
  return [
    {
      to: [{ namespaceSelector: byName(m.istiodNamespace), podSelector: { matchLabels: { app: 'istiod' } } }],
      ports: [{ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(ISTIOD_XDS_PORT) }],
    },
    dnsEgress(),
  ];
}

/** The AuthorizationPolicy source of an `allowFrom` peer: an IP block, a service account's principal, or a namespace. */
export function authorizationSource(peer: NetworkPeer, m: ResolvedMesh): IstioAuthorizationSource {
  if (peer.cidr !== undefined) return { ipBlocks: [peer.cidr] };
  const namespace = peer.namespace ?? String(m.namespace);
  if (peer.serviceAccount !== undefined) return { principals: [`${m.trustDomain}/ns/${namespace}/sa/${peer.serviceAccount}`] };
  return { namespaces: [namespace] };
}

/** The rules of the service's AuthorizationPolicy: callers on its port, the ingress controller, Prometheus. */
export function authorizationRules(c: ResolvedAutoscaledService, m: ResolvedMesh): IstioAuthorizationRule[] {
  const to = (port: number) => [{ operation: { ports: [String(port)] } }];
  const rules: IstioAuthorizationRule[] = [];
  if (c.allowFrom.length > 0) rules.push({ from: c.allowFrom.map((p) => ({ source: authorizationSource(p, m) })), to: to(c.port) });
  if (c.ingress) rules.push({ from: [{ source: { namespaces: [c.ingress.controllerNamespace ?? DEFAULT_INGRESS_CONTROLLER_NAMESPACE] } }], to: to(c.port) });
  if (c.metricsPort) rules.push({ from: [{ source: { namespaces: [c.metricsPort.prometheusNamespace] } }], to: to(c.metricsPort.port) });
  return rules;
}

/** The DestinationRule's traffic policy: circuit breaking, outlier detection, consistent hashing, mesh mTLS. */
export function meshTrafficPolicy(m: ResolvedMesh): IstioTrafficPolicy {
  return {
    connectionPool: {
      tcp: { maxConnections: m.maxConnections },
      http: { http1MaxPendingRequests: m.maxPendingRequests, http2MaxRequests: m.maxRequests },
    },
    outlierDetection: {
      consecutive5xxErrors: m.consecutive5xxErrors,
      interval: goDuration(m.outlierDetectionInterval),
      baseEjectionTime: goDuration(m.baseEjectionTime),
    },
    loadBalancer: { consistentHash: { httpHeaderName: m.consistentHashHeader } },
    tls: { mode: 'ISTIO_MUTUAL' },
  };
}

/** The route's retry policy; with no attempts, only `attempts: 0` (Istio refuses the other fields then). */
export function meshRetries(m: ResolvedMesh): IstioHttpRetry {
  return m.retryAttempts === 0 ? { attempts: 0 } : { attempts: m.retryAttempts, perTryTimeout: goDuration(m.perTryTimeout), retryOn: m.retryOn };
}

/** The Istio routing of a canary and/or a mesh service: one VirtualService and one DestinationRule for its host. */
export interface MeshRouting {
  readonly virtualService?: VirtualService;
  readonly destinationRule?: DestinationRule;
}

/**
 * Builds the VirtualService and the DestinationRule: with a canary, the weighted split between the stable and canary
 * subsets; with `mesh`, the traffic policy, retries and timeout on the same objects (never two for one host).
 */
export function buildRouting(scope: Construct, c: ResolvedAutoscaledService): MeshRouting {
  const canary = c.strategy.type === RolloutStrategyType.CANARY;
  const m = c.mesh;
  if (!canary && !m) return {};
  const meta = { name: c.name, namespace: c.namespace, labels: { ...c.labels } };
  const namespace = m?.namespace ?? c.namespace;
  const host = namespace ? `${c.name}.${namespace}.svc.cluster.local` : c.name;
  const destination = (subset?: string) => ({ host, subset, port: { number: c.servicePort } });
  const virtualService = new VirtualService(scope, 'VirtualService', {
    metadata: meta,
    spec: {
      hosts: [host],
      http: [{
        name: canary ? 'canary' : 'default',
        route: canary
          ? [{ destination: destination('stable'), weight: c.strategy.stableWeight }, { destination: destination('canary'), weight: c.strategy.canaryWeight }]
          : [{ destination: destination() }],
        timeout: m ? goDuration(m.timeout) : undefined,
        retries: m ? meshRetries(m) : undefined,
      }],
    },
  });
  const destinationRule = new DestinationRule(scope, 'DestinationRule', {
    metadata: meta,
    spec: {
      host,
      subsets: canary ? c.tracks.map((t) => ({ name: t.key, labels: { [TRACK_LABEL]: t.key } })) : undefined,
      trafficPolicy: m ? meshTrafficPolicy(m) : undefined,
    },
  });
  return { virtualService, destinationRule };
}

/** The mesh's security and telemetry objects of one service. */
export interface MeshPolicies {
  readonly peerAuthentication: PeerAuthentication;
  readonly authorizationPolicy: AuthorizationPolicy;
  readonly telemetry: Telemetry;
}

/** Builds the PeerAuthentication (STRICT), the AuthorizationPolicy and the Telemetry of a mesh service's pods. */
export function buildMeshPolicies(scope: Construct, c: ResolvedAutoscaledService, m: ResolvedMesh): MeshPolicies {
  const meta = { name: c.name, namespace: c.namespace, labels: { ...c.labels } };
  const selector = { matchLabels: { ...c.selector } };
  const rules = authorizationRules(c, m);
  return {
    peerAuthentication: new PeerAuthentication(scope, 'PeerAuthentication', { metadata: meta, spec: { selector, mtls: { mode: 'STRICT' } } }),
    // No rules (allowFrom [] without ingress or monitoring) allows nothing, as the NetworkPolicy does.
    authorizationPolicy: new AuthorizationPolicy(scope, 'AuthorizationPolicy', {
      metadata: meta, spec: { selector, action: 'ALLOW', rules: rules.length > 0 ? rules : undefined },
    }),
    telemetry: new Telemetry(scope, 'Telemetry', {
      metadata: meta,
      spec: {
        selector,
        tracing: [{ providers: m.tracingProvider ? [{ name: m.tracingProvider }] : undefined, randomSamplingPercentage: m.tracingSamplingPercentage }],
      },
    }),
  };
}
