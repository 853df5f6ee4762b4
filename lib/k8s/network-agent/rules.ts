import { imagePinProblem } from '../../private/images';
import * as kplus from 'cdk8s-plus-27';
import type { NetworkDaemonSetProps } from './props';
import { propError } from '../../private/errors';
import { dnsLabelError, dnsSubdomainError, labelValueError, portNameError, qualifiedNameError } from '../../private/names';
import { interfaceNameError, mtuError, sysctlNameError, sysctlValueError } from './kernel';

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

const C = 'NetworkDaemonSet';

/**
 * Checks every rule of `NetworkDaemonSet` and throws the first violation, naming the prop, the value, the rule and
 * the fix. `knownCapabilities` are the Linux capability names (without `CAP_`).
 */
export function validateNetworkDaemonSet(
  id: string, props: NetworkDaemonSetProps, chartNamespace: string | undefined, knownCapabilities: ReadonlySet<string>,
): ValidNetworkDaemonSet {
  const fail = (prop: string, value: unknown, rule: string, fix: string): never => {
    throw propError(C, id, prop, value, rule, fix);
  };
  const name = props.name ?? id;
  const nameError = dnsLabelError(name);
  if (nameError) fail('name', name, nameError, 'use a DNS-1123 label such as "net-agent"');
  if (props.namespace !== undefined) {
    const nsError = dnsLabelError(props.namespace);
    if (nsError) fail('namespace', props.namespace, nsError, 'use a DNS-1123 label such as "network"');
  }
  checkImage('image', props.image, fail);
  if (props.initImage !== undefined) checkImage('initImage', props.initImage, fail);
  const hostNetwork = props.hostNetwork ?? true;
  const privileged = props.privileged ?? false;

  for (const [key, value] of Object.entries(props.sysctls ?? {})) {
    const keyError = sysctlNameError(key);
    if (keyError) fail('sysctls', key, keyError, 'use the dotted name `sysctl -a` prints, e.g. "net.ipv4.ip_forward"');
    const valueError = sysctlValueError(value);
    if (valueError) fail(`sysctls["${key}"]`, value, valueError, 'write the value as `sysctl` prints it, e.g. "1" or "4096 87380 6291456"');
  }
  if (props.mtu !== undefined) {
    const error = mtuError(props.mtu);
    if (error) fail('mtu', props.mtu, error, 'use 1500, or 9000 for jumbo frames');
    if (!hostNetwork) fail('mtu', props.mtu, 'would change only the pod\'s own interface without host networking', 'set hostNetwork: true, or leave mtu unset');
  }
  if (props.mtuInterface !== undefined) {
    if (props.mtu === undefined) fail('mtuInterface', props.mtuInterface, 'has no effect without mtu', 'set mtu, or remove mtuInterface');
    const error = interfaceNameError(props.mtuInterface);
    if (error) fail('mtuInterface', props.mtuInterface, error, 'use the node\'s interface name, e.g. "eth0" or "ens5"');
  }

  const capabilities: string[] = [];
  for (const raw of props.capabilities ?? []) {
    const cap = String(raw).replace(/^CAP_/, '');
    if (cap === 'ALL') {
      if (!privileged) {
        fail('capabilities', raw, 'adds every capability, which is privileged mode without saying so', 'list the capabilities the agent needs, or set privileged: true');
      }
    } else if (!knownCapabilities.has(cap)) {
      fail('capabilities', raw, 'is not a Linux capability', 'use a name from capabilities(7) such as "NET_ADMIN" (the CAP_ prefix is optional)');
    }
    if (!capabilities.includes(cap)) capabilities.push(cap);
  }

  const volumeNames = new Set<string>();
  for (const h of props.hostPaths ?? []) {
    const where = `hostPaths["${h.name}"]`;
    const error = dnsLabelError(h.name);
    if (error) fail(`${where}.name`, h.name, error, 'use a DNS-1123 label such as "bpf-maps"');
    if (volumeNames.has(h.name)) fail(`${where}.name`, h.name, 'is used by two host paths', 'give each host path its own name');
    volumeNames.add(h.name);
    for (const [field, path] of [['path', h.path], ['mountPath', h.mountPath]] as const) {
      if (!path.startsWith('/') || path.split('/').includes('..')) {
        fail(`${where}.${field}`, path, 'must be an absolute path without ".." segments', 'use e.g. "/sys/fs/bpf"');
      }
    }
    if (h.propagation === kplus.MountPropagation.BIDIRECTIONAL && !privileged) {
      fail(`${where}.propagation`, h.propagation, 'is only allowed in a privileged container, so it implies privileged mode',
        'use MountPropagation.HOST_TO_CONTAINER, or set privileged: true');
    }
  }

  const ports = props.ports ?? [];
  const hostPortOwners = new Map<string, string>();
  for (const p of ports) {
    const where = `ports["${p.name}"]`;
    const error = portNameError(p.name);
    if (error) fail(`${where}.name`, p.name, error, 'use an IANA service name such as "metrics"');
    if (!Number.isInteger(p.number) || p.number < 1 || p.number > 65535) {
      fail(`${where}.number`, p.number, 'must be an integer between 1 and 65535', 'use the port the agent listens on');
    }
    if (hostNetwork && p.hostPort !== undefined && p.hostPort !== p.number) {
      fail(`${where}.hostPort`, p.hostPort, `must equal the container port (${p.number}) with host networking`, 'leave hostPort unset');
    }
    if (!hostNetwork && p.hostPort !== undefined && (!Number.isInteger(p.hostPort) || p.hostPort < 1 || p.hostPort > 65535)) {
      fail(`${where}.hostPort`, p.hostPort, 'must be an integer between 1 and 65535', 'use a free port on the node, or leave hostPort unset');
    }
    const hostPort = hostNetwork ? p.number : p.hostPort;
    if (hostPort === undefined) continue;
    const key = `${hostPort}/${p.protocol ?? kplus.Protocol.TCP}`;
    const owner = hostPortOwners.get(key);
    if (owner !== undefined) {
      fail(`${where}.number`, p.number, `uses host port ${key}, which port "${owner}" already uses${hostNetwork ? ' with host networking' : ''}`,
        'give each port its own number');
    }
    hostPortOwners.set(key, p.name);
  }
  if (ports.length === 0) {
    if (props.readiness === undefined) fail('readiness', undefined, 'has no default without a port', 'pass readiness and liveness probes, or add a port');
    if (props.liveness === undefined) fail('liveness', undefined, 'has no default without a port', 'pass readiness and liveness probes, or add a port');
  }

  for (const [key, value] of Object.entries(props.nodeSelector ?? {})) {
    const keyError = qualifiedNameError(key);
    if (keyError) fail('nodeSelector', key, keyError, 'use a label key such as "node.kubernetes.io/instance-type"');
    const valueError = labelValueError(value);
    if (valueError) fail(`nodeSelector["${key}"]`, value, valueError, 'use a label value');
  }
  if (props.priorityClassName !== undefined) {
    const error = dnsSubdomainError(props.priorityClassName);
    if (error) fail('priorityClassName', props.priorityClassName, error, 'use "system-node-critical" or the name of a PriorityClass');
  }
  const maxUnavailable = checkMaxUnavailable(props.maxUnavailable, fail);
  if (props.resources !== undefined && props.resources.memory?.limit === undefined) {
    fail('resources.memory.limit', undefined, 'must be set, since memory is always limited', 'add memory: { request, limit }');
  }
  const namespace = props.namespace ?? chartNamespace;
  if ((props.removeStartupTaint ?? false) && namespace === undefined) {
    fail('namespace', undefined, 'must be known when removeStartupTaint is true, because the ClusterRoleBinding names the ServiceAccount\'s namespace',
      'set namespace, or give the chart a namespace');
  }
  return { name, namespace, hostNetwork, capabilities, maxUnavailable };
}

type Fail = (prop: string, value: unknown, rule: string, fix: string) => never;

function checkImage(prop: string, image: string, fail: Fail): void {
  const problem = imagePinProblem(image);
  const fix = 'pin a version tag such as ":1.16.5", or a digest';
  if (problem === 'unpinned') fail(prop, image, 'has no tag or digest, so nodes may run different builds', fix);
  if (problem === 'latest') fail(prop, image, 'uses the mutable "latest" tag, so nodes may run different builds', fix);
}

function checkMaxUnavailable(value: kplus.PercentOrAbsolute | undefined, fail: Fail): number | string {
  if (value === undefined) return 1;
  const raw = value.value as number | string;
  const fix = 'use 1, or a percentage such as "10%"';
  if (value.isZero()) fail('maxUnavailable', raw, 'would stop the rolling update from ever replacing a pod', fix);
  const ok = typeof raw === 'number'
    ? Number.isInteger(raw) && raw > 0
    : /^\d+%$/.test(raw) && Number(raw.slice(0, -1)) >= 1 && Number(raw.slice(0, -1)) <= 100;
  if (!ok) fail('maxUnavailable', raw, 'must be a positive integer or a percentage between 1% and 100%', fix);
  return raw;
}
