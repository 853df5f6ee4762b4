import * as fs from 'fs';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';

/** The record of what synth wrote for one environment, kept at `<out>/<env>/.fleetcraft-manifest.json`. */
export const MANIFEST_NAME = '.fleetcraft-manifest.json';
const STAGING = '.fleetcraft-staging';
const JOURNAL = '.fleetcraft-journal.json';

interface Journal {
  readonly renames: string[];
  readonly deletes: string[];
}

/** What a write changed, as paths relative to the output folder. */
export interface WriteResult {
  readonly written: string[];
  readonly unchanged: string[];
  readonly removed: string[];
}

/** One difference between the folder and what a synth would write. */
export interface Drift {
  readonly path: string;
  readonly change: 'missing' | 'changed' | 'stale';
  /** A unified diff (empty for a missing or stale file's absent side). */
  readonly diff: string;
}

function manifestPath(env: string): string {
  return `${env}/${MANIFEST_NAME}`;
}

function readManifest(outDir: string, env: string): string[] {
  const file = path.join(outDir, manifestPath(env));
  if (!fs.existsSync(file)) return [];
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { files?: unknown };
  if (!Array.isArray(parsed.files)) throw new Error(`${file} is not a fleetcraft manifest; remove it or restore it from Git`);
  return parsed.files.map(String);
}

function manifestText(files: string[]): string {
  return JSON.stringify({ generator: 'fleetcraft', files: [...files].sort() }, null, 2) + '\n';
}

/** The full set of files an environment's synth owns: its objects plus its manifest. */
function expectedFiles(envs: readonly string[], files: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const env of envs) {
    const own = [...files.keys()].filter((p) => p.startsWith(`${env}/`)).sort();
    for (const p of own) out.set(p, files.get(p) as string);
    out.set(manifestPath(env), manifestText(own));
  }
  return out;
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function writeFileAtomic(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Removes now-empty folders from `dir` up to (not including) `stop`. */
function pruneEmptyDirs(dir: string, stop: string): void {
  let current = dir;
  while (current.startsWith(stop + path.sep) && fs.existsSync(current) && fs.readdirSync(current).length === 0) {
    fs.rmdirSync(current);
    current = path.dirname(current);
  }
}

/** Finishes a write that a crash interrupted after its commit point, or discards one interrupted before it. */
export function recover(outDir: string): void {
  const journalFile = path.join(outDir, JOURNAL);
  const staging = path.join(outDir, STAGING);
  if (fs.existsSync(journalFile)) {
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as Journal;
    apply(outDir, journal);
  }
  fs.rmSync(staging, { recursive: true, force: true });
}

function apply(outDir: string, journal: Journal): void {
  const staging = path.join(outDir, STAGING);
  for (const rel of journal.renames) {
    const from = path.join(staging, rel);
    if (!fs.existsSync(from)) continue; // already moved before a crash
    const to = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
  }
  for (const rel of journal.deletes) {
    const file = path.join(outDir, rel);
    if (fs.existsSync(file)) fs.unlinkSync(file);
    pruneEmptyDirs(path.dirname(file), outDir);
  }
  fs.rmSync(path.join(outDir, JOURNAL), { force: true });
  fs.rmSync(staging, { recursive: true, force: true });
}

/**
 * Writes the files of the given environments into `outDir` as one atomic change: everything is staged first, a
 * journal marks the commit point, then files are moved into place. Files a previous synth of these environments
 * wrote and this one does not produce are removed; files fleetcraft did not write are never touched.
 */
export function writeTree(outDir: string, envs: readonly string[], files: ReadonlyMap<string, string>): WriteResult {
  fs.mkdirSync(outDir, { recursive: true });
  recover(outDir);
  const expected = expectedFiles(envs, files);
  const owned = new Set(envs.flatMap((env) => [...readManifest(outDir, env), manifestPath(env)]));
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [rel, content] of expected) {
    const current = readIfExists(path.join(outDir, rel));
    if (current === content) {
      unchanged.push(rel);
      continue;
    }
    if (current !== undefined && !owned.has(rel)) {
      throw new Error(`refusing to overwrite ${path.join(outDir, rel)}: fleetcraft did not write it; move it away or delete it`);
    }
    written.push(rel);
  }
  const removed = [...owned].filter((rel) => !expected.has(rel) && fs.existsSync(path.join(outDir, rel))).sort();
  if (written.length === 0 && removed.length === 0) return { written, unchanged, removed };

  const staging = path.join(outDir, STAGING);
  for (const rel of written) writeFileAtomic(path.join(staging, rel), expected.get(rel) as string);
  const journal: Journal = { renames: written, deletes: removed };
  writeFileAtomic(path.join(outDir, JOURNAL), JSON.stringify(journal)); // the commit point
  apply(outDir, journal);
  return { written, unchanged, removed };
}

/** Compares `outDir` with what a synth of these environments would write, without writing anything. */
export function checkTree(outDir: string, envs: readonly string[], files: ReadonlyMap<string, string>): Drift[] {
  const expected = expectedFiles(envs, files);
  const drift: Drift[] = [];
  for (const [rel, content] of expected) {
    const current = readIfExists(path.join(outDir, rel));
    if (current === content) continue;
    drift.push({
      path: rel,
      change: current === undefined ? 'missing' : 'changed',
      diff: createTwoFilesPatch(`a/${rel}`, `b/${rel}`, current ?? '', content, 'on disk', 'synth'),
    });
  }
  const stale = new Set<string>();
  for (const env of envs) {
    if (!fs.existsSync(path.join(outDir, manifestPath(env)))) continue;
    for (const rel of readManifest(outDir, env)) if (!expected.has(rel)) stale.add(rel);
  }
  for (const rel of [...stale].sort()) {
    const current = readIfExists(path.join(outDir, rel));
    if (current === undefined) continue;
    drift.push({ path: rel, change: 'stale', diff: createTwoFilesPatch(`a/${rel}`, `b/${rel}`, current, '', 'on disk', 'synth') });
  }
  return drift.sort((a, b) => a.path.localeCompare(b.path));
}
