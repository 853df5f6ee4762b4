import { at, Case, describeCases, Json, run, validSet, WEB } from './rule-cases';
import { KubeObject } from '../../lib/policy/objects';
import { PodSecurityLevel } from '../../lib/policy/pod-security-level';
import { runRules } from '../../lib/policy/rules';
import { SECURITY_RULES } from '../../lib/policy/rules-security';


const OPT_OUT = 'fleetcraft.io/security-opt-outs';
const RBAC = 'rbac.authorization.k8s.io/v1';

/** A Role (in namespace shop) or ClusterRole with these rules. */
const role = (kind: 'Role' | 'ClusterRole', name: string, rules: Json[]): Json => ({
  apiVersion: RBAC, kind, metadata: kind === 'Role' ? { name, namespace: 'shop' } : { name }, rules,
});
/** A binding of a ClusterRole to subjects. */
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, clusterRole: string, subjects: Json[]): Json => ({
  apiVersion: RBAC, kind, metadata: kind === 'RoleBinding' ? { name, namespace: 'shop' } : { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole }, subjects,
});

const CASES: Case[] = [
  {
    rule: 'security/default-deny',
    pass: (set) => { // one policy per direction also denies both; host-network pods are not subject to NetworkPolicy
      const deny = at(set, 'NetworkPolicy', 'default-deny-all');
      set.push({ ...deny, metadata: { name: 'deny-egress', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Egress'] } });
      deny.spec = { podSelector: {}, policyTypes: ['Ingress'] };
      return set.filter((o) => !(o.kind === 'NetworkPolicy' && (o.metadata as Json).namespace === 'net'));
    },
    fail: (set) => { at(set, 'NetworkPolicy', 'default-deny-all', 'spec').ingress = [{}]; },
    expected: ['security/default-deny Namespace shop (root): namespace shop runs pods (StatefulSet shop/db) but no NetworkPolicy there denies all Ingress traffic by default; add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules (NamespaceBaseline does), then allow what each workload needs'],
  },
  {
    rule: 'security/secret-data',
    pass: (set) => { set.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'shop', annotations: { 'kubernetes.io/service-account.name': 'web' } }, type: 'kubernetes.io/service-account-token' }); },
    fail: (set) => { set.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: 'aHVudGVyMg==' } }); },
    expected: ['security/secret-data Secret shop/db data: carries literal secret values (keys: password), which would be committed to Git; deliver them through an ExternalSecret or the Pulumi program instead'],
  },
  {
    rule: 'security/declared-privilege',
    pass: (set) => { // on the pod template is as good as on the workload
      const ds = at(set, 'DaemonSet', 'agent');
      at(set, 'DaemonSet', 'agent', 'spec.template.metadata').annotations = (ds.metadata as Json).annotations;
      delete (ds.metadata as Json).annotations;
    },
    fail: (set) => { (at(set, 'DaemonSet', 'agent', 'metadata.annotations'))[OPT_OUT] = ' '; },
    expected: ['security/declared-privilege DaemonSet net/agent metadata.annotations: its pods need Pod Security level privileged (pss/baseline-host-namespaces, pss/restricted-capabilities), which namespace net admits (it enforces privileged), but it declares no reason; make it meet restricted, or annotate it fleetcraft.io/security-opt-outs: "<what it opts out of>: <why>" so audits see the exception'],
  },
  {
    rule: 'security/env-credentials',
    pass: (set) => { // from a Secret, a file path, a switch
      at(set, 'Deployment', 'web', WEB).env = [
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db' }, { name: 'TOKEN_REFRESH', value: 'true' }, { name: 'LOG_LEVEL', value: 'debug' },
        { name: 'RAFT_CLUSTER_TOKEN', value: 'raft-prod' }, { name: 'ETCD_INITIAL_CLUSTER_TOKEN', value: 'etcd-prod' },
      ];
    },
    fail: (set) => { at(set, 'Deployment', 'web', WEB).env = [{ name: 'PORT', value: '8080' }, { name: 'API_TOKEN', value: 's3cr3t' }]; },
    expected: ['security/env-credentials Deployment shop/web spec.template.spec.containers[0].env[1].value: container "web" sets API_TOKEN to a literal value, so the credential sits in Git and in every kubectl get -o yaml; read it from a Secret (valueFrom.secretKeyRef) that an ExternalSecret or the Pulumi program delivers'],
  },
  {
    rule: 'security/host-mounts',
    pass: (set) => { at(set, 'DaemonSet', 'agent', 'spec.template.spec').volumes = [{ name: 'logs', hostPath: { path: '/var/log/agent' } }]; },
    fail: (set) => { at(set, 'DaemonSet', 'agent', 'spec.template.spec').volumes = [{ name: 'runtime', hostPath: { path: '/run/containerd/containerd.sock', type: 'Socket' } }]; },
    expected: ['security/host-mounts DaemonSet net/agent spec.template.spec.volumes[0].hostPath.path: volume "runtime" mounts host path /run/containerd/containerd.sock: the container runtime\'s socket, which lets the pod start privileged containers on the node (read-only or not, and whatever the namespace allows); mount the narrowest path it needs, or, if it truly needs it, say why in its fleetcraft.io/skip-rules annotation ("security/host-mounts: <why>")'],
  },
  {
    rule: 'security/read-only-root-fs',
    pass: (set) => { at(set, 'Deployment', 'web', 'spec.template.spec').initContainers = [{ ...at(set, 'Deployment', 'web', WEB), name: 'migrate', readinessProbe: undefined, livenessProbe: undefined }]; },
    fail: (set) => { delete at(set, 'Deployment', 'web', `${WEB}.securityContext`).readOnlyRootFilesystem; },
    expected: ['security/read-only-root-fs Deployment shop/web spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem: container "web" does not set securityContext.readOnlyRootFilesystem: true, so a compromised process can rewrite its own files; set it, and mount an emptyDir where it must write (e.g. /tmp)'],
  },
  {
    rule: 'security/rbac-wildcard',
    pass: (set) => { set.push(role('Role', 'reader', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] }])); },
    fail: (set) => { set.push(role('Role', 'anything', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }])); },
    expected: ['security/rbac-wildcard Role shop/anything rules[0]: grants "*" in verbs, resources: every action on every resource, including ones added later; list the verbs, resources and API groups it needs, or, if it truly needs it, say why in its fleetcraft.io/skip-rules annotation ("security/rbac-wildcard: <why>")'],
  },
  {
    rule: 'security/rbac-cluster-admin',
    pass: (set) => { set.push(binding('ClusterRoleBinding', 'viewers', 'view', [{ kind: 'Group', name: 'auditors' }])); },
    fail: (set) => { set.push(binding('ClusterRoleBinding', 'admin-user', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'admin-user', namespace: 'shop' }])); },
    expected: ['security/rbac-cluster-admin ClusterRoleBinding admin-user roleRef: grants cluster-admin, every action on every resource in every namespace, to ServiceAccount/shop/admin-user; bind a role with only the verbs and resources needed, or, if it truly needs it, say why in its fleetcraft.io/skip-rules annotation ("security/rbac-cluster-admin: <why>")'],
  },
  {
    rule: 'security/rbac-public-binding',
    pass: (set) => { set.push(binding('ClusterRoleBinding', 'basic', 'system:basic-user', [{ kind: 'Group', name: 'system:authenticated' }])); },
    fail: (set) => { set.push(binding('ClusterRoleBinding', 'open', 'view', [{ kind: 'Group', name: 'system:unauthenticated' }])); },
    expected: ['security/rbac-public-binding ClusterRoleBinding open subjects[0]: grants ClusterRole view to system:unauthenticated: anyone who can reach the API server, without credentials; bind it to the service accounts or groups that need it'],
  },
  {
    rule: 'security/rbac-secrets',
    pass: (set) => { // a ClusterRole bound only per namespace reads Secrets there alone
      set.push(role('ClusterRole', 'secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]));
      set.push({ ...binding('RoleBinding', 'read-here', 'secret-reader', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }]), metadata: { name: 'read-here', namespace: 'shop' } });
    },
    fail: (set) => {
      set.push(role('ClusterRole', 'secret-reader', [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list', 'watch'] }]));
      set.push(binding('ClusterRoleBinding', 'read-all', 'secret-reader', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }]));
    },
    expected: ['security/rbac-secrets ClusterRole secret-reader rules[0]: lets its subjects get, list, watch every Secret in every namespace (bound by ClusterRoleBinding read-all); grant it per namespace with a Role and RoleBinding or narrow it with resourceNames, or, if it truly needs it, say why in its fleetcraft.io/skip-rules annotation ("security/rbac-secrets: <why>")'],
  },
];

describe('security rules', () => {
  test('every security rule has a case', () => {
    expect(CASES.map((c) => c.rule)).toEqual(SECURITY_RULES.map((r) => r.id));
  });

  describeCases(CASES);

  test('a namespace without a Namespace object is reported on its first workload', () => {
    const set = validSet().filter((o) => !(o.kind === 'NetworkPolicy' && (o.metadata as Json).namespace === 'shop') && !(o.kind === 'Namespace' && (o.metadata as Json).name === 'shop'));
    expect(run(set)).toEqual(['security/default-deny StatefulSet shop/db (root): namespace shop runs pods (StatefulSet shop/db) but no NetworkPolicy there denies all Ingress and Egress traffic by default; add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules (NamespaceBaseline does), then allow what each workload needs']);
  });

  test('a policy that selects only some pods is not a default deny', () => {
    const set = validSet();
    at(set, 'NetworkPolicy', 'default-deny-all', 'spec').podSelector = { matchLabels: { 'app.kubernetes.io/name': 'web' } };
    expect(run(set)).toEqual(['security/default-deny Namespace shop (root): namespace shop runs pods (StatefulSet shop/db) but no NetworkPolicy there denies all Ingress and Egress traffic by default; add one with podSelector: {}, policyTypes: [Ingress, Egress] and no rules (NamespaceBaseline does), then allow what each workload needs']);
  });

  test('security/declared-privilege: not where the namespace refuses the pods (pss/* says so) nor where its level is assumed', () => {
    const refused = validSet();
    at(refused, 'Namespace', 'net', 'metadata.labels')['pod-security.kubernetes.io/enforce'] = 'baseline';
    delete at(refused, 'DaemonSet', 'agent', 'metadata').annotations;
    expect(run(refused).map((l) => l.split(' ')[0])).toEqual(['pss/baseline-host-namespaces', 'pss/baseline-capabilities']);
    const assumed = validSet().filter((o) => !(o.kind === 'Namespace' && (o.metadata as Json).name === 'net'));
    delete at(assumed, 'DaemonSet', 'agent', 'metadata').annotations;
    const found = runRules(assumed as unknown as KubeObject[], { defaultPodSecurity: PodSecurityLevel.PRIVILEGED });
    expect(found.map((v) => `${v.severity} ${v.rule}`)).toEqual(['warning pss/baseline-host-namespaces', 'warning pss/restricted-capabilities']);
  });

  test('secret keys are named, values never', () => {
    const set = validSet();
    set.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api', namespace: 'shop' }, stringData: { token: 's3cr3t', key: 'k' } });
    const out = run(set);
    expect(out).toEqual(['security/secret-data Secret shop/api stringData: carries literal secret values (keys: key, token), which would be committed to Git; deliver them through an ExternalSecret or the Pulumi program instead']);
    expect(out.join('\n')).not.toContain('s3cr3t');
  });
});
