import { ApiObject, ApiObjectMetadata, Chart, JsonPatch, Size } from 'cdk8s';
import { OPT_OUTS_ANNOTATION } from '../../policy/pod-security';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { standardLabels, selectorLabels } from '../../private/labels';
import { kernelTuningScript } from './kernel';
import { podSecurityLevelOf, SAFE_SYSCTLS } from '../../private/network-pod-security';
import { validateNetworkDaemonSet } from './rules';
import { applyCapabilities, applyRuntimeDefaultSeccomp, restrictedContainerSecurity, restrictedPodSecurity } from '../../private/security';
import { PodSecurityLevel } from '../namespace-baseline/namespace-baseline';
import { NETWORK_NOT_READY_TAINT } from './startup-taint';

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
   * The protocol.
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
   * agent's node in advance, so the role allows patching any node: the agent must patch only `NODE_NAME`.
   * @default false
   */
  readonly removeStartupTaint?: boolean;
}

/** The environment variable naming the startup taint the agent must remove (with `removeStartupTaint`). */
export const STARTUP_TAINT_ENV = 'FLEETCRAFT_STARTUP_TAINT';
/** The annotation listing every security opt-out of the pod, for audits. */
export const SECURITY_OPT_OUTS_ANNOTATION = OPT_OUTS_ANNOTATION;

const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * A per-node network agent (transport, tunnels, eBPF) with explicit, minimal privilege: a DaemonSet on every node
 * (all taints tolerated by default, `system-node-critical`, host networking with `ClusterFirstWithHostNet`, a
 * bounded rolling update), its ServiceAccount, and a `kernel-tuning` init container applying sysctls and the MTU.
 *
 * Privilege is never a default. The init container is privileged (writing `/proc/sys` and `/sys/class/net` needs
 * a container whose `/proc` and `/sys` the runtime mounts read-write, which only privileged mode gives), runs one
 * fixed `sh` script and exits; the agent container drops ALL capabilities and adds exactly `capabilities`, and is
 * privileged only with `privileged: true`. `podSecurityLevel` reports what the namespace must allow.
 *
 * Startup-taint contract: nodes join with {@link NETWORK_NOT_READY_TAINT}, which this DaemonSet always tolerates;
 * with `removeStartupTaint`, the agent (given `NODE_NAME` and `FLEETCRAFT_STARTUP_TAINT`) removes it from its own
 * node once ready, so no other pod lands on a node whose network is not up.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export class NetworkDaemonSet extends Construct {
  /** The DaemonSet's name. */
  public readonly name: string;
  /** The Pod Security level the agent's namespace must allow (pass it to `NamespaceBaseline`'s `podSecurity`). */
  public readonly podSecurityLevel: PodSecurityLevel;
  /** The capabilities the agent adds (Kubernetes spelling). */
  public readonly capabilities: readonly string[];
  /** The DaemonSet. */
  public readonly daemonSet: kplus.DaemonSet;
  /** The agent's ServiceAccount. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The ClusterRole allowing the startup taint's removal, with `removeStartupTaint`. */
  public readonly clusterRole?: kplus.k8s.KubeClusterRole;
  /** Its binding to the ServiceAccount, with `removeStartupTaint`. */
  public readonly clusterRoleBinding?: kplus.k8s.KubeClusterRoleBinding;

  constructor(scope: Construct, id: string, props: NetworkDaemonSetProps) {
    super(scope, id);
    const v = validateNetworkDaemonSet(id, props, Chart.of(this).namespace, new Set<string>(Object.values(LinuxCapability)));
    this.name = v.name;
    this.capabilities = v.capabilities;
    const hostNetwork = v.hostNetwork;
    const privileged = props.privileged ?? false;
    const ports = props.ports ?? [];
    const hostPaths = props.hostPaths ?? [];
    const removeTaint = props.removeStartupTaint ?? false;
    const sysctls = Object.entries(props.sysctls ?? {});
    const podSysctls = !hostNetwork && sysctls.every(([k]) => SAFE_SYSCTLS.has(k)) ? sysctls : [];
    const initSysctls = podSysctls.length > 0 ? [] : sysctls;
    const initStep = initSysctls.length > 0 || props.mtu !== undefined;
    const agentRoot = privileged || this.capabilities.length > 0;

    this.podSecurityLevel = podSecurityLevelOf({
      hostNetwork,
      privilegedContainer: privileged || initStep,
      hostPathVolumes: hostPaths.length > 0,
      hostPorts: ports.some((p) => hostNetwork || p.hostPort !== undefined),
      addedCapabilities: this.capabilities,
      podSysctls: podSysctls.map(([k]) => k),
      runsAsRoot: agentRoot || initStep,
    });

    const labels = standardLabels({ name: this.name, instance: this.name, component: 'network-agent', partOf: props.partOf });
    const meta = (name: string, namespaced = true) => ({ name, namespace: namespaced ? props.namespace : undefined, labels });

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: meta(this.name), automountToken: false });

    const optOuts = [
      ...(hostNetwork ? ['hostNetwork'] : []),
      ...(privileged ? ['privileged'] : []),
      ...(this.capabilities.length > 0 ? [`capabilities=${this.capabilities.join('+')}`] : []),
      ...(agentRoot ? ['runAsRoot'] : []),
      ...(initStep ? ['privilegedInitContainer=kernel-tuning'] : []),
      ...(hostPaths.length > 0 ? [`hostPath=${hostPaths.map((h) => h.path).join('+')}`] : []),
      ...(!hostNetwork && ports.some((p) => p.hostPort !== undefined) ? ['hostPort'] : []),
      ...(removeTaint ? ['serviceAccountToken'] : []),
    ];

    const volumeScope = new Construct(this, 'HostPaths');
    const env: Record<string, kplus.EnvValue> = { NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) };
    for (const [key, value] of Object.entries(props.env ?? {})) env[key] = kplus.EnvValue.fromValue(value);
    if (removeTaint) env[STARTUP_TAINT_ENV] = kplus.EnvValue.fromValue(NETWORK_NOT_READY_TAINT.key);
    const probe = () => kplus.Probe.fromTcpSocket({ port: ports[0].number });

    const agent: kplus.ContainerProps = {
      name: 'agent',
      image: props.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: props.command ? [...props.command] : undefined,
      args: props.args ? [...props.args] : undefined,
      envVariables: env,
      ports: ports.map((p) => ({
        name: p.name, number: p.number, protocol: p.protocol ?? kplus.Protocol.TCP, hostPort: hostNetwork ? p.number : p.hostPort,
      })),
      volumeMounts: hostPaths.map((h) => ({
        volume: kplus.Volume.fromHostPath(volumeScope, h.name, h.name, { path: h.path, type: h.type }),
        path: h.mountPath,
        readOnly: h.readOnly ?? true,
        propagation: h.propagation ?? kplus.MountPropagation.NONE,
      })),
      resources: props.resources ?? {
        cpu: { request: kplus.Cpu.millis(100) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
      },
      readiness: props.readiness ?? probe(),
      liveness: props.liveness ?? probe(),
      securityContext: agentRoot ? rootSecurity(privileged) : restrictedContainerSecurity(),
    };
    const init: kplus.ContainerProps[] = initStep ? [{
      name: 'kernel-tuning',
      image: props.initImage ?? props.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['/bin/sh', '-c', kernelTuningScript({ sysctls: initSysctls, mtu: props.mtu, mtuInterface: props.mtuInterface })],
      resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) } },
      securityContext: rootSecurity(true),
    }] : [];

    this.daemonSet = new kplus.DaemonSet(this, 'Resource', {
      metadata: {
        ...props.metadata,
        ...meta(this.name),
        labels: { ...props.metadata?.labels, ...labels },
        annotations: { ...props.metadata?.annotations, ...(optOuts.length > 0 ? { [SECURITY_OPT_OUTS_ANNOTATION]: optOuts.join(', ') } : {}) },
      },
      select: false,
      podMetadata: { labels },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      hostNetwork,
      dns: { policy: hostNetwork ? kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET : kplus.DnsPolicy.CLUSTER_FIRST },
      securityContext: {
        ...(agentRoot || initStep ? { ensureNonRoot: false } : restrictedPodSecurity()),
        sysctls: podSysctls.map(([name, value]) => ({ name, value })),
      },
      containers: [agent],
      initContainers: init,
    });
    this.daemonSet.select(kplus.LabelSelector.of({ labels: selectorLabels({ name: this.name, instance: this.name, component: 'network-agent' }) }));
    this.daemonSet.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists(NETWORK_NOT_READY_TAINT.key, { effect: NETWORK_NOT_READY_TAINT.effect as kplus.TaintEffect })));
    if (props.tolerateAllTaints ?? true) this.daemonSet.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.any()));
    if (props.tolerations?.length) this.daemonSet.scheduling.tolerate(kplus.Node.tainted(...props.tolerations));

    const api = ApiObject.of(this.daemonSet);
    api.addJsonPatch(
      JsonPatch.remove(`/spec/template/metadata/labels/${kplus.Pod.ADDRESS_LABEL.replace('/', '~1')}`),
      JsonPatch.add('/spec/updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: intOrString(v.maxUnavailable), maxSurge: intOrString(0) } }),
      JsonPatch.add('/spec/template/spec/priorityClassName', props.priorityClassName ?? 'system-node-critical'),
      JsonPatch.add('/spec/template/spec/nodeSelector', { 'kubernetes.io/os': 'linux', ...props.nodeSelector }),
    );
    applyRuntimeDefaultSeccomp(api);
    applyCapabilities(api, '/spec/template/spec/containers/0', this.capabilities);

    if (removeTaint) {
      const saNamespace = v.namespace as string;
      api.addJsonPatch(
        JsonPatch.add(hostPaths.length > 0 ? '/spec/template/spec/volumes/-' : '/spec/template/spec/volumes', hostPaths.length > 0 ? tokenVolume() : [tokenVolume()]),
        JsonPatch.add(hostPaths.length > 0 ? '/spec/template/spec/containers/0/volumeMounts/-' : '/spec/template/spec/containers/0/volumeMounts',
          hostPaths.length > 0 ? tokenMount() : [tokenMount()]),
      );
      const roleName = `${this.name}-startup-taint`;
      this.clusterRole = new kplus.k8s.KubeClusterRole(this, 'ClusterRole', {
        metadata: meta(roleName, false),
        rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] }],
      });
      this.clusterRoleBinding = new kplus.k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
        metadata: meta(roleName, false),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: saNamespace }],
      });
    }
  }
}

/** A root security context (for the init step, and for an agent that adds capabilities or is privileged). */
function rootSecurity(privileged: boolean): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: false,
    user: 0,
    group: 0,
    readOnlyRootFilesystem: true,
    privileged,
    // The API server refuses privileged: true with allowPrivilegeEscalation: false.
    allowPrivilegeEscalation: privileged,
  };
}

/**
 * Patches on an L1 object pass through its typed converter after being applied, so patch values use the typed
 * (camelCase, IntOrString) form, not the JSON spelling.
 */
function intOrString(value: number | string): kplus.k8s.IntOrString {
  return typeof value === 'number' ? kplus.k8s.IntOrString.fromNumber(value) : kplus.k8s.IntOrString.fromString(value);
}

/** A projected API token (expiring hourly, rotated by the kubelet), the cluster CA and the namespace (typed spelling). */
function tokenVolume() {
  return {
    name: 'api-token',
    projected: {
      sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

function tokenMount() {
  return { name: 'api-token', mountPath: TOKEN_MOUNT_PATH, readOnly: true };
}
