#!/usr/bin/env node
'use strict';
// Builds the schema bundle the package ships (dist-lib/schemas/fleetcraft-schemas.json) from a folder of upstream
// schemas: by default ../shared/crds beside the checkout, or --from DIR.
//   node scripts/schemas.js [--from DIR]   build it; fails when the folder is missing
//   node scripts/schemas.js --if-present   build it when the folder exists (npm run build), else keep what is there
//   node scripts/schemas.js --require      fail unless a bundle exists (npm pack refuses to ship without one)
const fs = require('fs');
const path = require('path');
const { parseArgs } = require('util');

const schemas = require('../dist-lib/stacks/schemas.js');

function main() {
  const { values } = parseArgs({ options: { from: { type: 'string' }, 'if-present': { type: 'boolean' }, require: { type: 'boolean' } } });
  const file = schemas.SCHEMA_BUNDLE_FILE;
  if (values.require) {
    if (!fs.existsSync(file)) {
      throw new Error(`no schema bundle at ${file}: run npm run schemas (with the upstream schemas in ../shared/crds, or --from DIR) before packing`);
    }
    return;
  }
  const dir = path.resolve(values.from ?? schemas.DEFAULT_SCHEMA_DIR);
  if (!fs.existsSync(dir)) {
    if (values['if-present']) {
      if (!fs.existsSync(file)) console.error(`schemas: ${dir} not found; no schema bundle built (validation warns and skips schema checks; npm run schemas -- --from DIR builds one)`);
      return;
    }
    throw new Error(`schema folder ${dir} not found; pass --from DIR with the Kubernetes OpenAPI document and the CRDs`);
  }
  const bundle = schemas.bundleSchemaFolder(dir);
  if (fs.existsSync(file)) {
    try {
      if (JSON.parse(fs.readFileSync(file, 'utf8')).hash === bundle.hash) return;
    } catch {
      // an unreadable bundle is rebuilt below
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(bundle));
  fs.renameSync(tmp, file);
  const kinds = Object.keys(bundle.kinds).length;
  console.error(`schemas: ${path.relative(process.cwd(), file)}: ${kinds} kinds from ${bundle.sources.length} files, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, sha256 ${bundle.hash.slice(0, 12)}`);
}

try {
  main();
} catch (e) {
  console.error(`schemas: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
