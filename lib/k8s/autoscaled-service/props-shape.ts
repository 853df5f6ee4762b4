/**
 * The runtime shapes of `AutoscaledServiceProps` and the option interfaces it nests, checked by the shared guard
 * before any default is applied or any prop read (a plain-JavaScript caller gets a message, never a TypeError).
 * The compiler proves each table covers its interface exactly. The guard checks type and gross range only; the
 * rule table (`rules.ts`) judges meaning (whole ports from 1 to 65535, minReplicas at most maxReplicas, ...) with
 * its own messages, so the shapes of the props it judges stay loose.
 */
import {
  CONTAINER_RESOURCES, DNS_LABEL, DURATION, METADATA, PropShape, shape, SIZE, STRING_MAP,
} from '../../private/prop-guard';
import type { KedaOptions } from './keda';
import type { AutoscaledServiceIngressOptions, AutoscaledServiceMeshOptions, EgressRule, NetworkPeer, ServiceMonitorOptions } from './network';
import { DrainMethod, SpreadPolicy } from './pod';
import type { AutoscaledServiceProps } from './props';
import type { ScalingBehavior } from './scaling';
import { CIDR, DNS_SUBDOMAIN, HTTP_PATH, IMAGE, LABEL_VALUE, LABELS, RULED_NUMBER } from './shapes';

/** `ScalingMetric`, recognised by its members. */
export const SCALING_METRIC = shape.value('ScalingMetric', ['targetType', 'isUtilization'], 'ScalingMetric.cpu(70)');
/** `RolloutStrategy`, recognised by its members. */
export const ROLLOUT_STRATEGY = shape.value('RolloutStrategy', ['toDeploymentStrategy', 'maxSurge', 'maxUnavailable'], 'RolloutStrategy.rollingUpdate()');
/** `DisruptionBudget`, recognised by its members. */
export const DISRUPTION_BUDGET = shape.value('DisruptionBudget', ['allowedDisruptions', 'intOrString'], 'DisruptionBudget.maxUnavailablePercent(20)');
/** `KedaTrigger`, recognised by its members. */
export const KEDA_TRIGGER = shape.value('KedaTrigger', ['type', 'metadata'], 'KedaTrigger.prometheus({ ... })');

/** `ScalingBehavior` (`scaleUp`, `scaleDown`). */
export const SCALING_BEHAVIOR_SHAPES = {
  maxPercent: RULED_NUMBER,
  maxPods: RULED_NUMBER,
  period: DURATION,
  stabilizationWindow: DURATION,
} satisfies { readonly [K in keyof Required<ScalingBehavior>]: PropShape };

/** `KedaOptions` (`keda`). */
export const KEDA_OPTIONS_SHAPES = {
  triggers: shape.required(shape.list(KEDA_TRIGGER, 100)),
  pollingInterval: DURATION,
  cooldownPeriod: DURATION,
} satisfies { readonly [K in keyof Required<KedaOptions>]: PropShape };

/** `NetworkPeer` (`allowFrom` items). */
export const NETWORK_PEER_SHAPES = {
  namespace: DNS_LABEL,
  namespaceLabels: LABELS,
  podLabels: LABELS,
  cidr: CIDR,
  serviceAccount: DNS_SUBDOMAIN,
} satisfies { readonly [K in keyof Required<NetworkPeer>]: PropShape };

/** `EgressRule` (`allowEgressTo` items). */
export const EGRESS_RULE_SHAPES = {
  ...NETWORK_PEER_SHAPES,
  ports: shape.required(shape.list(RULED_NUMBER, 100)),
} satisfies { readonly [K in keyof Required<EgressRule>]: PropShape };

/** `AutoscaledServiceIngressOptions` (`ingress`); the host's DNS rule is the rule table's. */
export const INGRESS_OPTIONS_SHAPES = {
  host: shape.required(shape.string({ maxLength: 253 })),
  path: HTTP_PATH,
  tlsSecretName: DNS_SUBDOMAIN,
  className: DNS_SUBDOMAIN,
  controllerNamespace: DNS_LABEL,
  sourceCidrs: shape.list(CIDR, 50),
  annotations: STRING_MAP,
} satisfies { readonly [K in keyof Required<AutoscaledServiceIngressOptions>]: PropShape };

/** `ServiceMonitorOptions` (`serviceMonitor`). */
export const SERVICE_MONITOR_OPTIONS_SHAPES = {
  path: HTTP_PATH,
  port: RULED_NUMBER,
  interval: DURATION,
  prometheusNamespace: DNS_LABEL,
} satisfies { readonly [K in keyof Required<ServiceMonitorOptions>]: PropShape };

/**
 * `AutoscaledServiceMeshOptions` (`mesh`). Numbers, durations, the header and the retry conditions are judged by the
 * rule table, with messages that name the Istio field.
 */
export const MESH_OPTIONS_SHAPES = {
  maxConnections: RULED_NUMBER,
  maxPendingRequests: RULED_NUMBER,
  maxRequests: RULED_NUMBER,
  consecutive5xxErrors: RULED_NUMBER,
  outlierDetectionInterval: DURATION,
  baseEjectionTime: DURATION,
  consistentHashHeader: shape.string({ maxLength: 256 }),
  retryAttempts: RULED_NUMBER,
  perTryTimeout: DURATION,
  retryOn: shape.string({ maxLength: 1024 }),
  timeout: DURATION,
  tracingSamplingPercentage: RULED_NUMBER,
  tracingProvider: shape.string({ maxLength: 253 }),
  trustDomain: DNS_SUBDOMAIN,
  istiodNamespace: DNS_LABEL,
} satisfies { readonly [K in keyof Required<AutoscaledServiceMeshOptions>]: PropShape };

/** `AutoscaledServiceProps`. Names, ports, replicas and the user id are judged by the rule table. */
export const AUTOSCALED_SERVICE_PROP_SHAPES = {
  name: shape.string({ maxLength: 253 }),
  namespace: shape.string({ maxLength: 253 }),
  partOf: LABEL_VALUE,
  metadata: METADATA,
  image: shape.required(IMAGE),
  port: shape.required(RULED_NUMBER),
  portName: shape.string({ maxLength: 63 }),
  servicePort: RULED_NUMBER,
  minReplicas: RULED_NUMBER,
  maxReplicas: shape.required(RULED_NUMBER),
  metrics: shape.list(SCALING_METRIC, 100),
  scaleUp: shape.object(SCALING_BEHAVIOR_SHAPES),
  scaleDown: shape.object(SCALING_BEHAVIOR_SHAPES),
  hpa: shape.boolean(),
  keda: shape.object(KEDA_OPTIONS_SHAPES),
  strategy: ROLLOUT_STRATEGY,
  disruptionBudget: DISRUPTION_BUDGET,
  resources: CONTAINER_RESOURCES,
  readinessPath: HTTP_PATH,
  livenessPath: HTTP_PATH,
  startupPath: HTTP_PATH,
  startupTimeout: DURATION,
  terminationGracePeriod: DURATION,
  drain: DURATION,
  drainMethod: shape.oneOf(DrainMethod),
  env: STRING_MAP,
  config: STRING_MAP,
  envFromSecrets: shape.list(DNS_SUBDOMAIN, 100),
  secretVolumes: shape.list(shape.object({
    secretName: shape.required(DNS_SUBDOMAIN),
    mountPath: shape.required(shape.string({ maxLength: 1024, pattern: /^\/(?!tmp(\/|$))[^\0]*$/, patternRule: 'must be an absolute path outside /tmp' })),
  }), 20),
  runAsUser: RULED_NUMBER,
  tmpSize: SIZE,
  zoneSpread: shape.oneOf(SpreadPolicy),
  nodeSpread: shape.oneOf(SpreadPolicy),
  allowFrom: shape.list(shape.object(NETWORK_PEER_SHAPES), 100),
  allowEgressTo: shape.list(shape.object(EGRESS_RULE_SHAPES), 100),
  ingress: shape.object(INGRESS_OPTIONS_SHAPES),
  serviceMonitor: shape.object(SERVICE_MONITOR_OPTIONS_SHAPES),
  mesh: shape.object(MESH_OPTIONS_SHAPES),
  vpaRecommendations: shape.boolean(),
} satisfies { readonly [K in keyof Required<AutoscaledServiceProps>]: PropShape };
