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
  'reliability/quota-capacity',
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
  'security/consensus-plain-http',
  'security/mesh-mtls-downgrade',
  'security/ingress-tls-secret',
] as const;

/** The id of a policy rule, e.g. `reliability/pdb`. */
export type PolicyRuleId = typeof POLICY_RULE_IDS[number];

/** Throws unless `id` names a policy rule; the message lists the known ids. */
export function checkRuleId(id: unknown, where: string): asserts id is PolicyRuleId {
  if (!(POLICY_RULE_IDS as readonly unknown[]).includes(id)) {
    throw new Error(`${where}: unknown policy rule ${JSON.stringify(id)}; use one of ${POLICY_RULE_IDS.join(', ')}`);
  }
}

/**
 * The checks beyond the policy rules that report on one object, with their docs: the upstream schemas and the API
 * server's own rules ({@link checkConformance}), and what `fleetcraft validate` finds reading an object's YAML. An
 * object can be exempted from them as from a policy rule ({@link SKIP_RULES_ANNOTATION}).
 */
export const OBJECT_CHECKS = {
  'schema': 'The object matches its upstream schema (Kubernetes OpenAPI or CRD): known apiVersion and kind, known fields, right types.',
  'api/name': 'The object\'s name and namespace are valid DNS-1123 names (labels for Namespaces and Services).',
  'api/label': 'Label keys and values, and annotation keys, are valid qualified names and label values.',
  'api/selector-matches-template': 'A workload\'s selector matches its pod template\'s labels.',
  'api/volume-name': 'Pod volume names are valid DNS-1123 labels, each used once.',
  'api/container-name': 'Container names are valid DNS-1123 labels, each used once in the pod.',
  'api/volume-mount': 'Every volume mount names a volume of the pod (or a StatefulSet claim template).',
  'api/port-name': 'Port names are valid IANA service names, unique, and named on every port of a multi-port Service.',
  'validate/duplicate': 'No object is defined twice (same group, kind, namespace and name) in one set.',
  'validate/ambiguous-scalar': 'No unquoted scalar that kubectl (YAML 1.1) reads as a boolean or number (`y`, `on`, `1.10`) where the API takes a string.',
} as const;

/** The id of a check beyond the policy rules, e.g. `schema` or `api/label`. */
export type ObjectCheckId = keyof typeof OBJECT_CHECKS;

/** Every id one object can be exempted from: the policy rules and the {@link OBJECT_CHECKS}. */
export const SKIPPABLE_IDS: readonly string[] = [...POLICY_RULE_IDS, ...Object.keys(OBJECT_CHECKS)];
