#!/usr/bin/env node
'use strict';
Promise.resolve(require('../dist-lib/stacks/cli.js').main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (error) => { console.error(`fleetcraft: ${error instanceof Error ? error.message : String(error)}`); process.exitCode = 1; },
);
