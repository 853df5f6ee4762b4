import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { parse } from 'yaml';
import { dev } from '../../environments';
import { ConsensusStatefulSet, KubeObject, NamespaceBaseline, PodSecurityLevel, PolicyChecks } from '../../lib';
import { FleetPlatform, GitOpsError, GitOpsValidationError, writeGitOps } from '../../stacks/gitops-api';
import { acquireLock } from '../../stacks/gitops-lock';
import { toYaml } from '../../stacks/render';
import { describeWithSchemas, readTree, SCHEMA_DIR } from '../util';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-gitops-api-'));

/** A user's app: a namespace baseline chart and a consensus chart. */
function userApp(options: { consensus?: boolean } = {}): App {
  const app = new App();
  const base = new Chart(app, 'base');
  new NamespaceBaseline(base, 'Db', { name: 'db', podSecurity: PodSecurityLevel.RESTRICTED });
  if (options.consensus !== false) {
    const db = new Chart(app, 'db');
    new ConsensusStatefulSet(db, 'Raft', { name: 'raft', namespace: 'db', image: 'quay.io/coreos/etcd:v3.5.21', replicas: 3 });
  }
  return app;
}

const objectFiles = (tree: Record<string, string>) => Object.keys(tree).filter((f) => f.endsWith('.yaml'));

describe('writeGitOps with a user app', () => {
  const dir = tmp();
  const app = userApp();
  const first = writeGitOps(app, dir, { name: 'shop' });
  const tree = readTree(dir);

  test('writes <dir>/<name>/<chart>/<kind>-<namespace>-<name>.yaml, one file per object, with the platform serializer', () => {
    const expected = app.charts.flatMap((c) => (c.toJson() as KubeObject[]).map((o) => [c.node.id, o] as const));
    expect(objectFiles(tree)).toHaveLength(expected.length);
    for (const [chart, o] of expected) {
      const file = `shop/${chart}/${o.kind.toLowerCase()}-${o.metadata?.namespace ? `${o.metadata.namespace}-` : ''}${o.metadata?.name}.yaml`;
      expect(tree[file]).toBe(toYaml(o));
    }
    expect(tree['shop/base/namespace-db.yaml']).toContain('pod-security.kubernetes.io/enforce: restricted');
    expect(Object.keys(tree).some((f) => f.startsWith('shop/db/statefulset-db-raft'))).toBe(true);
  });

  test('reports what it wrote, and keeps the prune manifest in <dir>/<name>/', () => {
    expect(first.name).toBe('shop');
    expect(first.objects).toBe(objectFiles(tree).length);
    expect(first.written).toHaveLength(first.objects + 1);
    expect(first.removed).toEqual([]);
    const manifest = JSON.parse(tree['shop/.fleetcraft-manifest.json']) as { files: string[] };
    expect(manifest.files).toEqual(objectFiles(tree).sort());
  });

  test('a second write of the same app changes nothing', () => {
    const again = writeGitOps(userApp(), dir, { name: 'shop' });
    expect(again.written).toEqual([]);
    expect(again.unchanged).toHaveLength(first.objects + 1);
    expect(readTree(dir)).toEqual(tree);
  });

  test('check: no drift on the written folder', () => {
    const checked = writeGitOps(userApp(), dir, { name: 'shop', check: true });
    expect(checked.drift).toEqual([]);
    expect(checked.written).toEqual([]);
  });

  test('check after a hand edit returns the drift with a diff, and writes nothing', () => {
    const file = path.join(dir, 'shop/base/namespace-db.yaml');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace('enforce: restricted', 'enforce: privileged'));
    const checked = writeGitOps(userApp(), dir, { name: 'shop', check: true });
    expect(checked.drift.map((d) => `${d.change} ${d.path}`)).toEqual(['changed shop/base/namespace-db.yaml']);
    expect(checked.drift[0].diff).toContain('+    pod-security.kubernetes.io/enforce: restricted');
    expect(fs.readFileSync(file, 'utf8')).toContain('enforce: privileged');
    fs.writeFileSync(file, original);
  });

  test('a write without a chart prunes its files, leaving other names and foreign files alone', () => {
    const other = tmp();
    writeGitOps(userApp(), other, { name: 'shop' });
    writeGitOps(userApp({ consensus: false }), other, { name: 'blog' });
    fs.writeFileSync(path.join(other, 'README.md'), 'mine\n');
    const result = writeGitOps(userApp({ consensus: false }), other, { name: 'shop' });
    expect(result.removed.length).toBeGreaterThan(0);
    expect(result.removed.every((f) => f.startsWith('shop/db/'))).toBe(true);
    const after = readTree(other);
    expect(Object.keys(after).some((f) => f.startsWith('shop/db/'))).toBe(false);
    expect(Object.keys(after).some((f) => f.startsWith('blog/base/'))).toBe(true);
    expect(after['README.md']).toBe('mine\n');
    expect(writeGitOps(userApp(), other, { name: 'shop', check: true }).drift.map((d) => d.change)).toContain('missing');
  });

  test("name defaults to 'app'", () => {
    const d = tmp();
    expect(writeGitOps(userApp({ consensus: false }), d).name).toBe('app');
    expect(fs.readdirSync(d)).toContain('app');
  });

  test('takes one chart or a list of charts as well as an App', () => {
    const d = tmp();
    const a = userApp();
    writeGitOps(a.charts[0], d, { name: 'one' });
    writeGitOps(a.charts, d, { name: 'two' });
    expect(fs.readdirSync(path.join(d, 'one')).filter((f) => !f.startsWith('.'))).toEqual(['base']);
    expect(fs.readdirSync(path.join(d, 'two')).filter((f) => !f.startsWith('.')).sort()).toEqual(['base', 'db']);
  });
});

describe('writeGitOps refuses', () => {
  test('an app that fails a check: nothing written, the error lists the lines validate prints', () => {
    const dir = tmp();
    const app = new App();
    const chart = new Chart(app, 'web');
    new ApiObject(chart, 'Bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_A_Name' }, data: { a: 'b' } });
    let error: unknown;
    try {
      writeGitOps(app, dir, { name: 'shop' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GitOpsValidationError);
    const v = error as GitOpsValidationError;
    expect(v.violations.length).toBeGreaterThan(0);
    expect(v.violations.every((x) => x.severity === 'error')).toBe(true);
    expect(v.message.split('\n')[0]).toBe(`shop: ${v.violations.length} error(s); nothing was written to ${dir}:`);
    expect(v.message).toMatch(/^error: ConfigMap Not_A_Name: .*\[api\/[a-z-]+\]$/m);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('two objects that would share a file', () => {
    const dir = tmp();
    const app = new App();
    const chart = new Chart(app, 'web');
    for (const id of ['A', 'B']) new ApiObject(chart, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', namespace: 'web' }, data: {} });
    expect(() => writeGitOps(app, dir)).toThrow(/would be written to app\/web\/configmap-web-same\.yaml, which ConfigMap web\/same already uses; give one of them another name \[synth\/unique-path\]/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a name that is not a DNS label, and a chart id that cannot be a folder', () => {
    expect(() => writeGitOps(userApp(), tmp(), { name: 'My Shop' })).toThrow(
      'the app\'s name ("My Shop") names its folder in the GitOps tree and must be a DNS-1123 label (lowercase letters, digits and \'-\', at most 63 characters); use e.g. "my-shop"');
    const app = new App();
    new ApiObject(new Chart(app, 'my chart'), 'C', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(() => writeGitOps(app, tmp())).toThrow(/chart 'my chart': its id names the folder of its objects \("my chart"\) .* Rename the chart, e.g. 'my-chart'/);
  });

  test('a folder another run holds, once lockTimeoutMs has passed, naming the holder', () => {
    const dir = tmp();
    const release = acquireLock(dir);
    try {
      expect(() => writeGitOps(userApp(), dir, { lockTimeoutMs: 0 })).toThrow(new RegExp(`is locked by fleetcraft pid ${process.pid} on host `));
    } finally {
      release();
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('an App without charts', () => {
    expect(() => writeGitOps(new App(), tmp())).toThrow(new GitOpsError('the app has no charts, so there is nothing to write; add a Chart to the App'));
  });

  test('a schema folder that does not exist', () => {
    expect(() => writeGitOps(userApp(), tmp(), { schemas: '/no/such/schemas' })).toThrow(/schemas: the folder \/no\/such\/schemas does not exist/);
  });
});

describeWithSchemas('writeGitOps with schemas', () => {
  test('a schema folder checks every object against the upstream schemas', () => {
    const app = new App();
    new ApiObject(new Chart(app, 'web'), 'C', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' }, bogus: 1 });
    expect(() => writeGitOps(app, tmp(), { schemas: SCHEMA_DIR })).toThrow(/bogus.*\[schema\]/);
    const clean = new App();
    new ApiObject(new Chart(clean, 'web'), 'C', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
    expect(writeGitOps(clean, tmp(), { schemas: SCHEMA_DIR }).objects).toBe(1);
  });

  test('by default the shipped schema bundle checks every object; schemas: false checks none', () => {
    const app = new App();
    new ApiObject(new Chart(app, 'web'), 'C', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' }, bogus: 1 });
    expect(() => writeGitOps(app, tmp())).toThrow(/bogus.*\[schema\]/);
    expect(writeGitOps(app, tmp(), { schemas: false }).objects).toBe(1);
  });
});

describe("the App's own policy checks (PolicyChecks)", () => {
  const withSecret = () => {
    const app = userApp({ consensus: false });
    new ApiObject(app.charts[0], 'Token', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'db' }, stringData: { token: 'x' } });
    return app;
  };

  test('each finding is reported once (the App\'s in-synth validation is not run a second time)', () => {
    let error: GitOpsValidationError | undefined;
    try {
      writeGitOps(withSecret(), tmp());
    } catch (e) {
      error = e as GitOpsValidationError;
    }
    expect(error).toBeInstanceOf(GitOpsValidationError);
    expect(error?.violations.map((v) => v.rule)).toContain('security/secret-data');
    expect(error?.violations.filter((v) => v.rule === 'construct')).toEqual([]);
    const lines = error?.message.split('\n').slice(1) ?? [];
    expect(new Set(lines).size).toBe(lines.length);
  });

  test('a rule the App skips with a reason is skipped by the writer too', () => {
    const app = withSecret();
    PolicyChecks.of(app).skip('security/secret-data', 'a test token, not a credential');
    expect(writeGitOps(app, tmp()).objects).toBeGreaterThan(1);
  });
});

describe('FleetPlatform: the platform for a user environment', () => {
  const mine = { ...dev, name: 'qa', domain: 'qa.example.com', regions: [{ name: 'eu-west-1', clusterName: 'qa-euw1', weight: 1, primary: true }] };

  test('writes <dir>/<env>/<cluster>/<component>/ and <env>/argocd/, whose Applications sync those paths', () => {
    const dir = tmp();
    const platform = new FleetPlatform(mine);
    expect(platform.clusters).toEqual(['qa-euw1']);
    const result = writeGitOps(platform, dir);
    expect(result.name).toBe('qa');
    expect(fs.readdirSync(path.join(dir, 'qa')).filter((f) => !f.startsWith('.')).sort()).toEqual(['argocd', 'qa-euw1']);
    const tree = readTree(dir);
    const paths = Object.entries(tree).filter(([f]) => f.startsWith('qa/argocd/')).map(([, text]) => parse(text) as KubeObject)
      .filter((o) => o.kind === 'Application').map((o) => (o.spec as { source: { path: string } }).source.path);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect(Object.keys(tree).some((f) => f.startsWith(`${p}/`))).toBe(true);
    expect(writeGitOps(new FleetPlatform(mine), dir, { check: true }).drift).toEqual([]);
  });

  test('refuses a name other than the environment\'s', () => {
    expect(() => writeGitOps(new FleetPlatform(mine), tmp(), { name: 'other' })).toThrow(/name \("other"\) differs from the platform's environment 'qa'/);
  });

  test('refuses an invalid environment with every broken rule, and a value that is not an EnvironmentSpec', () => {
    expect(() => new FleetPlatform({ ...mine, name: 'QA' })).toThrow(/environment 'QA' is invalid:\n {2}- name "QA" is not a DNS-1123 label/);
    expect(() => new FleetPlatform({ name: 'x' } as never)).toThrow(/^FleetPlatform: environment 'x' is not an EnvironmentSpec: production must be a boolean \(got nothing\); /);
  });
});
