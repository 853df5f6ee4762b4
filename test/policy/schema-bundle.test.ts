import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleSchemas, mergeSchemaBundles, parseSchemaBundle, SchemaBundle } from '../../lib/policy/schema-bundle';
import { SchemaRegistry } from '../../lib/policy/schema';
import { bundleSchemaFolder, CACHE_VERSIONS_KEPT, folderValidatorCache, parseSources, SCHEMA_BUNDLE_FILE, shippedSchemaBundle } from '../../stacks/schemas';
import { describeWithSchemas, SCHEMA_DIR } from '../util';

const ROOT = path.resolve(__dirname, '..', '..');

const WIDGET_CRD = (extra: Record<string, unknown> = {}) => `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        description: A widget, described at length for humans.
        properties:
          spec:
            type: object
            description: What the widget should be.
            properties: ${JSON.stringify({ size: { type: 'integer', description: 'How big.' }, ...extra })}
  - name: v0
    served: false
    storage: false
    schema:
      openAPIV3Schema: {type: object}
`;

const widget = (spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'app' }, spec });

/** Every key used as a schema keyword anywhere in a schema (the names under `properties` are field names, not keywords). */
function keywords(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => keywords(n, out));
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      out.add(k);
      if (k === 'properties' || k === 'patternProperties' || k === 'definitions') Object.values(v as object).forEach((p) => keywords(p, out));
      else keywords(v, out);
    }
  }
  return out;
}

describe('bundleSchemas', () => {
  const bundle = bundleSchemas([{ path: 'example/widgets.yaml', text: WIDGET_CRD() }], [
    { file: 'example/widgets.yaml', project: 'example/widgets', release: 'v1.2.3', commit: 'abc', license: 'Apache-2.0' },
    { file: 'example/not-here.yaml', project: 'example/other', release: 'v9' },
  ]);

  test('keeps served versions only, keyed by group/version/Kind, with the file each came from', () => {
    expect(Object.keys(bundle.kinds)).toEqual(['example.com/v1/Widget']);
    expect(bundle.kinds['example.com/v1/Widget'].source).toBe('example/widgets.yaml');
  });

  test('strips prose and makes objects strict', () => {
    const words = keywords(bundle.kinds['example.com/v1/Widget'].schema);
    expect(words.has('description')).toBe(false);
    expect(bundle.kinds['example.com/v1/Widget'].schema).toMatchObject({ additionalProperties: false, properties: { spec: { additionalProperties: false } } });
  });

  test('records the sources of the files it holds, and only those', () => {
    expect(bundle.sources).toEqual([{ file: 'example/widgets.yaml', project: 'example/widgets', release: 'v1.2.3', commit: 'abc', license: 'Apache-2.0' }]);
  });

  test('the hash follows the content: the same input gives the same hash, another input another', () => {
    expect(bundleSchemas([{ path: 'example/widgets.yaml', text: WIDGET_CRD() }], bundle.sources).hash).toBe(bundle.hash);
    expect(bundleSchemas([{ path: 'example/widgets.yaml', text: WIDGET_CRD({ colour: { type: 'string' } }) }], bundle.sources).hash).not.toBe(bundle.hash);
  });

  test('a file that is neither OpenAPI, a known JSON Schema nor YAML is an error naming it', () => {
    expect(() => bundleSchemas([{ path: 'x/odd.json', text: '{"type": "object"}' }])).toThrow(/schema file x\/odd\.json is neither an OpenAPI v2 document nor a known JSON Schema/);
    expect(() => bundleSchemas([{ path: 'x/bad.json', text: '{' }])).toThrow(/schema file x\/bad\.json is not valid JSON/);
    expect(() => bundleSchemas([{ path: 'x/bad.yaml', text: 'a: [' }])).toThrow(/schema file x\/bad\.yaml is not valid YAML/);
  });
});

describe('parseSchemaBundle', () => {
  const bundle = bundleSchemas([{ path: 'w.yaml', text: WIDGET_CRD() }]);

  test('reads what bundleSchemas wrote', () => {
    expect(parseSchemaBundle(JSON.stringify(bundle), 'b.json', true)).toEqual(bundle);
  });

  test('refuses another format, broken JSON and (when asked to verify) edited content, saying how to rebuild', () => {
    expect(() => parseSchemaBundle(JSON.stringify({ ...bundle, format: 2 }), 'b.json')).toThrow('schema bundle b.json is not a format-1 fleetcraft bundle; rebuild it with npm run schemas');
    expect(() => parseSchemaBundle('{', 'b.json')).toThrow(/schema bundle b\.json is not valid JSON .*rebuild it with npm run schemas/);
    const edited = { ...bundle, kinds: { ...bundle.kinds, 'example.com/v1/Gadget': bundle.kinds['example.com/v1/Widget'] } };
    expect(() => parseSchemaBundle(JSON.stringify(edited), 'b.json', true)).toThrow('schema bundle b.json does not match its recorded hash (edited or truncated); rebuild it with npm run schemas');
  });
});

describe('mergeSchemaBundles', () => {
  const base = bundleSchemas([{ path: 'w.yaml', text: WIDGET_CRD() }]);

  test('a kind of the extra folder replaces the base\'s; others are kept and added', () => {
    const extra = bundleSchemas([{ path: 'w2.yaml', text: WIDGET_CRD({ colour: { type: 'string' } }) }]);
    const merged = SchemaRegistry.fromBundle(mergeSchemaBundles(base, extra));
    expect(merged.validate(widget({ size: 1, colour: 'red' }))).toEqual([]);
    expect(SchemaRegistry.fromBundle(base).validate(widget({ size: 1, colour: 'red' })).map((v) => v.message)).toEqual(['unknown field "colour" (not in the schema; check its spelling and placement)']);
    expect(merged.bundle.kinds['example.com/v1/Widget'].source).toBe('w2.yaml');
  });

  test('an OpenAPI document replaces the Kubernetes version wholesale, custom resources stay', () => {
    const swagger = (kind: string) => JSON.stringify({
      swagger: '2.0',
      definitions: {
        'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' } } },
        [`io.k8s.api.core.v1.${kind}`]: {
          type: 'object', 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind }],
          properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' } },
        },
      },
    });
    const withCore = mergeSchemaBundles(base, bundleSchemas([{ path: 'k/old.json', text: swagger('Pod') }]));
    const merged = mergeSchemaBundles(withCore, bundleSchemas([{ path: 'k/new.json', text: swagger('Namespace') }]));
    expect(Object.keys(merged.kinds)).toEqual(['example.com/v1/Widget', 'v1/Namespace']);
    const registry = SchemaRegistry.fromBundle(merged);
    expect(registry.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', nmae: 'b' } } as never).map((v) => v.message)).toEqual(['unknown field "nmae" (not in the schema; check its spelling and placement)']);
    expect(registry.validate({ ...widget({ size: 1 }), metadata: { name: 'w', labelz: {} } } as never).map((v) => `${v.path}: ${v.message}`)).toEqual(['metadata: unknown field "labelz" (not in the schema; check its spelling and placement)']);
  });
});

describe('the validator cache', () => {
  const bundle = bundleSchemas([{ path: 'w.yaml', text: WIDGET_CRD() }]);
  const broken = widget({ size: 'big', colour: 'red' });
  const messages = (r: SchemaRegistry) => r.validate(broken).map((v) => `${v.path}: ${v.message}`);
  const expected = messages(SchemaRegistry.fromBundle(bundle));

  test('compiled code and V8\'s code cache are kept per bundle hash and kind, and a later run gives the same verdicts from them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-cache-'));
    expect(messages(SchemaRegistry.fromBundle(bundle, { cache: folderValidatorCache(dir) }))).toEqual(expected);
    const files = fs.readdirSync(path.join(dir, fs.readdirSync(dir)[0], 'example.com', 'v1')).sort();
    expect(files).toEqual(['Widget.js', 'Widget.v8']);
    expect(fs.readdirSync(dir)[0]).toMatch(new RegExp(`^${bundle.hash.slice(0, 32)}-v\\d+-ajv\\d+\\.\\d+\\.\\d+$`));
    // a second process would find both: a fresh registry reads them instead of compiling
    let compiled = 0;
    const cache = folderValidatorCache(dir);
    const counting = { read: (k: string) => cache.read(k), write: (k: string, v: { source: string }) => { compiled += v.source.length > 0 && !('codeCache' in v) ? 1 : 0; cache.write(k, v); } };
    expect(messages(SchemaRegistry.fromBundle(bundle, { cache: counting }))).toEqual(expected);
    expect(compiled).toBe(0);
    expect([...expected].sort()).toEqual(['spec.size: must be integer', 'spec: unknown field "colour" (not in the schema; check its spelling and placement)']);
  });

  test('a corrupt or foreign cache entry costs a compile, never a wrong verdict', () => {
    const entries = new Map<string, { source: string }>();
    const cache = { read: (k: string) => entries.get(k), write: (k: string, v: { source: string }) => { entries.set(k, v); } };
    expect(messages(SchemaRegistry.fromBundle(bundle, { cache }))).toEqual(expected);
    const key = [...entries.keys()][0];
    for (const source of ['module.exports = 42', 'this is not JavaScript', 'require("fs"); module.exports = () => true']) {
      entries.set(key, { source });
      expect(messages(SchemaRegistry.fromBundle(bundle, { cache }))).toEqual(expected);
    }
  });

  test('a new version (another bundle, code or ajv) makes room: the cache folder keeps the most recent versions only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-cache-'));
    const old = Array.from({ length: CACHE_VERSIONS_KEPT + 1 }, (_, i) => `old${i}-v1-ajv8.0.0`);
    old.forEach((name, i) => {
      fs.mkdirSync(path.join(dir, name, 'v1'), { recursive: true });
      const when = new Date(Date.UTC(2026, 0, 1 + i));
      fs.utimesSync(path.join(dir, name), when, when);
    });
    expect(messages(SchemaRegistry.fromBundle(bundle, { cache: folderValidatorCache(dir) }))).toEqual(expected);
    const kept = fs.readdirSync(dir).sort();
    expect(kept).toHaveLength(CACHE_VERSIONS_KEPT);
    expect(kept).toEqual([...old.slice(-(CACHE_VERSIONS_KEPT - 1)), fs.readdirSync(dir).find((n) => n.startsWith(bundle.hash.slice(0, 32)))].sort());
  });

  test('a cache that cannot be written still validates', () => {
    const cache = { read: () => undefined, write: () => { throw new Error('read-only'); } };
    expect(messages(SchemaRegistry.fromBundle(bundle, { cache }))).toEqual(expected);
  });
});

describe('parseSources', () => {
  test('reads the file, project, release, commit and licence columns of a SOURCES.md table', () => {
    expect(parseSources('| File | Upstream repo | Upstream path | Release / ref | Commit | License |\n|---|---|---|---|---|---|\n| `a/b.yaml` | org/proj | `x/b.yaml` | v1.0.0 | `abc` | Apache-2.0 |\n'))
      .toEqual([{ file: 'a/b.yaml', project: 'org/proj', release: 'v1.0.0', commit: 'abc', license: 'Apache-2.0' }]);
  });
});

describeWithSchemas('the shipped schema bundle', () => {
  let shipped: SchemaBundle;
  beforeAll(() => {
    if (!fs.existsSync(SCHEMA_BUNDLE_FILE)) throw new Error(`${SCHEMA_BUNDLE_FILE} is missing: run npm run build (it builds the bundle from ${SCHEMA_DIR})`);
    shipped = shippedSchemaBundle() as SchemaBundle;
  });

  test('is not stale against ../shared/crds (npm run schemas rebuilds it)', () => {
    expect(bundleSchemaFolder(SCHEMA_DIR).hash).toBe(shipped.hash);
    expect(parseSchemaBundle(fs.readFileSync(SCHEMA_BUNDLE_FILE, 'utf8'), SCHEMA_BUNDLE_FILE, true).hash).toBe(shipped.hash);
  });

  test('holds Kubernetes 1.36 and every CRD, with a source for every file, and no prose', () => {
    expect(Object.keys(shipped.kinds)).toEqual(expect.arrayContaining(['apps/v1/Deployment', 'policy/v1/PodDisruptionBudget', 'velero.io/v1/Schedule', 'argoproj.io/v1alpha1/Application', 'cilium.io/v2/CiliumNetworkPolicy']));
    expect(Object.keys(shipped.kinds)).not.toContain('policy/v1beta1/PodDisruptionBudget');
    const files = new Set(Object.values(shipped.kinds).map((k) => k.source));
    expect([...files].filter((f) => !shipped.sources.some((s) => s.file === f))).toEqual([]);
    expect(shipped.sources.find((s) => s.file === 'kubernetes/swagger-v1.36.json')).toMatchObject({ project: 'kubernetes-client/python' });
    const text = fs.readFileSync(SCHEMA_BUNDLE_FILE, 'utf8');
    const words = keywords([shipped.definitions, Object.values(shipped.kinds).map((k) => k.schema ?? {})]);
    expect(['description', 'example', 'externalDocs', 'x-kubernetes-group-version-kind'].filter((w) => words.has(w))).toEqual([]);
    expect(text.length).toBeLessThan(0.2 * Number(fs.readdirSync(SCHEMA_DIR, { recursive: true }).map((f) => path.join(SCHEMA_DIR, String(f))).filter((f) => fs.statSync(f).isFile()).reduce((n, f) => n + fs.statSync(f).size, 0)));
  });

  test('the README lists every project and release the bundle came from', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Where the schemas come from'));
    const missing = [...new Set(shipped.sources.map((s) => `| ${s.project} | ${s.release} |`))].filter((row) => !section.includes(row));
    expect(missing).toEqual([]);
  });
});
