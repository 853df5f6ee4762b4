import { OverridePolicy, PropagationPolicy } from '../../../lib/k8s/resources/karmada';
import { findObject, synth, testChart } from '../../util';

describe('Karmada policies (v1.18 CRDs)', () => {
  test('PropagationPolicy with weighted division passes the schema', () => {
    const chart = testChart();
    new PropagationPolicy(chart, 'pp', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, { apiVersion: 'v1', kind: 'Service', labelSelector: { matchLabels: { app: 'api' } } }],
        priority: 10,
        propagateDeps: true,
        conflictResolution: 'Abort',
        placement: {
          clusterAffinity: { clusterNames: ['a', 'b'], exclude: ['c'] },
          replicaScheduling: {
            replicaSchedulingType: 'Divided',
            replicaDivisionPreference: 'Weighted',
            weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ['a'] }, weight: 2 }, { targetCluster: { clusterNames: ['b'] }, weight: 1 }] },
          },
        },
      },
    });
    const pp = findObject(synth(chart), 'PropagationPolicy', 'api', 'shop');
    expect(pp.apiVersion).toBe('policy.karmada.io/v1alpha1');
  });

  test('OverridePolicy with plaintext, image, label and annotation overriders passes the schema', () => {
    const chart = testChart();
    new OverridePolicy(chart, 'op', {
      metadata: { name: 'api-deployment', namespace: 'shop' },
      spec: {
        resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }],
        overrideRules: [{
          targetCluster: { clusterNames: ['eu-west-1'] },
          overriders: {
            plaintext: [{ operator: 'replace', path: '/spec/template/spec/containers/0/image', value: 'api:2' }, { operator: 'remove', path: '/metadata/labels/x' }],
            imageOverrider: [{ component: 'Tag', operator: 'replace', value: '2' }],
            labelsOverrider: [{ operator: 'add', value: { region: 'eu' } }],
            annotationsOverrider: [{ operator: 'add', value: { note: 'eu' } }],
          },
        }],
      },
    });
    const op = findObject(synth(chart), 'OverridePolicy', 'api-deployment', 'shop');
    expect(op.kind).toBe('OverridePolicy');
  });
});
