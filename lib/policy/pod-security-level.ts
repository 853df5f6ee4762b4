/*
 * The two facts both the constructs (lib/k8s) and the policy rules (lib/policy) read. They live here, importing
 * nothing, so neither side imports the other to get them.
 */

/**
 * A Pod Security Standards level, as the `pod-security.kubernetes.io/*` labels spell it.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum PodSecurityLevel {
  /** Heavily restricted: non-root, no privilege escalation, all capabilities dropped, seccomp on. */
  RESTRICTED = 'restricted',
  /** Prevents known privilege escalations; allows e.g. the default capability set. */
  BASELINE = 'baseline',
  /** Unrestricted: host networking, privileged containers, hostPath. Only for node agents. */
  PRIVILEGED = 'privileged',
}

/**
 * The annotation that records a workload's security opt-outs for audits, as the constructs write it (the same key
 * `NetworkDaemonSet` and `RestoreDrill` set): what the pods opt out of and why, e.g.
 * `"hostNetwork, capabilities=NET_ADMIN: the agent programs routes on the host network"`.
 *
 * A workload whose pods need more than the `restricted` Pod Security level must carry it, non-empty, on its
 * `metadata.annotations` (or its pod template's): living in a namespace labelled `baseline` or `privileged` is what
 * lets the pods be admitted; the annotation is what makes the exception visible in the manifests.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export const OPT_OUTS_ANNOTATION = 'fleetcraft.io/security-opt-outs';
