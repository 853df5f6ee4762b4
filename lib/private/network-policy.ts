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

/**
 * A NetworkPolicy rule or peer as JSON with sorted keys and without undefined fields, so equal rules compare equal
 * whatever their key order (constructs use it to add a rule only once).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record).sort().filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Where the Kubernetes API server is reached from pods by default: anywhere (EKS endpoints have no fixed addresses). */
export const DEFAULT_API_SERVER_CIDRS: readonly string[] = ['0.0.0.0/0', '::/0'];

/**
 * Egress to the Kubernetes API server: TCP 443 (EKS and most managed control planes; the `kubernetes` Service's port
 * is translated to its endpoints before policies apply) to `cidrs` — the VPC's range when the endpoint is private.
 */
export function apiServerEgress(cidrs: readonly string[] = DEFAULT_API_SERVER_CIDRS): kplus.k8s.NetworkPolicyEgressRule {
  return {
    to: cidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ports: [{ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(443) }],
  };
}
