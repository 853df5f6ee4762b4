/**
 * The "npm import of constructs" use: pack the package, install the tarball into a fresh project, compile a
 * consumer against its types, run it, and check what it synthesizes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubeObject } from '../lib';
import { expectConformant, findObject } from './util';

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
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes("from 'fleetcraft'"));
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

  describe('fleetcraft and fleetcraft/cloud resolve under every moduleResolution', () => {
    let dir = '';
    beforeAll(() => {
      dir = consumerProject('cloud', tarball, ['@pulumi/pulumi@3.248.0', '@pulumi/aws@7.48.0']);
      fs.writeFileSync(path.join(dir, 'uses.ts'), `
import { NamespaceBaseline } from 'fleetcraft';
import { EksCluster, RegionalPlatform } from 'fleetcraft/cloud';
export const constructs: Array<abstract new (...args: never[]) => unknown> = [NamespaceBaseline, EksCluster, RegionalPlatform];
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
