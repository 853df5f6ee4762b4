import * as fs from 'fs';
import * as path from 'path';
import { commands, main, usage } from '../../stacks/cli';

const COMMANDS = commands();
const USAGE = usage();

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) } };
}

describe('the CLI table', () => {
  test.each(COMMANDS.map((c) => [c.name, c.usage]))('fleetcraft %s --help prints that command\'s usage and exits 0', async (name, usage) => {
    for (const flag of ['--help', '-h']) {
      const c = capture();
      expect(await main([name, flag], c.out)).toBe(0);
      expect(c).toMatchObject({ lines: [usage], errors: [] });
    }
  });

  test('every command\'s usage names it, and the global usage lists every command', () => {
    for (const c of COMMANDS) {
      expect(c.usage.startsWith(`usage: fleetcraft ${c.name}`)).toBe(true);
      expect(USAGE).toContain(`  ${c.name} `);
    }
  });

  test('--version prints the package version', () => {
    const c = capture();
    expect(main(['--version'], c.out)).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(c.lines).toEqual([pkg.version]);
  });

  test('--help prints the global usage (exit 0); no command prints it as a usage error (exit 2)', () => {
    const help = capture();
    expect(main(['--help'], help.out)).toBe(0);
    expect(help.lines).toEqual([USAGE]);
    const none = capture();
    expect(main([], none.out)).toBe(2);
  });

  test('an unknown command is a usage error naming the commands', () => {
    const c = capture();
    expect(main(['deploy'], c.out)).toBe(2);
    expect(c.errors).toEqual(['fleetcraft: unknown command "deploy"; commands: synth, validate, plan, graph', USAGE]);
  });

  test.each(['synth', 'validate'])('%s: --schemas with --no-schemas is a usage error, with the command\'s usage', (name) => {
    const c = capture();
    const args = name === 'validate' ? ['validate', '.', '--schemas', '.', '--no-schemas'] : ['synth', '--schemas', '.', '--no-schemas', '--out', '/tmp'];
    expect(main(args, c.out)).toBe(2);
    const command = COMMANDS.find((x) => x.name === name);
    expect(c.errors).toEqual([`fleetcraft ${name}: --schemas and --no-schemas exclude each other`, command?.usage]);
  });
});
