/**
 * The GitOps writer: puts rendered files into `<out>/<env>/…` as one atomic change, prunes what a previous synth
 * wrote and this one does not, and compares a folder with what synth would write (`--check`).
 *
 * Guarantees: every path synth writes, reads back or deletes is a normalized relative path inside its own
 * environment folder with no symbolic link on the way; the prune manifest and the journal are untrusted input
 * and checked entry by entry before anything changes; files synth did not write are never overwritten, deleted
 * or printed; one run at a time holds the folder's lock (see `gitops-lock.ts`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';
import { assertSafePath, checkEntry, GitOpsError, lstatOrUndefined, readRecord, unsafeStep } from './gitops-paths';

export { GitOpsError } from './gitops-paths';

/** The record of what synth wrote for one environment, kept at `<out>/<env>/.fleetcraft-manifest.json`. */
export const MANIFEST_NAME = '.fleetcraft-manifest.json';
/** Files waiting to be moved into place, under the output folder. */
export const STAGING_NAME = '.fleetcraft-staging';
/** The commit point: the list of moves and deletes of a change, under the output folder. */
export const JOURNAL_NAME = '.fleetcraft-journal.json';
const JOURNAL_TMP = new RegExp(`^${JOURNAL_NAME.replace(/\./g, '\\.')}\\.tmp-\\d+$`);
/** Files larger than this are compared but not diffed in `--check` output. */
const MAX_DIFF_BYTES = 4 * 1024 * 1024;
/** The files Argo CD's directory source reads from a folder it syncs. */
const SYNCED_FILE = /\.(ya?ml|json)$/i;
const ENV_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A change recorded at its commit point: files to move from staging into place, files to delete. */
interface Journal {
  readonly envs: string[];
  readonly renames: string[];
  readonly deletes: string[];
}

/** What a write changed, as paths relative to the output folder. */
export interface WriteResult {
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
  /** Manifest files synth did not write, in folders Argo CD syncs: they would be deployed too. */
  readonly foreign: string[];
}

/** One difference between the folder and what a synth would write. */
export interface Drift {
  readonly path: string;
  /**
   * `missing`/`changed`/`stale`: a file synth writes or would remove; `foreign`: a manifest file synth did not
   * write in a folder Argo CD syncs; `pending`: an unfinished synth (journal or staging); `unsafe`: a symbolic
   * link or a non-file where synth writes.
   */
  readonly change: 'missing' | 'changed' | 'stale' | 'foreign' | 'pending' | 'unsafe';
  /** A unified diff for `changed` and `missing` files; otherwise one line saying why (never a file's content). */
  readonly diff: string;
}

/** Test seams: called at the named points of a write (a test kills the process there). */
export interface WriteHooks {
  /** After every file is staged, before the journal (the commit point) is written. */
  readonly staged?: () => void;
  /** Right after the journal is written. */
  readonly committed?: () => void;
  /** After each delete or move while applying. */
  readonly applied?: (step: number) => void;
}

function manifestPath(env: string): string {
  return `${env}/${MANIFEST_NAME}`;
}

/** The files a manifest lists, each checked to be a safe path inside `env/`; [] when there is no manifest. */
function readManifest(outDir: string, env: string): string[] {
  assertSafePath(outDir, manifestPath(env), 'read');
  const file = path.join(outDir, manifestPath(env));
  const parsed = readRecord(file, 'the prune manifest');
  if (parsed === undefined) return [];
  const files = (parsed as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) throw new GitOpsError(`${file} is not a fleetcraft manifest (no "files" list); nothing was changed; restore it from Git or delete it`);
  return files.map((entry) => checkEntry(entry, [env], file));
}

function manifestText(files: string[]): string {
  return JSON.stringify({ generator: 'fleetcraft', files: [...files].sort() }, null, 2) + '\n';
}

/** The full set of files an environment's synth owns: its objects plus its manifest. */
function expectedFiles(envs: readonly string[], files: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of files.keys()) checkEntry(rel, envs, 'the rendered output');
  for (const env of envs) {
    const own = [...files.keys()].filter((p) => p.startsWith(`${env}/`)).sort();
    for (const p of own) out.set(p, files.get(p) as string);
    out.set(manifestPath(env), manifestText(own));
  }
  return out;
}

/** The regular file at `outDir/rel`, or undefined if absent; throws if something else sits there. */
function regularFile(outDir: string, rel: string, action: string): fs.Stats | undefined {
  assertSafePath(outDir, rel, action);
  const stat = lstatOrUndefined(path.join(outDir, rel));
  if (stat && !stat.isFile()) {
    throw new GitOpsError(`refusing to ${action} ${path.join(outDir, rel)}: it is not a regular file (a folder, device or pipe); ` +
      'nothing was changed. Move it away, then run synth again');
  }
  return stat;
}

function readIfExists(outDir: string, rel: string, action: string): string | undefined {
  return regularFile(outDir, rel, action) ? fs.readFileSync(path.join(outDir, rel), 'utf8') : undefined;
}

function writeFileAtomic(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Removes now-empty folders from `dir` up to (not including) `stop`. */
function pruneEmptyDirs(dir: string, stop: string): void {
  let current = dir;
  while (current.startsWith(stop + path.sep) && fs.existsSync(current) && fs.readdirSync(current).length === 0) {
    fs.rmdirSync(current);
    current = path.dirname(current);
  }
}

/** The hidden working files of a write at the top of the output folder, refused if they are links. */
function workPaths(outDir: string): { journal: string; staging: string } {
  for (const name of [JOURNAL_NAME, STAGING_NAME]) {
    const stat = lstatOrUndefined(path.join(outDir, name));
    if (stat?.isSymbolicLink()) {
      throw new GitOpsError(`refusing to use ${path.join(outDir, name)}: it is a symbolic link; nothing was changed. Delete it, then run synth again`);
    }
  }
  return { journal: path.join(outDir, JOURNAL_NAME), staging: path.join(outDir, STAGING_NAME) };
}

/**
 * Checks a journal (read back, or about to be written) entry by entry: every path inside one of its environment
 * folders; a move only onto nothing or onto a file synth wrote; a delete only of a file synth wrote (its
 * environment's manifest lists it — manifests are moved last, so the old one is on disk until the end).
 */
function checkJournal(outDir: string, raw: unknown, source: string): Journal {
  const j = (raw ?? {}) as { envs?: unknown; renames?: unknown; deletes?: unknown };
  if (!Array.isArray(j.envs) || !Array.isArray(j.renames) || !Array.isArray(j.deletes)) {
    throw new GitOpsError(`${source} is not a fleetcraft journal (needs "envs", "renames" and "deletes" lists); nothing was changed. ` +
      `Restore the output folder from Git and delete ${source}, then run synth again`);
  }
  const envs = j.envs.map((e) => {
    if (typeof e !== 'string' || !ENV_NAME.test(e)) throw new GitOpsError(`${source} names environment ${JSON.stringify(e)}, which is not a DNS label; nothing was changed; delete ${source}`);
    return e;
  });
  const manifests = new Map(envs.map((env) => [env, new Set(readManifest(outDir, env))]));
  const owns = (rel: string) => rel === manifestPath(rel.split('/')[0]) || (manifests.get(rel.split('/')[0])?.has(rel) ?? false);
  const staging = path.join(outDir, STAGING_NAME);
  const renames = j.renames.map((entry) => {
    const rel = checkEntry(entry, envs, source);
    if (!lstatOrUndefined(path.join(staging, rel))) return rel; // moved before an interruption
    assertSafePath(staging, rel, 'move');
    if (regularFile(outDir, rel, 'overwrite') && !owns(rel)) {
      throw new GitOpsError(`${source} would overwrite ${path.join(outDir, rel)}, which fleetcraft did not write; nothing was changed. ` +
        `Delete ${source} and ${staging}, then run synth again`);
    }
    return rel;
  });
  const deletes = j.deletes.map((entry) => {
    const rel = checkEntry(entry, envs, source);
    if (regularFile(outDir, rel, 'delete') && !owns(rel)) {
      throw new GitOpsError(`${source} would delete ${path.join(outDir, rel)}, which its environment's manifest does not list; ` +
        `nothing was changed. Delete ${source} and ${staging}, then run synth again`);
    }
    return rel;
  });
  return { envs, renames, deletes };
}

/** The message for a failure after the commit point: where, what state the folder is in, and how to get out. */
function halfApplied(outDir: string, action: string, file: string, error: unknown, done: number, total: number): GitOpsError {
  const e = error as NodeJS.ErrnoException;
  return new GitOpsError(`could not ${action} ${file} (${e.code ?? 'error'}: ${e.message}). The output in ${outDir} is half-applied: ` +
    `${done} of ${total} steps done, the rest recorded in ${path.join(outDir, JOURNAL_NAME)}. Fix the cause (space, permissions, ` +
    `the path named) and run synth again to finish; or roll back with 'git checkout -- . && git clean -fd' in the output folder ` +
    `and delete ${path.join(outDir, JOURNAL_NAME)} and ${path.join(outDir, STAGING_NAME)}`);
}

function apply(outDir: string, journal: Journal, hooks: WriteHooks): void {
  const { journal: journalFile, staging } = workPaths(outDir);
  const total = journal.deletes.length + journal.renames.length;
  let done = 0;
  for (const rel of journal.deletes) {
    const file = path.join(outDir, rel);
    try {
      if (lstatOrUndefined(file)) fs.unlinkSync(file);
      pruneEmptyDirs(path.dirname(file), outDir);
    } catch (e) {
      throw halfApplied(outDir, 'delete', file, e, done, total);
    }
    hooks.applied?.(++done);
  }
  // manifests last: until the end, the old manifest still lists what the journal deletes
  const isManifest = (rel: string) => rel.endsWith(`/${MANIFEST_NAME}`);
  for (const rel of [...journal.renames.filter((r) => !isManifest(r)), ...journal.renames.filter(isManifest)]) {
    const from = path.join(staging, rel);
    const to = path.join(outDir, rel);
    try {
      if (lstatOrUndefined(from)) {
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.renameSync(from, to);
      }
    } catch (e) {
      throw halfApplied(outDir, 'move into place', to, e, done, total);
    }
    hooks.applied?.(++done);
  }
  fs.rmSync(journalFile, { force: true });
  fs.rmSync(staging, { recursive: true, force: true });
}

/**
 * Finishes a write that an interruption left after its commit point, or discards one interrupted before it;
 * removes a journal's orphan temporary file. The journal is checked entry by entry first: a bad entry is an
 * error that names it, and nothing changes.
 */
export function recover(outDir: string): void {
  if (!fs.existsSync(outDir)) return;
  const { journal, staging } = workPaths(outDir);
  const raw = readRecord(journal, 'the journal of an unfinished synth');
  if (raw !== undefined) apply(outDir, checkJournal(outDir, raw, journal), {});
  fs.rmSync(staging, { recursive: true, force: true });
  for (const name of fs.readdirSync(outDir)) if (JOURNAL_TMP.test(name)) fs.rmSync(path.join(outDir, name), { force: true });
}

/** The folders Argo CD syncs for these files: each object file's folder. */
function syncedFolders(expected: ReadonlyMap<string, string>): string[] {
  return [...new Set([...expected.keys()].filter((rel) => !rel.endsWith(`/${MANIFEST_NAME}`)).map((rel) => path.posix.dirname(rel)))].sort();
}

/** Manifest files in synced folders that synth neither writes nor wrote (Argo CD would deploy them too). */
function foreignFiles(outDir: string, expected: ReadonlyMap<string, string>, owned: ReadonlySet<string>): string[] {
  const foreign: string[] = [];
  for (const folder of syncedFolders(expected)) {
    if (unsafeStep(outDir, folder) || !lstatOrUndefined(path.join(outDir, folder))?.isDirectory()) continue;
    for (const entry of fs.readdirSync(path.join(outDir, folder), { withFileTypes: true })) {
      const rel = `${folder}/${entry.name}`;
      if (!entry.isDirectory() && SYNCED_FILE.test(entry.name) && !expected.has(rel) && !owned.has(rel)) foreign.push(rel);
    }
  }
  return foreign.sort();
}

/**
 * Writes the files of the given environments into `outDir` as one atomic change: everything is staged first, a
 * journal marks the commit point, then files are moved into place. Files a previous synth of these environments
 * wrote and this one does not produce are removed; files fleetcraft did not write are never touched. The caller
 * holds the folder's lock.
 */
export function writeTree(outDir: string, envs: readonly string[], files: ReadonlyMap<string, string>, hooks: WriteHooks = {}): WriteResult {
  fs.mkdirSync(outDir, { recursive: true });
  recover(outDir);
  const expected = expectedFiles(envs, files);
  const owned = new Set(envs.flatMap((env) => [...readManifest(outDir, env), manifestPath(env)]));
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [rel, content] of expected) {
    const current = readIfExists(outDir, rel, 'write');
    if (current === content) {
      unchanged.push(rel);
      continue;
    }
    if (current !== undefined && !owned.has(rel)) {
      throw new GitOpsError(`refusing to overwrite ${path.join(outDir, rel)}: fleetcraft did not write it; move it away or delete it`);
    }
    written.push(rel);
  }
  const removed = [...owned].filter((rel) => !expected.has(rel) && regularFile(outDir, rel, 'delete')).sort();
  const foreign = foreignFiles(outDir, expected, owned);
  if (written.length === 0 && removed.length === 0) return { written, unchanged, removed, foreign };

  const { journal: journalFile, staging } = workPaths(outDir);
  const journal: Journal = { envs: [...envs], renames: written, deletes: removed };
  try {
    for (const rel of written) writeFileAtomic(path.join(staging, rel), expected.get(rel) as string);
    checkJournal(outDir, journal, journalFile);
    hooks.staged?.();
    writeFileAtomic(journalFile, JSON.stringify(journal)); // the commit point
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (e instanceof GitOpsError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new GitOpsError(`could not stage the change in ${staging} (${err.code ?? 'error'}: ${err.message}${err.path ? `, at ${err.path}` : ''}); ` +
      `nothing in ${outDir} was changed and the staged files were removed. Free space or fix permissions, then run synth again`);
  }
  hooks.committed?.();
  apply(outDir, journal, hooks);
  return { written, unchanged, removed, foreign };
}

/** A diff of `rel` as it is on disk against what synth writes, or a note when it is too large to diff. */
function diffOf(outDir: string, rel: string, content: string): Drift {
  const stat = regularFileForCheck(outDir, rel);
  if (typeof stat === 'string') return { path: rel, change: 'unsafe', diff: `${rel}: ${stat}; synth would refuse to write it` };
  if (!stat) return { path: rel, change: 'missing', diff: createTwoFilesPatch(`a/${rel}`, `b/${rel}`, '', content, 'on disk', 'synth') };
  if (stat.size > MAX_DIFF_BYTES) return { path: rel, change: 'changed', diff: `${rel}: ${stat.size} bytes on disk, differs from what synth writes (too large to diff)` };
  const current = fs.readFileSync(path.join(outDir, rel), 'utf8');
  return { path: rel, change: 'changed', diff: createTwoFilesPatch(`a/${rel}`, `b/${rel}`, current, content, 'on disk', 'synth') };
}

/** Like `regularFile`, but answers the problem as text instead of throwing. */
function regularFileForCheck(outDir: string, rel: string): fs.Stats | string | undefined {
  const problem = unsafeStep(outDir, rel);
  if (problem) return problem;
  const stat = lstatOrUndefined(path.join(outDir, rel));
  if (stat && !stat.isFile()) return `${path.join(outDir, rel)} is not a regular file`;
  return stat;
}

/**
 * Compares `outDir` with what a synth of these environments would write, without writing anything. Also reports
 * manifest files synth did not write in the folders Argo CD syncs, and an unfinished synth (journal or staging).
 * Only files synth writes are ever read for a diff; a stale or foreign file's content is never printed.
 */
export function checkTree(outDir: string, envs: readonly string[], files: ReadonlyMap<string, string>): Drift[] {
  const expected = expectedFiles(envs, files);
  const drift: Drift[] = [];
  for (const name of [JOURNAL_NAME, STAGING_NAME]) {
    if (lstatOrUndefined(path.join(outDir, name))) {
      drift.push({ path: name, change: 'pending', diff: `${name}: an unfinished synth; run fleetcraft synth to finish it, then commit the result` });
    }
  }
  for (const [rel, content] of expected) {
    const stat = regularFileForCheck(outDir, rel);
    if (stat && typeof stat !== 'string' && stat.size === Buffer.byteLength(content) && fs.readFileSync(path.join(outDir, rel), 'utf8') === content) continue;
    drift.push(diffOf(outDir, rel, content));
  }
  const stale = new Set<string>();
  for (const env of envs) {
    if (regularFileForCheck(outDir, manifestPath(env)) === undefined) continue;
    for (const rel of readManifest(outDir, env)) if (!expected.has(rel)) stale.add(rel);
  }
  for (const rel of [...stale].sort()) {
    const stat = regularFileForCheck(outDir, rel);
    if (stat === undefined) continue;
    drift.push(typeof stat === 'string'
      ? { path: rel, change: 'unsafe', diff: `${rel}: ${stat}; synth would refuse to delete it` }
      : { path: rel, change: 'stale', diff: `${rel}: written by an earlier synth, no longer produced; synth would remove it` });
  }
  for (const rel of foreignFiles(outDir, expected, stale)) {
    drift.push({ path: rel, change: 'foreign', diff: `${rel}: not written by synth, in a folder Argo CD syncs; it would be deployed too. Move it out or delete it` });
  }
  return drift.sort((a, b) => a.path.localeCompare(b.path));
}
