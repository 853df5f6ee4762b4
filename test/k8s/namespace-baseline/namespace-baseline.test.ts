import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { mostPermissiveLevel, NamespaceBaseline, PodSecurityLevel } from '../../../lib';
import { field, findObject, synth, testChart } from '../../util';

const build = (props: Partial<ConstructorParameters<typeof NamespaceBaseline>[2]> = {}) => {
  const chart = testChart();
  const baseline = new NamespaceBaseline(chart, 'ns', { name: 'api', ...props });
  return { baseline, objects: synth(chart) };
};

describe('NamespaceBaseline', () => {
  describe('defaults', () => {
    const { baseline, objects } = build();
    const labels = findObject(objects, 'Namespace', 'api').metadata?.labels ?? {};

    test('podSecurity defaults to restricted in enforce, warn and audit', () => {
      expect(baseline.podSecurity).toBe(PodSecurityLevel.RESTRICTED);
      expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(labels['pod-security.kubernetes.io/warn']).toBe('restricted');
      expect(labels['pod-security.kubernetes.io/audit']).toBe('restricted');
    });

    test('podSecurityVersion defaults to v1.36 on every mode', () => {
      expect(labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.36');
      expect(labels['pod-security.kubernetes.io/warn-version']).toBe('v1.36');
      expect(labels['pod-security.kubernetes.io/audit-version']).toBe('v1.36');
    });

    test('quota defaults', () => {
      expect(field(findObject(objects, 'ResourceQuota', 'api-quota', 'api'), 'spec.hard')).toEqual({
        'requests.cpu': '32', 'requests.memory': '128Gi', 'limits.memory': '256Gi', 'pods': 300, 'persistentvolumeclaims': 50, 'requests.storage': '2Ti',
      });
    });

    test('container limit defaults: requests 100m/128Mi, memory limit 512Mi, max 32Gi, no CPU limit', () => {
      expect(field(findObject(objects, 'LimitRange', 'api-limits', 'api'), 'spec.limits')).toEqual([{
        type: 'Container',
        defaultRequest: { cpu: '100m', memory: '128Mi' },
        default: { memory: '512Mi' },
        max: { memory: '32Gi' },
      }]);
    });

    test('default-deny covers ingress and egress of every pod', () => {
      expect(findObject(objects, 'NetworkPolicy', 'api-default-deny-all', 'api').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    });

    test('allowDnsEgress defaults to true: DNS to kube-dns on UDP and TCP 53', () => {
      const dns = findObject(objects, 'NetworkPolicy', 'api-allow-dns-egress', 'api');
      expect(field(dns, 'spec.egress')).toEqual([{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }]);
    });

    test('partOf defaults to no part-of label; metadata defaults to none', () => {
      expect(labels['app.kubernetes.io/part-of']).toBeUndefined();
      expect(findObject(objects, 'Namespace', 'api').metadata?.annotations).toBeUndefined();
      expect(labels['app.kubernetes.io/managed-by']).toBe('fleetcraft');
    });

    test('emits exactly five objects', () => {
      expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
        'LimitRange/api-limits', 'Namespace/api', 'NetworkPolicy/api-allow-dns-egress', 'NetworkPolicy/api-default-deny-all', 'ResourceQuota/api-quota',
      ]);
    });
  });

  describe('overrides', () => {
    test('privileged level and another version', () => {
      const { objects } = build({ podSecurity: PodSecurityLevel.PRIVILEGED, podSecurityVersion: 'v1.35' });
      const labels = findObject(objects, 'Namespace', 'api').metadata?.labels ?? {};
      expect(labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
      expect(labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.35');
    });

    test('quota and limits', () => {
      const { objects } = build({
        quota: { requestsCpu: kplus.Cpu.millis(1500), requestsMemory: Size.gibibytes(2), limitsMemory: Size.gibibytes(4), pods: 10, persistentVolumeClaims: 2, requestsStorage: Size.gibibytes(100) },
        containerLimits: { defaultRequestCpu: kplus.Cpu.millis(50), defaultRequestMemory: Size.mebibytes(64), defaultLimitMemory: Size.mebibytes(256), maxLimitMemory: Size.gibibytes(1) },
      });
      expect(field(findObject(objects, 'ResourceQuota', 'api-quota'), 'spec.hard')).toEqual({
        'requests.cpu': '1500m', 'requests.memory': '2Gi', 'limits.memory': '4Gi', 'pods': 10, 'persistentvolumeclaims': 2, 'requests.storage': '100Gi',
      });
      expect(field(findObject(objects, 'LimitRange', 'api-limits'), 'spec.limits')).toEqual([{
        type: 'Container', defaultRequest: { cpu: '50m', memory: '64Mi' }, default: { memory: '256Mi' }, max: { memory: '1Gi' },
      }]);
    });

    test('no DNS egress when disabled', () => {
      const { baseline, objects } = build({ allowDnsEgress: false });
      expect(baseline.allowDns).toBeUndefined();
      expect(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata?.name)).toEqual(['api-default-deny-all']);
    });

    test('metadata merges, but Pod Security labels win', () => {
      const { objects } = build({ partOf: 'shop', metadata: { labels: { team: 'core', 'pod-security.kubernetes.io/enforce': 'privileged' }, annotations: { owner: 'core' } } });
      const ns = findObject(objects, 'Namespace', 'api');
      expect(ns.metadata?.labels).toEqual(expect.objectContaining({ team: 'core', 'pod-security.kubernetes.io/enforce': 'restricted', 'app.kubernetes.io/part-of': 'shop' }));
      expect(ns.metadata?.annotations).toEqual({ owner: 'core' });
    });
  });

  describe('refuses', () => {
    test('a name that is not a DNS label', () => {
      expect(() => build({ name: 'API_ns' })).toThrow(
        'NamespaceBaseline \'ns\': name ("API_ns") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use a DNS-1123 label such as "api"');
    });

    test('a version that is not a Kubernetes minor', () => {
      expect(() => build({ podSecurityVersion: '1.36' })).toThrow(
        'NamespaceBaseline \'ns\': podSecurityVersion ("1.36") is not a Kubernetes minor version; use the cluster\'s minor, e.g. "v1.36"');
    });
  });

  test('mostPermissiveLevel picks the most open level', () => {
    expect(mostPermissiveLevel([])).toBe(PodSecurityLevel.RESTRICTED);
    expect(mostPermissiveLevel([PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED])).toBe(PodSecurityLevel.BASELINE);
    expect(mostPermissiveLevel([PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED])).toBe(PodSecurityLevel.PRIVILEGED);
  });
});
