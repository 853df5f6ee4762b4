import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundleSchemas, mergeSchemaBundles, parseSchemaBundle, SchemaBundle, SchemaDocument, SchemaSource } from '../lib/policy/schema-bundle';
import { SchemaRegistry, ValidatorCache } from '../lib/policy/schema';
import { UsageError } from './command';

/**
 * The project's root: the nearest folder above this module holding fleetcraft's package.json. The same from the
 * sources (`stacks/`) and from the build (`dist-lib/stacks/`), and independent of the current directory.
 */
function packageRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'fleetcraft') return dir;
  }
  return path.resolve(__dirname, '..');
}

/** The schema folder beside the project (`<project>/../shared/crds`), from which `npm run schemas` builds the bundle. */
export const DEFAULT_SCHEMA_DIR = path.resolve(packageRoot(), '..', 'shared', 'crds');

/**
 * The schema bundle the package ships (`npm run schemas` builds it from `../shared/crds`; `npm run build` refreshes
 * it whenever that folder is present).
 */
export const SCHEMA_BUNDLE_FILE = path.join(packageRoot(), 'dist-lib', 'schemas', 'fleetcraft-schemas.json');

/** Reads a folder's schema files, sorted by path (`.json`, `.yaml`, `.yml`; `SOURCES.md` gives their origins). */
export function readSchemaFolder(dir: string): { docs: SchemaDocument[]; sources: SchemaSource[] } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`schema folder ${dir} does not exist; pass --schemas DIR with the Kubernetes OpenAPI and CRD files`);
  }
  const docs: SchemaDocument[] = [];
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (/\.(json|ya?ml)$/.test(entry.name)) docs.push({ path: rel, text: fs.readFileSync(path.join(dir, rel), 'utf8') });
    }
  };
  walk('');
  const sourcesFile = path.join(dir, 'SOURCES.md');
  return { docs, sources: fs.existsSync(sourcesFile) ? parseSources(fs.readFileSync(sourcesFile, 'utf8')) : [] };
}

/**
 * The rows of a `SOURCES.md` table whose columns are File, Upstream repo, Upstream path, Release / ref, Commit and
 * License (backticks removed).
 */
export function parseSources(text: string): SchemaSource[] {
  const sources: SchemaSource[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, ''));
    if (cells.length < 6 || !/\.(json|ya?ml)$/.test(cells[0])) continue;
    sources.push({ file: cells[0], project: cells[1], release: cells[3], ...(cells[4] ? { commit: cells[4] } : {}), ...(cells[5] ? { license: cells[5] } : {}) });
  }
  return sources;
}

/** Builds a bundle from a folder of schema files. */
export function bundleSchemaFolder(dir: string): SchemaBundle {
  const { docs, sources } = readSchemaFolder(dir);
  return bundleSchemas(docs, sources);
}

/**
 * Where compiled validators are kept: `FLEETCRAFT_CACHE_DIR` if set; else `node_modules/.cache/fleetcraft` of the
 * project that installed the package, or of this checkout; else the system's temporary folder.
 */
export function validatorCacheDir(): string {
  if (process.env.FLEETCRAFT_CACHE_DIR) return path.resolve(process.env.FLEETCRAFT_CACHE_DIR);
  const root = packageRoot();
  if (path.basename(path.dirname(root)) === 'node_modules') return path.join(path.dirname(root), '.cache', 'fleetcraft');
  if (fs.existsSync(path.join(root, 'node_modules'))) return path.join(root, 'node_modules', '.cache', 'fleetcraft');
  return path.join(os.tmpdir(), 'fleetcraft-cache');
}

/**
 * A validator cache in a folder: one file per key, written atomically (a temporary file renamed into place), so
 * concurrent runs never read half a file. A folder that cannot be written only means compiling again.
 */
export function folderValidatorCache(dir: string = validatorCacheDir()): ValidatorCache {
  const parts = (key: string): string[] => key.split('/').map((part) => part.replace(/[^A-Za-z0-9._-]/g, '_'));
  const fileOf = (key: string, ext: string): string => `${path.join(dir, ...parts(key))}${ext}`;
  const put = (file: string, data: string | Uint8Array): void => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  };
  return {
    read(key) {
      let source: string;
      try {
        source = fs.readFileSync(fileOf(key, '.js'), 'utf8');
      } catch {
        return undefined;
      }
      try {
        return { source, codeCache: fs.readFileSync(fileOf(key, '.v8')) };
      } catch {
        return { source };
      }
    },
    write(key, validator) {
      if (!fs.existsSync(path.join(dir, parts(key)[0]))) pruneCacheVersions(dir);
      // Source first: a code cache is only ever read beside the source it was made from.
      if (!validator.codeCache || !fs.existsSync(fileOf(key, '.js'))) put(fileOf(key, '.js'), validator.source);
      if (validator.codeCache) put(fileOf(key, '.v8'), validator.codeCache);
      else fs.rmSync(fileOf(key, '.v8'), { force: true });
    },
  };
}

/** How many versions (bundle hash, code and ajv version) of compiled validators a cache folder keeps. */
export const CACHE_VERSIONS_KEPT = 4;

/**
 * Makes room for a new version in a cache folder: removes all but the `CACHE_VERSIONS_KEPT - 1` most recently
 * modified version folders (an upgrade leaves the old bundle's validators behind; nothing else would remove them).
 */
export function pruneCacheVersions(dir: string): void {
  let entries: Array<{ full: string; mtime: number }>;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())
      .map((e) => ({ full: path.join(dir, e.name), mtime: fs.statSync(path.join(dir, e.name)).mtimeMs }));
  } catch {
    return;
  }
  for (const old of entries.sort((a, b) => b.mtime - a.mtime).slice(CACHE_VERSIONS_KEPT - 1)) fs.rmSync(old.full, { recursive: true, force: true });
}

/** How registries are loaded. */
export interface LoadOptions {
  /** Keep compiled validators between runs (`FLEETCRAFT_CACHE=off` turns it off everywhere). Default true. */
  readonly cache?: boolean;
}

function cacheOf(options: LoadOptions): ValidatorCache | undefined {
  return options.cache === false || process.env.FLEETCRAFT_CACHE === 'off' ? undefined : folderValidatorCache();
}

/** A registry over every `.json`, `.yaml` and `.yml` file under `dir` (and nothing else). */
export function loadSchemaRegistry(dir: string, options: LoadOptions = {}): SchemaRegistry {
  return SchemaRegistry.fromBundle(bundleSchemaFolder(dir), { cache: cacheOf(options) });
}

let shippedBundle: SchemaBundle | undefined;

/** The bundle the package ships, or undefined when it was built without one. */
export function shippedSchemaBundle(): SchemaBundle | undefined {
  if (!shippedBundle && fs.existsSync(SCHEMA_BUNDLE_FILE)) {
    shippedBundle = parseSchemaBundle(fs.readFileSync(SCHEMA_BUNDLE_FILE, 'utf8'), SCHEMA_BUNDLE_FILE);
  }
  return shippedBundle;
}

/** Registries made in this process, by `--schemas` folder and cache use: each kind compiles or loads once per process. */
const registries = new Map<string, SchemaRegistry | undefined>();

/**
 * A registry over the shipped bundle with `extraDir`'s schemas laid over it (they add kinds or replace them; an
 * OpenAPI document replaces the Kubernetes version); undefined when there is neither. One per folder per process.
 */
export function bundledSchemaRegistry(extraDir?: string, options: LoadOptions = {}): SchemaRegistry | undefined {
  const cache = cacheOf(options);
  const key = `${extraDir === undefined ? '' : path.resolve(extraDir)}|${cache ? 'cached' : 'uncached'}`;
  if (!registries.has(key)) {
    const base = shippedSchemaBundle();
    const extra = extraDir ? bundleSchemaFolder(extraDir) : undefined;
    const bundle = base && extra ? mergeSchemaBundles(base, extra) : base ?? extra;
    registries.set(key, bundle ? SchemaRegistry.fromBundle(bundle, { cache }) : undefined);
  }
  return registries.get(key);
}

/** The package's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The schemas a command checks against, from its `--schemas DIR` and `--no-schemas` options: the shipped bundle,
 * with DIR's schemas laid over it; none (with a warning) when disabled, or when the package was built without a
 * bundle and no DIR is given; a usage error when both options are given or the folder is unusable.
 */
export function resolveSchemas(explicit: string | undefined, disabled: boolean, out: { error(line: string): void }): { registry?: SchemaRegistry; dir?: string } {
  if (explicit !== undefined && disabled) throw new UsageError('--schemas and --no-schemas exclude each other');
  if (disabled) {
    out.error('warning: schema checks disabled (--no-schemas); policy and API-server rules still run');
    return {};
  }
  const dir = explicit === undefined ? undefined : path.resolve(explicit);
  let registry: SchemaRegistry | undefined;
  try {
    registry = bundledSchemaRegistry(dir);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!registry) {
    out.error(`warning: this build of fleetcraft has no schema bundle (${SCHEMA_BUNDLE_FILE}) and no --schemas DIR was given; upstream schema checks (unknown kinds and fields) skipped; run npm run schemas in the fleetcraft checkout`);
    return {};
  }
  return { registry, dir };
}
