import { kubernetesProvider } from '../../lib/cloud/kubernetes';
import { ClusterManifests } from '../../lib/cloud/manifests';
import { KubeObject } from '../../lib/policy/objects';
import { runRecordingDependsOn } from './mocks';

const GROUP = 'kubernetes:yaml/v2:ConfigGroup';
const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('ClusterManifests defaults (audit)', () => {
  test('dependsOn defaults to []: the first component waits for nothing, the next for the first', async () => {
    const run = await runRecordingDependsOn(() => {
      const provider = kubernetesProvider('k8s', { kubeconfig: '{}', clusterIdentifier: 'c' }, {});
      new ClusterManifests('m', { groups: [{ component: 'baseline', objects: [ns('api')] }, { component: 'api', objects: [ns('web')] }], provider });
    });
    expect(run.resources.filter((r) => r.type === GROUP).map((r) => r.name)).toEqual(['m-baseline', 'm-api']);
    expect(run.dependsOn.get(`${GROUP}::m-baseline`)).toEqual([]);
    expect(run.dependsOn.get(`${GROUP}::m-api`)).toEqual([`${GROUP}::m-baseline`]);
  });
});
