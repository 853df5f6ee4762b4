import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { EgressRule, NetworkPeer } from './network';
import { AuthorizationPolicy, DestinationRule, PeerAuthentication, Telemetry, VirtualService } from '../resources/istio';
import { ServiceMonitor } from '../resources/prometheus';
import { RolloutStrategyType } from './rollout-strategy';
import { DEFAULT_INGRESS_CONTROLLER_NAMESPACE, ResolvedAutoscaledService, TRACK_LABEL } from './config';
import { buildMeshPolicies, buildRouting, MERGED_METRICS_PATH, MERGED_METRICS_PORT, MERGED_METRICS_PORT_NAME, meshEgress } from './mesh';
import { goDuration } from '../../private/quantities';

/** The objects that expose an `AutoscaledService` and guard who reaches it. */
export interface Exposure {
  readonly service: kplus.Service;
  readonly networkPolicy: kplus.k8s.KubeNetworkPolicy;
  /** The NetworkPolicy's egress rules, read at synth: rules pushed later (`allowEgressTo`) are included. */
  readonly egress: kplus.k8s.NetworkPolicyEgressRule[];
  readonly ingress?: kplus.Ingress;
  readonly serviceMonitor?: ServiceMonitor;
  readonly virtualService?: VirtualService;
  readonly destinationRule?: DestinationRule;
  readonly peerAuthentication?: PeerAuthentication;
  readonly authorizationPolicy?: AuthorizationPolicy;
  readonly telemetry?: Telemetry;
}

type PeerJson = kplus.k8s.NetworkPolicyPeer;

const byName = (namespace: string): kplus.k8s.LabelSelector => ({ matchLabels: { 'kubernetes.io/metadata.name': namespace } });

/** A NetworkPolicy peer from plain data: an IP block, pods in named or labelled namespaces, or pods here. */
export function peerJson(peer: NetworkPeer): PeerJson {
  if (peer.cidr !== undefined) return { ipBlock: { cidr: peer.cidr } };
  const podSelector = peer.podLabels ? { matchLabels: { ...peer.podLabels } } : undefined;
  if (peer.namespace !== undefined) return { namespaceSelector: byName(peer.namespace), podSelector };
  if (peer.namespaceLabels !== undefined) return { namespaceSelector: { matchLabels: { ...peer.namespaceLabels } }, podSelector };
  return { podSelector: podSelector ?? {} };
}

const tcp = (port: number): kplus.k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) });

/** An egress rule of the NetworkPolicy from plain data. */
export function egressJson(rule: EgressRule): kplus.k8s.NetworkPolicyEgressRule {
  return { to: [peerJson(rule)], ports: rule.ports.map(tcp) };
}

/** Builds the Service, NetworkPolicy and the optional Ingress, ServiceMonitor, Istio routing and mesh policies. */
export function buildExposure(scope: Construct, c: ResolvedAutoscaledService): Exposure {
  const meta = { name: c.name, namespace: c.namespace, labels: { ...c.labels } };
  const ports: kplus.ServicePort[] = [{ name: c.portName, port: c.servicePort, targetPort: c.port }];
  const separateMetrics = c.metricsPort !== undefined && c.metricsPort.port !== c.port;
  if (c.metricsPort && separateMetrics) ports.push({ name: c.metricsPort.name, port: c.metricsPort.port, targetPort: c.metricsPort.port });
  // In the mesh, Prometheus (outside it) scrapes the proxy's merged metrics: STRICT mTLS refuses it on the app's ports.
  const mergedMetrics = c.mesh !== undefined && c.metricsPort !== undefined;
  if (mergedMetrics) ports.push({ name: MERGED_METRICS_PORT_NAME, port: MERGED_METRICS_PORT, targetPort: MERGED_METRICS_PORT });

  const service = new kplus.Service(scope, 'Service', { metadata: meta, ports });
  // Blue-green: the Service selects the active colour, the only difference between the two colours' synths.
  const selector = c.strategy.type === RolloutStrategyType.BLUE_GREEN ? { ...c.selector, [TRACK_LABEL]: c.trafficTrack } : c.selector;
  for (const [key, value] of Object.entries(selector)) service.selectLabel(key, value);
  ApiObject.of(service).addJsonPatch(JsonPatch.remove('/spec/externalIPs'));

  const ingressRules: kplus.k8s.NetworkPolicyIngressRule[] = [];
  if (c.allowFrom.length > 0) ingressRules.push({ from: c.allowFrom.map(peerJson), ports: [tcp(c.port)] });
  if (c.ingress) {
    const lb = (c.ingress.sourceCidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }));
    ingressRules.push({ from: [{ namespaceSelector: byName(c.ingress.controllerNamespace ?? DEFAULT_INGRESS_CONTROLLER_NAMESPACE) }, ...lb], ports: [tcp(c.port)] });
  }
  if (c.metricsPort) {
    const metricsPorts = mergedMetrics ? [tcp(c.metricsPort.port), tcp(MERGED_METRICS_PORT)] : [tcp(c.metricsPort.port)];
    ingressRules.push({ from: [{ namespaceSelector: byName(c.metricsPort.prometheusNamespace) }], ports: metricsPorts });
  }
  // The proxy needs istiod and DNS even where the namespace denies egress by default, so a mesh service always restricts egress.
  const egress = [...(c.mesh ? meshEgress(c.mesh) : []), ...c.allowEgressTo.map(egressJson)];
  const networkPolicy = new kplus.k8s.KubeNetworkPolicy(scope, 'NetworkPolicy', {
    metadata: meta,
    spec: {
      podSelector: { matchLabels: { ...c.selector } },
      policyTypes: Lazy.any({ produce: () => (egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']) }),
      ingress: ingressRules,
      egress: Lazy.any({ produce: () => (egress.length > 0 ? [...egress] : undefined) }),
    },
  });

  let ingress: kplus.Ingress | undefined;
  if (c.ingress) {
    const o = c.ingress;
    ingress = new kplus.Ingress(scope, 'Ingress', {
      metadata: { ...meta, annotations: o.annotations && Object.keys(o.annotations).length > 0 ? { ...o.annotations } : undefined },
      className: o.className,
      rules: [{ host: o.host, path: o.path ?? '/', pathType: kplus.HttpIngressPathType.PREFIX, backend: kplus.IngressBackend.fromService(service, { port: c.servicePort }) }],
      tls: o.tlsSecretName ? [{ hosts: [o.host], secret: kplus.Secret.fromSecretName(scope, 'TlsSecret', o.tlsSecretName) }] : undefined,
    });
  }

  const serviceMonitor = !c.metricsPort ? undefined : new ServiceMonitor(scope, 'ServiceMonitor', {
    metadata: meta,
    spec: {
      selector: { matchLabels: { ...c.selector } },
      endpoints: [mergedMetrics
        ? { port: MERGED_METRICS_PORT_NAME, path: MERGED_METRICS_PATH, interval: goDuration(c.metricsPort.interval) }
        : { port: c.metricsPort.name, path: c.metricsPort.path, interval: goDuration(c.metricsPort.interval) }],
    },
  });

  const { virtualService, destinationRule } = buildRouting(scope, c);
  const policies = c.mesh ? buildMeshPolicies(scope, c, c.mesh) : undefined;
  return {
    service, networkPolicy, egress, ingress, serviceMonitor, virtualService, destinationRule,
    peerAuthentication: policies?.peerAuthentication, authorizationPolicy: policies?.authorizationPolicy, telemetry: policies?.telemetry,
  };
}
