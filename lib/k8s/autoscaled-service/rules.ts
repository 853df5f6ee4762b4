import { imagePinProblem } from '../../private/images';
import { Duration } from 'cdk8s';
import type { EgressRule, NetworkPeer } from './network';
import { AutoscalerKind } from './pod';
import { DeploymentColour, RolloutStrategyType } from './rollout-strategy';
import { ScalingMetricType } from './scaling-metric';
import type { ResolvedAutoscaledService, ResolvedBehavior, ResolvedMesh } from './config';
import { dnsLabelError, dnsSubdomainError, portNameError } from '../../private/names';
import { checkRules, Rule as RuleOf, Violation } from '../../private/rules';
import { INT32_MAX } from '../../private/prop-guard';
import { goDuration } from '../../private/quantities';

/** The construct name every AutoscaledService message starts with. */
export const AUTOSCALED_SERVICE = 'AutoscaledService';

/** One validation rule of `AutoscaledService`: the first violation it finds, or undefined. */
export type Rule = RuleOf<ResolvedAutoscaledService>;

const isWhole = (n: number): boolean => Number.isInteger(n);
const isPercent = (n: number): boolean => isWhole(n) && n >= 0 && n <= 100;
const seconds = (d: Duration): string => `${d.toSeconds()}s`;

/** The first violation `check` finds among `items`, or undefined. */
function first<T>(items: readonly T[], check: (item: T, index: number) => Violation | undefined): Violation | undefined {
  for (let i = 0; i < items.length; i++) {
    const v = check(items[i], i);
    if (v) return v;
  }
  return undefined;
}

/** Why an image reference is not pinned, or undefined when it has a version tag or a digest. */
export function imageError(image: string): string | undefined {
  const problem = imagePinProblem(image);
  if (problem === 'unpinned') return 'has no tag or digest, so nodes may run different builds';
  if (problem === 'latest') return 'is tagged ":latest", which changes under you';
  return undefined;
}

function portViolation(prop: string, port: number | undefined): Violation | undefined {
  if (port === undefined || (isWhole(port) && port >= 1 && port <= 65535)) return undefined;
  return [prop, port, 'must be a whole number between 1 and 65535', 'use the port the container listens on, e.g. 8080'];
}

/** The four rules of one scaling direction, one per field, so each broken field is reported on its own. */
function behaviorRules(dir: 'scaleUp' | 'scaleDown'): Rule[] {
  const b = (c: ResolvedAutoscaledService): ResolvedBehavior => c[dir];
  return [
    (c) => (!isWhole(b(c).maxPercent) || b(c).maxPercent < 1
      ? [`${dir}.maxPercent`, b(c).maxPercent, 'must be a whole percent of at least 1', 'use e.g. 50']
      : undefined),
    (c) => {
      const pods = b(c).maxPods;
      return pods !== undefined && (!isWhole(pods) || pods < 1)
        ? [`${dir}.maxPods`, pods, 'must be a whole number of pods of at least 1', 'use e.g. 4, or leave it unset']
        : undefined;
    },
    (c) => {
      const period = b(c).period;
      return period.toSeconds() < 1 || period.toSeconds() > 1800
        ? [`${dir}.period`, seconds(period), 'must be between 1 second and 30 minutes', 'use e.g. Duration.minutes(1)']
        : undefined;
    },
    (c) => {
      const window = b(c).stabilizationWindow;
      return window.toSeconds() < 0 || window.toSeconds() > 3600
        ? [`${dir}.stabilizationWindow`, seconds(window), 'must be between 0 and 1 hour', 'use e.g. Duration.seconds(300)']
        : undefined;
    },
  ];
}

/** A canary weight's rule: a whole percent (reported per weight, before their sum is judged). */
function canaryWeightRule(prop: 'stableWeight' | 'canaryWeight'): Rule {
  return (c) => (c.strategy.type === RolloutStrategyType.CANARY && !isPercent(c.strategy[prop])
    ? [`strategy.${prop}`, c.strategy[prop], 'must be a whole percent between 0 and 100', 'use e.g. stableWeight 90 and canaryWeight 10']
    : undefined);
}

/** What is wrong with an egress rule (its peer, then its ports), or undefined; `prop` names it in the message. */
export function egressRuleViolation(prop: string, r: EgressRule): Violation | undefined {
  return peerViolation(prop, r)
    ?? (r.serviceAccount !== undefined ? [`${prop}.serviceAccount`, r.serviceAccount, 'cannot restrict egress: a NetworkPolicy cannot select pods by service account', 'select the destination pods with podLabels'] : undefined)
    ?? (r.ports.length === 0 ? [`${prop}.ports`, [], 'must list at least one port (an empty list would allow every port)', 'list the ports, e.g. [2379]'] : undefined)
    ?? first(r.ports, (p, j) => portViolation(`${prop}.ports[${j}]`, p));
}

function peerViolation(prop: string, peer: NetworkPeer): Violation | undefined {
  if (peer.cidr !== undefined && (peer.namespace !== undefined || peer.namespaceLabels !== undefined || peer.podLabels !== undefined || peer.serviceAccount !== undefined)) {
    return [prop, peer, 'mixes an IP block (cidr) with pod selection', 'use one peer for the IP block and another for the pods'];
  }
  if (peer.namespace !== undefined && peer.namespaceLabels !== undefined) {
    return [prop, peer, 'sets both namespace and namespaceLabels', 'select the namespace by name or by labels, not both'];
  }
  return undefined;
}

/**
 * The retry conditions Istio accepts in `retryOn` besides HTTP status codes: Envoy's HTTP conditions and gRPC
 * statuses.
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 */
export const RETRY_CONDITIONS: readonly string[] = [
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
];

/** A lower-case HTTP header name (HTTP/2 sends header names in lower case, and Envoy matches them so). */
const HEADER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A rule that applies only with `mesh`. */
function meshRule(check: (m: ResolvedMesh, c: ResolvedAutoscaledService) => Violation | undefined): Rule {
  return (c) => (c.mesh ? check(c.mesh, c) : undefined);
}

/** A count of the mesh options: a whole number from `min` (Istio's fields are int32). */
function meshCountRule(field: 'maxConnections' | 'maxPendingRequests' | 'maxRequests' | 'consecutive5xxErrors' | 'retryAttempts', min: number, example: number, note = ''): Rule {
  return meshRule((m) => (isWhole(m[field]) && m[field] >= min && m[field] <= INT32_MAX ? undefined
    : [`mesh.${field}`, m[field], `must be a whole number from ${min} to ${INT32_MAX}${note}`, `use e.g. ${example}`]));
}

/** A duration of the mesh options: Istio takes whole milliseconds, at least one. */
function meshDurationRule(field: 'outlierDetectionInterval' | 'baseEjectionTime' | 'perTryTimeout' | 'timeout', example: string): Rule {
  return meshRule((m) => {
    const ms = m[field].toMilliseconds({ integral: false });
    return Number.isInteger(ms) && ms >= 1 ? undefined
      : [`mesh.${field}`, `${ms}ms`, 'must be a whole number of milliseconds, at least 1 (Istio refuses shorter durations)', `use e.g. ${example}`];
  });
}

/** The rules of `mesh` and of what the mesh changes in the other props. */
export const MESH_RULES: readonly Rule[] = [
  meshRule((m, c) => (m.namespace !== undefined ? undefined
    : ['mesh', c.props.mesh, 'needs the service\'s namespace, which its AuthorizationPolicy principals and route host names contain', 'set namespace, or build the service in a chart with a namespace'])),
  meshCountRule('maxConnections', 1, 1000),
  meshCountRule('maxPendingRequests', 1, 1000),
  meshCountRule('maxRequests', 1, 1000),
  meshCountRule('consecutive5xxErrors', 1, 5),
  meshCountRule('retryAttempts', 0, 3, ' (0 turns retries off)'),
  meshDurationRule('outlierDetectionInterval', 'Duration.seconds(10)'),
  meshDurationRule('baseEjectionTime', 'Duration.seconds(30)'),
  meshDurationRule('perTryTimeout', 'Duration.seconds(2)'),
  meshDurationRule('timeout', 'Duration.seconds(10)'),
  meshRule((m) => (m.retryAttempts === 0 || m.perTryTimeout.toMilliseconds() <= m.timeout.toMilliseconds() ? undefined
    : ['mesh.perTryTimeout', goDuration(m.perTryTimeout), `must not exceed mesh.timeout (${goDuration(m.timeout)}), or no retry could ever start`, 'shorten perTryTimeout or lengthen timeout'])),
  meshRule((m) => (m.tracingSamplingPercentage >= 0 && m.tracingSamplingPercentage <= 100 ? undefined
    : ['mesh.tracingSamplingPercentage', m.tracingSamplingPercentage, 'must be a percentage from 0 to 100', 'use e.g. 10 (one request in ten)'])),
  meshRule((m) => (HEADER_NAME.test(m.consistentHashHeader) ? undefined
    : ['mesh.consistentHashHeader', m.consistentHashHeader, 'must be an HTTP header name of lower-case letters, digits and "-" (HTTP/2 sends header names in lower case)', 'use e.g. "x-user-id"'])),
  meshRule((m) => first(m.retryOn.split(','), (condition) => (RETRY_CONDITIONS.includes(condition) || /^[45]\d\d$/.test(condition) ? undefined
    : ['mesh.retryOn', m.retryOn, `contains "${condition}", which is neither an Envoy retry condition nor a 4xx or 5xx status code`, `list conditions separated by commas without spaces, e.g. "connect-failure,refused-stream,503" (known: ${RETRY_CONDITIONS.join(', ')})`]))),
  meshRule((_m, c) => first(c.allowFrom, (p, i) => (p.namespaceLabels === undefined ? undefined
    : [`allowFrom[${i}].namespaceLabels`, p.namespaceLabels, 'cannot be checked by the mesh: an AuthorizationPolicy names namespaces, it cannot select them by label', 'name the namespace (namespace) instead']))),
  (c) => (c.mesh ? undefined : first(c.allowFrom, (p, i) => (p.serviceAccount === undefined ? undefined
    : [`allowFrom[${i}].serviceAccount`, p.serviceAccount, 'is checked only by the mesh: a NetworkPolicy cannot select pods by service account', 'set mesh, or select the callers with podLabels']))),
  meshRule((_m, c) => ((c.ingress?.sourceCidrs ?? []).length === 0 ? undefined
    : ['ingress.sourceCidrs', c.ingress?.sourceCidrs, 'cannot reach a mesh service: a load balancer connecting to the pods directly sends plain text, which STRICT mTLS refuses',
      'point the load balancer at an Istio ingress gateway (its namespace as ingress.controllerNamespace) and drop sourceCidrs'])),
];

/** Every rule of `AutoscaledService`, in the order they are checked; the first broken one is thrown. */
export const AUTOSCALED_SERVICE_RULES: readonly Rule[] = [
  (c) => {
    // Kubernetes counts all of these in whole seconds; check before anything converts them.
    const durations: Array<[string, Duration | undefined]> = [
      ['startupTimeout', c.startupTimeout], ['terminationGracePeriod', c.terminationGracePeriod], ['drain', c.drain],
      ['scaleUp.period', c.scaleUp.period], ['scaleUp.stabilizationWindow', c.scaleUp.stabilizationWindow],
      ['scaleDown.period', c.scaleDown.period], ['scaleDown.stabilizationWindow', c.scaleDown.stabilizationWindow],
      ['keda.pollingInterval', c.keda?.pollingInterval], ['keda.cooldownPeriod', c.keda?.cooldownPeriod],
    ];
    // `integral: false`: cdk8s throws its own error converting a fractional millisecond (Duration.millis(0.5)).
    return first(durations, ([prop, d]) => (d !== undefined && d.toMilliseconds({ integral: false }) % 1000 !== 0
      ? [prop, `${d.toMilliseconds({ integral: false })}ms`, 'must be a whole number of seconds (Kubernetes counts it in seconds)', 'use e.g. Duration.seconds(30)']
      : undefined));
  },
  (c) => {
    const error = dnsLabelError(c.name);
    return error ? ['name', c.name, error, 'use a DNS-1123 label such as "api"'] : undefined;
  },
  (c) => {
    const error = c.namespace === undefined ? undefined : dnsLabelError(c.namespace);
    return error ? ['namespace', c.namespace, error, 'use a DNS-1123 label such as "api"'] : undefined;
  },
  (c) => first(c.tracks, (t) => {
    const error = imageError(t.image);
    return error ? [t.imageProp, t.image, error, 'pin a version tag or a digest, e.g. "registry.example.com/api:1.4.2"'] : undefined;
  }),
  (c) => portViolation('port', c.port) ?? portViolation('servicePort', c.servicePort) ?? portViolation('serviceMonitor.port', c.metricsPort?.port),
  (c) => {
    const error = portNameError(c.portName);
    return error ? ['portName', c.portName, error, 'use a short name such as "http"'] : undefined;
  },
  (c) => first(c.tracks, (t) => {
    if (!isWhole(t.minReplicas) || t.minReplicas < 1) {
      return [t.minReplicasProp, t.minReplicas, 'must be a whole number of at least 1', 'use 1 or more (scaling to zero is not supported)'];
    }
    return t.minReplicas > c.maxReplicas
      ? [t.minReplicasProp, t.minReplicas, `must not exceed maxReplicas (${c.maxReplicas})`, 'raise maxReplicas or lower the minimum']
      : undefined;
  }),
  (c) => (isWhole(c.maxReplicas) ? undefined : ['maxReplicas', c.maxReplicas, 'must be a whole number', 'use e.g. 10']),
  (c) => (c.props.hpa === true && c.keda
    ? ['hpa', true, 'cannot be combined with keda: KEDA creates and owns its own HorizontalPodAutoscaler, and two autoscalers would fight over the replica count', 'remove hpa or keda']
    : undefined),
  (c) => first(c.metrics, (m, i) => {
    if (m.isUtilization) {
      return isWhole(m.target) && m.target >= 1 && m.target <= 100 ? undefined : [`metrics[${i}].target`, m.target,
        `is a ${m.name} utilisation and must be a whole percent between 1 and 100 of the container's request`, `use e.g. ScalingMetric.${m.name}(${m.name === 'cpu' ? 70 : 80})`];
    }
    return m.target > 0 ? undefined : [`metrics[${i}].target`, m.target, `is the average ${m.name} per pod and must be positive`, 'use the load one pod handles, e.g. 1000'];
  }),
  (c) => first(c.metrics, (m, i) => {
    const resource = m.name === 'cpu' ? c.resources.cpu : c.resources.memory;
    return m.isUtilization && !resource?.request ? [`metrics[${i}]`, m.toString(),
      `measures utilisation of the container's ${m.name} request, but resources sets no ${m.name} request`, `set resources.${m.name}.request or scale on another metric`] : undefined;
  }),
  (c) => {
    if (c.autoscaler === AutoscalerKind.HPA && c.metrics.length === 0) {
      return ['metrics', [], 'must list at least one metric for the HorizontalPodAutoscaler', 'use e.g. [ScalingMetric.cpu(70)]'];
    }
    if (c.autoscaler === AutoscalerKind.KEDA && c.metrics.length === 0 && (c.keda?.triggers.length ?? 0) === 0) {
      return ['keda.triggers', [], 'must list at least one trigger when metrics is empty', 'add e.g. KedaTrigger.prometheus(...) or a CPU metric'];
    }
    return undefined;
  },
  (c) => (c.autoscaler !== AutoscalerKind.KEDA ? undefined : first(c.metrics, (m, i) => (m.type === ScalingMetricType.RESOURCE ? undefined
    : [`metrics[${i}]`, m.toString(), 'cannot become a KEDA trigger (only CPU and memory utilisation can)', 'express it as a trigger in keda.triggers, e.g. KedaTrigger.prometheus(...)']))),
  ...behaviorRules('scaleUp'),
  ...behaviorRules('scaleDown'),
  (c) => (c.strategy.maxSurge.isZero() && c.strategy.maxUnavailable.isZero()
    ? ['strategy.maxSurge', c.strategy.maxSurge.value, `and strategy.maxUnavailable (${String(c.strategy.maxUnavailable.value)}) are both zero, so a rollout could never replace a pod`, 'set maxSurge to 1']
    : undefined),
  canaryWeightRule('stableWeight'),
  canaryWeightRule('canaryWeight'),
  (c) => {
    const s = c.strategy;
    if (s.type !== RolloutStrategyType.CANARY || !isPercent(s.stableWeight) || !isPercent(s.canaryWeight)) return undefined;
    const sum = s.stableWeight + s.canaryWeight;
    return sum === 100 ? undefined : ['strategy.canaryWeight', s.canaryWeight, `and strategy.stableWeight (${s.stableWeight}) must sum to 100 (they sum to ${sum})`, `use canaryWeight ${100 - s.stableWeight}, or e.g. 90 and 10`];
  },
  (c) => {
    const active = c.strategy.blueGreenOptions?.active;
    if (c.strategy.type !== RolloutStrategyType.BLUE_GREEN || active === DeploymentColour.BLUE || active === DeploymentColour.GREEN) return undefined;
    return ['strategy.active', active, 'is not a colour of the blue-green rollout', 'use DeploymentColour.BLUE ("blue") or DeploymentColour.GREEN ("green")'];
  },
  (c) => {
    const budget = c.props.disruptionBudget;
    if (!budget || budget.field === undefined) return undefined;
    const value = budget.value;
    if (!isWhole(value) || value < 0 || (budget.isPercent && value > 100)) {
      return ['disruptionBudget', budget.toString(), budget.isPercent ? 'must be a whole percent between 0 and 100' : 'must be a whole number of pods', 'use e.g. DisruptionBudget.maxUnavailablePercent(20)'];
    }
    return first(c.tracks, (t) => (t.disruptionBudget && t.disruptionBudget.allowedDisruptions(t.minReplicas) < 1
      ? ['disruptionBudget', budget.toString(), `allows no voluntary eviction at ${t.minReplicasProp} (${t.minReplicas}), so every node drain would hang`,
        'use DisruptionBudget.maxUnavailablePercent(20), raise the minimum, or use DisruptionBudget.none()']
      : undefined));
  },
  (c) => {
    const grace = c.terminationGracePeriod.toSeconds();
    if (grace < 1) return ['terminationGracePeriod', seconds(c.terminationGracePeriod), 'must be at least 1 second', 'use e.g. Duration.seconds(60)'];
    return c.drain.toSeconds() >= grace ? ['drain', seconds(c.drain), `must be shorter than terminationGracePeriod (${seconds(c.terminationGracePeriod)}), or the container is killed before it can shut down`,
      'shorten the drain or lengthen terminationGracePeriod'] : undefined;
  },
  (c) => (c.startupTimeout.toSeconds() >= 5 ? undefined : ['startupTimeout', seconds(c.startupTimeout), 'must be at least 5 seconds (one probe period)', 'use e.g. Duration.seconds(150)']),
  (c) => (c.resources.memory?.limit ? undefined : ['resources.memory.limit', undefined, 'is required: a container without a memory limit can take its node\'s memory', 'set e.g. Size.mebibytes(512)']),
  (c) => (isWhole(c.runAsUser) && c.runAsUser >= 1 ? undefined : ['runAsUser', c.runAsUser, 'must be a non-root user id (1 or more) under the restricted Pod Security level', 'use e.g. 65532']),
  (c) => first(c.allowFrom, (p, i) => peerViolation(`allowFrom[${i}]`, p)),
  (c) => first(c.allowEgressTo, (r, i) => egressRuleViolation(`allowEgressTo[${i}]`, r)),
  (c) => {
    const error = c.ingress ? dnsSubdomainError(c.ingress.host) : undefined;
    return error ? ['ingress.host', c.ingress?.host, error, 'use a host name such as "api.example.com"'] : undefined;
  },
  ...MESH_RULES,
];

/** Throws the first rule an `AutoscaledService` breaks, as `AutoscaledService '<id>': <prop> (<value>) <rule>; <fix>`. */
export function checkAutoscaledService(c: ResolvedAutoscaledService, rules: readonly Rule[] = AUTOSCALED_SERVICE_RULES): void {
  checkRules(AUTOSCALED_SERVICE, c.id, rules, c);
}
