import { ApiObjectMetadata, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { KedaOptions } from './keda';
import { AutoscaledServiceIngressOptions, AutoscaledServiceMeshOptions, EgressRule, NetworkPeer, ServiceMonitorOptions } from './network';
import { AutoscalerKind, DrainMethod, SpreadPolicy } from './pod';
import { DisruptionBudget, ScalingBehavior } from './scaling';
import { ScaledObject } from '../resources/keda';
import { VerticalPodAutoscaler } from '../resources/vpa';
import { RolloutStrategy } from './rollout-strategy';
import { ScalingMetric } from './scaling-metric';

/** A Secret mounted as a read-only volume. */
export interface SecretVolume {
  /** The Secret's name (in the service's namespace). */
  readonly secretName: string;
  /** Where its keys appear as files, an absolute path (not `/tmp`, which is the writable scratch volume). */
  readonly mountPath: string;
}

/**
 * Props for {@link AutoscaledService}: plain, readonly data (a `FederatedApp` spreads one base and per-member
 * overrides into it, with each member's share of replicas as `minReplicas` / `maxReplicas`).
 */
export interface AutoscaledServiceProps {
  /**
   * Name of the Service and the base of every child's name (a DNS-1123 label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of every object.
   * @default - none (the chart's namespace)
   */
  readonly namespace?: string;
  /**
   * The `app.kubernetes.io/part-of` label on every object.
   * @default - no part-of label
   */
  readonly partOf?: string;
  /**
   * Extra labels and annotations merged into the Deployment(s); the standard labels win.
   * @default - none
   */
  readonly metadata?: ApiObjectMetadata;
  /** The container image, pinned by a tag other than `latest` or by a digest. */
  readonly image: string;
  /** The container port serving requests (and probes). */
  readonly port: number;
  /**
   * The name of that port, on the container and the Service.
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * The port the Service listens on.
   * @default - the same as `port`
   */
  readonly servicePort?: number;
  /**
   * Fewest replicas. With 1, the default PodDisruptionBudget is `maxUnavailable: 1` (none when the service cannot
   * scale above one pod).
   * @default 2
   */
  readonly minReplicas?: number;
  /** Most replicas the autoscaler may run. */
  readonly maxReplicas: number;
  /**
   * What the autoscaler scales on; the largest recommendation wins.
   * @default [ScalingMetric.cpu(70)]
   */
  readonly metrics?: readonly ScalingMetric[];
  /**
   * How fast replicas are added.
   * @default - at most 50 % more per minute, after a 60 s stabilization window
   */
  readonly scaleUp?: ScalingBehavior;
  /**
   * How fast replicas are removed.
   * @default - at most 10 % fewer per 5 minutes, after a 300 s stabilization window
   */
  readonly scaleDown?: ScalingBehavior;
  /**
   * Emit a HorizontalPodAutoscaler. `false` without `keda` runs a fixed `minReplicas`.
   * @default - true, unless `keda` is set
   */
  readonly hpa?: boolean;
  /**
   * Scale with a KEDA ScaledObject instead of the HPA (never both).
   * @default - no KEDA
   */
  readonly keda?: KedaOptions;
  /**
   * How new versions roll out.
   * @default RolloutStrategy.rollingUpdate() (maxSurge 1, maxUnavailable 0)
   */
  readonly strategy?: RolloutStrategy;
  /**
   * The PodDisruptionBudget of each Deployment; refused if it allows no eviction at `minReplicas`.
   * @default - DisruptionBudget.maxUnavailablePercent(20) (keeps 80 % available); DisruptionBudget.maxUnavailable(1)
   * for a Deployment whose minimum is 1 that can scale above it (the canary at `canaryMinReplicas: 1`, a federated
   * member whose share is 1); none for a Deployment that always runs one pod
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Container requests and limits. A memory limit is required; CPU utilisation metrics need a CPU request and
   * memory utilisation metrics a memory request. Replaces the default as a whole.
   * @default - requests 250m CPU and 256Mi memory, memory limit 512Mi, no CPU limit
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * HTTP path of the readiness probe.
   * @default '/ready'
   */
  readonly readinessPath?: string;
  /**
   * HTTP path of the liveness probe.
   * @default '/healthz'
   */
  readonly livenessPath?: string;
  /**
   * HTTP path of the startup probe.
   * @default '/startup'
   */
  readonly startupPath?: string;
  /**
   * How long the startup probe allows the container to start (probed every 5 s).
   * @default Duration.seconds(150)
   */
  readonly startupTimeout?: Duration;
  /**
   * Time between SIGTERM (after the preStop drain) and SIGKILL, drain included.
   * @default Duration.seconds(60)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * How long the preStop hook waits before SIGTERM, while endpoints stop routing to the pod. Must be shorter
   * than `terminationGracePeriod`. `Duration.seconds(0)` emits no hook.
   * @default Duration.seconds(30)
   */
  readonly drain?: Duration;
  /**
   * How the drain waits.
   * @default DrainMethod.SLEEP (the kubelet's sleep action, Kubernetes 1.30+)
   */
  readonly drainMethod?: DrainMethod;
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Configuration, emitted as a ConfigMap `<name>-config` loaded as environment variables; a hash of it on the
   * pod template rolls the pods when it changes.
   * @default - no ConfigMap
   */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Names of Secrets loaded as environment variables.
   * @default - none
   */
  readonly envFromSecrets?: readonly string[];
  /**
   * Secrets mounted whole, read-only, into the container (a client certificate such as a ConsensusStatefulSet's
   * `clientCertificateSecretName`). Whole, not per key: the kubelet then replaces the files when the Secret is
   * renewed, so rotated certificates reach running pods.
   * @default []
   */
  readonly secretVolumes?: readonly SecretVolume[];
  /**
   * The non-root user (and group) the container runs as.
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * Size limit of the writable `/tmp` (an emptyDir; the root filesystem is read-only).
   * @default Size.mebibytes(64)
   */
  readonly tmpSize?: Size;
  /**
   * Spread of each Deployment's pods across zones (`topology.kubernetes.io/zone`, maxSkew 1).
   * @default SpreadPolicy.SCHEDULE_ANYWAY
   */
  readonly zoneSpread?: SpreadPolicy;
  /**
   * Spread of each Deployment's pods across nodes (`kubernetes.io/hostname`, maxSkew 1).
   * @default SpreadPolicy.SCHEDULE_ANYWAY
   */
  readonly nodeSpread?: SpreadPolicy;
  /**
   * Who may call the service's port (the NetworkPolicy's ingress; with `mesh`, the AuthorizationPolicy's sources
   * too). `[]` admits nobody but the ingress controller and Prometheus, when those are on.
   * @default - every pod in the service's own namespace
   */
  readonly allowFrom?: readonly NetworkPeer[];
  /**
   * Destinations the pods may call (DNS comes from the namespace baseline), e.g. a consensus client port. With
   * `mesh`, the NetworkPolicy also allows the proxy's istiod and DNS traffic.
   * @default - none
   */
  readonly allowEgressTo?: readonly EgressRule[];
  /**
   * An Ingress in front of the Service.
   * @default - no Ingress
   */
  readonly ingress?: AutoscaledServiceIngressOptions;
  /**
   * A Prometheus operator ServiceMonitor.
   * @default - no ServiceMonitor
   */
  readonly serviceMonitor?: ServiceMonitorOptions;
  /**
   * Put the service in the Istio mesh: STRICT mTLS, an AuthorizationPolicy derived from `allowFrom`, circuit
   * breaking, retries and timeouts, tracing (see {@link AutoscaledServiceMeshOptions}). Requires Istio's CNI node
   * agent: the `istio-init` container injected without it needs NET_ADMIN and NET_RAW, which the restricted and
   * baseline Pod Security levels refuse.
   * @default - not in the mesh
   */
  readonly mesh?: AutoscaledServiceMeshOptions;
  /**
   * Emit a VerticalPodAutoscaler per Deployment in recommendation mode (`updateMode: Off`): it only records
   * request recommendations, so it never fights the HPA.
   * @default false
   */
  readonly vpaRecommendations?: boolean;
}

/** A workload whose replica count an autoscaler owns: what a `FederatedApp` needs to know of each member. */
export interface IScalableWorkload {
  readonly name: string;
  readonly namespace?: string;
  /** The autoscaler's lower bound (or the fixed count, with no autoscaler). */
  readonly minReplicas: number;
  /** The autoscaler's upper bound. */
  readonly maxReplicas: number;
  /** What owns the replica count: a `FederatedApp` splits bounds for an autoscaler, a fixed count otherwise. */
  readonly autoscaler: AutoscalerKind;
  /** Labels selecting every pod of the workload (all tracks). */
  readonly podSelector: Readonly<Record<string, string>>;
}

/** The objects of one Deployment track: `stable`, `canary`, `blue` or `green`. */
export interface AutoscaledTrack {
  /** The track's value of the `fleetcraft.io/track` label. */
  readonly track: string;
  readonly deployment: kplus.Deployment;
  /** Its HorizontalPodAutoscaler, with the HPA. */
  readonly hpa?: kplus.HorizontalPodAutoscaler;
  /** Its KEDA ScaledObject, with KEDA. */
  readonly scaledObject?: ScaledObject;
  /** Its PodDisruptionBudget, if any. */
  readonly pdb?: kplus.k8s.KubePodDisruptionBudget;
  /** Its VerticalPodAutoscaler, with `vpaRecommendations`. */
  readonly vpa?: VerticalPodAutoscaler;
}
