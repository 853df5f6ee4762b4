import * as kplus from 'cdk8s-plus-27';

/** Egress to the cluster DNS (kube-dns in kube-system) on UDP and TCP 53. */
export function dnsEgress(): kplus.k8s.NetworkPolicyEgressRule {
  return {
    to: [{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }],
    ports: [
      { protocol: 'UDP', port: kplus.k8s.IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(53) },
    ],
  };
}
