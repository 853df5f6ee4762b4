import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cron } from 'cdk8s';
import { ConsensusSnapshot, ConsensusSnapshotOptions, DEFAULT_SNAPSHOT_UPLOADER_IMAGE } from '../../../lib/k8s/consensus';
import { ConsensusStatefulSet } from '../../../lib/k8s/consensus';
import { objectStorePort } from '../../../lib/k8s/consensus';
import { S3_UPLOAD_SCRIPT } from '../../../lib/k8s/consensus';
import { KubeObject } from '../../../lib/policy/objects';
import { field, findObject, synth, testChart } from '../../util';

const IMAGE = 'quay.io/coreos/etcd:v3.5.21';

const build = (snapshots: Partial<ConsensusSnapshotOptions> = {}) => {
  const chart = testChart();
  const cluster = new ConsensusStatefulSet(chart, 'raft', { image: IMAGE, namespace: 'db', snapshots: { bucket: 'backups', ...snapshots } });
  return { cluster, objects: synth(chart) };
};
const cron = (objects: KubeObject[]) => findObject(objects, 'CronJob', 'raft-snapshot', 'db');
const pod = (objects: KubeObject[]) => field(cron(objects), 'spec.jobTemplate.spec.template.spec') as Record<string, unknown>;
const upload = (objects: KubeObject[]) => field(pod(objects), 'containers.0') as Record<string, unknown>;
const uploadEnv = (objects: KubeObject[]): Record<string, string> => Object.fromEntries(
  (upload(objects).env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));

describe('ConsensusSnapshot', () => {
  describe('defaults', () => {
    const { cluster, objects } = build();

    test('schedule defaults to every 30 minutes; one run at a time; 5 minute start deadline', () => {
      expect(field(cron(objects), 'spec.schedule')).toBe('*/30 * * * *');
      expect(field(cron(objects), 'spec.concurrencyPolicy')).toBe('Forbid');
      expect(field(cron(objects), 'spec.startingDeadlineSeconds')).toBe(300);
      expect(field(cron(objects), 'spec.successfulJobsHistoryLimit')).toBe(3);
      expect(field(cron(objects), 'spec.failedJobsHistoryLimit')).toBe(3);
      expect(field(cron(objects), 'spec.jobTemplate.spec.backoffLimit')).toBe(2);
      expect(field(cron(objects), 'spec.jobTemplate.spec.activeDeadlineSeconds')).toBe(1800);
    });

    test('the engine\'s own snapshot command runs in the member image against the client Service', () => {
      expect(field(pod(objects), 'initContainers.0')).toEqual(expect.objectContaining({
        name: 'snapshot', image: IMAGE, imagePullPolicy: 'IfNotPresent',
        command: ['etcdctl', '--endpoints=http://raft.db.svc.cluster.local:2379', 'snapshot', 'save', '/snapshot/snapshot.db'],
        volumeMounts: [{ mountPath: '/snapshot', name: 'snapshot' }],
      }));
      expect(pod(objects).volumes).toEqual([{ emptyDir: {}, name: 'snapshot' }, { emptyDir: {}, name: 'tmp' }]);
    });

    test('prefix defaults to <namespace>/<name>/; region, endpoint and KMS key default to none', () => {
      expect(uploadEnv(objects)).toEqual({
        SNAPSHOT_FILE: '/snapshot/snapshot.db', SNAPSHOT_BUCKET: 'backups', SNAPSHOT_PREFIX: 'db/raft/', AWS_CP_FLAGS: '--only-show-errors', HOME: '/tmp',
      });
    });

    test('uploaderImage defaults to the pinned AWS CLI', () => {
      expect(DEFAULT_SNAPSHOT_UPLOADER_IMAGE).toBe('amazon/aws-cli:2.22.35');
      expect(upload(objects).image).toBe('amazon/aws-cli:2.22.35');
      expect(upload(objects).imagePullPolicy).toBe('IfNotPresent');
    });

    test('serviceAccountName defaults to the namespace default; no token is mounted by Kubernetes itself', () => {
      expect(pod(objects).serviceAccountName).toBeUndefined();
      expect(pod(objects).automountServiceAccountToken).toBe(false);
    });

    test('restricted security on the init and main containers', () => {
      for (const c of [field(pod(objects), 'initContainers.0'), upload(objects)]) {
        expect(field(c, 'securityContext')).toEqual(expect.objectContaining({
          runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] },
        }));
        expect(field(c, 'resources.limits.memory')).toBe('256Mi');
      }
      expect(field(pod(objects), 'securityContext.seccompProfile')).toEqual({ type: 'RuntimeDefault' });
    });

    test('its NetworkPolicy allows the client port of members, object storage on 443 and DNS, nothing in', () => {
      const np = findObject(objects, 'NetworkPolicy', 'raft-snapshot', 'db');
      expect(field(np, 'spec.podSelector')).toEqual({ matchLabels: { ...cluster.memberSelector, 'app.kubernetes.io/component': 'snapshot' } });
      expect(field(np, 'spec.policyTypes')).toEqual(['Ingress', 'Egress']);
      expect(field(np, 'spec.ingress')).toBeUndefined();
      const egress = field(np, 'spec.egress') as unknown[];
      expect(egress[0]).toEqual({ to: [{ podSelector: { matchLabels: cluster.memberSelector } }], ports: [{ protocol: 'TCP', port: 2379 }] });
      expect(egress[1]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
      expect(field(egress[2], 'ports')).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    });
  });

  test('overrides', () => {
    const { objects } = build({
      schedule: Cron.schedule({ minute: '0' }), prefix: 'etcd/', region: 'eu-west-1', endpointUrl: 'http://minio.storage:9000',
      kmsKeyId: 'alias/etcd', serviceAccountName: 'etcd-backup', uploaderImage: 'amazon/aws-cli:2.27.0',
    });
    expect(field(cron(objects), 'spec.schedule')).toBe('0 * * * *');
    expect(uploadEnv(objects)).toEqual(expect.objectContaining({
      SNAPSHOT_PREFIX: 'etcd/', AWS_REGION: 'eu-west-1',
      AWS_CP_FLAGS: '--endpoint-url http://minio.storage:9000 --sse aws:kms --sse-kms-key-id alias/etcd --only-show-errors',
    }));
    expect(pod(objects).serviceAccountName).toBe('etcd-backup');
    expect(upload(objects).image).toBe('amazon/aws-cli:2.27.0');
    expect(field(findObject(objects, 'NetworkPolicy', 'raft-snapshot', 'db'), 'spec.egress.1.ports')).toEqual([{ protocol: 'TCP', port: 9000 }]);
  });

  test('used on its own, the prefix defaults to <name>/', () => {
    const chart = testChart();
    new ConsensusSnapshot(chart, 'snap', {
      name: 'ledger-snapshot', bucket: 'b', labels: { 'app.kubernetes.io/name': 'raft', 'app.kubernetes.io/instance': 'ledger' }, image: 'ghcr.io/acme/raftd:1.4.0',
      command: (file) => ({ command: ['/raftd', 'snapshot', file], env: {} }), memberSelector: { app: 'ledger' }, clientPort: 7000,
    });
    const objects = synth(chart);
    const env = field(findObject(objects, 'CronJob', 'ledger-snapshot'), 'spec.jobTemplate.spec.template.spec.containers.0.env') as Array<{ name: string; value: string }>;
    expect(env.find((e) => e.name === 'SNAPSHOT_PREFIX')?.value).toBe('ledger-snapshot/');
  });

  test.each([
    [undefined, 443], ['https://s3.eu-west-1.amazonaws.com', 443], ['http://minio:80', 80], ['http://minio.storage', 80],
    ['https://minio.storage:9443/bucket', 9443], ['not a url', 443],
  ])('objectStorePort(%p) is %p', (url, port) => {
    expect(objectStorePort(url)).toBe(port);
  });

  test('the upload script copies the snapshot to s3://<bucket>/<prefix><UTC timestamp>.db with the flags', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consensus-upload-'));
    fs.writeFileSync(path.join(dir, 'aws'), '#!/bin/sh\necho "aws $*"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'date'), '#!/bin/sh\necho 20250101T000000Z\n', { mode: 0o755 });
    const out = execFileSync('/bin/sh', ['-c', S3_UPLOAD_SCRIPT], {
      env: { PATH: `${dir}:/usr/bin:/bin`, SNAPSHOT_FILE: '/snapshot/snapshot.db', SNAPSHOT_BUCKET: 'backups', SNAPSHOT_PREFIX: 'db/raft/', AWS_CP_FLAGS: '--sse aws:kms --only-show-errors' },
    }).toString();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(out.split('\n')).toEqual([
      'aws s3 cp --sse aws:kms --only-show-errors /snapshot/snapshot.db s3://backups/db/raft/20250101T000000Z.db',
      'snapshot: uploaded s3://backups/db/raft/20250101T000000Z.db',
      '',
    ]);
  });
});
