import { PodSecurityLevel } from '../k8s/namespace-baseline';

/**
 * Capabilities the `baseline` Pod Security level lets a container add (Kubernetes spelling). `restricted` allows
 * only NET_BIND_SERVICE, and only for non-root containers.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP',
  'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/**
 * The sysctls `baseline` (and so `restricted`) allows in a pod's `securityContext.sysctls` (the kubelet's safe
 * set). Kept to the smallest set recent minors agree on, so the reported level is never too permissive.
 * @see https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/#safe-and-unsafe-sysctls
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_fin_timeout',
]);

/** What decides a pod's Pod Security level, as the network agent builds it. */
export interface PodSecurityFacts {
  readonly hostNetwork: boolean;
  /** Any container (init ones included) runs privileged. */
  readonly privilegedContainer: boolean;
  readonly hostPathVolumes: boolean;
  /** A container port binds a host port. */
  readonly hostPorts: boolean;
  /** Capabilities added to any container (Kubernetes spelling). */
  readonly addedCapabilities: readonly string[];
  /** Sysctls set in the pod's `securityContext.sysctls`. */
  readonly podSysctls: readonly string[];
  /** Any container runs as root (uid 0 or without runAsNonRoot). */
  readonly runsAsRoot: boolean;
}

/**
 * The least permissive Pod Security level that admits a pod with these facts: `privileged` for host namespaces,
 * privileged containers, hostPath volumes, host ports, capabilities beyond the baseline list and unsafe sysctls;
 * `baseline` for root or any added capability other than a non-root NET_BIND_SERVICE; `restricted` otherwise.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export function podSecurityLevelOf(f: PodSecurityFacts): PodSecurityLevel {
  const beyondBaseline = f.hostNetwork || f.privilegedContainer || f.hostPathVolumes || f.hostPorts
    || f.addedCapabilities.some((c) => !BASELINE_CAPABILITIES.has(c))
    || f.podSysctls.some((s) => !SAFE_SYSCTLS.has(s));
  if (beyondBaseline) return PodSecurityLevel.PRIVILEGED;
  const beyondRestricted = f.runsAsRoot || f.addedCapabilities.some((c) => c !== 'NET_BIND_SERVICE');
  return beyondRestricted ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED;
}

