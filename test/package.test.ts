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
      run('node', [TSC, '--noEmit', '--strict', '--skipLibCheck', '--esModuleInterop', '--types', 'node', 'wrong.ts'], work);
    } catch (e) {
      message = String((e as { stdout?: string }).stdout);
    }
    expect(message).toContain("Type 'number' is not assignable to type 'string'");
  });
});
