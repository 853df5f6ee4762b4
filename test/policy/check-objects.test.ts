import { checkObjects, checkObjectsWith } from '../../lib/policy/check-objects';
import { PodSecurityLevel } from '../../lib/policy/pod-security-level';
import { describeWithSchemas, schemaRegistry } from '../util';
import { at, Json, validSet } from './rule-cases';

/** A pod in a namespace no Namespace object labels, meeting baseline but not restricted. */
const LOOSE_POD: Json = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'loose', namespace: 'other' },
  spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] },
};

const WIDGET: Json = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec: { size: 1 } };

/** `rule severity object` of each problem. */
const brief = (problems: ReturnType<typeof checkObjects>): string[] => problems.map((p) => `${p.rule} ${p.severity} ${p.object}`);

describe('checkObjects', () => {
  test('the known-good objects have no problems', () => {
    expect(checkObjects(validSet())).toEqual([]);
  });

  test('a problem names its rule, severity, message, path and the object\'s kind, name, namespace and position', () => {
    const set = validSet();
    (at(set, 'Deployment', 'web', 'spec.template.spec.containers.0.securityContext') as Json).privileged = true;
    const index = set.findIndex((o) => o.kind === 'Deployment' && (o.metadata as Json).name === 'web');
    expect(checkObjects(set)).toEqual([{
      rule: 'pss/baseline-privileged', severity: 'error', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.privileged',
      message: expect.stringMatching(/^container "web" sets securityContext\.privileged=true, which Pod Security level baseline forbids/),
      kind: 'Deployment', name: 'web', namespace: 'shop', objectIndex: index,
    }]);
  });

  test('defaultPodSecurity defaults to baseline: an unlabelled namespace\'s restricted-only findings are warnings', () => {
    const pss = (level?: PodSecurityLevel) => brief(checkObjects([...validSet(), LOOSE_POD], level ? { defaultPodSecurity: level } : {}))
      .filter((l) => l.startsWith('pss/'));
    expect(pss()).toContain('pss/restricted-run-as-non-root warning Pod other/loose');
    expect(pss()).toEqual(pss(PodSecurityLevel.BASELINE));
    expect(pss(PodSecurityLevel.RESTRICTED)).toContain('pss/restricted-run-as-non-root error Pod other/loose');
  });

  test('skip defaults to none; a skipped rule or check reports nothing', () => {
    const set = [...validSet(), LOOSE_POD];
    expect(brief(checkObjects(set))).toContain('reliability/resources error Pod other/loose');
    expect(brief(checkObjects(set, { skip: ['reliability/resources'] }))).not.toContain('reliability/resources error Pod other/loose');
  });

  test('an unknown rule id in skip is refused, naming it, a near spelling and where the ids are listed', () => {
    expect(() => checkObjects([], { skip: ['reliability/resource'] })).toThrow(
      'checkObjects: skip: unknown rule "reliability/resource" (did you mean reliability/resources?); the valid ids are listed by `fleetcraft validate --list-rules`, ' +
      'in the README\'s rules table and in SKIPPABLE_IDS: pss/namespace-level,');
  });

  test('an object defined twice is reported on the second, pointing at the first', () => {
    const set = validSet();
    const cm = set.find((o) => o.kind === 'ConfigMap') as Json;
    const problems = checkObjects([...set, structuredClone(cm)]);
    expect(problems.map((p) => `${p.rule} ${p.objectIndex}: ${p.message}`)).toEqual([
      `validate/duplicate ${set.length}: is defined twice (first at objects[${set.indexOf(cm)}]); applying both to one cluster keeps only one: remove or rename one, or validate each cluster's manifests separately`,
    ]);
  });

  test('a field set to null is absent, as the API server reads it', () => {
    const set = validSet();
    (at(set, 'Deployment', 'web', 'metadata') as Json).annotations = null;
    expect(checkObjects(set)).toEqual([]);
  });

  test('an input that is not a Kubernetes object is refused, naming its position', () => {
    expect(() => checkObjects([{ kind: 'ConfigMap' }])).toThrow('checkObjects: objects[0] is an object with apiVersion undefined and kind "ConfigMap", not a Kubernetes object; pass objects with a string apiVersion and kind');
    expect(() => checkObjects([null])).toThrow('checkObjects: objects[0] is null, not a Kubernetes object');
  });

  test('without schemas (the default) an unknown field or kind is not reported', () => {
    const set = validSet();
    (at(set, 'Deployment', 'web', 'spec') as Json).replica = 3;
    expect(brief(checkObjects([...set, WIDGET])).filter((l) => l.startsWith('schema'))).toEqual([]);
  });

  test('the hooks give the other object\'s place and the conformance check', () => {
    const set = validSet();
    const checked = checkObjectsWith([...set, set[0]], {}, {
      where: (i) => `file.yaml#${i}`,
      conformance: (i, obj) => (i === 0 ? [{ rule: 'api/name', severity: 'error', object: obj.kind, path: '(root)', message: 'from the hook' }] : []),
    });
    expect(checked.problems.map((p) => `${p.rule} ${p.objectIndex}: ${p.message.split(';')[0]}`)).toEqual([
      'api/name 0: from the hook',
      `validate/duplicate ${set.length}: is defined twice (first at file.yaml#0)`,
    ]);
  });
});

describeWithSchemas('checkObjects with the upstream schemas', () => {
  test('an unknown field is a schema error', () => {
    const set = validSet();
    (at(set, 'Deployment', 'web', 'spec') as Json).replica = 3;
    expect(checkObjects(set, { schemas: schemaRegistry() }).map((p) => `${p.rule} ${p.object}: ${p.path}: ${p.message}`)).toEqual([
      'schema Deployment shop/web: spec: unknown field "replica" (not in the schema; check its spelling and placement)',
    ]);
  });

  test('ignoreMissingSchemas defaults to false: a kind without a schema is reported; with true it skips the schema check', () => {
    const problems = (ignore?: boolean) => checkObjectsWith([...validSet(), WIDGET], { schemas: schemaRegistry(), ...(ignore === undefined ? {} : { ignoreMissingSchemas: ignore }) });
    expect(brief(problems().problems)).toEqual(['schema error Widget shop/w']);
    expect(problems().unschemed).toEqual([]);
    expect(brief(problems(false).problems)).toEqual(['schema error Widget shop/w']);
    expect(problems(true)).toEqual({ problems: [], unschemed: ['example.com/v1 Widget'] });
  });

  test('a CustomResourceDefinition among the objects schema-checks its custom resources', () => {
    const crd: Json = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    expect(checkObjects([...validSet(), crd, WIDGET], { schemas: schemaRegistry() })).toEqual([]);
    const wrong = { ...WIDGET, spec: { size: 'big' } };
    expect(checkObjects([...validSet(), crd, wrong], { schemas: schemaRegistry() }).map((p) => `${p.rule} ${p.object}: ${p.path}: ${p.message}`))
      .toEqual(['schema Widget shop/w: spec.size: must be integer']);
  });
});
