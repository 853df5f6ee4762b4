import { Chart, Testing } from 'cdk8s';
import { checkConformance } from '../../../lib/policy/conformance';
import { formatViolation, KubeObject } from '../../../lib/policy/objects';
import { AuthorizationPolicy, DestinationRule, PeerAuthentication, Telemetry, VirtualService } from '../../../lib/k8s/resources/istio';
import { describeWithSchemas, field, findObject, schemaRegistry, synth, testChart } from '../../util';

describe('Istio resources', () => {
  test('VirtualService with weighted routes, matches, retries and a timeout', () => {
    const chart = testChart();
    new VirtualService(chart, 'vs', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        hosts: ['api.shop.svc.cluster.local'],
        gateways: ['mesh'],
        http: [{
          name: 'canary',
          match: [{ uri: { prefix: '/v1' }, headers: { 'x-canary': { exact: 'true' } } }],
          route: [
            { destination: { host: 'api.shop.svc.cluster.local', subset: 'stable', port: { number: 8080 } }, weight: 90 },
            { destination: { host: 'api.shop.svc.cluster.local', subset: 'canary', port: { number: 8080 } }, weight: 10 },
          ],
          timeout: '15s',
          retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx' },
        }],
      },
    });
    const vs = findObject(synth(chart), 'VirtualService', 'api', 'shop');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect((vs.spec as { http: unknown[] }).http).toHaveLength(1);
  });

  test('DestinationRule with subsets and a traffic policy', () => {
    const chart = testChart();
    new DestinationRule(chart, 'dr', {
      metadata: { name: 'api' },
      spec: {
        host: 'api',
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, loadBalancer: { simple: 'LEAST_REQUEST' } },
        subsets: [{ name: 'stable', labels: { track: 'stable' } }, { name: 'canary', labels: { track: 'canary' } }],
      },
    });
    const dr = findObject(synth(chart), 'DestinationRule', 'api');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.spec).toEqual(expect.objectContaining({ host: 'api' }));
  });
});

describeWithSchemas('Istio schemas catch misspelt fields', () => {
  test('a misspelt spec field fails the schema', () => {
    const chart = testChart();
    new DestinationRule(chart, 'dr', { metadata: { name: 'api' }, spec: { host: 'api', subsetz: [] } as never });
    const violations = checkConformance(Testing.synth(chart) as KubeObject[], schemaRegistry()).map(formatViolation);
    expect(violations).toContain('error: DestinationRule api: spec: unknown field "subsetz" (not in the schema; check its spelling and placement) [schema]');
  });
});

describe('Istio security and telemetry resources', () => {
  const selector = { matchLabels: { 'app.kubernetes.io/name': 'api' } };

  test('DestinationRule with circuit breaking, outlier detection and consistent hashing', () => {
    const chart = testChart();
    new DestinationRule(chart, 'dr', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        host: 'api.shop.svc.cluster.local',
        trafficPolicy: {
          connectionPool: { tcp: { maxConnections: 1000, connectTimeout: '5s' }, http: { http1MaxPendingRequests: 1000, http2MaxRequests: 1000, maxRetries: 3 } },
          outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
          loadBalancer: { consistentHash: { httpHeaderName: 'x-user-id' } },
          tls: { mode: 'ISTIO_MUTUAL' },
        },
      },
    });
    expect(field(findObject(synth(chart), 'DestinationRule', 'api', 'shop'), 'spec.trafficPolicy.loadBalancer')).toEqual({ consistentHash: { httpHeaderName: 'x-user-id' } });
  });

  test('PeerAuthentication, STRICT with a port-level exception', () => {
    const chart = testChart();
    new PeerAuthentication(chart, 'pa', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: { selector, mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'PERMISSIVE' } } },
    });
    const pa = findObject(synth(chart), 'PeerAuthentication', 'api', 'shop');
    expect([pa.apiVersion, field(pa, 'spec.mtls.mode')]).toEqual(['security.istio.io/v1', 'STRICT']);
  });

  test('AuthorizationPolicy allowing principals, namespaces and IP blocks on a port', () => {
    const chart = testChart();
    new AuthorizationPolicy(chart, 'ap', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        selector,
        action: 'ALLOW',
        rules: [{
          from: [{ source: { principals: ['cluster.local/ns/web/sa/frontend'] } }, { source: { namespaces: ['web'] } }, { source: { ipBlocks: ['10.0.0.0/16'] } }],
          to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/v1/*'] } }],
        }],
      },
    });
    const ap = findObject(synth(chart), 'AuthorizationPolicy', 'api', 'shop');
    expect([ap.apiVersion, field(ap, 'spec.action')]).toEqual(['security.istio.io/v1', 'ALLOW']);
  });

  test('Telemetry sampling traces to a provider', () => {
    const chart = testChart();
    new Telemetry(chart, 'tm', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: { selector, tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 10, disableSpanReporting: false }] },
    });
    const tm = findObject(synth(chart), 'Telemetry', 'api', 'shop');
    expect([tm.apiVersion, field(tm, 'spec.tracing.0.randomSamplingPercentage')]).toEqual(['telemetry.istio.io/v1', 10]);
  });
});

describeWithSchemas('Istio security and telemetry schemas catch mistakes', () => {
  const violations = (build: (chart: Chart) => void) => {
    const chart = testChart();
    build(chart);
    return checkConformance(Testing.synth(chart) as KubeObject[], schemaRegistry()).map(formatViolation);
  };

  test.each<[string, (chart: Chart) => void, string]>([
    ['a PeerAuthentication mode', (c) => new PeerAuthentication(c, 'pa', { metadata: { name: 'api' }, spec: { mtls: { mode: 'STRICTER' as never } } }), 'PeerAuthentication api'],
    ['an AuthorizationPolicy source field', (c) => new AuthorizationPolicy(c, 'ap', { metadata: { name: 'api' }, spec: { rules: [{ from: [{ source: { principal: ['x'] } as never }] }] } }), 'AuthorizationPolicy api'],
    ['a Telemetry sampling above 100', (c) => new Telemetry(c, 'tm', { metadata: { name: 'api' }, spec: { tracing: [{ randomSamplingPercentage: 150 }] } }), 'Telemetry api'],
  ])('%s', (_name, build, object) => {
    const found = violations(build);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`error: ${object}: spec`);
  });
});
