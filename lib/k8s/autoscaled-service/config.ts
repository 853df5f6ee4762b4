import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { AutoscaledServiceProps, SecretVolume } from './props';
import type { KedaOptions } from './keda';
import type { AutoscaledServiceIngressOptions, EgressRule, NetworkPeer } from './network';
import { AutoscalerKind, DrainMethod, SpreadPolicy } from './pod';
import { DisruptionBudget, ScalingBehavior } from './scaling';
import { RolloutStrategy, RolloutStrategyType } from './rollout-strategy';
import { ScalingMetric } from './scaling-metric';
import { selectorLabels, standardLabels } from '../../private/labels';

/** The label telling an `AutoscaledService`'s Deployment tracks apart (`stable`, `canary`, `blue`, `green`). */
export const TRACK_LABEL = 'fleetcraft.io/track';
/** The pod-template annotation holding a hash of `config`, so a config change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'fleetcraft.io/config-hash';
/** The name of the application container. */
export const APP_CONTAINER = 'app';
/** The ingress controller's namespace when `ingress.controllerNamespace` is not given. */
export const DEFAULT_INGRESS_CONTROLLER_NAMESPACE = 'ingress-nginx';
/** The startup probe's period; `startupTimeout` is a whole number of these. */
export const STARTUP_PERIOD_SECONDS = 5;

/** A scaling direction with every default applied. */
export interface ResolvedBehavior {
  readonly maxPercent: number;
  readonly maxPods?: number;
  readonly period: Duration;
  readonly stabilizationWindow: Duration;
}

/** One Deployment track: its objects' names, image, replicas and selector. */
export interface ResolvedTrack {
  /** The `fleetcraft.io/track` value. */
  readonly key: string;
  /** Id of the namespace construct holding the track's objects; undefined for the service itself. */
  readonly scopeId?: string;
  /** Name of the track's Deployment, autoscaler, PDB and VPA. */
  readonly objectName: string;
  readonly image: string;
  /** The prop that set `image`, for messages. */
  readonly imageProp: string;
  readonly minReplicas: number;
  /** The prop that set `minReplicas`, for messages. */
  readonly minReplicasProp: string;
  /** Selector and pod labels of the track. */
  readonly selector: Readonly<Record<string, string>>;
  /** The PDB budget of the track, or undefined for none. */
  readonly disruptionBudget?: DisruptionBudget;
}

/** The mesh options with every default applied, and the namespace the mesh objects name. */
export interface ResolvedMesh {
  /** `namespace`, or the chart's: principals, source namespaces and the host's FQDN need it; undefined if neither. */
  readonly namespace?: string;
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly consecutive5xxErrors: number;
  readonly outlierDetectionInterval: Duration;
  readonly baseEjectionTime: Duration;
  readonly consistentHashHeader: string;
  readonly retryAttempts: number;
  readonly perTryTimeout: Duration;
  readonly retryOn: string;
  readonly timeout: Duration;
  readonly tracingSamplingPercentage: number;
  readonly tracingProvider?: string;
  readonly trustDomain: string;
  readonly istiodNamespace: string;
}

/** Retry conditions of the mesh's routes by default: failures the app most likely never processed. */
export const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,503';

/** Everything an `AutoscaledService` builds from, defaults applied. */
export interface ResolvedAutoscaledService {
  readonly id: string;
  readonly props: AutoscaledServiceProps;
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
  readonly port: number;
  readonly portName: string;
  readonly servicePort: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly metrics: readonly ScalingMetric[];
  readonly scaleUp: ResolvedBehavior;
  readonly scaleDown: ResolvedBehavior;
  readonly autoscaler: AutoscalerKind;
  readonly keda?: KedaOptions;
  readonly strategy: RolloutStrategy;
  readonly resources: kplus.ContainerResources;
  readonly readinessPath: string;
  readonly livenessPath: string;
  readonly startupPath: string;
  readonly startupTimeout: Duration;
  readonly terminationGracePeriod: Duration;
  readonly drain: Duration;
  readonly drainMethod: DrainMethod;
  readonly env: Readonly<Record<string, string>>;
  readonly config?: Readonly<Record<string, string>>;
  readonly envFromSecrets: readonly string[];
  readonly secretVolumes: readonly SecretVolume[];
  readonly runAsUser: number;
  readonly tmpSize: Size;
  readonly zoneSpread: SpreadPolicy;
  readonly nodeSpread: SpreadPolicy;
  readonly allowFrom: readonly NetworkPeer[];
  readonly allowEgressTo: readonly EgressRule[];
  readonly ingress?: AutoscaledServiceIngressOptions;
  readonly metricsPort?: { readonly port: number; readonly name: string; readonly path: string; readonly interval: Duration; readonly prometheusNamespace: string };
  readonly mesh?: ResolvedMesh;
  readonly vpaRecommendations: boolean;
  readonly tracks: readonly ResolvedTrack[];
  /** The track the Service sends traffic to (blue-green), or `stable`. */
  readonly trafficTrack: string;
}

const DEFAULT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(250) },
  memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
};

/** The default PDB: keeps 80 % available, expressed as maxUnavailable so it stays valid as the HPA scales. */
const DEFAULT_BUDGET = DisruptionBudget.maxUnavailablePercent(20);
/** The default PDB of a track whose minimum is one pod but which can scale above it: one eviction at a time. */
const SINGLE_POD_BUDGET = DisruptionBudget.maxUnavailable(1);

function behavior(given: ScalingBehavior | undefined, maxPercent: number, period: Duration, window: Duration): ResolvedBehavior {
  return {
    maxPercent: given?.maxPercent ?? maxPercent,
    maxPods: given?.maxPods,
    period: given?.period ?? period,
    stabilizationWindow: given?.stabilizationWindow ?? window,
  };
}

/**
 * Applies every default of `AutoscaledServiceProps` (no validation: see `checkAutoscaledService`). `chartNamespace`
 * is the namespace of the chart the service is in, which the mesh objects fall back to.
 */
export function resolveAutoscaledService(id: string, props: AutoscaledServiceProps, chartNamespace?: string): ResolvedAutoscaledService {
  const name = props.name ?? id;
  const identity = { name, instance: name, component: 'server', partOf: props.partOf };
  const labels = standardLabels(identity);
  const selector = selectorLabels(identity);
  const minReplicas = props.minReplicas ?? 2;
  const strategy = props.strategy ?? RolloutStrategy.rollingUpdate();
  const autoscaler = props.keda ? AutoscalerKind.KEDA : (props.hpa ?? true) ? AutoscalerKind.HPA : AutoscalerKind.NONE;
  const budgetFor = (min: number): DisruptionBudget | undefined => {
    // A track that can run more than one pod needs a budget (reliability/pdb); at one pod it must still allow one eviction.
    const max = autoscaler === AutoscalerKind.NONE ? min : Math.max(min, props.maxReplicas);
    const budget = props.disruptionBudget ?? (min > 1 ? DEFAULT_BUDGET : max > 1 ? SINGLE_POD_BUDGET : undefined);
    return budget?.field === undefined ? undefined : budget;
  };
  const track = (key: string, scopeId: string | undefined, objectName: string, image: string, imageProp: string, min: number, minProp: string): ResolvedTrack => ({
    key, scopeId, objectName, image, imageProp, minReplicas: min, minReplicasProp: minProp,
    selector: { ...selector, [TRACK_LABEL]: key }, disruptionBudget: budgetFor(min),
  });

  let tracks: ResolvedTrack[];
  let trafficTrack = 'stable';
  switch (strategy.type) {
    case RolloutStrategyType.BLUE_GREEN: {
      const bg = strategy.blueGreenOptions;
      tracks = [
        track('blue', 'Blue', `${name}-blue`, bg?.blueImage ?? props.image, bg?.blueImage ? 'strategy.blueImage' : 'image', minReplicas, 'minReplicas'),
        track('green', 'Green', `${name}-green`, bg?.greenImage ?? props.image, bg?.greenImage ? 'strategy.greenImage' : 'image', minReplicas, 'minReplicas'),
      ];
      trafficTrack = String(bg?.active);
      break;
    }
    case RolloutStrategyType.CANARY: {
      const canary = strategy.canaryOptions;
      tracks = [
        track('stable', undefined, name, props.image, 'image', minReplicas, 'minReplicas'),
        track('canary', 'Canary', `${name}-canary`, canary?.canaryImage ?? props.image, canary?.canaryImage ? 'strategy.canaryImage' : 'image',
          canary?.canaryMinReplicas ?? 1, 'strategy.canaryMinReplicas'),
      ];
      break;
    }
    default:
      tracks = [track('stable', undefined, name, props.image, 'image', minReplicas, 'minReplicas')];
  }

  const monitor = props.serviceMonitor;
  const metricsPort = monitor ? {
    port: monitor.port ?? props.port,
    name: monitor.port === undefined || monitor.port === props.port ? (props.portName ?? 'http') : 'metrics',
    path: monitor.path ?? '/metrics',
    interval: monitor.interval ?? Duration.seconds(30),
    prometheusNamespace: monitor.prometheusNamespace ?? 'monitoring',
  } : undefined;

  const m = props.mesh;
  const mesh: ResolvedMesh | undefined = m ? {
    namespace: props.namespace ?? chartNamespace,
    maxConnections: m.maxConnections ?? 1000,
    maxPendingRequests: m.maxPendingRequests ?? 1000,
    maxRequests: m.maxRequests ?? 1000,
    consecutive5xxErrors: m.consecutive5xxErrors ?? 5,
    outlierDetectionInterval: m.outlierDetectionInterval ?? Duration.seconds(10),
    baseEjectionTime: m.baseEjectionTime ?? Duration.seconds(30),
    consistentHashHeader: m.consistentHashHeader ?? 'x-user-id',
    retryAttempts: m.retryAttempts ?? 3,
    perTryTimeout: m.perTryTimeout ?? Duration.seconds(2),
    retryOn: m.retryOn ?? DEFAULT_RETRY_ON,
    timeout: m.timeout ?? Duration.seconds(10),
    tracingSamplingPercentage: m.tracingSamplingPercentage ?? 10,
    tracingProvider: m.tracingProvider,
    trustDomain: m.trustDomain ?? 'cluster.local',
    istiodNamespace: m.istiodNamespace ?? 'istio-system',
  } : undefined;

  return {
    id,
    props,
    name,
    namespace: props.namespace,
    labels,
    selector,
    port: props.port,
    portName: props.portName ?? 'http',
    servicePort: props.servicePort ?? props.port,
    minReplicas,
    maxReplicas: props.maxReplicas,
    metrics: props.metrics ?? [ScalingMetric.cpu(70)],
    scaleUp: behavior(props.scaleUp, 50, Duration.minutes(1), Duration.seconds(60)),
    scaleDown: behavior(props.scaleDown, 10, Duration.minutes(5), Duration.seconds(300)),
    autoscaler,
    keda: props.keda,
    strategy,
    resources: props.resources ?? DEFAULT_RESOURCES,
    readinessPath: props.readinessPath ?? '/ready',
    livenessPath: props.livenessPath ?? '/healthz',
    startupPath: props.startupPath ?? '/startup',
    startupTimeout: props.startupTimeout ?? Duration.seconds(150),
    terminationGracePeriod: props.terminationGracePeriod ?? Duration.seconds(60),
    drain: props.drain ?? Duration.seconds(30),
    drainMethod: props.drainMethod ?? DrainMethod.SLEEP,
    env: props.env ?? {},
    config: props.config,
    envFromSecrets: props.envFromSecrets ?? [],
    secretVolumes: props.secretVolumes ?? [],
    runAsUser: props.runAsUser ?? 65532,
    tmpSize: props.tmpSize ?? Size.mebibytes(64),
    zoneSpread: props.zoneSpread ?? SpreadPolicy.SCHEDULE_ANYWAY,
    nodeSpread: props.nodeSpread ?? SpreadPolicy.SCHEDULE_ANYWAY,
    allowFrom: props.allowFrom ?? [{}],
    allowEgressTo: props.allowEgressTo ?? [],
    ingress: props.ingress,
    metricsPort,
    mesh,
    vpaRecommendations: props.vpaRecommendations ?? false,
    tracks,
    trafficTrack,
  };
}
