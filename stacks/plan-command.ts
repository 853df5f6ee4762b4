import { Command, UsageError } from './command';
import { ENVIRONMENT_NAMES } from '../environments';

/**
 * `fleetcraft plan`: its options, usage and runner. The plan module (the Pulumi program and SDK) loads only when
 * the command runs, so synth and validate stay fast.
 */
export const PLAN_COMMAND: Command = {
  name: 'plan',
  summary: 'plan --env NAME [--json]\n        run the Pulumi program offline under the mock runtime and print the resource tree per region',
  usage: `usage: fleetcraft plan --env NAME [--json]
  runs the Pulumi program of an environment offline, under the mock runtime (stand-in ids and ARNs; no cloud
  calls), and prints the resource tree per region; --json prints every resource with its inputs (secrets masked).
  Reads Pulumi.<env>.yaml from the current folder when present.
  exit 0: planned, 1: the program failed, 2: usage error`,
  options: {
    env: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  positionals: false,
  run: async (values, _positionals, out) => {
    const env = values.env as string | undefined;
    if (!env || !ENVIRONMENT_NAMES.includes(env)) {
      throw new UsageError(`${env ? `unknown environment "${env}"` : 'missing --env'}; valid names: ${ENVIRONMENT_NAMES.join(', ')}`);
    }
    const plan = await import('./plan');
    return plan.planEnvironment(env, values.json === true, out);
  },
};
