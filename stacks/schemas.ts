import * as fs from 'fs';
import * as path from 'path';
import { SchemaDocument, SchemaRegistry } from '../lib';

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
