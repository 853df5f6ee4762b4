/**
 * One writer at a time: an exclusive lock file in the output folder, held for a whole synth run.
 *
 * The lock is `<out>/.fleetcraft-lock`, created atomically with its content (written to a private temporary file,
 * then hard-linked into place, which fails if the lock exists). It records the holder's pid, host and start time.
 * A lock whose holder is on this host and no longer runs is stale and is broken; any other lock is waited for,
 * up to a bound, then reported with who holds it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GitOpsError, lstatOrUndefined, MAX_RECORD_BYTES } from './gitops-paths';

/** The lock file's name inside the output folder. */
export const LOCK_NAME = '.fleetcraft-lock';
const TMP_PREFIX = `${LOCK_NAME}.tmp-`;

/** Who holds a lock. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/** How long to wait for another run's lock. */
export interface LockOptions {
  /** Milliseconds to wait for a lock another live run holds. @default 60000 */
  readonly timeoutMs?: number;
  /** Milliseconds between attempts. @default 100 */
  readonly pollMs?: number;
}

/** Sleeps synchronously (synth is synchronous end to end). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether a process with this pid runs on this host. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile() || stat.size > MAX_RECORD_BYTES) return undefined;
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string' || typeof parsed.started !== 'string') return undefined;
    return { pid: parsed.pid, host: parsed.host, started: parsed.started };
  } catch {
    return undefined;
  }
}

function isStale(holder: LockHolder | undefined): boolean {
  return holder !== undefined && holder.host === os.hostname() && !processAlive(holder.pid);
}

/** Removes temporary lock files that dead processes of this host left behind. */
function removeOrphanTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const pid = Number(name.slice(TMP_PREFIX.length));
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Breaks a stale lock without racing another breaker: the lock is moved aside first, and put back if what was
 * moved is not the stale lock that was read (another run took the lock in between).
 */
function breakStale(lock: string, stale: LockHolder): void {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    fs.renameSync(lock, aside);
  } catch {
    return; // someone else broke or released it
  }
  const moved = readHolder(aside);
  if (moved && (moved.pid !== stale.pid || moved.started !== stale.started)) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // a third run took the lock meanwhile; the one moved aside is lost, and its holder will report it
    }
  }
  fs.rmSync(aside, { force: true });
}

/**
 * Takes the lock on `dir` (which must exist), waiting up to `timeoutMs` for another live run; returns a function
 * that releases it. Throws a message naming the holder when the wait runs out.
 */
export function acquireLock(dir: string, options: LockOptions = {}): () => void {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 100;
  const lock = path.join(dir, LOCK_NAME);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  const tmp = path.join(dir, `${TMP_PREFIX}${process.pid}`);
  removeOrphanTemps(dir);
  fs.writeFileSync(tmp, JSON.stringify(me) + '\n');
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        fs.linkSync(tmp, lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const stat = lstatOrUndefined(lock);
      if (stat && (stat.isSymbolicLink() || !stat.isFile())) {
        throw new GitOpsError(`${lock} is not a regular file; remove it, then run synth again`);
      }
      const holder = readHolder(lock);
      if (holder && isStale(holder)) {
        breakStale(lock, holder);
        continue;
      }
      if (Date.now() >= deadline) {
        const who = holder ? `fleetcraft pid ${holder.pid} on host ${holder.host} since ${holder.started}` : 'an unreadable lock file';
        throw new GitOpsError(`${dir} is locked by ${who}; waited ${Math.round(timeoutMs / 1000)} s. ` +
          `Wait for that run to finish (or raise --lock-timeout); if it is gone (another host, a killed container), delete ${lock}`);
      }
      sleep(pollMs);
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return () => {
    const holder = readHolder(lock);
    if (holder && holder.pid === me.pid && holder.host === me.host && holder.started === me.started) fs.rmSync(lock, { force: true });
  };
}

/** Runs `fn` holding the lock on `dir`, releasing it however `fn` ends. */
export function withLock<T>(dir: string, options: LockOptions, fn: () => T): T {
  const release = acquireLock(dir, options);
  try {
    return fn();
  } finally {
    release();
  }
}
