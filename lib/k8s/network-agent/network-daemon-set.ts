import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import { OPT_OUTS_ANNOTATION } from '../../policy/pod-security-level';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { standardLabels, selectorLabels } from '../../private/labels';
import { kernelTuningScript } from './kernel';
import { requiredPodSecurityLevel, SAFE_SYSCTLS } from '../../policy/pod-security';
import { agentOptOuts } from './opt-outs';
import { NETWORK_DAEMON_SET, validateNetworkDaemonSet } from './rules';
import { guardProps } from '../../private/prop-guard';
import { NETWORK_DAEMON_SET_PROP_SHAPES } from './props-shape';
import { applyCapabilities, applyRuntimeDefaultSeccomp, restrictedContainerSecurity, restrictedPodSecurity } from '../../private/security';
import { PodSecurityLevel } from '../../policy/pod-security-level';
import { NETWORK_NOT_READY_TAINT } from './startup-taint';
import { LinuxCapability, NetworkDaemonSetProps } from './props';
import { enablePolicyChecks } from '../../policy/app-checks';
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './admission-policy';
import { nodePatchPolicySpec } from './node-patch-policy';

// The admission policy's L1 classes are part of this construct's public fields (lib/index.ts exports this file).
export { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './admission-policy';

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
 * node once ready, so no other pod lands on a node whose network is not up. RBAC cannot say which node or which field,
 * so a ValidatingAdmissionPolicy admits the agent's node updates only when they change its own node (the node name
 * its pod-bound token carries) and nothing there but the removal of that taint.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export class NetworkDaemonSet extends Construct {
  /** The DaemonSet's name (`name`, else the construct id); also the ServiceAccount's. */
  public readonly name: string;
  /** The Pod Security level the agent's namespace must allow (pass it to `NamespaceBaseline`'s `podSecurity`). */
  public readonly podSecurityLevel: PodSecurityLevel;
  /** The capabilities the agent adds (Kubernetes spelling). */
  public readonly capabilities: readonly string[];
  public readonly daemonSet: kplus.DaemonSet;
  /** The agent's ServiceAccount. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The ClusterRole allowing the startup taint's removal, with `removeStartupTaint`. */
  public readonly clusterRole?: kplus.k8s.KubeClusterRole;
  /** Its binding to the ServiceAccount, with `removeStartupTaint`. */
  public readonly clusterRoleBinding?: kplus.k8s.KubeClusterRoleBinding;
  /**
   * The admission policy narrowing the role to the agent's own node and the startup taint alone, with
   * `removeStartupTaint` (see `nodePatchPolicySpec`).
   */
  public readonly nodePatchPolicy?: ValidatingAdmissionPolicy;
  /** Its binding, refusing (`Deny`) what the policy does not admit, with `removeStartupTaint`. */
  public readonly nodePatchPolicyBinding?: ValidatingAdmissionPolicyBinding;

  constructor(scope: Construct, id: string, props: NetworkDaemonSetProps) {
    guardProps(NETWORK_DAEMON_SET, id, props, NETWORK_DAEMON_SET_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    const v = validateNetworkDaemonSet(id, props, Chart.of(this).namespace, new Set<string>(Object.values(LinuxCapability)));
    this.name = v.name;
    this.capabilities = v.capabilities;
    const hostNetwork = v.hostNetwork;
    const privileged = props.privileged ?? false;
    const ports = props.ports ?? [];
    const hostPaths = props.hostPaths ?? [];
    const removeTaint = props.removeStartupTaint ?? false;
    const sysctls = Object.entries(props.sysctls ?? {});
    const podSysctls = !hostNetwork && sysctls.every(([k]) => SAFE_SYSCTLS.includes(k)) ? sysctls : [];
    const initSysctls = podSysctls.length > 0 ? [] : sysctls;
    const initStep = initSysctls.length > 0 || props.mtu !== undefined;
    const agentRoot = privileged || this.capabilities.length > 0;

    const labels = standardLabels({ name: this.name, instance: this.name, component: 'network-agent', partOf: props.partOf });
    const meta = (name: string, namespaced = true) => ({ name, namespace: namespaced ? props.namespace : undefined, labels });

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: meta(this.name), automountToken: false });

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
        annotations: { ...props.metadata?.annotations },
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
      this.nodePatchPolicy = new ValidatingAdmissionPolicy(this, 'NodePatchPolicy', {
        metadata: meta(roleName, false),
        spec: nodePatchPolicySpec(saNamespace, this.name),
      });
      this.nodePatchPolicyBinding = new ValidatingAdmissionPolicyBinding(this, 'NodePatchPolicyBinding', {
        metadata: meta(roleName, false),
        spec: { policyName: roleName, validationActions: ['Deny'] },
      });
    }

    // The level and the opt-outs are read off the rendered pod template by the checker the policy rules run.
    const template = (ApiObject.of(this.daemonSet).toJson() as { spec: { template: { spec: Record<string, unknown>; metadata?: Record<string, unknown> } } }).spec.template;
    this.podSecurityLevel = requiredPodSecurityLevel(template);
    const optOuts = agentOptOuts(template);
    if (optOuts.length > 0) this.daemonSet.metadata.addAnnotation(SECURITY_OPT_OUTS_ANNOTATION, optOuts.join(', '));
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
