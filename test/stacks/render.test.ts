import { isScalar, parse, parseAllDocuments, Scalar, visit } from 'yaml';
import { ENVIRONMENTS } from '../../environments';
import { KubeObject } from '../../lib';
import { filesOf, renderEnvironment, toYaml } from '../../stacks/render';

/**
 * How Go's YAML 1.1 library (behind kubectl, sigs.k8s.io/yaml and Argo CD) resolves a plain scalar, written
 * from its resolve table and number rules, independently of the serializer under test.
 */
function goYaml11Resolves(plain: string): 'string' | 'other' {
  const table = ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF',
    'false', 'False', 'FALSE', '', '~', 'null', 'Null', 'NULL', '<<', '=', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf',
    '+.INF', '-.inf', '-.Inf', '-.INF'];
  if (table.includes(plain)) return 'other';
  const digits = plain.replace(/_/g, '');
  const goInt = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
  const float = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
  const sexagesimal = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/;
  const timestamp = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|$)/;
  return goInt.test(digits) || float.test(digits) || sexagesimal.test(plain) || timestamp.test(plain) ? 'other' : 'string';
}

/** Every plain (unquoted) scalar of a YAML text whose value we meant as a string. */
function plainStrings(text: string): string[] {
  const out: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    visit(doc, {
      Scalar(_k, node: Scalar) {
        if (isScalar(node) && node.type === Scalar.PLAIN && typeof node.value === 'string') out.push(node.source ?? node.value);
      },
    });
  }
  return out;
}

const TRICKY = ['Off', 'on', 'ON', 'no', 'yes', 'y', 'n', 'N', 'true', 'null', '~', '', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '1:20', '190:20:30', '0o17', '0x_1F', '1_000', '012', '08', '1e3', '.5', '+12', '.inf', '.NaN', '<<', '='];

describe('toYaml', () => {
  test('quotes every string a YAML 1.1 reader would take for a bool, number, null or timestamp', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: Object.fromEntries(TRICKY.map((v, i) => [`k${i}`, v])) } as KubeObject;
    const text = toYaml(obj);
    expect(parse(text, { version: '1.1' })).toEqual(obj);
    expect(parse(text)).toEqual(obj);
    expect(plainStrings(text).filter((s) => goYaml11Resolves(s) !== 'string')).toEqual([]);
    expect(text).toContain('k0: "Off"');
  });

  test('leaves ordinary strings, numbers and booleans plain', () => {
    expect(toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-1' }, data: { a: 'v1.36', b: '3.5.21-0' }, replicas: 3, on: true } as unknown as KubeObject))
      .toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-1\ndata:\n  a: v1.36\n  b: 3.5.21-0\nreplicas: 3\n"on": true\n');
  });
});

describe('every file synth writes reads the same under YAML 1.1', () => {
  const rendered = ENVIRONMENTS.map((e) => renderEnvironment(e));
  const objects = new Map(rendered.flatMap((r) => r.objects.map((o) => [o.path, o.object] as const)));
  const files = filesOf(rendered);

  test('a YAML 1.1 reader returns exactly the JSON we meant, for every file', () => {
    expect(files.size).toBe(objects.size);
    for (const [rel, text] of files) {
      expect({ rel, value: parse(text, { version: '1.1' }) as unknown }).toEqual({ rel, value: JSON.parse(JSON.stringify(objects.get(rel))) });
    }
  });

  test('no plain scalar in the output resolves to anything but a string under Go\'s YAML 1.1 rules', () => {
    const risky = [...files].flatMap(([rel, text]) => plainStrings(text).filter((s) => goYaml11Resolves(s) !== 'string').map((s) => `${rel}: ${s}`));
    expect(risky).toEqual([]);
  });

  test('the VerticalPodAutoscalers say updateMode "Off", quoted', () => {
    const vpa = [...files].find(([rel]) => rel === 'production/prod-use1/api/verticalpodautoscaler-api-api.yaml');
    expect(vpa?.[1]).toContain('updateMode: "Off"');
  });
});
