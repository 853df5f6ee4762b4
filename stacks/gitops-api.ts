/**
 * `fleetcraft/gitops`: the GitOps writer `fleetcraft synth` uses, for your own cdk8s app and for the platform
 * built from your own environments.
 *
 * ```ts
 * import { writeGitOps, FleetPlatform } from 'fleetcraft/gitops';
 * writeGitOps(app, 'gitops', { name: 'shop' });                  // gitops/shop/<chart>/<kind>-<namespace>-<name>.yaml
 * const drift = writeGitOps(app, 'gitops', { name: 'shop', check: true }).drift;   // [] when in sync
 * writeGitOps(new FleetPlatform(myEnvironment), 'gitops');        // gitops/<env>/<cluster>/<component>/…
 * ```
 *
 * Layout: an App's (or a list of charts') objects go to `<dir>/<name>/<chart>/`, one file per object named
 * `<kind>-<namespace>-<name>.yaml` (`<kind>-<name>.yaml` for cluster-wide objects), where `<chart>` is the chart's
 * id (nested charts join their ids with `-`). `<dir>/<name>/` is the unit the writer owns: its
 * `.fleetcraft-manifest.json` lists what it wrote, so the next write removes what the app no longer produces and
 * never touches files it did not write. Two apps may share `<dir>` under different names.
 */
import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { formatViolation, SchemaRegistry, Violation } from '../lib';
import { FleetPlatform } from './fleet-platform';
import { Drift, GitOpsError } from './gitops';
import { placeCharts, renderCharts, RenderedEnvironment } from './render';
import { bundledSchemaRegistry } from './schemas';
import { applyRendered, checkAppName } from './synth';

export { FleetPlatform } from './fleet-platform';
export { GitOpsError } from './gitops';
export type { Drift } from './gitops';
export type { ComponentChart } from './platform';
export { ENVIRONMENTS as BUNDLED_ENVIRONMENTS, EnvironmentError, environmentProblems, validateEnvironment } from '../environments';
export type {
  ApiSpec, BackupSpec, ConsensusSpec, EnvironmentSpec, FeatureFlags, NetworkAgentSpec, NodeGroupSpec, RegionSpec, ReplicaBounds,
} from '../environments';
export { loadSchemaRegistry } from './schemas';

/** What {@link writeGitOps} writes: a cdk8s App, one Chart, a list of Charts, or the platform of an environment. */
export type GitOpsSource = App | Chart | readonly Chart[] | FleetPlatform;

/** Options of {@link writeGitOps}. */
export interface WriteGitOpsOptions {
  /**
   * The folder under `dir` the objects go to, and the unit the writer prunes (a DNS-1123 label). For a
   * FleetPlatform it must be the environment's name (its Argo CD Applications sync `<environment>/…`).
   * @default 'app' for an App or charts; the environment's name for a FleetPlatform
   */
  readonly name?: string;
  /**
   * Compare only: write nothing and return every difference between `dir` and what a write would produce.
   * @default false
   */
  readonly check?: boolean;
  /**
   * Upstream schemas to check every object against (unknown kinds and fields): a registry; a folder of Kubernetes
   * OpenAPI and CRD files (`.json`, `.yaml`) laid over the package's schema bundle (adding kinds or replacing them);
   * or `false` for none. API-server and policy rules run regardless.
   * @default - the schema bundle the package ships (none, when it was built without one)
   */
  readonly schemas?: SchemaRegistry | string | false;
  /**
   * Milliseconds to wait for another run's lock on `dir`.
   * @default 60000
   */
  readonly lockTimeoutMs?: number;
}

/** What {@link writeGitOps} did. */
export interface GitOpsResult {
  /** The folder under `dir` that was written or checked. */
  readonly name: string;
  /** How many object files the app produces. */
  readonly objects: number;
  /** Warnings of the checks (errors throw {@link GitOpsValidationError} instead). */
  readonly warnings: readonly Violation[];
  /** With `check`: every difference (missing, changed, stale, foreign, pending, unsafe); [] when in sync. Otherwise []. */
  readonly drift: readonly Drift[];
  /** Files written, relative to `dir` ([] with `check`). */
  readonly written: readonly string[];
  /** Files already up to date ([] with `check`). */
  readonly unchanged: readonly string[];
  /** Files an earlier write produced that this one does not, removed ([] with `check`). */
  readonly removed: readonly string[];
  /** Manifest files the writer did not write, in the folders it writes (Argo CD would deploy them too). */
  readonly foreign: readonly string[];
}

/** The checks found errors; nothing was written. `violations` holds them, the message prints them as `validate` does. */
export class GitOpsValidationError extends GitOpsError {
  constructor(public readonly app: string, public readonly dir: string, public readonly violations: readonly Violation[]) {
    super(`${app}: ${violations.length} error(s); nothing was written to ${dir}:\n${violations.map(formatViolation).join('\n')}`);
    this.name = 'GitOpsValidationError';
  }
}

function registryOf(schemas: SchemaRegistry | string | false | undefined): SchemaRegistry | undefined {
  if (schemas === false) return undefined;
  if (schemas === undefined) return bundledSchemaRegistry();
  if (typeof schemas !== 'string') return schemas;
  if (!fs.existsSync(schemas)) throw new GitOpsError(`schemas: the folder ${schemas} does not exist; pass a folder of Kubernetes OpenAPI and CRD files, or omit schemas`);
  return bundledSchemaRegistry(schemas);
}

function render(source: GitOpsSource, name: string | undefined, registry: SchemaRegistry | undefined): RenderedEnvironment {
  if (source instanceof FleetPlatform) {
    const env = source.environment.name;
    if (name !== undefined && name !== env) {
      throw new GitOpsError(`name (${JSON.stringify(name)}) differs from the platform's environment '${env}', whose Argo CD Applications sync ` +
        `${env}/<cluster>/<component>/; omit name (or pass '${env}') and point dir at the repository's root`);
    }
    return renderCharts(env, source.charts, registry);
  }
  return renderCharts(checkAppName(name ?? 'app'), placeCharts(source), registry);
}

/**
 * Renders `source` into `<dir>/<name>/…`, one file per object, after the checks `fleetcraft synth` runs
 * (construct validations, API-server rules, upstream schemas when given, every policy rule), and writes it as one
 * atomic, locked change that removes what an earlier write produced and this one does not — or, with `check`,
 * compares and returns the drift. Nothing is written on any error.
 *
 * @throws GitOpsValidationError when a check finds an error (nothing written); GitOpsError for an unusable `dir`,
 *   `name`, chart id, a lock held too long, or a folder the writer refuses to touch.
 */
export function writeGitOps(source: GitOpsSource, dir: string, options: WriteGitOpsOptions = {}): GitOpsResult {
  if (typeof dir !== 'string') throw new GitOpsError(`dir (${String(dir)}) is not a folder path; pass one, e.g. 'gitops'`);
  const rendered = render(source, options.name, registryOf(options.schemas));
  const outcome = applyRendered([rendered], { outDir: dir, check: options.check === true, lockTimeoutMs: options.lockTimeoutMs });
  const base = { name: rendered.env, objects: rendered.objects.length, warnings: outcome.warnings };
  if (outcome.kind === 'refused') throw new GitOpsValidationError(rendered.env, dir, outcome.errors);
  if (outcome.kind === 'checked') return { ...base, drift: outcome.drift, written: [], unchanged: [], removed: [], foreign: [] };
  return { ...base, drift: [], ...outcome.result };
}
