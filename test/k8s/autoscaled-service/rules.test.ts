import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AutoscaledService, AutoscaledServiceProps } from '../../../lib/k8s/autoscaled-service';
import { KedaTrigger } from '../../../lib/k8s/autoscaled-service';
import { DisruptionBudget } from '../../../lib/k8s/autoscaled-service';
import { DeploymentColour, RolloutStrategy } from '../../../lib/k8s/autoscaled-service';
import { ScalingMetric } from '../../../lib/k8s/autoscaled-service';
import { testChart } from '../../util';
import { resolveAutoscaledService, ResolvedAutoscaledService } from '../../../lib/k8s/autoscaled-service';
import { AUTOSCALED_SERVICE, AUTOSCALED_SERVICE_RULES, checkAutoscaledService, imageError, Rule } from '../../../lib/k8s/autoscaled-service';
import { Violation } from '../../../lib/private/rules';

const IMAGE = 'registry.example.com/api:1.4.2';
const IMAGE_FIX = 'pin a version tag or a digest, e.g. "registry.example.com/api:1.4.2"';
const P = 'AutoscaledService \'api\': ';

/** The resolved config of props that pass every rule, with `overrides` applied to the props. */
function resolved(overrides: Partial<AutoscaledServiceProps> = {}): ResolvedAutoscaledService {
  return resolveAutoscaledService('api', { image: IMAGE, port: 8080, maxReplicas: 10, ...overrides });
}

const check = (overrides: Partial<AutoscaledServiceProps>) => () => checkAutoscaledService(resolved(overrides));
/** What every rule of the table finds on its own (not only the first, which is what the construct throws). */
const allFailures = (c: ResolvedAutoscaledService): Violation[] =>
  AUTOSCALED_SERVICE_RULES.map((rule) => rule(c)).filter((v): v is Violation => v !== undefined);

describe('baseline', () => {
  test('the default props break no rule', () => {
    expect(allFailures(resolved())).toEqual([]);
    expect(check({})).not.toThrow();
  });

  test('a fully specified service breaks no rule', () => {
    expect(allFailures(resolved({
      name: 'web', namespace: 'shop', portName: 'web', servicePort: 80, minReplicas: 3, maxReplicas: 30,
      metrics: [ScalingMetric.cpu(60), ScalingMetric.memory(75), ScalingMetric.podMetric('rps', 1000)],
      scaleUp: { maxPercent: 100, maxPods: 4, period: Duration.seconds(15), stabilizationWindow: Duration.seconds(0) },
      scaleDown: { maxPercent: 10, period: Duration.minutes(30), stabilizationWindow: Duration.hours(1) },
      strategy: RolloutStrategy.canary({ stableWeight: 80, canaryWeight: 20, canaryImage: 'registry.example.com/api:1.5.0' }),
      disruptionBudget: DisruptionBudget.maxUnavailable(1),
      terminationGracePeriod: Duration.seconds(30), drain: Duration.seconds(29), startupTimeout: Duration.seconds(5),
      runAsUser: 1, allowFrom: [{ namespace: 'edge' }, { cidr: '10.0.0.0/8' }, { namespaceLabels: { team: 'a' }, podLabels: { app: 'b' } }],
      allowEgressTo: [{ namespace: 'db', podLabels: { app: 'etcd' }, ports: [2379, 65535] }],
      ingress: { host: 'api.example.com' }, serviceMonitor: { port: 9090 },
    }))).toEqual([]);
  });
});

describe('checkAutoscaledService', () => {
  test('throws the violation of the first broken rule, in the house form', () => {
    const rules: Rule[] = [
      () => undefined,
      () => ['a', 1, 'is first', 'fix a'],
      () => ['c', 3, 'is third', 'fix c'],
    ];
    expect(() => checkAutoscaledService(resolved(), rules)).toThrow(`${P}a (1) is first; fix a`);
  });

  test('passes when the given rules find nothing', () => {
    expect(() => checkAutoscaledService(resolved({ name: 'BAD' }), [() => undefined])).not.toThrow();
  });

  test('messages start with the construct name constant', () => {
    expect(AUTOSCALED_SERVICE).toBe('AutoscaledService');
  });

  test('uses the id, not the name, in the message', () => {
    const c = resolveAutoscaledService('Api', { image: IMAGE, port: 8080, maxReplicas: 10, name: 'api', runAsUser: 0 });
    expect(() => checkAutoscaledService(c)).toThrow('AutoscaledService \'Api\': runAsUser (0)');
  });

  test('rules run in table order (name before image)', () => {
    expect(check({ name: 'API', image: 'api' })).toThrow(`${P}name ("API")`);
  });
});

const LABEL_RULE = 'must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit';

describe('names', () => {
  test('name must be a DNS-1123 label', () => {
    expect(check({ name: 'Api' })).toThrow(`AutoscaledService 'api': name ("Api") ${LABEL_RULE}; use a DNS-1123 label such as "api"`);
  });

  test('namespace must be a DNS-1123 label', () => {
    expect(check({ namespace: 'Shop' })).toThrow(`${P}namespace ("Shop") ${LABEL_RULE}; use a DNS-1123 label such as "api"`);
  });

  test('a 64-character namespace is refused by length', () => {
    const namespace = 'n'.repeat(64);
    expect(check({ namespace })).toThrow(`${P}namespace ("${namespace}") must be at most 63 characters (got 64); use a DNS-1123 label such as "api"`);
  });
});

describe('images', () => {
  test('refuses an untagged image', () => {
    expect(check({ image: 'registry.example.com/api' })).toThrow(
      `${P}image ("registry.example.com/api") has no tag or digest, so nodes may run different builds; ${IMAGE_FIX}`);
  });

  test('names the canary image prop', () => {
    expect(check({ strategy: RolloutStrategy.canary({ canaryImage: 'registry.example.com/api:latest' }) })).toThrow(
      `${P}strategy.canaryImage ("registry.example.com/api:latest") is tagged ":latest", which changes under you; ${IMAGE_FIX}`);
  });

  test('names the blue and green image props', () => {
    const strategy = RolloutStrategy.blueGreen({ active: DeploymentColour.BLUE, greenImage: 'registry.example.com/api' });
    expect(check({ strategy })).toThrow(`${P}strategy.greenImage ("registry.example.com/api") has no tag or digest`);
    const blue = RolloutStrategy.blueGreen({ active: DeploymentColour.GREEN, blueImage: 'api:latest' });
    expect(check({ strategy: blue })).toThrow(`${P}strategy.blueImage ("api:latest") is tagged ":latest"`);
  });
});

describe('imageError', () => {
  test.each([
    IMAGE, 'api:1', 'registry.example.com:5000/team/api:1.4.2', `api@sha256:${'0123456789abcdef'.repeat(4)}`,
    `registry.example.com:5000/api:1.4.2@sha256:${'f'.repeat(64)}`,
  ])('accepts %s', (image) => {
    expect(imageError(image)).toBeUndefined();
  });

  test.each(['api', 'registry.example.com:5000/api', 'api:', 'registry.example.com/team/api'])('refuses %j as unpinned', (image) => {
    expect(imageError(image)).toBe('has no tag or digest, so nodes may run different builds');
  });

  test.each(['api:latest', 'registry.example.com:5000/api:latest'])('refuses %j as latest', (image) => {
    expect(imageError(image)).toBe('is tagged ":latest", which changes under you');
  });
});

describe('ports', () => {
  const rule = 'must be a whole number between 1 and 65535; use the port the container listens on, e.g. 8080';
  test.each([
    [{ port: 0 }, 'port (0)'],
    [{ port: 65536 }, 'port (65536)'],
    [{ servicePort: 80.5 }, 'servicePort (80.5)'],
    [{ serviceMonitor: { port: -1 } }, 'serviceMonitor.port (-1)'],
  ] as Array<[Partial<AutoscaledServiceProps>, string]>)('refuses %j', (overrides, shown) => {
    expect(check(overrides)).toThrow(`${P}${shown} ${rule}`);
  });

  test('accepts 1 and 65535', () => {
    expect(check({ port: 1, servicePort: 65535 })).not.toThrow();
  });

  test('port name must be an IANA service name', () => {
    expect(check({ portName: 'grpc--web' })).toThrow(`${P}portName ("grpc--web") must not contain '--'; use a short name such as "http"`);
    expect(check({ portName: 'a'.repeat(16) })).toThrow(`${P}portName ("${'a'.repeat(16)}") must be at most 15 characters (got 16); use a short name such as "http"`);
  });
});

describe('replicas', () => {
  test('minReplicas must be at least 1', () => {
    expect(check({ minReplicas: 0 })).toThrow(`${P}minReplicas (0) must be a whole number of at least 1; use 1 or more (scaling to zero is not supported)`);
  });

  test('minReplicas must be whole', () => {
    expect(check({ minReplicas: 1.5 })).toThrow(`${P}minReplicas (1.5) must be a whole number of at least 1`);
  });

  test('minReplicas must not exceed maxReplicas', () => {
    expect(check({ minReplicas: 11 })).toThrow(`${P}minReplicas (11) must not exceed maxReplicas (10); raise maxReplicas or lower the minimum`);
  });

  test('minReplicas equal to maxReplicas is fine', () => {
    expect(check({ minReplicas: 10 })).not.toThrow();
  });

  test('the canary minimum is checked under its own prop', () => {
    expect(check({ strategy: RolloutStrategy.canary({ canaryMinReplicas: 0 }) })).toThrow(
      `${P}strategy.canaryMinReplicas (0) must be a whole number of at least 1; use 1 or more (scaling to zero is not supported)`);
  });

  test('maxReplicas must be whole', () => {
    expect(check({ maxReplicas: 10.5 })).toThrow(`${P}maxReplicas (10.5) must be a whole number; use e.g. 10`);
  });
});

describe('autoscaler', () => {
  const keda = { triggers: [KedaTrigger.custom('cron', { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '5' })] };

  test('hpa: true with keda is refused', () => {
    expect(check({ hpa: true, keda })).toThrow(
      `${P}hpa (true) cannot be combined with keda: KEDA creates and owns its own HorizontalPodAutoscaler, and two autoscalers would fight over the replica count; remove hpa or keda`);
  });

  test('keda with hpa unset is fine', () => {
    expect(check({ keda })).not.toThrow();
  });

  test.each([
    [ScalingMetric.cpu(0), 'metrics[0].target (0) is a cpu utilisation and must be a whole percent between 1 and 100 of the container\'s request; use e.g. ScalingMetric.cpu(70)'],
    [ScalingMetric.cpu(70.5), 'metrics[0].target (70.5) is a cpu utilisation'],
    [ScalingMetric.memory(101), 'metrics[0].target (101) is a memory utilisation and must be a whole percent between 1 and 100 of the container\'s request; use e.g. ScalingMetric.memory(80)'],
    [ScalingMetric.podMetric('rps', 0), 'metrics[0].target (0) is the average rps per pod and must be positive; use the load one pod handles, e.g. 1000'],
    [ScalingMetric.externalMetric('queue_messages_ready', -5), 'metrics[0].target (-5) is the average queue_messages_ready per pod and must be positive'],
  ])('refuses metric %s', (metric, message) => {
    expect(check({ metrics: [metric] })).toThrow(`${P}${message}`);
  });

  test('utilisation bounds 1 and 100 are accepted', () => {
    expect(check({ metrics: [ScalingMetric.cpu(1), ScalingMetric.memory(100)] })).not.toThrow();
  });

  test('names the index of the bad metric', () => {
    expect(check({ metrics: [ScalingMetric.cpu(70), ScalingMetric.podMetric('rps', 0)] })).toThrow(`${P}metrics[1].target (0)`);
  });

  test('a utilisation metric needs the matching resource request', () => {
    const resources = { memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } };
    expect(check({ resources })).toThrow(
      `${P}metrics[0] ("cpu 70%") measures utilisation of the container's cpu request, but resources sets no cpu request; set resources.cpu.request or scale on another metric`);
    const cpuOnly = { cpu: { request: kplus.Cpu.millis(100) }, memory: { limit: Size.mebibytes(512) } };
    expect(check({ resources: cpuOnly, metrics: [ScalingMetric.memory(80)] })).toThrow(
      `${P}metrics[0] ("memory 80%") measures utilisation of the container's memory request, but resources sets no memory request`);
  });

  test('an HPA needs a metric', () => {
    expect(check({ metrics: [] })).toThrow(`${P}metrics ([]) must list at least one metric for the HorizontalPodAutoscaler; use e.g. [ScalingMetric.cpu(70)]`);
  });

  test('KEDA needs a metric or a trigger', () => {
    expect(check({ metrics: [], keda: { triggers: [] } })).toThrow(
      `${P}keda.triggers ([]) must list at least one trigger when metrics is empty; add e.g. KedaTrigger.prometheus(...) or a CPU metric`);
    expect(check({ metrics: [], keda })).not.toThrow();
    expect(check({ keda: { triggers: [] } })).not.toThrow();
  });

  test('without an autoscaler no metric is needed', () => {
    expect(check({ hpa: false, metrics: [] })).not.toThrow();
  });

  test('KEDA cannot take pods or external metrics', () => {
    expect(check({ keda, metrics: [ScalingMetric.cpu(70), ScalingMetric.podMetric('rps', 1000)] })).toThrow(
      `${P}metrics[1] ("pods rps 1000") cannot become a KEDA trigger (only CPU and memory utilisation can); express it as a trigger in keda.triggers, e.g. KedaTrigger.prometheus(...)`);
    expect(check({ keda, metrics: [ScalingMetric.externalMetric('depth', 10)] })).toThrow(`${P}metrics[0] ("external depth 10") cannot become a KEDA trigger`);
  });

  test('an HPA can take pods and external metrics', () => {
    expect(check({ metrics: [ScalingMetric.podMetric('rps', 1000), ScalingMetric.externalMetric('depth', 10)] })).not.toThrow();
  });
});

describe('scaling behaviour', () => {
  test.each([
    [{ scaleUp: { maxPercent: 0 } }, 'scaleUp.maxPercent (0) must be a whole percent of at least 1; use e.g. 50'],
    [{ scaleDown: { maxPercent: 12.5 } }, 'scaleDown.maxPercent (12.5) must be a whole percent of at least 1; use e.g. 50'],
    [{ scaleUp: { maxPods: 0 } }, 'scaleUp.maxPods (0) must be a whole number of pods of at least 1; use e.g. 4, or leave it unset'],
    [{ scaleUp: { period: Duration.seconds(0) } }, 'scaleUp.period ("0s") must be between 1 second and 30 minutes; use e.g. Duration.minutes(1)'],
    [{ scaleDown: { period: Duration.seconds(1801) } }, 'scaleDown.period ("1801s") must be between 1 second and 30 minutes; use e.g. Duration.minutes(1)'],
    [{ scaleDown: { stabilizationWindow: Duration.seconds(3601) } }, 'scaleDown.stabilizationWindow ("3601s") must be between 0 and 1 hour; use e.g. Duration.seconds(300)'],
  ] as Array<[Partial<AutoscaledServiceProps>, string]>)('refuses %j', (overrides, message) => {
    expect(check(overrides)).toThrow(`${P}${message}`);
  });

  test('accepts the bounds: 1 second and 30 minutes, 0 and 1 hour', () => {
    expect(check({
      scaleUp: { period: Duration.seconds(1), stabilizationWindow: Duration.seconds(0), maxPods: 1, maxPercent: 1 },
      scaleDown: { period: Duration.minutes(30), stabilizationWindow: Duration.hours(1) },
    })).not.toThrow();
  });

  test('the rule reports every broken field of both directions', () => {
    const failures = allFailures(resolved({ scaleUp: { maxPercent: 0, maxPods: 0 }, scaleDown: { period: Duration.hours(1) } }));
    expect(failures.map(([prop]) => prop)).toEqual(['scaleUp.maxPercent', 'scaleUp.maxPods', 'scaleDown.period']);
  });
});

describe('rollout strategy', () => {
  test('maxSurge and maxUnavailable cannot both be zero', () => {
    expect(check({ strategy: RolloutStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(0) }) })).toThrow(
      `${P}strategy.maxSurge (0) and strategy.maxUnavailable (0) are both zero, so a rollout could never replace a pod; set maxSurge to 1`);
    expect(check({ strategy: RolloutStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(0), maxUnavailable: kplus.PercentOrAbsolute.percent(0) }) })).toThrow(
      `${P}strategy.maxSurge ("0%") and strategy.maxUnavailable (0%) are both zero`);
  });

  test('zero surge with some unavailability is fine', () => {
    expect(check({ strategy: RolloutStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(0), maxUnavailable: kplus.PercentOrAbsolute.absolute(1) }) })).not.toThrow();
  });

  test.each([
    [{ stableWeight: 101, canaryWeight: -1 }, 'strategy.stableWeight (101) must be a whole percent between 0 and 100; use e.g. stableWeight 90 and canaryWeight 10'],
    [{ stableWeight: 90, canaryWeight: -1 }, 'strategy.canaryWeight (-1) must be a whole percent between 0 and 100; use e.g. stableWeight 90 and canaryWeight 10'],
    [{ stableWeight: 89.5, canaryWeight: 10.5 }, 'strategy.stableWeight (89.5) must be a whole percent between 0 and 100'],
    [{ stableWeight: 80, canaryWeight: 10 }, 'strategy.canaryWeight (10) and strategy.stableWeight (80) must sum to 100 (they sum to 90); use canaryWeight 20, or e.g. 90 and 10'],
  ])('canary refuses %j', (weights, message) => {
    expect(check({ strategy: RolloutStrategy.canary(weights) })).toThrow(`${P}${message}`);
  });

  test('canary reports both bad weights', () => {
    const failures = allFailures(resolved({ strategy: RolloutStrategy.canary({ stableWeight: 101, canaryWeight: -1 }) }));
    expect(failures.map(([prop]) => prop)).toEqual(['strategy.stableWeight', 'strategy.canaryWeight']);
  });

  test.each([[100, 0], [0, 100], [90, 10]])('canary accepts %i/%i', (stableWeight, canaryWeight) => {
    expect(check({ strategy: RolloutStrategy.canary({ stableWeight, canaryWeight }) })).not.toThrow();
  });

  test('weights are ignored outside a canary', () => {
    expect(allFailures(resolved({ strategy: RolloutStrategy.rollingUpdate() }))).toEqual([]);
  });

  test('blue-green needs a real colour', () => {
    const strategy = RolloutStrategy.blueGreen({ active: 'red' as DeploymentColour });
    expect(check({ strategy })).toThrow(
      `${P}strategy.active ("red") is not a colour of the blue-green rollout; use DeploymentColour.BLUE ("blue") or DeploymentColour.GREEN ("green")`);
  });

  test.each([DeploymentColour.BLUE, DeploymentColour.GREEN])('blue-green accepts %s', (active) => {
    expect(check({ strategy: RolloutStrategy.blueGreen({ active }) })).not.toThrow();
  });
});

describe('disruption budget', () => {
  const fix = 'use DisruptionBudget.maxUnavailablePercent(20), raise the minimum, or use DisruptionBudget.none()';

  test('a percent must be within 0 and 100', () => {
    expect(check({ disruptionBudget: DisruptionBudget.maxUnavailablePercent(120) })).toThrow(
      `${P}disruptionBudget ("maxUnavailable 120%") must be a whole percent between 0 and 100; use e.g. DisruptionBudget.maxUnavailablePercent(20)`);
  });

  test('a pod count must be whole and not negative', () => {
    expect(check({ disruptionBudget: DisruptionBudget.maxUnavailable(-1) })).toThrow(
      `${P}disruptionBudget ("maxUnavailable -1") must be a whole number of pods; use e.g. DisruptionBudget.maxUnavailablePercent(20)`);
    expect(check({ disruptionBudget: DisruptionBudget.minAvailable(1.5) })).toThrow(`${P}disruptionBudget ("minAvailable 1.5") must be a whole number of pods`);
  });

  test('a budget that allows no eviction at minReplicas is refused', () => {
    expect(check({ disruptionBudget: DisruptionBudget.minAvailable(2) })).toThrow(
      `${P}disruptionBudget ("minAvailable 2") allows no voluntary eviction at minReplicas (2), so every node drain would hang; ${fix}`);
    expect(check({ disruptionBudget: DisruptionBudget.maxUnavailable(0) })).toThrow(`${P}disruptionBudget ("maxUnavailable 0") allows no voluntary eviction at minReplicas (2)`);
    expect(check({ disruptionBudget: DisruptionBudget.minAvailablePercent(100) })).toThrow(`${P}disruptionBudget ("minAvailable 100%") allows no voluntary eviction`);
  });

  test('the canary track is checked at its own minimum', () => {
    const strategy = RolloutStrategy.canary({ canaryMinReplicas: 1 });
    expect(check({ strategy, minReplicas: 4, disruptionBudget: DisruptionBudget.minAvailablePercent(50) })).toThrow(
      `${P}disruptionBudget ("minAvailable 50%") allows no voluntary eviction at strategy.canaryMinReplicas (1), so every node drain would hang; ${fix}`);
  });

  test.each([
    DisruptionBudget.none(), DisruptionBudget.maxUnavailablePercent(20), DisruptionBudget.maxUnavailable(1), DisruptionBudget.minAvailable(1),
    DisruptionBudget.minAvailablePercent(50),
  ])('accepts %s at minReplicas 2', (disruptionBudget) => {
    expect(check({ disruptionBudget })).not.toThrow();
  });
});

describe('shutdown and startup', () => {
  test('terminationGracePeriod must be at least 1 second', () => {
    expect(check({ terminationGracePeriod: Duration.seconds(0), drain: Duration.seconds(0) })).toThrow(
      `${P}terminationGracePeriod ("0s") must be at least 1 second; use e.g. Duration.seconds(60)`);
  });

  test('drain must be shorter than terminationGracePeriod', () => {
    expect(check({ terminationGracePeriod: Duration.seconds(60), drain: Duration.minutes(1) })).toThrow(
      `${P}drain ("60s") must be shorter than terminationGracePeriod (60s), or the container is killed before it can shut down; shorten the drain or lengthen terminationGracePeriod`);
  });

  test('a drain one second short of the grace period is fine', () => {
    expect(check({ terminationGracePeriod: Duration.seconds(60), drain: Duration.seconds(59) })).not.toThrow();
  });

  test('startupTimeout must be at least 5 seconds', () => {
    expect(check({ startupTimeout: Duration.seconds(4) })).toThrow(`${P}startupTimeout ("4s") must be at least 5 seconds (one probe period); use e.g. Duration.seconds(150)`);
    expect(check({ startupTimeout: Duration.seconds(5) })).not.toThrow();
  });
});

describe('container', () => {
  test('a memory limit is required', () => {
    expect(check({ resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256) } } })).toThrow(
      `${P}resources.memory.limit (undefined) is required: a container without a memory limit can take its node's memory; set e.g. Size.mebibytes(512)`);
  });

  test.each([0, -1, 1.5])('runAsUser %p is refused', (runAsUser) => {
    expect(check({ runAsUser })).toThrow(`${P}runAsUser (${runAsUser}) must be a non-root user id (1 or more) under the restricted Pod Security level; use e.g. 65532`);
  });
});

describe('network peers', () => {
  test('an IP block cannot be mixed with pod selection', () => {
    expect(check({ allowFrom: [{ cidr: '10.0.0.0/8', podLabels: { app: 'x' } }] })).toThrow(
      `${P}allowFrom[0] ({"cidr":"10.0.0.0/8","podLabels":{"app":"x"}}) mixes an IP block (cidr) with pod selection; use one peer for the IP block and another for the pods`);
    expect(check({ allowEgressTo: [{ cidr: '10.0.0.0/8', namespace: 'db', ports: [5432] }] })).toThrow(
      `${P}allowEgressTo[0] ({"cidr":"10.0.0.0/8","namespace":"db","ports":[5432]}) mixes an IP block (cidr) with pod selection`);
  });

  test('namespace and namespaceLabels cannot both be set', () => {
    expect(check({ allowFrom: [{}, { namespace: 'edge', namespaceLabels: { team: 'edge' } }] })).toThrow(
      `${P}allowFrom[1] ({"namespace":"edge","namespaceLabels":{"team":"edge"}}) sets both namespace and namespaceLabels; select the namespace by name or by labels, not both`);
  });

  test('an egress rule must list ports', () => {
    expect(check({ allowEgressTo: [{ namespace: 'db', ports: [] }] })).toThrow(
      `${P}allowEgressTo[0].ports ([]) must list at least one port (an empty list would allow every port); list the ports, e.g. [2379]`);
  });

  test('egress ports must be valid', () => {
    expect(check({ allowEgressTo: [{ namespace: 'db', ports: [2379, 0] }] })).toThrow(
      `${P}allowEgressTo[0].ports[1] (0) must be a whole number between 1 and 65535; use the port the container listens on, e.g. 8080`);
  });
});

describe('ingress', () => {
  test('the host must be a DNS subdomain', () => {
    expect(check({ ingress: { host: 'API.example.com' } })).toThrow(
      `${P}ingress.host ("API.example.com") must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit; use a host name such as "api.example.com"`);
  });

  test('a valid host passes', () => {
    expect(check({ ingress: { host: 'api.example.com', path: '/v1' } })).not.toThrow();
  });
});

describe('durations Kubernetes counts in seconds', () => {
  test('a sub-second or fractional-second duration gets the house message, not a conversion error', () => {
    const build = (props: Partial<AutoscaledServiceProps>) => () => new AutoscaledService(testChart(), 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, maxReplicas: 5, ...props });
    expect(build({ terminationGracePeriod: Duration.millis(500) })).toThrow(
      'AutoscaledService \'api\': terminationGracePeriod ("500ms") must be a whole number of seconds (Kubernetes counts it in seconds); use e.g. Duration.seconds(30)');
    expect(build({ scaleUp: { maxPercent: 50, period: Duration.millis(1500) } })).toThrow(
      'AutoscaledService \'api\': scaleUp.period ("1500ms") must be a whole number of seconds (Kubernetes counts it in seconds); use e.g. Duration.seconds(30)');
    expect(build({ drain: Duration.millis(0.5) })).toThrow(
      'AutoscaledService \'api\': drain ("0.5ms") must be a whole number of seconds (Kubernetes counts it in seconds); use e.g. Duration.seconds(30)');
  });
});
