import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { jsonDiff, renderDetached, transplant } from '../../../lib/k8s/federation';
import { findObject, synth, testApp } from '../../util';

describe('federation helpers', () => {
  test('jsonDiff: removals, additions, replacements, equal-length arrays element-wise, pointer escaping', () => {
    const from = { a: 1, b: { c: [1, 2], gone: true }, list: [1], 'x/y': 'old' };
    const to = { a: 2, b: { c: [1, 3], added: 'yes' }, list: [1, 2], 'x/y': 'new' };
    expect(jsonDiff(from, to)).toEqual([
      { op: 'replace', path: '/a', value: 2 },
      { op: 'remove', path: '/b/gone' },
      { op: 'add', path: '/b/added', value: 'yes' },
      { op: 'replace', path: '/b/c/1', value: 3 },
      { op: 'replace', path: '/list', value: [1, 2] },
      { op: 'replace', path: '/x~1y', value: 'new' },
    ]);
    expect(jsonDiff({ a: [1] }, { a: [1] })).toEqual([]);
  });

  test('renderDetached renders in a throwaway chart with the host chart\'s namespace, leaving the host empty', () => {
    const host = new Chart(testApp(), 'host', { namespace: 'shop', disableResourceNameHashes: true });
    const objects = renderDetached(host, (s) => new kplus.ConfigMap(s, 'cm', { metadata: { name: 'c' }, data: { k: 'v' } }));
    expect(objects).toEqual([expect.objectContaining({ kind: 'ConfigMap', metadata: expect.objectContaining({ name: 'c', namespace: 'shop' }) })]);
    expect(synth(host)).toEqual([]);
  });

  test('transplant recreates rendered objects under a scope', () => {
    const chart = new Chart(testApp(), 'member', { disableResourceNameHashes: true });
    transplant(chart, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { k: 'v' } }]);
    expect(findObject(synth(chart), 'ConfigMap', 'c', 'shop').data).toEqual({ k: 'v' });
  });
});
