import { parseAllDocuments, visit } from 'yaml';

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
/** An action reading a chart's objects: only Helm has `.Values`, `.Release`, `.Chart`, `.Capabilities`, `.Files`. */
const CHART_OBJECT = /\{\{-?[^}]*\.(?:Values|Release|Chart|Capabilities|Files)\b/;

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
 * The first line of a Helm chart template: an action reading the chart's objects anywhere, or a line that is a
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
