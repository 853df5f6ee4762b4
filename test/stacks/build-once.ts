/**
 * Builds the package (`npm run build`) before a test runs code from `dist-lib` (the cdk8s CLI loading the plugin, the
 * policy pack's program). Test files run in parallel workers, so the build holds a lock folder: a second file waits
 * for the first build, then builds again, which finds nothing to emit.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
const LOCK = path.join(os.tmpdir(), `fleetcraft-build-lock-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`);
const WAIT_MS = 240_000;

export function buildOnce(): void {
  const start = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // a lock older than any build is left over from a killed run
      if (Date.now() - fs.statSync(LOCK).mtimeMs > WAIT_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() - start > WAIT_MS) throw new Error(`waited ${WAIT_MS / 1000} s for another build to release ${LOCK}; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: WAIT_MS });
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
