import { describeObject, formatViolation, Violation } from '../../lib/policy/objects';

describe('describeObject', () => {
  test('namespaced object: Kind namespace/name', () => {
    expect(describeObject({ kind: 'Deployment', metadata: { name: 'web', namespace: 'api' } })).toBe('Deployment api/web');
  });

  test('cluster-scoped object: Kind name', () => {
    expect(describeObject({ kind: 'Namespace', metadata: { name: 'api' } })).toBe('Namespace api');
  });

  test('an empty namespace counts as none', () => {
    expect(describeObject({ kind: 'ClusterRole', metadata: { name: 'reader', namespace: '' } })).toBe('ClusterRole reader');
  });

  test('falls back to generateName', () => {
    expect(describeObject({ kind: 'Job', metadata: { generateName: 'migrate-', namespace: 'api' } })).toBe('Job api/migrate-');
  });

  test('name wins over generateName', () => {
    expect(describeObject({ kind: 'Job', metadata: { name: 'migrate', generateName: 'migrate-' } })).toBe('Job migrate');
  });

  test.each([
    [{ kind: 'Pod' }, 'Pod <no name>'],
    [{ kind: 'Pod', metadata: null }, 'Pod <no name>'],
    [{ kind: 'Pod', metadata: 'web' }, 'Pod <no name>'],
    [{ kind: 'Pod', metadata: {} }, 'Pod <no name>'],
    [{ metadata: { name: 'web' } }, '<no kind> web'],
    [{ kind: 42, metadata: { name: 'web' } }, '<no kind> web'],
    [{}, '<no kind> <no name>'],
  ])('tolerates malformed input %j', (obj, expected) => {
    expect(describeObject(obj)).toBe(expected);
  });
});

describe('formatViolation', () => {
  const base: Violation = {
    rule: 'schema', severity: 'error', object: 'Deployment api/web', path: 'spec.template.spec', message: 'unknown field "hostnetwork"',
  };

  test('severity: object: path: message [rule]', () => {
    expect(formatViolation(base)).toBe('error: Deployment api/web: spec.template.spec: unknown field "hostnetwork" [schema]');
  });

  test('omits the (root) path', () => {
    expect(formatViolation({ ...base, path: '(root)', message: 'no schema for apiVersion v1 kind Foo' }))
      .toBe('error: Deployment api/web: no schema for apiVersion v1 kind Foo [schema]');
  });

  test('prints warnings and namespaced rule ids', () => {
    expect(formatViolation({ ...base, severity: 'warning', rule: 'api/selector-matches-template', path: 'spec.selector', message: 'selector is empty' }))
      .toBe('warning: Deployment api/web: spec.selector: selector is empty [api/selector-matches-template]');
  });
});
