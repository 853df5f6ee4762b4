import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ValidationContext as CliValidationContext } from 'cdk8s-cli/lib/plugins/validation';
import { Cdk8sValidationContext, FleetcraftValidation, FleetcraftValidationProps } from '../../stacks/cdk8s-plugin';
import { describeWithSchemas } from '../util';
import { buildOnce, ROOT } from './build-once';

const CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const VALID = path.join(ROOT, 'test', 'fixtures', 'valid');

// The CLI's own context class, loaded by file (its package exports only `./plugins`), so the plugin is driven exactly
// as `cdk8s synth` drives it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require(path.join(ROOT, 'node_modules', 'cdk8s-cli', 'lib', 'plugins', 'validation.js')) as {
  ValidationContext: new (manifests: readonly string[], pkg: string, version: string, metadata?: Record<string, { path: string }>, stdout?: boolean) => CliValidationContext;
};

// The CLI's context fits what the plugin reads (a compile-time check: `tsc` fails if the CLI's shape drifts).
const fits = (c: CliValidationContext): Cdk8sValidationContext => c;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tmp(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fleetcraft-${prefix}-`));
  made.push(dir);
  return dir;
}

/** The known-good objects of test/fixtures/valid, as one multi-document manifest. */
function validManifest(): string {
  return fs.readdirSync(VALID).sort().map((f) => fs.readFileSync(path.join(VALID, f), 'utf8').replace(/\n*$/, '\n')).join('---\n');
}

/** Runs the plugin over one manifest text through the CLI's ValidationContext; returns the CLI's JSON report. */
async function runPlugin(manifest: string, props?: FleetcraftValidationProps) {
  const dir = tmp('cdk8s-plugin');
  const file = path.join(dir, 'app.k8s.yaml');
  fs.writeFileSync(file, manifest);
  const context = new ValidationContext([file], 'fleetcraft', '0.1.0', {}, false);
  await new FleetcraftValidation(props).validate(fits(context));
  return context.report.toJson();
}

const PRIVILEGED = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: shop
spec:
  containers:
    - name: debug
      image: busybox:1.36
      securityContext:
        privileged: true
`;

describe('FleetcraftValidation properties', () => {
  test('skip defaults to none: every rule and check runs', () => {
    expect(new FleetcraftValidation().skip).toEqual([]);
  });

  test('schemas defaults to true', () => {
    expect(new FleetcraftValidation({}).schemas).toBe(true);
  });

  test('takes known rule ids and schemas: false', () => {
    const plugin = new FleetcraftValidation({ skip: ['reliability/pdb', 'schema'], schemas: false });
    expect(plugin.skip).toEqual(['reliability/pdb', 'schema']);
    expect(plugin.schemas).toBe(false);
  });

  test('an unknown rule id is refused, naming it, a near spelling and where the ids are listed', () => {
    expect(() => new FleetcraftValidation({ skip: ['reliability/pbd'] })).toThrow(
      'fleetcraft cdk8s validation plugin: skip: unknown rule "reliability/pbd" (did you mean reliability/pdb?); ' +
      'the valid ids are listed by `fleetcraft validate --list-rules`, in the README\'s rules table and in SKIPPABLE_IDS: pss/namespace-level, ');
  });

  test('wrong types and unknown properties are refused with the fix', () => {
    const bad = (props: unknown) => () => new FleetcraftValidation(props as FleetcraftValidationProps);
    expect(bad({ skip: 'schema' })).toThrow('fleetcraft cdk8s validation plugin: skip ("schema") must be a list of rule ids; write e.g. skip: [reliability/pdb]');
    expect(bad({ schemas: 'no' })).toThrow('fleetcraft cdk8s validation plugin: schemas ("no") must be true or false');
    expect(bad({ skips: ['schema'] })).toThrow('fleetcraft cdk8s validation plugin: unknown property "skips"; the properties are skip and schemas');
    expect(bad(['schema'])).toThrow('fleetcraft cdk8s validation plugin: properties (["schema"]) must be a mapping');
    expect(bad({ skip: [42] })).toThrow('fleetcraft cdk8s validation plugin: skip: unknown rule 42;');
  });
});

describe('FleetcraftValidation.validate, through the CLI\'s ValidationContext', () => {
  test('the known-good objects pass with no violations', async () => {
    const report = await runPlugin(validManifest(), { schemas: false });
    expect(report.summary.status).toBe('success');
    expect(report.summary.metadata).toEqual({ Objects: '14', Errors: '0', Warnings: '0', Schemas: 'not checked' });
    expect(report.violations).toEqual([]);
  });

  test('a privileged container fails the report, with fleetcraft\'s message as the location', async () => {
    const report = await runPlugin(`${validManifest()}---\n${PRIVILEGED}`, { schemas: false });
    expect(report.summary.status).toBe('failure');
    const privileged = report.violations.find((v) => v.ruleName === 'pss/baseline-privileged (error)');
    expect(privileged?.recommendation).toBe('Pod Security baseline (and restricted), in namespaces that enforce it: no privileged containers.');
    expect(privileged?.violatingConstructs.map((c) => ({ name: c.resourceName, locations: c.locations }))).toEqual([{
      name: 'debug',
      locations: [expect.stringMatching(/^Pod shop\/debug: spec\.containers\[0\]\.securityContext\.privileged: container "debug" sets securityContext\.privileged=true, which Pod Security level baseline forbids \(namespace shop enforces restricted\)/)],
    }]);
    expect(privileged?.fix).toContain('fleetcraft.io/skip-rules: "pss/baseline-privileged: <why>"');
  });

  test('warnings are reported but do not fail', async () => {
    const report = await runPlugin(validManifest().replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'), { schemas: false });
    expect(report.summary.status).toBe('success');
    expect(report.violations.map((v) => v.ruleName)).toEqual(['security/read-only-root-fs (warning)']);
  });

  test('a broken skip-rules annotation is fixed in the annotation, not exempted by another', async () => {
    const manifest = validManifest()
      .replace('    kind: ConfigMap\n    metadata:\n', '    kind: ConfigMap\n    metadata:\n      annotations:\n        fleetcraft.io/skip-rules: "reliability/pdb"\n');
    const report = await runPlugin(manifest, { schemas: false });
    const violation = report.violations.find((v) => v.ruleName === 'integrity/skip-rules (error)');
    expect(violation?.fix).toBe('each location says what to change in the object\'s fleetcraft.io/skip-rules annotation');
    expect(violation?.violatingConstructs.map((c) => c.resourceName)).toEqual(['backup-config']);
  });

  test('a skipped rule reports nothing', async () => {
    const report = await runPlugin(`${validManifest()}---\n${PRIVILEGED}`, { schemas: false, skip: ['pss/baseline-privileged'] });
    expect(report.violations.map((v) => v.ruleName)).not.toContain('pss/baseline-privileged (error)');
  });
});

describeWithSchemas('FleetcraftValidation schema checks', () => {
  test('an unknown field fails with the schema\'s message; the schema bundle is named in the summary', async () => {
    const report = await runPlugin(validManifest().replace('replicas: 3', 'replica: 3'));
    expect(report.summary.metadata?.Schemas).toMatch(/^bundle [0-9a-f]{12} \(\d+ kinds\)$/);
    expect(report.violations.find((v) => v.ruleName === 'schema (error)')?.violatingConstructs.flatMap((c) => c.locations))
      .toEqual(['StatefulSet shop/db: spec: unknown field "replica" (not in the schema; check its spelling and placement)']);
  });

  test('schemas: false runs no schema check', async () => {
    const report = await runPlugin(validManifest().replace('replicas: 3', 'replica: 3'), { schemas: false });
    expect(report.violations.map((v) => v.ruleName)).not.toContain('schema (error)');
  });
});

/**
 * The real `cdk8s synth` from npm, over a small plain-JavaScript cdk8s app in a temporary folder whose cdk8s.yaml
 * lists the plugin by local path (`./node_modules/fleetcraft/cdk8s-plugin`); the app's node_modules link to this
 * project, built first, so nothing is installed.
 */
describeWithSchemas('the plugin under the real cdk8s CLI', () => {
  const APP = `const fs = require('fs');
const path = require('path');
const { App, Chart, ApiObject, Yaml } = require('cdk8s');
const app = new App();
const chart = new Chart(app, 'shop');
const valid = ${JSON.stringify(VALID)};
const objects = fs.readdirSync(valid).sort().flatMap((f) => Yaml.load(path.join(valid, f)))
  .flatMap((o) => (o.kind === 'List' ? o.items : [o]));
const breakage = process.env.FLEETCRAFT_BREAK;
for (const o of objects) {
  if (o.kind === 'Deployment' && breakage === 'privileged') o.spec.template.spec.containers[0].securityContext.privileged = true;
  if (o.kind === 'Deployment' && breakage === 'unknown-field') o.spec.replica = 3;
  new ApiObject(chart, [o.kind, o.metadata.namespace, o.metadata.name].filter(Boolean).join('-'), o);
}
app.synth();
`;

  beforeAll(buildOnce, 300_000);

  /** An app folder whose cdk8s.yaml lists the plugin with these properties. */
  function app(properties?: FleetcraftValidationProps): string {
    const dir = tmp('cdk8s-app');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    for (const m of ['cdk8s', 'constructs']) fs.symlinkSync(path.join(ROOT, 'node_modules', m), path.join(dir, 'node_modules', m), 'dir');
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'fleetcraft'), 'dir');
    fs.writeFileSync(path.join(dir, 'main.js'), APP);
    const props = properties ? `    properties: ${JSON.stringify(properties)}\n` : '';
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: node main.js\nvalidations:\n  - package: ./node_modules/fleetcraft/cdk8s-plugin\n    version: 0.1.0\n    class: FleetcraftValidation\n${props}`);
    return dir;
  }

  function synth(dir: string, breakage = '') {
    const r = spawnSync(process.execPath, [CLI, 'synth', '--no-check-upgrade', '--plugins-dir', path.join(dir, '.plugins')], {
      cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FLEETCRAFT_BREAK: breakage, FORCE_COLOR: '0' },
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  test('a clean app passes: exit 0, a success report', () => {
    const r = synth(app());
    expect(r.out).toContain('Validations ended succesfully');
    expect(r.out).toMatch(/Status\s+│ success/);
    expect(r.status).toBe(0);
  });

  test('a privileged container fails the synth (exit 2) with fleetcraft\'s message', () => {
    const r = synth(app(), 'privileged');
    expect(r.status).toBe(2);
    expect(r.out).toContain('pss/baseline-privileged (error) (1 occurrences)');
    expect(r.out).toContain('> Deployment shop/web: spec.template.spec.containers[0].securityContext.privileged: container "web" sets securityContext.privileged=true');
    // several objects are named web, so the report names the object itself (the CLI finds constructs by name alone)
    expect(r.out).toContain('- Resource Name: Deployment shop/web');
    expect(r.out).toContain('Validation failed. See above reports for details');
  });

  test('an unknown field fails the synth with the schema\'s message', () => {
    const r = synth(app(), 'unknown-field');
    expect(r.status).toBe(2);
    expect(r.out).toContain('> Deployment shop/web: spec: unknown field "replica" (not in the schema; check its spelling and placement)');
  });

  test('skip in the properties lets the broken app pass for that rule', () => {
    const r = synth(app({ skip: ['schema'] }), 'unknown-field');
    expect(r.out).not.toContain('unknown field');
    expect(r.status).toBe(0);
  });

  test('an unknown rule id in the properties stops the synth, naming it', () => {
    const r = synth(app({ skip: ['schemas'] }));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('fleetcraft cdk8s validation plugin: skip: unknown rule "schemas" (did you mean schema?)');
  });
});
