import * as kplus from 'cdk8s-plus-27';
import { NetworkDaemonSet, NetworkDaemonSetProps } from '../../../lib/k8s/network-agent';
import { testChart } from '../../util';
import { NETWORK_DAEMON_SET, NETWORK_DAEMON_SET_RULES, validateNetworkDaemonSet } from '../../../lib/k8s/network-agent';
import { firstViolation } from '../../../lib/private/rules';

const KNOWN = new Set(['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'BPF', 'NET_BIND_SERVICE']);
const IMAGE = 'quay.io/cilium/cilium:v1.16.5';
const P = 'NetworkDaemonSet \'agent\': ';

/** Props that pass every rule, with `overrides` applied. */
function props(overrides: Partial<NetworkDaemonSetProps> = {}): NetworkDaemonSetProps {
  return { image: IMAGE, ports: [{ name: 'health', number: 9876 }], ...overrides };
}

const validate = (overrides: Partial<NetworkDaemonSetProps>, chartNamespace?: string) =>
  () => validateNetworkDaemonSet('agent', props(overrides), chartNamespace, KNOWN);
const probe = kplus.Probe.fromCommand(['cilium', 'status']);

describe('resolved values', () => {
  test('defaults: name is the id, no namespace, host networking, no capabilities, maxUnavailable 1', () => {
    expect(validateNetworkDaemonSet('agent', props(), undefined, KNOWN)).toEqual({
      name: 'agent', namespace: undefined, hostNetwork: true, capabilities: [], maxUnavailable: 1,
    });
  });

  test('the chart namespace is used when the prop is unset; the prop wins', () => {
    expect(validateNetworkDaemonSet('agent', props(), 'kube-system', KNOWN).namespace).toBe('kube-system');
    expect(validateNetworkDaemonSet('agent', props({ namespace: 'network' }), 'kube-system', KNOWN).namespace).toBe('network');
  });

  test('overrides: name, hostNetwork, maxUnavailable', () => {
    const v = validateNetworkDaemonSet('agent', props({ name: 'cni', hostNetwork: false, maxUnavailable: kplus.PercentOrAbsolute.percent(10) }), undefined, KNOWN);
    expect(v).toEqual(expect.objectContaining({ name: 'cni', hostNetwork: false, maxUnavailable: '10%' }));
  });

  test('capabilities drop the CAP_ prefix, are deduplicated and keep their order', () => {
    const v = validateNetworkDaemonSet('agent', props({ capabilities: ['CAP_NET_RAW', 'NET_ADMIN', 'NET_RAW', 'CAP_NET_ADMIN'] }), undefined, KNOWN);
    expect(v.capabilities).toEqual(['NET_RAW', 'NET_ADMIN']);
  });

  test('ALL is accepted in privileged mode and kept', () => {
    const v = validateNetworkDaemonSet('agent', props({ privileged: true, capabilities: ['ALL'] }), undefined, KNOWN);
    expect(v.capabilities).toEqual(['ALL']);
  });
});

describe('name and namespace', () => {
  const rule = 'must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit';

  test('the id is validated when no name is given', () => {
    expect(() => validateNetworkDaemonSet('Agent', props(), undefined, KNOWN)).toThrow(
      `NetworkDaemonSet 'Agent': name ("Agent") ${rule}; use a DNS-1123 label such as "net-agent"`);
  });

  test('a bad name is refused', () => {
    expect(validate({ name: 'net_agent' })).toThrow(`${P}name ("net_agent") ${rule}; use a DNS-1123 label such as "net-agent"`);
  });

  test('a bad namespace is refused', () => {
    expect(validate({ namespace: 'Kube-System' })).toThrow(`${P}namespace ("Kube-System") ${rule}; use a DNS-1123 label such as "network"`);
  });
});

describe('images', () => {
  const fix = 'pin a version tag such as ":1.16.5", or a digest';

  test.each([IMAGE, 'cilium:1.16', `quay.io/cilium/cilium@sha256:${'a'.repeat(64)}`, 'registry.example.com:5000/cilium:1.16.5'])('accepts %s', (image) => {
    expect(validate({ image })).not.toThrow();
  });

  test.each(['quay.io/cilium/cilium', 'registry.example.com:5000/cilium'])('refuses untagged %s', (image) => {
    expect(validate({ image })).toThrow(`${P}image ("${image}") has no tag or digest, so nodes may run different builds; ${fix}`);
  });

  test('refuses latest', () => {
    expect(validate({ image: 'cilium/cilium:latest' })).toThrow(`${P}image ("cilium/cilium:latest") uses the mutable "latest" tag, so nodes may run different builds; ${fix}`);
  });

  test('checks initImage too', () => {
    expect(validate({ initImage: 'busybox' })).toThrow(`${P}initImage ("busybox") has no tag or digest, so nodes may run different builds; ${fix}`);
    expect(validate({ initImage: 'busybox:1.36' })).not.toThrow();
  });
});

describe('kernel tuning', () => {
  test('accepts valid sysctls', () => {
    expect(validate({ sysctls: { 'net.ipv4.ip_forward': '1', 'net.ipv4.tcp_rmem': '4096 87380 6291456' } })).not.toThrow();
  });

  test('refuses a bad sysctl name', () => {
    expect(validate({ sysctls: { 'ip_forward': '1' } })).toThrow(
      `${P}sysctls ("ip_forward") is not a valid kernel parameter path (dot-separated segments of lowercase letters, digits, '_' or '-', under kernel, net, vm, fs, user, dev, abi, debug); use the dotted name \`sysctl -a\` prints, e.g. "net.ipv4.ip_forward"`);
  });

  test('refuses a bad sysctl value', () => {
    expect(validate({ sysctls: { 'net.ipv4.ip_forward': '1\'; reboot' } })).toThrow(
      `${P}sysctls["net.ipv4.ip_forward"] ("1'; reboot") must be non-empty and consist of letters, digits, spaces and . _ , : / + -; write the value as \`sysctl\` prints it, e.g. "1" or "4096 87380 6291456"`);
  });

  test('refuses an MTU out of bounds', () => {
    expect(validate({ mtu: 575 })).toThrow(`${P}mtu (575) must be an integer between 576 and 9216; use 1500, or 9000 for jumbo frames`);
    expect(validate({ mtu: 9217 })).toThrow(`${P}mtu (9217) must be an integer between 576 and 9216`);
    expect(validate({ mtu: 576 })).not.toThrow();
    expect(validate({ mtu: 9216 })).not.toThrow();
  });

  test('refuses an MTU without host networking', () => {
    expect(validate({ mtu: 1500, hostNetwork: false })).toThrow(
      `${P}mtu (1500) would change only the pod's own interface without host networking; set hostNetwork: true, or leave mtu unset`);
  });

  test('refuses mtuInterface without mtu', () => {
    expect(validate({ mtuInterface: 'eth0' })).toThrow(`${P}mtuInterface ("eth0") has no effect without mtu; set mtu, or remove mtuInterface`);
  });

  test('refuses a bad interface name', () => {
    expect(validate({ mtu: 9000, mtuInterface: 'eth0:1' })).toThrow(
      `${P}mtuInterface ("eth0:1") must be 1 to 15 letters, digits, '_', '.' or '-' (a Linux interface name); use the node's interface name, e.g. "eth0" or "ens5"`);
    expect(validate({ mtu: 9000, mtuInterface: 'ens5' })).not.toThrow();
  });
});

describe('capabilities', () => {
  test('ALL without privileged is refused', () => {
    expect(validate({ capabilities: ['ALL'] })).toThrow(
      `${P}capabilities ("ALL") adds every capability, which is privileged mode without saying so; list the capabilities the agent needs, or set privileged: true`);
  });

  test('an unknown capability is refused, shown as given', () => {
    expect(validate({ capabilities: ['CAP_NET_FOO' as never] })).toThrow(
      `${P}capabilities ("CAP_NET_FOO") is not a Linux capability; use a name from capabilities(7) such as "NET_ADMIN" (the CAP_ prefix is optional)`);
  });

  test('only the set passed in is known', () => {
    expect(() => validateNetworkDaemonSet('agent', props({ capabilities: ['BPF'] }), undefined, new Set(['NET_ADMIN']))).toThrow(`${P}capabilities ("BPF") is not a Linux capability`);
  });
});

describe('host paths', () => {
  const bpf = { name: 'bpf-maps', path: '/sys/fs/bpf', mountPath: '/sys/fs/bpf' };

  test('accepts a valid host path', () => {
    expect(validate({ hostPaths: [bpf, { ...bpf, name: 'cni', path: '/etc/cni/net.d', mountPath: '/host/etc/cni/net.d' }] })).not.toThrow();
  });

  test('refuses a bad name', () => {
    expect(validate({ hostPaths: [{ ...bpf, name: 'BPF' }] })).toThrow(
      `${P}hostPaths["BPF"].name ("BPF") must consist of lowercase letters, digits and '-', and start and end with a letter or digit; use a DNS-1123 label such as "bpf-maps"`);
  });

  test('refuses a name used twice', () => {
    expect(validate({ hostPaths: [bpf, { ...bpf, path: '/run' }] })).toThrow(`${P}hostPaths["bpf-maps"].name ("bpf-maps") is used by two host paths; give each host path its own name`);
  });

  test.each([
    [{ path: 'sys/fs/bpf' }, 'path ("sys/fs/bpf")'],
    [{ path: '/sys/../etc' }, 'path ("/sys/../etc")'],
    [{ mountPath: 'bpf' }, 'mountPath ("bpf")'],
    [{ mountPath: '/host/..' }, 'mountPath ("/host/..")'],
  ])('refuses %j', (change, shown) => {
    expect(validate({ hostPaths: [{ ...bpf, ...change }] })).toThrow(`${P}hostPaths["bpf-maps"].${shown} must be an absolute path without ".." segments; use e.g. "/sys/fs/bpf"`);
  });

  test('bidirectional propagation needs privileged mode', () => {
    expect(validate({ hostPaths: [{ ...bpf, propagation: kplus.MountPropagation.BIDIRECTIONAL }] })).toThrow(
      `${P}hostPaths["bpf-maps"].propagation ("Bidirectional") is only allowed in a privileged container, so it implies privileged mode; use MountPropagation.HOST_TO_CONTAINER, or set privileged: true`);
    expect(validate({ privileged: true, hostPaths: [{ ...bpf, propagation: kplus.MountPropagation.BIDIRECTIONAL }] })).not.toThrow();
    expect(validate({ hostPaths: [{ ...bpf, propagation: kplus.MountPropagation.HOST_TO_CONTAINER }] })).not.toThrow();
  });
});

describe('ports', () => {
  test('refuses a bad port name', () => {
    expect(validate({ ports: [{ name: 'health-check-port', number: 9876 }] })).toThrow(
      `${P}ports["health-check-port"].name ("health-check-port") must be at most 15 characters (got 17); use an IANA service name such as "metrics"`);
  });

  test.each([0, 65536, 80.5])('refuses port number %p', (number) => {
    expect(validate({ ports: [{ name: 'health', number }] })).toThrow(`${P}ports["health"].number (${number}) must be an integer between 1 and 65535; use the port the agent listens on`);
  });

  test('with host networking hostPort must equal the port', () => {
    expect(validate({ ports: [{ name: 'health', number: 9876, hostPort: 19876 }] })).toThrow(
      `${P}ports["health"].hostPort (19876) must equal the container port (9876) with host networking; leave hostPort unset`);
    expect(validate({ ports: [{ name: 'health', number: 9876, hostPort: 9876 }] })).not.toThrow();
  });

  test('with host networking two ports cannot share a number and protocol', () => {
    expect(validate({ ports: [{ name: 'health', number: 9876 }, { name: 'metrics', number: 9876 }] })).toThrow(
      `${P}ports["metrics"].number (9876) uses host port 9876/TCP, which port "health" already uses with host networking; give each port its own number`);
  });

  test('the same number with another protocol is fine', () => {
    expect(validate({ ports: [{ name: 'dns-tcp', number: 53 }, { name: 'dns-udp', number: 53, protocol: kplus.Protocol.UDP }] })).not.toThrow();
  });

  test('without host networking only explicit host ports clash', () => {
    expect(validate({ hostNetwork: false, ports: [{ name: 'a', number: 80 }, { name: 'b', number: 80 }] })).not.toThrow();
    expect(validate({ hostNetwork: false, ports: [{ name: 'a', number: 80, hostPort: 8080 }, { name: 'b', number: 81, hostPort: 8080 }] })).toThrow(
      `${P}ports["b"].number (81) uses host port 8080/TCP, which port "a" already uses; give each port its own number`);
  });

  test('without ports, readiness and liveness are required', () => {
    expect(validate({ ports: [] })).toThrow(`${P}readiness (undefined) has no default without a port; pass readiness and liveness probes, or add a port`);
    expect(validate({ ports: undefined, readiness: probe })).toThrow(`${P}liveness (undefined) has no default without a port; pass readiness and liveness probes, or add a port`);
    expect(validate({ ports: [], readiness: probe, liveness: probe })).not.toThrow();
  });
});

describe('scheduling', () => {
  test('accepts a valid node selector', () => {
    expect(validate({ nodeSelector: { 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': '' } })).not.toThrow();
  });

  test('refuses a bad node selector key', () => {
    expect(validate({ nodeSelector: { 'a/b/c': 'x' } })).toThrow(`${P}nodeSelector ("a/b/c") may contain at most one '/'; use a label key such as "node.kubernetes.io/instance-type"`);
  });

  test('refuses a bad node selector value', () => {
    expect(validate({ nodeSelector: { 'kubernetes.io/os': 'linux os' } })).toThrow(
      `${P}nodeSelector["kubernetes.io/os"] ("linux os") must be empty or consist of alphanumerics, '-', '_' or '.', and start and end with an alphanumeric; use a label value`);
  });

  test('refuses a bad priorityClassName', () => {
    expect(validate({ priorityClassName: 'System_Node_Critical' })).toThrow(
      `${P}priorityClassName ("System_Node_Critical") must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit; use "system-node-critical" or the name of a PriorityClass`);
    expect(validate({ priorityClassName: 'system-node-critical' })).not.toThrow();
  });
});

describe('maxUnavailable', () => {
  const fix = 'use 1, or a percentage such as "10%"';

  test.each([
    [kplus.PercentOrAbsolute.absolute(0), '0'],
    [kplus.PercentOrAbsolute.percent(0), '"0%"'],
  ])('refuses zero (%s)', (maxUnavailable, shown) => {
    expect(validate({ maxUnavailable })).toThrow(`${P}maxUnavailable (${shown}) would stop the rolling update from ever replacing a pod; ${fix}`);
  });

  test.each([
    [kplus.PercentOrAbsolute.absolute(1.5), '1.5'],
    [kplus.PercentOrAbsolute.absolute(-1), '-1'],
    [kplus.PercentOrAbsolute.percent(101), '"101%"'],
    [kplus.PercentOrAbsolute.percent(2.5), '"2.5%"'],
  ])('refuses %s', (maxUnavailable, shown) => {
    expect(validate({ maxUnavailable })).toThrow(`${P}maxUnavailable (${shown}) must be a positive integer or a percentage between 1% and 100%; ${fix}`);
  });

  test.each([
    [kplus.PercentOrAbsolute.absolute(3), 3],
    [kplus.PercentOrAbsolute.percent(1), '1%'],
    [kplus.PercentOrAbsolute.percent(100), '100%'],
  ])('accepts %s', (maxUnavailable, expected) => {
    expect(validateNetworkDaemonSet('agent', props({ maxUnavailable }), undefined, KNOWN).maxUnavailable).toBe(expected);
  });
});

describe('resources and startup taint', () => {
  test('resources without a memory limit are refused', () => {
    expect(validate({ resources: { cpu: { request: kplus.Cpu.millis(100) } } })).toThrow(
      `${P}resources.memory.limit (undefined) must be set, since memory is always limited; add memory: { request, limit }`);
  });

  test('removeStartupTaint needs a namespace', () => {
    expect(validate({ removeStartupTaint: true })).toThrow(
      `${P}namespace (undefined) must be known when removeStartupTaint is true, because the ClusterRoleBinding names the ServiceAccount's namespace; set namespace, or give the chart a namespace`);
    expect(validate({ removeStartupTaint: true }, 'kube-system')).not.toThrow();
    expect(validate({ removeStartupTaint: true, namespace: 'network' })).not.toThrow();
  });
});

describe('host ports without host networking', () => {
  test('a hostPort outside 1–65535 is refused', () => {
    expect(() => new NetworkDaemonSet(testChart(), 'agent', { image: 'ghcr.io/acme/agent:1.0.0', hostNetwork: false, ports: [{ name: 'health', number: 9879, hostPort: 70000 }] })).toThrow(
      'NetworkDaemonSet \'agent\': ports["health"].hostPort (70000) must be an integer between 1 and 65535; use a free port on the node, or leave hostPort unset');
  });
});

describe('environment', () => {
  test('variable names Kubernetes accepts pass; others are refused', () => {
    expect(validate({ env: { LOG_LEVEL: 'info', 'a.b-c': '1', _X: '' } })).not.toThrow();
    expect(validate({ env: { 'MY VAR': '1' } })).toThrow(
      `${P}env ("MY VAR") is not an environment variable name (letters, digits, "-", "_" and ".", not starting with a digit); use a name such as "LOG_LEVEL"`);
  });
});

describe('the rule table alone', () => {
  const facts = (overrides: Partial<NetworkDaemonSetProps> = {}) => ({
    props: props(overrides), name: 'agent', namespace: undefined, hostNetwork: true, privileged: false, knownCapabilities: KNOWN,
  });

  test('valid facts break no rule', () => {
    expect(firstViolation(NETWORK_DAEMON_SET_RULES, facts())).toBeUndefined();
  });

  test('a broken rule answers the prop, the value, the rule and the fix', () => {
    expect(firstViolation(NETWORK_DAEMON_SET_RULES, facts({ mtu: 9000 }))).toBeUndefined();
    expect(firstViolation(NETWORK_DAEMON_SET_RULES, { ...facts({ mtu: 9000 }), hostNetwork: false })).toEqual(
      ['mtu', 9000, 'would change only the pod\'s own interface without host networking', 'set hostNetwork: true, or leave mtu unset']);
  });

  test('the construct name is one constant', () => {
    expect(NETWORK_DAEMON_SET).toBe('NetworkDaemonSet');
  });
});
