import { EnvironmentSpec, validateEnvironment } from '../environments';
import { buildEnvironment, ComponentChart } from './platform';
import { environmentShapeProblems } from './user-modules';

/**
 * The fleetcraft platform for one environment of your own: every cluster's components (namespace baseline,
 * network agent, secrets, consensus, the federated API, backups, monitoring) and the environment's Argo CD
 * objects, built from your `EnvironmentSpec` exactly as `fleetcraft synth` builds the bundled dev, staging and
 * production.
 *
 * The charts live in their own cdk8s Apps (one per cluster, one for Argo CD), so the platform is not a construct
 * under your scope: write it with `writeGitOps(platform, repoRoot)`, which puts it into
 * `<repoRoot>/<environment>/<cluster>/<component>/` and `<repoRoot>/<environment>/argocd/` — the paths its
 * Argo CD Applications sync from `environment.gitRepoUrl`.
 *
 * @throws EnvironmentError listing every broken rule (`validateEnvironment`); an Error naming the missing fields
 *   when the value is not shaped like an EnvironmentSpec (a plain-JavaScript caller).
 */
export class FleetPlatform {
  /** The environment, validated. */
  public readonly environment: EnvironmentSpec;
  /** Every chart, with the cluster and component folder its objects go to (Argo CD's has no cluster). */
  public readonly charts: readonly ComponentChart[];

  constructor(environment: EnvironmentSpec) {
    const shape = environmentShapeProblems(environment);
    if (shape.length > 0) {
      const name = typeof (environment as { name?: unknown } | null)?.name === 'string' ? `'${environment.name}'` : '(unnamed)';
      throw new Error(`FleetPlatform: environment ${name} is not an EnvironmentSpec: ${shape.join('; ')}; see the EnvironmentSpec type`);
    }
    this.environment = validateEnvironment(environment);
    this.charts = buildEnvironment(environment);
  }

  /** The clusters' names, in region order (each is a folder under the environment's). */
  public get clusters(): string[] {
    return this.environment.regions.map((r) => r.clusterName);
  }
}
