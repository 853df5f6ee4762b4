import { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- named by the {@link}s below
import type { NETWORK_NOT_READY_TAINT } from './startup-taint';

/**
 * A Linux capability, spelled as Kubernetes and Pod Security admission expect it (without `CAP_`).
 * @see https://man7.org/linux/man-pages/man7/capabilities.7.html
 */
export enum LinuxCapability {
  CHOWN = 'CHOWN', DAC_OVERRIDE = 'DAC_OVERRIDE', DAC_READ_SEARCH = 'DAC_READ_SEARCH', FOWNER = 'FOWNER',
  FSETID = 'FSETID', KILL = 'KILL', SETGID = 'SETGID', SETUID = 'SETUID', SETPCAP = 'SETPCAP',
  LINUX_IMMUTABLE = 'LINUX_IMMUTABLE', NET_BIND_SERVICE = 'NET_BIND_SERVICE', NET_BROADCAST = 'NET_BROADCAST',
  NET_ADMIN = 'NET_ADMIN', NET_RAW = 'NET_RAW', IPC_LOCK = 'IPC_LOCK', IPC_OWNER = 'IPC_OWNER',
  SYS_MODULE = 'SYS_MODULE', SYS_RAWIO = 'SYS_RAWIO', SYS_CHROOT = 'SYS_CHROOT', SYS_PTRACE = 'SYS_PTRACE',
  SYS_PACCT = 'SYS_PACCT', SYS_ADMIN = 'SYS_ADMIN', SYS_BOOT = 'SYS_BOOT', SYS_NICE = 'SYS_NICE',
  SYS_RESOURCE = 'SYS_RESOURCE', SYS_TIME = 'SYS_TIME', SYS_TTY_CONFIG = 'SYS_TTY_CONFIG', MKNOD = 'MKNOD',
  LEASE = 'LEASE', AUDIT_WRITE = 'AUDIT_WRITE', AUDIT_CONTROL = 'AUDIT_CONTROL', SETFCAP = 'SETFCAP',
  MAC_OVERRIDE = 'MAC_OVERRIDE', MAC_ADMIN = 'MAC_ADMIN', SYSLOG = 'SYSLOG', WAKE_ALARM = 'WAKE_ALARM',
  BLOCK_SUSPEND = 'BLOCK_SUSPEND', AUDIT_READ = 'AUDIT_READ', PERFMON = 'PERFMON', BPF = 'BPF',
  CHECKPOINT_RESTORE = 'CHECKPOINT_RESTORE',
}

/**
 * A capability as `capabilities` accepts it: a {@link LinuxCapability}, its name with or without `CAP_`
 * (`'NET_ADMIN'`, `'CAP_NET_ADMIN'`), or `'ALL'` (only with `privileged: true`). Always emitted without `CAP_`.
 */
export type CapabilityName = LinuxCapability | `${LinuxCapability}` | `CAP_${LinuxCapability}` | 'ALL';

/** A port the agent listens on. */
export interface NetworkAgentPort {
  /** The port's name (an IANA service name, at most 15 characters), e.g. `metrics`. */
  readonly name: string;
  /** The container port (1–65535). With host networking it is also the node's port. */
  readonly number: number;
  /**
   * TCP, UDP or SCTP.
   * @default Protocol.TCP
   */
  readonly protocol?: kplus.Protocol;
  /**
   * The node port to bind. With host networking it must equal `number` (Kubernetes fills it in; so does fleetcraft).
   * Without host networking a host port needs the `privileged` Pod Security level.
   * @default - `number` with host networking, none without
   */
  readonly hostPort?: number;
}

/** A directory or file of the node mounted into the agent (e.g. `/sys/fs/bpf`, `/run/xtables.lock`). */
export interface NetworkAgentHostPath {
  /** The volume's name (a DNS-1123 label). */
  readonly name: string;
  /** The absolute path on the node. */
  readonly path: string;
  /** The absolute path in the agent container. */
  readonly mountPath: string;
  /**
   * Mount read-only.
   * @default true
   */
  readonly readOnly?: boolean;
  /**
   * What must exist at `path` before the pod starts.
   * @default HostPathVolumeType.DEFAULT (no check)
   */
  readonly type?: kplus.HostPathVolumeType;
  /**
   * Mount propagation. `Bidirectional` is only allowed with `privileged: true`.
   * @default MountPropagation.NONE
   */
  readonly propagation?: kplus.MountPropagation;
}

/** Props for {@link NetworkDaemonSet}. */
export interface NetworkDaemonSetProps {
  /** The agent's image, pinned by tag or digest (`:latest` and untagged images are refused). */
  readonly image: string;
  /**
   * Name of the DaemonSet and ServiceAccount, and prefix of the RBAC objects (a DNS-1123 label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the DaemonSet and ServiceAccount.
   * @default - none (the chart's namespace)
   */
  readonly namespace?: string;
  /**
   * The `app.kubernetes.io/part-of` label on every object.
   * @default - no part-of label
   */
  readonly partOf?: string;
  /**
   * Extra labels and annotations for the DaemonSet (merged; fleetcraft's labels and annotations win).
   * @default - none
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * The agent's entrypoint.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * The agent's arguments.
   * @default - the image's arguments
   */
  readonly args?: readonly string[];
  /**
   * Environment variables of the agent, besides `NODE_NAME` (always set, from the downward API).
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Run in the node's network namespace (with `dnsPolicy: ClusterFirstWithHostNet`). Requires the `privileged`
   * Pod Security level.
   * @default true
   */
  readonly hostNetwork?: boolean;
  /**
   * Ports the agent listens on. With host networking no two may share a number and protocol.
   * @default - none
   */
  readonly ports?: readonly NetworkAgentPort[];
  /**
   * Kernel parameters (`net.ipv4.tcp_congestion_control: 'bbr'`, `net.ipv4.ip_forward: '1'`), applied by the
   * `kernel-tuning` init container before the agent starts. Without host networking, a set made only of the
   * Kubernetes safe sysctls goes into the pod's `securityContext.sysctls` instead, and needs no privilege.
   * @default - none
   */
  readonly sysctls?: Readonly<Record<string, string>>;
  /**
   * The node interface's MTU (576–9216; 9000 for jumbo frames), set by the `kernel-tuning` init container.
   * Needs host networking.
   * @default - unchanged
   */
  readonly mtu?: number;
  /**
   * The interface `mtu` applies to.
   * @default - the interface of the node's default IPv4 route
   */
  readonly mtuInterface?: string;
  /**
   * Image of the `kernel-tuning` init container; it needs only `/bin/sh`.
   * @default - `image`
   */
  readonly initImage?: string;
  /**
   * Capabilities the agent adds, after dropping ALL (the Cilium way). Adding any makes the agent run as root,
   * since Kubernetes gives a non-root process no added capability (no ambient capabilities).
   * @default - none
   */
  readonly capabilities?: readonly CapabilityName[];
  /**
   * Run the agent container privileged. Never implied: `capabilities: ['ALL']` and `Bidirectional` mount
   * propagation are refused unless this is set.
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * Node paths mounted into the agent. Each needs the `privileged` Pod Security level.
   * @default - none
   */
  readonly hostPaths?: readonly NetworkAgentHostPath[];
  /**
   * Tolerate every taint, so the agent runs on every node, including cordoned and not-ready ones.
   * The startup taint ({@link NETWORK_NOT_READY_TAINT}) is tolerated whatever this says.
   * @default true
   */
  readonly tolerateAllTaints?: boolean;
  /**
   * More tolerations; added to the defaults, never replacing them (an agent that loses its own not-ready
   * toleration can never start, and the node never becomes ready).
   * @default - none
   */
  readonly tolerations?: readonly kplus.NodeTaintQuery[];
  /**
   * Node labels the agent's nodes must have; added to `kubernetes.io/os: linux`, which is always required.
   * @default - `kubernetes.io/os: linux` only
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * The pods' PriorityClass.
   * @default 'system-node-critical'
   */
  readonly priorityClassName?: string;
  /**
   * Pods the rolling update may take down at once; 0 and 0% are refused (the update would never progress).
   * @default PercentOrAbsolute.absolute(1)
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;
  /**
   * The agent's resources; a memory limit is required.
   * @default - requests 100m CPU and 128Mi memory, a 512Mi memory limit, no CPU limit
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Readiness probe. Required when there are no ports.
   * @default - a TCP check on the first port
   */
  readonly readiness?: kplus.Probe;
  /**
   * Liveness probe. Required when there are no ports.
   * @default - a TCP check on the first port
   */
  readonly liveness?: kplus.Probe;
  /**
   * Let the agent remove the startup taint ({@link NETWORK_NOT_READY_TAINT}) from its own node once it is ready:
   * emits a ClusterRole allowing `get` and `patch` on nodes, binds it to the ServiceAccount, mounts a projected,
   * short-lived API token into the agent container only (never the init container), and sets
   * `FLEETCRAFT_STARTUP_TAINT` to the taint key. Needs a namespace. Off, the ServiceAccount has no token at all;
   * turn it on whenever the nodes join with the taint, or they never take other pods. RBAC cannot name the
   * agent's node in advance, so the role allows patching any node; a ValidatingAdmissionPolicy and its binding
   * (`Deny`) then refuse any change but the removal of that taint from the node named in the agent's token (its own,
   * `NODE_NAME`). Needs Kubernetes 1.30 or later (the policy API and the node name in pod-bound tokens).
   * @default false
   */
  readonly removeStartupTaint?: boolean;
}
