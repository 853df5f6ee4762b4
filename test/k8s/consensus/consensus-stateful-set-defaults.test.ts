import { ConsensusEngine } from '../../../lib/k8s/consensus';
import { ConsensusStatefulSet } from '../../../lib/k8s/consensus';
import { KubeObject } from '../../../lib/policy/objects';
import { field, findObject, synth, testChart } from '../../util';

const IMAGE = 'quay.io/coreos/etcd:v3.5.21';

/** Builds with the required props only: no `namespace` on the construct or its chart. */
const build = (props: { engine?: ConsensusEngine; image?: string } = {}) => {
  const chart = testChart();
  const cluster = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, ...props });
  return { cluster, objects: synth(chart) };
};
const env = (objects: KubeObject[]): Record<string, unknown> => Object.fromEntries(
  (field(findObject(objects, 'StatefulSet', 'raft'), 'spec.template.spec.containers.0.env') as Array<{ name: string; value?: string; valueFrom?: unknown }>)
    .map((e) => [e.name, e.value ?? e.valueFrom]));

describe('ConsensusStatefulSet defaults (audit)', () => {
  test('clusterToken defaults to `<name>` when the namespace is not known', () => {
    const { cluster, objects } = build();
    expect(cluster.namespace).toBeUndefined();
    expect(env(objects).ETCD_INITIAL_CLUSTER_TOKEN).toBe('raft');
    const generic = build({ engine: ConsensusEngine.generic(), image: 'ghcr.io/acme/raftd:1.4.0' });
    expect(env(generic.objects).RAFT_CLUSTER_TOKEN).toBe('raft');
  });
});
