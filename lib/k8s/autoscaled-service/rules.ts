import { imagePinProblem } from '../../private/images';
import { Duration } from 'cdk8s';
import type { NetworkPeer } from './network';
import { AutoscalerKind } from './pod';
import { DeploymentColour, RolloutStrategyType } from './rollout-strategy';
import { ScalingMetricType } from './scaling-metric';
import type { ResolvedAutoscaledService, ResolvedBehavior } from './config';
import { propError } from '../../private/errors';
import { dnsLabelError, dnsSubdomainError, portNameError } from '../../private/names';

/** A broken rule: the prop, the value received, the rule, and the fix. */
export type Failure = readonly [prop: string, value: unknown, rule: string, fix: string];

/** One validation rule of `AutoscaledService`: returns every failure it finds (none when the props are fine). */
export type Rule = (c: ResolvedAutoscaledService) => Failure[];

const isWhole = (n: number): boolean => Number.isInteger(n);
const seconds = (d: Duration): string => `${d.toSeconds()}s`;

/** Why an image reference is not pinned, or undefined when it has a version tag or a digest. */
export function imageError(image: string): string | undefined {
  const problem = imagePinProblem(image);
  if (problem === 'unpinned') return 'has no tag or digest, so nodes may run different builds';
  if (problem === 'latest') return 'is tagged ":latest", which changes under you';
  return undefined;
}

function portFailures(prop: string, port: number | undefined): Failure[] {
  if (port === undefined || (isWhole(port) && port >= 1 && port <= 65535)) return [];
  return [[prop, port, 'must be a whole number between 1 and 65535', 'use the port the container listens on, e.g. 8080']];
}

function behaviorFailures(prop: string, b: ResolvedBehavior): Failure[] {
  const out: Failure[] = [];
  if (!isWhole(b.maxPercent) || b.maxPercent < 1) {
    out.push([`${prop}.maxPercent`, b.maxPercent, 'must be a whole percent of at least 1', 'use e.g. 50']);
  }
  if (b.maxPods !== undefined && (!isWhole(b.maxPods) || b.maxPods < 1)) {
    out.push([`${prop}.maxPods`, b.maxPods, 'must be a whole number of pods of at least 1', 'use e.g. 4, or leave it unset']);
  }
  const period = b.period.toSeconds();
  if (period < 1 || period > 1800) {
    out.push([`${prop}.period`, seconds(b.period), 'must be between 1 second and 30 minutes', 'use e.g. Duration.minutes(1)']);
  }
  const window = b.stabilizationWindow.toSeconds();
  if (window < 0 || window > 3600) {
    out.push([`${prop}.stabilizationWindow`, seconds(b.stabilizationWindow), 'must be between 0 and 1 hour', 'use e.g. Duration.seconds(300)']);
  }
  return out;
}

function peerFailures(prop: string, peer: NetworkPeer): Failure[] {
  if (peer.cidr !== undefined && (peer.namespace !== undefined || peer.namespaceLabels !== undefined || peer.podLabels !== undefined)) {
    return [[prop, peer, 'mixes an IP block (cidr) with pod selection', 'use one peer for the IP block and another for the pods']];
  }
  if (peer.namespace !== undefined && peer.namespaceLabels !== undefined) {
    return [[prop, peer, 'sets both namespace and namespaceLabels', 'select the namespace by name or by labels, not both']];
  }
  return [];
}

/** Every rule of `AutoscaledService`, in the order they are reported. */
export const AUTOSCALED_SERVICE_RULES: readonly Rule[] = [
  (c) => {
    // Kubernetes counts all of these in whole seconds; check before anything converts them.
    const durations: Array<[string, Duration | undefined]> = [
      ['startupTimeout', c.startupTimeout], ['terminationGracePeriod', c.terminationGracePeriod], ['drain', c.drain],
      ['scaleUp.period', c.scaleUp.period], ['scaleUp.stabilizationWindow', c.scaleUp.stabilizationWindow],
      ['scaleDown.period', c.scaleDown.period], ['scaleDown.stabilizationWindow', c.scaleDown.stabilizationWindow],
      ['keda.pollingInterval', c.keda?.pollingInterval], ['keda.cooldownPeriod', c.keda?.cooldownPeriod],
    ];
    return durations.filter(([, d]) => d !== undefined && d.toMilliseconds() % 1000 !== 0).map(([prop, d]): Failure =>
      [prop, `${(d as Duration).toMilliseconds()}ms`, 'must be a whole number of seconds (Kubernetes counts it in seconds)', 'use e.g. Duration.seconds(30)']);
  },
  (c) => {
    const error = dnsLabelError(c.name);
    return error ? [['name', c.name, error, 'use a DNS-1123 label such as "api"']] : [];
  },
  (c) => {
    const error = c.namespace === undefined ? undefined : dnsLabelError(c.namespace);
    return error ? [['namespace', c.namespace, error, 'use a DNS-1123 label such as "api"']] : [];
  },
  (c) => c.tracks.flatMap((t): Failure[] => {
    const error = imageError(t.image);
    return error ? [[t.imageProp, t.image, error, 'pin a version tag or a digest, e.g. "registry.example.com/api:1.4.2"']] : [];
  }),
  (c) => [...portFailures('port', c.port), ...portFailures('servicePort', c.servicePort), ...portFailures('serviceMonitor.port', c.metricsPort?.port)],
  (c) => {
    const error = portNameError(c.portName);
    return error ? [['portName', c.portName, error, 'use a short name such as "http"']] : [];
  },
  (c) => c.tracks.flatMap((t): Failure[] => {
    if (!isWhole(t.minReplicas) || t.minReplicas < 1) {
      return [[t.minReplicasProp, t.minReplicas, 'must be a whole number of at least 1', 'use 1 or more (scaling to zero is not supported)']];
    }
    if (t.minReplicas > c.maxReplicas) {
      return [[t.minReplicasProp, t.minReplicas, `must not exceed maxReplicas (${c.maxReplicas})`, 'raise maxReplicas or lower the minimum']];
    }
    return [];
  }),
  (c) => (isWhole(c.maxReplicas) ? [] : [['maxReplicas', c.maxReplicas, 'must be a whole number', 'use e.g. 10']]),
  (c) => (c.props.hpa === true && c.keda
    ? [['hpa', true, 'cannot be combined with keda: KEDA creates and owns its own HorizontalPodAutoscaler, and two autoscalers would fight over the replica count', 'remove hpa or keda']]
    : []),
  (c) => c.metrics.flatMap((m, i): Failure[] => {
    if (m.isUtilization) {
      return isWhole(m.target) && m.target >= 1 && m.target <= 100 ? [] : [[`metrics[${i}].target`, m.target,
        `is a ${m.name} utilisation and must be a whole percent between 1 and 100 of the container's request`, `use e.g. ScalingMetric.${m.name}(${m.name === 'cpu' ? 70 : 80})`]];
    }
    return m.target > 0 ? [] : [[`metrics[${i}].target`, m.target, `is the average ${m.name} per pod and must be positive`, 'use the load one pod handles, e.g. 1000']];
  }),
  (c) => c.metrics.flatMap((m, i): Failure[] => {
    const resource = m.name === 'cpu' ? c.resources.cpu : c.resources.memory;
    return m.isUtilization && !resource?.request ? [[`metrics[${i}]`, m.toString(),
      `measures utilisation of the container's ${m.name} request, but resources sets no ${m.name} request`, `set resources.${m.name}.request or scale on another metric`]] : [];
  }),
  (c) => {
    if (c.autoscaler === AutoscalerKind.HPA && c.metrics.length === 0) {
      return [['metrics', [], 'must list at least one metric for the HorizontalPodAutoscaler', 'use e.g. [ScalingMetric.cpu(70)]']];
    }
    if (c.autoscaler === AutoscalerKind.KEDA && c.metrics.length === 0 && (c.keda?.triggers.length ?? 0) === 0) {
      return [['keda.triggers', [], 'must list at least one trigger when metrics is empty', 'add e.g. KedaTrigger.prometheus(...) or a CPU metric']];
    }
    return [];
  },
  (c) => (c.autoscaler !== AutoscalerKind.KEDA ? [] : c.metrics.flatMap((m, i): Failure[] => (m.type === ScalingMetricType.RESOURCE ? []
    : [[`metrics[${i}]`, m.toString(), 'cannot become a KEDA trigger (only CPU and memory utilisation can)', 'express it as a trigger in keda.triggers, e.g. KedaTrigger.prometheus(...)']]))),
  (c) => [...behaviorFailures('scaleUp', c.scaleUp), ...behaviorFailures('scaleDown', c.scaleDown)],
  (c) => (c.strategy.maxSurge.isZero() && c.strategy.maxUnavailable.isZero()
    ? [['strategy.maxSurge', c.strategy.maxSurge.value, `and strategy.maxUnavailable (${String(c.strategy.maxUnavailable.value)}) are both zero, so a rollout could never replace a pod`, 'set maxSurge to 1']]
    : []),
  (c) => {
    const s = c.strategy;
    if (s.type !== RolloutStrategyType.CANARY) return [];
    const bad = ([['strategy.stableWeight', s.stableWeight], ['strategy.canaryWeight', s.canaryWeight]] as const)
      .filter(([, w]) => !isWhole(w) || w < 0 || w > 100)
      .map(([prop, w]): Failure => [prop, w, 'must be a whole percent between 0 and 100', 'use e.g. stableWeight 90 and canaryWeight 10']);
    if (bad.length > 0) return bad;
    const sum = s.stableWeight + s.canaryWeight;
    return sum === 100 ? [] : [['strategy.canaryWeight', s.canaryWeight, `and strategy.stableWeight (${s.stableWeight}) must sum to 100 (they sum to ${sum})`, `use canaryWeight ${100 - s.stableWeight}, or e.g. 90 and 10`]];
  },
  (c) => {
    const active = c.strategy.blueGreenOptions?.active;
    if (c.strategy.type !== RolloutStrategyType.BLUE_GREEN || active === DeploymentColour.BLUE || active === DeploymentColour.GREEN) return [];
    return [['strategy.active', active, 'is not a colour of the blue-green rollout', 'use DeploymentColour.BLUE ("blue") or DeploymentColour.GREEN ("green")']];
  },
  (c) => {
    const budget = c.props.disruptionBudget;
    if (!budget || budget.field === undefined) return [];
    const value = budget.value;
    if (!isWhole(value) || value < 0 || (budget.isPercent && value > 100)) {
      return [['disruptionBudget', budget.toString(), budget.isPercent ? 'must be a whole percent between 0 and 100' : 'must be a whole number of pods', 'use e.g. DisruptionBudget.maxUnavailablePercent(20)']];
    }
    return c.tracks.flatMap((t): Failure[] => (t.disruptionBudget && t.disruptionBudget.allowedDisruptions(t.minReplicas) < 1
      ? [['disruptionBudget', budget.toString(), `allows no voluntary eviction at ${t.minReplicasProp} (${t.minReplicas}), so every node drain would hang`,
        'use DisruptionBudget.maxUnavailablePercent(20), raise the minimum, or use DisruptionBudget.none()']]
      : []));
  },
  (c) => {
    const grace = c.terminationGracePeriod.toSeconds();
    if (grace < 1) return [['terminationGracePeriod', seconds(c.terminationGracePeriod), 'must be at least 1 second', 'use e.g. Duration.seconds(60)']];
    return c.drain.toSeconds() >= grace ? [['drain', seconds(c.drain), `must be shorter than terminationGracePeriod (${seconds(c.terminationGracePeriod)}), or the container is killed before it can shut down`,
      'shorten the drain or lengthen terminationGracePeriod']] : [];
  },
  (c) => (c.startupTimeout.toSeconds() >= 5 ? [] : [['startupTimeout', seconds(c.startupTimeout), 'must be at least 5 seconds (one probe period)', 'use e.g. Duration.seconds(150)']]),
  (c) => (c.resources.memory?.limit ? [] : [['resources.memory.limit', undefined, 'is required: a container without a memory limit can take its node\'s memory', 'set e.g. Size.mebibytes(512)']]),
  (c) => (isWhole(c.runAsUser) && c.runAsUser >= 1 ? [] : [['runAsUser', c.runAsUser, 'must be a non-root user id (1 or more) under the restricted Pod Security level', 'use e.g. 65532']]),
  (c) => [
    ...c.allowFrom.flatMap((p, i) => peerFailures(`allowFrom[${i}]`, p)),
    ...c.allowEgressTo.flatMap((r, i): Failure[] => [
      ...peerFailures(`allowEgressTo[${i}]`, r),
      ...(r.ports.length === 0 ? [[`allowEgressTo[${i}].ports`, [], 'must list at least one port (an empty list would allow every port)', 'list the ports, e.g. [2379]'] as Failure] : []),
      ...r.ports.flatMap((p, j) => portFailures(`allowEgressTo[${i}].ports[${j}]`, p)),
    ]),
  ],
  (c) => {
    const error = c.ingress ? dnsSubdomainError(c.ingress.host) : undefined;
    return error ? [['ingress.host', c.ingress?.host, error, 'use a host name such as "api.example.com"']] : [];
  },
];

/** Runs every rule and throws the first failure as `AutoscaledService '<id>': <prop> (<value>) <rule>; <fix>`. */
export function checkAutoscaledService(c: ResolvedAutoscaledService, rules: readonly Rule[] = AUTOSCALED_SERVICE_RULES): void {
  for (const rule of rules) {
    const [failure] = rule(c);
    if (failure) throw propError('AutoscaledService', c.id, ...failure);
  }
}
