import { ENVIRONMENT_NAMES, ENVIRONMENTS, EnvironmentSpec, getEnvironment } from '../environments';
import { formatViolation, SchemaRegistry, Violation } from '../lib';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { checkTree, Drift, GitOpsError, writeTree, WriteResult } from './gitops';
import { withLock } from './gitops-lock';
import { Command, messageOf, Output, UsageError } from './command';
import { resolveSchemas } from './schemas';
import { loadAppModule, loadEnvironmentsModule } from './user-modules';
import { filesOf, placeCharts, renderCharts, renderEnvironment, RenderedEnvironment } from './render';

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

/** What a synth did: refused (errors), compared (drift) or wrote (the changes). */
export type SynthOutcome =
  | { readonly kind: 'refused'; readonly errors: readonly Violation[]; readonly warnings: readonly Violation[] }
  | { readonly kind: 'checked'; readonly drift: readonly Drift[]; readonly warnings: readonly Violation[]; readonly files: number }
  | { readonly kind: 'written'; readonly result: WriteResult; readonly warnings: readonly Violation[]; readonly files: number };

/**
 * Writes rendered folders (or compares them, with `check`) under the folder's lock; prints nothing. Refuses, and
 * writes nothing, when any check found an error.
 */
export function applyRendered(rendered: readonly RenderedEnvironment[], options: SynthOptions): SynthOutcome {
  const outDir = checkOutDir(options.outDir);
  const violations = rendered.flatMap((r) => r.violations);
  const errors = violations.filter((v) => v.severity === 'error');
  const warnings = violations.filter((v) => v.severity !== 'error');
  if (errors.length > 0) return { kind: 'refused', errors, warnings };
  const files = filesOf(rendered);
  const names = rendered.map((r) => r.env);
  const lock = { timeoutMs: options.lockTimeoutMs };
  if (options.check) {
    const drift = fs.existsSync(outDir) ? withLock(outDir, lock, () => checkTree(outDir, names, files)) : checkTree(outDir, names, files);
    return { kind: 'checked', drift, warnings, files: files.size };
  }
  fs.mkdirSync(outDir, { recursive: true });
  return { kind: 'written', result: withLock(outDir, lock, () => writeTree(outDir, names, files)), warnings, files: files.size };
}

/**
 * Prints an outcome the way `fleetcraft synth` does and returns the exit code: 0 success, 1 errors or drift.
 * `what` names what was written in the summary, e.g. `3 environment(s) and 5 cluster(s)`.
 */
function report(rendered: readonly RenderedEnvironment[], options: SynthOptions, out: Output, what: string, started: number): number {
  const outDir = checkOutDir(options.outDir);
  const outcome = applyRendered(rendered, options);
  for (const v of rendered.flatMap((r) => r.violations)) (v.severity === 'error' ? out.error : out.log)(formatViolation(v));
  const names = rendered.map((r) => r.env);
  if (outcome.kind === 'refused') {
    out.error(`synth failed: ${outcome.errors.length} error(s); nothing was written to ${outDir}`);
    return 1;
  }
  if (outcome.kind === 'checked') {
    const { drift } = outcome;
    for (const d of drift) out.log(d.diff.trimEnd());
    if (drift.length > 0) {
      out.error(`check failed: ${drift.length} file(s) differ from what synth would write in ${outDir} (${drift.map((d) => `${d.change} ${d.path}`).join(', ')}); run fleetcraft synth and commit the result`);
      return 1;
    }
    out.log(`check passed: ${outDir} matches synth for ${names.join(', ')}`);
    return 0;
  }
  const { result } = outcome;
  for (const f of result.foreign) out.error(`warning: ${f} was not written by synth but sits in a folder Argo CD syncs; it will be deployed too`);
  for (const r of rendered) {
    const folders = r.clusters.length > 0 ? r.clusters : [...new Set(r.objects.map((o) => o.component))];
    const perFolder = folders.map((c) => `${c} ${r.objects.filter((o) => (r.clusters.length > 0 ? o.cluster : o.component) === c).length}`).join(', ');
    out.log(`  ${r.env}: ${perFolder}`);
  }
  out.log(`wrote ${outcome.files} objects for ${what} to ${outDir} ` +
    `(${result.written.length} changed, ${result.unchanged.length} unchanged, ${result.removed.length} removed) in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}

/**
 * Renders environments, checks every object, and writes them (or compares them, with `check`). On any error
 * nothing is written. Returns the exit code: 0 success, 1 errors or drift.
 */
export function synthEnvironments(envs: readonly EnvironmentSpec[], options: SynthOptions, out: Output): number {
  const started = Date.now();
  checkOutDir(options.outDir);
  const rendered: RenderedEnvironment[] = [];
  for (const env of envs) {
    const r = renderEnvironment(env, options.registry);
    rendered.push(r);
    const errors = r.violations.filter((v) => v.severity === 'error').length;
    out.log(`${env.name}: ${r.clusters.length} cluster(s), ${r.objects.length} objects${errors ? `, ${errors} error(s)` : ''}`);
  }
  const clusters = rendered.reduce((n, r) => n + r.clusters.length, 0);
  return report(rendered, options, out, `${envs.length} environment(s) and ${clusters} cluster(s)`, started);
}

/**
 * Renders a user's app into `<out>/<name>/<chart>/`, checks every object, and writes it (or compares it, with
 * `check`). On any error nothing is written. Returns the exit code: 0 success, 1 errors or drift.
 */
export function synthApp(source: App | Chart | readonly Chart[], name: string, options: SynthOptions, out: Output): number {
  const started = Date.now();
  checkOutDir(options.outDir);
  const r = renderCharts(checkAppName(name), placeCharts(source), options.registry);
  const errors = r.violations.filter((v) => v.severity === 'error').length;
  const charts = new Set(r.objects.map((o) => o.component)).size;
  out.log(`${name}: ${charts} chart(s), ${r.objects.length} objects${errors ? `, ${errors} error(s)` : ''}`);
  return report([r], options, out, `app ${name}`, started);
}

/** The folder an app is written to, refused unless it is a DNS-1123 label (the writer's manifest folder). */
export function checkAppName(name: string): string {
  if (typeof name !== 'string' || name.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    const suggestion = String(name).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'app';
    throw new GitOpsError(`the app's name (${JSON.stringify(name)}) names its folder in the GitOps tree and must be a DNS-1123 label ` +
      `(lowercase letters, digits and '-', at most 63 characters); use e.g. ${JSON.stringify(suggestion)}`);
  }
  return name;
}

/** The environments `--env` picks (`all` or none: every one) from the bundled ones or a user's module. */
function selectEnvironments(name: string | undefined, from?: { envs: readonly EnvironmentSpec[]; source: string }): EnvironmentSpec[] {
  if (from) {
    if (name === undefined || name === 'all') return [...from.envs];
    const env = from.envs.find((e) => e.name === name);
    if (!env) throw new UsageError(`unknown environment "${name}" in ${from.source}; valid names: ${from.envs.map((e) => e.name).join(', ')}, all`);
    return [env];
  }
  if (name === undefined || name === 'all') return ENVIRONMENTS.map((e) => getEnvironment(e.name));
  if (!ENVIRONMENT_NAMES.includes(name)) {
    throw new UsageError(`unknown environment "${name}"; valid names: ${ENVIRONMENT_NAMES.join(', ')}, all`);
  }
  return [getEnvironment(name)];
}

const SYNTH_SYNOPSIS = 'synth [--env NAME|all] [--environments MODULE | --app MODULE [--name NAME]] [--out DIR] [--check]\n' +
  '        [--schemas DIR | --no-schemas] [--lock-timeout SECONDS]';

/** `fleetcraft synth`: its options, usage and runner. */
export const SYNTH_COMMAND: Command = {
  name: 'synth',
  summary: `${SYNTH_SYNOPSIS}\n        render environments into <out>/<env>/<cluster>/<component>/ (default: every environment into dist/),\n` +
    '        or your own app (--app) into <out>/<name>/<chart>/',
  usage: `usage: fleetcraft ${SYNTH_SYNOPSIS}
  renders environments into <out>/<env>/<cluster>/<component>/, one file per object (default: every environment
  into dist/), after checking every object; on any error nothing is written. --check compares instead of writing.
  --environments MODULE: the platform for your own environments instead of the bundled dev, staging, production
    (a compiled .js module exporting \`environments\`, an array of EnvironmentSpec; --env picks one of them).
  --app MODULE: your own cdk8s app instead of the platform, into <out>/<name>/<chart>/ (--name default: app); the
    module exports (default, \`app\` or module.exports) an App, a Chart, an array of Charts, or a function returning
    one. Modules are resolved from the current folder.
  One run at a time per folder: another waits up to --lock-timeout seconds (default 60) for the lock.
  exit 0: written (or no drift), 1: errors or drift, 2: usage error`,
  options: {
    env: { type: 'string' },
    environments: { type: 'string' },
    app: { type: 'string' },
    name: { type: 'string' },
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
    const app = values.app as string | undefined;
    const environments = values.environments as string | undefined;
    if (app !== undefined && environments !== undefined) {
      throw new UsageError('--app and --environments exclude each other: --app writes your own cdk8s app, --environments the platform for your environments');
    }
    if (app !== undefined && values.env !== undefined) {
      throw new UsageError(`--env ${values.env as string} picks an environment of the platform, which --app does not render; drop --env (name the app's folder with --name)`);
    }
    if (app === undefined && values.name !== undefined) {
      throw new UsageError(`--name ${values.name as string} names the folder of an --app; the platform's folders are named after its environments (pick them with --env)`);
    }
    const options = { outDir, check: values.check === true, lockTimeoutMs: lockSeconds * 1000 };
    if (app !== undefined) {
      const name = (values.name as string | undefined) ?? 'app';
      try {
        checkAppName(name);
      } catch (e) {
        throw new UsageError(`--name ${JSON.stringify(name)}: ${messageOf(e).replace(/^the app's name \([^)]*\) /, '')}`);
      }
      const source = loadAppModule(app);
      const { registry } = resolveSchemas(values.schemas as string | undefined, values['no-schemas'] === true, out);
      return synthApp(source, name, { ...options, registry }, out);
    }
    const from = environments === undefined ? undefined : { envs: loadEnvironmentsModule(environments), source: `--environments ${environments}` };
    const envs = selectEnvironments(values.env as string | undefined, from);
    const { registry } = resolveSchemas(values.schemas as string | undefined, values['no-schemas'] === true, out);
    return synthEnvironments(envs, { ...options, registry }, out);
  },
};
