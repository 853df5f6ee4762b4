import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { goDuration } from '../../private/quantities';
import { ETCD_JOIN_SCRIPT, ETCD_MEMBERSHIP_SCRIPT } from './scripts';
import { DNS_LABEL, guardProps, INT32_MAX, PropShape, shape, SIZE } from '../../private/prop-guard';
import { CONSENSUS_ENGINE } from './rules';
import { ConsensusTlsFiles, etcdctlTlsEnv, etcdctlTlsFlags, etcdMemberTlsEnv } from './tls';

/**
 * How a member without data starts: by bootstrapping a new cluster with the other initial members, or by joining
 * the running cluster (etcd's `--initial-cluster-state`, spelled as etcd spells it). Members that already have data
 * ignore it.
 * @see https://etcd.io/docs/v3.5/op-guide/configuration/#--initial-cluster-state
 */
export enum InitialClusterState {
  /** Bootstrap: every initial member starts together and forms the cluster. Use for the first sync. */
  NEW = 'new',
  /** Join: the cluster runs; a member without data joins it (after the membership hook registered it). */
  EXISTING = 'existing',
}

/** The facts about a ConsensusStatefulSet that an engine turns into its members' configuration. */
export interface ConsensusEngineContext {
  /** The StatefulSet's name; member `i` is the pod `<name>-<i>`. */
  readonly name: string;
  /** The member image. */
  readonly image: string;
  /** Member names, in ordinal order. */
  readonly memberNames: readonly string[];
  /** Member names each with its stable DNS name (`<name>-<i>.<peer-service>[.<namespace>.svc.<domain>]`). */
  readonly memberHosts: readonly string[];
  /** Stable DNS names of the ordinals above the desired ones (up to the most members allowed), highest first. */
  readonly surplusHosts: readonly string[];
  /** The DNS suffix after a member's pod name: `<peer-service>[.<namespace>.svc.<domain>]`. */
  readonly peerDomain: string;
  /** The client Service URL, e.g. `http://raft.db.svc.cluster.local:2379`. */
  readonly clientEndpoint: string;
  /** Client port. */
  readonly clientPort: number;
  /** Peer (replication) port. */
  readonly peerPort: number;
  /** Port serving health and metrics. */
  readonly metricsPort: number;
  /** Token that keeps members of different clusters from joining each other. */
  readonly clusterToken: string;
  /** Whether memberless pods bootstrap or join. */
  readonly initialClusterState: InitialClusterState;
  /** Leader heartbeat interval. */
  readonly heartbeatInterval: Duration;
  /** Follower election timeout. */
  readonly electionTimeout: Duration;
  /** How often the log is snapshotted and truncated. */
  readonly snapshotInterval: Duration;
  /** Size of each member's data volume. */
  readonly storage: Size;
  /**
   * TLS, when on: the key pair files every pod that talks to the members has mounted (members: the member
   * certificate, used as server, peer and client certificate; Jobs: the operations client certificate), and the
   * common name every peer's certificate must carry. Peer and client URLs are then `https://`.
   */
  readonly tls?: { readonly files: ConsensusTlsFiles; readonly peerCommonName: string };
}

/** What an engine contributes to the member pods and the helper Jobs. Produced by {@link ConsensusEngine.bind}. */
export interface ConsensusEngineConfig {
  /** `app.kubernetes.io/name` of the members (e.g. `etcd`). */
  readonly appName: string;
  /** The member container's name. */
  readonly containerName: string;
  /** Where the data volume is mounted in the member container. */
  readonly dataMountPath: string;
  /** Every member's peer URL, in ordinal order. */
  readonly peerUrls: readonly string[];
  /** Environment of the member container, in order (later values may reference earlier ones as `$(NAME)`). */
  readonly env: Readonly<Record<string, kplus.EnvValue>>;
  /** Command of the member container. */
  readonly command?: readonly string[];
  /** Arguments of the member container. */
  readonly args?: readonly string[];
  /** HTTP path on the metrics port that answers 200 while the process works (liveness and startup). */
  readonly livenessPath: string;
  /** HTTP path on the metrics port that answers 200 while the member can serve (readiness). */
  readonly readinessPath: string;
  /** Exec-form command, run in the member container, that writes a consistent snapshot onto the data volume. */
  readonly backupCommand?: readonly string[];
  /** Exec-form command run in the member image by the snapshot CronJob; writes a snapshot to `file`. */
  readonly snapshotCommand?: (file: string) => { command: readonly string[]; env: Readonly<Record<string, string>> };
  /** The membership hook: image, exec-form command and environment. */
  readonly membership?: { readonly image: string; readonly command: readonly string[]; readonly env: Readonly<Record<string, string>> };
  /**
   * An init container of every member pod, run with the membership hook: it mounts the data volume (read-only) at
   * {@link dataMountPath} and may call the members' client port. etcd: the join step ({@link ETCD_JOIN_SCRIPT}).
   */
  readonly join?: { readonly image: string; readonly command: readonly string[]; readonly env: Readonly<Record<string, kplus.EnvValue>> };
  /** Engine-specific rule checks; returns `[prop, value, rule, fix]` of the first one broken. */
  readonly validate: () => readonly [string, unknown, string, string] | undefined;
}

/** Options for {@link ConsensusEngine.etcd}. */
export interface EtcdEngineOptions {
  /**
   * Committed transactions between two snapshots of the Raft log (`ETCD_SNAPSHOT_COUNT`). etcd snapshots by count,
   * not by time; the time-based `snapshotInterval` drives its periodic compaction instead.
   * @default 10000
   */
  readonly snapshotCount?: number;
  /**
   * Largest backend database before etcd raises a NOSPACE alarm and goes read-only (`ETCD_QUOTA_BACKEND_BYTES`).
   * Must be at most half the data volume: the volume also holds the WAL and the pre-backup snapshot copy.
   * @default Size.gibibytes(2)
   */
  readonly quotaBackendBytes?: Size;
  /**
   * Image with a POSIX `sh` and `etcdctl` for the membership hook Job and the members' join step (etcd's own image
   * has no shell since v3.5.7).
   * @default 'registry.k8s.io/etcd:3.5.21-0'
   */
  readonly toolsImage?: string;
}

/** Options for {@link ConsensusEngine.generic}. */
export interface GenericRaftEngineOptions {
  /**
   * `app.kubernetes.io/name` of the members.
   * @default 'raft'
   */
  readonly appName?: string;
  /**
   * Member container name.
   * @default 'raft'
   */
  readonly containerName?: string;
  /**
   * Member container command.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * Member container arguments.
   * @default - the image's arguments
   */
  readonly args?: readonly string[];
  /**
   * Where the data volume is mounted (`RAFT_DATA_DIR` is `<path>/data`).
   * @default '/var/lib/raft'
   */
  readonly dataMountPath?: string;
  /**
   * Liveness and startup path on `RAFT_METRICS_ADDR`.
   * @default '/livez'
   */
  readonly livenessPath?: string;
  /**
   * Readiness path on `RAFT_METRICS_ADDR`; should fail while the member has no leader.
   * @default '/readyz'
   */
  readonly readinessPath?: string;
  /**
   * Exec-form command run in the member container before Velero copies the volume; it must write a consistent
   * snapshot onto the data volume.
   * @default - no pre-backup hook
   */
  readonly backupCommand?: readonly string[];
  /**
   * Exec-form command run in the member image by the snapshot CronJob; it must write a snapshot of the cluster,
   * read from `RAFT_CLIENT_ENDPOINT`, to the file `RAFT_SNAPSHOT_FILE`.
   * @default - none; disaster-recovery snapshots are refused
   */
  readonly snapshotCommand?: readonly string[];
  /**
   * Exec-form command that reconciles membership (PreSync hook): add members in `RAFT_DESIRED_PEERS` that are
   * missing, remove the others, via `RAFT_CLIENT_ENDPOINT`; exit non-zero to stop the sync.
   * @default - no membership hook; scaling needs a manual membership change
   */
  readonly membershipCommand?: readonly string[];
  /**
   * Image for `membershipCommand`.
   * @default - the member image
   */
  readonly membershipImage?: string;
}

const WHOLE = shape.number(-INT32_MAX, INT32_MAX);
const IMAGE = shape.string({ maxLength: 1024 });
const COMMAND = shape.list(shape.string({ allowEmpty: true }));

/** `EtcdEngineOptions`. */
const ETCD_OPTION_SHAPES = {
  snapshotCount: WHOLE,
  quotaBackendBytes: SIZE,
  toolsImage: IMAGE,
} satisfies { readonly [K in keyof Required<EtcdEngineOptions>]: PropShape };

const ABSOLUTE_PATH = shape.string({ maxLength: 4096, pattern: /^\//, patternRule: 'must be an absolute path' });

/** `GenericRaftEngineOptions`. */
const GENERIC_OPTION_SHAPES = {
  appName: DNS_LABEL,
  containerName: DNS_LABEL,
  command: COMMAND,
  args: COMMAND,
  dataMountPath: ABSOLUTE_PATH,
  livenessPath: ABSOLUTE_PATH,
  readinessPath: ABSOLUTE_PATH,
  backupCommand: COMMAND,
  snapshotCommand: COMMAND,
  membershipCommand: COMMAND,
  membershipImage: IMAGE,
} satisfies { readonly [K in keyof Required<GenericRaftEngineOptions>]: PropShape };

/** The default etcd tools image (a static bash as `/bin/sh`, plus etcdctl). */
export const DEFAULT_ETCD_TOOLS_IMAGE = 'registry.k8s.io/etcd:3.5.21-0';

/** etcd refuses election timeouts above 50 s. */
const ETCD_MAX_ELECTION_MS = 50000;

const podName = () => kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME);
const value = (v: string | number) => kplus.EnvValue.fromValue(String(v));
const bytes = (s: Size) => Math.round(s.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024);

/**
 * The software a ConsensusStatefulSet runs, and how it is wired: environment, health endpoints, backup and snapshot
 * commands, membership changes. Use {@link ConsensusEngine.etcd} or {@link ConsensusEngine.generic}.
 */
export class ConsensusEngine {
  /**
   * etcd v3.5+, configured entirely through its `ETCD_*` environment variables:
   * `ETCD_NAME` (the pod name, from the downward API), `ETCD_DATA_DIR`, `ETCD_LISTEN_PEER_URLS`,
   * `ETCD_LISTEN_CLIENT_URLS`, `ETCD_LISTEN_METRICS_URLS`, `ETCD_ADVERTISE_CLIENT_URLS`,
   * `ETCD_INITIAL_ADVERTISE_PEER_URLS`, `ETCD_INITIAL_CLUSTER` (every member's peer URL from its stable DNS name),
   * `ETCD_INITIAL_CLUSTER_TOKEN`, `ETCD_INITIAL_CLUSTER_STATE`, `ETCD_HEARTBEAT_INTERVAL` and
   * `ETCD_ELECTION_TIMEOUT` (ms), `ETCD_SNAPSHOT_COUNT`, `ETCD_AUTO_COMPACTION_MODE=periodic` with
   * `ETCD_AUTO_COMPACTION_RETENTION` = `snapshotInterval`, `ETCD_QUOTA_BACKEND_BYTES`, `ETCD_STRICT_RECONFIG_CHECK`.
   * With TLS (the set's `tls`), the peer and client URLs are `https://` and the members get `ETCD_CERT_FILE`,
   * `ETCD_KEY_FILE`, `ETCD_TRUSTED_CA_FILE`, `ETCD_CLIENT_CERT_AUTH=true`, the same four `ETCD_PEER_*` settings, and
   * `ETCD_PEER_CERT_ALLOWED_CN` (the member certificate's CN); every `etcdctl` gets `ETCDCTL_CACERT`, `ETCDCTL_CERT`
   * and `ETCDCTL_KEY` (the pre-backup hook: the same as flags). The metrics URL stays `http://`.
   *
   * Probes use `/health` on the metrics port: readiness `/health` (needs a leader, so a member cut off from the
   * quorum stops receiving clients), liveness and startup `/health?serializable=true&exclude=NOSPACE` (local only,
   * so a minority partition is not restarted in a loop, and a full disk alarm does not kill every member).
   *
   * Velero's pre-backup hook runs `etcdctl snapshot save <data volume>/velero-snapshot.db` in the member container;
   * the snapshot CronJob runs `etcdctl snapshot save` against the client Service (`snapshot save` is etcdctl's in
   * 3.4 and 3.5 alike; restoring moved to `etcdutl` in 3.5).
   *
   * With the membership hook, each member pod first runs the join step in `toolsImage` (an init container): a
   * member joining an existing cluster waits until the hook has registered it and the new members before it have
   * started, and promotes a learner among them (see {@link ConsensusMembership}).
   * @see https://etcd.io/docs/v3.5/op-guide/configuration/
   */
  public static etcd(options: EtcdEngineOptions = {}): ConsensusEngine {
    guardProps(CONSENSUS_ENGINE, 'etcd', options, ETCD_OPTION_SHAPES, true);
    return new ConsensusEngine('etcd', (ctx) => {
      const mount = '/var/lib/etcd';
      const scheme = ctx.tls ? 'https' : 'http';
      const peerUrls = ctx.memberHosts.map((h) => `${scheme}://${h}:${ctx.peerPort}`);
      const quota = options.quotaBackendBytes ?? Size.gibibytes(2);
      const snapshotCount = options.snapshotCount ?? 10000;
      // The member's own client port, as the pre-backup hook reaches it from inside the member container.
      const local = `${scheme}://127.0.0.1:${ctx.clientPort}`;
      const toolsImage = options.toolsImage ?? DEFAULT_ETCD_TOOLS_IMAGE;
      const env = {
        ETCD_NAME: podName(),
        ETCD_DATA_DIR: value(`${mount}/data`),
        ETCD_LISTEN_PEER_URLS: value(`${scheme}://0.0.0.0:${ctx.peerPort}`),
        ETCD_LISTEN_CLIENT_URLS: value(`${scheme}://0.0.0.0:${ctx.clientPort}`),
        // Plain HTTP even with TLS: the kubelet's probes and Prometheus read /health and /metrics here.
        ETCD_LISTEN_METRICS_URLS: value(`http://0.0.0.0:${ctx.metricsPort}`),
        ETCD_ADVERTISE_CLIENT_URLS: value(`${scheme}://$(ETCD_NAME).${ctx.peerDomain}:${ctx.clientPort}`),
        ETCD_INITIAL_ADVERTISE_PEER_URLS: value(`${scheme}://$(ETCD_NAME).${ctx.peerDomain}:${ctx.peerPort}`),
        ETCD_INITIAL_CLUSTER: value(ctx.memberNames.map((n, i) => `${n}=${peerUrls[i]}`).join(',')),
        ETCD_INITIAL_CLUSTER_TOKEN: value(ctx.clusterToken),
        ETCD_INITIAL_CLUSTER_STATE: value(ctx.initialClusterState),
        ETCD_HEARTBEAT_INTERVAL: value(ctx.heartbeatInterval.toMilliseconds()),
        ETCD_ELECTION_TIMEOUT: value(ctx.electionTimeout.toMilliseconds()),
        ETCD_SNAPSHOT_COUNT: value(snapshotCount),
        ETCD_AUTO_COMPACTION_MODE: value('periodic'),
        ETCD_AUTO_COMPACTION_RETENTION: value(goDuration(ctx.snapshotInterval)),
        ETCD_QUOTA_BACKEND_BYTES: value(bytes(quota)),
        ETCD_STRICT_RECONFIG_CHECK: value('true'),
        ...(ctx.tls ? Object.fromEntries(Object.entries(etcdMemberTlsEnv(ctx.tls.files, ctx.tls.peerCommonName)).map(([k, v]) => [k, value(v)])) : {}),
      };
      const tlsEnv = ctx.tls ? etcdctlTlsEnv(ctx.tls.files) : {};
      const etcdctl = { ETCDCTL_ENDPOINTS: ctx.clientEndpoint, ETCDCTL_DIAL_TIMEOUT: '5s', ETCDCTL_COMMAND_TIMEOUT: '30s', ...tlsEnv };
      return {
        appName: 'etcd',
        containerName: 'etcd',
        dataMountPath: mount,
        peerUrls,
        env,
        livenessPath: '/health?serializable=true&exclude=NOSPACE',
        readinessPath: '/health',
        // The hook runs in the member container, whose environment has no ETCDCTL_* settings: the client certificate (the
        // member's own) is given as flags.
        backupCommand: ['etcdctl', `--endpoints=${local}`, ...(ctx.tls ? etcdctlTlsFlags(ctx.tls.files) : []), 'snapshot', 'save', `${mount}/velero-snapshot.db`],
        snapshotCommand: (file) => ({ command: ['etcdctl', `--endpoints=${ctx.clientEndpoint}`, 'snapshot', 'save', file], env: { ...tlsEnv } }),
        membership: {
          image: toolsImage,
          command: ['/bin/sh', '-c', ETCD_MEMBERSHIP_SCRIPT],
          env: {
            ...etcdctl,
            DESIRED_PEERS: ctx.memberNames.map((n, i) => `${n}=${peerUrls[i]}`).join(','),
            DESIRED_PEER_URLS: peerUrls.join(','),
            INITIAL_CLUSTER_STATE: ctx.initialClusterState,
            REPLICAS: String(ctx.memberNames.length),
            REMOVAL_ORDER: ctx.surplusHosts.map((h) => `${scheme}://${h}:${ctx.peerPort}`).join(','),
            // A leader should emerge within a few election timeouts; etcdctl would otherwise retry a minority
            // member's "request timed out" until ETCDCTL_COMMAND_TIMEOUT.
            QUORUM_CHECK_TIMEOUT: goDuration(Duration.millis(Math.max(2000, 3 * ctx.electionTimeout.toMilliseconds()))),
          },
        },
        join: {
          image: toolsImage,
          command: ['/bin/sh', '-c', ETCD_JOIN_SCRIPT],
          env: {
            ETCD_NAME: env.ETCD_NAME,
            ETCD_DATA_DIR: env.ETCD_DATA_DIR,
            ETCD_INITIAL_ADVERTISE_PEER_URLS: env.ETCD_INITIAL_ADVERTISE_PEER_URLS,
            ETCD_INITIAL_CLUSTER: env.ETCD_INITIAL_CLUSTER,
            ETCD_INITIAL_CLUSTER_STATE: env.ETCD_INITIAL_CLUSTER_STATE,
            ...Object.fromEntries(Object.entries(etcdctl).map(([k, v]) => [k, value(v)])),
          },
        },
        validate: () => {
          const electionMs = ctx.electionTimeout.toMilliseconds();
          if (electionMs > ETCD_MAX_ELECTION_MS) {
            return ['electionTimeout in ms', electionMs, `exceeds etcd's maximum of ${ETCD_MAX_ELECTION_MS}`, 'use at most Duration.seconds(50)'];
          }
          if (!Number.isInteger(snapshotCount) || snapshotCount < 1) {
            return ['snapshotCount', snapshotCount, 'must be a positive whole number of transactions', 'use 10000'];
          }
          const storageBytes = bytes(ctx.storage);
          if (!(bytes(quota) > 0) || bytes(quota) * 2 > storageBytes) {
            return ['quotaBackendBytes', quota.asString(), `must be more than zero and at most half of storage (${ctx.storage.asString()}): the volume also holds the WAL and the pre-backup snapshot`, 'raise storage or lower quotaBackendBytes'];
          }
          return undefined;
        },
      };
    });
  }

  /**
   * A custom Raft service, configured through these documented environment variables:
   * - `RAFT_NODE_ID`: this member's name (the pod name), e.g. `raft-0`;
   * - `RAFT_NODE_INDEX`: its ordinal (the `apps.kubernetes.io/pod-index` pod label, Kubernetes ≥ 1.28);
   * - `RAFT_PEERS`: every member as `name=host:peerPort`, comma-separated, in ordinal order;
   * - `RAFT_BIND_ADDR` / `RAFT_ADVERTISE_ADDR`: listen and advertised peer address;
   * - `RAFT_CLIENT_ADDR`: client listen address; `RAFT_METRICS_ADDR`: health and metrics listen address;
   * - `RAFT_DATA_DIR`: where to keep the log and snapshots (on the member's volume);
   * - `RAFT_CLUSTER_TOKEN`: a per-cluster token to refuse foreign peers;
   * - `RAFT_BOOTSTRAP`: `true` when members without data bootstrap a new cluster, `false` when they join;
   * - `RAFT_HEARTBEAT_MS`, `RAFT_ELECTION_TIMEOUT_MS`, `RAFT_SNAPSHOT_INTERVAL_MS`: timings in milliseconds;
   * - with the set's `tls`: `RAFT_TLS_CERT_FILE`, `RAFT_TLS_KEY_FILE`, `RAFT_TLS_CA_FILE` (the key pair, as server, peer
   *   and client certificate, and the CA every peer and client must be signed by; re-read them at each handshake)
   *   and `RAFT_TLS_PEER_COMMON_NAME` (the CN every peer's certificate carries), also given to the snapshot and
   *   membership commands (with their client certificate); the client endpoint is then `https://`.
   */
  public static generic(options: GenericRaftEngineOptions = {}): ConsensusEngine {
    guardProps(CONSENSUS_ENGINE, 'generic', options, GENERIC_OPTION_SHAPES, true);
    return new ConsensusEngine(options.appName ?? 'raft', (ctx) => {
      const mount = options.dataMountPath ?? '/var/lib/raft';
      const peers = ctx.memberHosts.map((h) => `${h}:${ctx.peerPort}`);
      const peerList = ctx.memberNames.map((n, i) => `${n}=${peers[i]}`).join(',');
      const genericTls: Record<string, string> = ctx.tls ? {
        RAFT_TLS_CERT_FILE: ctx.tls.files.certFile, RAFT_TLS_KEY_FILE: ctx.tls.files.keyFile, RAFT_TLS_CA_FILE: ctx.tls.files.caFile,
        RAFT_TLS_PEER_COMMON_NAME: ctx.tls.peerCommonName,
      } : {};
      return {
        appName: options.appName ?? 'raft',
        containerName: options.containerName ?? 'raft',
        dataMountPath: mount,
        peerUrls: peers,
        env: {
          RAFT_NODE_ID: podName(),
          RAFT_NODE_INDEX: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_LABEL, { key: 'apps.kubernetes.io/pod-index' }),
          RAFT_PEERS: value(peerList),
          RAFT_BIND_ADDR: value(`0.0.0.0:${ctx.peerPort}`),
          RAFT_ADVERTISE_ADDR: value(`$(RAFT_NODE_ID).${ctx.peerDomain}:${ctx.peerPort}`),
          RAFT_CLIENT_ADDR: value(`0.0.0.0:${ctx.clientPort}`),
          RAFT_METRICS_ADDR: value(`0.0.0.0:${ctx.metricsPort}`),
          RAFT_DATA_DIR: value(`${mount}/data`),
          RAFT_CLUSTER_TOKEN: value(ctx.clusterToken),
          RAFT_BOOTSTRAP: value(String(ctx.initialClusterState === InitialClusterState.NEW)),
          RAFT_HEARTBEAT_MS: value(ctx.heartbeatInterval.toMilliseconds()),
          RAFT_ELECTION_TIMEOUT_MS: value(ctx.electionTimeout.toMilliseconds()),
          RAFT_SNAPSHOT_INTERVAL_MS: value(ctx.snapshotInterval.toMilliseconds()),
          ...(ctx.tls ? Object.fromEntries(Object.entries(genericTls).map(([k, v]) => [k, value(v)])) : {}),
        },
        command: options.command,
        args: options.args,
        livenessPath: options.livenessPath ?? '/livez',
        readinessPath: options.readinessPath ?? '/readyz',
        backupCommand: options.backupCommand,
        snapshotCommand: options.snapshotCommand
          ? (file) => ({ command: options.snapshotCommand ?? [], env: { RAFT_SNAPSHOT_FILE: file, RAFT_CLIENT_ENDPOINT: ctx.clientEndpoint, ...genericTls } })
          : undefined,
        membership: options.membershipCommand ? {
          image: options.membershipImage ?? ctx.image,
          command: options.membershipCommand,
          env: { RAFT_DESIRED_PEERS: peerList, RAFT_CLIENT_ENDPOINT: ctx.clientEndpoint, RAFT_BOOTSTRAP: String(ctx.initialClusterState === InitialClusterState.NEW), ...genericTls },
        } : undefined,
        validate: () => undefined,
      };
    });
  }

  /** `etcd`, or the generic engine's app name. */
  public readonly kind: string;

  private constructor(kind: string, private readonly binder: (ctx: ConsensusEngineContext) => ConsensusEngineConfig) {
    this.kind = kind;
  }

  /** Turns a cluster's facts into this engine's configuration (used by ConsensusStatefulSet). */
  public bind(ctx: ConsensusEngineContext): ConsensusEngineConfig {
    return this.binder(ctx);
  }
}
