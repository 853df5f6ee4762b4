import { Duration } from 'cdk8s';
import { AddonName, ADDON_CHARTS, ADDONS, ClusterAddons, ClusterAddonsProps, KubeObject } from '../../../lib';
import { chartVersionError } from '../../../lib/k8s/addons';
import { expectConformant, field, findAll, findObject, synth, testChart } from '../../util';

const cluster = { name: 'use1', region: 'us-east-1', environment: 'prod', accountId: '111122223333', domain: 'example.com' };
const ALL = Object.values(AddonName);
const metric = { name: 'http_requests_per_second', counter: 'http_requests_total' };

function build(props: Partial<ClusterAddonsProps> = {}): { objects: KubeObject[]; addons: ClusterAddons } {
  const chart = testChart();
  const addons = new ClusterAddons(chart, 'addons', { addons: ALL, cluster, project: 'prod-addons', customMetrics: [metric], ...props });
  return { objects: synth(chart), addons };
}

const app = (objects: KubeObject[], addon: AddonName) => findObject(objects, 'Application', `use1-${addon}`, 'argocd');
const values = (objects: KubeObject[], addon: AddonName, argo = 'argocd') => field(findObject(objects, 'Application', `use1-${addon}`, argo), 'spec.source.helm.valuesObject') as Record<string, unknown>;

describe('ClusterAddons', () => {
  test('one Application per add-on, each at its pinned exact version, all passing the Argo CD schema', () => {
    const { objects } = build();
    expectConformant(objects);
    expect(findAll(objects, 'Application')).toHaveLength(ALL.length);
    for (const a of ALL) {
      expect(field(app(objects, a), 'spec.source')).toMatchObject({ repoURL: ADDON_CHARTS[a].repoURL, chart: ADDON_CHARTS[a].chart, targetRevision: ADDON_CHARTS[a].version });
      expect(chartVersionError(ADDON_CHARTS[a].version)).toBeUndefined();
      expect(field(app(objects, a), 'spec.destination')).toEqual({ name: 'use1', namespace: ADDONS[a].namespace });
    }
  });

  test('sync waves follow the add-ons\' dependencies: each after everything it needs', () => {
    const { addons } = build();
    for (const a of ALL) for (const d of ADDONS[a].dependsOn) expect(addons.waves[a] ?? 0).toBeGreaterThan(addons.waves[d] ?? 0);
    expect(addons.waves[AddonName.KUBE_PROMETHEUS_STACK]).toBe(0);
  });

  test('namespaces are created by the add-on that owns them, with its Pod Security level; large CRDs are applied server-side', () => {
    const { objects } = build({ podSecurityVersion: 'v1.36' });
    const velero = app(objects, AddonName.VELERO);
    expect(field(velero, 'spec.syncPolicy.syncOptions')).toContain('CreateNamespace=true');
    expect(field(velero, 'spec.syncPolicy.managedNamespaceMetadata.labels')).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/enforce-version': 'v1.36' });
    expect(field(app(objects, AddonName.PROMETHEUS_ADAPTER), 'spec.syncPolicy.syncOptions')).toBeUndefined();
    expect(field(app(objects, AddonName.KUBE_PROMETHEUS_STACK), 'spec.syncPolicy.syncOptions')).toEqual(['CreateNamespace=true', 'ServerSideApply=true', 'SkipDryRunOnMissingResource=true']);
    const creators = ALL.filter((a) => ADDONS[a].createsNamespace);
    expect(new Set(creators.map((a) => ADDONS[a].namespace)).size).toBe(creators.length);
  });

  test('defaults: Prometheus keeps 30 days on one 50 GiB replica with Grafana and Alertmanager; the autoscaler uses the specification\'s figures', () => {
    const { objects } = build();
    const prom = values(objects, AddonName.KUBE_PROMETHEUS_STACK);
    expect(field(prom, 'prometheus.prometheusSpec')).toMatchObject({ retention: '30d', replicas: 1, ruleSelectorNilUsesHelmValues: false, serviceMonitorSelectorNilUsesHelmValues: false, podMonitorSelectorNilUsesHelmValues: false });
    expect(field(prom, 'prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec')).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } });
    expect(field(prom, 'grafana.enabled')).toBe(true);
    expect(field(prom, 'alertmanager.enabled')).toBe(true);
    const ca = values(objects, AddonName.CLUSTER_AUTOSCALER);
    expect(ca.extraArgs).toEqual({
      'expander': 'priority', 'scale-down-delay-after-add': '10m', 'scale-down-unneeded-time': '10m', 'scale-down-utilization-threshold': 0.5,
      'max-node-provision-time': '15m', 'max-graceful-termination-sec': 600, 'balance-similar-node-groups': true, 'skip-nodes-with-local-storage': false,
      'startup-taint': 'fleetcraft.io/network-not-ready',
    });
    expect(ca.expanderPriorities).toEqual({ 10: ['.*'] });
    expect(ca.autoDiscovery).toEqual({ clusterName: 'use1', tags: ['k8s.io/cluster-autoscaler/enabled', 'k8s.io/cluster-autoscaler/use1'] });
    expect(field(app(objects, AddonName.VELERO), 'spec.syncPolicy.automated')).toEqual({ prune: true, selfHeal: true });
    // The rate window of a custom metric, the namespaces' Pod Security version, the partition of the role ARNs, Argo CD's namespace.
    expect(field(values(objects, AddonName.PROMETHEUS_ADAPTER), 'rules.custom.0.metricsQuery')).toBe('sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)');
    expect((field(app(objects, AddonName.VELERO), 'spec.syncPolicy.managedNamespaceMetadata.labels') as Record<string, string>)['pod-security.kubernetes.io/enforce-version']).toBe('latest');
    expect((field(values(objects, AddonName.VELERO), 'serviceAccount.server.annotations') as Record<string, string>)['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::/);
    expect(app(objects, AddonName.VELERO).metadata?.namespace).toBe('argocd');
  });

  test('without the prometheus-adapter no custom metrics are needed; partition and Argo CD namespace are taken as given', () => {
    const { objects, addons } = build({ addons: [AddonName.VELERO, AddonName.KUBE_PROMETHEUS_STACK], customMetrics: undefined, argoNamespace: 'gitops', cluster: { ...cluster, partition: 'aws-us-gov' } });
    expect(addons.providers(0).flatMap((p) => p.customMetrics ?? [])).toEqual([]);
    expect(findObject(objects, 'Application', 'use1-velero', 'gitops')).toBeDefined();
    expect((field(values(objects, AddonName.VELERO, 'gitops'), 'serviceAccount.server.annotations') as Record<string, string>)['eks.amazonaws.com/role-arn'])
      .toBe('arn:aws-us-gov:iam::111122223333:role/fleetcraft-prod-use1-velero');
  });

  test('options reach the values: a lighter Prometheus, other autoscaler figures, manual sync, a name prefix', () => {
    const { objects } = build({
      prometheus: { retention: Duration.days(7), replicas: 2, storageGiB: 20, storageClassName: 'standard-ssd', grafana: false, alertmanager: false },
      clusterAutoscaler: { scaleDownUtilizationThreshold: 0.6, startupTaints: [], expanderPriorities: { 50: ['.*general.*'], 10: ['.*'] }, maxGracefulTermination: Duration.minutes(5) },
      automated: false, customMetrics: [{ ...metric, window: Duration.minutes(5) }],
    });
    const prom = values(objects, AddonName.KUBE_PROMETHEUS_STACK);
    expect(field(prom, 'prometheus.prometheusSpec.retention')).toBe('7d');
    expect(field(prom, 'prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName')).toBe('standard-ssd');
    expect(field(prom, 'alertmanager.enabled')).toBe(false);
    const ca = values(objects, AddonName.CLUSTER_AUTOSCALER);
    expect(field(ca, 'extraArgs.startup-taint')).toBeUndefined();
    expect(field(ca, 'extraArgs.max-graceful-termination-sec')).toBe(300);
    expect(ca.expanderPriorities).toEqual({ 50: ['.*general.*'], 10: ['.*'] });
    expect(field(values(objects, AddonName.PROMETHEUS_ADAPTER), 'rules.custom')).toEqual([{
      seriesQuery: 'http_requests_total{namespace!="",pod!=""}', resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
      name: { matches: '^http_requests_total$', as: 'http_requests_per_second' }, metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[5m])) by (<<.GroupBy>>)',
    }]);
    expect(field(app(objects, AddonName.VELERO), 'spec.syncPolicy.automated')).toBeUndefined();
    const prefixed = build({ namePrefix: 'x-' }).objects;
    expect(findObject(prefixed, 'Application', 'x-velero', 'argocd')).toBeDefined();
  });

  test('every controller that calls AWS runs as the service account its IRSA role trusts, annotated with that role', () => {
    const { objects } = build();
    const sa = {
      [AddonName.VELERO]: field(values(objects, AddonName.VELERO), 'serviceAccount.server'),
      [AddonName.EXTERNAL_SECRETS]: field(values(objects, AddonName.EXTERNAL_SECRETS), 'serviceAccount'),
      [AddonName.CLUSTER_AUTOSCALER]: field(values(objects, AddonName.CLUSTER_AUTOSCALER), 'rbac.serviceAccount'),
      [AddonName.AWS_LOAD_BALANCER_CONTROLLER]: field(values(objects, AddonName.AWS_LOAD_BALANCER_CONTROLLER), 'serviceAccount'),
      [AddonName.EXTERNAL_DNS]: field(values(objects, AddonName.EXTERNAL_DNS), 'serviceAccount'),
    } as Record<string, { name: string; annotations: Record<string, string> }>;
    for (const a of ALL.filter((x) => ADDONS[x].cloudRole)) {
      const role = ADDONS[a].cloudRole;
      expect(sa[a].name).toBe(role?.serviceAccount.name);
      expect(ADDONS[a].namespace).toBe(role?.serviceAccount.namespace);
      expect(sa[a].annotations['eks.amazonaws.com/role-arn']).toBe(`arn:aws:iam::111122223333:role/fleetcraft-prod-use1-${role?.purpose}`);
    }
  });

  test('external-dns manages only the domain\'s records, owned by this cluster, never deleting', () => {
    const v = values(build().objects, AddonName.EXTERNAL_DNS);
    expect(v).toMatchObject({ provider: { name: 'aws' }, sources: ['ingress'], domainFilters: ['example.com'], policy: 'upsert-only', registry: 'txt', txtOwnerId: 'use1' });
  });

  test('refusals name the value and the fix', () => {
    expect(() => build({ addons: [AddonName.VELERO, AddonName.VELERO, AddonName.KUBE_PROMETHEUS_STACK] })).toThrow('ClusterAddons \'addons\': addons ("velero") is listed twice; list each add-on once');
    expect(() => build({ addons: [AddonName.PROMETHEUS_ADAPTER] })).toThrow('has "prometheus-adapter" without "kube-prometheus-stack", which it needs first; add "kube-prometheus-stack" to the add-ons, or remove "prometheus-adapter"');
    expect(() => build({ customMetrics: [] })).toThrow('customMetrics ([]) is empty, so the prometheus-adapter would serve nothing');
    expect(() => build({ customMetrics: [metric, metric] })).toThrow('customMetrics ("http_requests_per_second") is listed twice');
    expect(() => build({ prometheus: { retention: Duration.millis(1500) } })).toThrow('prometheus.retention ("1.5 s") must be a positive whole number of seconds');
    expect(() => build({ clusterAutoscaler: { expanderPriorities: { 10: ['(unclosed'] } } })).toThrow('clusterAutoscaler.expanderPriorities.10 ("(unclosed") is not a regular expression');
    expect(() => build({ cluster: { ...cluster, accountId: '1234' } })).toThrow('ClusterAddons \'addons\'');
    expect(() => build({ cluster: { ...cluster, domain: undefined } })).toThrow('cluster.domain (undefined) is not set, so external-dns would not know which records it may manage');
  });

  test('unusedAddons: an on-demand add-on nothing uses is refused, one another add-on needs is not', () => {
    const { addons } = build({ addons: [AddonName.KUBE_PROMETHEUS_STACK, AddonName.CERT_MANAGER, AddonName.KEDA, AddonName.ISTIO_BASE, AddonName.ISTIO_CNI, AddonName.ISTIOD, AddonName.AWS_LOAD_BALANCER_CONTROLLER], customMetrics: [] });
    const unused = addons.unusedAddons([], 'cluster use1').map((v) => v.message);
    expect(unused).toEqual([
      expect.stringContaining('installs keda in cluster use1, but nothing there uses what it serves'),
      expect.stringContaining('installs istio-base in cluster use1'),
      expect.stringContaining('installs istio-cni in cluster use1'),
      expect.stringContaining('installs istiod in cluster use1'),
    ]);
    const scaled = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'api', namespace: 'api' } };
    const routed = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api', namespace: 'api' } };
    expect(addons.unusedAddons([scaled, routed], 'cluster use1')).toEqual([]);
  });
});
