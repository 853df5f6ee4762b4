import { ENVIRONMENTS } from '../../environments';
import { formatViolation, KubeObject } from '../../lib/policy/objects';
import { POLICY_RULES, runRules } from '../../lib/policy/rules';
import { renderEnvironment } from '../../stacks/render';

const ns = (name: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Namespace',
  metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.36' } },
});
const secret = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'a' }, data: { k: 'dg==' } });

describe('POLICY_RULES', () => {
  test('ids are unique, grouped and in group order', () => {
    const ids = POLICY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(pss|reliability|integrity|security)\/[a-z][a-z-]*$/);
    const groups = ids.map((id) => id.split('/')[0]).filter((g, i, all) => all.indexOf(g) === i);
    expect(groups).toEqual(['pss', 'reliability', 'integrity', 'security']);
  });

  test('every rule has a severity and a one-line doc ending in a full stop', () => {
    for (const r of POLICY_RULES) {
      expect(['error', 'warning']).toContain(r.severity);
      expect(r.doc).toMatch(/^[A-Z`].*\.$/);
      expect(r.doc).not.toContain('\n');
    }
  });

  test('the warnings are the advisory rules', () => {
    expect(POLICY_RULES.filter((r) => r.severity === 'warning').map((r) => r.id)).toEqual([
      'pss/namespace-labels', 'reliability/image-pull-policy', 'reliability/spread', 'reliability/identical-probes', 'security/read-only-root-fs', 'security/ingress-tls-secret',
    ]);
  });
});

describe('runRules', () => {
  test('reports by object, then in rule order, with the object\'s index', () => {
    const objects = [ns('a'), secret('s1'), { ...ns('b'), metadata: { name: 'b', labels: { 'pod-security.kubernetes.io/enforce': 'open' } } }];
    const found = runRules(objects);
    expect(found.map((v) => `${v.objectIndex} ${formatViolation(v)}`)).toEqual([
      '1 error: Secret a/s1: data: carries literal secret values (keys: k), which would be committed to Git; deliver them through an ExternalSecret or the Pulumi program instead [security/secret-data]',
      '2 error: Namespace b: metadata.labels.pod-security.kubernetes.io/enforce: label pod-security.kubernetes.io/enforce="open" is not a Pod Security level and admission rejects the Namespace; use restricted, baseline or privileged [pss/namespace-level]',
      '2 warning: Namespace b: metadata.labels.pod-security.kubernetes.io/enforce-version: has no pod-security.kubernetes.io/enforce-version label, so a cluster upgrade can change what is admitted; pin it to the cluster\'s minor, e.g. pod-security.kubernetes.io/enforce-version=v1.36 [pss/namespace-labels]',
    ]);
  });

  test('skip leaves a rule out (default: every rule runs)', () => {
    expect(runRules([secret('s')]).map((v) => v.rule)).toEqual(['security/secret-data']);
    expect(runRules([secret('s')], { skip: ['security/secret-data'] })).toEqual([]);
  });

  test('an unknown rule id in skip throws, naming the rules', () => {
    expect(() => runRules([], { skip: ['security/secrets'] })).toThrow(`unknown policy rule "security/secrets"; rules: ${POLICY_RULES.map((r) => r.id).join(', ')}`);
  });

  test('reads its input without changing it, and tolerates objects without a kind', () => {
    const objects = [ns('a'), { apiVersion: 'v1' } as unknown as KubeObject, secret('s')];
    const before = JSON.stringify(objects);
    expect(runRules(objects).map((v) => v.objectIndex)).toEqual([2]);
    expect(JSON.stringify(objects)).toBe(before);
  });

  test('an empty set has no violations', () => {
    expect(runRules([])).toEqual([]);
  });
});

describe('what counts as a workload', () => {
  const container = { name: 'c', image: 'ghcr.io/example/c:latest', resources: { requests: { cpu: '10m', memory: '8Mi' }, limits: { memory: '16Mi' } } };
  const restricted = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } };
  const sc = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

  test('a KubeFed FederatedDeployment\'s pod template is checked, but it runs no pods here (no PDB, no default deny)', () => {
    const fed: KubeObject = {
      apiVersion: 'types.kubefed.io/v1beta1', kind: 'FederatedDeployment', metadata: { name: 'web', namespace: 'app' },
      spec: { template: { spec: { replicas: 5, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { ...restricted, containers: [{ ...container, securityContext: sc }] } } } } },
    };
    expect(runRules([fed]).map(formatViolation)).toEqual([
      'error: FederatedDeployment app/web: spec.template.spec.template.spec.containers[0]: container "c" has no readinessProbe or livenessProbe; add both so traffic only reaches ready pods and a hung process is restarted [reliability/probes]',
      'error: FederatedDeployment app/web: spec.template.spec.template.spec.containers[0].image: image "ghcr.io/example/c:latest" uses the mutable tag latest, so two nodes can run different code; pin a version tag or a digest [reliability/image-tag]',
    ]);
  });

  test('a bare Pod that a Service selects needs probes (it serves traffic)', () => {
    const pod: KubeObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'app', labels: { app: 'db' } },
      spec: { ...restricted, containers: [{ ...container, image: 'postgres:16.3', securityContext: sc }] },
    };
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'app' }, spec: { selector: { app: 'db' }, ports: [{ port: 5432 }] } };
    const deny: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'app' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
    expect(runRules([pod, svc, deny]).map(formatViolation)).toEqual([
      'error: Pod app/db: spec.containers[0]: container "c" has no readinessProbe or livenessProbe; add both so traffic only reaches ready pods and a hung process is restarted [reliability/probes]',
    ]);
    expect(runRules([pod, deny])).toEqual([]);
  });

  test('a bare Pod needs resources and a pinned image but no probes', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'app' }, spec: { ...restricted, containers: [{ ...container, image: 'busybox', resources: {}, securityContext: sc }] } };
    expect(runRules([pod, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'app' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }]).map((v) => `${v.rule} ${v.path}`)).toEqual([
      'reliability/resources spec.containers[0].resources',
      'reliability/image-tag spec.containers[0].image',
    ]);
  });
});

describe('the project\'s own environments', () => {
  test.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('%s: every cluster passes with no errors', (_name, env) => {
    const rendered = renderEnvironment(env);
    const errors: string[] = [];
    for (const cluster of rendered.clusters) {
      const objects = rendered.objects.filter((o) => o.cluster === cluster).map((o) => o.object);
      errors.push(...runRules(objects).filter((v) => v.severity === 'error').map((v) => `${cluster}: ${formatViolation(v)}`));
    }
    expect(errors).toEqual([]);
  });
});
