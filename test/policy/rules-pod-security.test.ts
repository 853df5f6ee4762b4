import { runRules } from '../../lib/policy/rules';
import { formatViolation, KubeObject } from '../../lib/policy/objects';
import { at, Json, run, validSet, WEB, without } from './rule-cases';
import { PodSecurityLevel } from '../../lib/policy/pod-security-level';
import { POD_SECURITY_RULES } from '../../lib/policy/rules-pod-security';


const ENFORCE = 'pod-security.kubernetes.io/enforce';
const where = (set: Json[]): string[] => runRules(set as unknown as KubeObject[]).map((v) => `${v.rule} ${v.object} ${v.path}`);

/** The web Deployment, annotated as opting out, in a namespace `shop` that enforces `level`. */
function webIn(level: string): Json[] {
  const set = validSet();
  (at(set, 'Namespace', 'shop', 'metadata.labels'))[ENFORCE] = level;
  (at(set, 'Deployment', 'web', 'metadata')).annotations = { 'fleetcraft.io/security-opt-outs': 'whatever this case needs: a test' };
  return set;
}

interface CheckCase {
  readonly rule: string;
  readonly change: (pod: Json, container: Json) => void;
  /** The path the failure is reported at, below `spec.template.spec`. */
  readonly path: string;
}

const BASELINE: CheckCase[] = [
  { rule: 'pss/baseline-windows-host-process', change: (p) => { (p.securityContext as Json).windowsOptions = { hostProcess: true }; }, path: 'securityContext.windowsOptions.hostProcess' },
  { rule: 'pss/baseline-host-namespaces', change: (p) => { p.hostPID = true; }, path: 'hostPID' },
  { rule: 'pss/baseline-privileged', change: (_p, c) => { c.securityContext = { privileged: true, readOnlyRootFilesystem: true }; }, path: 'containers[0].securityContext.privileged' },
  { rule: 'pss/baseline-capabilities', change: (_p, c) => { (c.securityContext as Json).capabilities = { add: ['SYS_ADMIN'] }; }, path: 'containers[0].securityContext.capabilities.add' },
  { rule: 'pss/baseline-host-path', change: (p) => { p.volumes = [{ name: 'logs', hostPath: { path: '/var/log' } }]; }, path: 'volumes[0].hostPath' },
  { rule: 'pss/baseline-host-ports', change: (_p, c) => { (c.ports as Json[])[0].hostPort = 8080; }, path: 'containers[0].ports[0].hostPort' },
  { rule: 'pss/baseline-apparmor', change: (_p, c) => { (c.securityContext as Json).appArmorProfile = { type: 'Unconfined' }; }, path: 'containers[0].securityContext.appArmorProfile.type' },
  { rule: 'pss/baseline-selinux', change: (p) => { (p.securityContext as Json).seLinuxOptions = { type: 'spc_t' }; }, path: 'securityContext.seLinuxOptions.type' },
  { rule: 'pss/baseline-proc-mount', change: (_p, c) => { (c.securityContext as Json).procMount = 'Unmasked'; }, path: 'containers[0].securityContext.procMount' },
  { rule: 'pss/baseline-seccomp', change: (_p, c) => { (c.securityContext as Json).seccompProfile = { type: 'Unconfined' }; }, path: 'containers[0].securityContext.seccompProfile.type' },
  { rule: 'pss/baseline-sysctls', change: (p) => { (p.securityContext as Json).sysctls = [{ name: 'net.core.somaxconn', value: '1024' }]; }, path: 'securityContext.sysctls[0].name' },
  { rule: 'pss/baseline-probe-host', change: (_p, c) => { ((c.readinessProbe as Json).httpGet as Json).host = '10.0.0.1'; }, path: 'containers[0].readinessProbe.httpGet.host' },
];

const RESTRICTED: CheckCase[] = [
  { rule: 'pss/restricted-volumes', change: (p) => { p.volumes = [{ name: 'shared', nfs: { server: 'nfs', path: '/' } }]; }, path: 'volumes[0]' },
  { rule: 'pss/restricted-privilege-escalation', change: (_p, c) => { delete (c.securityContext as Json).allowPrivilegeEscalation; }, path: 'containers[0].securityContext.allowPrivilegeEscalation' },
  { rule: 'pss/restricted-run-as-non-root', change: (p) => { (p.securityContext as Json).runAsNonRoot = false; }, path: 'securityContext.runAsNonRoot' },
  { rule: 'pss/restricted-run-as-user', change: (_p, c) => { (c.securityContext as Json).runAsUser = 0; }, path: 'containers[0].securityContext.runAsUser' },
  { rule: 'pss/restricted-seccomp', change: (p) => { delete (p.securityContext as Json).seccompProfile; }, path: 'containers[0].securityContext.seccompProfile' },
  { rule: 'pss/restricted-capabilities', change: (_p, c) => { (c.securityContext as Json).capabilities = { drop: ['ALL'], add: ['CHOWN'] }; }, path: 'containers[0].securityContext.capabilities.add' },
  { rule: 'pss/restricted-proc-mount', change: (p, c) => { p.hostUsers = false; (c.securityContext as Json).procMount = 'Unmasked'; }, path: 'containers[0].securityContext.procMount' },
];

function changed(level: string, c: CheckCase): Json[] {
  const set = webIn(level);
  c.change(at(set, 'Deployment', 'web', 'spec.template.spec'), at(set, 'Deployment', 'web', WEB));
  return set;
}

describe('Pod Security rules', () => {
  test('every Pod Security rule has a case', () => {
    expect(['pss/namespace-level', 'pss/namespace-labels', ...BASELINE.map((c) => c.rule), ...RESTRICTED.map((c) => c.rule)]).toEqual(POD_SECURITY_RULES.map((r) => r.id));
  });

  describe.each(BASELINE)('$rule', (c) => {
    test('fails where the namespace enforces baseline', () => {
      expect(where(changed('baseline', c))).toEqual([`${c.rule} Deployment shop/web spec.template.spec.${c.path}`]);
    });
    test('passes where the namespace is privileged', () => {
      expect(where(changed('privileged', c))).toEqual([]);
    });
  });

  describe.each(RESTRICTED)('$rule', (c) => {
    test('fails where the namespace enforces restricted', () => {
      expect(where(changed('restricted', c))).toEqual([`${c.rule} Deployment shop/web spec.template.spec.${c.path}`]);
    });
    test('passes where the namespace enforces baseline', () => {
      expect(where(changed('baseline', c))).toEqual([]);
    });
  });

  test('the message names the level, the namespace, the fix and the way out (and security/declared-privilege does not repeat it)', () => {
    const set = validSet();
    delete at(set, 'Deployment', 'web', `${WEB}.securityContext`).allowPrivilegeEscalation;
    expect(run(set)).toEqual([
      'pss/restricted-privilege-escalation Deployment shop/web spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: container "web" does not set securityContext.allowPrivilegeEscalation=false, which Pod Security level restricted forbids (namespace shop enforces restricted); set it to false, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=baseline and annotate it fleetcraft.io/security-opt-outs',
    ]);
  });

  test('a namespace no Namespace object labels is restricted by default, and says so', () => {
    const set = without(validSet(), 'Namespace', 'net');
    expect(run(set)).toEqual([
      'pss/baseline-host-namespaces DaemonSet net/agent spec.template.spec.hostNetwork: the pod sets hostNetwork=true, sharing the node\'s namespaces, which Pod Security level baseline forbids (namespace net is restricted by default: no Namespace object in the set labels it); remove hostNetwork, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged and annotate it fleetcraft.io/security-opt-outs',
      'pss/restricted-capabilities DaemonSet net/agent spec.template.spec.containers[0].securityContext.capabilities.add: container "agent" adds capabilities NET_ADMIN, which Pod Security level restricted forbids (namespace net is restricted by default: no Namespace object in the set labels it); add at most NET_BIND_SERVICE, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=baseline and annotate it fleetcraft.io/security-opt-outs',
    ]);
  });

  test('defaultPodSecurity sets the level of unlabelled namespaces (default: restricted)', () => {
    const set = without(validSet(), 'Namespace', 'net') as unknown as KubeObject[];
    expect(runRules(set).map((v) => v.rule)).toEqual(['pss/baseline-host-namespaces', 'pss/restricted-capabilities']);
    expect(runRules(set, { defaultPodSecurity: PodSecurityLevel.BASELINE }).map((v) => v.rule)).toEqual(['pss/baseline-host-namespaces', 'pss/baseline-capabilities']);
    expect(runRules(set, { defaultPodSecurity: PodSecurityLevel.PRIVILEGED }).filter((v) => v.severity === 'error')).toEqual([]);
  });

  test('below an assumed level, what restricted adds is a warning, each field once', () => {
    const set = without(validSet(), 'Namespace', 'net') as unknown as KubeObject[];
    const line = (v: { severity: string; rule: string; path: string }) => `${v.severity} ${v.rule} ${v.path}`;
    // At baseline, NET_ADMIN is an error; restricted-capabilities names the same field and is not repeated.
    expect(runRules(set, { defaultPodSecurity: PodSecurityLevel.BASELINE }).map(line)).toEqual([
      'error pss/baseline-host-namespaces spec.template.spec.hostNetwork',
      'error pss/baseline-capabilities spec.template.spec.containers[0].securityContext.capabilities.add',
    ]);
    expect(runRules(set, { defaultPodSecurity: PodSecurityLevel.PRIVILEGED }).map(formatViolation)).toEqual([
      'warning: DaemonSet net/agent: spec.template.spec.hostNetwork: the pod sets hostNetwork=true, sharing the node\'s namespaces; only Pod Security level restricted forbids it, and namespace net is checked at privileged (no Namespace object in the set labels it): to meet restricted, remove hostNetwork [pss/baseline-host-namespaces]',
      'warning: DaemonSet net/agent: spec.template.spec.containers[0].securityContext.capabilities.add: container "agent" adds capabilities NET_ADMIN; only Pod Security level restricted forbids it, and namespace net is checked at privileged (no Namespace object in the set labels it): to meet restricted, add at most NET_BIND_SERVICE [pss/restricted-capabilities]',
    ]);
  });

  test('a namespace that states a level below restricted gets no restricted warnings; security/declared-privilege asks why, once', () => {
    const set = validSet();
    at(set, 'Namespace', 'shop', 'metadata.labels')[ENFORCE] = 'baseline';
    delete at(set, 'Deployment', 'web', `${WEB}.securityContext`).allowPrivilegeEscalation;
    delete at(set, 'Deployment', 'web', `${WEB}.securityContext`).runAsNonRoot;
    expect(where(set)).toEqual(['security/declared-privilege Deployment shop/web metadata.annotations']);
  });

  describe('pss/namespace-level', () => {
    test('passes with a known level and a minor version', () => {
      const set = validSet();
      Object.assign(at(set, 'Namespace', 'shop', 'metadata.labels'), { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'latest' });
      expect(run(set)).toEqual([]);
    });
    test('fails on an unknown level or version', () => {
      const set = validSet();
      Object.assign(at(set, 'Namespace', 'shop', 'metadata.labels'), { [ENFORCE]: 'strict', 'pod-security.kubernetes.io/audit-version': '1.36' });
      expect(run(set)).toEqual([
        'pss/namespace-level Namespace shop metadata.labels.pod-security.kubernetes.io/enforce: label pod-security.kubernetes.io/enforce="strict" is not a Pod Security level and admission rejects the Namespace; use restricted, baseline or privileged',
        'pss/namespace-level Namespace shop metadata.labels.pod-security.kubernetes.io/audit-version: label pod-security.kubernetes.io/audit-version="1.36" is not a Kubernetes minor version; use the cluster\'s minor, e.g. "v1.36"',
      ]);
    });
  });

  describe('pss/namespace-labels', () => {
    test('passes with an enforce label pinned to a minor', () => {
      expect(run(validSet())).toEqual([]);
    });
    test('warns on a missing level or an unpinned version', () => {
      const set = validSet();
      delete at(set, 'Namespace', 'net', 'metadata').labels;
      at(set, 'Namespace', 'shop', 'metadata.labels')['pod-security.kubernetes.io/enforce-version'] = 'latest';
      expect(run(set.filter((o) => o.kind !== 'DaemonSet'))).toEqual([
        'pss/namespace-labels Namespace shop metadata.labels.pod-security.kubernetes.io/enforce-version: sets pod-security.kubernetes.io/enforce-version=latest, so a cluster upgrade can change what is admitted; pin it to the cluster\'s minor, e.g. pod-security.kubernetes.io/enforce-version=v1.36',
        'pss/namespace-labels Namespace net metadata.labels: has no pod-security.kubernetes.io/enforce label, so the cluster\'s default level applies (privileged unless configured) while fleetcraft checks its pods as restricted; label it pod-security.kubernetes.io/enforce=restricted',
      ]);
    });
  });
});
