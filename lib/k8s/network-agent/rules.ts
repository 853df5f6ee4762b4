import { imagePinProblem } from '../../private/images';
import * as kplus from 'cdk8s-plus-27';
import type { NetworkDaemonSetProps } from './props';
import { dnsLabelError, dnsSubdomainError, labelValueError, portNameError, qualifiedNameError } from '../../private/names';
import { checkRules, Rule as RuleOf, Violation } from '../../private/rules';
import { interfaceNameError, mtuError, sysctlNameError, sysctlValueError } from './kernel';

/** The construct name every NetworkDaemonSet message starts with. */
export const NETWORK_DAEMON_SET = 'NetworkDaemonSet';

/** What validation resolved from the props. */
export interface ValidNetworkDaemonSet {
  readonly name: string;
  /** The namespace the objects land in, if known (the prop, else the chart's). */
  readonly namespace?: string;
  readonly hostNetwork: boolean;
  /** Added capabilities, Kubernetes spelling, deduplicated, in the order given. */
  readonly capabilities: readonly string[];
  /** `maxUnavailable` as the DaemonSet spells it. */
  readonly maxUnavailable: number | string;
}

/** The facts the rules look at: the props, and what defaults and the chart resolve. */
export interface NetworkDaemonSetFacts {
  readonly props: NetworkDaemonSetProps;
  /** `name`, else the construct id. */
  readonly name: string;
  /** The `namespace` prop, else the chart's. */
  readonly namespace?: string;
  readonly hostNetwork: boolean;
  readonly privileged: boolean;
  /** The Linux capability names (without `CAP_`). */
  readonly knownCapabilities: ReadonlySet<string>;
}

type Rule = RuleOf<NetworkDaemonSetFacts>;

/** The first violation `check` finds among `items`, in their order. */
function firstOf<T>(items: Iterable<T>, check: (item: T) => Violation | undefined): Violation | undefined {
  for (const item of items) {
    const v = check(item);
    if (v) return v;
  }
  return undefined;
}

const IMAGE_FIX = 'pin a version tag such as ":1.16.5", or a digest';
const MAX_UNAVAILABLE_FIX = 'use 1, or a percentage such as "10%"';
const PROBE_FIX = 'pass readiness and liveness probes, or add a port';
/** A valid environment variable name (apimachinery `IsEnvVarName`). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function imageRule(prop: 'image' | 'initImage'): Rule {
  return (f) => {
    const image = f.props[prop];
    if (image === undefined) return undefined;
    const problem = imagePinProblem(image);
    if (problem === 'unpinned') return [prop, image, 'has no tag or digest, so nodes may run different builds', IMAGE_FIX];
    if (problem === 'latest') return [prop, image, 'uses the mutable "latest" tag, so nodes may run different builds', IMAGE_FIX];
    return undefined;
  };
}

const isPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

/** `maxUnavailable` as the DaemonSet spells it (1 when unset). */
const rawMaxUnavailable = (p: NetworkDaemonSetProps): number | string => (p.maxUnavailable === undefined ? 1 : p.maxUnavailable.value as number | string);

/** The rules, in the order they are checked; the first broken one is thrown. */
export const NETWORK_DAEMON_SET_RULES: readonly Rule[] = [
  (f) => {
    const error = dnsLabelError(f.name);
    return error ? ['name', f.name, error, 'use a DNS-1123 label such as "net-agent"'] : undefined;
  },
  (f) => {
    const error = f.props.namespace === undefined ? undefined : dnsLabelError(f.props.namespace);
    return error ? ['namespace', f.props.namespace, error, 'use a DNS-1123 label such as "network"'] : undefined;
  },
  imageRule('image'),
  imageRule('initImage'),
  (f) => firstOf(Object.entries(f.props.sysctls ?? {}), ([key, value]) => {
    const keyError = sysctlNameError(key);
    if (keyError) return ['sysctls', key, keyError, 'use the dotted name `sysctl -a` prints, e.g. "net.ipv4.ip_forward"'];
    const valueError = sysctlValueError(value);
    return valueError
      ? [`sysctls["${key}"]`, value, valueError, 'write the value as `sysctl` prints it, e.g. "1" or "4096 87380 6291456"']
      : undefined;
  }),
  (f) => {
    const error = f.props.mtu === undefined ? undefined : mtuError(f.props.mtu);
    return error ? ['mtu', f.props.mtu, error, 'use 1500, or 9000 for jumbo frames'] : undefined;
  },
  (f) => (f.props.mtu !== undefined && !f.hostNetwork
    ? ['mtu', f.props.mtu, 'would change only the pod\'s own interface without host networking', 'set hostNetwork: true, or leave mtu unset']
    : undefined),
  (f) => (f.props.mtuInterface !== undefined && f.props.mtu === undefined
    ? ['mtuInterface', f.props.mtuInterface, 'has no effect without mtu', 'set mtu, or remove mtuInterface']
    : undefined),
  (f) => {
    const error = f.props.mtuInterface === undefined ? undefined : interfaceNameError(f.props.mtuInterface);
    return error ? ['mtuInterface', f.props.mtuInterface, error, 'use the node\'s interface name, e.g. "eth0" or "ens5"'] : undefined;
  },
  (f) => firstOf(f.props.capabilities ?? [], (raw): Violation | undefined => {
    const cap = String(raw).replace(/^CAP_/, '');
    if (cap === 'ALL') {
      return f.privileged ? undefined
        : ['capabilities', raw, 'adds every capability, which is privileged mode without saying so', 'list the capabilities the agent needs, or set privileged: true'];
    }
    return f.knownCapabilities.has(cap) ? undefined
      : ['capabilities', raw, 'is not a Linux capability', 'use a name from capabilities(7) such as "NET_ADMIN" (the CAP_ prefix is optional)'];
  }),
  (f) => {
    const seen = new Set<string>();
    return firstOf(f.props.hostPaths ?? [], (h): Violation | undefined => {
      const where = `hostPaths["${h.name}"]`;
      const error = dnsLabelError(h.name);
      if (error) return [`${where}.name`, h.name, error, 'use a DNS-1123 label such as "bpf-maps"'];
      if (seen.has(h.name)) return [`${where}.name`, h.name, 'is used by two host paths', 'give each host path its own name'];
      seen.add(h.name);
      for (const [field, path] of [['path', h.path], ['mountPath', h.mountPath]] as const) {
        if (!path.startsWith('/') || path.split('/').includes('..')) {
          return [`${where}.${field}`, path, 'must be an absolute path without ".." segments', 'use e.g. "/sys/fs/bpf"'];
        }
      }
      return h.propagation === kplus.MountPropagation.BIDIRECTIONAL && !f.privileged
        ? [`${where}.propagation`, h.propagation, 'is only allowed in a privileged container, so it implies privileged mode',
          'use MountPropagation.HOST_TO_CONTAINER, or set privileged: true']
        : undefined;
    });
  },
  (f) => {
    const hostPortOwners = new Map<string, string>();
    return firstOf(f.props.ports ?? [], (p): Violation | undefined => {
      const where = `ports["${p.name}"]`;
      const error = portNameError(p.name);
      if (error) return [`${where}.name`, p.name, error, 'use an IANA service name such as "metrics"'];
      if (!isPort(p.number)) return [`${where}.number`, p.number, 'must be an integer between 1 and 65535', 'use the port the agent listens on'];
      if (f.hostNetwork && p.hostPort !== undefined && p.hostPort !== p.number) {
        return [`${where}.hostPort`, p.hostPort, `must equal the container port (${p.number}) with host networking`, 'leave hostPort unset'];
      }
      if (!f.hostNetwork && p.hostPort !== undefined && !isPort(p.hostPort)) {
        return [`${where}.hostPort`, p.hostPort, 'must be an integer between 1 and 65535', 'use a free port on the node, or leave hostPort unset'];
      }
      const hostPort = f.hostNetwork ? p.number : p.hostPort;
      if (hostPort === undefined) return undefined;
      const key = `${hostPort}/${p.protocol ?? kplus.Protocol.TCP}`;
      const owner = hostPortOwners.get(key);
      if (owner !== undefined) {
        return [`${where}.number`, p.number, `uses host port ${key}, which port "${owner}" already uses${f.hostNetwork ? ' with host networking' : ''}`,
          'give each port its own number'];
      }
      hostPortOwners.set(key, p.name);
      return undefined;
    });
  },
  (f) => ((f.props.ports ?? []).length === 0 && f.props.readiness === undefined
    ? ['readiness', undefined, 'has no default without a port', PROBE_FIX] : undefined),
  (f) => ((f.props.ports ?? []).length === 0 && f.props.liveness === undefined
    ? ['liveness', undefined, 'has no default without a port', PROBE_FIX] : undefined),
  (f) => firstOf(Object.keys(f.props.env ?? {}), (key) => (ENV_NAME.test(key) ? undefined
    : ['env', key, 'is not an environment variable name (letters, digits, "-", "_" and ".", not starting with a digit)', 'use a name such as "LOG_LEVEL"'])),
  (f) => firstOf(Object.entries(f.props.nodeSelector ?? {}), ([key, value]) => {
    const keyError = qualifiedNameError(key);
    if (keyError) return ['nodeSelector', key, keyError, 'use a label key such as "node.kubernetes.io/instance-type"'];
    const valueError = labelValueError(value);
    return valueError ? [`nodeSelector["${key}"]`, value, valueError, 'use a label value'] : undefined;
  }),
  (f) => {
    const error = f.props.priorityClassName === undefined ? undefined : dnsSubdomainError(f.props.priorityClassName);
    return error ? ['priorityClassName', f.props.priorityClassName, error, 'use "system-node-critical" or the name of a PriorityClass'] : undefined;
  },
  (f) => (f.props.maxUnavailable?.isZero()
    ? ['maxUnavailable', rawMaxUnavailable(f.props), 'would stop the rolling update from ever replacing a pod', MAX_UNAVAILABLE_FIX]
    : undefined),
  (f) => {
    const raw = rawMaxUnavailable(f.props);
    const ok = typeof raw === 'number'
      ? Number.isInteger(raw) && raw > 0
      : /^\d+%$/.test(raw) && Number(raw.slice(0, -1)) >= 1 && Number(raw.slice(0, -1)) <= 100;
    return ok ? undefined : ['maxUnavailable', raw, 'must be a positive integer or a percentage between 1% and 100%', MAX_UNAVAILABLE_FIX];
  },
  (f) => (f.props.resources !== undefined && f.props.resources.memory?.limit === undefined
    ? ['resources.memory.limit', undefined, 'must be set, since memory is always limited', 'add memory: { request, limit }']
    : undefined),
  (f) => ((f.props.removeStartupTaint ?? false) && f.namespace === undefined
    ? ['namespace', undefined, 'must be known when removeStartupTaint is true, because the ClusterRoleBinding names the ServiceAccount\'s namespace',
      'set namespace, or give the chart a namespace']
    : undefined),
];

/**
 * Checks every rule of `NetworkDaemonSet` and throws the first violation, naming the prop, the value, the rule and
 * the fix; then resolves what the construct needs. `knownCapabilities` are the Linux capability names (without `CAP_`).
 */
export function validateNetworkDaemonSet(
  id: string, props: NetworkDaemonSetProps, chartNamespace: string | undefined, knownCapabilities: ReadonlySet<string>,
): ValidNetworkDaemonSet {
  const facts: NetworkDaemonSetFacts = {
    props,
    name: props.name ?? id,
    namespace: props.namespace ?? chartNamespace,
    hostNetwork: props.hostNetwork ?? true,
    privileged: props.privileged ?? false,
    knownCapabilities,
  };
  checkRules(NETWORK_DAEMON_SET, id, NETWORK_DAEMON_SET_RULES, facts);
  const capabilities = [...new Set((props.capabilities ?? []).map((raw) => String(raw).replace(/^CAP_/, '')))];
  return { name: facts.name, namespace: facts.namespace, hostNetwork: facts.hostNetwork, capabilities, maxUnavailable: rawMaxUnavailable(props) };
}
