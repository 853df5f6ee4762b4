import { AddonName } from '../lib/k8s/addons/catalogue';
import { AddonsSpec, CapacityType, ContainerSizeSpec, NamespaceQuotaSpec, NamespaceQuotasSpec, NetworkAgentSpec, NodeGroupSpec } from './schema';

/** Images every environment runs unless it says otherwise (pinned by tag; never `latest`). */
export const IMAGES = {
  api: 'ghcr.io/fleetcraft/api:1.8.3',
  etcd: 'quay.io/coreos/etcd:v3.5.21',
  networkAgent: 'ghcr.io/fleetcraft/transport-agent:0.14.1',
} as const;

/**
 * The specification's production sizes: a consensus member requests 2 CPU and 4 GiB and may grow to 4 CPU and 8 GiB;
 * the network agent requests 1 CPU and 2 GiB and may grow to 4 CPU and 8 GiB; an API pod requests 500m and 1 GiB
 * (limited to 2 GiB of memory; no CPU limit, so it may use idle CPU).
 */
export const PRODUCTION_SIZES = {
  consensus: { cpuRequestMillis: 2000, memoryRequestMiB: 4096, cpuLimitMillis: 4000, memoryLimitMiB: 8192 },
  networkAgent: { cpuRequestMillis: 1000, memoryRequestMiB: 2048, cpuLimitMillis: 4000, memoryLimitMiB: 8192 },
  api: { cpuRequestMillis: 500, memoryRequestMiB: 1024, memoryLimitMiB: 2048 },
} as const satisfies Record<string, ContainerSizeSpec>;

/**
 * The specification's namespace quota for production: 100 CPU, 200 GiB memory (requested), 500 pods and 100
 * PersistentVolumeClaims; memory limits may add up to twice the requests (the limits above are twice the requests),
 * and claims to 2 TiB.
 */
export const PRODUCTION_QUOTA: NamespaceQuotaSpec = { cpu: 100, memoryGiB: 200, limitsMemoryGiB: 400, pods: 500, persistentVolumeClaims: 100, storageGiB: 2048 };

/** The same quota for each namespace the platform owns. */
export function sameQuota(quota: NamespaceQuotaSpec): NamespaceQuotasSpec {
  return { consensus: quota, api: quota, network: quota };
}

/** The seed's kernel tuning for the network agent: BBR congestion control, forwarding, jumbo frames. */
export function networkAgent(resources: ContainerSizeSpec): NetworkAgentSpec {
  return {
    image: IMAGES.networkAgent,
    mtu: 9000,
    sysctls: {
      'net.core.default_qdisc': 'fq',
      'net.ipv4.tcp_congestion_control': 'bbr',
      'net.ipv4.ip_forward': '1',
    },
    resources,
  };
}

/** Options of {@link nodeGroups}. */
export interface NodeGroupOptions {
  /**
   * Capacity of the stateless `general` group (the API's nodes). Spot lists two instance types of the same size, so
   * the group still scales when one type has no spot capacity left.
   * @default 'ON_DEMAND'
   */
  readonly generalCapacity?: CapacityType;
}

/**
 * Node groups: system add-ons, general workloads (the API), and a tainted group for consensus members, one member per
 * node. `large` is a production region: 10 nodes at least (2 + 3 + 5) and 43 at most (4 + 30 + 9), inside the
 * specification's 10 to 100 nodes per region; its `general` group holds the API's largest per-region autoscaler
 * maximum, and its `consensus` group the primary region's 7 members.
 */
export function nodeGroups(scale: 'small' | 'large', options: NodeGroupOptions = {}): NodeGroupSpec[] {
  const large = scale === 'large';
  const spot = options.generalCapacity === 'SPOT';
  const generalTypes = large ? ['m7i.2xlarge', 'm6i.2xlarge'] : spot ? ['m7i.large', 'm6i.large'] : ['m7i.large'];
  return [
    { name: 'system', instanceTypes: ['m7i.large'], minSize: 2, maxSize: large ? 4 : 3, desiredSize: 2 },
    {
      name: 'general', instanceTypes: generalTypes, minSize: large ? 3 : 1, maxSize: large ? 30 : 6, desiredSize: large ? 6 : 2,
      ...(options.generalCapacity ? { capacityType: options.generalCapacity } : {}),
    },
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
