import { Document, isScalar, Scalar, visit } from 'yaml';
import { EnvironmentSpec, validateEnvironment } from '../environments';
import { checkConformance, describeObject, KubeObject, runRules, SchemaRegistry, Violation } from '../lib';
import { buildEnvironment, chartObjects, constructErrors } from './platform';

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
 * Builds an environment's charts and checks every object (API-server rules always, upstream schemas when a
 * registry is given). Nothing is written here.
 */
export function renderEnvironment(env: EnvironmentSpec, registry?: SchemaRegistry): RenderedEnvironment {
  validateEnvironment(env);
  const objects: RenderedObject[] = [];
  const seen = new Map<string, string>();
  const violations: Violation[] = [];
  const charts = buildEnvironment(env);
  const apps = new Set(charts.map((c) => c.chart.node.root));
  for (const app of apps) {
    for (const message of constructErrors(app)) {
      violations.push({ rule: 'construct', severity: 'error', object: env.name, path: '(root)', message });
    }
  }
  for (const c of charts) {
    for (const object of chartObjects(c.chart)) {
      const folder = c.cluster ? `${env.name}/${c.cluster}/${c.component}` : `${env.name}/${c.component}`;
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
      objects.push({ path, env: env.name, cluster: c.cluster, component: c.component, object });
    }
  }
  violations.push(...checkConformance(objects.map((o) => o.object), registry));
  // Policy rules see one cluster's objects at a time (a Service must select a workload of its own cluster).
  for (const cluster of env.regions.map((r) => r.clusterName)) {
    violations.push(...runRules(objects.filter((o) => o.cluster === cluster).map((o) => o.object)));
  }
  return { env: env.name, clusters: env.regions.map((r) => r.clusterName), objects, violations };
}

/** The file contents of rendered environments, keyed by path relative to the output folder. */
export function filesOf(rendered: readonly RenderedEnvironment[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of rendered) for (const o of r.objects) files.set(o.path, toYaml(o.object));
  return files;
}
