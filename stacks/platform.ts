import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { EnvironmentSpec, RegionSpec } from '../environments';
import { DEFAULT_POD_SECURITY_VERSION, KubeObject, NamespaceBaseline } from '../lib';
import { buildArgoCd } from './argocd';
import { ComponentNode } from './components';

/** The namespaces every cluster gets, with what runs in each. */
export const NAMESPACES = {
  consensus: 'consensus',
  api: 'api',
} as const;

/**
 * One component chart: a cluster's component, whose objects land in `<env>/<cluster>/<component>/`, or an
 * environment-wide one (Argo CD) without a cluster, in `<env>/<component>/`.
 */
export interface ComponentChart {
  readonly env: string;
  readonly cluster?: string;
  readonly region?: string;
  readonly component: string;
  readonly chart: Chart;
}

/** The Pod Security version label for an environment's Kubernetes minor. */
function podSecurityVersion(env: EnvironmentSpec): string {
  return env.kubernetesVersion ? `v${env.kubernetesVersion}` : DEFAULT_POD_SECURITY_VERSION;
}

/** The namespace baseline of one cluster. */
function baseline(scope: Construct, env: EnvironmentSpec): void {
  for (const name of Object.values(NAMESPACES)) {
    new NamespaceBaseline(scope, name, {
      name,
      podSecurityVersion: podSecurityVersion(env),
      partOf: 'fleetcraft',
    });
  }
}

/** A component of every cluster: what it depends on (for Argo CD sync waves) and what builds it. */
interface Component extends ComponentNode {
  readonly build: (scope: Construct, env: EnvironmentSpec, region: RegionSpec) => void;
}

/** The components of a cluster, in dependency order. */
const COMPONENTS: readonly Component[] = [
  { name: 'baseline', dependsOn: [], build: (scope, env) => baseline(scope, env) },
];

/** Builds every component chart of every cluster of an environment into `app`. */
export function buildEnvironment(app: App, env: EnvironmentSpec): ComponentChart[] {
  const charts: ComponentChart[] = [];
  for (const region of env.regions) {
    for (const component of COMPONENTS) {
      const chart = new Chart(app, `${env.name}-${region.clusterName}-${component.name}`, { disableResourceNameHashes: true });
      component.build(chart, env, region);
      charts.push({ env: env.name, cluster: region.clusterName, region: region.name, component: component.name, chart });
    }
  }
  const argo = new Chart(app, `${env.name}-argocd`, { disableResourceNameHashes: true });
  buildArgoCd(argo, env, COMPONENTS);
  charts.push({ env: env.name, component: 'argocd', chart: argo });
  return charts;
}

/** The objects of a chart, as plain JSON. */
export function chartObjects(chart: Chart): KubeObject[] {
  return chart.toJson() as KubeObject[];
}
