import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkTree, MANIFEST_NAME, recover, writeTree } from '../../stacks/gitops';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-gitops-'));
const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

/** Every file under a folder with its content, for byte-for-byte comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const e of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else out[rel] = read(dir, rel);
    }
  };
  walk('');
  return out;
}

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('writeTree', () => {
  test('writes every file and a manifest per environment', () => {
    const dir = tmp();
    const result = writeTree(dir, ['dev'], files({ 'dev/c1/baseline/a.yaml': 'a: 1\n', 'dev/c1/api/b.yaml': 'b: 1\n' }));
    expect(result.written.sort()).toEqual([`dev/${MANIFEST_NAME}`, 'dev/c1/api/b.yaml', 'dev/c1/baseline/a.yaml']);
    expect(read(dir, 'dev/c1/baseline/a.yaml')).toBe('a: 1\n');
    expect(JSON.parse(read(dir, `dev/${MANIFEST_NAME}`))).toEqual({ generator: 'fleetcraft', files: ['dev/c1/api/b.yaml', 'dev/c1/baseline/a.yaml'] });
  });

  test('a second identical write changes nothing', () => {
    const dir = tmp();
    const input = files({ 'dev/c1/baseline/a.yaml': 'a: 1\n' });
    writeTree(dir, ['dev'], input);
    const before = snapshot(dir);
    const result = writeTree(dir, ['dev'], input);
    expect(result.written).toEqual([]);
    expect(result.removed).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
  });

  test('prunes files a previous write produced and this one does not, with their empty folders', () => {
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c1/baseline/a.yaml': 'a\n', 'dev/c1/old/b.yaml': 'b\n' }));
    const result = writeTree(dir, ['dev'], files({ 'dev/c1/baseline/a.yaml': 'a\n' }));
    expect(result.removed).toEqual(['dev/c1/old/b.yaml']);
    expect(fs.existsSync(path.join(dir, 'dev/c1/old'))).toBe(false);
  });

  test('never touches files it did not write, even inside its folders', () => {
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c1/baseline/a.yaml': 'a\n', 'dev/c1/old/b.yaml': 'b\n' }));
    fs.writeFileSync(path.join(dir, 'README.md'), 'gitops repo\n');
    fs.writeFileSync(path.join(dir, 'dev/c1/old/NOTES.md'), 'mine\n');
    fs.mkdirSync(path.join(dir, 'other-team'));
    fs.writeFileSync(path.join(dir, 'other-team/app.yaml'), 'x: 1\n');
    writeTree(dir, ['dev'], files({ 'dev/c1/baseline/a.yaml': 'a2\n' }));
    expect(read(dir, 'README.md')).toBe('gitops repo\n');
    expect(read(dir, 'dev/c1/old/NOTES.md')).toBe('mine\n');
    expect(read(dir, 'other-team/app.yaml')).toBe('x: 1\n');
    expect(fs.existsSync(path.join(dir, 'dev/c1/old/b.yaml'))).toBe(false);
  });

  test('leaves other environments alone', () => {
    const dir = tmp();
    writeTree(dir, ['dev', 'staging'], files({ 'dev/c/a.yaml': 'a\n', 'staging/c/a.yaml': 's\n' }));
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a2\n' }));
    expect(read(dir, 'staging/c/a.yaml')).toBe('s\n');
  });

  test('refuses to overwrite a file it did not write, and writes nothing', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'dev/c'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dev/c/a.yaml'), 'hand-written\n');
    const before = snapshot(dir);
    expect(() => writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n', 'dev/c/b.yaml': 'b\n' }))).toThrow(
      `refusing to overwrite ${path.join(dir, 'dev/c/a.yaml')}: fleetcraft did not write it; move it away or delete it`);
    expect(snapshot(dir)).toEqual(before);
  });

  test('a crash before the commit point leaves the previous output intact', () => {
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'old\n' }));
    const before = snapshot(dir);
    // staged files without a journal: the state a kill during staging leaves
    fs.mkdirSync(path.join(dir, '.fleetcraft-staging/dev/c'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.fleetcraft-staging/dev/c/a.yaml'), 'new\n');
    recover(dir);
    expect(snapshot(dir)).toEqual(before);
  });

  test('a crash after the commit point is rolled forward on the next run', () => {
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'old\n', 'dev/c/gone.yaml': 'x\n' }));
    fs.mkdirSync(path.join(dir, '.fleetcraft-staging/dev/c'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.fleetcraft-staging/dev/c/a.yaml'), 'new\n');
    fs.writeFileSync(path.join(dir, '.fleetcraft-journal.json'), JSON.stringify({ envs: ['dev'], renames: ['dev/c/a.yaml'], deletes: ['dev/c/gone.yaml'] }));
    recover(dir);
    expect(read(dir, 'dev/c/a.yaml')).toBe('new\n');
    expect(fs.existsSync(path.join(dir, 'dev/c/gone.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.fleetcraft-journal.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.fleetcraft-staging'))).toBe(false);
  });
});

describe('checkTree', () => {
  test('passes on a folder synth wrote, then reports a hand edit with a diff', () => {
    const dir = tmp();
    const input = files({ 'dev/c/a.yaml': 'replicas: 3\n' });
    writeTree(dir, ['dev'], input);
    expect(checkTree(dir, ['dev'], input)).toEqual([]);
    fs.writeFileSync(path.join(dir, 'dev/c/a.yaml'), 'replicas: 4\n');
    const drift = checkTree(dir, ['dev'], input);
    expect(drift.map((d) => [d.change, d.path])).toEqual([['changed', 'dev/c/a.yaml']]);
    expect(drift[0].diff).toContain('-replicas: 4');
    expect(drift[0].diff).toContain('+replicas: 3');
  });

  test('reports missing and stale files and writes nothing', () => {
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n', 'dev/c/old.yaml': 'o\n' }));
    const before = snapshot(dir);
    const drift = checkTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n', 'dev/c/new.yaml': 'n\n' }));
    expect(drift.map((d) => [d.change, d.path])).toEqual([
      ['changed', `dev/${MANIFEST_NAME}`], ['missing', 'dev/c/new.yaml'], ['stale', 'dev/c/old.yaml'],
    ]);
    expect(snapshot(dir)).toEqual(before);
  });
});
