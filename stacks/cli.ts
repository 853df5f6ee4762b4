import { parseArgs } from 'util';
import { ENVIRONMENT_NAMES, ENVIRONMENTS, EnvironmentSpec, getEnvironment } from '../environments';
import { SchemaRegistry } from '../lib';
import { findSchemaDir, loadSchemaRegistry } from './schemas';
import { checkOutDir, Output, synthEnvironments } from './synth';
import { runValidate, VALIDATE_USAGE } from './validate';

export type { Output };

const USAGE = `usage: fleetcraft <command> [options]

commands:
  synth [--env NAME|all] [--out DIR] [--check] [--schemas DIR | --no-schemas] [--lock-timeout SECONDS]
        render environments into <out>/<env>/<cluster>/<component>/ (default: every environment into dist/);
        one run at a time per folder: another waits up to --lock-timeout (default 60) for the lock
  validate PATH... [--schemas DIR | --no-schemas] [--skip RULE]... [--format text|json] | --list-rules
        check any Kubernetes YAML or JSON against the policy rules, the API-server rules and the schemas
  plan --env NAME [--json]
        run the Pulumi program offline under the mock runtime and print the resource tree per region
`;
export { VALIDATE_USAGE };

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
      'lock-timeout': { type: 'string', default: '60' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.out === '') throw new UsageError("--out '' names no folder; give a folder, e.g. --out dist");
  const lockSeconds = Number(values['lock-timeout']);
  if (!/^\d+(\.\d+)?$/.test(values['lock-timeout'] ?? '') || !(lockSeconds <= 3600)) {
    throw new UsageError(`--lock-timeout ${JSON.stringify(values['lock-timeout'])} is not a number of seconds from 0 to 3600; e.g. --lock-timeout 120`);
  }
  const outDir = checkOutDir(values.out ?? 'dist');
  const envs = selectEnvironments(values.env);
  const registry = schemaRegistry(values.schemas, values['no-schemas'] ?? false, out);
  return synthEnvironments(envs, { outDir, check: values.check ?? false, registry, lockTimeoutMs: lockSeconds * 1000 }, out);
}

/**
 * Runs the CLI with `argv` (without `node` and the script); returns the exit code (a promise for `plan`, which
 * runs the Pulumi program under the mock runtime; its modules load only then, so synth stays fast).
 */
export function main(argv: string[], out: Output = { log: (l) => console.log(l), error: (l) => console.error(l) }): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'synth':
        return synth(rest, out);
      case 'validate':
        return runValidate(rest, out);
      case 'plan':
        return import('./plan').then((plan) => plan.runPlan(rest, out));
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"; commands: synth, validate, plan`);
    }
  } catch (e) {
    const message = typeof (e as { message?: unknown }).message === 'string' ? (e as Error).message : String(e);
    out.error(`fleetcraft: ${message}`);
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (usage) out.error(USAGE);
    return usage ? 2 : 1;
  }
}
