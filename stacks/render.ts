import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Document, isScalar, Scalar, visit } from 'yaml';
import { EnvironmentSpec, validateEnvironment } from '../environments';
import { checkConformance, ClusterAddons, coverageViolations, describeObject, KubeObject, runRules, SchemaRegistry, Violation } from '../lib';
import { syncWaves } from './components';
import { GitOpsError } from './gitops-paths';
import { BOOTSTRAP_PROVIDERS, buildEnvironment, ComponentChart, COMPONENTS, constructErrors } from './platform';

/** One object placed in the GitOps tree. */
export interface RenderedObject {
  /** Path relative to the output folder: `<env>/<cluster>/<component>/<file>.yaml`. */
  readonly path: string;
  readonly env: string;
  /** The cluster the object is applied to; undefined for environment-wide objects (Argo CD). */
  readonly cluster?: string;
  readonly component: string;
  readonly object: KubeObject;
}

/** An environment rendered in memory: every object, where it goes, and what the checks found. */
export interface RenderedEnvironment {
  readonly env: string;
  readonly clusters: readonly string[];
  readonly objects: readonly RenderedObject[];
  readonly violations: readonly Violation[];
}

/** The file name of an object: `<kind>-<name>.yaml`, with the namespace for namespaced objects. */
export function fileNameOf(obj: KubeObject): string {
  const kind = obj.kind.toLowerCase();
  const name = obj.metadata?.name ?? 'unnamed';
  return obj.metadata?.namespace ? `${kind}-${obj.metadata.namespace}-${name}.yaml` : `${kind}-${name}.yaml`;
}

/**
 * Plain scalars that a YAML 1.1 reader or Go's integer parser (which the YAML library behind kubectl and Argo CD
 * uses) would not read as a string, beyond what the `yaml` package's 1.1 schema already quotes: Go integer
 * literals with prefixes and underscores (`0o17`, `0x_1F`, `1_000`), and the merge and value keys.
 */
const GO_LITERAL = /^[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.[0-9_]+([eE][-+]?[0-9]+)?)$|^(<<|=)$/;

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * Serializes one object the way every file is written (stable: same object, same bytes). Strings are quoted
 * wherever a YAML 1.1 reader would take them for a boolean, number, null or timestamp (`Off`, `on`, `y`,
 * `2001-12-14`, `1:20`, `0o17`): kubectl and Argo CD decode YAML 1.1, the VPA API rejects `updateMode: false`.
 */
export function toYaml(obj: KubeObject): string {
  // without the merge tag, which would print the string '<<' bare, as a merge key
  const doc = new Document(obj, { version: '1.1', aliasDuplicateObjects: false, customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== MERGE_TAG) });
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (isScalar(node) && typeof node.value === 'string' && GO_LITERAL.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/**
 * A chart and the folder its objects go to: `<name>/<cluster>/<component>/` when it belongs to a cluster,
 * `<name>/<component>/` otherwise. The platform's `ComponentChart` is one.
 */
export interface PlacedChart {
  readonly chart: Chart;
  /** The folder of the chart's objects, below the cluster's folder when there is one. */
  readonly component: string;
  /** The cluster the chart's objects are applied to; the policy rules see one cluster's objects at a time. */
  readonly cluster?: string;
}

/** A chart's id as a folder name: letters, digits, `.`, `_`, `-`; nested charts join their ids with `-`. */
const FOLDER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The folder of a chart of a user's app: its construct path below the App, `/` replaced by `-`. */
export function chartFolder(chart: Chart): string {
  const folder = chart.node.scopes.slice(1).map((s) => s.node.id).join('-');
  if (!FOLDER.test(folder) || folder.length > 253) {
    const suggestion = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|-+$/g, '') || 'app';
    throw new GitOpsError(`chart '${chart.node.path}': its id names the folder of its objects (${JSON.stringify(folder)}) and must be letters, ` +
      `digits, '.', '_' or '-' (at most 253), starting with a letter or digit; nothing was rendered. Rename the chart, e.g. '${suggestion}'`);
  }
  return folder;
}

/** Whether a value is a cdk8s App, by shape (an App from another copy of cdk8s counts too). */
export function isApp(value: unknown): value is App {
  const v = value as { synth?: unknown; node?: { scope?: unknown }; charts?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.synth === 'function' && typeof v.node === 'object' && v.node.scope === undefined &&
    Array.isArray(v.charts);
}

/**
 * Places the charts of a user's app: an App (every chart of it, nested ones too), one chart, or a list of charts,
 * each in the folder named by its id. A chart's objects are applied to one cluster: the policy rules see them all.
 */
export function placeCharts(source: App | Chart | readonly Chart[]): PlacedChart[] {
  const charts: readonly Chart[] = isApp(source) ? source.charts : Chart.isChart(source) ? [source] : source;
  if (charts.length === 0) throw new GitOpsError('the app has no charts, so there is nothing to write; add a Chart to the App');
  const placed = charts.map((chart) => ({ chart, component: chartFolder(chart) }));
  const seen = new Map<string, string>();
  for (const p of placed) {
    const other = seen.get(p.component);
    if (other !== undefined) {
      throw new GitOpsError(`charts '${other}' and '${p.chart.node.path}' would share the folder ${p.component}/; nothing was rendered. Rename one of them`);
    }
    seen.set(p.component, p.chart.node.path);
  }
  return placed;
}

/**
 * The policy checks fleetcraft's constructs add to their App (`PolicyChecks`, a child of the App with this id):
 * render runs the same rules itself, per cluster and with the schemas, so it skips that validation (reporting each
 * finding once) and honours the rules the App skips (`PolicyChecks.of(app).skip(rule, reason)`).
 */
const APP_CHECKS_ID = 'FleetcraftPolicyChecks';

function appChecks(app: IConstruct): IConstruct | undefined {
  return app.node.tryFindChild(APP_CHECKS_ID);
}

/** The rule ids the App's checks skip (none when it has no checks). */
function appSkips(app: IConstruct): string[] {
  const skipped = (appChecks(app) as { skipped?: unknown } | undefined)?.skipped;
  return skipped instanceof Map ? [...skipped.keys()].filter((k): k is string => typeof k === 'string') : [];
}

/**
 * A chart's objects as plain JSON, in dependency order: what `chart.toJson()` returns, without the validation of
 * the whole App it runs first (which throws one error listing every failure). Render runs the construct
 * validations itself, reporting each failure as a violation, and the policy rules per cluster in place of the
 * App's own checks.
 */
function objectsOf(chart: Chart): KubeObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart)
    .map((o) => o.toJson() as KubeObject);
}

/**
 * Renders placed charts under the folder `name` and checks every object: construct validations, API-server rules,
 * upstream schemas (when a registry is given) and the policy rules, one cluster at a time (charts without a cluster
 * form one group). Nothing is written here.
 */
export function renderCharts(name: string, placed: readonly PlacedChart[], registry?: SchemaRegistry): RenderedEnvironment {
  const objects: RenderedObject[] = [];
  const seen = new Map<string, string>();
  const violations: Violation[] = [];
  const apps = new Set(placed.map((c) => c.chart.node.root));
  for (const app of apps) {
    for (const message of constructErrors(app, (c) => c !== appChecks(app))) {
      violations.push({ rule: 'construct', severity: 'error', object: name, path: '(root)', message });
    }
  }
  for (const c of placed) {
    for (const object of objectsOf(c.chart)) {
      const folder = c.cluster ? `${name}/${c.cluster}/${c.component}` : `${name}/${c.component}`;
      const path = `${folder}/${fileNameOf(object)}`;
      const previous = seen.get(path);
      if (previous) {
        violations.push({
          rule: 'synth/unique-path', severity: 'error', object: describeObject(object), path: '(root)',
          message: `would be written to ${path}, which ${previous} already uses; give one of them another name`,
        });
        continue;
      }
      seen.set(path, describeObject(object));
      objects.push({ path, env: name, cluster: c.cluster, component: c.component, object });
    }
  }
  violations.push(...checkConformance(objects.map((o) => o.object), registry));
  // Policy rules see one cluster's objects at a time (a Service must select a workload of its own cluster).
  const clusters = [...new Set(placed.map((c) => c.cluster).filter((c): c is string => c !== undefined))];
  for (const cluster of [...clusters, undefined]) {
    const own = objects.filter((o) => o.cluster === cluster).map((o) => o.object);
    const skip = new Set(placed.filter((c) => c.cluster === cluster).flatMap((c) => [...appSkips(c.chart.node.root)]));
    if (own.length > 0) violations.push(...runRules(own, { skip: [...skip] }));
  }
  return { env: name, clusters, objects, violations };
}

/**
 * Builds an environment's charts and checks every object (API-server rules always, upstream schemas when a
 * registry is given). Nothing is written here.
 */
export function renderEnvironment(env: EnvironmentSpec, registry?: SchemaRegistry): RenderedEnvironment {
  validateEnvironment(env);
  const charts = buildEnvironment(env);
  const rendered = renderCharts(env.name, charts, registry);
  return { ...rendered, violations: [...rendered.violations, ...addonCoverage(charts, rendered.objects)] };
}

/**
 * The add-on coverage of each cluster: every kind, namespace, IngressClass and metric its objects need is served by
 * Kubernetes, by what Pulumi installs before Argo CD's first sync, or by an add-on in an earlier sync wave; and no
 * on-demand add-on is installed where nothing uses it.
 */
export function addonCoverage(charts: readonly ComponentChart[], objects: readonly RenderedObject[]): Violation[] {
  const waves = syncWaves(COMPONENTS);
  const violations: Violation[] = [];
  for (const cluster of [...new Set(charts.map((c) => c.cluster).filter((c): c is string => c !== undefined))]) {
    const own = objects.filter((o) => o.cluster === cluster);
    const addonsChart = charts.find((c) => c.cluster === cluster && c.component === 'addons')?.chart;
    const addons = addonsChart?.node.findAll().find((c): c is ClusterAddons => c instanceof ClusterAddons);
    const providers = [...BOOTSTRAP_PROVIDERS, ...(addons?.providers(waves.addons) ?? [])];
    violations.push(...coverageViolations(own.map((o) => ({ object: o.object, wave: waves[o.component], group: o.component })), providers));
    if (addons) violations.push(...addons.unusedAddons(own.filter((o) => o.component !== 'addons').map((o) => o.object), `cluster ${cluster}`));
  }
  return violations;
}

/** The file contents of rendered environments, keyed by path relative to the output folder. */
export function filesOf(rendered: readonly RenderedEnvironment[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of rendered) for (const o of r.objects) files.set(o.path, toYaml(o.object));
  return files;
}
