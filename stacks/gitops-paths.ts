/**
 * The GitOps writer's safety checks on paths. Everything synth reads back from the output folder (the prune
 * manifest, the journal) is untrusted input — a pull request can edit it — so every path is checked before use:
 * a normalized relative path inside its own environment folder, with no symbolic link on the way.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describeValue } from '../lib/private/prop-guard';

/** An error of the GitOps writer: the message names the path, says what was (not) changed and how to fix it. */
export class GitOpsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitOpsError';
  }
}

/** The largest hidden file (manifest, journal, lock) synth reads back; a real one is a few kilobytes. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Returns `entry` if it is a normalized relative POSIX path `<env>/<more>` with `env` one of `envs`; throws
 * otherwise. `source` names the file the entry was read from.
 */
export function checkEntry(entry: unknown, envs: readonly string[], source: string): string {
  const refuse = (why: string): never => {
    throw new GitOpsError(`${source} lists ${describeValue(entry)}, which ${why}; nothing was changed. ` +
      `Restore ${source} from Git (or delete it and remove stale files by hand), then run synth again`);
  };
  if (typeof entry !== 'string') return refuse('is not a path');
  if (entry.length === 0 || entry.length > 4096) return refuse('is empty or longer than 4096 characters');
  if (/[\0\\]/.test(entry)) return refuse('contains a NUL character or a backslash');
  if (path.posix.isAbsolute(entry) || path.win32.isAbsolute(entry)) return refuse('is an absolute path');
  const parts = entry.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return refuse('is not a normalized relative path (no "..", "." or empty segment)');
  if (parts.length < 2 || !envs.includes(parts[0])) {
    return refuse(`is not inside its environment folder (${envs.map((e) => `${e}/`).join(', ')})`);
  }
  return entry;
}

/** lstat that answers undefined for a path that does not exist (or whose parent is not a folder). */
export function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/**
 * The first problem on the way from `root` to `root/rel`: a symbolic link, or a file where a folder must be.
 * `root` itself may be a link (a user may point `--out` at one); nothing below it may.
 */
export function unsafeStep(root: string, rel: string): string | undefined {
  const parts = rel.split('/');
  let current = root;
  for (let i = 0; i < parts.length; i++) {
    current = path.join(current, parts[i]);
    const stat = lstatOrUndefined(current);
    if (!stat) return undefined;
    if (stat.isSymbolicLink()) return `${current} is a symbolic link`;
    if (i < parts.length - 1 && !stat.isDirectory()) return `${current} is not a folder`;
  }
  return undefined;
}

/** Throws when synth would `action` `root/rel` through a symbolic link or a file posing as a folder. */
export function assertSafePath(root: string, rel: string, action: string): void {
  const problem = unsafeStep(root, rel);
  if (problem) {
    throw new GitOpsError(`refusing to ${action} ${path.join(root, rel)}: ${problem}, and synth never writes, reads or deletes ` +
      'through one; nothing was changed. Replace it with a real folder (or point --out at the real location)');
  }
}

/** Reads a small hidden record (manifest, journal) as JSON, refusing links, non-files, huge files and bad JSON. */
export function readRecord(file: string, what: string): unknown {
  const stat = lstatOrUndefined(file);
  if (!stat) return undefined;
  const fix = `restore it from Git or delete it, then run synth again`;
  if (stat.isSymbolicLink() || !stat.isFile()) throw new GitOpsError(`${file} (${what}) is not a regular file; nothing was changed. Remove it, then run synth again`);
  if (stat.size > MAX_RECORD_BYTES) throw new GitOpsError(`${file} (${what}) is ${stat.size} bytes, more than ${MAX_RECORD_BYTES}; nothing was changed; ${fix}`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new GitOpsError(`${file} (${what}) is not valid JSON (${(e as Error).message}); nothing was changed; ${fix}`);
  }
}
