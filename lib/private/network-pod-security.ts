import { PodSecurityLevel } from '../k8s/namespace-baseline/namespace-baseline';
import { BASELINE_CAPABILITIES as BASELINE_CAPABILITY_LIST, SAFE_SYSCTLS as SAFE_SYSCTL_LIST } from '../policy/pod-security';

/** The lists Pod Security admission enforces, shared with the policy rules (one source: lib/policy/pod-security). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set(BASELINE_CAPABILITY_LIST);
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set(SAFE_SYSCTL_LIST);

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

