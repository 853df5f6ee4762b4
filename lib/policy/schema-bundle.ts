import { createHash } from 'crypto';
import { CORE_SCHEMA, loadAll } from 'js-yaml';

/** One schema file's text and where it came from (used in messages only). */
export interface SchemaDocument {
  /** The file's path, relative to the schema folder. */
  readonly path: string;
  /** The file's text: the Kubernetes OpenAPI v2 JSON, CRD YAML, or a JSON Schema. */
  readonly text: string;
}

/** Where one schema file came from upstream, as its folder's `SOURCES.md` states it. */
export interface SchemaSource {
  /** The file's path, relative to the schema folder. */
  readonly file: string;
  /** The upstream project (repository), e.g. `vmware-tanzu/velero`. */
  readonly project: string;
  /** The upstream release or ref, e.g. `v1.18.1`. */
  readonly release: string;
  /**
   * The upstream commit.
   * @default - not recorded
   */
  readonly commit?: string;
  /**
   * The upstream licence.
   * @default - not recorded
   */
  readonly license?: string;
}

/** A JSON Schema node. */
export type JsonSchema = { [key: string]: unknown };

/** Where one kind's schema lives in a bundle: a core definition's name, or a custom resource's root schema. */
export interface BundledKind {
  /** The schema file the kind came from. */
  readonly source: string;
  /**
   * The core definition the kind validates against (`definitions` of the bundle).
   * @default - the kind carries its own `schema`
   */
  readonly definition?: string;
  /**
   * A custom resource's strict root schema; its `$ref`s point into the bundle's `definitions`.
   * @default - the kind is a core `definition`
   */
  readonly schema?: JsonSchema;
}

/**
 * Only what validation needs from a folder of upstream schemas: every kind keyed by `group/version/Kind`, already
 * made strict, descriptions and examples stripped, with the sources it came from and a hash of its content.
 */
export interface SchemaBundle {
  /** The bundle format; a reader refuses any other. */
  readonly format: typeof SCHEMA_BUNDLE_FORMAT;
  /** SHA-256 of the content (`sources`, `definitions`, `kinds`): validators compiled from it are cached under it. */
  readonly hash: string;
  /** Where each file came from (empty when the folder has no `SOURCES.md`). */
  readonly sources: readonly SchemaSource[];
  /** The Kubernetes OpenAPI definitions, strict (empty when the folder has no OpenAPI document). */
  readonly definitions: Readonly<Record<string, JsonSchema>>;
  /** Every kind the bundle validates, by `group/version/Kind` (`v1/Kind` for the core group). */
  readonly kinds: Readonly<Record<string, BundledKind>>;
}

/** The bundle format this library reads and writes. */
export const SCHEMA_BUNDLE_FORMAT = 1;

/** The definition every custom resource's `metadata` is checked against. */
export const OBJECT_META_DEFINITION = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const INT_OR_STRING = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
const QUANTITY = { anyOf: [{ type: 'string' }, { type: 'number' }] };

/**
 * JSON Schema files that carry no group/version/kind of their own, keyed by file name.
 * (The Cilium schema is a converted CRD, not a CRD.)
 */
const PLAIN_SCHEMA_KINDS: Record<string, string> = {
  'ciliumnetworkpolicy_v2.json': 'cilium.io/v2/CiliumNetworkPolicy',
};

/** The key of an apiVersion and kind in a bundle. */
export function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/**
 * Builds a bundle from schema file texts (the Kubernetes OpenAPI v2 JSON, CRD YAML, plain JSON Schema). A kind
 * defined twice keeps the later file's schema, in the order given.
 */
export function bundleSchemas(docs: readonly SchemaDocument[], sources: readonly SchemaSource[] = []): SchemaBundle {
  let definitions: Record<string, JsonSchema> = {};
  const kinds: Record<string, BundledKind> = {};
  for (const doc of docs) {
    const base = doc.path.split('/').pop() ?? doc.path;
    if (doc.path.endsWith('.json')) {
      let json: JsonSchema;
      try {
        json = JSON.parse(doc.text) as JsonSchema;
      } catch (e) {
        throw new Error(`schema file ${doc.path} is not valid JSON: ${(e as Error).message}`);
      }
      if (typeof json.swagger === 'string' && typeof json.definitions === 'object' && json.definitions !== null) {
        definitions = openApiDefinitions(json.definitions as Record<string, JsonSchema>, doc.path, kinds);
      } else if (PLAIN_SCHEMA_KINDS[base]) {
        kinds[PLAIN_SCHEMA_KINDS[base]] = { source: doc.path, schema: rootSchema(json) };
      } else {
        throw new Error(`schema file ${doc.path} is neither an OpenAPI v2 document nor a known JSON Schema (${Object.keys(PLAIN_SCHEMA_KINDS).join(', ')})`);
      }
      continue;
    }
    let parsed: unknown[];
    try {
      parsed = loadAll(doc.text, undefined, { schema: CORE_SCHEMA });
    } catch (e) {
      throw new Error(`schema file ${doc.path} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    for (const item of parsed) {
      const crd = item as JsonSchema | null;
      if (crd && crd.kind === 'CustomResourceDefinition') addCrd(crd, doc.path, kinds);
    }
  }
  const listed = new Set(docs.map((d) => d.path));
  return sealBundle(sources.filter((s) => listed.has(s.file)), definitions, kinds);
}

/**
 * Lays `extra` over `base`: its kinds replace the base's of the same `group/version/Kind`, its OpenAPI definitions
 * (another Kubernetes version) replace the base's wholesale, and its sources are added.
 */
export function mergeSchemaBundles(base: SchemaBundle, extra: SchemaBundle): SchemaBundle {
  const hasCore = Object.keys(extra.definitions).length > 0;
  const kinds: Record<string, BundledKind> = {};
  for (const [key, kind] of Object.entries(base.kinds)) {
    // Core kinds of another Kubernetes version come with their definitions; the base's go with its definitions.
    if (!(hasCore && kind.definition)) kinds[key] = kind;
  }
  Object.assign(kinds, extra.kinds);
  const sources = [...base.sources.filter((s) => !extra.sources.some((e) => e.file === s.file)), ...extra.sources];
  return sealBundle(sources, hasCore ? extra.definitions : base.definitions, kinds);
}

/** Reads a bundle from its JSON text, refusing another format or a content that does not match its hash. */
export function parseSchemaBundle(text: string, where: string, verify = false): SchemaBundle {
  let bundle: SchemaBundle;
  try {
    bundle = JSON.parse(text) as SchemaBundle;
  } catch (e) {
    throw new Error(`schema bundle ${where} is not valid JSON (${(e as Error).message}); rebuild it with npm run schemas`);
  }
  if (bundle?.format !== SCHEMA_BUNDLE_FORMAT || typeof bundle.hash !== 'string' || typeof bundle.kinds !== 'object' || typeof bundle.definitions !== 'object') {
    throw new Error(`schema bundle ${where} is not a format-${SCHEMA_BUNDLE_FORMAT} fleetcraft bundle; rebuild it with npm run schemas`);
  }
  if (verify && contentHash(bundle.sources, bundle.definitions, bundle.kinds) !== bundle.hash) {
    throw new Error(`schema bundle ${where} does not match its recorded hash (edited or truncated); rebuild it with npm run schemas`);
  }
  return bundle;
}

function sealBundle(sources: readonly SchemaSource[], definitions: Record<string, JsonSchema>, unsorted: Record<string, BundledKind>): SchemaBundle {
  const kinds = Object.fromEntries(Object.keys(unsorted).sort().map((k) => [k, unsorted[k]]));
  const sorted = [...sources].sort((a, b) => a.file.localeCompare(b.file));
  return { format: SCHEMA_BUNDLE_FORMAT, hash: contentHash(sorted, definitions, kinds), sources: sorted, definitions, kinds };
}

function contentHash(sources: readonly SchemaSource[], definitions: Readonly<Record<string, JsonSchema>>, kinds: Readonly<Record<string, BundledKind>>): string {
  return createHash('sha256').update(JSON.stringify([sources, definitions, kinds])).digest('hex');
}

function openApiDefinitions(definitions: Record<string, JsonSchema>, source: string, kinds: Record<string, BundledKind>): Record<string, JsonSchema> {
  const strict: Record<string, JsonSchema> = {};
  for (const [name, def] of Object.entries(definitions)) {
    if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') strict[name] = INT_OR_STRING;
    else if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') strict[name] = QUANTITY;
    else strict[name] = strictify(def) as JsonSchema;
    const gvks = def['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined;
    if (!gvks || !(def.properties as JsonSchema | undefined)?.metadata) continue;
    for (const gvk of gvks) {
      kinds[gvkKey(gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, gvk.kind)] = { source, definition: name };
    }
  }
  return strict;
}

function addCrd(crd: JsonSchema, source: string, kinds: Record<string, BundledKind>): void {
  const spec = crd.spec as { group: string; names: { kind: string }; versions?: Array<JsonSchema> };
  for (const version of spec.versions ?? []) {
    if (version.served === false) continue;
    const schema = (version.schema as JsonSchema | undefined)?.openAPIV3Schema as JsonSchema | undefined;
    if (!schema) continue;
    kinds[gvkKey(`${spec.group}/${String(version.name)}`, spec.names.kind)] = { source, schema: rootSchema(schema) };
  }
}

/** Makes a custom resource's root schema strict and checks its metadata as real ObjectMeta. */
function rootSchema(schema: JsonSchema): JsonSchema {
  const root = strictify(schema) as JsonSchema;
  const properties: Record<string, unknown> = { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...(root.properties as Record<string, unknown> | undefined) };
  properties.metadata = { $ref: `#/definitions/${OBJECT_META_DEFINITION}` };
  return { ...root, properties, additionalProperties: false };
}

/**
 * Returns a copy of a schema in which every object that lists `properties` rejects unlisted ones (except under
 * `x-kubernetes-preserve-unknown-fields`), `x-kubernetes-int-or-string` accepts both, and `nullable` admits null;
 * prose (`description`, `example`) and the OpenAPI extensions no check reads are dropped.
 * Branches of `allOf`/`anyOf`/`oneOf`/`not` are value constraints, not structure, and are left open.
 */
function strictify(node: unknown, inCombinator = false): unknown {
  if (Array.isArray(node)) return node.map((n) => strictify(n, inCombinator));
  if (typeof node !== 'object' || node === null) return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === 'description' || key === 'example' || key === 'externalDocs' || key.startsWith('x-kubernetes-')) continue;
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
  if (src.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
  }
  if (!inCombinator && out.properties && out.additionalProperties === undefined
    && src['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}
