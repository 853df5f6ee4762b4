import { Command, UsageError } from './command';
import { ENVIRONMENT_NAMES } from '../environments';
import { loadEnvironmentsModule } from './user-modules';

/**
 * `fleetcraft plan`: its options, usage and runner. The plan module (the Pulumi program and SDK) loads only when
 * the command runs, so synth and validate stay fast.
 */
export const PLAN_COMMAND: Command = {
  name: 'plan',
  summary: 'plan --env NAME [--environments MODULE] [--json]\n        run the Pulumi program offline under the mock runtime and print the resource tree per region',
  usage: `usage: fleetcraft plan --env NAME [--environments MODULE] [--json]
  runs the Pulumi program of an environment offline, under the mock runtime (stand-in ids and ARNs; no cloud
  calls), and prints the resource tree per region; --json prints every resource with its inputs (secrets masked).
  --environments MODULE: plan one of your own environments (a compiled .js module exporting \`environments\`, an
  array of EnvironmentSpec, resolved from the current folder) instead of the bundled dev, staging, production.
  Reads Pulumi.<env>.yaml from the current folder when present.
  exit 0: planned, 1: the program failed, 2: usage error`,
  options: {
    env: { type: 'string' },
    environments: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  positionals: false,
  run: async (values, _positionals, out) => {
    const env = values.env as string | undefined;
    const module = values.environments as string | undefined;
    const envs = module === undefined ? undefined : loadEnvironmentsModule(module);
    const names = envs ? envs.map((e) => e.name) : ENVIRONMENT_NAMES;
    if (!env || !names.includes(env)) {
      throw new UsageError(`${env ? `unknown environment "${env}"${module === undefined ? '' : ` in --environments ${module}`}` : 'missing --env'}; ` +
        `valid names: ${names.join(', ')}`);
    }
    const plan = await import('./plan');
    return plan.planEnvironment(env, values.json === true, out, envs);
  },
};
