import { kubernetesProvider } from '../../lib/cloud/kubernetes';
import { ClusterManifests, ManifestGroup, validateManifestGroups } from '../../lib/cloud/manifests';
import { KubeObject } from '../../lib/policy/objects';
import { ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cm = (name: string, namespace: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { a: 'b' } });

function build(groups: ManifestGroup[]): Promise<ProgramRun> {
  return runUnderMocks('test', {}, () => {
    const provider = kubernetesProvider('k8s', { kubeconfig: '{}', clusterIdentifier: 'c' }, {});
    new ClusterManifests('m', { groups, provider });
    return {};
  });
}

describe('ClusterManifests', () => {
  test('one ConfigGroup per component, in order, on the cluster\'s provider, with the objects unchanged', async () => {
    const groups = [{ component: 'baseline', objects: [ns('api'), cm('x', 'api')] }, { component: 'api', objects: [cm('y', 'api')] }];
    const run = await build(groups);
    const configGroups = run.resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup');
    expect(configGroups.map((g) => [g.name, g.parent, g.provider, g.inputs.resourcePrefix])).toEqual([
      ['m-baseline', 'm', 'k8s', 'm-baseline'], ['m-api', 'm', 'k8s', 'm-api'],
    ]);
    expect(configGroups[0].inputs.objs).toEqual(groups[0].objects);
    expect(configGroups[1].inputs.objs).toEqual(groups[1].objects);
  });

  test('an empty component registers nothing', async () => {
    const run = await build([{ component: 'empty', objects: [] }]);
    expect(run.resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup')).toEqual([]);
  });

  test('refuses an object without a name', () => {
    expect(() => validateManifestGroups('m', [{ component: 'a', objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'x-' } }] }]))
      .toThrow('ClusterManifests \'m\': groups[a] object ("ConfigMap x-") has no metadata.name; give every object a stable name (the provider would generate a random one)');
  });

  test('refuses the same object in two components, and a component listed twice', () => {
    expect(() => validateManifestGroups('m', [{ component: 'a', objects: [ns('x')] }, { component: 'b', objects: [ns('x')] }]))
      .toThrow('ClusterManifests \'m\': groups[b] object ("Namespace x") is also in component "a"; emit each object from one component only');
    expect(() => validateManifestGroups('m', [{ component: 'a', objects: [] }, { component: 'a', objects: [] }]))
      .toThrow('ClusterManifests \'m\': groups[].component ("a") is listed twice; put all of a component\'s objects in one group');
  });

  test('refuses a component name that is not a DNS label', () => {
    expect(() => validateManifestGroups('m', [{ component: 'A', objects: [] }])).toThrow('ClusterManifests \'m\': groups[].component ("A") must consist of lowercase letters');
  });
});
