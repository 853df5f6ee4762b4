/**
 * `npm run bench [-- --json] [-- --reps 5 --sizes 100,1000,3000 --runs 5]`
 *
 * Measures, on this machine, in one run (each measurement in a fresh child process):
 * - synth of an estate of N AutoscaledServices (all options) to YAML against its floor: serializing the very same
 *   objects alone with the same YAML library and options (stacks/render.ts `toYaml`);
 * - the same N as plain cdk8s-plus-27 Deployment + Service + HorizontalPodAutoscaler + PodDisruptionBudget;
 * - scaling (time(3000) / time(1000)) and peak memory at the largest N;
 * - wall time of `node bin/fleetcraft.js synth --out <tmp>` (every environment) and
 *   `node bin/fleetcraft.js plan --env production`, as fresh processes on the compiled JavaScript (`npm run synth`
 *   and `npm run plan` add a `tsc` build step before them, which is not timed here);
 * - the schema checks: the same synth with `--no-schemas` (the ratio shows what schema validation costs with warm
 *   validator caches; one run with an empty cache shows the first run's cost), and `fleetcraft validate` on one
 *   object (start-up) and on a 5,000-object multi-document file (throughput after start-up, peak memory).
 * Prints a table; with `--json`, the last line of output is one JSON object holding every figure.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import type { MemoryResult, SynthSample } from './child';
import { toYaml } from '../stacks/render';
import { EstateKind, ESTATE_KINDS, renderEstateByNamespace } from './estate';
import { CommandRun, median, nowMs, round, runChild, runNode } from './measure';

const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'child.js');
const RSS_PROBE = path.join(__dirname, 'rss-probe.js');
const CLI = path.join('bin', 'fleetcraft.js');
/** A V8 flag that caps how far the heap grows past the live data: measured for information (it trades speed for memory). */
const TUNED_HEAP_FLAG = '--heap-growing-percent=20';

/** Medians over repetitions of one estate's synth, each repetition a fresh process. */
export interface SynthResult extends SynthSample {
  readonly repetitions: number;
  /** Each repetition's whole synth; `synthMs` is their median (not the sum of the phase medians). */
  readonly synthRunsMs: readonly number[];
  readonly floorRunsMs: readonly number[];
}

/** Reduces repetitions to medians, per phase. */
export function summarize(samples: readonly SynthSample[]): SynthResult {
  if (samples.length === 0) throw new Error('no repetitions to summarize');
  const pick = (f: (s: SynthSample) => number) => median(samples.map(f));
  return {
    kind: samples[0].kind,
    n: samples[0].n,
    repetitions: samples.length,
    objects: samples[0].objects,
    yamlBytes: samples[0].yamlBytes,
    constructMs: pick((s) => s.constructMs),
    toJsonMs: pick((s) => s.toJsonMs),
    yamlMs: pick((s) => s.yamlMs),
    synthMs: pick((s) => s.synthMs),
    floorMs: pick((s) => s.floorMs),
    synthRunsMs: samples.map((s) => s.synthMs),
    floorRunsMs: samples.map((s) => s.floorMs),
  };
}

/** A target from the issue, with the measured value. */
export interface Target {
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  readonly unit: string;
  /** `max`: value must be at most limit; `below`: strictly below; `min`: at least limit. */
  readonly kind: 'max' | 'below' | 'min';
  readonly met: boolean;
}

/** Median wall time (and peak memory) of a CLI command over several fresh processes. */
export interface CliResult {
  readonly command: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  readonly maxRssMb?: number;
}

interface Options { json: boolean; reps: number; sizes: number[]; runs: number; cli: boolean; estate: boolean }

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      reps: { type: 'string', default: '5' },
      sizes: { type: 'string', default: '100,1000,3000' },
      runs: { type: 'string', default: '5' },
      'no-cli': { type: 'boolean', default: false },
      'no-estate': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const positive = (v: string, what: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer, got "${v}"`);
    return n;
  };
  const sizes = (values.sizes ?? '').split(',').map((s) => positive(s.trim(), '--sizes'));
  return {
    json: values.json ?? false,
    reps: positive(values.reps ?? '5', '--reps'),
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    runs: positive(values.runs ?? '5', '--runs'),
    cli: !values['no-cli'],
    estate: !values['no-estate'],
  };
}

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

function timeCli(label: string, args: (run: number) => string[], runs: number, how: Parameters<typeof runNode>[3] = {}): CliResult {
  const command = `node ${CLI} ${args(0).join(' ')}`;
  progress(`${label}: 1 warm-up + ${runs} runs of ${command}`);
  runNode([CLI, ...args(-1)], ROOT, [], how); // warm-up: file system cache (and the validator cache)
  const samples = Array.from({ length: runs }, (_, i) => runNode([CLI, ...args(i)], ROOT, ['-r', RSS_PROBE], how));
  return cliResult(command, samples);
}

/** The median wall time and the peak memory of a command's runs. */
function cliResult(command: string, samples: readonly CommandRun[]): CliResult {
  const rss = samples.map((s) => s.maxRssMb).filter((v): v is number => v !== undefined);
  return {
    command: command.replace(/--out \S+/, '--out <tmp>'),
    runs: samples.length,
    medianMs: round(median(samples.map((s) => s.wallMs))),
    runsMs: samples.map((s) => round(s.wallMs)),
    maxRssMb: rss.length > 0 ? round(Math.max(...rss)) : undefined,
  };
}

/** How many objects the large validate input holds (an estate of AutoscaledServices, ten objects each). */
const VALIDATE_OBJECTS = 5000;

/** The schema-check figures: synth without schemas, a cold-cache synth, validate's start-up and throughput. */
export interface SchemaBench {
  /** Synth of every environment with schemas, timed alternately with `synthNoSchemas`. */
  readonly synthSchemas: CliResult;
  readonly synthNoSchemas: CliResult;
  /** One synth of every environment with an empty validator cache (every validator compiled). */
  readonly synthColdMs: number;
  readonly validateOne: CliResult;
  readonly validateLarge: CliResult;
  /** Objects of the large input per second of validate's time beyond start-up. */
  readonly objectsPerSecond: number;
}

/** Objects per second beyond start-up: `objects` in `totalMs`, less the `startupMs` a one-object run takes. */
export function throughput(objects: number, totalMs: number, startupMs: number): number {
  const beyond = totalMs - startupMs;
  if (!(beyond > 0)) throw new Error(`validate of ${objects} objects (${totalMs} ms) took no longer than its start-up (${startupMs} ms)`);
  return (objects * 1000) / beyond;
}

/**
 * Two commands timed in alternation (A, B, A, B, …, each a fresh process, after one warm-up of each), so a change in
 * the machine's load during the runs weighs on both alike and their ratio stays fair.
 */
function timeCliPair(args: readonly [(run: number) => string[], (run: number) => string[]], runs: number): [CliResult, CliResult] {
  const commands = args.map((a) => `node ${CLI} ${a(0).join(' ')}`);
  progress(`alternating 1 warm-up + ${runs} runs each of: ${commands.join(' | ')}`);
  args.forEach((a) => runNode([CLI, ...a(-1)], ROOT));
  const samples: [CommandRun[], CommandRun[]] = [[], []];
  for (let i = 0; i < runs; i++) args.forEach((a, j) => samples[j].push(runNode([CLI, ...a(i)], ROOT, ['-r', RSS_PROBE])));
  return [cliResult(commands[0], samples[0]), cliResult(commands[1], samples[1])];
}

function benchSchemas(outBase: string, runs: number): SchemaBench {
  const [synthSchemas, synthNoSchemas] = timeCliPair([
    (i) => ['synth', '--out', path.join(outBase, `schemas-${i + 1}`)],
    (i) => ['synth', '--no-schemas', '--out', path.join(outBase, `plain-${i + 1}`)],
  ], runs);
  progress('synth with an empty validator cache (1 run)');
  const cold = runNode([CLI, 'synth', '--out', path.join(outBase, 'cold')], ROOT, [], {
    env: { ...process.env, FLEETCRAFT_CACHE_DIR: fs.mkdtempSync(path.join(outBase, 'cache-')) },
  });
  const one = path.join(outBase, 'one.yaml');
  fs.writeFileSync(one, toYaml({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } }));
  const large = path.join(outBase, 'large.yaml');
  const docs: string[] = [];
  for (const ns of renderEstateByNamespace('fleetcraft', VALIDATE_OBJECTS / 10)) docs.push(...ns.objects.map((o) => toYaml(o)));
  fs.writeFileSync(large, docs.join('---\n'));
  const validateOne = timeCli('validate one object', () => ['validate', one], runs);
  // The estate's namespaces carry no default-deny policy (security/default-deny): validate exits 1, which is its verdict.
  const validateLarge = timeCli(`validate ${docs.length} objects`, () => ['validate', large], runs, { exitCodes: [0, 1] });
  return {
    synthSchemas,
    synthNoSchemas,
    synthColdMs: cold.wallMs,
    validateOne: { ...validateOne, command: validateOne.command.replace(one, '<one object>.yaml') },
    validateLarge: { ...validateLarge, command: validateLarge.command.replace(large, `<${docs.length} objects>.yaml`) },
    objectsPerSecond: throughput(docs.length, validateLarge.medianMs, validateOne.medianMs),
  };
}

function target(name: string, value: number | undefined, limit: number, unit: string, kind: Target['kind']): Target[] {
  if (value === undefined || !Number.isFinite(value)) return [];
  const met = kind === 'max' ? value <= limit : kind === 'min' ? value >= limit : value < limit;
  return [{ name, value: round(value, 2), limit, unit, kind, met }];
}

function pad(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

function main(argv: string[]): number {
  const options = parseOptions(argv);
  const started = nowMs();
  const machine = {
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / 1048576),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
  };

  const estate: Record<EstateKind, SynthResult[]> = { fleetcraft: [], plain: [] };
  const memory: Partial<Record<EstateKind, MemoryResult>> = {};
  let tunedMemory: (MemoryResult & { nodeFlag: string }) | undefined;
  const largest = options.sizes[options.sizes.length - 1];
  if (options.estate) {
    for (const kind of ESTATE_KINDS) {
      for (const n of options.sizes) {
        progress(`synth ${kind} N=${n}: ${options.reps} repetitions, each a fresh process with a warm-up`);
        const samples = Array.from({ length: options.reps }, () => runChild<SynthSample>(CHILD, ['synth', kind, String(n)], ROOT));
        estate[kind].push(summarize(samples));
      }
      progress(`peak memory ${kind} N=${largest} (fresh process, one synth)`);
      memory[kind] = runChild<MemoryResult>(CHILD, ['memory', kind, String(largest)], ROOT);
    }
    progress(`peak memory fleetcraft N=${largest} with node ${TUNED_HEAP_FLAG} (fresh process, one synth)`);
    tunedMemory = { ...runChild<MemoryResult>(CHILD, ['memory', 'fleetcraft', String(largest)], ROOT, [TUNED_HEAP_FLAG]), nodeFlag: TUNED_HEAP_FLAG };
  }

  let cli: { synth: CliResult; plan: CliResult } | undefined;
  let schemas: SchemaBench | undefined;
  if (options.cli) {
    const outBase = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-bench-'));
    try {
      cli = {
        synth: timeCli('synth', (i) => ['synth', '--out', path.join(outBase, `run-${i + 1}`)], options.runs),
        plan: timeCli('plan', () => ['plan', '--env', 'production'], options.runs),
      };
      schemas = benchSchemas(outBase, options.runs);
    } finally {
      fs.rmSync(outBase, { recursive: true, force: true });
    }
  }

  const at = (kind: EstateKind, n: number) => estate[kind].find((r) => r.n === n);
  const f3000 = at('fleetcraft', 3000);
  const f1000 = at('fleetcraft', 1000);
  const targets: Target[] = [
    ...target('synth / floor at N=3000', f3000 ? f3000.synthMs / f3000.floorMs : undefined, 2, 'x', 'max'),
    ...target('time(3000) / time(1000)', f3000 && f1000 ? f3000.synthMs / f1000.synthMs : undefined, 3.3, 'x', 'max'),
    ...target('peak memory at N=3000', largest === 3000 ? memory.fleetcraft?.peakRssMb : undefined, 400, 'MB', 'below'),
    ...target('fleetcraft synth (all environments)', cli?.synth.medianMs, 3000, 'ms', 'below'),
    ...target('fleetcraft plan --env production', cli?.plan.medianMs, 5000, 'ms', 'below'),
    ...target('synth with schemas / --no-schemas', schemas ? schemas.synthSchemas.medianMs / schemas.synthNoSchemas.medianMs : undefined, 1.3, 'x', 'max'),
    ...target('validate start-up (one object)', schemas?.validateOne.medianMs, 500, 'ms', 'below'),
    ...target(`validate throughput (${VALIDATE_OBJECTS} objects)`, schemas?.objectsPerSecond, 1000, 'obj/s', 'min'),
    ...target(`validate peak memory (${VALIDATE_OBJECTS} objects)`, schemas?.validateLarge.maxRssMb, 200, 'MB', 'below'),
  ];

  const rows = ESTATE_KINDS.flatMap((kind) => estate[kind].map((r) => {
    const fleet = at('fleetcraft', r.n);
    const plain = at('plain', r.n);
    return {
      kind, n: r.n, objects: r.objects, yamlMb: round(r.yamlBytes / 1048576, 1),
      constructMs: round(r.constructMs), toJsonMs: round(r.toJsonMs), yamlMs: round(r.yamlMs),
      synthMs: round(r.synthMs), floorMs: round(r.floorMs), synthOverFloor: round(r.synthMs / r.floorMs, 2),
      usPerObject: round((r.synthMs * 1000) / r.objects, 0),
      overPlain: fleet && plain && kind === 'fleetcraft' ? round(fleet.synthMs / plain.synthMs, 2) : undefined,
      synthRunsMs: r.synthRunsMs.map((v) => round(v)), floorRunsMs: r.floorRunsMs.map((v) => round(v)),
    };
  }));

  const widths = [10, 5, 7, 7, 9, 9, 9, 9, 9, 7, 7, 8];
  const lines: string[] = [];
  lines.push(`fleetcraft benchmarks: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.totalMemoryMb} MB, node ${machine.node}, ` +
    `load ${machine.loadAverageAtStart.join(' ')} at start`);
  if (rows.length > 0) {
    lines.push('', `synth to YAML vs the floor (medians of ${options.reps}, ms)`);
    lines.push(pad(['estate', 'N', 'objects', 'YAML MB', 'construct', 'toJson', 'yaml', 'synth', 'floor', 'x floor', 'us/obj', 'x plain'], widths));
    for (const r of rows) {
      lines.push(pad([r.kind, r.n, r.objects, r.yamlMb, r.constructMs, r.toJsonMs, r.yamlMs, r.synthMs, r.floorMs,
        r.synthOverFloor, r.usPerObject, r.overPlain ?? '-'], widths));
    }
    lines.push('', `peak memory at N=${largest} (maxRSS of a fresh process, one synth)`);
    for (const kind of ESTATE_KINDS) {
      const m = memory[kind];
      if (m) lines.push(`  ${kind.padEnd(10)} ${round(m.peakRssMb)} MB for ${m.objects} objects (${round(m.baselineRssMb)} MB after loading modules)`);
    }
    if (tunedMemory) lines.push(`  fleetcraft ${round(tunedMemory.peakRssMb)} MB with node ${tunedMemory.nodeFlag} (information: trades synth speed for memory)`);
  }
  if (cli) {
    lines.push('', `CLI wall time, fresh processes (medians of ${options.runs}, after 1 warm-up)`);
    for (const c of [cli.synth, cli.plan]) {
      lines.push(`  ${c.command.padEnd(52)} ${c.medianMs.toFixed(1).padStart(8)} ms  (runs ${c.runsMs.join(', ')}; peak ${c.maxRssMb ?? '?'} MB)`);
    }
  }
  if (schemas) {
    lines.push('', `schema checks, fresh processes (medians of ${options.runs}, after 1 warm-up)`);
    for (const c of [schemas.synthSchemas, schemas.synthNoSchemas, schemas.validateOne, schemas.validateLarge]) {
      lines.push(`  ${c.command.padEnd(52)} ${c.medianMs.toFixed(1).padStart(8)} ms  (runs ${c.runsMs.join(', ')}; peak ${c.maxRssMb ?? '?'} MB)`);
    }
    lines.push(`  synth with schemas / --no-schemas (alternated): ${round(schemas.synthSchemas.medianMs / schemas.synthNoSchemas.medianMs, 2)} x; ` +
      `first synth with an empty validator cache: ${round(schemas.synthColdMs)} ms`);
    lines.push(`  validate throughput after start-up: ${round(schemas.objectsPerSecond, 0)} objects/s ` +
      `(${VALIDATE_OBJECTS} objects in ${round(schemas.validateLarge.medianMs - schemas.validateOne.medianMs)} ms beyond start-up)`);
  }
  if (targets.length > 0) {
    lines.push('', 'targets');
    for (const t of targets) {
      lines.push(`  ${t.met ? 'met   ' : 'MISSED'} ${t.name.padEnd(38)} ${String(t.value).padStart(9)} ${t.unit}  (${t.kind === 'max' ? '<=' : t.kind === 'min' ? '>=' : '<'} ${t.limit} ${t.unit})`);
    }
  }
  const durationS = round((nowMs() - started) / 1000);
  lines.push('', `took ${durationS} s`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (options.json) {
    const result = {
      machine,
      settings: { repetitions: options.reps, sizes: options.sizes, cliRuns: options.runs },
      estate: rows,
      memory: Object.fromEntries(Object.entries(memory).map(([k, m]) => [k, { ...m, baselineRssMb: round(m.baselineRssMb), peakRssMb: round(m.peakRssMb) }])),
      tunedMemory: tunedMemory && { ...tunedMemory, baselineRssMb: round(tunedMemory.baselineRssMb), peakRssMb: round(tunedMemory.peakRssMb) },
      cli,
      schemas,
      targets,
      durationS,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
