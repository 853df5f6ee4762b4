import { Command, Output, runCommand } from './command';
import { GRAPH_COMMAND } from './graph-command';
import { PLAN_COMMAND } from './plan-command';
import { packageVersion } from './schemas';
import { SYNTH_COMMAND } from './synth';
import { VALIDATE_COMMAND, VALIDATE_USAGE } from './validate';

export type { Output };
export { VALIDATE_USAGE };

/** Every command of the CLI, in the order the usage lists them. */
export const COMMANDS: readonly Command[] = [SYNTH_COMMAND, VALIDATE_COMMAND, PLAN_COMMAND, GRAPH_COMMAND];

/** The global usage, built from the command table. */
export const USAGE = `usage: fleetcraft <command> [options]      (fleetcraft <command> --help for one command)

commands:
${COMMANDS.map((c) => `  ${c.summary}`).join('\n')}

  --version   print the version;  --help   print this text`;

/**
 * Runs the CLI with `argv` (without `node` and the script); returns the exit code (a promise for `plan`, whose
 * modules load only when it runs, so synth stays fast).
 */
export function main(argv: string[], out: Output = { log: (l) => console.log(l), error: (l) => console.error(l) }): number | Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    out.log(packageVersion());
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    out.error(`fleetcraft: unknown command "${name}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    out.error(USAGE);
    return 2;
  }
  return runCommand(command, rest, out);
}
