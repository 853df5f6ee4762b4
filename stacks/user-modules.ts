/**
 * The user's own modules the CLI loads: `--app <module>` (an app to write to a GitOps folder) and
 * `--environments <module>` (EnvironmentSpec values for the platform). Both are compiled JavaScript (or anything
 * Node's `require` loads), resolved from the current folder.
 *
 * - `--app`: the module's default export, else its export `app`, else `module.exports` itself: a cdk8s `App`, a
 *   `Chart`, an array of `Chart`s, or a function (no arguments) returning one of those. Do not call `app.synth()`
 *   in the module (or only under `if (require.main === module)`): fleetcraft renders the app itself.
 * - `--environments`: the export `environments`, else the default export, else `module.exports` itself: an array
 *   of EnvironmentSpec values (or a single one), each checked with `validateEnvironment`.
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { EnvironmentError, EnvironmentSpec, validateEnvironment } from '../environments';
import { messageOf, UsageError } from './command';
import { isApp } from './render';
import { describeValue } from '../lib/private/prop-guard';

/** A module that loads but throws: the user's code failed (exit 1, not a usage error). */
export class ModuleLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleLoadError';
  }
}

/** Requires `spec` from `cwd`; a missing file is a usage error naming the path and the fix. */
function load(option: string, spec: string, cwd: string): { file: string; exports: unknown } {
  if (spec.trim() === '') throw new UsageError(`--${option} '' names no module; give the path of a compiled .js file, e.g. --${option} ./dist/main.js`);
  const file = path.resolve(cwd, spec);
  const requireFromCwd = createRequire(path.join(cwd, 'package.json'));
  let resolved: string;
  try {
    resolved = requireFromCwd.resolve(file);
  } catch {
    const ts = /\.tsx?$/.test(file) || fs.existsSync(`${file}.ts`) ? ' (a .ts file: compile it first, e.g. npx tsc, and pass the .js output)' : '';
    throw new UsageError(`--${option} ${spec}: no module at ${file}${ts}; pass the path of a compiled .js file, relative to the current folder`);
  }
  if (/\.tsx?$/.test(resolved)) {
    throw new UsageError(`--${option} ${spec}: ${resolved} is TypeScript, which Node cannot load; compile it (e.g. npx tsc) and pass the .js output`);
  }
  try {
    return { file: resolved, exports: requireFromCwd(resolved) as unknown };
  } catch (e) {
    throw new ModuleLoadError(`--${option} ${spec}: loading ${resolved} failed: ${messageOf(e)}`);
  }
}

/** What a value is, for messages: `an array of 2`, `number (3)`, `an object with keys a, b`; never throws. */
function describeExport(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'function') return `a function ${value.name || '(anonymous)'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length > 0 ? `an object with keys ${keys.slice(0, 8).join(', ')}` : 'an empty object';
  }
  return `${typeof value} (${describeValue(value)})`;
}

/** What `--app` accepts. */
export type AppSource = App | Chart | readonly Chart[];

function asAppSource(value: unknown): AppSource | undefined {
  if (isApp(value) || Chart.isChart(value)) return value as AppSource;
  if (Array.isArray(value) && value.length > 0 && value.every((c) => Chart.isChart(c))) return value as Chart[];
  return undefined;
}

/** Loads `--app <spec>` from `cwd` and returns its App or charts (see the module's comment for the contract). */
export function loadAppModule(spec: string, cwd: string = process.cwd()): AppSource {
  const { file, exports } = load('app', spec, cwd);
  const mod = exports as { default?: unknown; app?: unknown } | null;
  const [where, value]: [string, unknown] = mod?.default !== undefined ? ['the default export', mod.default]
    : mod?.app !== undefined ? ['the export "app"', mod.app] : ['module.exports', mod];
  let found = value;
  if (typeof value === 'function' && !isApp(value)) {
    try {
      found = (value as () => unknown)();
    } catch (e) {
      throw new ModuleLoadError(`--app ${spec}: ${where} of ${file} threw: ${messageOf(e)}`);
    }
    if (typeof (found as { then?: unknown } | null)?.then === 'function') {
      throw new UsageError(`--app ${spec}: ${where} of ${file} returned a Promise; return the App (or charts) itself, synchronously`);
    }
  }
  const source = asAppSource(found);
  if (!source) {
    throw new UsageError(`--app ${spec}: ${where} of ${file} is ${describeExport(found)}, not a cdk8s App, a Chart or an array of Charts; ` +
      'export one, e.g. `module.exports = app` or `export default app` (or a function returning it)');
  }
  return source;
}

const SPEC_FIELDS: ReadonlyArray<[keyof EnvironmentSpec, string]> = [
  ['name', 'string'], ['production', 'boolean'], ['kubernetesVersion', 'string'], ['domain', 'string'], ['regions', 'array'],
  ['nodeGroups', 'array'], ['api', 'object'], ['consensus', 'object'], ['networkAgent', 'object'], ['backup', 'object'],
  ['features', 'object'], ['gitRepoUrl', 'string'], ['awsAccountId', 'string'], ['addons', 'object'],
];

/** The top-level fields of an EnvironmentSpec that `value` lacks or has with the wrong type, e.g. `regions (a string)`. */
export function environmentShapeProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`it is ${describeExport(value)}, not an EnvironmentSpec object`];
  const v = value as Record<string, unknown>;
  return SPEC_FIELDS.filter(([key, type]) => (type === 'array' ? !Array.isArray(v[key]) : typeof v[key] !== type || v[key] === null || Array.isArray(v[key])))
    .map(([key, type]) => `${key} must be ${type === 'array' ? 'an array' : `a${type === 'object' ? 'n' : ''} ${type}`} (got ${v[key] === undefined ? 'nothing' : describeExport(v[key])})`);
}

/**
 * Checks environments read from `source` (a module path, for messages): each has the EnvironmentSpec shape and
 * passes `validateEnvironment`; names are unique. Throws a usage error naming the environment and the fix.
 */
export function checkEnvironments(values: readonly unknown[], source: string): EnvironmentSpec[] {
  if (values.length === 0) throw new UsageError(`${source} exports no environments; export at least one EnvironmentSpec`);
  const names = new Set<string>();
  return values.map((value, i) => {
    const label = typeof (value as { name?: unknown } | null)?.name === 'string' ? `'${(value as { name: string }).name}'` : `#${i + 1}`;
    const shape = environmentShapeProblems(value);
    if (shape.length > 0) {
      throw new UsageError(`environment ${label} of ${source} is not an EnvironmentSpec: ${shape.join('; ')}; ` +
        'see the EnvironmentSpec type (fleetcraft/gitops) or the bundled environments/dev.ts');
    }
    const env = value as EnvironmentSpec;
    if (names.has(env.name)) throw new UsageError(`environment '${env.name}' of ${source} is listed twice; give each environment its own name`);
    names.add(env.name);
    try {
      return validateEnvironment(env);
    } catch (e) {
      if (e instanceof EnvironmentError) throw new UsageError(`${e.message.replace(/:\n/, ` (in ${source}):\n`)}`);
      throw new UsageError(`environment ${label} of ${source} could not be checked (${messageOf(e)}); compare it with the EnvironmentSpec type`);
    }
  });
}

/** Loads `--environments <spec>` from `cwd` and returns its validated environments (see the module's comment). */
export function loadEnvironmentsModule(spec: string, cwd: string = process.cwd()): EnvironmentSpec[] {
  const { file, exports } = load('environments', spec, cwd);
  const mod = exports as { environments?: unknown; default?: unknown } | null;
  const value = mod?.environments ?? mod?.default ?? mod;
  const where = mod?.environments !== undefined ? 'the export "environments"' : mod?.default !== undefined ? 'the default export' : 'module.exports';
  const list = Array.isArray(value) ? value : typeof (value as { name?: unknown } | null)?.name === 'string' ? [value] : undefined;
  if (!list) {
    throw new UsageError(`--environments ${spec}: ${where} of ${file} is ${describeExport(value)}, not an array of EnvironmentSpec; ` +
      'export one, e.g. `exports.environments = [dev, prod]` (TypeScript: `export const environments = [dev, prod]`)');
  }
  return checkEnvironments(list, `--environments ${spec}`);
}
