import * as fs from 'fs';
import * as path from 'path';
import { SchemaDocument, SchemaRegistry } from '../lib';

/** The schema folder beside the project (`../shared/crds`), where CI and developers keep the upstream schemas. */
export const DEFAULT_SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'shared', 'crds');

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

/** The schema folder to use: `explicit` if given, else `../shared/crds` when it exists, else none. */
export function findSchemaDir(explicit?: string): string | undefined {
  if (explicit) return path.resolve(explicit);
  const candidates = [path.resolve(process.cwd(), '..', 'shared', 'crds'), DEFAULT_SCHEMA_DIR];
  return candidates.find((c) => fs.existsSync(c));
}
