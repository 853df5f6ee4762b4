import { at, Case, describeCases, Json, run, validSet } from './rule-cases';
import { KubeObject } from '../../lib/policy/objects';
import { PodSecurityLevel } from '../../lib/policy/pod-security-level';
import { runRules } from '../../lib/policy/rules';
import { SECURITY_RULES } from '../../lib/policy/rules-security';


const OPT_OUT = 'fleetcraft.io/security-opt-outs';

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
