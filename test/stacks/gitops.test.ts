import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkTree, MANIFEST_NAME, recover, writeTree } from '../../stacks/gitops';
import { readTree } from '../util';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-gitops-'));
const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

const snapshot = readTree;

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

/** A folder beside the output that synth must never touch, with a file holding a secret. */
function victim(): { dir: string; file: string } {
  const dir = tmp();
  const file = path.join(dir, 'victim.txt');
  fs.writeFileSync(file, 'TOKEN=s3cr3t\n');
  return { dir, file };
}

function plantManifest(dir: string, env: string, entries: unknown[]): void {
  fs.writeFileSync(path.join(dir, env, MANIFEST_NAME), JSON.stringify({ generator: 'fleetcraft', files: entries }));
}

describe('untrusted manifest and journal entries', () => {
  const hostile = ['../victim.txt', '/etc/passwd', 'dev/../../victim.txt', 'dev/./c/a.yaml', 'dev//a.yaml', 'staging/c/a.yaml', 'README.md', 'C:\\x', 42];

  test.each(hostile.map((e) => [JSON.stringify(e), e]))('a manifest entry %s is refused by name and nothing changes', (_label, entry) => {
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n' }));
    fs.writeFileSync(path.join(dir, 'README.md'), 'gitops repo\n');
    plantManifest(dir, 'dev', ['dev/c/a.yaml', entry]);
    const before = snapshot(dir);
    expect(() => writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a2\n' }))).toThrow(
      `${path.join(dir, 'dev', MANIFEST_NAME)} lists ${JSON.stringify(entry)}, which`);
    expect(snapshot(dir)).toEqual(before);
  });

  test('"../victim.txt" in the manifest never deletes the file outside the output folder', () => {
    const outside = victim();
    const dir = path.join(outside.dir, 'out');
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n' }));
    plantManifest(dir, 'dev', ['dev/c/a.yaml', '../../victim.txt']);
    expect(() => writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n' }))).toThrow('is not a normalized relative path');
    expect(fs.readFileSync(outside.file, 'utf8')).toBe('TOKEN=s3cr3t\n');
  });

  test('a journal deleting outside its folder, another environment\'s or a foreign file is refused and changes nothing', () => {
    const outside = victim();
    const dir = path.join(outside.dir, 'out');
    writeTree(dir, ['dev', 'staging'], files({ 'dev/c/a.yaml': 'a\n', 'staging/c/a.yaml': 's\n' }));
    fs.writeFileSync(path.join(dir, 'README.md'), 'gitops repo\n');
    fs.writeFileSync(path.join(dir, 'dev/c/mine.yaml'), 'hand: written\n');
    const cases: Array<[unknown, string]> = [
      [{ envs: ['dev'], renames: [], deletes: ['../victim.txt'] }, 'is not a normalized relative path'],
      [{ envs: ['dev'], renames: [], deletes: ['staging/c/a.yaml'] }, 'is not inside its environment folder (dev/)'],
      [{ envs: ['dev'], renames: [], deletes: ['README.md'] }, 'is not inside its environment folder'],
      [{ envs: ['dev'], renames: [], deletes: ['dev/c/mine.yaml'] }, "which its environment's manifest does not list"],
      [{ envs: ['..'], renames: [], deletes: [] }, 'is not a DNS label'],
      [{ renames: [], deletes: ['dev/c/a.yaml'] }, 'is not a fleetcraft journal'],
    ];
    const journal = path.join(dir, '.fleetcraft-journal.json');
    for (const [content, message] of cases) {
      fs.writeFileSync(journal, JSON.stringify(content));
      const before = snapshot(dir);
      expect(() => recover(dir)).toThrow(message);
      expect(() => writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n' }))).toThrow(message);
      expect(snapshot(dir)).toEqual(before);
    }
    expect(fs.readFileSync(outside.file, 'utf8')).toBe('TOKEN=s3cr3t\n');
  });

  test('--check never reads a file outside the folder, and never prints a stale file\'s content', () => {
    const outside = victim();
    const dir = path.join(outside.dir, 'out');
    const input = files({ 'dev/c/a.yaml': 'a\n' });
    writeTree(dir, ['dev'], input);
    plantManifest(dir, 'dev', ['dev/c/a.yaml', '../../../../proc/self/environ']);
    expect(() => checkTree(dir, ['dev'], input)).toThrow(`lists "../../../../proc/self/environ", which is not a normalized relative path`);
    fs.writeFileSync(path.join(dir, 'dev/c/secret.yaml'), 'token: s3cr3t\n');
    plantManifest(dir, 'dev', ['dev/c/a.yaml', 'dev/c/secret.yaml']);
    const drift = checkTree(dir, ['dev'], input);
    const stale = drift.find((d) => d.path === 'dev/c/secret.yaml');
    expect(stale?.change).toBe('stale');
    expect(drift.map((d) => d.diff).join('\n')).not.toContain('s3cr3t');
  });
});

describe('symbolic links', () => {
  test('a component folder that is a link is neither written into nor pruned through', () => {
    const outside = victim();
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n', 'dev/d/victim.txt': 'x\n' }));
    fs.rmSync(path.join(dir, 'dev/d'), { recursive: true });
    fs.symlinkSync(outside.dir, path.join(dir, 'dev/d'));
    const before = snapshot(outside.dir);
    expect(() => writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a2\n' }))).toThrow(`refusing to delete ${path.join(dir, 'dev/d/victim.txt')}: ${path.join(dir, 'dev/d')} is a symbolic link`);
    fs.rmSync(path.join(dir, 'dev/c'), { recursive: true });
    fs.symlinkSync(outside.dir, path.join(dir, 'dev/c'));
    expect(() => writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a2\n', 'dev/d/victim.txt': 'x\n' }))).toThrow(
      `refusing to write ${path.join(dir, 'dev/c/a.yaml')}: ${path.join(dir, 'dev/c')} is a symbolic link`);
    expect(fs.readFileSync(outside.file, 'utf8')).toBe('TOKEN=s3cr3t\n');
    expect(snapshot(outside.dir)).toEqual(before);
  });

  test('an environment folder that is a link: nothing deleted or written outside, the manifest included', () => {
    const outside = victim();
    const dir = tmp();
    fs.symlinkSync(outside.dir, path.join(dir, 'dev'));
    const before = snapshot(outside.dir);
    expect(() => writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n' }))).toThrow(`${path.join(dir, 'dev')} is a symbolic link`);
    expect(snapshot(outside.dir)).toEqual(before);
  });

  test('a staging folder that is a link is refused', () => {
    const outside = victim();
    const dir = tmp();
    fs.symlinkSync(outside.dir, path.join(dir, '.fleetcraft-staging'));
    expect(() => writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n' }))).toThrow('is a symbolic link');
    expect(fs.readdirSync(outside.dir)).toEqual(['victim.txt']);
  });

  test('--check reports a link where synth writes, without reading through it', () => {
    const outside = victim();
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'dev'));
    fs.symlinkSync(outside.dir, path.join(dir, 'dev/c'));
    const drift = checkTree(dir, ['dev'], files({ 'dev/c/victim.txt': 'a\n' }));
    expect(drift.find((d) => d.path === 'dev/c/victim.txt')?.change).toBe('unsafe');
    expect(drift.map((d) => d.diff).join('\n')).not.toContain('s3cr3t');
  });
});

describe('--check sees what Argo CD would deploy', () => {
  test('a foreign manifest file in a synced folder is drift; other files and other folders are not', () => {
    const dir = tmp();
    const input = files({ 'dev/c/a.yaml': 'a\n' });
    writeTree(dir, ['dev'], input);
    fs.writeFileSync(path.join(dir, 'dev/c/evil.yaml'), 'kind: ClusterRoleBinding\n');
    fs.writeFileSync(path.join(dir, 'dev/c/NOTES.md'), 'notes\n');
    fs.writeFileSync(path.join(dir, 'README.md'), 'repo\n');
    const drift = checkTree(dir, ['dev'], input);
    expect(drift.map((d) => [d.change, d.path])).toEqual([['foreign', 'dev/c/evil.yaml']]);
    expect(drift[0].diff).not.toContain('ClusterRoleBinding');
    expect(writeTree(dir, ['dev'], input).foreign).toEqual(['dev/c/evil.yaml']);
  });

  test('a pending journal or staging folder is drift', () => {
    const dir = tmp();
    const input = files({ 'dev/c/a.yaml': 'a\n' });
    writeTree(dir, ['dev'], input);
    fs.writeFileSync(path.join(dir, '.fleetcraft-journal.json'), JSON.stringify({ envs: ['dev'], renames: [], deletes: [] }));
    fs.mkdirSync(path.join(dir, '.fleetcraft-staging'));
    expect(checkTree(dir, ['dev'], input).map((d) => [d.change, d.path])).toEqual([
      ['pending', '.fleetcraft-journal.json'], ['pending', '.fleetcraft-staging'],
    ]);
  });
});

describe('failures say where and how to get out', () => {
  test('a manifest entry that is a folder is refused before the commit point, naming it', () => {
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n', 'dev/c/b.yaml': 'b\n' }));
    fs.rmSync(path.join(dir, 'dev/c/b.yaml'));
    fs.mkdirSync(path.join(dir, 'dev/c/b.yaml'));
    const before = snapshot(dir);
    expect(() => writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a2\n' }))).toThrow(
      `refusing to delete ${path.join(dir, 'dev/c/b.yaml')}: it is not a regular file`);
    expect(snapshot(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, '.fleetcraft-journal.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.fleetcraft-staging'))).toBe(false);
  });

  test('a failure after the commit point names the path, says half-applied, and the next run finishes', () => {
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n', 'dev/c/b.yaml': 'b\n' }));
    const obstacle = path.join(dir, 'dev/c/b.yaml');
    const next = files({ 'dev/c/a.yaml': 'a2\n', 'dev/c/b.yaml': 'b2\n' });
    let message = '';
    try {
      writeTree(dir, ['dev'], next, {
        committed: () => {
          fs.rmSync(obstacle);
          fs.mkdirSync(obstacle);
          fs.writeFileSync(path.join(obstacle, 'x'), 'x');
        },
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`could not move into place ${obstacle}`);
    expect(message).toContain('is half-applied');
    expect(message).toContain('run synth again to finish');
    expect(fs.existsSync(path.join(dir, '.fleetcraft-journal.json'))).toBe(true);
    fs.rmSync(obstacle, { recursive: true });
    writeTree(dir, ['dev'], next);
    expect(read(dir, 'dev/c/a.yaml')).toBe('a2\n');
    expect(read(dir, 'dev/c/b.yaml')).toBe('b2\n');
    expect(fs.existsSync(path.join(dir, '.fleetcraft-journal.json'))).toBe(false);
  });

  test('a failure while staging removes the staged files and changes nothing', () => {
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n' }));
    const before = snapshot(dir);
    const full = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    expect(() => writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a2\n' }), { staged: () => { throw full; } })).toThrow(
      `could not stage the change in ${path.join(dir, '.fleetcraft-staging')} (ENOSPC: no space left on device); nothing in ${dir} was changed`);
    expect(snapshot(dir)).toEqual(before);
  });

  test('an orphan temporary journal file from a kill during its write is removed', () => {
    const dir = tmp();
    writeTree(dir, ['dev'], files({ 'dev/c/a.yaml': 'a\n' }));
    fs.writeFileSync(path.join(dir, '.fleetcraft-journal.json.tmp-99999'), '{"envs":["de');
    recover(dir);
    expect(fs.readdirSync(dir)).toEqual(['dev']);
  });
});
