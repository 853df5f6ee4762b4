import { checkApiRules } from '../../lib/policy/api-checks';
import { KubeObject } from '../../lib/policy/objects';
import { podTemplateOf, WORKLOAD_KINDS } from '../../lib/policy/workloads';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };

describe('podTemplateOf', () => {
  test('finds the template of every workload kind, where the table says it is', () => {
    expect(podTemplateOf({ kind: 'Deployment', apiVersion: 'apps/v1', spec: { selector: { matchLabels: { app: 'web' } }, template } }))
      .toMatchObject({ path: 'spec.template', labels: { app: 'web' }, selector: { matchLabels: { app: 'web' } } });
    expect(podTemplateOf({ kind: 'CronJob', apiVersion: 'batch/v1', spec: { jobTemplate: { spec: { template } } } }))
      .toMatchObject({ path: 'spec.jobTemplate.spec.template', selector: undefined });
    expect(podTemplateOf({ kind: 'Pod', apiVersion: 'v1', ...template })).toMatchObject({ path: '', labels: { app: 'web' } });
    expect(podTemplateOf({ kind: 'Service', apiVersion: 'v1', spec: {} })).toBeUndefined();
  });

  test('a ReplicationController is a workload; its plain selector map reads as matchLabels, and an empty one defaults', () => {
    expect(WORKLOAD_KINDS.ReplicationController).toMatchObject({ scalable: true, longRunning: true });
    expect(podTemplateOf({ kind: 'ReplicationController', apiVersion: 'v1', spec: { selector: { app: 'web' }, template } })?.selector)
      .toEqual({ matchLabels: { app: 'web' } });
    expect(podTemplateOf({ kind: 'ReplicationController', apiVersion: 'v1', spec: { selector: {}, template } })?.selector).toBeUndefined();
  });

  test('a missing required selector reads as empty; a missing optional one as absent', () => {
    expect(podTemplateOf({ kind: 'DaemonSet', apiVersion: 'apps/v1', spec: { template } })?.selector).toEqual({});
    expect(podTemplateOf({ kind: 'Job', apiVersion: 'batch/v1', spec: { template } })?.selector).toBeUndefined();
  });

  test('a null, non-object or missing template is no template', () => {
    for (const t of [null, 'nginx', undefined]) {
      expect(podTemplateOf({ kind: 'Deployment', apiVersion: 'apps/v1', spec: { template: t } })).toBeUndefined();
    }
  });

  test('KubeFed templates count only in the types.kubefed.io group', () => {
    const fed = { kind: 'FederatedDeployment', spec: { template: { spec: { template } } } };
    expect(podTemplateOf({ ...fed, apiVersion: 'types.kubefed.io/v1beta1' })?.path).toBe('spec.template.spec.template');
    expect(podTemplateOf({ ...fed, apiVersion: 'example.com/v1' })).toBeUndefined();
  });
});

describe('the API checks read the same table', () => {
  test('a ReplicationController whose selector misses its template is refused', () => {
    const rc: KubeObject = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web' }, spec: { selector: { app: 'api' }, template } };
    expect(checkApiRules(rc).map((v) => v.message)).toEqual([
      'selector app=api does not match the template label app=web at spec.template.metadata.labels; make them equal',
    ]);
  });

  test('a Pod\'s own spec is checked at spec', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'Web', image: 'nginx:1.27' }] } };
    expect(checkApiRules(pod).map((v) => v.path)).toEqual(['spec.containers[0].name']);
  });
});
