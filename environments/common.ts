import { NetworkAgentSpec, NodeGroupSpec } from './schema';

/** Images every environment runs unless it says otherwise (pinned by tag; never `latest`). */
export const IMAGES = {
  api: 'ghcr.io/fleetcraft/api:1.8.3',
  etcd: 'quay.io/coreos/etcd:v3.5.21',
  networkAgent: 'ghcr.io/fleetcraft/transport-agent:0.14.1',
} as const;

/** The seed's kernel tuning for the network agent: BBR congestion control, forwarding, jumbo frames. */
export const SEED_NETWORK_AGENT: NetworkAgentSpec = {
  image: IMAGES.networkAgent,
  mtu: 9000,
  sysctls: {
    'net.core.default_qdisc': 'fq',
    'net.ipv4.tcp_congestion_control': 'bbr',
    'net.ipv4.ip_forward': '1',
  },
};

/** Node groups: system add-ons, general workloads, and a tainted group for consensus members. */
export function nodeGroups(scale: 'small' | 'large'): NodeGroupSpec[] {
  const large = scale === 'large';
  return [
    { name: 'system', instanceTypes: ['m7i.large'], minSize: 2, maxSize: large ? 4 : 3, desiredSize: 2 },
    { name: 'general', instanceTypes: large ? ['m7i.2xlarge', 'm6i.2xlarge'] : ['m7i.large'], minSize: large ? 3 : 1, maxSize: large ? 30 : 6, desiredSize: large ? 6 : 2 },
    {
      name: 'consensus', instanceTypes: large ? ['i4i.xlarge'] : ['m7i.large'], minSize: large ? 5 : 1, maxSize: large ? 9 : 3, desiredSize: large ? 7 : 3,
      taint: { key: 'fleetcraft.io/consensus', value: 'true', effect: 'NoSchedule' },
      labels: { 'fleetcraft.io/node-role': 'consensus' },
    },
  ];
}
