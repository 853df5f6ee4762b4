#!/usr/bin/env node
'use strict';
// Removes compiled files whose TypeScript source no longer exists (a moved or deleted module), so an incremental
// build never leaves a stale module that Node would load instead of the new folder of the same name.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist-lib');
const compiled = /\.(js|d\.ts)$/;
let removed = 0;

function walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(full);
      if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
    } else if (compiled.test(entry.name)) {
      const source = path.join(root, path.relative(out, full)).replace(compiled, '.ts');
      if (!fs.existsSync(source)) {
        fs.rmSync(full);
        removed++;
      }
    }
  }
}

walk(out);
if (removed > 0) console.error(`prune-build: removed ${removed} compiled file(s) whose source is gone`);
