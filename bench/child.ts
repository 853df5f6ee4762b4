/**
 * One isolated measurement, run by bench/run.ts as a fresh process so that heap growth, JIT state and peak
 * memory of one measurement never leak into another. Prints one `RESULT_MARKER <json>` line.
 *
 *   node dist-lib/bench/child.js synth  <fleetcraft|plain> <n>
 *   node dist-lib/bench/child.js memory <fleetcraft|plain> <n>
 */
import { toYaml } from '../stacks/render';
import { EstateKind, ESTATE_KINDS, renderEstateByNamespace } from './estate';
import { maxRssMb, nowMs, RESULT_MARKER } from './measure';

/** One repetition of synthesizing an estate, in ms (bench/run.ts takes medians over fresh processes). */
export interface SynthSample {
  readonly kind: EstateKind;
  readonly n: number;
  readonly objects: number;
  readonly yamlBytes: number;
  /** Constructing the N services in a chart. */
  readonly constructMs: number;
  /** `chart.toJson()`: validation, resolution, plain objects. */
  readonly toJsonMs: number;
  /** Serializing those objects to YAML inside the synth. */
  readonly yamlMs: number;
  /** The whole synth: construct + toJson + YAML. */
  readonly synthMs: number;
  /** The floor: serializing the very same objects again, alone. */
  readonly floorMs: number;
}

/** Peak memory of one synthesis, in MB. */
export interface MemoryResult {
  readonly kind: EstateKind;
  readonly n: number;
  readonly objects: number;
  /** Peak RSS after loading the modules, before building anything. */
  readonly baselineRssMb: number;
  /** Peak RSS of the whole process after one synth, with every object and YAML string still alive. */
  readonly peakRssMb: number;
}

function serialize(objects: readonly object[]): string[] {
  return objects.map((o) => toYaml(o as Parameters<typeof toYaml>[0]));
}

/**
 * Construct + toJson, timed, one namespace chart (its own App) at a time, as synth gives each cluster its own App;
 * returns only the plain objects, so no chart stays reachable.
 */
function buildAndRender(kind: EstateKind, n: number): { objects: object[]; constructMs: number; toJsonMs: number } {
  const objects: object[] = [];
  let constructMs = 0;
  let toJsonMs = 0;
  for (const part of renderEstateByNamespace(kind, n)) {
    objects.push(...part.objects);
    constructMs += part.constructMs;
    toJsonMs += part.toJsonMs;
  }
  return { objects, constructMs, toJsonMs };
}

// The chart is dropped before serializing, as stacks/render.ts does (renderEnvironment returns plain objects
// and filesOf serializes them later). Keeping a 3000-service chart reachable while serializing made the YAML
// phase 5x slower in trials (V8 promoted the serializer's garbage); that is not what the real synth does.
// No forced gc() between phases either: a full gc() shrinks V8's heap limits and made the next phase 3x slower.
function sampleOnce(kind: EstateKind, n: number): SynthSample {
  const { objects, constructMs, toJsonMs } = buildAndRender(kind, n);
  const t2 = nowMs();
  const yaml = serialize(objects);
  const t3 = nowMs();
  const again = serialize(objects);
  const t4 = nowMs();
  if (again.length !== yaml.length) throw new Error('the floor serialized a different number of objects');
  const yamlBytes = yaml.reduce((sum, y) => sum + Buffer.byteLength(y), 0);
  const yamlMs = t3 - t2;
  return { kind, n, objects: objects.length, yamlBytes, constructMs, toJsonMs, yamlMs, synthMs: constructMs + toJsonMs + yamlMs, floorMs: t4 - t3 };
}

/**
 * One timed repetition, after an untimed warm-up (two smaller estates) that lets the JIT compile the construct,
 * toJson and YAML paths. One repetition per process: the garbage of a previous repetition would otherwise be
 * collected, and billed, during the next one (it made toJson at N=1000 almost 2x slower in trials).
 */
function synthBench(kind: EstateKind, n: number): SynthSample {
  for (let i = 0; i < 2; i++) sampleOnce(kind, Math.min(n, 200));
  return sampleOnce(kind, n);
}

function memoryBench(kind: EstateKind, n: number): MemoryResult {
  const baselineRssMb = maxRssMb();
  const { objects } = buildAndRender(kind, n);
  const yaml = serialize(objects);
  const peakRssMb = maxRssMb();
  // Every object and YAML string stays reachable until the peak is read, as in a synth holding all files
  // before writing them.
  if (yaml.length !== objects.length) throw new Error('not every object was serialized');
  return { kind, n, objects: objects.length, baselineRssMb, peakRssMb };
}

function parseKind(value: string | undefined): EstateKind {
  const kind = ESTATE_KINDS.find((k) => k === value);
  if (!kind) throw new Error(`unknown estate "${value}"; use ${ESTATE_KINDS.join(' or ')}`);
  return kind;
}

function parseCount(value: string | undefined, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer, got "${value}"`);
  return n;
}

function main(argv: readonly string[]): void {
  const [mode, kind, n] = argv;
  let result: SynthSample | MemoryResult;
  if (mode === 'synth') result = synthBench(parseKind(kind), parseCount(n, 'n'));
  else if (mode === 'memory') result = memoryBench(parseKind(kind), parseCount(n, 'n'));
  else throw new Error(`unknown mode "${mode}"; use synth or memory`);
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
