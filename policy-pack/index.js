'use strict';
// The fleetcraft policy pack: `pulumi preview --policy-pack node_modules/fleetcraft/policy-pack`. Pulumi runs this
// folder as the pack's program; the policies themselves are built with the library (stacks/policy-pack.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
const { PolicyPack } = require('@pulumi/policy');
const { fleetcraftPolicies } = require('../dist-lib/stacks/policy-pack.js');

new PolicyPack('fleetcraft', {
  description: 'fleetcraft policy rules, API-server checks and upstream schemas over the stack\'s Kubernetes resources',
  policies: fleetcraftPolicies(),
});
