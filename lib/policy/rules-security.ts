import { OPT_OUTS_ANNOTATION, PodSecurityLevel } from './pod-security-level';
import { describeObject, KubeObject } from './objects';
import { checkPodSecurity } from './pod-security';
import { isBinding, isPowerful, isRole, POWERFUL_BUILT_IN_ROLES, PUBLIC_SUBJECTS, rbacRulesOf, roleRefOf, secretReadVerbs, subjectsOf, wildcardsOf } from './rbac';
import { asList, asObject, RuleFinding, joinPath, namespaceOf, PolicyRule, RuleContext, RuleWorkload } from './rules-context';
import { declaredReason, podSecurityOf, requiredLevels } from './rules-pod-security';
import { SKIP_RULES_ANNOTATION } from './skip-rules';

/** Whether a NetworkPolicy selects every pod and denies one direction (no rules for it). */
function denies(policy: KubeObject, direction: 'Ingress' | 'Egress'): boolean {
  const spec = asObject(policy.spec);
  const selector = asObject(spec.podSelector);
  const selectsAll = Object.keys(asObject(selector.matchLabels)).length === 0 && asList(selector.matchExpressions).length === 0;
  const rules = asList(spec[direction === 'Ingress' ? 'ingress' : 'egress']);
  const types = spec.policyTypes === undefined
    ? ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])]
    : asList(spec.policyTypes).map(String);
  return selectsAll && types.includes(direction) && rules.length === 0;
}

function defaultDeny(ctx: RuleContext): RuleFinding[] {
  const policies = ctx.ofKind('NetworkPolicy').filter((p) => p.apiVersion === 'networking.k8s.io/v1');
  const out: RuleFinding[] = [];
  const seen = new Set<string>();
  for (const w of ctx.workloads) {
    // NetworkPolicies do not apply to host-network pods, and KubeFed templates run in other clusters.
    if (!w.local || w.spec.hostNetwork === true || seen.has(w.namespace)) continue;
    seen.add(w.namespace);
    const here = policies.filter((p) => namespaceOf(p) === w.namespace);
    const missing = (['Ingress', 'Egress'] as const).filter((d) => !here.some((p) => denies(p, d)));
    if (missing.length === 0) continue;
    const ns = ctx.namespaces.get(w.namespace);
    out.push({
      obj: ns ?? w.obj, path: '(root)',
      message: `namespace ${w.namespace} runs pods (${describeObject(w.obj)}) but no NetworkPolicy there denies all ${missing.join(' and ')} traffic by default; ` +
        'add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules (NamespaceBaseline does), then allow what each workload needs',
    });
  }
  return out;
}

/** How to record that an object truly needs what a rule forbids. */
const exempt = (rule: string): string => `or, if it truly needs it, say why in its ${SKIP_RULES_ANNOTATION} annotation ("${rule}: <why>")`;

/** Env var names that hold credentials (`DB_PASSWORD`, `API_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `STRIPE_KEY`). */
const CREDENTIAL_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|(^|_)KEY$|APIKEY/;
/**
 * ... unless they name where a credential is rather than the credential (`DB_PASSWORD_FILE`, `TOKEN_URL`), or are
 * an identifier named like one (etcd's initial cluster token keeps two clusters from joining; it grants nothing).
 */
const REFERENCE_NAME = /_(FILE|PATH|DIR|NAME|REF|URL|URI|ENDPOINT|HEADER|TTL|EXPIRY|EXPIRATION|LENGTH|SIZE|ENABLED|DISABLED)$|(^|_)CLUSTER_TOKEN$/;
/** Values that are no credential: empty, a path, a reference to another variable, a switch or a small number. */
const HARMLESS_VALUE = /^(|\/.*|\$\([A-Za-z_][A-Za-z0-9_]*\)|true|false|yes|no|on|off|enabled|disabled|\d{1,3})$/i;

function envCredentials(ctx: RuleContext): RuleFinding[] {
  return ctx.workloads.flatMap((w) => containersOf(w).flatMap(({ c, path, name }) => asList(c.env).flatMap((raw, i) => {
    const env = asObject(raw);
    const key = String(env.name ?? '').toUpperCase();
    if (typeof env.value !== 'string' && typeof env.value !== 'number') return [];
    if (!CREDENTIAL_NAME.test(key) || REFERENCE_NAME.test(key) || HARMLESS_VALUE.test(String(env.value).trim())) return [];
    return [{
      obj: w.obj, path: `${path}.env[${i}].value`,
      message: `container "${name}" sets ${String(env.name)} to a literal value, so the credential sits in Git and in every kubectl get -o yaml; ` +
        'read it from a Secret (valueFrom.secretKeyRef) that an ExternalSecret or the Pulumi program delivers',
    }];
  })));
}

/** Host paths that hand a pod the node: its root, configuration, kernel interfaces, runtime state and credentials. */
const SENSITIVE_HOST_DIRS: ReadonlyMap<string, string> = new Map([
  ['/', 'the node\'s whole file system'], ['/etc', 'the node\'s configuration'], ['/etc/kubernetes', 'the node\'s Kubernetes credentials'],
  ['/proc', 'every process on the node'], ['/sys', 'the node\'s kernel interfaces'], ['/boot', 'the node\'s kernel and boot loader'],
  ['/var/run', 'the node\'s runtime sockets'], ['/run', 'the node\'s runtime sockets'], ['/root', 'root\'s home on the node'],
  ['/var/lib/kubelet', 'the kubelet\'s credentials and every pod\'s volumes'], ['/var/lib/docker', 'every container\'s files'],
  ['/var/lib/containerd', 'every container\'s files'],
]);
const RUNTIME_SOCKET = /\/(docker|containerd|crio|cri-dockerd|podman)\.sock$|^\/(var\/)?run\/(containerd|crio|docker)(\/|$)/;

function hostMounts(ctx: RuleContext): RuleFinding[] {
  return ctx.workloads.filter((w) => w.local).flatMap((w) => asList(w.spec.volumes).flatMap((raw, i) => {
    const v = asObject(raw);
    if (v.hostPath === undefined) return [];
    const hostPath = String(asObject(v.hostPath).path ?? '').replace(/\/+$/, '') || '/';
    const what = RUNTIME_SOCKET.test(hostPath) ? 'the container runtime\'s socket, which lets the pod start privileged containers on the node'
      : SENSITIVE_HOST_DIRS.get(hostPath);
    if (what === undefined) return [];
    return [{
      obj: w.obj, path: joinPath(w.podPath, `spec.volumes[${i}].hostPath.path`),
      message: `volume "${String(v.name)}" mounts host path ${hostPath}: ${what} (read-only or not, and whatever the namespace allows); ` +
        `mount the narrowest path it needs, ${exempt('security/host-mounts')}`,
    }];
  }));
}

/** Every container and init container of a workload, with its path and name. */
function containersOf(w: RuleWorkload): Array<{ c: Record<string, unknown>; path: string; name: string }> {
  return ['initContainers', 'containers'].flatMap((field) => asList(w.spec[field]).map((raw, i) => {
    const c = asObject(raw);
    return { c, path: joinPath(w.podPath, `spec.${field}[${i}]`), name: String(c.name ?? i) };
  }));
}

function rbacWildcards(ctx: RuleContext): RuleFinding[] {
  return ctx.objects.filter(isRole).flatMap((role) => rbacRulesOf(role).flatMap((r, i) => {
    const wild = wildcardsOf(r);
    if (wild.length === 0) return [];
    return [{
      obj: role, path: `rules[${i}]`,
      message: `grants "*" in ${wild.join(', ')}: every ${wild.includes('verbs') ? 'action' : 'listed action'} on ${wild.includes('resources') ? 'every resource' : r.resources.join(', ')}, ` +
        `including ones added later; list the verbs, resources and API groups it needs, ${exempt('security/rbac-wildcard')}`,
    }];
  }));
}

function clusterAdminBindings(ctx: RuleContext): RuleFinding[] {
  return ctx.objects.filter(isBinding).flatMap((b) => {
    const ref = roleRefOf(b);
    if (ref.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') return [];
    const subjects = subjectsOf(b);
    const everyone = subjects.map((s) => PUBLIC_SUBJECTS.get(s)).filter((x): x is string => x !== undefined);
    const who = everyone.length > 0 ? `${everyone.join(' and ')} (${subjects.filter((s) => PUBLIC_SUBJECTS.has(s)).join(', ')})` : subjects.join(', ') || 'no subject yet';
    return [{
      obj: b, path: 'roleRef',
      message: `grants cluster-admin, every action on every resource${b.kind === 'ClusterRoleBinding' ? ' in every namespace' : ` in namespace ${namespaceOf(b)}`}, to ${who}; ` +
        `bind a role with only the verbs and resources needed, ${exempt('security/rbac-cluster-admin')}`,
    }];
  });
}

function publicBindings(ctx: RuleContext): RuleFinding[] {
  const roles = ctx.objects.filter(isRole);
  return ctx.objects.filter(isBinding).flatMap((b) => {
    const ref = roleRefOf(b);
    if (ref.kind === 'ClusterRole' && ref.name === 'cluster-admin') return []; // security/rbac-cluster-admin says it
    const role = roles.find((r) => r.kind === ref.kind && r.metadata?.name === ref.name && (r.kind === 'ClusterRole' || namespaceOf(r) === namespaceOf(b)));
    const powerful = POWERFUL_BUILT_IN_ROLES.includes(ref.name) || (role !== undefined && isPowerful(role));
    return subjectsOf(b).flatMap((s, i) => {
      const who = PUBLIC_SUBJECTS.get(s);
      // Every authenticated identity may read what the built-in discovery roles show; more than reading is the danger.
      if (who === undefined || (s === 'Group/system:authenticated' && !powerful)) return [];
      return [{
        obj: b, path: `subjects[${i}]`,
        message: `grants ${ref.kind} ${ref.name} to ${s.split('/')[1]}: ${who}; bind it to the service accounts or groups that need it`,
      }];
    });
  });
}

function secretReaders(ctx: RuleContext): RuleFinding[] {
  const bindings = ctx.objects.filter(isBinding);
  return ctx.ofKind('ClusterRole').filter(isRole).flatMap((role) => {
    const name = role.metadata?.name;
    const users = bindings.filter((b) => roleRefOf(b).kind === 'ClusterRole' && roleRefOf(b).name === name);
    // Used only through RoleBindings, the role reads Secrets in those namespaces alone.
    if (users.length > 0 && users.every((b) => b.kind === 'RoleBinding')) return [];
    const through = users.filter((b) => b.kind === 'ClusterRoleBinding').map((b) => b.metadata?.name).join(', ');
    return rbacRulesOf(role).flatMap((r, i) => {
      const verbs = secretReadVerbs(r);
      if (verbs.length === 0 || wildcardsOf(r).length > 0) return []; // a wildcard rule is security/rbac-wildcard's
      return [{
        obj: role, path: `rules[${i}]`,
        message: `lets its subjects ${verbs.join(', ')} every Secret in every namespace${through ? ` (bound by ClusterRoleBinding ${through})` : ''}; ` +
          `grant it per namespace with a Role and RoleBinding or narrow it with resourceNames, ${exempt('security/rbac-secrets')}`,
      }];
    });
  });
}

/** Security rules: network isolation, no literal credentials, declared privilege, host mounts, RBAC. */
export const SECURITY_RULES: readonly PolicyRule[] = [
  {
    id: 'security/default-deny',
    severity: 'error',
    doc: 'Every namespace that runs pods has a NetworkPolicy selecting all pods that denies all ingress and egress.',
    check: defaultDeny,
  },
  {
    id: 'security/secret-data',
    severity: 'error',
    doc: 'No Secret carries literal `data` or `stringData`: secrets arrive through External Secrets or the Pulumi program.',
    check: (ctx) => ctx.ofKind('Secret').flatMap((s) => {
      const keys = [...Object.keys(asObject(s.data)), ...Object.keys(asObject(s.stringData))];
      if (keys.length === 0) return [];
      return [{
        obj: s, path: Object.keys(asObject(s.data)).length ? 'data' : 'stringData',
        message: `carries literal secret values (keys: ${[...new Set(keys)].sort().join(', ')}), which would be committed to Git; ` +
          'deliver them through an ExternalSecret or the Pulumi program instead',
      }];
    }),
  },
  {
    id: 'security/declared-privilege',
    severity: 'error',
    doc: `A workload whose pods need more than restricted (hostPath, host namespaces, privileged, added capabilities, root, …) and that a namespace labelled for it admits records why in the \`${OPT_OUTS_ANNOTATION}\` annotation.`,
    check: (ctx) => {
      const out: RuleFinding[] = [];
      const pss = podSecurityOf(ctx);
      for (const [w, level] of requiredLevels(ctx)) {
        if (level === PodSecurityLevel.RESTRICTED || declaredReason(w) !== undefined) continue;
        const ns = ctx.levelOf(w.namespace);
        // Where the namespace refuses the pods, its pss/* errors say so already; where its level is only assumed, the
        // restricted-only findings are warnings that name every opt-out. This rule is for exceptions someone labelled.
        if (!ns.labelled || (pss.get(w)?.errors.length ?? 0) > 0) continue;
        const needs = [...new Set(checkPodSecurity({ spec: w.spec, metadata: w.metadata }, PodSecurityLevel.RESTRICTED).map((f) => `pss/${f.check}`))];
        out.push({
          obj: w.obj, path: 'metadata.annotations',
          message: `its pods need Pod Security level ${level} (${needs.join(', ')}), which namespace ${w.namespace} admits (it enforces ${ns.level}), but it declares no reason; ` +
            `make it meet restricted, or annotate it ${OPT_OUTS_ANNOTATION}: "<what it opts out of>: <why>" so audits see the exception`,
        });
      }
      return out;
    },
  },
  {
    id: 'security/env-credentials',
    severity: 'error',
    doc: 'No container sets a credential (an env var named like `*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*_KEY`) to a literal `value`: it comes from a Secret.',
    check: envCredentials,
  },
  {
    id: 'security/host-mounts',
    severity: 'error',
    doc: 'No pod mounts a sensitive host path (the container runtime socket, `/`, `/etc`, `/proc`, `/sys`, `/var/run`, `/boot`, the kubelet\'s state), whatever its namespace allows.',
    check: hostMounts,
  },
  {
    id: 'security/read-only-root-fs',
    severity: 'warning',
    doc: 'Every container and init container sets `securityContext.readOnlyRootFilesystem: true` (writing to mounted volumes only).',
    check: (ctx) => ctx.workloads.flatMap((w) => containersOf(w)
      .filter(({ c }) => asObject(c.securityContext).readOnlyRootFilesystem !== true)
      .map(({ path, name }) => ({
        obj: w.obj, path: `${path}.securityContext.readOnlyRootFilesystem`,
        message: `container "${name}" does not set securityContext.readOnlyRootFilesystem: true, so a compromised process can rewrite its own files; set it, and mount an emptyDir where it must write (e.g. /tmp)`,
      }))),
  },
  {
    id: 'security/rbac-wildcard',
    severity: 'error',
    doc: 'No Role or ClusterRole grants `*` in verbs, resources or API groups.',
    check: rbacWildcards,
  },
  {
    id: 'security/rbac-cluster-admin',
    severity: 'error',
    doc: 'No RoleBinding or ClusterRoleBinding grants the `cluster-admin` ClusterRole.',
    check: clusterAdminBindings,
  },
  {
    id: 'security/rbac-public-binding',
    severity: 'error',
    doc: 'No binding grants a role to `system:unauthenticated` or `system:anonymous`, nor more than reading to `system:authenticated`.',
    check: publicBindings,
  },
  {
    id: 'security/rbac-secrets',
    severity: 'error',
    doc: 'No ClusterRole that a ClusterRoleBinding (or nothing in the set) binds lets its subjects read every Secret of the cluster.',
    check: secretReaders,
  },
];
