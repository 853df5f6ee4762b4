import * as kplus from 'cdk8s-plus-27';
import { apiServerEgress, DEFAULT_API_SERVER_CIDRS, dnsEgress } from '../../lib/private/network-policy';
import { field, findObject, synth, testChart } from '../util';

describe('dnsEgress', () => {
  test('allows kube-dns pods in kube-system', () => {
    expect(dnsEgress().to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }]);
  });

  test('one peer holds both selectors (AND), not two peers (OR)', () => {
    expect(dnsEgress().to).toHaveLength(1);
  });

  test('synthesizes to UDP and TCP port 53 in a conformant NetworkPolicy', () => {
    const chart = testChart();
    new kplus.k8s.KubeNetworkPolicy(chart, 'Resource', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [dnsEgress()] },
    });
    const policy = findObject(synth(chart), 'NetworkPolicy', 'api', 'shop');
    expect(field(policy, 'spec.egress')).toEqual([{
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
  });

  test('returns a fresh rule each call', () => {
    const first = dnsEgress();
    expect(dnsEgress()).not.toBe(first);
    expect(dnsEgress().to?.[0]).not.toBe(first.to?.[0]);
  });
});

describe('apiServerEgress', () => {
  test('TCP 443 to anywhere by default (IPv4 and IPv6), or to the given ranges', () => {
    expect(apiServerEgress()).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(443) }] });
    expect(apiServerEgress(['10.10.0.0/16']).to).toEqual([{ ipBlock: { cidr: '10.10.0.0/16' } }]);
    expect(DEFAULT_API_SERVER_CIDRS).toEqual(['0.0.0.0/0', '::/0']);
  });
});
