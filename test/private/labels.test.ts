import { MANAGED_BY, selectorLabels, standardLabels } from '../../lib/private/labels';
import { labelValueError, qualifiedNameError } from '../../lib/private/names';

describe('standardLabels', () => {
  test('sets name, instance, component and managed-by', () => {
    expect(standardLabels({ name: 'etcd', instance: 'raft', component: 'consensus' })).toEqual({
      'app.kubernetes.io/name': 'etcd',
      'app.kubernetes.io/instance': 'raft',
      'app.kubernetes.io/component': 'consensus',
      'app.kubernetes.io/managed-by': 'fleetcraft',
    });
  });

  test('managed-by is fleetcraft', () => {
    expect(MANAGED_BY).toBe('fleetcraft');
  });

  test('adds part-of when given', () => {
    expect(standardLabels({ name: 'etcd', instance: 'raft', component: 'consensus', partOf: 'shop' })['app.kubernetes.io/part-of']).toBe('shop');
  });

  test('omits part-of when not given or empty', () => {
    expect(standardLabels({ name: 'etcd', instance: 'raft', component: 'consensus' })).not.toHaveProperty(['app.kubernetes.io/part-of']);
    expect(standardLabels({ name: 'etcd', instance: 'raft', component: 'consensus', partOf: '' })).not.toHaveProperty(['app.kubernetes.io/part-of']);
  });

  test('is deterministic: same input, same labels in the same key order', () => {
    const id = { name: 'api', instance: 'api', component: 'server', partOf: 'shop' };
    expect(Object.entries(standardLabels(id))).toEqual(Object.entries(standardLabels({ ...id })));
    expect(Object.keys(standardLabels(id))).toEqual([
      'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of',
    ]);
  });

  test('every key and value is valid for the API server', () => {
    const labels = standardLabels({ name: 'etcd', instance: 'raft', component: 'consensus', partOf: 'shop' });
    for (const [key, value] of Object.entries(labels)) {
      expect(qualifiedNameError(key)).toBeUndefined();
      expect(labelValueError(value)).toBeUndefined();
    }
  });

  test('returns a fresh object each call', () => {
    const id = { name: 'etcd', instance: 'raft', component: 'consensus' };
    const first = standardLabels(id);
    first['extra'] = 'x';
    expect(standardLabels(id)).not.toHaveProperty('extra');
  });
});

describe('selectorLabels', () => {
  test('is only name and instance', () => {
    expect(selectorLabels({ name: 'etcd', instance: 'raft', component: 'consensus', partOf: 'shop' })).toEqual({
      'app.kubernetes.io/name': 'etcd',
      'app.kubernetes.io/instance': 'raft',
    });
  });

  test('is a subset of the standard labels', () => {
    const id = { name: 'api', instance: 'blue', component: 'server', partOf: 'shop' };
    expect(standardLabels(id)).toEqual(expect.objectContaining(selectorLabels(id)));
  });

  test('does not change with component or part-of', () => {
    expect(selectorLabels({ name: 'api', instance: 'api', component: 'server' }))
      .toEqual(selectorLabels({ name: 'api', instance: 'api', component: 'worker', partOf: 'other' }));
  });
});
