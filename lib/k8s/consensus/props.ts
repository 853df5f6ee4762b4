import { ApiObjectMetadata, Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { IConstruct } from 'constructs';
import { InitialClusterState, ConsensusEngine } from './engine';
import type { ConsensusTls } from './tls';

/**
 * What the scheduler does when spreading members evenly across zones is impossible (`whenUnsatisfiable`).
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
 */
export enum ZoneSpread {
  /** Keep the member pending rather than put more than one member above the others in one zone. */
  REQUIRED = 'DoNotSchedule',
  /** Prefer an even spread but schedule anyway. */
  PREFERRED = 'ScheduleAnyway',
}

/**
 * Who may reach the client port. Members themselves, and this construct's snapshot and membership Jobs, always can.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class ConsensusClient {
  /** Pods with these labels in the cluster's own namespace. */
  public static pods(labels: Readonly<Record<string, string>>): ConsensusClient {
    return new ConsensusClient({ podSelector: { matchLabels: { ...labels } } });
  }

  /** Every pod of a namespace. */
  public static namespace(name: string): ConsensusClient {
    return new ConsensusClient({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
  }

  /** Pods with these labels in another namespace. */
  public static podsInNamespace(namespace: string, labels: Readonly<Record<string, string>>): ConsensusClient {
    return new ConsensusClient({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      podSelector: { matchLabels: { ...labels } },
    });
  }

  private constructor(private readonly peer: kplus.k8s.NetworkPolicyPeer) {}

  /** The NetworkPolicy peer (used by ConsensusStatefulSet). */
  public toNetworkPolicyPeer(): kplus.k8s.NetworkPolicyPeer {
    return this.peer;
  }
}

/**
 * Egress from a consensus client to the members' client port, as {@link ConsensusStatefulSet.allowClient} asks the
 * client to allow it: pods selected by labels, in another namespace or (without `namespace`) the client's own.
 */
export interface ConsensusClientEgress {
  /**
   * The members' namespace, when it is not the client's own.
   * @default - the client's own namespace
   */
  readonly namespace?: string;
  /** Labels selecting the members. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** TCP ports, e.g. `[2379]`. */
  readonly ports: readonly number[];
}

/**
 * A workload that can be allowed as a consensus client after both exist ({@link ConsensusStatefulSet.allowClient}):
 * its real pod selector and namespace, and a way to add the egress rule its own NetworkPolicy needs.
 * `AutoscaledService` implements it; pods this library does not build use {@link ConsensusClient} instead.
 */
export interface IConsensusClient extends IConstruct {
  /** Labels selecting every pod of the workload. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** The workload's namespace, when set on it (else its chart's is used). */
  readonly namespace?: string;
  /** Lets the workload's pods call `rule`'s pods on its ports (one egress rule of its NetworkPolicy); idempotent. */
  allowEgressTo(rule: ConsensusClientEgress): void;
}

/** Props for {@link ConsensusStatefulSet}. */
export interface ConsensusStatefulSetProps {
  /** Member image, pinned by tag or digest (not `:latest`), e.g. `quay.io/coreos/etcd:v3.5.21`. */
  readonly image: string;
  /**
   * The software and its wiring.
   * @default ConsensusEngine.etcd()
   */
  readonly engine?: ConsensusEngine;
  /**
   * Name of the StatefulSet (at most 52 characters) and prefix of every object's name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of every object; member DNS names are fully qualified when it (or the chart's) is known.
   * @default - none (the chart's namespace)
   */
  readonly namespace?: string;
  /**
   * Members: odd, 1 to 11. Changing it later is safe with the membership hook (see {@link ConsensusMembership}).
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Whether this is a production cluster; production refuses a single member.
   * @default false
   */
  readonly production?: boolean;
  /**
   * Transport security of the peer and client ports: `ConsensusTls.certManager()` for TLS with client-certificate
   * authentication (certificates from cert-manager; see {@link ConsensusTls} for the certificates, where the CA lives
   * and how everything rotates), or `ConsensusTls.disabled(reason)` for plain http with the reason on record.
   * Required when `production` is true.
   * @default - plain http (refused when production is true)
   */
  readonly tls?: ConsensusTls;
  /** Client port. @default 2379 */
  readonly clientPort?: number;
  /** Peer (replication) port. @default 2380 */
  readonly peerPort?: number;
  /** Port serving health checks and metrics (probes use it). @default 2381 */
  readonly metricsPort?: number;
  /** Each member's data volume. @default Size.gibibytes(10) */
  readonly storage?: Size;
  /**
   * StorageClass of the data volumes.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Member container resources; a memory limit is required.
   * @default - CPU request 500m (no CPU limit), memory request 1Gi, memory limit 2Gi
   */
  readonly resources?: kplus.ContainerResources;
  /** Leader heartbeat interval. @default Duration.seconds(1) */
  readonly heartbeatInterval?: Duration;
  /** Follower election timeout; at least 5 heartbeats. @default Duration.seconds(5) */
  readonly electionTimeout?: Duration;
  /** How often the log is compacted or snapshotted (etcd: periodic compaction retention). @default Duration.hours(1) */
  readonly snapshotInterval?: Duration;
  /**
   * Token that keeps members of different clusters apart.
   * @default - `<namespace>-<name>`, or `<name>` when the namespace is not known
   */
  readonly clusterToken?: string;
  /**
   * How members without data start. Keep `NEW` for the first sync; set `EXISTING` once the cluster has formed,
   * before any change of `replicas` (the membership hook refuses to scale while it is `NEW`).
   * @default InitialClusterState.NEW
   */
  readonly initialClusterState?: InitialClusterState;
  /** The cluster's DNS domain. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /**
   * How pods are started. `Parallel` because `OrderedReady` deadlocks bootstrap: it starts member 1 only once
   * member 0 is ready, but a lone member of a 3-member cluster never becomes ready (readiness needs a leader,
   * which needs a quorum). Identities and volumes stay stable either way; rolling updates still go one pod at a time.
   * @default kplus.PodManagementPolicy.PARALLEL
   */
  readonly podManagementPolicy?: kplus.PodManagementPolicy;
  /**
   * Spread across zones (`topology.kubernetes.io/zone`, max skew 1); members are always on distinct nodes.
   * @default ZoneSpread.REQUIRED
   */
  readonly zoneSpread?: ZoneSpread;
  /** Node labels members must run on. @default - any node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Taints members tolerate (e.g. a dedicated consensus node group). @default - none */
  readonly tolerations?: readonly kplus.NodeTaintQuery[];
  /** Who may reach the client port. @default - nobody else (members and this construct's Jobs only) */
  readonly allowedClients?: readonly ConsensusClient[];
  /** Who may reach the metrics port (e.g. Prometheus). @default - nobody (kubelet probes are not subject to it) */
  readonly allowMetricsFrom?: readonly ConsensusClient[];
  /**
   * PodDisruptionBudget `minAvailable`; never below the quorum (so a single member is never evicted voluntarily:
   * node drains wait for it).
   * @default - the quorum, ⌊replicas/2⌋+1
   */
  readonly minAvailable?: number;
  /**
   * Put Velero's pre-backup hook annotations on the pod template, so a Velero backup of the namespace snapshots
   * the data consistently even without a Schedule that lists {@link ConsensusStatefulSet.preBackupHooks}.
   * @default true (when the engine has a backup command)
   */
  readonly veleroHookAnnotations?: boolean;
  /** Disaster-recovery snapshots to object storage. @default - none */
  readonly snapshots?: ConsensusSnapshotOptions;
  /**
   * Emit the Argo CD PreSync membership hook Job, and the members' join step it needs (when the engine has them).
   * @default true
   */
  readonly membershipHook?: boolean;
  /** The `app.kubernetes.io/part-of` label. @default - none */
  readonly partOf?: string;
  /** Extra metadata merged into the StatefulSet. @default - none */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * Where and when a ConsensusStatefulSet writes disaster-recovery snapshots: an S3 (or S3-compatible) bucket.
 * Retention belongs to the bucket (an S3 lifecycle rule), not to the CronJob.
 */
export interface ConsensusSnapshotOptions {
  /** The bucket name (without `s3://`). */
  readonly bucket: string;
  /**
   * Key prefix; each snapshot is `<prefix><UTC timestamp>.db`, e.g. `db/raft/20250101T000000Z.db`.
   * @default - `<namespace>/<name>/`, or `<name>/` when the namespace is not known
   */
  readonly prefix?: string;
  /**
   * When snapshots are taken.
   * @default Cron.schedule({ minute: '*\/30' }) (every 30 minutes, like Bitnami's etcd chart)
   */
  readonly schedule?: Cron;
  /**
   * The AWS region of the bucket (`AWS_REGION`).
   * @default - the uploader's own default (e.g. injected by IRSA or EKS Pod Identity)
   */
  readonly region?: string;
  /**
   * Endpoint of an S3-compatible store (MinIO, Ceph RGW, …), e.g. `https://minio.storage:9000`.
   * @default - AWS S3
   */
  readonly endpointUrl?: string;
  /**
   * KMS key for server-side encryption of the snapshot objects.
   * @default - the bucket's default encryption
   */
  readonly kmsKeyId?: string;
  /**
   * ServiceAccount the CronJob runs as; give it write access to the bucket (IRSA / EKS Pod Identity role).
   * @default - the namespace's default ServiceAccount
   */
  readonly serviceAccountName?: string;
  /**
   * Image with a shell and the `aws` CLI.
   * @default 'amazon/aws-cli:2.22.35'
   */
  readonly uploaderImage?: string;
}

/** Props for {@link ConsensusSnapshot}. */
export interface ConsensusSnapshotProps extends ConsensusSnapshotOptions {
  /** The CronJob's name (and the default key prefix, `<name>/`, when used on its own). */
  readonly name: string;
  /**
   * Namespace of the CronJob and its NetworkPolicy.
   * @default - none (the chart's namespace)
   */
  readonly namespace?: string;
  /** Labels on every object; the pod labels also carry `app.kubernetes.io/component: snapshot`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Image that runs `command` (the member image). */
  readonly image: string;
  /** Exec-form command that writes a snapshot to `/snapshot/snapshot.db`, given its file path. */
  readonly command: (file: string) => { command: readonly string[]; env: Readonly<Record<string, string>> };
  /** Labels selecting the members, for the NetworkPolicy. */
  readonly memberSelector: Readonly<Record<string, string>>;
  /** The members' client port. */
  readonly clientPort: number;
  /**
   * Secret with the client key pair (`tls.crt`, `tls.key`, `ca.crt`), mounted read-only at
   * `CONSENSUS_TLS_MOUNT_PATH` in the container that takes the snapshot.
   * @default - none (plain http)
   */
  readonly tlsSecretName?: string;
}

/** Props for {@link ConsensusMembership}. */
export interface ConsensusMembershipProps {
  /** The Job's name. */
  readonly name: string;
  /**
   * Namespace of the Job and its NetworkPolicy.
   * @default - none (the chart's namespace)
   */
  readonly namespace?: string;
  /** Labels on every object; the pod labels also carry `app.kubernetes.io/component: membership`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Image with the reconciler's tools. */
  readonly image: string;
  /** Exec-form command of the reconciler. */
  readonly command: readonly string[];
  /** Its environment (the desired members, the client endpoint, the initial cluster state). */
  readonly env: Readonly<Record<string, string>>;
  /** Labels selecting the members, for the NetworkPolicy. */
  readonly memberSelector: Readonly<Record<string, string>>;
  /** The members' client port. */
  readonly clientPort: number;
  /**
   * Secret with the client key pair (`tls.crt`, `tls.key`, `ca.crt`), mounted read-only at
   * `CONSENSUS_TLS_MOUNT_PATH` in the reconciler's container.
   * @default - none (plain http)
   */
  readonly tlsSecretName?: string;
}
