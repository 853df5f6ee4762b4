/**
 * The typed shape of an environment: plain data, no behaviour beyond validation. Stacks read it; constructs never do.
 */
import type { CapacityType } from '../lib/cloud/cluster';
import type { AddonName } from '../lib/k8s/addons/catalogue';

/** One region of an environment, with the cluster that runs there. */
export interface RegionSpec {
  /** The cloud region, e.g. `us-east-1`. */
  readonly name: string;
  /** The EKS cluster's name in that region (a DNS-1123 label; used as the GitOps folder name). */
  readonly clusterName: string;
  /** Share of replicated workloads this region takes, relative to the others (a positive integer). */
  readonly weight: number;
  /** The primary region holds the larger consensus set and receives the cross-region backup copy's source. */
  readonly primary?: boolean;
  /**
   * The cluster's VPC CIDR (/16 to /20). Every cluster of an environment needs its own range, not overlapping any
   * other's, so that VPC peering, a transit gateway or one VPN can reach them all; the Pulumi program refuses a
   * region without one.
   */
  readonly vpcCidr?: string;
}

/**
 * A container's resources in plain numbers: what it requests (what the scheduler reserves and a ResourceQuota
 * charges) and what it may grow to (its limits).
 */
export interface ContainerSizeSpec {
  /** CPU request in millicores (`500` is half a core). */
  readonly cpuRequestMillis: number;
  /** Memory request in MiB. */
  readonly memoryRequestMiB: number;
  /**
   * CPU limit in millicores, at least the request.
   * @default - no CPU limit (the container may use idle CPU on its node)
   */
  readonly cpuLimitMillis?: number;
  /** Memory limit in MiB, at least the request (memory is always limited). */
  readonly memoryLimitMiB: number;
}

/**
 * A namespace's ResourceQuota. `cpu` and `memory` are what Kubernetes calls `requests.cpu` and `requests.memory`
 * (its `cpu` and `memory` quota names mean the same); a policy rule checks that the workloads fit at their maximums.
 */
export interface NamespaceQuotaSpec {
  /** Sum of CPU requests, in cores. */
  readonly cpu: number;
  /** Sum of memory requests, in GiB. */
  readonly memoryGiB: number;
  /** Sum of memory limits, in GiB (at least `memoryGiB`). */
  readonly limitsMemoryGiB: number;
  /** Number of pods. */
  readonly pods: number;
  /** Number of PersistentVolumeClaims. */
  readonly persistentVolumeClaims: number;
  /** Sum of storage requested by claims, in GiB. */
  readonly storageGiB: number;
}

/** The ResourceQuota of each namespace the platform owns. */
export interface NamespaceQuotasSpec {
  /** The consensus members' namespace. */
  readonly consensus: NamespaceQuotaSpec;
  /** The API's namespace. */
  readonly api: NamespaceQuotaSpec;
  /** The network agent's namespace: one agent pod per node, so it must admit an agent on every node at once. */
  readonly network: NamespaceQuotaSpec;
}

export type { CapacityType } from '../lib/cloud/cluster';

/** A managed node group of each cluster. */
export interface NodeGroupSpec {
  /** Group name (a DNS-1123 label). */
  readonly name: string;
  /** EC2 instance types, in order of preference. */
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  /** Taint so that only tolerating workloads land here (e.g. the consensus group). */
  readonly taint?: { readonly key: string; readonly value: string; readonly effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule' };
  /** Node labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * On-demand or spot instances. Spot suits stateless groups only (an interruption gives two minutes' notice) and
   * needs at least two instance types, so that one type's capacity running out does not stop the group scaling.
   * @default 'ON_DEMAND'
   */
  readonly capacityType?: CapacityType;
}

/** Lower and upper bound of a replica count. */
export interface ReplicaBounds {
  readonly min: number;
  readonly max: number;
}

/** The API service the environment runs. */
export interface ApiSpec {
  readonly image: string;
  /** Replicas across all regions, split by region weight. */
  readonly totalReplicas: number;
  /** Autoscaler bounds across all regions, split by weight like the replicas. */
  readonly replicas: ReplicaBounds;
  /**
   * How often Prometheus scrapes the API, in seconds (its ServiceMonitor endpoint's `interval`), with the
   * `serviceMonitor` feature. Production scrapes every 10 s so the API-down alert (`for: 1m`) sees several failed
   * scrapes before it fires.
   * @default 30
   */
  readonly scrapeIntervalSeconds?: number;
  /** Each API pod's resources (the specification's production figures: requests 500m CPU, 1 GiB memory). */
  readonly resources: ContainerSizeSpec;
}

/** The consensus (etcd/Raft) cluster run in every region. */
export interface ConsensusSpec {
  readonly image: string;
  /** Members per region. */
  readonly replicas: number;
  /** Members in the primary region (defaults to `replicas`). */
  readonly primaryReplicas?: number;
  /** Storage per member, in GiB. */
  readonly storageGiB: number;
  /**
   * Each member's resources (the specification's production figures: requests 2 CPU, 4 GiB memory; limits 4 CPU,
   * 8 GiB memory).
   */
  readonly resources: ContainerSizeSpec;
}

/** The per-node network agent. */
export interface NetworkAgentSpec {
  readonly image: string;
  /** Interface MTU the agent sets (576–9216). */
  readonly mtu: number;
  /** Kernel parameters set on each node. */
  readonly sysctls: Readonly<Record<string, string>>;
  /**
   * The agent's resources on every node (the specification's production figures: requests 1 CPU, 2 GiB memory;
   * limits 4 CPU, 8 GiB memory).
   */
  readonly resources: ContainerSizeSpec;
}

/** Which backups run. */
export interface BackupSpec {
  /** Hourly backup of the workload namespaces, kept 7 days. */
  readonly hourly: boolean;
  /** Daily full backup at 02:00, kept 30 days. */
  readonly daily: boolean;
  /** Daily copy to another region at 03:00, kept 90 days. */
  readonly crossRegion: boolean;
  /**
   * Hourly snapshots of each cluster's consensus cluster (`etcdctl snapshot save`) to the cluster's consensus snapshot
   * bucket, kept 14 days; the Pulumi program creates the bucket and the CronJob's IRSA role.
   * @default false
   */
  readonly consensusSnapshots?: boolean;
  /**
   * A monthly restore drill per cluster (the daily backup of the API namespace restored into a scratch namespace, until
   * its pods are Ready) and a daily check that the newest backup of every schedule completed, without errors, in time.
   * @default false
   */
  readonly restoreDrills?: boolean;
}

/** Optional features, each off unless listed. */
export interface FeatureFlags {
  readonly vpa: boolean;
  readonly serviceMonitor: boolean;
  readonly ingress: boolean;
  /**
   * The API in the Istio mesh: STRICT mTLS, authorization from its allowed callers, circuit breaking, retries and
   * trace sampling. Needs the add-ons istio-base, istio-cni and istiod, and with `ingress` the istio-ingressgateway: the
   * load balancer then reaches the gateway (a load balancer speaks plain text, which STRICT mTLS refuses at the pods).
   * @default false
   */
  readonly mesh?: boolean;
}

/** Prometheus as the environment runs it (kube-prometheus-stack). */
export interface PrometheusSpec {
  /** Days of samples kept (the specification's 30 in production). */
  readonly retentionDays: number;
  /** Prometheus replicas per cluster. */
  readonly replicas: number;
  /** Volume per replica, in GiB. */
  readonly storageGiB: number;
  /** Run Grafana. */
  readonly grafana: boolean;
  /** Run Alertmanager. */
  readonly alertmanager: boolean;
}

/** The cluster add-ons of the environment (see `ADDON_CHARTS` for versions, the README for what each is for). */
export interface AddonsSpec {
  /**
   * The add-ons every cluster runs. The on-demand ones (cert-manager, KEDA, Istio) belong here only once a workload
   * uses them; synth refuses one that nothing uses, and names the add-on a kind needs when it is missing.
   */
  readonly enabled: readonly AddonName[];
  /** Prometheus's size and retention (dev may run a lighter one). */
  readonly prometheus: PrometheusSpec;
}

/**
 * An Argo CD sync window of the environment's AppProjects: `deny` freezes syncs (a maintenance or release freeze),
 * `allow` opens a slot. Argo CD matches an Application when any of `applications`, `namespaces` or `clusters`
 * matches it (globs allowed), and a deny window wins over an allow window.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync_windows/
 */
export interface SyncWindowSpec {
  /** `deny` blocks syncs while the window is open; `allow` permits them only then. */
  readonly kind: 'allow' | 'deny';
  /** When the window opens: a five-field cron expression (minute hour day-of-month month day-of-week), e.g. `0 0 20 12 *`. */
  readonly schedule: string;
  /** How long it stays open, as Argo CD reads it (Go durations of hours, minutes, seconds), e.g. `2h` or `1h30m`. */
  readonly duration: string;
  /**
   * Applications it applies to (names or globs, e.g. `*` or `production-*-api`).
   * @default - none: `namespaces` or `clusters` must match instead
   */
  readonly applications?: readonly string[];
  /**
   * Destination namespaces it applies to.
   * @default - none
   */
  readonly namespaces?: readonly string[];
  /**
   * Destination clusters it applies to: cluster names of this environment, or `*`.
   * @default - none
   */
  readonly clusters?: readonly string[];
  /**
   * Whether a person may still sync by hand while the window blocks (`argocd app sync`); automated syncs stay blocked.
   * @default false
   */
  readonly manualSync?: boolean;
  /**
   * The IANA time zone of `schedule`.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * Why the window exists, shown in Argo CD next to it (e.g. a change ticket).
   * @default - no description
   */
  readonly description?: string;
}

/** One environment (dev, staging, production). */
export interface EnvironmentSpec {
  /** The environment's name (a DNS-1123 label; the Pulumi stack and GitOps folder have this name). */
  readonly name: string;
  /** Production refuses single-member consensus sets and syncs manually in Argo CD. */
  readonly production: boolean;
  /** The clusters' Kubernetes minor, e.g. `1.36` (pins the Pod Security labels). */
  readonly kubernetesVersion: string;
  /** The public DNS domain of the environment. */
  readonly domain: string;
  /** The regions, at least one. */
  readonly regions: readonly RegionSpec[];
  readonly nodeGroups: readonly NodeGroupSpec[];
  /** The ResourceQuota of each namespace the platform owns. */
  readonly quotas: NamespaceQuotasSpec;
  readonly api: ApiSpec;
  readonly consensus: ConsensusSpec;
  readonly networkAgent: NetworkAgentSpec;
  readonly backup: BackupSpec;
  readonly features: FeatureFlags;
  /** The Git repository Argo CD syncs from. */
  readonly gitRepoUrl: string;
  /**
   * The 12-digit AWS account the environment runs in. The add-ons' service accounts name their IAM roles by ARN,
   * which contains it, so synth needs it; the Pulumi program refuses credentials of any other account.
   */
  readonly awsAccountId: string;
  /** The cluster add-ons. */
  readonly addons: AddonsSpec;
  /**
   * The first part of every S3 bucket name (`<prefix>-<env>-<cluster>-velero`). Bucket names are global across all
   * AWS accounts, so pick one your organization owns (its domain, e.g. `acme-fleetcraft`): with the default, a
   * bucket of the same name in any other account makes the first `pulumi up` fail. It is environment data, not
   * stack config, because the GitOps output (Velero's BackupStorageLocations) names the buckets too, and synth
   * runs without a stack. A DNS label of 3 to 30 characters.
   * @default 'fleetcraft'
   */
  readonly bucketPrefix?: string;
  /**
   * Sync windows added to the environment's AppProjects, e.g. a `deny` window freezing deployments over a holiday.
   * Production's own `allow` window for manual syncs (Tuesday to Thursday, 09:00–14:00 UTC) is always there.
   * @default - none
   */
  readonly syncWindows?: readonly SyncWindowSpec[];
}
