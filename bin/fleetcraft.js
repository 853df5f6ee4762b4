#!/usr/bin/env node
'use strict';
process.exitCode = require('../dist-lib/stacks/cli.js').main(process.argv.slice(2));
