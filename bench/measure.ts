import { spawnSync } from 'child_process';

/** The median of some numbers (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Rounds to `digits` decimals (for reports; keeps the JSON readable). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The peak resident set size of this process so far, in MB (Node reports kilobytes). */
export function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** The marker line a measuring child prints its JSON result after (its only stdout that the parent reads). */
export const RESULT_MARKER = 'FLEETCRAFT_BENCH_RESULT ';

/** The marker line the RSS probe prints to stderr when a process exits. */
export const RSS_MARKER = 'FLEETCRAFT_BENCH_MAXRSS_KB=';

/** What one run of an external command took. */
export interface CommandRun {
  /** Wall time of the whole process, start to exit, in ms. */
  readonly wallMs: number;
  /** Peak RSS in MB, when the RSS probe reported it. */
  readonly maxRssMb?: number;
}

/**
 * Runs `node <args>` as a fresh process in `cwd` (with `how.env`, default this process's), waits for it, and returns
 * its wall time. Throws with the command's output when it exits with a code other than `how.exitCodes` (default 0),
 * so a broken command is never reported as fast.
 */
export function runNode(
  args: readonly string[], cwd: string, nodeOptions: readonly string[] = [],
  how: { readonly env?: NodeJS.ProcessEnv; readonly exitCodes?: readonly number[] } = {},
): CommandRun & { stdout: string } {
  const started = nowMs();
  const result = spawnSync(process.execPath, [...nodeOptions, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: how.env ?? process.env });
  const wallMs = nowMs() - started;
  if (result.error) throw result.error;
  if (!(how.exitCodes ?? [0]).includes(result.status ?? -1)) {
    throw new Error(`node ${args.join(' ')} exited with ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
  }
  const rss = result.stderr.split('\n').find((l) => l.startsWith(RSS_MARKER));
  return { wallMs, maxRssMb: rss ? Number(rss.slice(RSS_MARKER.length)) / 1024 : undefined, stdout: result.stdout };
}

/** Runs a measuring child (`node <child.js> <args>`) and parses the JSON it reports. */
export function runChild<T>(childScript: string, args: readonly string[], cwd: string, nodeOptions: readonly string[] = []): T {
  const { stdout } = runNode([childScript, ...args], cwd, nodeOptions);
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (!line) throw new Error(`node ${childScript} ${args.join(' ')} reported no result:\n${stdout}`);
  return JSON.parse(line.slice(RESULT_MARKER.length)) as T;
}
