import { ENVIRONMENT_NAMES, ENVIRONMENTS, EnvironmentSpec, getEnvironment } from '../environments';
import { formatViolation, SchemaRegistry } from '../lib';
import * as fs from 'fs';
import * as path from 'path';
import { checkTree, GitOpsError, writeTree } from './gitops';
import { withLock } from './gitops-lock';
import { Command, Output, UsageError } from './command';
import { resolveSchemas } from './schemas';
import { filesOf, renderEnvironment, RenderedEnvironment } from './render';

export type { Output };

/** How to synth. */
export interface SynthOptions {
  /** The GitOps folder. */
  readonly outDir: string;
  /** Compare only: write nothing, fail on any difference. */
  readonly check: boolean;
  /** Upstream schemas to check every object against; API-server rules run regardless. */
  readonly registry?: SchemaRegistry;
  /** Milliseconds to wait for another run's lock on the output folder. @default 60000 */
  readonly lockTimeoutMs?: number;
}

/**
 * Refuses an output path synth cannot use, before anything is rendered: empty, a file, or below a file.
 * Returns the absolute path.
 */
export function checkOutDir(outDir: string): string {
  if (outDir.trim() === '') throw new GitOpsError('the output folder is empty (--out \'\'); name a folder, e.g. --out dist');
  const abs = path.resolve(outDir);
  for (let dir = abs; ; dir = path.dirname(dir)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
    }
    if (stat && !stat.isDirectory()) {
      throw new GitOpsError(dir === abs
        ? `the output folder ${abs} is a file, not a folder; nothing was rendered. Point --out at a folder`
        : `the output folder ${abs} lies below ${dir}, which is a file; nothing was rendered. Point --out at a folder`);
    }
    if (stat || dir === path.dirname(dir)) break;
  }
  return abs;
}

/**
 * Renders environments, checks every object, and writes them (or compares them, with `check`). On any error
 * nothing is written. Returns the exit code: 0 success, 1 errors or drift.
 */
export function synthEnvironments(envs: readonly EnvironmentSpec[], options: SynthOptions, out: Output): number {
  const started = Date.now();
  const outDir = checkOutDir(options.outDir);
  const { registry } = options;
  const rendered: RenderedEnvironment[] = [];
  for (const env of envs) {
    const r = renderEnvironment(env, registry);
    rendered.push(r);
    const errors = r.violations.filter((v) => v.severity === 'error').length;
    out.log(`${env.name}: ${r.clusters.length} cluster(s), ${r.objects.length} objects${errors ? `, ${errors} error(s)` : ''}`);
  }
  const violations = rendered.flatMap((r) => r.violations);
  for (const v of violations) (v.severity === 'error' ? out.error : out.log)(formatViolation(v));
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length > 0) {
    out.error(`synth failed: ${errors.length} error(s); nothing was written to ${outDir}`);
    return 1;
  }
  const files = filesOf(rendered);
  const names = envs.map((e) => e.name);
  if (options.check) {
    const drift = fs.existsSync(outDir) ? withLock(outDir, { timeoutMs: options.lockTimeoutMs }, () => checkTree(outDir, names, files)) : checkTree(outDir, names, files);
    for (const d of drift) out.log(d.diff.trimEnd());
    if (drift.length > 0) {
      out.error(`check failed: ${drift.length} file(s) differ from what synth would write in ${outDir} (${drift.map((d) => `${d.change} ${d.path}`).join(', ')}); run fleetcraft synth and commit the result`);
      return 1;
    }
    out.log(`check passed: ${outDir} matches synth for ${names.join(', ')}`);
    return 0;
  }
  fs.mkdirSync(outDir, { recursive: true });
  const result = withLock(outDir, { timeoutMs: options.lockTimeoutMs }, () => writeTree(outDir, names, files));
  for (const f of result.foreign) out.error(`warning: ${f} was not written by synth but sits in a folder Argo CD syncs; it will be deployed too`);
  for (const r of rendered) {
    const perCluster = r.clusters.map((c) => `${c} ${r.objects.filter((o) => o.cluster === c).length}`).join(', ');
    out.log(`  ${r.env}: ${perCluster}`);
  }
  out.log(`wrote ${files.size} objects for ${names.length} environment(s) and ${rendered.reduce((n, r) => n + r.clusters.length, 0)} cluster(s) to ${outDir} ` +
    `(${result.written.length} changed, ${result.unchanged.length} unchanged, ${result.removed.length} removed) in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}

function selectEnvironments(name: string | undefined): EnvironmentSpec[] {
  if (name === undefined || name === 'all') return ENVIRONMENTS.map((e) => getEnvironment(e.name));
  if (!ENVIRONMENT_NAMES.includes(name)) {
    throw new UsageError(`unknown environment "${name}"; valid names: ${ENVIRONMENT_NAMES.join(', ')}, all`);
  }
  return [getEnvironment(name)];
}

const SYNTH_SYNOPSIS = 'synth [--env NAME|all] [--out DIR] [--check] [--schemas DIR | --no-schemas] [--lock-timeout SECONDS]';

/** `fleetcraft synth`: its options, usage and runner. */
export const SYNTH_COMMAND: Command = {
  name: 'synth',
  summary: `${SYNTH_SYNOPSIS}\n        render environments into <out>/<env>/<cluster>/<component>/ (default: every environment into dist/)`,
  usage: `usage: fleetcraft ${SYNTH_SYNOPSIS}
  renders environments into <out>/<env>/<cluster>/<component>/, one file per object (default: every environment
  into dist/), after checking every object; on any error nothing is written. --check compares instead of writing.
  One run at a time per folder: another waits up to --lock-timeout seconds (default 60) for the lock.
  exit 0: written (or no drift), 1: errors or drift, 2: usage error`,
  options: {
    env: { type: 'string' },
    out: { type: 'string', default: 'dist' },
    check: { type: 'boolean', default: false },
    schemas: { type: 'string' },
    'no-schemas': { type: 'boolean', default: false },
    'lock-timeout': { type: 'string', default: '60' },
  },
  positionals: false,
  run: (values, _positionals, out) => {
    if (values.out === '') throw new UsageError("--out '' names no folder; give a folder, e.g. --out dist");
    const lockTimeout = values['lock-timeout'] as string;
    const lockSeconds = Number(lockTimeout);
    if (!/^\d+(\.\d+)?$/.test(lockTimeout) || !(lockSeconds <= 3600)) {
      throw new UsageError(`--lock-timeout ${JSON.stringify(lockTimeout)} is not a number of seconds from 0 to 3600; e.g. --lock-timeout 120`);
    }
    const outDir = checkOutDir(values.out as string);
    const envs = selectEnvironments(values.env as string | undefined);
    const { registry } = resolveSchemas(values.schemas as string | undefined, values['no-schemas'] === true, out);
    return synthEnvironments(envs, { outDir, check: values.check === true, registry, lockTimeoutMs: lockSeconds * 1000 }, out);
  },
};
