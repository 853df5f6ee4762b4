import { isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments, visit } from 'yaml';

/**
 * Reading manifests as kubectl and the API server read them: what `fleetcraft validate` does to a parsed document
 * before the checks see it, and what it recognises as not being manifests yet. Pure: text and values in, values out.
 */

/**
 * A copy of a parsed document without the mapping entries whose value is `null` (`annotations:` left empty,
 * `rollingUpdate: null`): the API server decodes null as unset, and drops it from custom resources before validation.
 * Nulls inside lists stay (the API server rejects them there).
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = withoutNulls(v);
  return out;
}

/** Why a file is a source to render rather than manifests, and where that shows. */
export interface Unrendered {
  /** `helm`: a chart template; `kustomize`: a kustomization. */
  readonly tool: 'helm' | 'kustomize';
  /** 1-based line that shows it. */
  readonly line: number;
  /** The message, with the command that renders it. */
  readonly message: string;
}

/** A line that is a template action of its own (`{{- if …}}`, `{{ include … }}`, `{{- end }}`, a template comment). */
const ACTION_LINE = /^\s*\{\{-?\s*(?:if|else|end|range|with|define|include|template|toYaml|\/\*|\$[\w.]*\s*:?=)[\s}(-]/;
/**
 * An action only Helm has: reading a chart's objects (`.Values`, `.Release`, `.Chart`, `.Capabilities`, `.Files`) or
 * calling Helm's own functions (`include`, `tpl`, `required`, `toYaml`, `nindent`).
 */
const CHART_OBJECT = /\{\{-?[^}]*(?:\.(?:Values|Release|Chart|Capabilities|Files)\b|\b(?:include|tpl|required|toYaml|nindent)\b)/;

/** Offsets of the text that block and quoted scalars hold (data, where `{{ … }}` is not structure). */
function stringRanges(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const doc of parseAllDocuments(text, { prettyErrors: false })) {
    visit(doc, {
      Scalar: (_key, node) => {
        if (node.range && node.type !== 'PLAIN') out.push([node.range[0], node.range[1]]);
      },
    });
  }
  return out;
}

/**
 * The first line of a Helm chart template: an action only Helm has, anywhere, or a line that is a
 * template action outside block and quoted scalars. Go templates that manifests carry as data (Alertmanager and
 * Prometheus templates in a ConfigMap, Argo Workflows parameters) use neither, so they are not mistaken for charts.
 */
function helmLine(lines: readonly string[], text: string): number {
  const chart = lines.findIndex((l) => CHART_OBJECT.test(l));
  const candidates = lines.map((l, i) => (ACTION_LINE.test(l) ? i : -1)).filter((i) => i >= 0);
  let action = -1;
  if (candidates.length > 0) {
    const ranges = stringRanges(text);
    const starts: number[] = [];
    lines.reduce((offset, l) => { starts.push(offset); return offset + l.length + 1; }, 0);
    action = candidates.find((i) => !ranges.some(([a, b]) => starts[i] >= a && starts[i] < b)) ?? -1;
  }
  const found = [chart, action].filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : -1;
}

const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/**
 * Whether a file is an unrendered Helm template or a kustomization (by its name, `kustomization.yaml`, or its
 * first `kustomize.config.k8s.io` document), and the line that shows it; undefined for anything else.
 */
export function unrenderedSource(file: string, text: string): Unrendered | undefined {
  const lines = text.split('\n');
  const kustomizeLine = lines.findIndex((l) => /^apiVersion:\s*["']?kustomize\.config\.k8s\.io\//.test(l));
  if (KUSTOMIZATION_FILE.test(file.replace(/\\/g, '/')) || kustomizeLine >= 0) {
    return {
      tool: 'kustomize', line: Math.max(kustomizeLine, 0) + 1,
      message: 'is a kustomization, not manifests: render it first (kubectl kustomize <its folder> > rendered.yaml) and validate the output (this file was not checked)',
    };
  }
  const helm = text.includes('{{') ? helmLine(lines, text) : -1;
  if (helm >= 0) {
    return {
      tool: 'helm', line: helm + 1,
      message: `is an unrendered Helm template (${JSON.stringify(lines[helm].trim().slice(0, 60))}): render it first (helm template <release> <chart> > rendered.yaml) and validate the output (this file was not checked)`,
    };
  }
  return undefined;
}

/** One step of a path into an object: a mapping key or a list index. */
export type PathSegment = string | number;

/** Formats path segments the way violations name fields: `spec.containers[0].env[2].value`. */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '') || '(root)';
}

/** An unquoted scalar of a document that kubectl, reading YAML 1.1, takes for a boolean or a number. */
export interface AmbiguousScalar {
  readonly segments: readonly PathSegment[];
  /** 1-based line of the scalar. */
  readonly line: number;
  /** The scalar as written, e.g. `on` or `1.10`. */
  readonly source: string;
  /** What kubectl reads: `true`, `false` or a number. */
  readonly read: boolean | number;
}

/** Where each field of one object is, and its unquoted scalars that YAML 1.1 reads as booleans or numbers. */
export interface ObjectSource {
  /** 1-based line of each field, by its formatted path (`(root)` for the object). */
  readonly lines: ReadonlyMap<string, number>;
  readonly ambiguous: readonly AmbiguousScalar[];
}

/** YAML 1.1 booleans that YAML 1.2 (and this parser) read as strings; kubectl's reader takes them for booleans. */
const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|on|On|ON|n|N|no|No|NO|off|Off|OFF)$/;
/** YAML 1.1 integers that YAML 1.2 reads as strings: digit separators and binary. */
const YAML11_INT = /^[-+]?(?:0b[01_]+|[0-9][0-9_]*_[0-9_]*)$/;

/** What kubectl's YAML 1.1 reader makes of an unquoted scalar, when that is not a string. */
function yaml11Reading(source: string, value: unknown): boolean | number | undefined {
  if (typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  if (YAML11_BOOL.test(source)) return /^[yo]/i.test(source) && !/^off$/i.test(source);
  if (YAML11_INT.test(source)) {
    const digits = source.replace(/_/g, '');
    return /0b/.test(digits) ? parseInt(digits.replace(/^([-+]?)0b/, '$1'), 2) * (digits.startsWith('-') ? -1 : 1) : Number(digits);
  }
  return undefined;
}

/**
 * Walks one object's YAML node: the line of every field (the line of its key, or of a list item), and the unquoted
 * scalars kubectl reads as booleans or numbers. Merge keys (`<<`) are not walked: their fields live at the anchor.
 */
export function objectSource(node: unknown, lc: LineCounter): ObjectSource {
  const lines = new Map<string, number>();
  const ambiguous: AmbiguousScalar[] = [];
  const lineOf = (n: { range?: readonly number[] | null } | null | undefined): number | undefined => (n?.range ? lc.linePos(n.range[0]).line : undefined);
  // Each entry carries its formatted path and a link to its parent's, so no path array is copied per field; the
  // segments are spelled out only for the rare ambiguous scalar.
  type Step = { readonly segment: PathSegment; readonly parent?: Step };
  const segmentsOf = (step: Step | undefined): PathSegment[] => {
    const out: PathSegment[] = [];
    for (let s = step; s; s = s.parent) out.push(s.segment);
    return out.reverse();
  };
  const stack: Array<[unknown, string, Step | undefined, number | undefined]> = [[node, '', undefined, lineOf(node as Node)]];
  while (stack.length > 0) {
    const [n, path, step, line] = stack.pop() as [unknown, string, Step | undefined, number | undefined];
    if (line !== undefined) lines.set(path || '(root)', line);
    if (isMap(n)) {
      for (const pair of n.items) {
        if (isScalar(pair.key) && (typeof pair.key.value === 'symbol' || pair.key.source === '<<')) continue; // a merge key
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        stack.push([pair.value, path ? `${path}.${key}` : key, { segment: key, parent: step }, lineOf(pair.key as Node) ?? line]);
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => stack.push([item, `${path}[${i}]`, { segment: i, parent: step }, lineOf(item as Node) ?? line]));
    } else if (isScalar(n) && n.type === 'PLAIN' && typeof n.source === 'string') {
      const read = yaml11Reading(n.source, n.value);
      if (read !== undefined) ambiguous.push({ segments: segmentsOf(step), line: lineOf(n) ?? line ?? 1, source: n.source, read });
    }
  }
  return { lines, ambiguous: ambiguous.sort((a, b) => a.line - b.line) };
}

/** The line of a field, or of the nearest field that holds it (`spec.containers[0].image` → `spec.containers[0]`). */
export function lineOfPath(source: ObjectSource, path: string): number | undefined {
  for (let p = path; ; ) {
    const line = source.lines.get(p);
    if (line !== undefined) return line;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return source.lines.get('(root)');
    p = p.slice(0, cut);
  }
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/**
 * Fields every Kubernetes API takes as strings, known without a schema: label, annotation and selector values,
 * env values, container commands and arguments, images, ConfigMap data and Secret stringData.
 */
export function takesString(kind: string, segments: readonly PathSegment[]): boolean {
  const [a, b, c, d] = [...segments].reverse();
  if (typeof a !== 'string' && !(typeof a === 'number' && (b === 'args' || b === 'command'))) return false;
  if (c === 'metadata' && (b === 'labels' || b === 'annotations')) return true;
  if (b === 'nodeSelector' || b === 'matchLabels') return true;
  if (a === 'value' && typeof b === 'number' && c === 'env') return true;
  if (a === 'image' && typeof b === 'number' && typeof c === 'string' && CONTAINER_LISTS.includes(c)) return true;
  if (typeof a === 'number' && (b === 'args' || b === 'command') && typeof c === 'number' && typeof d === 'string' && CONTAINER_LISTS.includes(d)) return true;
  if (segments.length === 2 && ((kind === 'ConfigMap' && b === 'data') || (kind === 'Secret' && b === 'stringData'))) return true;
  return kind === 'Service' && segments.length === 3 && segments[0] === 'spec' && b === 'selector';
}

/** The message for an unquoted scalar kubectl reads as a boolean or number where the API takes a string. */
export function ambiguousScalarMessage(s: AmbiguousScalar): string {
  const what = typeof s.read === 'boolean' ? `the boolean ${s.read}` : `the number ${s.read}`;
  return `unquoted ${s.source} is read by kubectl (YAML 1.1) as ${what}, but this field takes a string, so the API server rejects it; quote it: "${s.source}"`;
}
