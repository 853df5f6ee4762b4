import { Testing } from 'cdk8s';
import { checkConformance } from '../../../lib/policy/conformance';
import { formatViolation, KubeObject } from '../../../lib/policy/objects';
import { DestinationRule, VirtualService } from '../../../lib/k8s/resources/istio';
import { describeWithSchemas, findObject, schemaRegistry, synth, testChart } from '../../util';

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
