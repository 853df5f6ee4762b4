/**
 * One writer at a time, proven with real processes: two CLI runs on one folder, a lock held by a live process,
 * a stale lock of a dead one, and writers killed at the commit point.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { recover, writeTree } from '../../stacks/gitops';
import { acquireLock, LOCK_NAME, withLock } from '../../stacks/gitops-lock';
import { readTree } from '../util';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'fleetcraft.js');
const BUILT_GITOPS = path.join(ROOT, 'dist-lib', 'stacks', 'gitops.js');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-lock-'));

beforeAll(() => {
  if (!fs.existsSync(BUILT_GITOPS)) throw new Error(`${BUILT_GITOPS} is missing: these tests run the built CLI; run npm run build first (npm test does)`);
});

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function runCli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/** A pid that surely does not run: a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

const snapshot = readTree;

describe('the output folder lock', () => {
  test('a second holder waits, then fails naming the holder; the lock is released after use', () => {
    const dir = tmp();
    const release = acquireLock(dir);
    const held = JSON.parse(fs.readFileSync(path.join(dir, LOCK_NAME), 'utf8')) as { pid: number; host: string };
    expect(held).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(() => acquireLock(dir, { timeoutMs: 200, pollMs: 20 })).toThrow(
      new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is locked by fleetcraft pid ${process.pid} on host ${os.hostname()} since .*; waited 0 s\\. Wait for that run to finish`));
    release();
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(withLock(dir, {}, () => fs.existsSync(path.join(dir, LOCK_NAME)))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a stale lock of a dead process on this host is broken, and its orphan temporary file removed', () => {
    const dir = tmp();
    const dead = deadPid();
    fs.writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify({ pid: dead, host: os.hostname(), started: '2026-01-01T00:00:00.000Z' }));
    fs.writeFileSync(path.join(dir, `${LOCK_NAME}.tmp-${dead}`), '{}');
    const release = acquireLock(dir, { timeoutMs: 1000 });
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_NAME), 'utf8')).pid).toBe(process.pid);
    release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a lock of another host is never broken', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify({ pid: deadPid(), host: 'ci-runner-7', started: '2026-01-01T00:00:00.000Z' }));
    expect(() => acquireLock(dir, { timeoutMs: 100, pollMs: 20 })).toThrow(`on host ci-runner-7 since 2026-01-01T00:00:00.000Z; waited 0 s`);
    expect(() => acquireLock(dir, { timeoutMs: 100 })).toThrow(`if it is gone (another host, a killed container), delete ${path.join(dir, LOCK_NAME)}`);
  });
});

describe('concurrent CLI runs', () => {
  test('two synths into one folder run one after the other: both succeed, the second finds nothing to change', async () => {
    const dir = tmp();
    const args = ['synth', '--env', 'dev', '--out', dir, '--no-schemas'];
    const runs = await Promise.all([runCli(args), runCli(args)]);
    for (const r of runs) expect({ code: r.code, stderr: r.stderr.replace(/^warning:.*\n/gm, '') }).toEqual({ code: 0, stderr: '' });
    const summaries = runs.map((r) => r.stdout.trim().split('\n').pop() ?? '');
    expect(summaries.filter((s) => /\(0 changed, \d+ unchanged, 0 removed\)/.test(s))).toHaveLength(1);
    expect(fs.readdirSync(dir)).toEqual(['dev']);
    expect((await runCli([...args, '--check'])).code).toBe(0);
  });

  test('a run finding the folder locked by a live process fails after --lock-timeout, naming it, and writes nothing', async () => {
    const dir = tmp();
    const release = acquireLock(dir);
    try {
      const r = await runCli(['synth', '--env', 'dev', '--out', dir, '--no-schemas', '--lock-timeout', '1']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`fleetcraft synth: ${dir} is locked by fleetcraft pid ${process.pid} on host ${os.hostname()}`);
      expect(fs.readdirSync(dir)).toEqual([LOCK_NAME]);
    } finally {
      release();
    }
  });

  test('a run finding a stale lock of a dead process takes over and succeeds', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify({ pid: deadPid(), host: os.hostname(), started: '2026-01-01T00:00:00.000Z' }));
    const r = await runCli(['synth', '--env', 'dev', '--out', dir, '--no-schemas', '--lock-timeout', '5']);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['dev']);
  });
});

describe('a writer killed at the commit point', () => {
  const OLD = { 'dev/c/a.yaml': 'old a\n', 'dev/c/b.yaml': 'old b\n', 'dev/c/gone.yaml': 'gone\n' };
  const NEW = { 'dev/c/a.yaml': 'new a\n', 'dev/c/b.yaml': 'new b\n', 'dev/c/added.yaml': 'added\n' };
  /** The built writer, killed by SIGKILL at one hook: `staged`, `committed` or `applied:N`. */
  const CHILD = `
    const [gitops, dir, point, files] = process.argv.slice(1);
    const { writeTree } = require(gitops);
    const die = () => process.kill(process.pid, 'SIGKILL');
    const [name, step] = point.split(':');
    const hooks = name === 'applied' ? { applied: (n) => { if (n === Number(step)) die(); } } : { [name]: die };
    writeTree(dir, ['dev'], new Map(Object.entries(JSON.parse(files))), hooks);
  `;

  function treeAfter(files: Record<string, string>): Record<string, string> {
    const dir = tmp();
    writeTree(dir, ['dev'], new Map(Object.entries(files)));
    return snapshot(dir);
  }

  const oldTree = treeAfter(OLD);
  const newTree = (() => {
    const dir = tmp();
    writeTree(dir, ['dev'], new Map(Object.entries(OLD)));
    writeTree(dir, ['dev'], new Map(Object.entries(NEW)));
    return snapshot(dir);
  })();

  test.each([
    ['staged', 'old'], ['committed', 'new'], ['applied:1', 'new'], ['applied:3', 'new'], ['applied:5', 'new'],
  ])('killed at %s: before recovery nothing is mixed without a journal, after it the tree is all %s', (point, expected) => {
    const dir = tmp();
    writeTree(dir, ['dev'], new Map(Object.entries(OLD)));
    const child = spawnSync(process.execPath, ['-e', CHILD, BUILT_GITOPS, dir, point, JSON.stringify(NEW)], { encoding: 'utf8', timeout: 30_000 });
    expect(child.signal).toBe('SIGKILL');
    const visible = Object.fromEntries(Object.entries(snapshot(dir)).filter(([rel]) => rel.startsWith('dev/')));
    const pending = fs.existsSync(path.join(dir, '.fleetcraft-journal.json'));
    if (!pending) expect(visible).toEqual(oldTree);
    recover(dir);
    expect(snapshot(dir)).toEqual(expected === 'old' ? oldTree : newTree);
  });
});
