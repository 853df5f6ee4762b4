/**
 * The "npm import of constructs" use: pack the package, install the tarball into a fresh project, compile a
 * consumer against its types, run it, and check what it synthesizes.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubeObject } from '../lib';
import { expectConformant, findObject, readTree } from './util';

const ROOT = path.resolve(__dirname, '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const CONSUMER = `
import { App, Chart } from 'cdk8s';
import { NamespaceBaseline, PodSecurityLevel } from 'fleetcraft';

declare const process: { stdout: { write(text: string): void } };
const app = new App();
const chart = new Chart(app, 'consumer');
const ns = new NamespaceBaseline(chart, 'team', { name: 'team-a', podSecurity: PodSecurityLevel.BASELINE });
const level: PodSecurityLevel = ns.podSecurity;
process.stdout.write(JSON.stringify({ level, objects: chart.toJson() }));
`;

const WRONG_TYPES = `
import { App, Chart } from 'cdk8s';
import { NamespaceBaseline } from 'fleetcraft';
new NamespaceBaseline(new Chart(new App(), 'c'), 'x', { name: 42 });
`;

/** The TypeScript examples of the README that use the package, in order. */
function readmeExamples(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
    .filter((code) => code.includes("from 'fleetcraft'") && !WALK_THROUGH_FILE.test(code));
}

/** The walk-through's files: TypeScript blocks whose first line names the file (`// app.ts`). */
const WALK_THROUGH_FILE = /^\/\/ ([\w-]+\.ts)\n/;

/** The README's "Using fleetcraft in your own repository" section. */
function walkThrough(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Using fleetcraft in your own repository');
  return readme.slice(start, readme.indexOf('\n## ', start + 3));
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
}

describe('the packed package', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-consumer-'));
  let tarball = '';

  beforeAll(() => {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(work, packed[0].filename);
    fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], work);
    fs.writeFileSync(path.join(work, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, skipLibCheck: true, types: [] },
      files: ['consumer.ts', ...readmeExamples().map((_, i) => `readme-${i}.ts`)],
    }));
    fs.writeFileSync(path.join(work, 'consumer.ts'), CONSUMER);
    // each README example is its own module (`export {}`), with a minimal `process` for the ones that print
    readmeExamples().forEach((code, i) => fs.writeFileSync(path.join(work, `readme-${i}.ts`), `${code}\nexport {};\n`));
  }, 600_000);

  test('ships compiled JavaScript and declarations, not sources or tests', () => {
    const listing = run('tar', ['-tzf', tarball], work).split('\n');
    expect(listing).toContain('package/dist-lib/lib/index.js');
    expect(listing).toContain('package/dist-lib/lib/index.d.ts');
    expect(listing.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(listing.filter((f) => f.includes('/test/'))).toEqual([]);
  });

  test('ships the schema bundle: npx fleetcraft validate finds a misspelt Velero field and a removed API with no other folder', () => {
    const listing = run('tar', ['-tzf', tarball], work).split('\n');
    expect(listing).toContain('package/dist-lib/schemas/fleetcraft-schemas.json');
    expect(fs.existsSync(path.join(work, '..', 'shared'))).toBe(false);
    fs.writeFileSync(path.join(work, 'broken.yaml'), [
      'apiVersion: velero.io/v1\nkind: Schedule\nmetadata: {name: nightly, namespace: velero}\nspec:\n  schedule: "0 3 * * *"\n  template:\n    includedNamespace: [app]\n',
      'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: api, namespace: app}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: api}}\n',
    ].join('---\n'));
    const result = spawnSync('npx', ['--no-install', 'fleetcraft', 'validate', 'broken.yaml', '--format', 'json'], { cwd: work, encoding: 'utf8', env: { ...process.env, FLEETCRAFT_CACHE_DIR: path.join(work, 'cache') } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { problems: Array<{ rule: string; object: string; path: string; message: string }> };
    expect(report.problems.filter((p) => p.rule === 'schema').map((p) => [p.object, p.path, p.message])).toEqual([
      ['Schedule velero/nightly', 'spec.template', 'unknown field "includedNamespace" (not in the schema; check its spelling and placement)'],
      ['PodDisruptionBudget app/api', '(root)', 'no schema for apiVersion policy/v1beta1 kind PodDisruptionBudget (removed or unknown API); PodDisruptionBudget is served as policy/v1'],
    ]);
  });

  test('a consumer compiles against its types, runs, and synthesizes conformant manifests', () => {
    run('node', [TSC, '-p', '.'], work);
    const output = JSON.parse(run('node', ['consumer.js'], work)) as { level: string; objects: KubeObject[] };
    expect(output.level).toBe('baseline');
    const ns = findObject(output.objects, 'Namespace', 'team-a');
    expect(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(output.objects.map((o) => o.kind).sort()).toEqual(['LimitRange', 'Namespace', 'NetworkPolicy', 'NetworkPolicy', 'ResourceQuota']);
    expectConformant(output.objects);
  });

  test('every TypeScript example in the README compiles against the installed package and runs', () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(7);
    run('node', [TSC, '-p', '.'], work);
    const failures: string[] = [];
    examples.forEach((_, i) => {
      try {
        run('node', [`readme-${i}.js`], work);
      } catch (e) {
        failures.push(`README example ${i}: ${String((e as { stderr?: string }).stderr ?? e)}`);
      }
    });
    expect(failures).toEqual([]);
    expect(fs.readdirSync(path.join(work, 'dist')).filter((f) => f.endsWith('.k8s.yaml')).length).toBeGreaterThan(0);
  });

  test('its types reject a wrong prop type', () => {
    fs.writeFileSync(path.join(work, 'wrong.ts'), WRONG_TYPES);
    let message = '';
    try {
      run('node', [TSC, '--noEmit', '--strict', '--skipLibCheck', '--esModuleInterop', 'wrong.ts'], work);
    } catch (e) {
      message = String((e as { stdout?: string }).stdout);
    }
    expect(message).toContain("Type 'number' is not assignable to type 'string'");
  });
});

/** A fresh consumer project with the packed tarball and `extra` packages installed. */
function consumerProject(label: string, tarball: string, extra: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fleetcraft-${label}-`));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `consumer-${label}`, version: '1.0.0', private: true }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...extra], dir);
  return dir;
}

function packTarball(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-pack-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], ROOT)) as Array<{ filename: string }>;
  return path.join(dir, packed[0].filename);
}

const installedVersion = (dir: string, pkg: string): string | undefined => {
  const file = path.join(dir, 'node_modules', pkg, 'package.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version : undefined;
};

describe('packaging: peers, entry points and module resolution', () => {
  let tarball = '';
  beforeAll(() => { tarball = packTarball(); }, 600_000);

  test('a cdk8s-only project gets cdk8s, cdk8s-plus-27 and constructs as peers, and no Pulumi SDK', () => {
    const dir = consumerProject('peers', tarball, []);
    expect(['cdk8s', 'cdk8s-plus-27', 'constructs'].map((p) => installedVersion(dir, p) !== undefined)).toEqual([true, true, true]);
    expect(fs.existsSync(path.join(dir, 'node_modules', '@pulumi'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'node_modules', 'fleetcraft', 'node_modules', 'cdk8s'))).toBe(false);
  }, 600_000);

  test('an app pinning another cdk8s patch shares its one copy, compiles and synthesizes', () => {
    const dir = consumerProject('pinned', tarball, ['cdk8s@2.70.104']);
    expect(installedVersion(dir, 'cdk8s')).toBe('2.70.104');
    expect(fs.existsSync(path.join(dir, 'node_modules', 'fleetcraft', 'node_modules', 'cdk8s'))).toBe(false);
    fs.writeFileSync(path.join(dir, 'app.ts'), `
import { App, Chart, Size } from 'cdk8s';
import { ConsensusStatefulSet, NamespaceBaseline } from 'fleetcraft';
declare const process: { stdout: { write(text: string): void } };
const chart = new Chart(new App(), 'db', { namespace: 'db', disableResourceNameHashes: true });
new NamespaceBaseline(chart, 'ns', { name: 'db' });
new ConsensusStatefulSet(chart, 'raft', { image: 'quay.io/coreos/etcd:v3.5.21', storage: Size.gibibytes(20) });
process.stdout.write(JSON.stringify(chart.toJson()));
`);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, skipLibCheck: true, types: [] },
      files: ['app.ts'],
    }));
    run('node', [TSC, '-p', '.'], dir);
    const objects = JSON.parse(run('node', ['app.js'], dir)) as KubeObject[];
    expect(findObject(objects, 'StatefulSet', 'raft', 'db').spec).toMatchObject({ replicas: 3 });
    expectConformant(objects);
  }, 600_000);

  describe('fleetcraft and its subpaths (cloud, gitops, cdk8s-plugin, policy-pack) resolve under every moduleResolution', () => {
    let dir = '';
    beforeAll(() => {
      dir = consumerProject('cloud', tarball, ['@pulumi/pulumi@3.248.0', '@pulumi/aws@7.48.0', '@pulumi/policy@1.21.0']);
      fs.writeFileSync(path.join(dir, 'uses.ts'), `
import { NamespaceBaseline } from 'fleetcraft';
import { EksCluster, RegionalPlatform } from 'fleetcraft/cloud';
import { writeGitOps } from 'fleetcraft/gitops';
import { FleetcraftValidation, FleetcraftValidationProps } from 'fleetcraft/cdk8s-plugin';
import { fleetcraftPolicies } from 'fleetcraft/policy-pack';
export const constructs: Array<abstract new (...args: never[]) => unknown> = [NamespaceBaseline, EksCluster, RegionalPlatform, FleetcraftValidation];
export const writer: typeof writeGitOps = writeGitOps;
export const pluginProps: FleetcraftValidationProps = { skip: ['reliability/pdb'], schemas: false };
export const policyNames: string[] = fleetcraftPolicies().map((p) => p.name);
`);
    }, 600_000);

    test.each([
      ['node', { module: 'commonjs', moduleResolution: 'node' }],
      ['node16', { module: 'node16', moduleResolution: 'node16' }],
      ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
    ])('moduleResolution %s', (style, options) => {
      const config = `tsconfig.${style}.json`;
      fs.writeFileSync(path.join(dir, config), JSON.stringify({
        compilerOptions: { strict: true, target: 'ES2022', noEmit: true, skipLibCheck: true, esModuleInterop: true, types: [], ...options },
        files: ['uses.ts'],
      }));
      expect(() => run('node', [TSC, '-p', config], dir)).not.toThrow();
    }, 600_000);
  });
});

describe('the README walk-through, run as written in a fresh project', () => {
  const section = walkThrough();
  const files = Object.fromEntries([...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
    .filter((code) => WALK_THROUGH_FILE.test(code)).map((code) => [WALK_THROUGH_FILE.exec(code)?.[1] as string, code]));
  const shell = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].split('\n')[0]);
  const compile = shell.find((l) => l.startsWith('npx tsc')) ?? '';
  const checkCommand = shell.find((l) => l.includes('--check')) ?? '';
  const refusal = /```text\n([^\n]+)\n```/.exec(section)?.[1] ?? '';
  let dir = '';

  /** Runs a README command line (`npx tsc …`, `node …`, `npx fleetcraft …`) with the project's tools. */
  const sh = (line: string): string => {
    const [tool, ...args] = line.split(' && ')[0].split(/\s+/);
    if (tool === 'npx' && args[0] === 'tsc') return run('node', [TSC, ...args.slice(1)], dir);
    if (tool === 'npx' && args[0] === 'fleetcraft') return run('node', [path.join(dir, 'node_modules', '.bin', 'fleetcraft'), ...args.slice(1)], dir);
    return run(tool, args, dir);
  };

  beforeAll(() => {
    dir = consumerProject('walk-through', packTarball(), []);
    for (const [name, code] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), code);
  }, 600_000);

  test('the section holds the files, the commands and the refusal it promises', () => {
    expect(Object.keys(files).sort()).toEqual(['app.ts', 'write.ts']);
    expect(compile).toContain('app.ts write.ts && node write.js');
    expect(checkCommand).toBe('npx fleetcraft synth --app app.js --name shop --out gitops --check');
    expect(refusal).toMatch(/^ConsensusStatefulSet 'Raft': replicas \(4\)/);
  });

  test('compiles, writes the GitOps folder, and a second run changes nothing', () => {
    sh(compile);
    expect(sh('node write.js').trim()).toMatch(/^\d+ written, 0 unchanged, 0 removed$/);
    const written = fs.readdirSync(path.join(dir, 'gitops', 'shop', 'db'));
    expect(written).toContain('statefulset-db-raft.yaml');
    expect(sh('node write.js').trim()).toMatch(/^0 written, \d+ unchanged, 0 removed$/);
  });

  test('the CI command passes on the folder, then fails on a hand edit', () => {
    expect(() => sh(checkCommand)).not.toThrow();
    const file = path.join(dir, 'gitops', 'shop', 'db', 'statefulset-db-raft.yaml');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace('replicas: 3', 'replicas: 5'));
    let status = 0;
    try {
      sh(checkCommand);
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(1);
    fs.writeFileSync(file, original);
  });

  test('the deliberate mistake is refused with the message the README shows, and nothing is written', () => {
    const before = readTree(path.join(dir, 'gitops'));
    fs.writeFileSync(path.join(dir, 'app.ts'), files['app.ts'].replace('replicas: 3', 'replicas: 4'));
    sh(compile.split(' && ')[0]);
    let stderr = '';
    try {
      sh('node write.js');
    } catch (e) {
      stderr = String((e as { stderr?: string }).stderr);
    }
    expect(stderr).toContain(refusal);
    expect(readTree(path.join(dir, 'gitops'))).toEqual(before);
  });
});

describe('a user app from the packed package gets the platform\'s checks', () => {
  let dir = '';
  beforeAll(() => { dir = consumerProject('checks', packTarball(), []); }, 600_000);

  /** Compiles and runs `code` in the consumer; answers its exit status, stdout and stderr. */
  function runApp(name: string, code: string): { status: number; stdout: string; stderr: string } {
    fs.writeFileSync(path.join(dir, `${name}.ts`), code);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, skipLibCheck: true, types: [] },
      files: [`${name}.ts`],
    }));
    run('node', [TSC, '-p', '.'], dir);
    try {
      return { status: 0, stdout: run('node', [`${name}.js`], dir), stderr: '' };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return { status: err.status, stdout: String(err.stdout), stderr: String(err.stderr) };
    }
  }

  const AGENT_IN_RESTRICTED = (skip: string) => `
import { App, Chart } from 'cdk8s';
import { NamespaceBaseline, NetworkDaemonSet, PodSecurityLevel, PolicyChecks } from 'fleetcraft';
const app = new App({ outdir: 'out-agent' });
const chart = new Chart(app, 'net', { disableResourceNameHashes: true });
new NamespaceBaseline(chart, 'ns', { name: 'network-system', podSecurity: PodSecurityLevel.RESTRICTED });
new NetworkDaemonSet(chart, 'agent', { namespace: 'network-system', image: 'registry.example.com/agent:1.0.0', capabilities: ['NET_ADMIN'], ports: [{ name: 'health', number: 9879 }] });
${skip}
app.synth();
`;

  test('app.synth() fails with the messages validate prints: a network agent in a restricted namespace', () => {
    const r = runApp('agent', AGENT_IN_RESTRICTED(''));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/error: DaemonSet network-system\/agent: .*\[pss\/restricted-capabilities\]/);
    const out = path.join(dir, 'out-agent');
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });

  test('a rule skipped for the app, with a reason, lets it synthesize; an unknown rule id is refused', () => {
    const skipped = runApp('skipped', AGENT_IN_RESTRICTED([
      "const checks = PolicyChecks.of(app);",
      "for (const id of ['pss/restricted-capabilities', 'pss/baseline-capabilities', 'pss/baseline-host-namespaces', 'pss/baseline-sysctls', 'pss/baseline-privileged', 'pss/restricted-volumes', 'pss/baseline-host-path', 'pss/restricted-run-as-non-root', 'pss/restricted-privilege-escalation', 'pss/restricted-run-as-user', 'pss/baseline-host-ports', 'security/declared-privilege'] as const) checks.skip(id, 'the agent moves to a privileged namespace next sprint');",
    ].join('\n')));
    expect(skipped).toMatchObject({ status: 0, stderr: '' });
    const unknown = runApp('unknown', AGENT_IN_RESTRICTED("PolicyChecks.of(app).skip('pss/everything' as never, 'x');"));
    expect(unknown.stderr).toContain('pss/everything');
  });

  test('a canary at its defaults passes every rule: it gets a disruption budget that allows one eviction', () => {
    const r = runApp('canary', `
import { App, Chart } from 'cdk8s';
import { AutoscaledService, NamespaceBaseline, RolloutStrategy } from 'fleetcraft';
declare const process: { stdout: { write(text: string): void } };
const app = new App({ outdir: 'out-canary' });
const chart = new Chart(app, 'api', { disableResourceNameHashes: true });
new NamespaceBaseline(chart, 'ns', { name: 'api' });
new AutoscaledService(chart, 'web', { namespace: 'api', image: 'registry.example.com/api:1.4.2', port: 8080, minReplicas: 1, maxReplicas: 5, strategy: RolloutStrategy.canary() });
app.synth();
process.stdout.write(JSON.stringify(chart.toJson()));
`);
    expect(r.stderr).toBe('');
    const pdbs = (JSON.parse(r.stdout) as KubeObject[]).filter((o) => o.kind === 'PodDisruptionBudget');
    expect(pdbs.length).toBeGreaterThan(0);
    for (const pdb of pdbs) expect(pdb.spec).toMatchObject({ maxUnavailable: 1 });
  });
});
