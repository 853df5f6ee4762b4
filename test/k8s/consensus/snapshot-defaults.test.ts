import { ConsensusStatefulSet } from '../../../lib/k8s/consensus';
import { field, findObject, synth, testChart } from '../../util';

const IMAGE = 'quay.io/coreos/etcd:v3.5.21';

describe('ConsensusSnapshotOptions defaults (audit)', () => {
  test('prefix defaults to `<name>/` when the namespace is not known', () => {
    const chart = testChart();
    new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, snapshots: { bucket: 'backups' } });
    const objects = synth(chart);
    const env = field(findObject(objects, 'CronJob', 'raft-snapshot'), 'spec.jobTemplate.spec.template.spec.containers.0.env') as Array<{ name: string; value: string }>;
    expect(env.find((e) => e.name === 'SNAPSHOT_PREFIX')?.value).toBe('raft/');
  });
});
