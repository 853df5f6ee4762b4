import { Chart, Duration, Testing } from 'cdk8s';
import { AutoscaledService, AutoscaledServiceProps, DEFAULT_RETRY_ON, DeploymentColour, RolloutStrategy } from '../../../lib/k8s/autoscaled-service';
import { KubeObject } from '../../../lib/policy/objects';
import { expectConformant, field, findAll, findObject, synth, testApp, testChart } from '../../util';

const BASE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, maxReplicas: 10, namespace: 'shop' };

const build = (props: Partial<AutoscaledServiceProps> = {}) => {
  const chart = testChart();
  const service = new AutoscaledService(chart, 'api', { ...BASE, mesh: {}, ...props });
  return { service, objects: synth(chart) };
};
const spec = (objects: KubeObject[], kind: string) => findObject(objects, kind, 'api', 'shop').spec as Record<string, unknown>;
const key = (o: KubeObject) => `${o.kind}/${o.metadata?.name}`;
const podTemplate = (objects: KubeObject[], name = 'api') => field(findObject(objects, 'Deployment', name), 'spec.template') as Record<string, unknown>;
const SELECTOR = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' };
const HOST = 'api.shop.svc.cluster.local';

describe('AutoscaledService mesh', () => {
  const { service, objects } = build();

  test('emits the mesh objects, named after the service in its namespace, and keeps the others', () => {
    expect(objects.map(key).sort()).toEqual([
      'AuthorizationPolicy/api', 'Deployment/api', 'DestinationRule/api', 'HorizontalPodAutoscaler/api', 'NetworkPolicy/api',
      'PeerAuthentication/api', 'PodDisruptionBudget/api', 'Service/api', 'ServiceAccount/api', 'Telemetry/api', 'VirtualService/api',
    ]);
    for (const kind of ['PeerAuthentication', 'AuthorizationPolicy', 'Telemetry']) expect(findObject(objects, kind, 'api').apiVersion).toMatch(/^(security|telemetry)\.istio\.io\/v1$/);
    expect([service.peerAuthentication, service.authorizationPolicy, service.telemetry, service.virtualService, service.destinationRule].every((o) => o !== undefined)).toBe(true);
  });

  test('STRICT mTLS on the service\'s pods (per service, so services sharing a namespace never collide)', () => {
    expect(spec(objects, 'PeerAuthentication')).toEqual({ selector: { matchLabels: SELECTOR }, mtls: { mode: 'STRICT' } });
    const chart = testChart();
    new AutoscaledService(chart, 'api', { ...BASE, mesh: {} });
    new AutoscaledService(chart, 'web', { ...BASE, mesh: {} });
    expect(findAll(synth(chart), 'PeerAuthentication').map((o) => o.metadata?.name)).toEqual(['api', 'web']);
  });

  test('the pods ask for a native sidecar; their security context is the same as outside the mesh', () => {
    const template = podTemplate(objects);
    expect(field(template, 'metadata.labels')).toEqual(expect.objectContaining({ 'sidecar.istio.io/inject': 'true' }));
    expect(field(template, 'metadata.annotations')).toEqual({ 'sidecar.istio.io/nativeSidecar': 'true' });
    const plain = podTemplate(build({ mesh: undefined }).objects);
    expect(field(template, 'spec.securityContext')).toEqual(field(plain, 'spec.securityContext'));
    expect(field(template, 'spec.containers.0.securityContext')).toEqual(field(plain, 'spec.containers.0.securityContext'));
    expect(field(template, 'spec.initContainers')).toBeUndefined();
  });

  test('the NetworkPolicy always restricts egress, letting the proxy reach istiod on 15012 and DNS', () => {
    const np = spec(objects, 'NetworkPolicy');
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
        ports: [{ protocol: 'TCP', port: 15012 }],
      },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      },
    ]);
  });

  test('one route to the service with retries and a timeout', () => {
    expect(spec(objects, 'VirtualService')).toEqual({
      hosts: [HOST],
      http: [{ name: 'default', route: [{ destination: { host: HOST, port: { number: 8080 } } }], timeout: '10s', retries: { attempts: 3, perTryTimeout: '2s', retryOn: DEFAULT_RETRY_ON } }],
    });
  });

  test('the specification\'s traffic policy, with mesh mTLS to the pods', () => {
    expect(spec(objects, 'DestinationRule')).toEqual({
      host: HOST,
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 1000 }, http: { http1MaxPendingRequests: 1000, http2MaxRequests: 1000 } },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s' },
        loadBalancer: { consistentHash: { httpHeaderName: 'x-user-id' } },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
    });
  });

  test('the Telemetry samples traces of the service\'s pods', () => {
    expect(spec(objects, 'Telemetry')).toEqual({ selector: { matchLabels: SELECTOR }, tracing: [{ randomSamplingPercentage: 10 }] });
  });

  describe('defaults, one per @default', () => {
    const dr = (o: KubeObject[]) => spec(o, 'DestinationRule');
    const vs = (o: KubeObject[]) => spec(o, 'VirtualService');
    test('mesh defaults to "- not in the mesh": no Istio objects, no sidecar, egress left to the namespace', () => {
      const plain = build({ mesh: undefined }).objects;
      expect(plain.filter((o) => o.apiVersion.includes('istio.io')).map(key)).toEqual([]);
      expect(field(podTemplate(plain), 'metadata.labels')).not.toHaveProperty(['sidecar.istio.io/inject']);
      expect(spec(plain, 'NetworkPolicy').policyTypes).toEqual(['Ingress']);
    });
    test('maxConnections defaults to 1000', () => expect(field(dr(objects), 'trafficPolicy.connectionPool.tcp.maxConnections')).toBe(1000));
    test('maxPendingRequests defaults to 1000', () => expect(field(dr(objects), 'trafficPolicy.connectionPool.http.http1MaxPendingRequests')).toBe(1000));
    test('maxRequests defaults to 1000', () => expect(field(dr(objects), 'trafficPolicy.connectionPool.http.http2MaxRequests')).toBe(1000));
    test('consecutive5xxErrors defaults to 5', () => expect(field(dr(objects), 'trafficPolicy.outlierDetection.consecutive5xxErrors')).toBe(5));
    test('outlierDetectionInterval defaults to Duration.seconds(10)', () => expect(field(dr(objects), 'trafficPolicy.outlierDetection.interval')).toBe('10s'));
    test('baseEjectionTime defaults to Duration.seconds(30)', () => expect(field(dr(objects), 'trafficPolicy.outlierDetection.baseEjectionTime')).toBe('30s'));
    test('consistentHashHeader defaults to "x-user-id"', () => expect(field(dr(objects), 'trafficPolicy.loadBalancer.consistentHash.httpHeaderName')).toBe('x-user-id'));
    test('retryAttempts defaults to 3', () => expect(field(vs(objects), 'http.0.retries.attempts')).toBe(3));
    test('perTryTimeout defaults to Duration.seconds(2)', () => expect(field(vs(objects), 'http.0.retries.perTryTimeout')).toBe('2s'));
    test('retryOn defaults to failures the app most likely never processed', () => {
      expect(field(vs(objects), 'http.0.retries.retryOn')).toBe('connect-failure,refused-stream,unavailable,cancelled,503');
    });
    test('timeout defaults to Duration.seconds(10)', () => expect(field(vs(objects), 'http.0.timeout')).toBe('10s'));
    test('tracingSamplingPercentage defaults to 10', () => expect(field(spec(objects, 'Telemetry'), 'tracing.0.randomSamplingPercentage')).toBe(10));
    test('tracingProvider defaults to "- the mesh\'s default tracing provider": no providers listed', () => {
      expect(field(spec(objects, 'Telemetry'), 'tracing.0')).not.toHaveProperty('providers');
    });
    test('trustDomain defaults to "cluster.local"', () => {
      const principals = field(spec(build({ allowFrom: [{ namespace: 'web', serviceAccount: 'frontend' }] }).objects, 'AuthorizationPolicy'), 'rules.0.from.0.source.principals');
      expect(principals).toEqual(['cluster.local/ns/web/sa/frontend']);
    });
    test('istiodNamespace defaults to "istio-system"', () => {
      expect(field(spec(objects, 'NetworkPolicy'), 'egress.0.to.0.namespaceSelector.matchLabels')).toEqual({ 'kubernetes.io/metadata.name': 'istio-system' });
    });
    test('NetworkPeer.serviceAccount defaults to "- any service account of the selected namespace"', () => {
      expect(field(spec(build({ allowFrom: [{ namespace: 'web' }] }).objects, 'AuthorizationPolicy'), 'rules.0.from')).toEqual([{ source: { namespaces: ['web'] } }]);
    });
  });
});

describe('AutoscaledService mesh AuthorizationPolicy', () => {
  const rules = (props: Partial<AutoscaledServiceProps>) => spec(build(props).objects, 'AuthorizationPolicy').rules;

  test('by default (allowFrom: every pod of the namespace) admits the service\'s own namespace on its port', () => {
    expect(spec(build().objects, 'AuthorizationPolicy')).toEqual({
      selector: { matchLabels: SELECTOR }, action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['shop'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
  });

  test('derives one source per peer: namespaces, service-account principals, IP blocks', () => {
    expect(rules({
      allowFrom: [{ namespace: 'web' }, { namespace: 'web', podLabels: { app: 'cart' }, serviceAccount: 'cart' }, { serviceAccount: 'worker' }, { cidr: '10.0.0.0/16' }],
      mesh: { trustDomain: 'prod.example.com' },
    })).toEqual([{
      from: [
        { source: { namespaces: ['web'] } },
        { source: { principals: ['prod.example.com/ns/web/sa/cart'] } },
        { source: { principals: ['prod.example.com/ns/shop/sa/worker'] } },
        { source: { ipBlocks: ['10.0.0.0/16'] } },
      ],
      to: [{ operation: { ports: ['8080'] } }],
    }]);
  });

  test('admits the ingress controller\'s namespace on the port and Prometheus\' on the metrics port', () => {
    expect(rules({ allowFrom: [], ingress: { host: 'api.example.com', controllerNamespace: 'istio-ingress' }, serviceMonitor: { port: 9090 } })).toEqual([
      { from: [{ source: { namespaces: ['istio-ingress'] } }], to: [{ operation: { ports: ['8080'] } }] },
      { from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { ports: ['9090'] } }] },
    ]);
    expect(rules({ allowFrom: [], ingress: { host: 'api.example.com' } })).toEqual([
      { from: [{ source: { namespaces: ['ingress-nginx'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
  });

  test('allowFrom [] without ingress or monitoring allows nothing (an ALLOW policy without rules)', () => {
    expect(spec(build({ allowFrom: [] }).objects, 'AuthorizationPolicy')).toEqual({ selector: { matchLabels: SELECTOR }, action: 'ALLOW' });
  });
});

describe('AutoscaledService mesh options', () => {
  test('every traffic figure can be set', () => {
    const { objects } = build({
      mesh: {
        maxConnections: 200, maxPendingRequests: 50, maxRequests: 400, consecutive5xxErrors: 3, outlierDetectionInterval: Duration.seconds(5),
        baseEjectionTime: Duration.minutes(1), consistentHashHeader: 'x-session', retryAttempts: 2, perTryTimeout: Duration.millis(500),
        retryOn: 'gateway-error,reset', timeout: Duration.seconds(3), tracingSamplingPercentage: 0.5, tracingProvider: 'otel', istiodNamespace: 'istio-control',
      },
    });
    expect(field(spec(objects, 'DestinationRule'), 'trafficPolicy')).toEqual({
      connectionPool: { tcp: { maxConnections: 200 }, http: { http1MaxPendingRequests: 50, http2MaxRequests: 400 } },
      outlierDetection: { consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '1m0s' },
      loadBalancer: { consistentHash: { httpHeaderName: 'x-session' } },
      tls: { mode: 'ISTIO_MUTUAL' },
    });
    expect(field(spec(objects, 'VirtualService'), 'http.0')).toEqual(expect.objectContaining({ timeout: '3s', retries: { attempts: 2, perTryTimeout: '500ms', retryOn: 'gateway-error,reset' } }));
    expect(field(spec(objects, 'Telemetry'), 'tracing')).toEqual([{ providers: [{ name: 'otel' }], randomSamplingPercentage: 0.5 }]);
    expect(field(spec(objects, 'NetworkPolicy'), 'egress.0.to.0.namespaceSelector.matchLabels')).toEqual({ 'kubernetes.io/metadata.name': 'istio-control' });
  });

  test('retryAttempts 0 turns retries off with attempts alone (Istio refuses the other fields then)', () => {
    expect(field(spec(build({ mesh: { retryAttempts: 0, perTryTimeout: Duration.seconds(20) } }).objects, 'VirtualService'), 'http.0.retries')).toEqual({ attempts: 0 });
  });

  test('egress: the proxy\'s rules come first, then allowEgressTo and allowEgressTo()', () => {
    const chart = testChart();
    const service = new AutoscaledService(chart, 'api', { ...BASE, mesh: {}, allowEgressTo: [{ namespace: 'db', ports: [5432] }] });
    service.allowEgressTo({ namespace: 'consensus', ports: [2379] });
    const egress = field(spec(synth(chart), 'NetworkPolicy'), 'egress') as Array<{ ports: Array<{ port: number }> }>;
    expect(egress.map((r) => r.ports[0].port)).toEqual([15012, 53, 5432, 2379]);
  });

  test('with serviceMonitor, Prometheus scrapes the proxy\'s merged metrics on 15020 (STRICT mTLS would refuse it on the app\'s port)', () => {
    const { objects } = build({ serviceMonitor: { port: 9090, path: '/stats' } });
    expect(field(podTemplate(objects), 'metadata.annotations')).toEqual({
      'sidecar.istio.io/nativeSidecar': 'true', 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'prometheus.io/path': '/stats',
    });
    expect(field(spec(objects, 'Service'), 'ports')).toEqual([
      { name: 'http', port: 8080, targetPort: 8080 }, { name: 'metrics', port: 9090, targetPort: 9090 }, { name: 'mesh-metrics', port: 15020, targetPort: 15020 },
    ]);
    expect(field(spec(objects, 'ServiceMonitor'), 'endpoints')).toEqual([{ port: 'mesh-metrics', path: '/stats/prometheus', interval: '30s' }]);
    expect(field(spec(objects, 'NetworkPolicy'), 'ingress')).toEqual(expect.arrayContaining([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }, { protocol: 'TCP', port: 15020 }],
    }]));
  });

  test('the namespace falls back to the chart\'s', () => {
    const chart = new Chart(testApp(), 'test', { disableResourceNameHashes: true, namespace: 'store' });
    new AutoscaledService(chart, 'api', { ...BASE, namespace: undefined, mesh: {} });
    const objects = synth(chart);
    expect(field(findObject(objects, 'VirtualService', 'api', 'store'), 'spec.hosts')).toEqual(['api.store.svc.cluster.local']);
    expect(field(findObject(objects, 'AuthorizationPolicy', 'api', 'store'), 'spec.rules.0.from')).toEqual([{ source: { namespaces: ['store'] } }]);
  });
});

describe('AutoscaledService mesh with rollout strategies', () => {
  test('canary and mesh share one DestinationRule (subsets and traffic policy) and one VirtualService (weights, retries, timeout)', () => {
    const { service, objects } = build({ strategy: RolloutStrategy.canary({ canaryImage: 'registry.example.com/api:1.5.0' }) });
    expect(findAll(objects, 'DestinationRule').map(key)).toEqual(['DestinationRule/api']);
    expect(findAll(objects, 'VirtualService').map(key)).toEqual(['VirtualService/api']);
    const dr = spec(objects, 'DestinationRule');
    expect(dr.subsets).toEqual([{ name: 'stable', labels: { 'fleetcraft.io/track': 'stable' } }, { name: 'canary', labels: { 'fleetcraft.io/track': 'canary' } }]);
    expect(field(dr, 'trafficPolicy.connectionPool.tcp.maxConnections')).toBe(1000);
    expect(field(spec(objects, 'VirtualService'), 'http')).toEqual([{
      name: 'canary',
      route: [
        { destination: { host: HOST, subset: 'stable', port: { number: 8080 } }, weight: 90 },
        { destination: { host: HOST, subset: 'canary', port: { number: 8080 } }, weight: 10 },
      ],
      timeout: '10s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: DEFAULT_RETRY_ON },
    }]);
    // Both tracks' pods are in the mesh, under the one PeerAuthentication selecting every track.
    expect(field(podTemplate(objects, 'api-canary'), 'metadata.labels')).toEqual(expect.objectContaining({ 'sidecar.istio.io/inject': 'true', 'fleetcraft.io/track': 'canary' }));
    expect(field(spec(objects, 'PeerAuthentication'), 'selector.matchLabels')).toEqual(SELECTOR);
    expect(service.destinationRule).toBe(service.node.findChild('DestinationRule'));
  });

  test('blue-green routes to the Service, which selects the active colour', () => {
    const { objects } = build({ strategy: RolloutStrategy.blueGreen({ active: DeploymentColour.GREEN }) });
    expect(field(spec(objects, 'VirtualService'), 'http.0.route')).toEqual([{ destination: { host: HOST, port: { number: 8080 } } }]);
    expect(spec(objects, 'DestinationRule')).not.toHaveProperty('subsets');
    for (const colour of ['blue', 'green']) expect(field(podTemplate(objects, `api-${colour}`), 'metadata.labels')).toEqual(expect.objectContaining({ 'sidecar.istio.io/inject': 'true' }));
  });
});

describe('AutoscaledService mesh output passes the upstream schemas', () => {
  test('every option, a canary, an ingress and a ServiceMonitor at once', () => {
    const chart = testChart();
    new AutoscaledService(chart, 'api', {
      ...BASE,
      strategy: RolloutStrategy.canary(),
      allowFrom: [{ namespace: 'web', serviceAccount: 'frontend' }, { cidr: '10.0.0.0/16' }],
      ingress: { host: 'api.example.com', controllerNamespace: 'istio-ingress' },
      serviceMonitor: { port: 9090 },
      mesh: { tracingProvider: 'otel', retryAttempts: 0, tracingSamplingPercentage: 100 },
    });
    const objects = Testing.synth(chart) as KubeObject[];
    expect(findAll(objects, 'Telemetry')).toHaveLength(1);
    expectConformant(objects);
  });
});
