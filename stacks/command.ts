/**
 * The CLI's commands as data: each declares its options, its usage text and its runner once; `runCommand` is the
 * one place that parses arguments, answers `--help`, and maps usage errors to exit code 2.
 */
import { parseArgs, ParseArgsConfig } from 'util';

/** Where commands print; tests pass their own. */
export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** A mistake in the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/** The parsed options of a command: strings, booleans and repeated strings, by option name. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** One CLI command. */
export interface Command {
  /** The word after `fleetcraft`. */
  readonly name: string;
  /** One line for the global usage. */
  readonly summary: string;
  /** The command's usage text, printed by `fleetcraft <name> --help` and after a usage error. */
  readonly usage: string;
  /** Its options, in `util.parseArgs` form (`--help` is added for every command). */
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Whether it takes positional arguments (paths). */
  readonly positionals: boolean;
  /** Runs it; throws `UsageError` for a command-line mistake found after parsing. */
  readonly run: (values: OptionValues, positionals: string[], out: Output) => number | Promise<number>;
}

/** A message of an error, whatever was thrown. */
export function messageOf(e: unknown): string {
  return typeof (e as { message?: unknown } | null)?.message === 'string' ? (e as Error).message : String(e);
}

function isUsageError(e: unknown): boolean {
  return e instanceof UsageError || String((e as { code?: unknown } | null)?.code ?? '').startsWith('ERR_PARSE_ARGS');
}

/**
 * Parses `args` for `command` and runs it. `--help`/`-h` prints its usage (exit 0); a usage error prints
 * `fleetcraft <command>: <message>` and the usage (exit 2); any other error prints the message (exit 1).
 */
export function runCommand(command: Command, args: string[], out: Output): number | Promise<number> {
  const fail = (e: unknown): number => {
    out.error(`fleetcraft ${command.name}: ${messageOf(e)}`);
    if (!isUsageError(e)) return 1;
    out.error(command.usage);
    return 2;
  };
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h', default: false } },
      strict: true,
      allowPositionals: command.positionals,
    });
    if (values.help) {
      out.log(command.usage);
      return 0;
    }
    const result = command.run(values as OptionValues, positionals, out);
    return typeof result === 'number' ? result : result.catch(fail);
  } catch (e) {
    return fail(e);
  }
}
