import { PodSecurityLevel } from '../../../lib/policy/pod-security-level';
import { LinuxCapability, NetworkDaemonSet, NetworkDaemonSetProps } from '../../../lib/k8s/network-agent';
import { BASELINE_CAPABILITIES, checkPodSecurity, SAFE_SYSCTLS } from '../../../lib/policy/pod-security';
import { KubeObject } from '../../../lib/policy/objects';
import { field, findObject, synth, testChart } from '../../util';

type Json = Record<string, unknown>;

const IMAGE = 'ghcr.io/acme/net-agent:1.4.2';
const level = (props: Partial<NetworkDaemonSetProps>) => {
  const chart = testChart();
  const agent = new NetworkDaemonSet(chart, 'net-agent', { image: IMAGE, ports: [{ name: 'health', number: 9879 }], ...props });
  const objects: KubeObject[] = synth(chart);
  const template = field(findObject(objects, 'DaemonSet', 'net-agent'), 'spec.template') as { spec: Json; metadata: Json };
  const reported = agent.podSecurityLevel;
  // Admitted: the checker the policy rules run finds nothing at the reported level.
  return { reported, findings: checkPodSecurity(template, reported).map((f) => f.check) };
};

describe('NetworkDaemonSet.podSecurityLevel', () => {
  test.each<[string, Partial<NetworkDaemonSetProps>]>([
    ['no host networking, no capabilities', { hostNetwork: false }],
    ['no host networking, only safe sysctls (in the pod securityContext)', { hostNetwork: false, sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.tcp_keepalive_time': '600' } }],
    ['no host networking, an API token for taint removal (projected volumes are allowed)', { hostNetwork: false, namespace: 'network', removeStartupTaint: true }],
  ])('restricted: %s', (_, props) => {
    expect(level(props)).toEqual({ reported: PodSecurityLevel.RESTRICTED, findings: [] });
  });

  test.each<[string, Partial<NetworkDaemonSetProps>]>([
    ['a baseline capability (the agent runs as root to use it)', { hostNetwork: false, capabilities: [LinuxCapability.CHOWN, LinuxCapability.KILL] }],
    ['NET_BIND_SERVICE alone (as root)', { hostNetwork: false, capabilities: ['CAP_NET_BIND_SERVICE'] }],
  ])('baseline: %s', (_, props) => {
    expect(level(props)).toEqual({ reported: PodSecurityLevel.BASELINE, findings: [] });
  });

  test.each<[string, Partial<NetworkDaemonSetProps>]>([
    ['host networking (the default)', {}],
    ['NET_ADMIN without host networking', { hostNetwork: false, capabilities: [LinuxCapability.NET_ADMIN] }],
    ['privileged without host networking', { hostNetwork: false, privileged: true }],
    ['a hostPath volume', { hostNetwork: false, hostPaths: [{ name: 'bpf-maps', path: '/sys/fs/bpf', mountPath: '/sys/fs/bpf' }] }],
    ['a host port', { hostNetwork: false, ports: [{ name: 'health', number: 9879, hostPort: 9879 }] }],
    ['an unsafe sysctl (a privileged init step)', { hostNetwork: false, sysctls: { 'vm.max_map_count': '262144' } }],
    ['a safe sysctl mixed with an unsafe one', { hostNetwork: false, sysctls: { 'net.ipv4.tcp_syncookies': '1', 'net.core.somaxconn': '4096' } }],
    ['the seed\'s settings', { sysctls: { 'net.ipv4.tcp_congestion_control': 'bbr', 'net.ipv4.ip_forward': '1' }, mtu: 9000, capabilities: [LinuxCapability.NET_ADMIN] }],
  ])('privileged: %s', (_, props) => {
    expect(level(props)).toEqual({ reported: PodSecurityLevel.PRIVILEGED, findings: [] });
  });
});

describe('the Pod Security lists', () => {
  test('the tables match the Pod Security Standards lists', () => {
    expect([...BASELINE_CAPABILITIES].sort()).toEqual([
      'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
    ]);
    expect(SAFE_SYSCTLS.length).toBe(12); // the Kubernetes 1.32+ set, tcp_rmem and tcp_wmem included
    expect(SAFE_SYSCTLS.includes('net.ipv4.ip_forward')).toBe(false);
  });

  test('the capability enum holds all 41 Linux capabilities, spelled without CAP_', () => {
    const names = Object.values(LinuxCapability);
    expect(names).toHaveLength(41);
    expect(names.every((n) => /^[A-Z_]+$/.test(n) && !n.startsWith('CAP_'))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['NET_ADMIN', 'NET_RAW', 'BPF', 'PERFMON', 'CHECKPOINT_RESTORE', 'SYS_ADMIN']));
  });
});
