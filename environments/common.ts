import { AddonName } from '../lib/k8s/addons/catalogue';
import { AddonsSpec, NetworkAgentSpec, NodeGroupSpec } from './schema';

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

/**
 * The AWS account of the bundled environments: the documentation's example account. Set your own (what
 * `aws sts get-caller-identity` prints) before the first `pulumi up`.
 */
export const EXAMPLE_ACCOUNT_ID = '111122223333';

/** The add-ons every cluster of the bundled environments runs (the platform's objects need each of them). */
export const PLATFORM_ADDONS: readonly AddonName[] = [
  AddonName.KUBE_PROMETHEUS_STACK,
  AddonName.METRICS_SERVER,
  AddonName.PROMETHEUS_ADAPTER,
  AddonName.VERTICAL_POD_AUTOSCALER,
  AddonName.CLUSTER_AUTOSCALER,
  AddonName.CERT_MANAGER,
  AddonName.AWS_LOAD_BALANCER_CONTROLLER,
  AddonName.EXTERNAL_DNS,
  AddonName.EXTERNAL_SECRETS,
  AddonName.VELERO,
];

/** The add-ons of the Istio mesh, with the ingress gateway the load balancer reaches it through. */
export const MESH_ADDONS: readonly AddonName[] = [AddonName.ISTIO_BASE, AddonName.ISTIO_CNI, AddonName.ISTIOD, AddonName.ISTIO_INGRESS_GATEWAY];

/**
 * Add-ons with the specification's Prometheus (30 days, two replicas) or a lighter one (7 days, one replica, no
 * Alertmanager); with `mesh`, Istio's too.
 */
export function platformAddons(prometheus: 'full' | 'light', options: { readonly mesh?: boolean } = {}): AddonsSpec {
  return {
    enabled: options.mesh ? [...PLATFORM_ADDONS, ...MESH_ADDONS] : PLATFORM_ADDONS,
    prometheus: prometheus === 'full'
      ? { retentionDays: 30, replicas: 2, storageGiB: 200, grafana: true, alertmanager: true }
      : { retentionDays: 7, replicas: 1, storageGiB: 20, grafana: true, alertmanager: false },
  };
}
