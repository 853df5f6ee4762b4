import { Chart } from 'cdk8s';
import { HelmApplication, HelmApplicationProps, PodSecurityLevel } from '../../../lib';
import { chartVersionError } from '../../../lib/k8s/addons';
import { expectConformant, field, findObject, synth, testChart } from '../../util';

const base: HelmApplicationProps = {
  name: 'use1-velero', project: 'addons', cluster: 'use1', targetNamespace: 'velero',
  chart: { repoURL: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '12.1.0' },
};

function build(props: Partial<HelmApplicationProps> = {}, chart: Chart = testChart()) {
  new HelmApplication(chart, 'velero', { ...base, ...props });
  const objects = synth(chart);
  return { objects, app: findObject(objects, 'Application', props.name ?? base.name, props.argoNamespace ?? 'argocd') };
}

describe('HelmApplication', () => {
  test('defaults: in argocd, release named after the chart, no values, automated with prune and self-heal, no wave, no namespace creation', () => {
    const { objects, app } = build();
    expectConformant(objects);
    expect(field(app, 'spec.source')).toEqual({
      repoURL: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', targetRevision: '12.1.0', helm: { releaseName: 'velero', valuesObject: {} },
    });
    expect(field(app, 'spec.destination')).toEqual({ name: 'use1', namespace: 'velero' });
    expect(field(app, 'spec.syncPolicy.automated')).toEqual({ prune: true, selfHeal: true });
    expect(field(app, 'spec.syncPolicy.syncOptions')).toBeUndefined();
    expect(field(app, 'spec.syncPolicy.managedNamespaceMetadata')).toBeUndefined();
    expect(app.metadata?.annotations?.['argocd.argoproj.io/sync-wave']).toBeUndefined();
    expect(app.metadata?.labels).toBeUndefined();
    expect(app.metadata?.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  test('createNamespace labels the namespace with its Pod Security level (latest unless pinned) and warns and audits at restricted', () => {
    const { objects, app } = build({ createNamespace: { podSecurity: PodSecurityLevel.PRIVILEGED } });
    expectConformant(objects);
    expect(field(app, 'spec.syncPolicy.syncOptions')).toEqual(['CreateNamespace=true']);
    expect(field(app, 'spec.syncPolicy.managedNamespaceMetadata.labels')).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/enforce-version': 'latest', 'pod-security.kubernetes.io/audit': 'restricted',
    });
    const pinned = build({ createNamespace: { podSecurity: PodSecurityLevel.BASELINE, podSecurityVersion: 'v1.36' } }).app;
    expect(field(pinned, 'spec.syncPolicy.managedNamespaceMetadata.labels')).toMatchObject({ 'pod-security.kubernetes.io/enforce-version': 'v1.36' });
  });

  test('server-side apply, dry-run skipping, wave, manual sync, labels and values are rendered as given', () => {
    const { objects, app } = build({
      serverSideApply: true, skipDryRunOnMissingResource: true, syncWave: 2, automated: false, labels: { team: 'platform' },
      values: { replicas: 2, nested: { list: [1, 'a', true] } }, releaseName: 'backups', argoNamespace: 'gitops',
    });
    expectConformant(objects);
    expect(app.metadata?.namespace).toBe('gitops');
    expect(field(app, 'spec.syncPolicy.syncOptions')).toEqual(['ServerSideApply=true', 'SkipDryRunOnMissingResource=true']);
    expect(field(app, 'spec.syncPolicy.automated')).toBeUndefined();
    expect(app.metadata?.annotations?.['argocd.argoproj.io/sync-wave']).toBe('2');
    expect(field(app, 'spec.source.helm')).toEqual({ releaseName: 'backups', valuesObject: { replicas: 2, nested: { list: [1, 'a', true] } } });
    expect(app.metadata?.labels).toEqual({ team: 'platform' });
  });

  test.each([['^1.2.0'], ['~1.2'], ['1.x'], ['*'], ['latest'], ['>=1.0.0'], ['1.2']])('refuses the chart version %s', (version) => {
    expect(() => build({ chart: { ...base.chart, version } })).toThrow(`HelmApplication 'velero': chart.version ("${version}")`);
  });

  test('accepts exact versions with or without a leading v, with pre-release and build parts', () => {
    for (const v of ['1.2.3', 'v1.21.1', '2.0.0-rc.1', '1.0.0+build.5']) expect(chartVersionError(v)).toBeUndefined();
  });

  test('refuses a plain-http repository, a bad chart name, a release name Helm rejects, and values that are not data', () => {
    expect(() => build({ chart: { ...base.chart, repoURL: 'http://charts.example.com' } })).toThrow('chart.repoURL ("http://charts.example.com") is not an https:// or oci:// address');
    expect(() => build({ chart: { ...base.chart, chart: 'Velero Chart' } })).toThrow('chart.chart ("Velero Chart") is not a chart name');
    expect(() => build({ releaseName: 'a'.repeat(54) })).toThrow('is not a Helm release name (a DNS-1123 label of at most 53 characters)');
    expect(() => build({ values: { when: new Date(0) } })).toThrow('values.when ("(not plain data)") is not plain JSON data');
    expect(() => build({ values: { n: Infinity } })).toThrow('values.n');
    expect(() => build({ values: { keep: { drop: null } } })).toThrow('values.keep.drop ("(not plain data)") is not plain JSON data without nulls');
  });

  test('an oci:// repository is accepted', () => {
    expect(field(build({ chart: { ...base.chart, repoURL: 'oci://registry.example.com/charts' } }).app, 'spec.source.repoURL')).toBe('oci://registry.example.com/charts');
  });
});
