import { AutoscaledService, AutoscaledServiceProps, EgressRule } from '../../../lib/k8s/autoscaled-service';
import { KubeObject } from '../../../lib/policy/objects';
import { field, findObject, synth, testChart } from '../../util';

const BASE: AutoscaledServiceProps = { image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 3, maxReplicas: 10, namespace: 'api' };
const ETCD: EgressRule = { namespace: 'consensus', podLabels: { 'app.kubernetes.io/name': 'etcd' }, ports: [2379] };
const ETCD_JSON = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'consensus' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'etcd' } } }],
  ports: [{ protocol: 'TCP', port: 2379 }],
};

const build = (props: Partial<AutoscaledServiceProps> = {}) => {
  const chart = testChart();
  const service = new AutoscaledService(chart, 'api', { ...BASE, ...props });
  return { chart, service };
};
const spec = (objects: KubeObject[]) => field(findObject(objects, 'NetworkPolicy', 'api', 'api'), 'spec') as Record<string, unknown>;

describe('AutoscaledService.allowEgressTo', () => {
  test('after construction: one more egress rule, and the policy now restricts egress', () => {
    const { chart, service } = build();
    expect(spec(synth(chart))).not.toHaveProperty('egress');
    service.allowEgressTo(ETCD);
    const s = spec(synth(chart));
    expect(s.egress).toEqual([ETCD_JSON]);
    expect(s.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('follows the rules of the allowEgressTo prop, in order; the pod selector stays the one of every track', () => {
    const { chart, service } = build({ allowEgressTo: [{ cidr: '10.1.0.0/16', ports: [443] }] });
    service.allowEgressTo(ETCD);
    const s = spec(synth(chart));
    expect(s.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] }, ETCD_JSON]);
    expect(s.podSelector).toEqual({ matchLabels: service.podSelector });
  });

  test('the same rule twice (or one the props already have) is one rule', () => {
    const { chart, service } = build({ allowEgressTo: [ETCD] });
    service.allowEgressTo(ETCD);
    service.allowEgressTo({ ports: [2379], podLabels: { 'app.kubernetes.io/name': 'etcd' }, namespace: 'consensus' });
    expect(spec(synth(chart)).egress).toEqual([ETCD_JSON]);
  });

  test.each<[string, unknown, string]>([
    ['no ports', { namespace: 'db', ports: [] }, 'allowEgressTo(rule).ports ([]) must list at least one port (an empty list would allow every port); list the ports, e.g. [2379]'],
    ['a port out of range', { namespace: 'db', ports: [70000] }, 'allowEgressTo(rule).ports[0] (70000) must be a whole number between 1 and 65535'],
    ['an IP block with pods', { cidr: '10.0.0.0/8', podLabels: { a: 'b' }, ports: [1] }, 'allowEgressTo(rule) ({"cidr":"10.0.0.0/8","podLabels":{"a":"b"},"ports":[1]}) mixes an IP block (cidr) with pod selection'],
    ['not a rule (plain JavaScript)', 'etcd', 'allowEgressTo(rule) ("etcd") must be an egress rule with a list of ports'],
  ])('refuses %s, and the policy stays as it was', (_, rule, message) => {
    const { chart, service } = build();
    expect(() => service.allowEgressTo(rule as EgressRule)).toThrow(`AutoscaledService 'api': ${message}`);
    expect(spec(synth(chart))).not.toHaveProperty('egress');
  });
});
