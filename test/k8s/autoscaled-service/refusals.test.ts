import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AutoscaledService, AutoscaledServiceProps } from '../../../lib/k8s/autoscaled-service';
import { KedaTrigger } from '../../../lib/k8s/autoscaled-service';
import { DisruptionBudget } from '../../../lib/k8s/autoscaled-service';
import { DeploymentColour, RolloutStrategy } from '../../../lib/k8s/autoscaled-service';
import { ScalingMetric } from '../../../lib/k8s/autoscaled-service';
import { imageError } from '../../../lib/k8s/autoscaled-service';
import { testChart } from '../../util';

const BASE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, maxReplicas: 10 };
const PREFIX = 'AutoscaledService \'api\': ';

const build = (props: Partial<AutoscaledServiceProps>) => () => new AutoscaledService(testChart(), 'api', { ...BASE, ...props });
const REDIS = KedaTrigger.redisList({ address: 'redis:6379', listName: 'jobs', listLength: 100 });
const DNS_LABEL = 'must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit';

describe('AutoscaledService refuses', () => {
  test.each<[string, Partial<AutoscaledServiceProps>, string]>([
    ['a name that is not a DNS label', { name: 'API' }, `name ("API") ${DNS_LABEL}; use a DNS-1123 label such as "api"`],
    ['a namespace that is not a DNS label', { namespace: 'Shop' }, `namespace ("Shop") ${DNS_LABEL}; use a DNS-1123 label such as "api"`],
    ['an image without a tag', { image: 'registry.example.com:5000/api' },
      'image ("registry.example.com:5000/api") has no tag or digest, so nodes may run different builds; pin a version tag or a digest, e.g. "registry.example.com/api:1.4.2"'],
    ['an image tagged latest', { image: 'nginx:latest' },
      'image ("nginx:latest") is tagged ":latest", which changes under you; pin a version tag or a digest, e.g. "registry.example.com/api:1.4.2"'],
    ['a canary image tagged latest', { strategy: RolloutStrategy.canary({ canaryImage: 'api:latest' }) },
      'strategy.canaryImage ("api:latest") is tagged ":latest", which changes under you; pin a version tag or a digest, e.g. "registry.example.com/api:1.4.2"'],
    ['a port out of range', { port: 0 }, 'port (0) must be a whole number between 1 and 65535; use the port the container listens on, e.g. 8080'],
    ['a service port out of range', { servicePort: 70000 }, 'servicePort (70000) must be a whole number between 1 and 65535; use the port the container listens on, e.g. 8080'],
    ['a metrics port out of range', { serviceMonitor: { port: -1 } }, 'serviceMonitor.port (-1) must be a whole number between 1 and 65535; use the port the container listens on, e.g. 8080'],
    ['an invalid port name', { portName: 'HTTP' }, `portName ("HTTP") ${DNS_LABEL}; use a short name such as "http"`],
    ['minReplicas below 1', { minReplicas: 0 }, 'minReplicas (0) must be a whole number of at least 1; use 1 or more (scaling to zero is not supported)'],
    ['minReplicas above maxReplicas', { minReplicas: 5, maxReplicas: 3 }, 'minReplicas (5) must not exceed maxReplicas (3); raise maxReplicas or lower the minimum'],
    ['canaryMinReplicas above maxReplicas', { strategy: RolloutStrategy.canary({ canaryMinReplicas: 11 }) },
      'strategy.canaryMinReplicas (11) must not exceed maxReplicas (10); raise maxReplicas or lower the minimum'],
    ['a fractional maxReplicas', { maxReplicas: 2.5, minReplicas: 1 }, 'maxReplicas (2.5) must be a whole number; use e.g. 10'],
    ['KEDA and HPA both on', { hpa: true, keda: { triggers: [REDIS] } },
      'hpa (true) cannot be combined with keda: KEDA creates and owns its own HorizontalPodAutoscaler, and two autoscalers would fight over the replica count; remove hpa or keda'],
    ['a CPU utilisation above 100', { metrics: [ScalingMetric.cpu(150)] },
      'metrics[0].target (150) is a cpu utilisation and must be a whole percent between 1 and 100 of the container\'s request; use e.g. ScalingMetric.cpu(70)'],
    ['a memory utilisation below 1', { metrics: [ScalingMetric.cpu(), ScalingMetric.memory(0)] },
      'metrics[1].target (0) is a memory utilisation and must be a whole percent between 1 and 100 of the container\'s request; use e.g. ScalingMetric.memory(80)'],
    ['a per-pod average that is not positive', { metrics: [ScalingMetric.podMetric('http_requests_per_second', 0)] },
      'metrics[0].target (0) is the average http_requests_per_second per pod and must be positive; use the load one pod handles, e.g. 1000'],
    ['a CPU target without a CPU request', { resources: { memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } } },
      'metrics[0] ("cpu 70%") measures utilisation of the container\'s cpu request, but resources sets no cpu request; set resources.cpu.request or scale on another metric'],
    ['a memory target without a memory request', { metrics: [ScalingMetric.memory(80)], resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { limit: Size.mebibytes(512) } } },
      'metrics[0] ("memory 80%") measures utilisation of the container\'s memory request, but resources sets no memory request; set resources.memory.request or scale on another metric'],
    ['an HPA without metrics', { metrics: [] }, 'metrics ([]) must list at least one metric for the HorizontalPodAutoscaler; use e.g. [ScalingMetric.cpu(70)]'],
    ['KEDA with nothing to scale on', { metrics: [], keda: { triggers: [] } },
      'keda.triggers ([]) must list at least one trigger when metrics is empty; add e.g. KedaTrigger.prometheus(...) or a CPU metric'],
    ['KEDA with a per-pod metric', { metrics: [ScalingMetric.cpu(), ScalingMetric.podMetric('http_requests_per_second', 1000)], keda: { triggers: [REDIS] } },
      'metrics[1] ("pods http_requests_per_second 1000") cannot become a KEDA trigger (only CPU and memory utilisation can); express it as a trigger in keda.triggers, e.g. KedaTrigger.prometheus(...)'],
    ['a scale-up percent below 1', { scaleUp: { maxPercent: 0 } }, 'scaleUp.maxPercent (0) must be a whole percent of at least 1; use e.g. 50'],
    ['a scale-down pod count below 1', { scaleDown: { maxPods: 0 } }, 'scaleDown.maxPods (0) must be a whole number of pods of at least 1; use e.g. 4, or leave it unset'],
    ['a scaling period over 30 minutes', { scaleDown: { period: Duration.minutes(31) } }, 'scaleDown.period ("1860s") must be between 1 second and 30 minutes; use e.g. Duration.minutes(1)'],
    ['a stabilization window over 1 hour', { scaleUp: { stabilizationWindow: Duration.hours(2) } }, 'scaleUp.stabilizationWindow ("7200s") must be between 0 and 1 hour; use e.g. Duration.seconds(300)'],
    ['maxSurge and maxUnavailable both 0', { strategy: RolloutStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(0) }) },
      'strategy.maxSurge ("0%") and strategy.maxUnavailable (0) are both zero, so a rollout could never replace a pod; set maxSurge to 1'],
    ['canary weights not summing to 100', { strategy: RolloutStrategy.canary({ stableWeight: 80 }) },
      'strategy.canaryWeight (10) and strategy.stableWeight (80) must sum to 100 (they sum to 90); use canaryWeight 20, or e.g. 90 and 10'],
    ['a canary weight outside 0-100', { strategy: RolloutStrategy.canary({ stableWeight: 110, canaryWeight: -10 }) },
      'strategy.stableWeight (110) must be a whole percent between 0 and 100; use e.g. stableWeight 90 and canaryWeight 10'],
    ['blue-green with an unknown active colour', { strategy: RolloutStrategy.blueGreen({ active: 'purple' as DeploymentColour }) },
      'strategy.active ("purple") is not a colour of the blue-green rollout; use DeploymentColour.BLUE ("blue") or DeploymentColour.GREEN ("green")'],
    ['a budget keeping 80 % available at 3 replicas (no eviction possible)', { minReplicas: 3, disruptionBudget: DisruptionBudget.minAvailablePercent(80) },
      'disruptionBudget ("minAvailable 80%") allows no voluntary eviction at minReplicas (3), so every node drain would hang; use DisruptionBudget.maxUnavailablePercent(20), raise the minimum, or use DisruptionBudget.none()'],
    ['a budget of maxUnavailable 0', { disruptionBudget: DisruptionBudget.maxUnavailable(0) },
      'disruptionBudget ("maxUnavailable 0") allows no voluntary eviction at minReplicas (2), so every node drain would hang; use DisruptionBudget.maxUnavailablePercent(20), raise the minimum, or use DisruptionBudget.none()'],
    ['a budget blocking the single-replica canary', { minReplicas: 3, disruptionBudget: DisruptionBudget.minAvailable(1), strategy: RolloutStrategy.canary() },
      'disruptionBudget ("minAvailable 1") allows no voluntary eviction at strategy.canaryMinReplicas (1), so every node drain would hang; use DisruptionBudget.maxUnavailablePercent(20), raise the minimum, or use DisruptionBudget.none()'],
    ['a budget percent above 100', { disruptionBudget: DisruptionBudget.maxUnavailablePercent(150) },
      'disruptionBudget ("maxUnavailable 150%") must be a whole percent between 0 and 100; use e.g. DisruptionBudget.maxUnavailablePercent(20)'],
    ['a fractional budget', { disruptionBudget: DisruptionBudget.minAvailable(1.5) },
      'disruptionBudget ("minAvailable 1.5") must be a whole number of pods; use e.g. DisruptionBudget.maxUnavailablePercent(20)'],
    ['a drain as long as the grace period', { drain: Duration.seconds(60) },
      'drain ("60s") must be shorter than terminationGracePeriod (60s), or the container is killed before it can shut down; shorten the drain or lengthen terminationGracePeriod'],
    ['a drain longer than the grace period', { drain: Duration.seconds(45), terminationGracePeriod: Duration.seconds(30) },
      'drain ("45s") must be shorter than terminationGracePeriod (30s), or the container is killed before it can shut down; shorten the drain or lengthen terminationGracePeriod'],
    ['a zero grace period', { terminationGracePeriod: Duration.seconds(0), drain: Duration.seconds(0) }, 'terminationGracePeriod ("0s") must be at least 1 second; use e.g. Duration.seconds(60)'],
    ['a startup timeout under one probe period', { startupTimeout: Duration.seconds(2) }, 'startupTimeout ("2s") must be at least 5 seconds (one probe period); use e.g. Duration.seconds(150)'],
    ['resources without a memory limit', { resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128) } } },
      'resources.memory.limit (undefined) is required: a container without a memory limit can take its node\'s memory; set e.g. Size.mebibytes(512)'],
    ['root', { runAsUser: 0 }, 'runAsUser (0) must be a non-root user id (1 or more) under the restricted Pod Security level; use e.g. 65532'],
    ['a peer mixing a CIDR with pods', { allowFrom: [{ cidr: '10.0.0.0/8', namespace: 'web' }] },
      'allowFrom[0] ({"cidr":"10.0.0.0/8","namespace":"web"}) mixes an IP block (cidr) with pod selection; use one peer for the IP block and another for the pods'],
    ['a peer naming a namespace and namespace labels', { allowEgressTo: [{ namespace: 'web', namespaceLabels: { tier: 'edge' }, ports: [443] }] },
      'allowEgressTo[0] ({"namespace":"web","namespaceLabels":{"tier":"edge"},"ports":[443]}) sets both namespace and namespaceLabels; select the namespace by name or by labels, not both'],
    ['an egress rule without ports', { allowEgressTo: [{ namespace: 'consensus', ports: [] }] },
      'allowEgressTo[0].ports ([]) must list at least one port (an empty list would allow every port); list the ports, e.g. [2379]'],
    ['an egress port out of range', { allowEgressTo: [{ namespace: 'consensus', ports: [2379, 70000] }] },
      'allowEgressTo[0].ports[1] (70000) must be a whole number between 1 and 65535; use the port the container listens on, e.g. 8080'],
    ['an ingress host that is not a DNS name', { ingress: { host: 'API.example.com' } },
      'ingress.host ("API.example.com") must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit; use a host name such as "api.example.com"'],
  ])('%s', (_name, props, message) => {
    expect(build(props)).toThrow(PREFIX + message);
  });

  test('images pinned by digest or version tag pass; registry ports are not tags', () => {
    expect(imageError(`registry.example.com/api@sha256:${'a'.repeat(64)}`)).toBeUndefined();
    expect(imageError('registry.example.com:5000/team/api:2.0.1')).toBeUndefined();
    expect(imageError('registry.example.com:5000/team/api')).toBe('has no tag or digest, so nodes may run different builds');
    expect(imageError('api:')).toBe('has no tag or digest, so nodes may run different builds');
  });
});
