import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { dnsEgress } from '../../private/network-policy';

/** The TCP port of the object store: the endpoint URL's port, else 443 for https (AWS S3) and 80 for http. */
export function objectStorePort(endpointUrl?: string): number {
  if (!endpointUrl) return 443;
  const match = /^(https?):\/\/[^/:]+(?::(\d+))?/.exec(endpointUrl);
  if (!match) return 443;
  if (match[2]) return Number(match[2]);
  return match[1] === 'http' ? 80 : 443;
}

/** A TCP NetworkPolicy port. */
export function tcp(port: number): kplus.k8s.NetworkPolicyPort {
  return { protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(port) };
}

/** What the members' NetworkPolicy allows. */
export interface ConsensusNetworkPolicyProps {
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels: Record<string, string> };
  readonly memberSelector: Readonly<Record<string, string>>;
  readonly ports: { readonly client: number; readonly peer: number; readonly metrics: number };
  /** Read at synth, so clients allowed after construction (`ConsensusStatefulSet.allowClient`) are included. */
  readonly allowedClients: readonly kplus.k8s.NetworkPolicyPeer[];
  readonly allowMetricsFrom: readonly kplus.k8s.NetworkPolicyPeer[];
  /** Labels of this construct's own Job pods (snapshot, membership), which reach the client port. */
  readonly jobSelectors: readonly Readonly<Record<string, string>>[];
  /** Whether members call each other's client port (the engine's join step reads the member list). */
  readonly memberClientEgress?: boolean;
}

/**
 * The members' NetworkPolicy, written for a namespace whose default is deny-all (ingress and egress):
 * - ingress on the peer port from members only (Raft replication, snapshots sent to followers);
 * - ingress on the client port from members, the allowed clients (also those allowed later) and this construct's Jobs;
 * - ingress on the metrics port from `allowMetricsFrom` (kubelet probes bypass NetworkPolicy);
 * - egress to the peer port of members (each member dials every other), with `memberClientEgress` to their client
 *   port (the join step), and to the cluster DNS (members resolve each other's stable names).
 */
export function consensusNetworkPolicy(scope: Construct, id: string, props: ConsensusNetworkPolicyProps): kplus.k8s.KubeNetworkPolicy {
  const members: kplus.k8s.NetworkPolicyPeer = { podSelector: { matchLabels: { ...props.memberSelector } } };
  const jobs = props.jobSelectors.map((s): kplus.k8s.NetworkPolicyPeer => ({ podSelector: { matchLabels: { ...s } } }));
  const ingress: kplus.k8s.NetworkPolicyIngressRule[] = [
    { from: [members], ports: [tcp(props.ports.peer)] },
    { from: Lazy.any({ produce: () => [members, ...props.allowedClients, ...jobs] }), ports: [tcp(props.ports.client)] },
  ];
  if (props.allowMetricsFrom.length > 0) ingress.push({ from: [...props.allowMetricsFrom], ports: [tcp(props.ports.metrics)] });
  return new kplus.k8s.KubeNetworkPolicy(scope, id, {
    metadata: { ...props.metadata },
    spec: {
      podSelector: { matchLabels: { ...props.memberSelector } },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress: [
        { to: [members], ports: props.memberClientEgress ? [tcp(props.ports.peer), tcp(props.ports.client)] : [tcp(props.ports.peer)] },
        dnsEgress(),
      ],
    },
  });
}
