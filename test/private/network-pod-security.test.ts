import { PodSecurityLevel } from '../../lib/k8s/namespace-baseline/namespace-baseline';
import { LinuxCapability, NetworkDaemonSet, NetworkDaemonSetProps } from '../../lib/k8s/network-agent/network-daemon-set';
import { BASELINE_CAPABILITIES, podSecurityLevelOf, PodSecurityFacts, SAFE_SYSCTLS } from '../../lib/private/network-pod-security';
import { KubeObject } from '../../lib/policy/objects';
import { field, findObject, synth, testChart } from '../util';

type Json = Record<string, unknown>;

/**
 * An independent reading of the Pod Security Standards (kubernetes `pod-security-admission` checks, as summarised in
 * the project's reference notes), applied to the synthesized pod spec rather than to the construct's props: the
 * level the construct reports must be the least permissive level that admits what it emits.
 */
function admittedLevel(spec: Json): PodSecurityLevel {
  const containers = [...((spec.initContainers ?? []) as Json[]), ...((spec.containers ?? []) as Json[])];
  const podSc = (spec.securityContext ?? {}) as Json;
  const baselineCaps = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
  const safeSysctls = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
    'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_keepalive_intvl',
    'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_fin_timeout'];
  const added = (c: Json) => ((field(c, 'securityContext.capabilities.add') ?? []) as string[]);
  const baselineViolated = spec.hostNetwork === true || spec.hostPID === true || spec.hostIPC === true
    || containers.some((c) => field(c, 'securityContext.privileged') === true)
    || ((spec.volumes ?? []) as Json[]).some((v) => v.hostPath !== undefined)
    || containers.some((c) => ((c.ports ?? []) as Json[]).some((p) => (p.hostPort ?? 0) !== 0))
    || containers.some((c) => added(c).some((cap) => !baselineCaps.includes(cap)))
    || ((podSc.sysctls ?? []) as Json[]).some((s) => !safeSysctls.includes(String(s.name)))
    || [podSc, ...containers.map((c) => (c.securityContext ?? {}) as Json)].some((sc) => field(sc, 'seccompProfile.type') === 'Unconfined');
  if (baselineViolated) return PodSecurityLevel.PRIVILEGED;
  const allowedVolumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
  const restrictedViolated = containers.some((c) => field(c, 'securityContext.allowPrivilegeEscalation') !== false)
    || containers.some((c) => (field(c, 'securityContext.runAsNonRoot') ?? podSc.runAsNonRoot) !== true)
    || containers.some((c) => (field(c, 'securityContext.runAsUser') ?? podSc.runAsUser) === 0)
    || !['RuntimeDefault', 'Localhost'].includes(String(field(podSc, 'seccompProfile.type')))
    || containers.some((c) => !((field(c, 'securityContext.capabilities.drop') ?? []) as string[]).includes('ALL'))
    || containers.some((c) => added(c).some((cap) => cap !== 'NET_BIND_SERVICE'))
    || ((spec.volumes ?? []) as Json[]).some((v) => !Object.keys(v).some((k) => allowedVolumes.includes(k)));
  return restrictedViolated ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED;
}

const IMAGE = 'ghcr.io/acme/net-agent:1.4.2';
const level = (props: Partial<NetworkDaemonSetProps>) => {
  const chart = testChart();
  const agent = new NetworkDaemonSet(chart, 'net-agent', { image: IMAGE, ports: [{ name: 'health', number: 9879 }], ...props });
  const objects: KubeObject[] = synth(chart);
  return { reported: agent.podSecurityLevel, admitted: admittedLevel(field(findObject(objects, 'DaemonSet', 'net-agent'), 'spec.template.spec') as Json) };
};

describe('NetworkDaemonSet.podSecurityLevel', () => {
  test.each<[string, Partial<NetworkDaemonSetProps>]>([
    ['no host networking, no capabilities', { hostNetwork: false }],
    ['no host networking, only safe sysctls (in the pod securityContext)', { hostNetwork: false, sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.tcp_keepalive_time': '600' } }],
    ['no host networking, an API token for taint removal (projected volumes are allowed)', { hostNetwork: false, namespace: 'network', removeStartupTaint: true }],
  ])('restricted: %s', (_, props) => {
    expect(level(props)).toEqual({ reported: PodSecurityLevel.RESTRICTED, admitted: PodSecurityLevel.RESTRICTED });
  });

  test.each<[string, Partial<NetworkDaemonSetProps>]>([
    ['a baseline capability (the agent runs as root to use it)', { hostNetwork: false, capabilities: [LinuxCapability.CHOWN, LinuxCapability.KILL] }],
    ['NET_BIND_SERVICE alone (as root)', { hostNetwork: false, capabilities: ['CAP_NET_BIND_SERVICE'] }],
  ])('baseline: %s', (_, props) => {
    expect(level(props)).toEqual({ reported: PodSecurityLevel.BASELINE, admitted: PodSecurityLevel.BASELINE });
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
    expect(level(props)).toEqual({ reported: PodSecurityLevel.PRIVILEGED, admitted: PodSecurityLevel.PRIVILEGED });
  });
});

describe('podSecurityLevelOf', () => {
  const none: PodSecurityFacts = {
    hostNetwork: false, privilegedContainer: false, hostPathVolumes: false, hostPorts: false, addedCapabilities: [], podSysctls: [], runsAsRoot: false,
  };

  test('each fact on its own', () => {
    expect(podSecurityLevelOf(none)).toBe(PodSecurityLevel.RESTRICTED);
    expect(podSecurityLevelOf({ ...none, addedCapabilities: ['NET_BIND_SERVICE'] })).toBe(PodSecurityLevel.RESTRICTED);
    expect(podSecurityLevelOf({ ...none, podSysctls: ['net.ipv4.tcp_syncookies'] })).toBe(PodSecurityLevel.RESTRICTED);
    expect(podSecurityLevelOf({ ...none, runsAsRoot: true })).toBe(PodSecurityLevel.BASELINE);
    expect(podSecurityLevelOf({ ...none, addedCapabilities: ['SETUID'] })).toBe(PodSecurityLevel.BASELINE);
    expect(podSecurityLevelOf({ ...none, addedCapabilities: ['NET_RAW'] })).toBe(PodSecurityLevel.PRIVILEGED);
    expect(podSecurityLevelOf({ ...none, podSysctls: ['net.core.somaxconn'] })).toBe(PodSecurityLevel.PRIVILEGED);
    expect(podSecurityLevelOf({ ...none, hostNetwork: true })).toBe(PodSecurityLevel.PRIVILEGED);
    expect(podSecurityLevelOf({ ...none, privilegedContainer: true })).toBe(PodSecurityLevel.PRIVILEGED);
    expect(podSecurityLevelOf({ ...none, hostPathVolumes: true })).toBe(PodSecurityLevel.PRIVILEGED);
    expect(podSecurityLevelOf({ ...none, hostPorts: true })).toBe(PodSecurityLevel.PRIVILEGED);
  });

  test('the tables match the Pod Security Standards lists', () => {
    expect([...BASELINE_CAPABILITIES].sort()).toEqual([
      'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
    ]);
    expect(SAFE_SYSCTLS.size).toBe(12); // the Kubernetes 1.32+ set, tcp_rmem and tcp_wmem included
    expect(SAFE_SYSCTLS.has('net.ipv4.ip_forward')).toBe(false);
  });

  test('the capability enum holds all 41 Linux capabilities, spelled without CAP_', () => {
    const names = Object.values(LinuxCapability);
    expect(names).toHaveLength(41);
    expect(names.every((n) => /^[A-Z_]+$/.test(n) && !n.startsWith('CAP_'))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['NET_ADMIN', 'NET_RAW', 'BPF', 'PERFMON', 'CHECKPOINT_RESTORE', 'SYS_ADMIN']));
  });
});
