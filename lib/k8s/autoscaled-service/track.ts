import { createHash } from 'crypto';
import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { AutoscaledTrack } from './props';
import { AutoscalerKind, DrainMethod } from './pod';
import { ScaledObject, ScaledObjectTrigger } from '../resources/keda';
import { VerticalPodAutoscaler } from '../resources/vpa';
import { ScalingMetric, ScalingMetricType } from './scaling-metric';
import { APP_CONTAINER, CONFIG_HASH_ANNOTATION, ResolvedAutoscaledService, ResolvedBehavior, ResolvedTrack, STARTUP_PERIOD_SECONDS, TRACK_LABEL } from './config';
import { meshPodMetadata } from './mesh';
import { addLatePatch } from '../../private/late-patch';
import { applyCapabilities, applyRuntimeDefaultSeccomp, restrictedContainerSecurity, restrictedPodSecurity } from '../../private/security';

/** What the tracks of one service share. */
export interface TrackShared {
  readonly serviceAccount: kplus.ServiceAccount;
  readonly envFrom: readonly kplus.EnvFrom[];
}

const CONTAINER = '/spec/template/spec/containers/0';

/** A short, stable hash of the config map's data (sorted keys), for the pod-template annotation. */
export function configHash(config: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(config).sort().map((k) => [k, config[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/** The `autoscaling/v2` behaviour of one direction, as KEDA writes it. */
export function behaviorJson(b: ResolvedBehavior): { stabilizationWindowSeconds: number; selectPolicy: 'Max'; policies: Array<{ type: 'Pods' | 'Percent'; value: number; periodSeconds: number }> } {
  const periodSeconds = b.period.toSeconds();
  return {
    stabilizationWindowSeconds: b.stabilizationWindow.toSeconds(),
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: b.maxPercent, periodSeconds },
      ...(b.maxPods !== undefined ? [{ type: 'Pods' as const, value: b.maxPods, periodSeconds }] : []),
    ],
  };
}

function scalingRules(b: ResolvedBehavior): kplus.ScalingRules {
  return {
    stabilizationWindow: b.stabilizationWindow,
    strategy: kplus.ScalingStrategy.MAX_CHANGE,
    policies: [
      { replicas: kplus.Replicas.percent(b.maxPercent), duration: b.period },
      ...(b.maxPods !== undefined ? [{ replicas: kplus.Replicas.absolute(b.maxPods), duration: b.period }] : []),
    ],
  };
}

function hpaMetric(m: ScalingMetric): kplus.Metric {
  const labelSelector = m.selector ? kplus.LabelSelector.of({ labels: { ...m.selector } }) : undefined;
  switch (m.type) {
    case ScalingMetricType.RESOURCE: {
      const target = kplus.MetricTarget.averageUtilization(m.target);
      return m.name === 'cpu' ? kplus.Metric.resourceCpu(target) : kplus.Metric.resourceMemory(target);
    }
    case ScalingMetricType.PODS:
      return kplus.Metric.pods({ name: m.name, target: kplus.MetricTarget.averageValue(m.target), labelSelector });
    default:
      return kplus.Metric.external({ name: m.name, target: kplus.MetricTarget.averageValue(m.target), labelSelector });
  }
}

function kedaTriggers(c: ResolvedAutoscaledService): ScaledObjectTrigger[] {
  const fromMetrics: ScaledObjectTrigger[] = c.metrics
    .filter((m) => m.type === ScalingMetricType.RESOURCE)
    .map((m) => ({ type: m.name, metricType: 'Utilization', metadata: { value: String(m.target) } }));
  const triggers: ScaledObjectTrigger[] = (c.keda?.triggers ?? []).map((t) => ({
    type: t.type,
    metadata: { ...t.metadata },
    ...(t.authenticationRef ? { authenticationRef: { name: t.authenticationRef } } : {}),
  }));
  return [...fromMetrics, ...triggers];
}

function buildDeployment(scope: Construct, c: ResolvedAutoscaledService, track: ResolvedTrack, shared: TrackShared): kplus.Deployment {
  const labels = { ...c.labels, [TRACK_LABEL]: track.key };
  const user = { user: c.runAsUser, group: c.runAsUser };
  const tmp = kplus.Volume.fromEmptyDir(scope, 'Tmp', 'tmp', { sizeLimit: c.tmpSize });
  const secretVolumes = c.secretVolumes.map((v, i) => ({
    path: v.mountPath,
    volume: kplus.Volume.fromSecret(scope, `SecretVolume${i}`, kplus.Secret.fromSecretName(scope, `SecretVolumeSecret${i}`, v.secretName), { name: `secret-${i}` }),
  }));
  const probe = (path: string, periodSeconds: number, failureThreshold: number): kplus.Probe => kplus.Probe.fromHttpGet(path, {
    port: c.port, periodSeconds: Duration.seconds(periodSeconds), failureThreshold,
  });
  const mesh = meshPodMetadata(c);
  const ports: kplus.ContainerPort[] = [{ number: c.port, name: c.portName }];
  if (c.metricsPort && c.metricsPort.port !== c.port) ports.push({ number: c.metricsPort.port, name: c.metricsPort.name });
  const deployment = new kplus.Deployment(scope, 'Resource', {
    metadata: {
      ...c.props.metadata,
      name: track.objectName,
      namespace: c.namespace,
      labels: { ...c.props.metadata?.labels, ...labels },
    },
    select: false,
    podMetadata: {
      labels: { ...labels, ...mesh.labels },
      annotations: c.config || c.mesh ? { ...(c.config ? { [CONFIG_HASH_ANNOTATION]: configHash(c.config) } : {}), ...mesh.annotations } : undefined,
    },
    replicas: c.autoscaler === AutoscalerKind.NONE ? track.minReplicas : undefined,
    strategy: c.strategy.toDeploymentStrategy(),
    serviceAccount: shared.serviceAccount,
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurity(user),
    terminationGracePeriod: c.terminationGracePeriod,
    volumes: [tmp, ...secretVolumes.map((v) => v.volume)],
    containers: [{
      name: APP_CONTAINER,
      image: track.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports,
      readiness: probe(c.readinessPath, 5, 3),
      liveness: probe(c.livenessPath, 10, 3),
      startup: probe(c.startupPath, STARTUP_PERIOD_SECONDS, Math.ceil(c.startupTimeout.toSeconds() / STARTUP_PERIOD_SECONDS)),
      resources: c.resources,
      envVariables: Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
      envFrom: [...shared.envFrom],
      securityContext: restrictedContainerSecurity(user),
      volumeMounts: [{ path: '/tmp', volume: tmp }, ...secretVolumes.map((v) => ({ path: v.path, volume: v.volume, readOnly: true }))],
      lifecycle: c.drainMethod === DrainMethod.EXEC && c.drain.toSeconds() > 0
        ? { preStop: kplus.Handler.fromCommand(['sleep', String(c.drain.toSeconds())]) }
        : undefined,
    }],
  });
  deployment.select(kplus.LabelSelector.of({ labels: { ...track.selector } }));
  if (c.autoscaler !== AutoscalerKind.NONE) deployment.markHasAutoscaler();

  const api = ApiObject.of(deployment);
  applyCapabilities(deployment, CONTAINER);
  applyRuntimeDefaultSeccomp(deployment);
  // cdk8s-plus labels every pod template with its construct address; fleetcraft selects by its own labels only.
  api.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
  if (c.drainMethod === DrainMethod.SLEEP && c.drain.toSeconds() > 0) {
    // The sleep action is newer than cdk8s-plus-27's Kubernetes 1.27 types, which would drop it.
    addLatePatch(api, JsonPatch.add(`${CONTAINER}/lifecycle`, { preStop: { sleep: { seconds: c.drain.toSeconds() } } }));
  }
  const spread = (topologyKey: string, whenUnsatisfiable: string) => ({
    maxSkew: 1, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels: { ...track.selector } }, matchLabelKeys: ['pod-template-hash'],
  });
  api.addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
    spread('topology.kubernetes.io/zone', c.zoneSpread),
    spread('kubernetes.io/hostname', c.nodeSpread),
  ]));
  return deployment;
}

/** Builds one track: Deployment, autoscaler (HPA or ScaledObject), PodDisruptionBudget and VPA. */
export function buildTrack(scope: Construct, c: ResolvedAutoscaledService, track: ResolvedTrack, shared: TrackShared): AutoscaledTrack {
  const deployment = buildDeployment(scope, c, track, shared);
  const labels = { ...c.labels, [TRACK_LABEL]: track.key };
  const meta = { name: track.objectName, namespace: c.namespace, labels };
  let hpa: kplus.HorizontalPodAutoscaler | undefined;
  let scaledObject: ScaledObject | undefined;
  if (c.autoscaler === AutoscalerKind.HPA) {
    hpa = new kplus.HorizontalPodAutoscaler(scope, 'Hpa', {
      metadata: meta,
      target: deployment,
      minReplicas: track.minReplicas,
      maxReplicas: c.maxReplicas,
      metrics: c.metrics.map(hpaMetric),
      scaleUp: scalingRules(c.scaleUp),
      scaleDown: scalingRules(c.scaleDown),
    });
  } else if (c.autoscaler === AutoscalerKind.KEDA) {
    scaledObject = new ScaledObject(scope, 'ScaledObject', {
      metadata: meta,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: track.objectName },
        minReplicaCount: track.minReplicas,
        maxReplicaCount: c.maxReplicas,
        pollingInterval: c.keda?.pollingInterval?.toSeconds() ?? 30,
        cooldownPeriod: c.keda?.cooldownPeriod?.toSeconds() ?? 300,
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: behaviorJson(c.scaleUp), scaleDown: behaviorJson(c.scaleDown) } } },
        triggers: kedaTriggers(c),
      },
    });
  }
  const budget = track.disruptionBudget;
  const pdb = budget?.field === undefined ? undefined : new kplus.k8s.KubePodDisruptionBudget(scope, 'Pdb', {
    metadata: meta,
    spec: {
      selector: { matchLabels: { ...track.selector } },
      [budget.field]: typeof budget.intOrString === 'number'
        ? kplus.k8s.IntOrString.fromNumber(budget.intOrString) : kplus.k8s.IntOrString.fromString(budget.intOrString),
      // Stateless pods that are not ready serve nothing: never let them block a drain.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
  const vpa = !c.vpaRecommendations ? undefined : new VerticalPodAutoscaler(scope, 'Vpa', {
    metadata: meta,
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: track.objectName },
      updatePolicy: { updateMode: 'Off' },
      resourcePolicy: { containerPolicies: [{ containerName: APP_CONTAINER, controlledResources: ['cpu', 'memory'] }] },
    },
  });
  return { track: track.key, deployment, hpa, scaledObject, pdb, vpa };
}
