import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { describeObject, KubeObject, Violation } from './objects';
import { nearNames } from './spelling';

/** One schema file's text and where it came from (used in messages only). */
export interface SchemaDocument {
  /** The file's path, relative to the schema folder. */
  readonly path: string;
  /** The file's text: the Kubernetes OpenAPI v2 JSON, CRD YAML, or a JSON Schema. */
  readonly text: string;
}

type JsonSchema = { [key: string]: unknown };

const K8S_ID = 'k8s';
const OBJECT_META = `${K8S_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;
const INT_OR_STRING = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
const QUANTITY = { anyOf: [{ type: 'string' }, { type: 'number' }] };

/**
 * JSON Schema files that carry no group/version/kind of their own, keyed by file name.
 * (The Cilium schema is a converted CRD, not a CRD.)
 */
const PLAIN_SCHEMA_KINDS: Record<string, string> = {
  'ciliumnetworkpolicy_v2.json': 'cilium.io/v2/CiliumNetworkPolicy',
};

/**
 * Validates Kubernetes objects against upstream schemas, strictly: a field the schema does not list fails, and a
 * kind or apiVersion with no schema fails (a removed API such as `policy/v1beta1` PodDisruptionBudget included).
 *
 * Load it with the texts of the Kubernetes OpenAPI v2 document and any CustomResourceDefinitions; it reads no
 * files itself. Schemas are compiled on first use of each kind.
 */
export class SchemaRegistry {
  /** Builds a registry from schema file texts (OpenAPI v2 JSON, CRD YAML, or plain JSON Schema). */
  public static fromDocuments(docs: readonly SchemaDocument[]): SchemaRegistry {
    const registry = new SchemaRegistry();
    // The OpenAPI document first: custom resources' metadata is checked against its ObjectMeta.
    const isOpenApi = (d: SchemaDocument) => d.path.endsWith('.json') && d.text.includes('"swagger"');
    for (const doc of [...docs.filter(isOpenApi), ...docs.filter((d) => !isOpenApi(d))]) registry.add(doc);
    return registry;
  }

  private readonly ajv: Ajv;
  private readonly schemas = new Map<string, { source: string; schema: JsonSchema | string }>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private hasCore = false;

  private constructor() {
    // optimize: false — ajv's code optimizer cost ~0.4 s per synth and changes no result.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false, code: { regExp: goRegExp, optimize: false } });
  }

  /** Every `group/version/Kind` this registry can validate, sorted. */
  public get kinds(): string[] {
    return [...this.schemas.keys()].sort();
  }

  /** Whether a schema exists for this apiVersion and kind. */
  public has(apiVersion: string, kind: string): boolean {
    return this.schemas.has(gvkKey(apiVersion, kind));
  }

  /** Validates one object; returns every violation, or none. */
  public validate(obj: KubeObject): Violation[] {
    const object = describeObject(obj);
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      return [{ rule: 'schema', severity: 'error', object, path: '(root)', message: 'apiVersion and kind must both be strings' }];
    }
    const key = gvkKey(obj.apiVersion, obj.kind);
    const entry = this.schemas.get(key);
    if (!entry) {
      return [{ rule: 'schema', severity: 'error', object, path: '(root)', message: this.missingSchema(obj.apiVersion, obj.kind) }];
    }
    let validateFn = this.compiled.get(key);
    if (!validateFn) {
      validateFn = typeof entry.schema === 'string'
        ? this.ajv.getSchema(entry.schema)
        : this.ajv.compile(entry.schema);
      if (!validateFn) throw new Error(`schema for ${key} from ${entry.source} could not be compiled`);
      this.compiled.set(key, validateFn);
    }
    if (validateFn(obj)) return [];
    return simplifyErrors(validateFn.errors ?? []).map((e) => ({
      rule: 'schema', severity: 'error' as const, object, path: e.path, message: e.message,
    }));
  }

  /**
   * Why an apiVersion and kind have no schema, with the way out: another version serves the kind (a removed API such
   * as `policy/v1beta1`, or `extensions/v1beta1` whose kinds moved to `apps`), the group has no such kind (a typo),
   * or the group is unknown (a custom resource whose CRD is missing: a kind of the same name in another group, such
   * as Istio's Gateway for Gateway API's, is a different API and is not suggested).
   */
  private missingSchema(apiVersion: string, kind: string): string {
    const groupOf = (gv: string): string => (gv.includes('/') ? gv.slice(0, gv.indexOf('/')) : '');
    const builtIn = (g: string): boolean => !g.includes('.');
    const group = groupOf(apiVersion);
    const all = this.kinds.map((k) => ({ gv: k.slice(0, k.lastIndexOf('/')), kind: k.slice(k.lastIndexOf('/') + 1) }));
    const inGroup = all.filter((k) => groupOf(k.gv) === group);
    const head = `no schema for apiVersion ${apiVersion} kind ${kind}`;
    const servedAs = (inGroup.length > 0 || !builtIn(group) ? inGroup : all.filter((k) => builtIn(groupOf(k.gv))))
      .filter((k) => k.kind === kind).map((k) => k.gv);
    if (servedAs.length > 0) return `${head} (removed or unknown API); ${kind} is served as ${servedAs.join(', ')}`;
    if (inGroup.length > 0) {
      const near = nearNames(kind, [...new Set(inGroup.map((k) => k.kind))]);
      const hint = near.length > 0 ? `did you mean ${near.join(' or ')}?` : 'check the kind\'s spelling, or add the CustomResourceDefinition that defines it';
      return `${head}: API group ${group || 'core (v1)'} has no kind ${kind}; ${hint}`;
    }
    return `${head}: API group ${group} is unknown to the schemas (a custom resource?); add its CustomResourceDefinition to the schema folder or the input`;
  }

  private add(doc: SchemaDocument): void {
    const base = doc.path.split('/').pop() ?? doc.path;
    if (doc.path.endsWith('.json')) {
      const json = JSON.parse(doc.text) as JsonSchema;
      if (typeof json.swagger === 'string' && typeof json.definitions === 'object') {
        this.addOpenApi(json, doc.path);
      } else if (PLAIN_SCHEMA_KINDS[base]) {
        this.schemas.set(PLAIN_SCHEMA_KINDS[base], { source: doc.path, schema: this.rootSchema(json) });
      } else {
        throw new Error(`schema file ${doc.path} is neither an OpenAPI v2 document nor a known JSON Schema`);
      }
      return;
    }
    for (const parsed of loadAll(doc.text, undefined, { schema: CORE_SCHEMA })) {
      const crd = parsed as JsonSchema | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      this.addCrd(crd, doc.path);
    }
  }

  private addOpenApi(doc: JsonSchema, source: string): void {
    const definitions = doc.definitions as Record<string, JsonSchema>;
    const strict: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(definitions)) {
      if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') strict[name] = INT_OR_STRING;
      else if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') strict[name] = QUANTITY;
      else strict[name] = strictify(def);
    }
    this.ajv.addSchema({ $id: K8S_ID, definitions: strict });
    this.hasCore = true;
    for (const [name, def] of Object.entries(definitions)) {
      const gvks = def['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined;
      if (!gvks || !(def.properties as JsonSchema | undefined)?.metadata) continue;
      for (const gvk of gvks) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        this.schemas.set(gvkKey(apiVersion, gvk.kind), { source, schema: `${K8S_ID}#/definitions/${name}` });
      }
    }
  }

  private addCrd(crd: JsonSchema, source: string): void {
    const spec = crd.spec as { group: string; names: { kind: string }; versions?: Array<JsonSchema> };
    for (const version of spec.versions ?? []) {
      if (version.served === false) continue;
      const schema = (version.schema as JsonSchema | undefined)?.openAPIV3Schema as JsonSchema | undefined;
      if (!schema) continue;
      const key = gvkKey(`${spec.group}/${String(version.name)}`, spec.names.kind);
      this.schemas.set(key, { source, schema: this.rootSchema(schema) });
    }
  }

  /** Makes a custom resource's root schema strict and checks its metadata as real ObjectMeta. */
  private rootSchema(schema: JsonSchema): JsonSchema {
    const root = strictify(schema) as JsonSchema;
    const properties: Record<string, unknown> = { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...(root.properties as Record<string, unknown> | undefined) };
    properties.metadata = this.hasCore ? { $ref: OBJECT_META } : { type: 'object' };
    return { ...root, properties, additionalProperties: false };
  }
}

/**
 * Compiles a CRD's `pattern` the way the API server (Go's RE2) reads it: a leading inline flag such as `(?i)`
 * becomes a JavaScript flag.
 */
const goRegExp = Object.assign((pattern: string, flags: string): RegExp => {
  const inline = /\(\?([imsU]+)\)/g;
  const extra = new Set<string>();
  const source = pattern.replace(inline, (_m, f: string) => {
    for (const c of f) if (c === 'i' || c === 'm' || c === 's') extra.add(c);
    return '';
  });
  return new RegExp(source, flags + [...extra].join(''));
}, { code: 'goRegExp' });

function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/**
 * Returns a copy of a schema in which every object that lists `properties` rejects unlisted ones (except under
 * `x-kubernetes-preserve-unknown-fields`), `x-kubernetes-int-or-string` accepts both, and `nullable` admits null.
 * Branches of `allOf`/`anyOf`/`oneOf`/`not` are value constraints, not structure, and are left open.
 */
function strictify(node: unknown, inCombinator = false): unknown {
  if (Array.isArray(node)) return node.map((n) => strictify(n, inCombinator));
  if (typeof node !== 'object' || node === null) return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === 'description' || key === 'example') continue;
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, strictify(v)]));
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = typeof value === 'object' ? strictify(value) : value;
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf' || key === 'not') {
      out[key] = strictify(value, true);
    } else {
      out[key] = value;
    }
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    if (!Array.isArray(out.anyOf)) out.anyOf = INT_OR_STRING.anyOf;
  }
  if (src.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (!inCombinator && out.properties && out.additionalProperties === undefined
    && src['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/** Turns ajv's errors into one readable line each, dropping the noise that `anyOf` branches add. */
function simplifyErrors(errors: ErrorObject[]): Array<{ path: string; message: string }> {
  const seen = new Set<string>();
  const out: Array<{ path: string; message: string }> = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const path = e.instancePath ? e.instancePath.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.') : '(root)';
    let message: string;
    if (e.keyword === 'additionalProperties') {
      message = `unknown field "${String(e.params.additionalProperty)}" (not in the schema; check its spelling and placement)`;
    } else if (e.keyword === 'required') {
      message = `missing required field "${String(e.params.missingProperty)}"`;
    } else if (e.keyword === 'enum') {
      message = `${e.message ?? 'invalid'}: ${JSON.stringify(e.params.allowedValues)}`;
    } else {
      message = e.message ?? e.keyword;
    }
    const line = `${path}|${message}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push({ path, message });
  }
  return out;
}
