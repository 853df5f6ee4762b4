/**
 * The typed shape of an environment: plain data, no behaviour beyond validation. Stacks read it; constructs never do.
 */
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
}

/** The per-node network agent. */
export interface NetworkAgentSpec {
  readonly image: string;
  /** Interface MTU the agent sets (576–9216). */
  readonly mtu: number;
  /** Kernel parameters set on each node. */
  readonly sysctls: Readonly<Record<string, string>>;
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
}
