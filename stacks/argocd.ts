import { Chart } from 'cdk8s';
import { EnvironmentError, EnvironmentSpec, syncWindowProblems } from '../environments';
import { ADDON_CHARTS, ADDONS } from '../lib/k8s/addons/catalogue';
import { ARGO_SYNC_RETRY, ArgoAppProject, ArgoApplication, ArgoSyncPolicy, ArgoSyncWindow } from '../lib/k8s/resources/argocd';
import { ComponentNode, syncWaves } from './components';

/** The namespace Argo CD runs in; its objects live there. */
export const ARGOCD_NAMESPACE = 'argocd';
/** The branch Argo CD syncs. */
export const GITOPS_REVISION = 'main';
/** In-cluster API server address, as Argo CD names the cluster it runs in. */
const IN_CLUSTER = 'https://kubernetes.default.svc';

const labels = (env: string, component: string) => ({
  'app.kubernetes.io/name': 'fleetcraft',
  'app.kubernetes.io/instance': env,
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': 'fleetcraft',
  'app.kubernetes.io/managed-by': 'fleetcraft',
});

/**
 * How each environment syncs: dev and staging automatically with prune and self-heal; production only by hand,
 * and only inside its sync windows.
 */
function syncPolicy(env: EnvironmentSpec): ArgoSyncPolicy {
  const retry = ARGO_SYNC_RETRY;
  const syncOptions = ['ServerSideApply=true', 'PruneLast=true', 'CreateNamespace=false'];
  return env.production ? { syncOptions, retry } : { automated: { prune: true, selfHeal: true }, syncOptions, retry };
}

/**
 * Production's window for manual syncs: Tuesday to Thursday, 09:00 to 14:00 UTC, and no other time. `manualSync`
 * stays false: on an allow window it would let manual syncs through while the window is closed as well, and
 * production only ever syncs by hand.
 */
export const PRODUCTION_SYNC_WINDOW: ArgoSyncWindow = { kind: 'allow', schedule: '0 9 * * 2-4', duration: '5h', applications: ['*'], manualSync: false, timeZone: 'UTC' };

/**
 * The sync windows of the environment's AppProjects: production's manual-sync window, then the environment data's
 * own (freezes), in their order; undefined when there are none.
 */
export function projectSyncWindows(env: EnvironmentSpec): ArgoSyncWindow[] | undefined {
  const problems = syncWindowProblems(env.syncWindows ?? [], env.regions.map((r) => r.clusterName));
  if (problems.length > 0) throw new EnvironmentError(env.name, problems);
  const windows: ArgoSyncWindow[] = [
    ...(env.production ? [PRODUCTION_SYNC_WINDOW] : []),
    ...(env.syncWindows ?? []).map((w): ArgoSyncWindow => ({
      kind: w.kind,
      schedule: w.schedule.trim(),
      duration: w.duration,
      applications: w.applications && w.applications.length > 0 ? [...w.applications] : undefined,
      namespaces: w.namespaces && w.namespaces.length > 0 ? [...w.namespaces] : undefined,
      clusters: w.clusters && w.clusters.length > 0 ? [...w.clusters] : undefined,
      manualSync: w.manualSync ?? false,
      timeZone: w.timeZone ?? 'UTC',
      description: w.description,
    })),
  ];
  return windows.length > 0 ? windows : undefined;
}

/** The name of the environment's root Application. */
export function rootApplicationName(env: EnvironmentSpec): string {
  return `${env.name}-root`;
}

/** The root Application's file in `<env>/argocd/` (as the GitOps writer names it: `<kind>-<namespace>-<name>.yaml`). */
export function rootApplicationFile(env: EnvironmentSpec): string {
  return `application-${ARGOCD_NAMESPACE}-${rootApplicationName(env)}.yaml`;
}

/**
 * The Argo CD objects of one environment, written to `<env>/argocd/`: an AppProject that allows only the
 * environment's repository and clusters, one Application per cluster and component with a sync wave derived from
 * the component dependencies, and a root Application (app of apps) over this folder.
 */
export function buildArgoCd(chart: Chart, env: EnvironmentSpec, components: ReadonlyArray<ComponentNode & { readonly appliedTo?: 'cluster' | 'argocd' }>): void {
  const waves = syncWaves(components);
  const project = env.name;
  const syncWindows = projectSyncWindows(env);
  // The add-ons' charts install CRDs, webhooks, API services and cluster roles: their own project allows any
  // cluster-wide kind, but only from the pinned charts' repositories and only into the add-ons' namespaces.
  const addons = env.addons.enabled;
  new ArgoAppProject(chart, 'AddonsProject', {
    metadata: { name: `${env.name}-addons`, namespace: ARGOCD_NAMESPACE, labels: labels(env.name, 'addons') },
    spec: {
      description: `fleetcraft ${env.name}: the cluster add-ons (${addons.length}), pinned Helm charts`,
      sourceRepos: [...new Set(addons.map((a) => ADDON_CHARTS[a].repoURL))].sort(),
      destinations: env.regions.flatMap((r) => [...new Set(addons.map((a) => ADDONS[a].namespace))].sort().map((namespace) => ({ name: r.clusterName, namespace }))),
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
      syncWindows,
    },
  });
  new ArgoAppProject(chart, 'Project', {
    metadata: { name: project, namespace: ARGOCD_NAMESPACE, labels: labels(env.name, 'argocd') },
    spec: {
      description: `fleetcraft ${env.name}: ${env.regions.map((r) => r.clusterName).join(', ')}`,
      sourceRepos: [env.gitRepoUrl],
      destinations: [
        ...env.regions.map((r) => ({ name: r.clusterName, namespace: '*' })),
        { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
      ],
      clusterResourceWhitelist: [
        { group: '', kind: 'Namespace' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
        { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
        { group: 'cert-manager.io', kind: 'ClusterIssuer' },
        { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
        { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
        { group: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshotClass' },
        { group: 'storage.k8s.io', kind: 'StorageClass' },
      ],
      namespaceResourceWhitelist: [{ group: '*', kind: '*' }],
      orphanedResources: { warn: true },
      syncWindows,
    },
  });
  for (const region of env.regions) {
    for (const component of components) {
      const name = `${env.name}-${region.clusterName}-${component.name}`;
      new ArgoApplication(chart, name, {
        metadata: {
          name,
          namespace: ARGOCD_NAMESPACE,
          labels: { ...labels(env.name, component.name), 'fleetcraft.io/cluster': region.clusterName },
          annotations: { 'argocd.argoproj.io/sync-wave': String(waves[component.name]) },
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec: {
          project,
          source: { repoURL: env.gitRepoUrl, path: `${env.name}/${region.clusterName}/${component.name}`, targetRevision: GITOPS_REVISION },
          // The add-ons' Applications live next to Argo CD; each of them installs into its cluster.
          destination: component.appliedTo === 'argocd' ? { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE } : { name: region.clusterName },
          syncPolicy: syncPolicy(env),
          revisionHistoryLimit: 10,
        },
      });
    }
  }
  new ArgoApplication(chart, 'Root', {
    metadata: { name: rootApplicationName(env), namespace: ARGOCD_NAMESPACE, labels: labels(env.name, 'argocd') },
    spec: {
      project,
      // Its own file is left out: the root has one owner, whoever applied it (Pulumi, or `kubectl apply` by hand).
      source: { repoURL: env.gitRepoUrl, path: `${env.name}/argocd`, targetRevision: GITOPS_REVISION, directory: { exclude: rootApplicationFile(env) } },
      destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
      syncPolicy: syncPolicy(env),
    },
  });
}
