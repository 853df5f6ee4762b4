/**
 * The id of every policy rule, in the order {@link POLICY_RULES} runs them. A test proves this list and the rule
 * tables agree, so a typo in `PolicyChecks.of(app).skip(...)` or {@link skipRule} is a compile error in TypeScript
 * (and a runtime error naming the known ids in JavaScript).
 */
export const POLICY_RULE_IDS = [
  'pss/namespace-level',
  'pss/namespace-labels',
  'pss/baseline-windows-host-process',
  'pss/baseline-host-namespaces',
  'pss/baseline-privileged',
  'pss/baseline-capabilities',
  'pss/baseline-host-path',
  'pss/baseline-host-ports',
  'pss/baseline-apparmor',
  'pss/baseline-selinux',
  'pss/baseline-proc-mount',
  'pss/baseline-seccomp',
  'pss/baseline-sysctls',
  'pss/baseline-probe-host',
  'pss/restricted-volumes',
  'pss/restricted-privilege-escalation',
  'pss/restricted-run-as-non-root',
  'pss/restricted-run-as-user',
  'pss/restricted-seccomp',
  'pss/restricted-capabilities',
  'pss/restricted-proc-mount',
  'reliability/probes',
  'reliability/resources',
  'reliability/image-tag',
  'reliability/image-pull-policy',
  'reliability/pdb',
  'reliability/spread',
  'reliability/autoscaler-replicas',
  'reliability/pdb-disruptions',
  'reliability/identical-probes',
  'integrity/service-selector',
  'integrity/pdb-selector',
  'integrity/autoscaler-target',
  'integrity/statefulset-service',
  'integrity/skip-rules',
  'security/default-deny',
  'security/secret-data',
  'security/declared-privilege',
  'security/env-credentials',
  'security/host-mounts',
  'security/read-only-root-fs',
  'security/rbac-wildcard',
  'security/rbac-cluster-admin',
  'security/rbac-public-binding',
  'security/rbac-secrets',
] as const;

/** The id of a policy rule, e.g. `reliability/pdb`. */
export type PolicyRuleId = typeof POLICY_RULE_IDS[number];

/** Throws unless `id` names a policy rule; the message lists the known ids. */
export function checkRuleId(id: unknown, where: string): asserts id is PolicyRuleId {
  if (!(POLICY_RULE_IDS as readonly unknown[]).includes(id)) {
    throw new Error(`${where}: unknown policy rule ${JSON.stringify(id)}; use one of ${POLICY_RULE_IDS.join(', ')}`);
  }
}
