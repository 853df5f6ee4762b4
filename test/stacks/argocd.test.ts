import { Chart, Testing } from 'cdk8s';
import { dev, EnvironmentError, production, staging } from '../../environments';
import { buildArgoCd, rootApplicationFile } from '../../stacks/argocd';
import { fileNameOf } from '../../stacks/render';
import { field, findAll, findObject, synth } from '../util';

const components = [
  { name: 'baseline', dependsOn: [] },
  { name: 'consensus', dependsOn: ['baseline'] },
  { name: 'api', dependsOn: ['consensus'] },
];

const render = (env: typeof dev) => {
  const chart = new Chart(Testing.app(), 'argo', { disableResourceNameHashes: true });
  buildArgoCd(chart, env, components);
  return synth(chart);
};

describe('Argo CD objects per environment', () => {
  const prod = render(production);
  const development = render(dev);

  test('an AppProject allows only the environment repository and its clusters', () => {
    const project = findObject(prod, 'AppProject', 'production', 'argocd');
    expect(field(project, 'spec.sourceRepos')).toEqual([production.gitRepoUrl]);
    expect(field(project, 'spec.destinations')).toEqual([
      { name: 'prod-use1', namespace: '*' }, { name: 'prod-euw1', namespace: '*' }, { name: 'prod-apse1', namespace: '*' },
      { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
    ]);
  });

  test('one Application per cluster and component, pointing at its folder', () => {
    const apps = findAll(prod, 'Application').filter((a) => a.metadata?.name !== 'production-root');
    expect(apps).toHaveLength(9);
    const app = findObject(prod, 'Application', 'production-prod-euw1-consensus');
    expect(field(app, 'spec.source')).toEqual({ repoURL: production.gitRepoUrl, path: 'production/prod-euw1/consensus', targetRevision: 'main' });
    expect(field(app, 'spec.destination')).toEqual({ name: 'prod-euw1' });
    expect(field(app, 'spec.project')).toBe('production');
  });

  test('sync waves follow the component dependencies', () => {
    const wave = (name: string) => findObject(prod, 'Application', `production-prod-use1-${name}`).metadata?.annotations?.['argocd.argoproj.io/sync-wave'];
    expect([wave('baseline'), wave('consensus'), wave('api')]).toEqual(['0', '1', '2']);
  });

  test('production syncs by hand, only inside its allow window (no manualSync, which would open it to manual syncs at any time); dev automatically with prune and self-heal', () => {
    expect(field(findObject(prod, 'Application', 'production-prod-use1-api'), 'spec.syncPolicy.automated')).toBeUndefined();
    expect(field(findObject(prod, 'AppProject', 'production'), 'spec.syncWindows')).toContainEqual(
      { kind: 'allow', schedule: '0 9 * * 2-4', duration: '5h', applications: ['*'], manualSync: false, timeZone: 'UTC' },
    );
    expect(field(findObject(development, 'Application', 'dev-dev-use1-api'), 'spec.syncPolicy.automated')).toEqual({ prune: true, selfHeal: true });
    expect(field(findObject(development, 'AppProject', 'dev'), 'spec.syncWindows')).toBeUndefined();
  });

  test('a root Application (app of apps) syncs the environment\'s argocd folder', () => {
    const root = findObject(prod, 'Application', 'production-root');
    expect(field(root, 'spec.source.path')).toBe('production/argocd');
    expect(field(root, 'spec.destination')).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
  });

  test('the root leaves its own file out of what it syncs, so it has one owner (Pulumi, or whoever applied it)', () => {
    const root = findObject(prod, 'Application', 'production-root');
    expect(field(root, 'spec.source.directory')).toEqual({ exclude: fileNameOf(root) });
    expect(rootApplicationFile(production)).toBe('application-argocd-production-root.yaml');
  });

  describe('freezes from the environment data', () => {
    test('production\'s year-end freeze follows its manual-sync window in both of its AppProjects', () => {
      const freeze = {
        kind: 'deny', schedule: '0 0 20 12 *', duration: '336h', applications: ['*'], manualSync: false, timeZone: 'UTC',
        description: 'year-end freeze (December 20th to January 3rd)',
      };
      for (const project of ['production', 'production-addons']) {
        expect(field(findObject(prod, 'AppProject', project, 'argocd'), 'spec.syncWindows')).toEqual([
          { kind: 'allow', schedule: '0 9 * * 2-4', duration: '5h', applications: ['*'], manualSync: false, timeZone: 'UTC' },
          freeze,
        ]);
      }
    });

    test('a window sets only the lists it names; manualSync defaults to false and timeZone to UTC', () => {
      const objects = render({ ...staging, syncWindows: [{ kind: 'deny', schedule: ' 30 18 * * 5 ', duration: '62h', clusters: ['staging-use1'] }] });
      expect(field(findObject(objects, 'AppProject', 'staging', 'argocd'), 'spec.syncWindows')).toEqual([
        { kind: 'deny', schedule: '30 18 * * 5', duration: '62h', clusters: ['staging-use1'], manualSync: false, timeZone: 'UTC' },
      ]);
    });

    test('manualSync, timeZone and namespaces are passed as given', () => {
      const objects = render({ ...staging, syncWindows: [{ kind: 'deny', schedule: '0 8 * * 1', duration: '1h30m', namespaces: ['api'], manualSync: true, timeZone: 'Europe/Berlin' }] });
      expect(field(findObject(objects, 'AppProject', 'staging', 'argocd'), 'spec.syncWindows')).toEqual([
        { kind: 'deny', schedule: '0 8 * * 1', duration: '1h30m', namespaces: ['api'], manualSync: true, timeZone: 'Europe/Berlin' },
      ]);
    });

    test('an environment without windows (dev) has none', () => {
      expect(field(findObject(development, 'AppProject', 'dev-addons', 'argocd'), 'spec.syncWindows')).toBeUndefined();
    });

    test('a broken window is refused before anything is built, naming the value and the fix', () => {
      expect(() => render({ ...staging, syncWindows: [{ kind: 'deny', schedule: '@every 1h', duration: '1h', applications: ['*'] }] })).toThrow(EnvironmentError);
      expect(() => render({ ...staging, syncWindows: [{ kind: 'deny', schedule: '0 0 * * *', duration: '1d', applications: ['*'] }] }))
        .toThrow('syncWindows[0].duration "1d" is not a duration Argo CD reads; write hours, minutes and seconds above zero, e.g. "2h", "90m" or "1h30m"');
    });
  });
});
