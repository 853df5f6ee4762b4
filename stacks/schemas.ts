import * as fs from 'fs';
import * as path from 'path';
import { SchemaDocument, SchemaRegistry } from '../lib';
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

/** The schema folder beside the project (`<project>/../shared/crds`), where CI and developers keep the upstream schemas. */
export const DEFAULT_SCHEMA_DIR = path.resolve(packageRoot(), '..', 'shared', 'crds');

/** Reads every `.json`, `.yaml` and `.yml` file under `dir` into a registry. */
export function loadSchemaRegistry(dir: string): SchemaRegistry {
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
  return SchemaRegistry.fromDocuments(docs);
}

/**
 * The schema folder to use: `explicit` if given, else the one beside the project when it exists, else none —
 * resolved from the project, never from the current directory, so a command gives the same answer anywhere.
 */
export function findSchemaDir(explicit?: string): string | undefined {
  if (explicit) return path.resolve(explicit);
  return fs.existsSync(DEFAULT_SCHEMA_DIR) ? DEFAULT_SCHEMA_DIR : undefined;
}

/** Registries loaded in this process, by folder (loading the Kubernetes OpenAPI takes a second or two). */
const registries = new Map<string, SchemaRegistry>();

/** The package's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The schemas a command checks against, from its `--schemas DIR` and `--no-schemas` options: none (with a warning)
 * when disabled or when no folder is found; a usage error when both options are given or the folder is unusable.
 */
export function resolveSchemas(explicit: string | undefined, disabled: boolean, out: { error(line: string): void }): { registry?: SchemaRegistry; dir?: string } {
  if (explicit !== undefined && disabled) throw new UsageError('--schemas and --no-schemas exclude each other');
  if (disabled) {
    out.error('warning: schema checks disabled (--no-schemas); policy and API-server rules still run');
    return {};
  }
  const dir = findSchemaDir(explicit);
  if (!dir) {
    out.error(`warning: no schema folder (${DEFAULT_SCHEMA_DIR}) found and no --schemas DIR given; upstream schema checks (unknown kinds and fields) skipped`);
    return {};
  }
  try {
    let registry = registries.get(dir);
    if (!registry) {
      registry = loadSchemaRegistry(dir);
      registries.set(dir, registry);
    }
    return { registry, dir };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
