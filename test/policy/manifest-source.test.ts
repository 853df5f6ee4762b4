import { LineCounter, parseDocument } from 'yaml';
import { formatPath, lineOfPath, objectSource, takesString, unrenderedSource, withoutNulls } from '../../lib/policy/manifest-source';

function source(text: string) {
  const lc = new LineCounter();
  return objectSource(parseDocument(text, { lineCounter: lc, merge: true }).contents, lc);
}

describe('reading manifests as kubectl does', () => {
  test('null map values are unset; nulls in lists and wrong types stay', () => {
    expect(withoutNulls({ a: null, b: { c: null, d: 1 }, e: [null, { f: null }], g: 'x' })).toEqual({ b: { d: 1 }, e: [null, {}], g: 'x' });
  });

  test('every field has a line; a missing one falls back to the field that holds it', () => {
    const s = source('kind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n');
    expect(lineOfPath(s, 'spec.containers[0].image')).toBe(5);
    expect(lineOfPath(s, 'spec.containers[0].securityContext.runAsNonRoot')).toBe(4);
    expect(lineOfPath(s, '(root)')).toBe(1);
  });

  test('unquoted scalars YAML 1.1 reads as booleans or numbers are found; quoted ones and merge keys are not', () => {
    const s = source('a: &b {x: on}\nc:\n  <<: *b\n  y: "on"\n  z: 1_000\n  w: off\n  v: 1.10\n  u: hello\n');
    expect(s.ambiguous.map((a) => [formatPath(a.segments), a.line, a.source, a.read])).toEqual([
      ['a.x', 1, 'on', true], ['c.z', 5, '1_000', 1000], ['c.w', 6, 'off', false], ['c.v', 7, '1.10', 1.1],
    ]);
  });

  test('fields every API takes as strings', () => {
    expect(takesString('Deployment', ['spec', 'template', 'metadata', 'labels', 'tier'])).toBe(true);
    expect(takesString('Pod', ['spec', 'containers', 0, 'env', 2, 'value'])).toBe(true);
    expect(takesString('Pod', ['spec', 'containers', 0, 'args', 1])).toBe(true);
    expect(takesString('ConfigMap', ['data', 'ENABLED'])).toBe(true);
    expect(takesString('Deployment', ['spec', 'replicas'])).toBe(false);
    expect(takesString('Pod', ['spec', 'hostNetwork'])).toBe(false);
  });

  test('a kustomization or a Helm template is named, with the line that shows it; Go templates as data are not', () => {
    expect(unrenderedSource('x/kustomization.yaml', 'resources: [a.yaml]\n')?.tool).toBe('kustomize');
    expect(unrenderedSource('k.yaml', '# c\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n')).toMatchObject({ tool: 'kustomize', line: 2 });
    expect(unrenderedSource('t.yaml', 'kind: ConfigMap\nmetadata:\n  name: {{ include "x" . }}\n')).toMatchObject({ tool: 'helm', line: 3 });
    expect(unrenderedSource('t.yaml', '{{- if .Values.on }}\nkind: ConfigMap\n{{- end }}\n')).toMatchObject({ tool: 'helm', line: 1 });
    expect(unrenderedSource('t.yaml', 'kind: ConfigMap\ndata:\n  tmpl: |\n    {{ define "x" }}{{ .Labels.a }}{{ end }}\n    {{- if .Alerts }}y{{ end }}\n')).toBeUndefined();
  });
});
