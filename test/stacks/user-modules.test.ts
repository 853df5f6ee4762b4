import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dev } from '../../environments';
import { main } from '../../stacks/cli';
import { Output, runCommand } from '../../stacks/command';
import { PLAN_COMMAND } from '../../stacks/plan-command';
import { SYNTH_COMMAND } from '../../stacks/synth';
import { readTree } from '../util';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-user-modules-'));

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) } as Output };
}

/** Runs the CLI from `cwd`, as a user would from their project. */
function inDir<T>(cwd: string, fn: () => T): T {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return fn();
  } finally {
    process.chdir(before);
  }
}

const CDK8S = JSON.stringify(require.resolve('cdk8s'));

/** A plain-JavaScript app module: two charts of ConfigMaps, exported as `how` says. */
function writeAppModule(dir: string, file: string, how: 'module.exports' | 'default' | 'function' | 'charts', extra = ''): string {
  fs.writeFileSync(path.join(dir, file), `'use strict';
const { App, Chart, ApiObject } = require(${CDK8S});
function build() {
  const app = new App();
  for (const id of ['frontend', 'backend']) {
    const chart = new Chart(app, id);
    new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id + '-config', namespace: 'shop' }, data: { tier: id } });
  }
  ${extra}
  return app;
}
${{
    'module.exports': 'module.exports = build();',
    default: 'exports.default = build();',
    function: 'module.exports = build;',
    charts: 'exports.app = build().charts;',
  }[how]}
`);
  return `./${file}`;
}

describe('fleetcraft synth --app', () => {
  const project = tmp();
  test.each(['module.exports', 'default', 'function', 'charts'] as const)('writes <out>/<name>/<chart>/ from a module exporting the app as %s', (how) => {
    const mod = writeAppModule(project, `app-${how}.js`, how);
    const c = capture();
    expect(inDir(project, () => main(['synth', '--app', mod, '--out', 'gitops', '--name', 'shop', '--no-schemas'], c.out))).toBe(0);
    const tree = readTree(path.join(project, 'gitops'));
    expect(tree['shop/frontend/configmap-shop-frontend-config.yaml']).toContain('tier: frontend');
    expect(tree['shop/backend/configmap-shop-backend-config.yaml']).toContain('tier: backend');
    expect(c.lines).toContain('shop: 2 chart(s), 2 objects');
    expect(c.lines[c.lines.length - 1]).toMatch(/^wrote 2 objects for app shop to .*gitops \(\d+ changed, \d+ unchanged, 0 removed\) in /);
  });

  test('--check passes on the written folder and fails (exit 1) after a hand edit; --name defaults to app', () => {
    const mod = writeAppModule(project, 'checked.js', 'module.exports');
    const out = path.join(project, 'checked');
    inDir(project, () => main(['synth', '--app', mod, '--out', out, '--no-schemas'], capture().out));
    expect(fs.readdirSync(out)).toEqual(['app']);
    const ok = capture();
    expect(inDir(project, () => main(['synth', '--app', mod, '--out', out, '--check', '--no-schemas'], ok.out))).toBe(0);
    expect(ok.lines[ok.lines.length - 1]).toBe(`check passed: ${out} matches synth for app`);
    fs.writeFileSync(path.join(out, 'app/frontend/configmap-shop-frontend-config.yaml'), 'edited: true\n');
    const drift = capture();
    expect(inDir(project, () => main(['synth', '--app', mod, '--out', out, '--check', '--no-schemas'], drift.out))).toBe(1);
    expect(drift.errors.join('\n')).toContain('check failed: 1 file(s) differ from what synth would write');
  });

  test('an app that fails a check writes nothing and prints the lines validate prints (exit 1)', () => {
    const mod = writeAppModule(project, 'bad.js', 'module.exports',
      "new ApiObject(app.charts[0], 'Bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: 'shop' } });");
    const out = path.join(project, 'bad-out');
    const c = capture();
    expect(inDir(project, () => main(['synth', '--app', mod, '--out', out, '--no-schemas'], c.out))).toBe(1);
    expect(c.errors.some((e) => /^error: ConfigMap shop\/Bad_Name: .*\[api\/[a-z-]+\]$/.test(e))).toBe(true);
    expect(c.errors[c.errors.length - 1]).toMatch(/^synth failed: \d+ error\(s\); nothing was written to /);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a module that throws while loading fails with its message (exit 1, not a usage error)', () => {
    fs.writeFileSync(path.join(project, 'throws.js'), "throw new Error('boom');\n");
    const c = capture();
    expect(inDir(project, () => main(['synth', '--app', './throws.js', '--out', 'x'], c.out))).toBe(1);
    expect(c.errors).toEqual([`fleetcraft synth: --app ./throws.js: loading ${path.join(fs.realpathSync(project), 'throws.js')} failed: boom`]);
  });

  describe('usage errors (exit 2, naming the value and the fix)', () => {
    const usage = (args: string[]) => {
      const c = capture();
      const code = inDir(project, () => runCommand(SYNTH_COMMAND, args, c.out));
      return { code, message: c.errors[0], usage: c.errors[1] };
    };

    test('a missing module', () => {
      const r = usage(['--app', './nope.js']);
      expect(r.code).toBe(2);
      expect(r.message).toBe(`fleetcraft synth: --app ./nope.js: no module at ${path.join(project, 'nope.js')}; pass the path of a compiled .js file, relative to the current folder`);
      expect(r.usage).toBe(SYNTH_COMMAND.usage);
    });

    test('a TypeScript module', () => {
      fs.writeFileSync(path.join(project, 'main.ts'), 'export {};\n');
      expect(usage(['--app', './main.ts']).message).toMatch(/--app \.\/main\.ts: .*main\.ts is TypeScript, which Node cannot load; compile it \(e\.g\. npx tsc\) and pass the \.js output$/);
    });

    test('an export of the wrong type', () => {
      fs.writeFileSync(path.join(project, 'wrong.js'), 'exports.default = 42;\n');
      const r = usage(['--app', './wrong.js']);
      expect(r.code).toBe(2);
      expect(r.message).toMatch(/--app \.\/wrong\.js: the default export of .*wrong\.js is number \(42\), not a cdk8s App, a Chart or an array of Charts; export one, e\.g\. `module\.exports = app`/);
      fs.writeFileSync(path.join(project, 'bigint.js'), 'exports.default = 10n;\n');
      expect(usage(['--app', './bigint.js']).message).toMatch(/the default export of .*bigint\.js is bigint \(10n\), not a cdk8s App/);
      fs.writeFileSync(path.join(project, 'async.js'), 'module.exports = async () => 1;\n');
      expect(usage(['--app', './async.js']).message).toMatch(/module\.exports of .*async\.js returned a Promise; return the App \(or charts\) itself, synchronously$/);
    });

    test('--app with --env, --environments, or a bad --name; --name without --app', () => {
      const mod = writeAppModule(project, 'u.js', 'module.exports');
      expect(usage(['--app', mod, '--env', 'dev']).message).toBe('fleetcraft synth: --env dev picks an environment of the platform, which --app does not render; drop --env (name the app\'s folder with --name)');
      expect(usage(['--app', mod, '--environments', './e.js']).code).toBe(2);
      expect(usage(['--app', mod, '--name', 'My_App']).message).toMatch(/^fleetcraft synth: --name "My_App": names its folder in the GitOps tree and must be a DNS-1123 label .*; use e\.g\. "my-app"$/);
      expect(usage(['--name', 'shop']).message).toMatch(/^fleetcraft synth: --name shop names the folder of an --app/);
    });
  });
});

/** A user's environments module: one environment based on the bundled dev, as plain data. */
function writeEnvironmentsModule(dir: string, file: string, envs: unknown[]): string {
  fs.writeFileSync(path.join(dir, file), `exports.environments = ${JSON.stringify(envs)};\n`);
  return `./${file}`;
}

const qa = { ...dev, name: 'qa', domain: 'qa.example.com', regions: [{ name: 'eu-west-1', clusterName: 'qa-euw1', weight: 1, primary: true, vpcCidr: '10.40.0.0/16' }] };

describe('fleetcraft synth --environments', () => {
  const project = tmp();

  test('renders the platform for the module\'s environments instead of the bundled ones', () => {
    const mod = writeEnvironmentsModule(project, 'envs.js', [qa]);
    const c = capture();
    expect(inDir(project, () => main(['synth', '--environments', mod, '--out', 'gitops', '--no-schemas'], c.out))).toBe(0);
    expect(fs.readdirSync(path.join(project, 'gitops'))).toEqual(['qa']);
    expect(fs.readdirSync(path.join(project, 'gitops/qa')).filter((f) => !f.startsWith('.')).sort()).toEqual(['argocd', 'qa-euw1']);
    expect(c.lines[0]).toMatch(/^qa: 1 cluster\(s\), \d+ objects$/);
  });

  test('--env picks one of them; an unknown one names the module\'s environments', () => {
    const mod = writeEnvironmentsModule(project, 'two.js', [qa, { ...qa, name: 'uat' }]);
    expect(inDir(project, () => main(['synth', '--environments', mod, '--env', 'uat', '--out', 'two', '--no-schemas'], capture().out))).toBe(0);
    expect(fs.readdirSync(path.join(project, 'two'))).toEqual(['uat']);
    const c = capture();
    expect(inDir(project, () => main(['synth', '--environments', mod, '--env', 'dev', '--out', 'two'], c.out))).toBe(2);
    expect(c.errors[0]).toBe('fleetcraft synth: unknown environment "dev" in --environments ./two.js; valid names: qa, uat, all');
  });

  test('an invalid environment is a usage error naming the environment, the module and each fix', () => {
    const mod = writeEnvironmentsModule(project, 'invalid.js', [{ ...qa, name: 'qa', api: { ...qa.api, totalReplicas: 0 } }]);
    const c = capture();
    expect(inDir(project, () => main(['synth', '--environments', mod, '--out', 'x'], c.out))).toBe(2);
    expect(c.errors[0]).toBe("fleetcraft synth: environment 'qa' is invalid (in --environments ./invalid.js):\n" +
      '  - api totalReplicas (0) is not a positive integer\n  - api totalReplicas (0) is outside replicas 2–6; keep it within the autoscaler bounds');
  });

  test('a value that is not an EnvironmentSpec, a duplicate name, and a module without environments', () => {
    let n = 0;
    const run = (envs: unknown[] | string) => {
      const c = capture();
      const name = `shape-${++n}.js`; // a fresh file each time: Node caches a module by its path
      const file = typeof envs === 'string' ? (fs.writeFileSync(path.join(project, name), envs), `./${name}`) : writeEnvironmentsModule(project, name, envs);
      return { code: inDir(project, () => main(['synth', '--environments', file, '--out', 'x'], c.out)), message: c.errors[0] };
    };
    expect(run([{ name: 'qa', regions: 'eu' }])).toEqual({ code: 2, message: expect.stringMatching(
      /^fleetcraft synth: environment 'qa' of --environments \.\/shape-1\.js is not an EnvironmentSpec: production must be a boolean \(got nothing\); .*regions must be an array \(got string \("eu"\)\); .*see the EnvironmentSpec type/) });
    expect(run([qa, qa]).message).toBe("fleetcraft synth: environment 'qa' of --environments ./shape-2.js is listed twice; give each environment its own name");
    expect(run('exports.dev = 1;\n').message).toMatch(/--environments \.\/shape-3\.js: module\.exports of .*shape-3\.js is an object with keys dev, not an array of EnvironmentSpec; export one, e\.g\. `exports\.environments = \[dev, prod\]`/);
  });
});

describe('fleetcraft plan --environments', () => {
  const project = tmp();
  const mod = writeEnvironmentsModule(project, 'envs.js', [qa]);
  const plan = async (args: string[]) => {
    const c = capture();
    const before = process.cwd();
    process.chdir(project);
    try {
      return { code: await runCommand(PLAN_COMMAND, args, c.out), ...c };
    } finally {
      process.chdir(before);
    }
  };

  test('plans a user environment: its cluster in its region', async () => {
    const r = await plan(['--environments', mod, '--env', 'qa']);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatch(/^plan for stack qa \(offline/);
    expect(r.lines.some((l) => /aws:eks\/cluster:Cluster qa-euw1-eks {2}name=qa-euw1 /.test(l))).toBe(true);
    const at = r.lines.indexOf('resources per region:');
    expect(r.lines[at + 1].trim().split(/\s+/)[0]).toBe('eu-west-1');
  });

  test('a bundled name is unknown there, listing the module\'s names', async () => {
    const r = await plan(['--environments', mod, '--env', 'dev']);
    expect(r.code).toBe(2);
    expect(r.errors[0]).toBe('fleetcraft plan: unknown environment "dev" in --environments ./envs.js; valid names: qa');
  });
});
