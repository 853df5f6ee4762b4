import { JsonPatch, Testing } from 'cdk8s';
import { ArgoApplication, ArgoApplicationSet, ArgoAppProject, ArgoApplicationSpec } from '../../../lib/k8s/resources/argocd';
import { checkConformance } from '../../../lib/policy/conformance';
import { KubeObject } from '../../../lib/policy/objects';
import { describeWithSchemas, field, findObject, schemaRegistry, synth, testChart } from '../../util';

const APP_SPEC: ArgoApplicationSpec = {
  project: 'shop',
  source: { repoURL: 'https://github.com/example/fleet.git', path: 'dist/production/eu-west-1', targetRevision: 'main', directory: { recurse: true } },
  destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
  syncPolicy: {
    automated: { prune: true, selfHeal: true, allowEmpty: false },
    syncOptions: ['CreateNamespace=false', 'ServerSideApply=true'],
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
  },
  revisionHistoryLimit: 10,
};

describe('ArgoAppProject', () => {
  test('emits argoproj.io/v1alpha1 AppProject with repos, destinations, whitelists and sync windows', () => {
    const chart = testChart();
    new ArgoAppProject(chart, 'Project', {
      metadata: { name: 'shop', namespace: 'argocd', labels: { 'app.kubernetes.io/managed-by': 'fleetcraft' } },
      spec: {
        description: 'The shop services',
        sourceRepos: ['https://github.com/example/fleet.git'],
        destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop' }, { name: 'eu-west-1', namespace: '*' }],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
        syncWindows: [{
          kind: 'deny', schedule: '0 22 * * 5', duration: '60h', applications: ['*'], namespaces: ['shop'], clusters: ['*'],
          manualSync: true, timeZone: 'Europe/Berlin', description: 'weekend freeze', andOperator: false, syncOverrun: true,
        }],
        orphanedResources: { warn: true },
      },
    });
    const project = findObject(synth(chart), 'AppProject', 'shop', 'argocd');
    expect(project.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(field(project, 'spec.syncWindows.0.kind')).toBe('deny');
    expect([field(project, 'spec.syncWindows.0.description'), field(project, 'spec.syncWindows.0.andOperator'), field(project, 'spec.syncWindows.0.syncOverrun')])
      .toEqual(['weekend freeze', false, true]);
    expect(field(project, 'spec.destinations')).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'shop' }, { name: 'eu-west-1', namespace: '*' },
    ]);
  });
});

describe('ArgoApplication', () => {
  test('emits argoproj.io/v1alpha1 Application with source, destination and sync policy', () => {
    const chart = testChart();
    new ArgoApplication(chart, 'App', { metadata: { name: 'shop-production', namespace: 'argocd' }, spec: APP_SPEC });
    const app = findObject(synth(chart), 'Application', 'shop-production', 'argocd');
    expect(app.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(app.spec).toEqual(APP_SPEC);
  });

  test('a minimal Application (no sync policy) conforms', () => {
    const chart = testChart();
    new ArgoApplication(chart, 'App', {
      metadata: { name: 'shop', namespace: 'argocd' },
      spec: { project: 'default', source: { repoURL: 'https://github.com/example/fleet.git', path: 'dist', targetRevision: 'v1.2.0' }, destination: { name: 'in-cluster' } },
    });
    expect(field(findObject(synth(chart), 'Application', 'shop', 'argocd'), 'spec.syncPolicy')).toBeUndefined();
  });
});

describe('ArgoApplicationSet', () => {
  test('emits argoproj.io/v1alpha1 ApplicationSet with a list generator and a template', () => {
    const chart = testChart();
    new ArgoApplicationSet(chart, 'Set', {
      metadata: { name: 'shop', namespace: 'argocd' },
      spec: {
        goTemplate: true,
        generators: [{ list: { elements: [{ cluster: 'eu-west-1', url: 'https://eu.example.com' }, { cluster: 'us-east-1', url: 'https://us.example.com' }] } }],
        template: {
          metadata: { name: 'shop-{{.cluster}}', labels: { 'app.kubernetes.io/part-of': 'shop' }, annotations: { 'fleetcraft.io/region': '{{.cluster}}' } },
          spec: { ...APP_SPEC, source: { ...APP_SPEC.source, path: 'dist/production/{{.cluster}}' }, destination: { server: '{{.url}}', namespace: 'shop' } },
        },
      },
    });
    const set = findObject(synth(chart), 'ApplicationSet', 'shop', 'argocd');
    expect(set.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(field(set, 'spec.generators.0.list.elements')).toHaveLength(2);
    expect(field(set, 'spec.template.spec.destination.server')).toBe('{{.url}}');
  });
});

describeWithSchemas('Argo CD schemas catch misspelt fields', () => {
  test('a misspelt sync policy field is an unknown field', () => {
    const chart = testChart();
    const app = new ArgoApplication(chart, 'App', { metadata: { name: 'shop', namespace: 'argocd' }, spec: APP_SPEC });
    app.addJsonPatch(JsonPatch.add('/spec/syncPolicy/automatd', { prune: true }));
    expect(checkConformance(Testing.synth(chart) as KubeObject[], schemaRegistry())).toEqual([{
      rule: 'schema', severity: 'error', object: 'Application argocd/shop', path: 'spec.syncPolicy',
      message: 'unknown field "automatd" (not in the schema; check its spelling and placement)',
    }]);
  });

  test('a misspelt AppProject field is an unknown field', () => {
    const chart = testChart();
    const project = new ArgoAppProject(chart, 'Project', {
      metadata: { name: 'shop', namespace: 'argocd' },
      spec: { sourceRepos: ['*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop' }] },
    });
    project.addJsonPatch(JsonPatch.add('/spec/sourceRepo', ['*']));
    expect(checkConformance(Testing.synth(chart) as KubeObject[], schemaRegistry())).toEqual([{
      rule: 'schema', severity: 'error', object: 'AppProject argocd/shop', path: 'spec',
      message: 'unknown field "sourceRepo" (not in the schema; check its spelling and placement)',
    }]);
  });
});
