import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AUTOSCALED_SERVICE_PROP_SHAPES, AutoscaledService, AutoscaledServiceProps, DisruptionBudget, KedaTrigger, RolloutStrategy,
  ScalingMetric,
} from '../../../lib/k8s/autoscaled-service';
import { field, findObject, synth, testChart } from '../../util';

const BASE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, maxReplicas: 10 };
const INT32_RANGE = 'pass a number from -2147483648 to 2147483647';
const REDIS = KedaTrigger.redisList({ address: 'redis:6379', listName: 'jobs', listLength: 100 });

/** Builds with props as a plain-JavaScript caller could pass them (anything at all). */
const build = (props: unknown) => () => new AutoscaledService(testChart(), 'x', props as AutoscaledServiceProps);
const withBase = (props: Record<string, unknown>) => build({ ...BASE, ...props });

describe('AutoscaledService props guard', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['a number where a Duration is due', { startupTimeout: 30 },
      'startupTimeout (30) must be a Duration, not a number; build one with Duration.seconds(30)'],
    ['a string where a Size is due', { tmpSize: '64Mi' }, 'tmpSize ("64Mi") must be a Size, not a string; build one with Size.gibibytes(10)'],
    ['a string where a RolloutStrategy is due', { strategy: 'canary' },
      'strategy ("canary") must be a RolloutStrategy, not a string; build one with RolloutStrategy.rollingUpdate()'],
    ['a number where a ScalingMetric is due', { metrics: [70] }, 'metrics[0] (70) must be a ScalingMetric, not a number; build one with ScalingMetric.cpu(70)'],
    ['a plain object where a DisruptionBudget is due', { disruptionBudget: { maxUnavailable: 1 } },
      'disruptionBudget ({"maxUnavailable":1}) must be a DisruptionBudget, not an object; build one with DisruptionBudget.maxUnavailablePercent(20)'],
    ['a number where a Cpu is due', { resources: { cpu: { request: 250 }, memory: {} } },
      'resources.cpu.request (250) must be a Cpu, not a number; build one with Cpu.millis(500)'],
    ['a string where a map is due', { env: 'A=1' }, 'env ("A=1") must be an object of names to values, not a string; pass { name: value }'],
    ['a string where a list is due', { envFromSecrets: 'db' }, 'envFromSecrets ("db") must be a list, not a string; pass an array'],
    ['1e308 replicas', { maxReplicas: 1e308 }, `maxReplicas (1e+308) must be from -2147483648 to 2147483647; pass a value in that range`],
    ['NaN replicas', { minReplicas: NaN }, `minReplicas (NaN) must be a finite number; ${INT32_RANGE}`],
    ['a BigInt port', { port: 8080n }, `port (8080n) must be a number, not a bigint; ${INT32_RANGE}`],
    ['a misspelt key', { minReplica: 3 }, 'minReplica (3) is not a known prop; did you mean "minReplicas"?'],
    ['a boolean as text', { hpa: 'yes' }, 'hpa ("yes") must be true or false, not a string; pass a boolean'],
    ['an unknown spread policy', { zoneSpread: 'Anyway' }, 'zoneSpread ("Anyway") must be one of "ScheduleAnyway", "DoNotSchedule"; use one of the enum\'s members'],
    ['a part-of label with a slash', { partOf: 'shop/web' },
      'partOf ("shop/web") must be a label value (alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric); fix the value'],
    ['a probe path without a leading slash', { readinessPath: 'ready' },
      'readinessPath ("ready") must be an absolute HTTP path starting with "/" without spaces, such as "/ready"; fix the value'],
    ['an image with a space', { image: 'registry.example.com/api :1.4.2' },
      'image ("registry.example.com/api :1.4.2") must be an image reference such as "registry.example.com/api:1.4.2" (letters, digits and ". - _ / : @ +" only); fix the value'],
    ['a Secret name that is not a DNS subdomain', { envFromSecrets: ['DB_PASSWORD'] },
      'envFromSecrets[0] ("DB_PASSWORD") must be a DNS subdomain such as "api-tls" (lower-case labels joined by dots; no "/", ":" or spaces); fix the value'],
  ])('refuses %s', (_name, props, message) => {
    expect(withBase(props)).toThrow(`AutoscaledService 'x': ${message}`);
  });

  test('refuses a missing required prop', () => {
    expect(build({ port: 8080, maxReplicas: 10 })).toThrow('AutoscaledService \'x\': image (undefined) is required; pass it (see its documentation)');
    expect(build({ image: BASE.image, port: 8080 })).toThrow('AutoscaledService \'x\': maxReplicas (undefined) is required; pass it (see its documentation)');
  });

  test('refuses props that are not an object', () => {
    expect(build(null)).toThrow('AutoscaledService \'x\': props (null) must be an object, not null; pass { ... } with the documented props');
    expect(build([BASE])).toThrow('AutoscaledService \'x\': props ([{"image":"registry.example.com/api:1.4.2","port":8080,"maxReplicas":10}]) must be an object, not an array');
  });

  test('a non-integer the rule table judges gets its domain message, not the guard\'s', () => {
    expect(withBase({ maxReplicas: 2.5, minReplicas: 1 })).toThrow('AutoscaledService \'x\': maxReplicas (2.5) must be a whole number; use e.g. 10');
    expect(withBase({ port: 70000 })).toThrow('AutoscaledService \'x\': port (70000) must be a whole number between 1 and 65535');
  });

  test('an undefined optional prop is the same as leaving it out', () => {
    expect(withBase({ minReplicas: undefined, strategy: undefined })).not.toThrow();
  });

  test('the table covers every prop, each one once', () => {
    expect(Object.keys(AUTOSCALED_SERVICE_PROP_SHAPES)).toHaveLength(39);
    expect(AUTOSCALED_SERVICE_PROP_SHAPES.image.required).toBe(true);
    expect(AUTOSCALED_SERVICE_PROP_SHAPES.port.required).toBe(true);
    expect(AUTOSCALED_SERVICE_PROP_SHAPES.maxReplicas.required).toBe(true);
  });

  test('props that pass the guard synthesize as before', () => {
    const chart = testChart();
    new AutoscaledService(chart, 'api', { ...BASE, env: { A: '1' }, allowFrom: [{ cidr: '10.0.0.0/16' }, { cidr: 'fd00::/8' }] });
    const deployment = findObject(synth(chart), 'Deployment', 'api');
    expect(field(deployment, 'spec.template.spec.containers.0.env')).toEqual([{ name: 'A', value: '1' }]);
  });
});

describe('options nested in AutoscaledService props', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['keda: a misspelt key', { keda: { triggers: [REDIS], pollingIntervall: Duration.seconds(30) } },
      'keda.pollingIntervall (a Duration) is not a known prop; did you mean "pollingInterval"?'],
    ['keda: no triggers', { keda: {} }, 'keda.triggers (undefined) is required; pass it (see its documentation)'],
    ['keda: a trigger that is not a KedaTrigger', { keda: { triggers: ['redis'] } },
      'keda.triggers[0] ("redis") must be a KedaTrigger, not a string; build one with KedaTrigger.prometheus({ ... })'],
    ['scaleUp: a number where a Duration is due', { scaleUp: { period: 60 } }, 'scaleUp.period (60) must be a Duration, not a number; build one with Duration.seconds(30)'],
    ['scaleDown: Infinity pods', { scaleDown: { maxPods: Infinity } }, `scaleDown.maxPods (Infinity) must be a finite number; ${INT32_RANGE}`],
    ['allowFrom: a CIDR without a prefix length', { allowFrom: [{ cidr: '10.0.0.0' }] },
      'allowFrom[0].cidr ("10.0.0.0") must be an IP block in CIDR form such as "10.0.0.0/16"; fix the value'],
    ['allowFrom: a peer that is not an object', { allowFrom: ['web'] },
      'allowFrom[0] ("web") must be an object, not a string; pass { ... } with the documented fields'],
    ['allowFrom: a namespace that is not a DNS label', { allowFrom: [{ namespace: 'Web' }] },
      'allowFrom[0].namespace ("Web") must be a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit); fix the value'],
    ['allowFrom: pod labels as a string', { allowFrom: [{ podLabels: 'app=web' }] },
      'allowFrom[0].podLabels ("app=web") must be an object of names to values, not a string; pass { name: value }'],
    ['allowEgressTo: no ports', { allowEgressTo: [{ namespace: 'db' }] }, 'allowEgressTo[0].ports (undefined) is required; pass it (see its documentation)'],
    ['allowEgressTo: a port as text', { allowEgressTo: [{ namespace: 'db', ports: ['5432'] }] },
      `allowEgressTo[0].ports[0] ("5432") must be a number, not a string; ${INT32_RANGE}`],
    ['ingress: no host', { ingress: { path: '/' } }, 'ingress.host (undefined) is required; pass it (see its documentation)'],
    ['ingress: a relative path', { ingress: { host: 'api.example.com', path: 'v1' } },
      'ingress.path ("v1") must be an absolute HTTP path starting with "/" without spaces, such as "/ready"; fix the value'],
    ['ingress: a misspelt key', { ingress: { host: 'api.example.com', classname: 'nginx' } },
      'ingress.classname ("nginx") is not a known prop; did you mean "className"?'],
    ['serviceMonitor: a string where a Duration is due', { serviceMonitor: { interval: '30s' } },
      'serviceMonitor.interval ("30s") must be a Duration, not a string; build one with Duration.seconds(30)'],
    ['serviceMonitor: a namespace with a slash', { serviceMonitor: { prometheusNamespace: 'monitoring/prometheus' } },
      'serviceMonitor.prometheusNamespace ("monitoring/prometheus") must be a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit); fix the value'],
  ])('refuses %s', (_name, props, message) => {
    expect(withBase(props)).toThrow(`AutoscaledService 'x': ${message}`);
  });
});

describe('RolloutStrategy factories guard their options', () => {
  const call = (f: () => unknown) => f;

  test('a wrong type for a value object', () => {
    expect(call(() => RolloutStrategy.rollingUpdate({ maxSurge: 1 as unknown as kplus.PercentOrAbsolute }))).toThrow(
      'RolloutStrategy \'rollingUpdate\': maxSurge (1) must be a PercentOrAbsolute, not a number; build one with PercentOrAbsolute.absolute(1)');
  });

  test('a misspelt key', () => {
    expect(call(() => RolloutStrategy.canary({ canaryWeigth: 10 } as never))).toThrow(
      'RolloutStrategy \'canary\': canaryWeigth (10) is not a known prop; did you mean "canaryWeight"?');
  });

  test('a weight that is not a finite number', () => {
    expect(call(() => RolloutStrategy.canary({ stableWeight: NaN }))).toThrow(`RolloutStrategy 'canary': stableWeight (NaN) must be a finite number; ${INT32_RANGE}`);
    expect(call(() => RolloutStrategy.canary({ canaryWeight: '10' as unknown as number }))).toThrow(
      `RolloutStrategy 'canary': canaryWeight ("10") must be a number, not a string; ${INT32_RANGE}`);
  });

  test('a required option missing', () => {
    expect(call(() => RolloutStrategy.blueGreen({} as never))).toThrow(
      'RolloutStrategy \'blueGreen\': active (undefined) is required; pass it (see its documentation)');
  });

  test('options that are not an object', () => {
    expect(call(() => RolloutStrategy.canary(null as never))).toThrow(
      'RolloutStrategy \'canary\': props (null) must be an object, not null; pass { ... } with the documented props');
  });

  test('an image that is not text', () => {
    expect(call(() => RolloutStrategy.blueGreen({ active: 'blue' as never, greenImage: 42 as never }))).toThrow(
      'RolloutStrategy \'blueGreen\': greenImage (42) must be a string, not a number; pass text');
  });
});

describe('KedaTrigger factories guard their options', () => {
  test('a server address that is not a URL', () => {
    expect(() => KedaTrigger.prometheus({ serverAddress: 'prometheus:9090', query: 'up', threshold: 1 })).toThrow(
      'KedaTrigger \'prometheus\': serverAddress ("prometheus:9090") must be an http(s) URL such as "http://prometheus.monitoring.svc:9090"; fix the value');
  });

  test('a threshold as text, or too large to print without an exponent', () => {
    expect(() => KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: 'up', threshold: '100' as never })).toThrow(
      'KedaTrigger \'prometheus\': threshold ("100") must be a number, not a string; pass a number from 0 to 9007199254740991');
    expect(() => KedaTrigger.prometheus({ serverAddress: 'http://p:9090', query: 'up', threshold: 1e308 })).toThrow(
      'KedaTrigger \'prometheus\': threshold (1e+308) must be from 0 to 9007199254740991; pass a value in that range');
  });

  test('a required option missing, and a misspelt key', () => {
    expect(() => KedaTrigger.redisList({ address: 'redis:6379', listLength: 5 } as never)).toThrow(
      'KedaTrigger \'redisList\': listName (undefined) is required; pass it (see its documentation)');
    expect(() => KedaTrigger.redisList({ address: 'redis:6379', listName: 'jobs', listLength: 5, enableTLS: true } as never)).toThrow(
      'KedaTrigger \'redisList\': enableTLS (true) is not a known prop; did you mean "enableTls"?');
  });

  test('a list length that is not a whole number of at least 1', () => {
    expect(() => KedaTrigger.redisList({ address: 'redis:6379', listName: 'jobs', listLength: 2.5 })).toThrow(
      'KedaTrigger \'redisList\': listLength (2.5) must be a whole number; pass a whole number from 1 to 2147483647');
  });

  test('custom metadata as a string', () => {
    expect(() => KedaTrigger.custom('cron', 'start=0 8 * * *' as never)).toThrow(
      'KedaTrigger \'custom\': metadata ("start=0 8 * * *") must be an object of names to values, not a string; pass { name: value }');
  });

  test('options that are not an object', () => {
    expect(() => KedaTrigger.prometheus(undefined as never)).toThrow('KedaTrigger \'prometheus\': props (undefined) must be an object');
  });
});

describe('ScalingMetric and DisruptionBudget factories guard their arguments', () => {
  test('a utilisation as text', () => {
    expect(() => ScalingMetric.cpu('70' as never)).toThrow(`ScalingMetric 'cpu': utilization ("70") must be a number, not a string; ${INT32_RANGE}`);
  });

  test('a target that is NaN, and a name that is not a metric name', () => {
    expect(() => ScalingMetric.podMetric('rps', NaN)).toThrow(
      'ScalingMetric \'podMetric\': target (NaN) must be a finite number; pass a number from -9007199254740991 to 9007199254740991');
    expect(() => ScalingMetric.externalMetric('queue depth', 10)).toThrow(
      'ScalingMetric \'externalMetric\': name ("queue depth") must be a metric name such as "http_requests_per_second"; fix the value');
  });

  test('a selector as a string', () => {
    expect(() => ScalingMetric.externalMetric('queue_messages_ready', 10, 'queue=jobs' as never)).toThrow(
      'ScalingMetric \'externalMetric\': selector ("queue=jobs") must be an object of names to values, not a string; pass { name: value }');
  });

  test('a budget size as text', () => {
    expect(() => DisruptionBudget.maxUnavailablePercent('20' as never)).toThrow(
      `DisruptionBudget 'maxUnavailablePercent': percent ("20") must be a number, not a string; ${INT32_RANGE}`);
    expect(() => DisruptionBudget.minAvailable(Infinity)).toThrow(`DisruptionBudget 'minAvailable': pods (Infinity) must be a finite number; ${INT32_RANGE}`);
  });
});
