import * as path from 'path';
import { parseArgs } from 'util';
import { ENVIRONMENT_NAMES, ENVIRONMENTS, EnvironmentSpec, getEnvironment } from '../environments';
import { formatViolation, SchemaRegistry } from '../lib';
import { checkTree, writeTree } from './gitops';
import { filesOf, renderEnvironment, RenderedEnvironment } from './render';
import { findSchemaDir, loadSchemaRegistry } from './schemas';

/** Where the CLI prints; tests pass their own. */
export interface Output {
  log(line: string): void;
  error(line: string): void;
}

const USAGE = `usage: fleetcraft <command> [options]

commands:
  synth [--env NAME|all] [--out DIR] [--check] [--schemas DIR | --no-schemas]
        render environments into <out>/<env>/<cluster>/<component>/ (default: every environment into dist/)
`;

/** A usage error: exit code 2. */
class UsageError extends Error {}

function selectEnvironments(name: string | undefined): EnvironmentSpec[] {
  if (name === undefined || name === 'all') return ENVIRONMENTS.map((e) => getEnvironment(e.name));
  if (!ENVIRONMENT_NAMES.includes(name)) {
    throw new UsageError(`unknown environment "${name}"; valid names: ${ENVIRONMENT_NAMES.join(', ')}, all`);
  }
  return [getEnvironment(name)];
}

function schemaRegistry(explicit: string | undefined, disabled: boolean, out: Output): SchemaRegistry | undefined {
  if (disabled) {
    out.error('warning: schema checks disabled (--no-schemas); only API-server rules run');
    return undefined;
  }
  const dir = findSchemaDir(explicit);
  if (!dir) {
    out.error('warning: no schema folder (../shared/crds) found and no --schemas DIR given; upstream schema checks skipped');
    return undefined;
  }
  return loadSchemaRegistry(dir);
}

function synth(args: string[], out: Output): number {
  const { values } = parseArgs({
    args,
    options: {
      env: { type: 'string' },
      out: { type: 'string', default: 'dist' },
      check: { type: 'boolean', default: false },
      schemas: { type: 'string' },
      'no-schemas': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const started = Date.now();
  const envs = selectEnvironments(values.env);
  const registry = schemaRegistry(values.schemas, values['no-schemas'] ?? false, out);
  const outDir = path.resolve(values.out ?? 'dist');
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
  if (values.check) {
    const drift = checkTree(outDir, names, files);
    for (const d of drift) out.log(d.diff.trimEnd());
    if (drift.length > 0) {
      out.error(`check failed: ${drift.length} file(s) differ from what synth would write in ${outDir} (${drift.map((d) => `${d.change} ${d.path}`).join(', ')}); run fleetcraft synth and commit the result`);
      return 1;
    }
    out.log(`check passed: ${outDir} matches synth for ${names.join(', ')}`);
    return 0;
  }
  const result = writeTree(outDir, names, files);
  for (const r of rendered) {
    const perCluster = r.clusters.map((c) => `${c} ${r.objects.filter((o) => o.cluster === c).length}`).join(', ');
    out.log(`  ${r.env}: ${perCluster}`);
  }
  out.log(`wrote ${files.size} objects for ${names.length} environment(s) and ${rendered.reduce((n, r) => n + r.clusters.length, 0)} cluster(s) to ${outDir} ` +
    `(${result.written.length} changed, ${result.unchanged.length} unchanged, ${result.removed.length} removed) in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}

/** Runs the CLI with `argv` (without `node` and the script); returns the exit code. */
export function main(argv: string[], out: Output = { log: (l) => console.log(l), error: (l) => console.error(l) }): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'synth':
        return synth(rest, out);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"; commands: synth`);
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    out.error(`fleetcraft: ${message}`);
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (usage) out.error(USAGE);
    return usage ? 2 : 1;
  }
}
