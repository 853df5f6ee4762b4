'use strict';
// The cdk8s validation plugin, loadable by path from cdk8s.yaml (package: ./node_modules/fleetcraft/cdk8s-plugin);
// the cdk8s CLI requires plugins with CommonJS `require`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require('../dist-lib/stacks/cdk8s-plugin.js');
