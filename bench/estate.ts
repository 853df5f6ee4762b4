import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AutoscaledService } from '../lib/k8s/autoscaled-service';
import { DisruptionBudget } from '../lib/k8s/autoscaled-service';
import { ScalingMetric } from '../lib/k8s/autoscaled-service';
import { PolicyChecks } from '../lib/policy/app-checks';
import { KubeObject } from '../lib/policy/objects';

/** Which estate a benchmark builds. */
export type EstateKind = 'fleetcraft' | 'plain';

/** Every estate kind, in report order. */
export const ESTATE_KINDS: readonly EstateKind[] = ['fleetcraft', 'plain'];

/** How many namespaces the services are spread over (a real estate has teams; 50 services a namespace). */
const SERVICES_PER_NAMESPACE = 50;

function namespaceOf(i: number): string {
  return `team-${Math.floor(i / SERVICES_PER_NAMESPACE)}`;
}

/**
 * Adds service `i` as an `AutoscaledService` with all the options a real service uses: HPA on CPU, memory and a
 * per-pod metric with scaling behaviour, a PodDisruptionBudget, a ServiceMonitor, an Ingress, a VPA in
 * recommendation mode, a NetworkPolicy with ingress peers and egress, environment variables and a ConfigMap.
 */
function addFleetcraftService(chart: Chart, i: number): void {
  const name = `svc-${i}`;
  new AutoscaledService(chart, name, {
    namespace: namespaceOf(i),
    partOf: 'shop',
    image: `registry.example.com/${name}:1.${i % 10}.0`,
    port: 8080,
    servicePort: 80,
    minReplicas: 3,
    maxReplicas: 30,
    metrics: [
      ScalingMetric.cpu(70),
      ScalingMetric.memory(80),
      ScalingMetric.podMetric('http_requests_per_second', 1000),
    ],
    scaleUp: { maxPercent: 100, period: Duration.minutes(1), stabilizationWindow: Duration.seconds(30) },
    scaleDown: { maxPercent: 10, period: Duration.minutes(5), stabilizationWindow: Duration.seconds(300) },
    disruptionBudget: DisruptionBudget.maxUnavailablePercent(20),
    resources: {
      cpu: { request: kplus.Cpu.millis(250) },
      memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
    },
    env: { LOG_LEVEL: 'info', SERVICE_NAME: name, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability.svc:4317' },
    config: { FEATURE_FLAGS: 'checkout-v2,fast-path', CACHE_TTL_SECONDS: '60', UPSTREAM: `svc-${(i + 1) % 1000}.${namespaceOf(i)}.svc` },
    envFromSecrets: [`${name}-db`],
    allowFrom: [{ namespace: 'web' }, { podLabels: { 'app.kubernetes.io/part-of': 'shop' } }],
    allowEgressTo: [
      { namespace: 'consensus', podLabels: { 'app.kubernetes.io/name': 'raft' }, ports: [2379] },
      { cidr: '10.20.0.0/16', ports: [5432] },
    ],
    ingress: { host: `${name}.example.com`, tlsSecretName: `${name}-tls` },
    serviceMonitor: { interval: Duration.seconds(30) },
    vpaRecommendations: true,
  });
}

/**
 * Adds service `i` as what a user would write with plain cdk8s-plus-27: a Deployment, a Service, a
 * HorizontalPodAutoscaler on the same three metrics with the same behaviour, and a PodDisruptionBudget (L1, as
 * cdk8s-plus-27 has none), with the same image, port, resources, probes and environment.
 */
function addPlainService(chart: Chart, i: number): void {
  const name = `svc-${i}`;
  const namespace = namespaceOf(i);
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/part-of': 'shop' };
  const deployment = new kplus.Deployment(chart, `${name}-deployment`, {
    metadata: { name, namespace, labels },
    select: false,
    podMetadata: { labels },
    containers: [{
      name: 'app',
      image: `registry.example.com/${name}:1.${i % 10}.0`,
      portNumber: 8080,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      resources: {
        cpu: { request: kplus.Cpu.millis(250) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
      startup: kplus.Probe.fromHttpGet('/startup', { port: 8080, failureThreshold: 30 }),
      envVariables: {
        LOG_LEVEL: kplus.EnvValue.fromValue('info'),
        SERVICE_NAME: kplus.EnvValue.fromValue(name),
        OTEL_EXPORTER_OTLP_ENDPOINT: kplus.EnvValue.fromValue('http://otel-collector.observability.svc:4317'),
      },
    }],
  });
  deployment.select(kplus.LabelSelector.of({ labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name } }));
  new kplus.Service(chart, `${name}-service`, {
    metadata: { name, namespace, labels },
    selector: deployment,
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  });
  new kplus.HorizontalPodAutoscaler(chart, `${name}-hpa`, {
    metadata: { name, namespace, labels },
    target: deployment,
    minReplicas: 3,
    maxReplicas: 30,
    metrics: [
      kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70)),
      kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(80)),
      kplus.Metric.pods({ name: 'http_requests_per_second', target: kplus.MetricTarget.averageValue(1000) }),
    ],
    scaleUp: {
      stabilizationWindow: Duration.seconds(30),
      policies: [{ replicas: kplus.Replicas.percent(100), duration: Duration.minutes(1) }],
    },
    scaleDown: {
      stabilizationWindow: Duration.seconds(300),
      policies: [{ replicas: kplus.Replicas.percent(10), duration: Duration.minutes(5) }],
    },
  });
  new kplus.k8s.KubePodDisruptionBudget(chart, `${name}-pdb`, {
    metadata: { name, namespace, labels },
    spec: {
      maxUnavailable: kplus.k8s.IntOrString.fromString('20%'),
      selector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name } },
    },
  });
}

/** A fresh chart (in a fresh app) holding `n` services of the given kind; nothing is synthesized yet. */
export function buildEstate(kind: EstateKind, n: number, first = 0): Chart {
  const app = new App({ outdir: '/tmp/fleetcraft-bench-unused' });
  const chart = new Chart(app, 'estate', { disableResourceNameHashes: true });
  // The estate's namespaces have no NamespaceBaseline; every other in-synth check runs (and is timed).
  PolicyChecks.of(app).skip('security/default-deny', 'the benchmark estate has no namespace baselines');
  const add = kind === 'fleetcraft' ? addFleetcraftService : addPlainService;
  for (let i = first; i < first + n; i++) add(chart, i);
  return chart;
}

/**
 * The estate as synth renders it: one chart (in its own App) per namespace of 50 services, built, turned into
 * plain objects and dropped before the next (synth likewise gives each cluster its own App, so no App grows
 * with the whole estate: cdk8s resolves an entire App on every `toJson`).
 * Yields each namespace's objects with the time spent constructing and in `toJson`.
 */
export function* renderEstateByNamespace(kind: EstateKind, n: number): Generator<{ objects: KubeObject[]; constructMs: number; toJsonMs: number }> {
  for (let first = 0; first < n; first += SERVICES_PER_NAMESPACE) {
    const t0 = performance.now();
    const chart = buildEstate(kind, Math.min(SERVICES_PER_NAMESPACE, n - first), first);
    const t1 = performance.now();
    const objects = estateObjects(chart);
    yield { objects, constructMs: t1 - t0, toJsonMs: performance.now() - t1 };
  }
}

/** The chart's objects, as synth sees them (validation and resolution included). */
export function estateObjects(chart: Chart): KubeObject[] {
  return chart.toJson() as KubeObject[];
}
