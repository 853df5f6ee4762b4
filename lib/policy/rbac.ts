/**
 * Reading RBAC objects for the security rules: a role's rules, what they grant, and which bindings use a role.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
import { KubeObject } from './objects';
import { asList, asObject, namespaceOf } from './rules-context';

/** One PolicyRule of a Role or ClusterRole, its lists read as strings. */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
}

/** A role's rules (`[]` for an aggregated ClusterRole, whose rules the controller fills in). */
export function rbacRulesOf(role: KubeObject): RbacRule[] {
  const strings = (v: unknown): string[] => asList(v).map(String);
  return asList(role.rules).map((raw) => {
    const r = asObject(raw);
    return { apiGroups: strings(r.apiGroups), resources: strings(r.resources), verbs: strings(r.verbs), resourceNames: strings(r.resourceNames) };
  });
}

/** The lists of a rule that hold `*` (`verbs`, `resources`, `apiGroups`). */
export function wildcardsOf(rule: RbacRule): string[] {
  return (['verbs', 'resources', 'apiGroups'] as const).filter((f) => rule[f].includes('*'));
}

const READ_VERBS = ['get', 'list', 'watch', '*'];
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', 'bind', 'escalate', 'impersonate', '*'];

/** The verbs with which a rule reads every Secret it covers (none: it does not; a `resourceNames` list narrows it). */
export function secretReadVerbs(rule: RbacRule): string[] {
  const coreGroup = rule.apiGroups.includes('') || rule.apiGroups.includes('*');
  const secrets = rule.resources.includes('secrets') || rule.resources.includes('*');
  if (!coreGroup || !secrets || rule.resourceNames.length > 0) return [];
  return rule.verbs.filter((v) => READ_VERBS.includes(v));
}

/** Whether a role grants more than reading non-secret resources: a wildcard, a Secret read or a write verb. */
export function isPowerful(role: KubeObject): boolean {
  return rbacRulesOf(role).some((r) => wildcardsOf(r).length > 0 || secretReadVerbs(r).length > 0 || r.verbs.some((v) => WRITE_VERBS.includes(v)));
}

/** The built-in ClusterRoles that grant writes (and, but for `view`, Secret reads) in what they cover. */
export const POWERFUL_BUILT_IN_ROLES: readonly string[] = ['cluster-admin', 'admin', 'edit'];

/** The subjects everyone is: anyone who reaches the API server, or anyone with any credentials. */
export const PUBLIC_SUBJECTS: ReadonlyMap<string, string> = new Map([
  ['Group/system:unauthenticated', 'anyone who can reach the API server, without credentials'],
  ['User/system:anonymous', 'anyone who can reach the API server, without credentials'],
  ['Group/system:authenticated', 'every authenticated user and service account of the cluster'],
]);

/** A binding's subjects as `Kind/name` (service accounts as `ServiceAccount/namespace/name`). */
export function subjectsOf(binding: KubeObject): string[] {
  return asList(binding.subjects).map((raw) => {
    const s = asObject(raw);
    return s.kind === 'ServiceAccount' ? `ServiceAccount/${String(s.namespace ?? namespaceOf(binding))}/${String(s.name)}` : `${String(s.kind)}/${String(s.name)}`;
  });
}

/** A binding's role reference: its kind and name. */
export function roleRefOf(binding: KubeObject): { kind: string; name: string } {
  const ref = asObject(binding.roleRef);
  return { kind: String(ref.kind ?? ''), name: String(ref.name ?? '') };
}

/** Whether an object is an RBAC binding (RoleBinding or ClusterRoleBinding of rbac.authorization.k8s.io). */
export function isBinding(obj: KubeObject): boolean {
  return (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') && obj.apiVersion.startsWith('rbac.authorization.k8s.io/');
}

/** Whether an object is an RBAC role (Role or ClusterRole of rbac.authorization.k8s.io). */
export function isRole(obj: KubeObject): boolean {
  return (obj.kind === 'Role' || obj.kind === 'ClusterRole') && obj.apiVersion.startsWith('rbac.authorization.k8s.io/');
}
