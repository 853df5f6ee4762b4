import { Chart, Duration } from 'cdk8s';
import { AutoscaledService, AutoscaledServiceProps, MESH_RULES, resolveAutoscaledService } from '../../../lib/k8s/autoscaled-service';
import { firstViolation } from '../../../lib/private/rules';
import { testApp, testChart } from '../../util';

const BASE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, maxReplicas: 10, namespace: 'shop' };
const PREFIX = 'AutoscaledService \'api\': ';
const build = (props: Partial<AutoscaledServiceProps>) => () => new AutoscaledService(testChart(), 'api', { ...BASE, ...props });
const KNOWN = '5xx, gateway-error, reset, reset-before-request, connect-failure, envoy-ratelimited, retriable-4xx, refused-stream, retriable-status-codes, '
  + 'retriable-headers, http3-post-connect-failure, cancelled, deadline-exceeded, internal, resource-exhausted, unavailable';

describe('AutoscaledService mesh refuses', () => {
  test.each<[string, Partial<AutoscaledServiceProps>, string]>([
    ['negative retries', { mesh: { retryAttempts: -1 } }, 'mesh.retryAttempts (-1) must be a whole number from 0 to 2147483647 (0 turns retries off); use e.g. 3'],
    ['fractional retries', { mesh: { retryAttempts: 1.5 } }, 'mesh.retryAttempts (1.5) must be a whole number from 0 to 2147483647 (0 turns retries off); use e.g. 3'],
    ['no connections', { mesh: { maxConnections: 0 } }, 'mesh.maxConnections (0) must be a whole number from 1 to 2147483647; use e.g. 1000'],
    ['no pending requests', { mesh: { maxPendingRequests: 0 } }, 'mesh.maxPendingRequests (0) must be a whole number from 1 to 2147483647; use e.g. 1000'],
    ['a fractional request limit', { mesh: { maxRequests: 10.5 } }, 'mesh.maxRequests (10.5) must be a whole number from 1 to 2147483647; use e.g. 1000'],
    ['ejecting after no error', { mesh: { consecutive5xxErrors: 0 } }, 'mesh.consecutive5xxErrors (0) must be a whole number from 1 to 2147483647; use e.g. 5'],
    ['a zero timeout', { mesh: { timeout: Duration.seconds(0) } },
      'mesh.timeout ("0ms") must be a whole number of milliseconds, at least 1 (Istio refuses shorter durations); use e.g. Duration.seconds(10)'],
    ['a sub-millisecond per-try timeout', { mesh: { perTryTimeout: Duration.millis(0.5) } },
      'mesh.perTryTimeout ("0.5ms") must be a whole number of milliseconds, at least 1 (Istio refuses shorter durations); use e.g. Duration.seconds(2)'],
    ['a zero outlier-detection interval', { mesh: { outlierDetectionInterval: Duration.millis(0) } },
      'mesh.outlierDetectionInterval ("0ms") must be a whole number of milliseconds, at least 1 (Istio refuses shorter durations); use e.g. Duration.seconds(10)'],
    ['a zero ejection time', { mesh: { baseEjectionTime: Duration.millis(0) } },
      'mesh.baseEjectionTime ("0ms") must be a whole number of milliseconds, at least 1 (Istio refuses shorter durations); use e.g. Duration.seconds(30)'],
    ['a per-try timeout longer than the timeout', { mesh: { perTryTimeout: Duration.seconds(15) } },
      'mesh.perTryTimeout ("15s") must not exceed mesh.timeout (10s), or no retry could ever start; shorten perTryTimeout or lengthen timeout'],
    ['sampling above 100 %', { mesh: { tracingSamplingPercentage: 150 } }, 'mesh.tracingSamplingPercentage (150) must be a percentage from 0 to 100; use e.g. 10 (one request in ten)'],
    ['negative sampling', { mesh: { tracingSamplingPercentage: -1 } }, 'mesh.tracingSamplingPercentage (-1) must be a percentage from 0 to 100; use e.g. 10 (one request in ten)'],
    ['a header name with capitals', { mesh: { consistentHashHeader: 'X-User-Id' } },
      'mesh.consistentHashHeader ("X-User-Id") must be an HTTP header name of lower-case letters, digits and "-" (HTTP/2 sends header names in lower case); use e.g. "x-user-id"'],
    ['a pseudo-header', { mesh: { consistentHashHeader: ':authority' } },
      'mesh.consistentHashHeader (":authority") must be an HTTP header name of lower-case letters, digits and "-" (HTTP/2 sends header names in lower case); use e.g. "x-user-id"'],
    ['an unknown retry condition', { mesh: { retryOn: '5xx,timeouts' } },
      `mesh.retryOn ("5xx,timeouts") contains "timeouts", which is neither an Envoy retry condition nor a 4xx or 5xx status code; list conditions separated by commas without spaces, e.g. "connect-failure,refused-stream,503" (known: ${KNOWN})`],
    ['retry conditions with spaces', { mesh: { retryOn: '5xx, reset' } },
      `mesh.retryOn ("5xx, reset") contains " reset", which is neither an Envoy retry condition nor a 4xx or 5xx status code; list conditions separated by commas without spaces, e.g. "connect-failure,refused-stream,503" (known: ${KNOWN})`],
    ['a peer selected by namespace labels', { mesh: {}, allowFrom: [{ namespace: 'web' }, { namespaceLabels: { team: 'web' } }] },
      'allowFrom[1].namespaceLabels ({"team":"web"}) cannot be checked by the mesh: an AuthorizationPolicy names namespaces, it cannot select them by label; name the namespace (namespace) instead'],
    ['a load balancer connecting to the pods directly', { mesh: {}, ingress: { host: 'api.example.com', sourceCidrs: ['10.0.0.0/16'] } },
      'ingress.sourceCidrs (["10.0.0.0/16"]) cannot reach a mesh service: a load balancer connecting to the pods directly sends plain text, which STRICT mTLS refuses; '
      + 'point the load balancer at an Istio ingress gateway (its namespace as ingress.controllerNamespace) and drop sourceCidrs'],
    ['a service account without the mesh', { allowFrom: [{ namespace: 'web', serviceAccount: 'frontend' }] },
      'allowFrom[0].serviceAccount ("frontend") is checked only by the mesh: a NetworkPolicy cannot select pods by service account; set mesh, or select the callers with podLabels'],
    ['a service account with an IP block', { mesh: {}, allowFrom: [{ cidr: '10.0.0.0/16', serviceAccount: 'frontend' }] },
      'allowFrom[0] ({"cidr":"10.0.0.0/16","serviceAccount":"frontend"}) mixes an IP block (cidr) with pod selection; use one peer for the IP block and another for the pods'],
    ['a service account in an egress rule', { allowEgressTo: [{ namespace: 'db', serviceAccount: 'postgres', ports: [5432] }] },
      'allowEgressTo[0].serviceAccount ("postgres") cannot restrict egress: a NetworkPolicy cannot select pods by service account; select the destination pods with podLabels'],
  ])('%s', (_name, props, message) => {
    expect(build(props)).toThrow(`${PREFIX}${message}`);
  });

  test('a mesh service without any namespace', () => {
    expect(() => new AutoscaledService(new Chart(testApp(), 'test'), 'api', { ...BASE, namespace: undefined, mesh: {} })).toThrow(
      `${PREFIX}mesh ({}) needs the service's namespace, which its AuthorizationPolicy principals and route host names contain; set namespace, or build the service in a chart with a namespace`);
  });

  test('a service account in allowEgressTo()', () => {
    const service = new AutoscaledService(testChart(), 'api', { ...BASE, mesh: {} });
    expect(() => service.allowEgressTo({ namespace: 'db', serviceAccount: 'postgres', ports: [5432] })).toThrow(
      `${PREFIX}allowEgressTo(rule).serviceAccount ("postgres") cannot restrict egress: a NetworkPolicy cannot select pods by service account; select the destination pods with podLabels`);
  });

  test.each<[string, unknown, string]>([
    ['a misspelt option', { retryAttempt: 3 }, 'mesh.retryAttempt (3) is not a known prop; did you mean "retryAttempts"?'],
    ['a number where a Duration is due', { timeout: 10 }, 'mesh.timeout (10) must be a Duration, not a number; build one with Duration.seconds(30)'],
    ['a trust domain with a slash', { trustDomain: 'cluster.local/ns' },
      'mesh.trustDomain ("cluster.local/ns") must be a DNS subdomain such as "api-tls" (lower-case labels joined by dots; no "/", ":" or spaces); fix the value'],
    ['a service account that is not a DNS subdomain', undefined, 'allowFrom[0].serviceAccount ("Front End") must be a DNS subdomain such as "api-tls" (lower-case labels joined by dots; no "/", ":" or spaces); fix the value'],
  ])('(guard) %s', (_name, mesh, message) => {
    const props = mesh === undefined ? { mesh: {}, allowFrom: [{ serviceAccount: 'Front End' }] } : { mesh };
    expect(build(props as Partial<AutoscaledServiceProps>)).toThrow(`${PREFIX}${message}`);
  });
});

describe('MESH_RULES alone', () => {
  const violation = (props: Partial<AutoscaledServiceProps>) => firstViolation(MESH_RULES, resolveAutoscaledService('api', { ...BASE, ...props }));

  test('pass without the mesh, whatever the mesh-only props', () => {
    expect(violation({ ingress: { host: 'api.example.com', sourceCidrs: ['10.0.0.0/16'] }, allowFrom: [{ namespaceLabels: { team: 'web' } }] })).toBeUndefined();
  });

  test('pass with the defaults and with every limit at its edge', () => {
    expect(violation({ mesh: {} })).toBeUndefined();
    expect(violation({ mesh: { retryAttempts: 0, tracingSamplingPercentage: 0, perTryTimeout: Duration.seconds(10), timeout: Duration.seconds(10), retryOn: '429,5xx' } })).toBeUndefined();
    expect(violation({ mesh: { tracingSamplingPercentage: 100, maxConnections: 1, consecutive5xxErrors: 1, timeout: Duration.millis(1), retryAttempts: 0 } })).toBeUndefined();
  });

  test('a per-try timeout above the timeout is fine when retries are off', () => {
    expect(violation({ mesh: { retryAttempts: 0, perTryTimeout: Duration.seconds(30) } })).toBeUndefined();
  });

  test('fail with the prop, value, rule and fix', () => {
    expect(violation({ mesh: { retryOn: '200' } })?.slice(0, 2)).toEqual(['mesh.retryOn', '200']);
  });
});
