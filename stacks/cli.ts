import { Command, Output, runCommand } from './command';
import { packageVersion } from './schemas';

export type { Output };

/**
 * Every command of the CLI, in the order the usage lists them, each loaded only when it is used: `validate` never
 * loads cdk8s or the constructs, so it starts fast.
 */
const COMMAND_LOADERS: ReadonlyArray<readonly [string, () => Command]> = [
  /* eslint-disable @typescript-eslint/no-require-imports */
  ['synth', () => (require('./synth') as typeof import('./synth')).SYNTH_COMMAND],
  ['validate', () => (require('./validate') as typeof import('./validate')).VALIDATE_COMMAND],
  ['plan', () => (require('./plan-command') as typeof import('./plan-command')).PLAN_COMMAND],
  ['graph', () => (require('./graph-command') as typeof import('./graph-command')).GRAPH_COMMAND],
  /* eslint-enable @typescript-eslint/no-require-imports */
];

/** Every command of the CLI (loading them all). */
export function commands(): Command[] {
  return COMMAND_LOADERS.map(([, load]) => load());
}

/** The global usage, built from the command table. */
export function usage(): string {
  return `usage: fleetcraft <command> [options]      (fleetcraft <command> --help for one command)

commands:
${commands().map((c) => `  ${c.summary}`).join('\n')}

  --version   print the version;  --help   print this text`;
}

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
    out.log(usage());
    return name === undefined ? 2 : 0;
  }
  const loader = COMMAND_LOADERS.find(([n]) => n === name);
  if (!loader) {
    out.error(`fleetcraft: unknown command "${name}"; commands: ${COMMAND_LOADERS.map(([n]) => n).join(', ')}`);
    out.error(usage());
    return 2;
  }
  return runCommand(loader[1](), rest, out);
}
