/**
 * `fleetcraft validate PATH...`: checks any Kubernetes manifests (ours, a user's, a Helm chart's output) with the
 * same policy rules synth runs, plus the API-server checks, plus the upstream schemas when a schema folder is known.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Composer, isMap, isSeq, LineCounter, Node, Parser } from 'yaml';
import { checkObjectsWith } from '../lib/policy/check-objects';
import { checkConformance } from '../lib/policy/conformance';
import {
  ambiguousScalarMessage, formatPath, lineOfPath, ObjectSource, objectSource, PathSegment, takesString, unrenderedSource,
} from '../lib/policy/manifest-source';
import { describeObject, formatViolation, KubeObject, Violation } from '../lib/policy/objects';
import { PodSecurityLevel } from '../lib/policy/pod-security-level';
import { ReportProblem, ReportRule, sarifReport, countByRule, textReport } from '../lib/policy/report';
import { OBJECT_CHECKS, SKIPPABLE_IDS } from '../lib/policy/rule-ids';
import { POLICY_RULES } from '../lib/policy/rules';
import { SchemaRegistry } from '../lib/policy/schema';
import { SKIP_RULES_ANNOTATION, skippedRules } from '../lib/policy/skip-rules';
import { Command, OptionValues, Output, runCommand, UsageError } from './command';
import { packageVersion, resolveSchemas } from './schemas';

/** The usage line of the command (for the CLI's help). */
export const VALIDATE_USAGE = `usage: fleetcraft validate PATH... [--schemas DIR | --no-schemas] [--ignore-missing-schemas]
                           [--pod-security LEVEL] [--skip RULE]... [--format text|json|sarif]
       fleetcraft validate --list-rules [--format text|json]
       fleetcraft validate --explain RULE
  checks files or folders (recursively: .yaml, .yml, .json; multi-document; List items) against the policy
  rules, the API-server rules and, with --schemas DIR or ../shared/crds, the upstream schemas;
  --ignore-missing-schemas: kinds with no schema (custom resources without their CRD) skip the schema check
  --pod-security LEVEL: the level of namespaces the input does not label (restricted, baseline, privileged;
    default baseline); what only restricted forbids is reported there as warnings
  --skip RULE: any rule or check --list-rules lists (one object: annotate it ${SKIP_RULES_ANNOTATION}: "RULE: why")
  --format: text groups findings by file and object; json and sarif (SARIF 2.1.0) are for tools
  exit 0: no errors, 1: errors found, 2: usage error`;

/** One problem `validate` reports: a finding on an object, or a file that cannot be read as manifests. */
export type ValidateProblem = ReportProblem;

/** What `validate` finds reading files, before any object exists: each reported on the file (or path). */
const FILE_CHECKS: Readonly<Record<string, string>> = {
  'validate/missing': 'Every path given exists.',
  'validate/not-a-file': 'Every path is a regular file or a folder (not a pipe, socket or device).',
  'validate/no-manifests': 'Every folder holds .yaml, .yml or .json files, and no file is empty.',
  'validate/too-large': 'No file is over 64 MiB, and no document over the API server\'s object size (about 1.5 MiB).',
  'validate/read': 'Every file can be read.',
  'validate/encoding': 'Every file is UTF-8 text.',
  'validate/yaml': 'Every document is well-formed YAML.',
  'validate/too-deep': 'No document nests deeper than validate follows (256 levels).',
  'validate/not-an-object': 'Every document is a Kubernetes object: a mapping with apiVersion and kind.',
  'validate/unrendered': 'No file is a kustomization or an unrendered Helm template: render it first (kubectl kustomize, helm template).',
};

/** Every rule and check `validate` runs, as --list-rules, --explain, --skip and SARIF know them. */
function allChecks(): ReportRule[] {
  return [
    ...POLICY_RULES.map((r) => ({ id: r.id, severity: r.severity, doc: r.doc })),
    ...Object.entries(OBJECT_CHECKS).map(([id, doc]) => ({ id, severity: 'error' as const, doc })),
    ...Object.entries(FILE_CHECKS).map(([id, doc]) => ({ id, severity: 'error' as const, doc })),
  ];
}

/** An object read from a manifest file, with where it came from. */
interface Located {
  readonly obj: KubeObject;
  readonly file: string;
  readonly line: number;
  readonly order: number;
  /** Where its fields are, and its unquoted scalars that kubectl reads as booleans or numbers. */
  readonly source: ObjectSource;
}

const MANIFEST = /\.(ya?ml|json)$/i;
const MIB = 1024 * 1024;
/** The largest file validate reads: far above any real manifest file, far below what exhausts memory. */
const MAX_FILE_BYTES = 64 * MIB;
/** The API server's limit for one object (etcd's request size), with room for YAML's indentation. */
const MAX_OBJECT_BYTES = 3 * MIB;
/** How deep an object the checks follow (they walk objects recursively); real objects stay under 30 levels. */
const MAX_DEPTH = 256;
const TOO_DEEP = `document nests deeper than validate follows (${MAX_DEPTH} levels; real objects stay under 30); ` +
  'it may be valid YAML, but it was not checked: flatten it or check it another way';

/** The nesting depth of a parsed value, measured without recursion. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** Whether an error is the JavaScript stack running out on deep nesting (not a syntax error). */
function isTooDeep(e: unknown): boolean {
  return e instanceof RangeError || /Maximum call stack size exceeded/.test(String((e as { message?: unknown } | null)?.message ?? ''));
}

/** Everything read from the paths: objects, problems found while reading, and how many files were read. */
interface Loaded {
  readonly objects: Located[];
  readonly problems: Array<ValidateProblem & { order: number }>;
  readonly files: number;
}

/** Lists the manifest files of a folder, recursively, sorted; dot-files and dot-folders are skipped. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    const stat = entry.isSymbolicLink() && fs.existsSync(full) ? fs.statSync(full) : entry;
    if (stat.isDirectory() && !entry.isSymbolicLink()) out.push(...walk(full));
    else if (stat.isFile() && MANIFEST.test(entry.name)) out.push(full);
  }
  return out;
}

function lineOf(node: unknown, lc: LineCounter): number {
  const range = (node as Node | null)?.range;
  return range ? lc.linePos(range[0]).line : 1;
}

/** Reads every path into objects and reading problems. */
function load(paths: readonly string[]): Loaded {
  const objects: Located[] = [];
  const problems: Array<ValidateProblem & { order: number }> = [];
  const seen = new Set<string>();
  let order = 0;
  let files = 0;
  const fileProblem = (file: string, rule: string, message: string, line?: number, column?: number): void => {
    problems.push({ file, line, column, severity: 'error', rule, message, order: order++ });
  };
  for (const p of paths) {
    if (!fs.existsSync(p)) {
      fileProblem(p, 'validate/missing', 'no such file or folder; check the path');
      continue;
    }
    const stat = fs.statSync(p);
    if (!stat.isDirectory() && !stat.isFile()) {
      fileProblem(p, 'validate/not-a-file', 'is not a regular file or folder (a pipe, socket or device); validate reads files and folders only');
      continue;
    }
    const list = stat.isDirectory() ? walk(p) : [p];
    if (list.length === 0) fileProblem(p, 'validate/no-manifests', 'folder holds no .yaml, .yml or .json files; point validate at rendered manifests');
    for (const file of list) {
      const key = path.resolve(file);
      if (seen.has(key)) continue;
      seen.add(key);
      files++;
      readFile(file);
    }
  }
  return { objects, problems, files };

  /** The file's text, or undefined after reporting why it cannot be read as UTF-8 manifests. */
  function readText(file: string): string | undefined {
    let buffer: Buffer;
    try {
      const size = fs.statSync(file).size;
      if (size > MAX_FILE_BYTES) {
        fileProblem(file, 'validate/too-large', `is ${size} bytes, more than the ${MAX_FILE_BYTES / MIB} MiB validate reads from one file; split it (one object is at most about 1.5 MiB)`);
        return undefined;
      }
      buffer = fs.readFileSync(file);
    } catch (e) {
      fileProblem(file, 'validate/read', `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check its permissions`);
      return undefined;
    }
    const encoding = (bad: string) => fileProblem(file, 'validate/encoding', `${bad}; Kubernetes manifests are UTF-8: convert it (e.g. iconv -t UTF-8) and validate again`);
    if ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff)) return void encoding('is UTF-16 (it starts with a UTF-16 byte-order mark)');
    const nul = buffer.indexOf(0);
    if (nul >= 0) return void encoding(`holds a NUL byte at offset ${nul}, so it is binary or UTF-16/32, not text`);
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(buffer); // drops a UTF-8 byte-order mark
      if (text.trim() === '') {
        fileProblem(file, 'validate/no-manifests', 'file is empty; point validate at rendered manifests');
        return undefined;
      }
      return text;
    } catch {
      return void encoding('is not valid UTF-8 (Latin-1 or another single-byte encoding?)');
    }
  }

  function readFile(file: string): void {
    const text = readText(file);
    if (text === undefined) return;
    const lc = new LineCounter();
    const unrendered = unrenderedSource(file, text);
    if (unrendered) {
      fileProblem(file, 'validate/unrendered', unrendered.message, unrendered.line);
      return;
    }
    // merge: YAML merge keys (`<<: *base`), which kubectl's YAML 1.1 reader applies. One document at a time:
    // each document's syntax tree is dropped once its object is read, so a large file never holds them all.
    const docs = new Composer({ prettyErrors: false, merge: true }).compose(new Parser(lc.addNewLine).parse(text));
    for (const doc of docs) {
      const bytes = doc.range ? Buffer.byteLength(text.slice(doc.range[0], doc.range[2])) : 0;
      if (bytes > MAX_OBJECT_BYTES) {
        fileProblem(file, 'validate/too-large', `document is ${bytes} bytes; the API server refuses objects over about 1.5 MiB (etcd's request limit): split it or move data out (this document was not checked)`, lineOf(doc.contents, lc));
        continue;
      }
      if (doc.errors.length > 0) {
        const e = doc.errors[0];
        const pos = lc.linePos(e.pos[0]);
        if (isTooDeep(e)) fileProblem(file, 'validate/too-deep', TOO_DEEP, pos.line, pos.col);
        else fileProblem(file, 'validate/yaml', `malformed YAML: ${e.message}; fix the syntax (this document was not checked)`, pos.line, pos.col);
        continue;
      }
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        if (isTooDeep(e)) fileProblem(file, 'validate/too-deep', TOO_DEEP, lineOf(doc.contents, lc));
        else fileProblem(file, 'validate/yaml', `malformed YAML: ${(e as Error).message}`, lineOf(doc.contents, lc));
        continue;
      }
      if (value === null || value === undefined) continue; // an empty document
      const items = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
      const record = value as Record<string, unknown>;
      if (typeof record === 'object' && typeof record.kind === 'string' && record.kind.endsWith('List') && Array.isArray(record.items)) {
        record.items.forEach((item, i) => {
          const node = isSeq(items) ? items.items[i] : undefined;
          addObject(file, item, lineOf(node ?? doc.contents, lc), objectSource(node, lc));
        });
      } else {
        addObject(file, value, lineOf(doc.contents, lc), objectSource(doc.contents, lc));
      }
    }
  }

  function addObject(file: string, value: unknown, line: number, source: ObjectSource): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const what = Array.isArray(value) ? 'a list' : `the ${typeof value} ${JSON.stringify(value)}`;
      fileProblem(file, 'validate/not-an-object', `document is ${what}, not a Kubernetes object; each document must be a mapping with apiVersion and kind`, line);
      return;
    }
    const obj = value as Record<string, unknown>;
    const missing = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string' || obj[k] === '');
    if (missing.length > 0) {
      fileProblem(file, 'validate/not-an-object', `document has no ${missing.join(' or ')}, so it is not a Kubernetes object; validate rendered manifests (helm template, kustomize build), not values or config files`, line);
      return;
    }
    if (depthOf(obj) > MAX_DEPTH) {
      fileProblem(file, 'validate/too-deep', TOO_DEEP, line);
      return;
    }
    // A field set to null is unset to the API server: the checks see it absent (a wrong type is still reported).
    // Nulls stay: checkObjectsWith removes them (a field set to null is unset to the API server) once, for every caller.
    objects.push({ obj: obj as KubeObject, file, line, order: order++, source });
  }
}

/** A copy of the object as kubectl's YAML 1.1 reader sends it: its ambiguous unquoted scalars as booleans or numbers. */
function asKubectlReadsIt(o: Located, obj: KubeObject): KubeObject {
  if (o.source.ambiguous.length === 0) return obj;
  const copy = structuredClone(obj) as Record<PathSegment, unknown>;
  for (const a of o.source.ambiguous) {
    const parent = a.segments.slice(0, -1).reduce<unknown>((acc, s) => (typeof acc === 'object' && acc !== null ? (acc as Record<PathSegment, unknown>)[s] : undefined), copy);
    const last = a.segments[a.segments.length - 1];
    if (typeof parent === 'object' && parent !== null && last !== undefined && last in parent) (parent as Record<PathSegment, unknown>)[last] = a.read;
  }
  return copy as KubeObject;
}

/**
 * Conformance of one object as the API server receives it from kubectl: an unquoted scalar that YAML 1.1 reads as a
 * boolean or number where the field takes a string (known fields, or a schema's "must be string") is reported at
 * its own line with the fix, instead of as a type error.
 */
function conformanceOf(o: Located, obj: KubeObject, registry: SchemaRegistry | undefined): Violation[] {
  const violations = checkConformance([asKubectlReadsIt(o, obj)], registry);
  const typeErrors = new Set(violations.filter((v) => v.rule === 'schema' && v.message === 'must be string').map((v) => v.path));
  const strings = o.source.ambiguous.filter((a) => takesString(obj.kind, a.segments) || typeErrors.has(formatPath(a.segments)));
  const quoted = new Set(strings.map((a) => formatPath(a.segments)));
  return [
    ...strings.filter(() => !skippedRules(obj).skips.has('validate/ambiguous-scalar')).map((a) => ({
      severity: 'error' as const, rule: 'validate/ambiguous-scalar', object: describeObject(obj), path: formatPath(a.segments), message: ambiguousScalarMessage(a),
    })),
    ...violations.filter((v) => !(v.rule === 'schema' && v.message === 'must be string' && quoted.has(v.path))),
  ];
}

/** The line of a finding: an ambiguous scalar's own line, else its field's (or its object's). */
function lineOfFinding(v: Violation, o: Located): number {
  const scalar = v.rule === 'validate/ambiguous-scalar' ? o.source.ambiguous.find((a) => formatPath(a.segments) === v.path) : undefined;
  return scalar?.line ?? lineOfPath(o.source, v.path) ?? o.line;
}

function toProblem(v: Violation, o: Located): ValidateProblem & { order: number } {
  return {
    file: o.file, line: lineOfFinding(v, o), objectLine: o.line, severity: v.severity, rule: v.rule, object: v.object,
    path: v.path, message: v.message, order: o.order,
  };
}

/** Formats one problem as the line `validate` prints: `file:line: severity: Kind ns/name: path: message [rule]`. */
export function formatProblem(p: ValidateProblem): string {
  const where = `${p.file}${p.line !== undefined ? `:${p.line}` : ''}${p.column !== undefined ? `:${p.column}` : ''}`;
  const body = p.object !== undefined
    ? formatViolation({ rule: p.rule, severity: p.severity, object: p.object, path: p.path ?? '(root)', message: p.message })
    : `${p.severity}: ${p.message} [${p.rule}]`;
  return `${where}: ${body}`;
}

interface Options {
  readonly paths: string[];
  readonly format: 'text' | 'json' | 'sarif';
  readonly skip: string[];
  readonly listRules: boolean;
  readonly explain?: string;
  readonly schemas?: string;
  readonly noSchemas: boolean;
  readonly ignoreMissingSchemas: boolean;
  readonly podSecurity: PodSecurityLevel;
}

const LEVELS = Object.values(PodSecurityLevel) as string[];

function toOptions(values: OptionValues, positionals: string[]): Options {
  const format = values.format as string;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`unknown format "${format}"; use text, json or sarif`);
  const skip = (values.skip as string[] | undefined) ?? [];
  const known = allChecks().map((r) => r.id);
  for (const id of skip) {
    if (!known.includes(id)) throw new UsageError(`unknown rule "${id}" in --skip; list the rules with fleetcraft validate --list-rules`);
  }
  const explain = values.explain as string | undefined;
  if (explain !== undefined && !known.includes(explain)) throw new UsageError(`unknown rule "${explain}" in --explain; list the rules with fleetcraft validate --list-rules`);
  const listRules = values['list-rules'] === true;
  if (!listRules && explain === undefined && positionals.length === 0) throw new UsageError('no PATH given; name the files or folders to check');
  const podSecurity = values['pod-security'] as string;
  if (!LEVELS.includes(podSecurity)) throw new UsageError(`unknown Pod Security level "${podSecurity}" in --pod-security; use ${LEVELS.join(', ')}`);
  return {
    paths: positionals, format, skip, listRules, explain, schemas: values.schemas as string | undefined, noSchemas: values['no-schemas'] === true,
    ignoreMissingSchemas: values['ignore-missing-schemas'] === true, podSecurity: podSecurity as PodSecurityLevel,
  };
}

/** `fleetcraft validate`: its options, usage and runner. */
export const VALIDATE_COMMAND: Command = {
  name: 'validate',
  summary: 'validate PATH... [--schemas DIR | --no-schemas] [--pod-security LEVEL] [--skip RULE]... [--format text|json|sarif] | --list-rules | --explain RULE\n' +
    '        check any Kubernetes YAML or JSON against the policy rules, the API-server rules and the schemas',
  usage: VALIDATE_USAGE,
  options: {
    'schemas': { type: 'string' },
    'no-schemas': { type: 'boolean', default: false },
    'ignore-missing-schemas': { type: 'boolean', default: false },
    'pod-security': { type: 'string', default: PodSecurityLevel.BASELINE },
    'skip': { type: 'string', multiple: true, default: [] },
    'format': { type: 'string', default: 'text' },
    'list-rules': { type: 'boolean', default: false },
    'explain': { type: 'string' },
  },
  positionals: true,
  run: (values, positionals, out) => validate(toOptions(values, positionals), out),
};

/**
 * Runs `fleetcraft validate` with its arguments (after `validate`). Prints the findings grouped by file and object,
 * the count per rule and a summary, all on `out.log` (or one JSON or SARIF document with `--format json|sarif`);
 * notes about the run go to `out.error`. Returns the exit code: 0 no errors, 1 errors, 2 usage error.
 */
export function runValidate(args: string[], out: Output): number {
  return runCommand(VALIDATE_COMMAND, args, out) as number;
}

function validate(opts: Options, out: Output): number {
  if (opts.explain !== undefined) return explain(opts.explain, out);
  if (opts.listRules) return listRules(opts.format !== 'text', out);
  const schemas = resolveSchemas(opts.schemas, opts.noSchemas, out);
  const loaded = load(opts.paths);
  const checked = checkObjectsWith(loaded.objects.map((o) => o.obj), {
    skip: opts.skip.filter((id) => SKIPPABLE_IDS.includes(id)), schemas: schemas.registry, ignoreMissingSchemas: opts.ignoreMissingSchemas,
    defaultPodSecurity: opts.podSecurity,
  }, {
    where: (i) => `${loaded.objects[i].file}:${loaded.objects[i].line}`,
    conformance: (i, obj, registry) => conformanceOf(loaded.objects[i], obj, registry),
  });
  if (checked.unschemed.length > 0) out.error(`note: no schema for ${checked.unschemed.join(', ')}; not schema-checked (--ignore-missing-schemas)`);
  const problems = [...loaded.problems, ...checked.problems.map((p) => toProblem(p, loaded.objects[p.objectIndex]))];
  const found: ValidateProblem[] = problems.filter((p) => !opts.skip.includes(p.rule)).sort((a, b) => a.order - b.order);

  const errors = found.filter((p) => p.severity === 'error').length;
  const warnings = found.length - errors;
  const counts = `${loaded.files} file(s), ${loaded.objects.length} object(s), ${errors} error(s), ${warnings} warning(s)`;
  if (opts.format === 'json') {
    const report = {
      ok: errors === 0, files: loaded.files, objects: loaded.objects.length, errors, warnings,
      schemas: schemas.registry ? { bundle: schemas.registry.bundle.hash.slice(0, 12), kinds: schemas.registry.kinds.length, extra: schemas.dir ?? null } : null,
      problems: found.map((p) => ({
        file: p.file, line: p.line, column: p.column, severity: p.severity, rule: p.rule, object: p.object, path: p.path, message: p.message,
      })),
      rules: countByRule(found),
    };
    out.log(JSON.stringify(report, null, 2));
  } else if (opts.format === 'sarif') {
    out.log(JSON.stringify(sarifReport(found, allChecks(), packageVersion()), null, 2));
  } else {
    for (const line of textReport(found)) out.log(line);
    out.log(`validate ${errors > 0 ? 'failed' : 'passed'}: ${counts}`);
  }
  return errors > 0 ? 1 : 0;
}

function listRules(json: boolean, out: Output): number {
  const checks = allChecks();
  if (json) {
    out.log(JSON.stringify(checks, null, 2));
    return 0;
  }
  const width = Math.max(...checks.map((r) => r.id.length));
  for (const r of checks) out.log(`${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.doc}`);
  return 0;
}

/** `--explain RULE`: what a rule or check requires, its severity, and the ways to skip it. */
function explain(id: string, out: Output): number {
  const check = allChecks().find((r) => r.id === id) as ReportRule;
  const perObject = !(id in FILE_CHECKS) && id !== 'integrity/skip-rules';
  out.log(`${check.id} (${check.severity})`);
  out.log(`  ${check.doc}`);
  out.log(`  skip it in one run: fleetcraft validate PATH --skip ${check.id}`);
  if (perObject) out.log(`  exempt one object, with a reason: annotate it ${SKIP_RULES_ANNOTATION}: "${check.id}: <why this object is exempt>"`);
  else out.log(`  it is reported on ${id === 'integrity/skip-rules' ? 'the exemptions themselves' : 'files'}, so it cannot be exempted per object`);
  return 0;
}
