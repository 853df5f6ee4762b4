import * as aws from '@pulumi/aws';
import { kubernetesProvider as kubernetesProvider_ } from '../../lib/cloud/kubernetes';
import { bucketLifecycleRules, ClusterStorage, ClusterStorageArgs, storageClassObjects, volumeSnapshotClassObject } from '../../lib/cloud/storage';
import { PlannedResource, ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';
import { expectConformant, field, findObject } from '../util';

const OIDC = { providerArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X', issuer: 'https://oidc.eks.us-east-1.amazonaws.com/id/X' };

function build(overrides: (p: { east: aws.Provider; west: aws.Provider }) => Partial<ClusterStorageArgs> = () => ({})): Promise<ProgramRun> {
  return runUnderMocks('test', {}, () => {
    const east = new aws.Provider('aws-east', { region: 'us-east-1' });
    const west = new aws.Provider('aws-west', { region: 'eu-west-1' });
    const kubernetesProvider = kubernetesProvider_('k8s', { kubeconfig: '{}', clusterIdentifier: 'c' }, {});
    const s = new ClusterStorage('s', {
      environment: 'dev', clusterName: 'dev-use1', oidc: OIDC, kubernetesProvider, ebsCsiRoleName: 'ebs-role', ...overrides({ east, west }),
    }, { provider: east });
    return { bucketName: s.bucketName };
  });
}

const one = (run: ProgramRun, type: string, name: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
};
const ofType = (run: ProgramRun, type: string) => run.resources.filter((r) => r.type === type);

describe('storage classes', () => {
  const objects = [...storageClassObjects('alias/fleetcraft/dev/dev-use1/ebs'), volumeSnapshotClassObject()];

  test('pass the upstream schemas and API-server rules', () => {
    expectConformant(objects);
  });

  test('fast-ssd: gp3, 16000 IOPS, 1000 MB/s, encrypted, Retain, WaitForFirstConsumer', () => {
    const fast = findObject(objects, 'StorageClass', 'fast-ssd');
    expect(fast).toMatchObject({
      provisioner: 'ebs.csi.aws.com', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true,
      parameters: { type: 'gp3', iops: '16000', throughput: '1000', encrypted: 'true', kmsKeyId: 'alias/fleetcraft/dev/dev-use1/ebs' },
    });
    expect(fast.metadata?.annotations).toBeUndefined();
  });

  test('standard-ssd: gp3, 3000 IOPS, 125 MB/s, encrypted, Delete, the default class', () => {
    const standard = findObject(objects, 'StorageClass', 'standard-ssd');
    expect(standard).toMatchObject({
      reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
      parameters: { type: 'gp3', iops: '3000', throughput: '125', encrypted: 'true' },
    });
    expect(field(standard, 'metadata.annotations')).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
  });

  test('the VolumeSnapshotClass is Velero\'s, on the EBS driver', () => {
    expect(findObject(objects, 'VolumeSnapshotClass', 'ebs-snapshots')).toMatchObject({
      driver: 'ebs.csi.aws.com', deletionPolicy: 'Delete', metadata: { labels: { 'velero.io/csi-volumesnapshot-class': 'true' } },
    });
  });

  test('lifecycle defaults: noncurrent versions 30 days, incomplete uploads 7 days; both can be set', () => {
    expect(bucketLifecycleRules()).toEqual([
      { id: 'expire-noncurrent-versions', status: 'Enabled', filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
      { id: 'abort-incomplete-uploads', status: 'Enabled', filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
      { id: 'remove-expired-delete-markers', status: 'Enabled', filter: {}, expiration: { expiredObjectDeleteMarker: true } },
    ]);
    expect(bucketLifecycleRules().map((r) => r.id)).not.toContain('expire-current-versions');
    expect(bucketLifecycleRules({ currentVersionDays: 14 }).find((r) => r.id === 'expire-current-versions')).toEqual({ id: 'expire-current-versions', status: 'Enabled', filter: {}, expiration: { days: 14 } });
    const rules = bucketLifecycleRules({ noncurrentVersionDays: 90, abortMultipartDays: 2 });
    expect(rules[0].noncurrentVersionExpiration).toEqual({ noncurrentDays: 90 });
    expect(rules[1].abortIncompleteMultipartUpload).toEqual({ daysAfterInitiation: 2 });
  });
});

describe('ClusterStorage', () => {
  describe('defaults', () => {
    let run: ProgramRun;
    beforeAll(async () => { run = await build(); });

    test('the Velero bucket is named from the shared names', () => {
      expect(run.outputs.bucketName).toBe('fleetcraft-dev-dev-use1-velero');
      expect(one(run, 'aws:s3/bucket:Bucket', 's-velero').inputs.bucket).toBe('fleetcraft-dev-dev-use1-velero');
    });

    test('the bucket is versioned, KMS-encrypted with its own rotating key, public access blocked, ACLs off, TLS only', () => {
      expect(one(run, 'aws:s3/bucketVersioning:BucketVersioning', 's-velero-versioning').inputs).toEqual({ bucket: 's-velero-id', versioningConfiguration: { status: 'Enabled' } });
      expect(one(run, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', 's-velero-encryption').inputs.rules).toEqual([{
        applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/s-velero-key' }, bucketKeyEnabled: true,
      }]);
      expect(one(run, 'aws:kms/key:Key', 's-velero-key').inputs.enableKeyRotation).toBe(true);
      expect(one(run, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 's-velero-public-access').inputs).toEqual({
        bucket: 's-velero-id', blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
      });
      expect(one(run, 'aws:s3/bucketOwnershipControls:BucketOwnershipControls', 's-velero-ownership').inputs.rule).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
      expect(JSON.parse(one(run, 'aws:s3/bucketPolicy:BucketPolicy', 's-velero-tls-only').inputs.policy as string).Statement[0].Effect).toBe('Deny');
      expect(one(run, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 's-velero-lifecycle').inputs.rules).toHaveLength(3);
    });

    test('replication defaults to none', () => {
      expect(ofType(run, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig')).toEqual([]);
      expect(ofType(run, 'aws:s3/bucket:Bucket')).toHaveLength(1);
    });

    test('Velero\'s role trusts velero/velero and may use its bucket and keys only', () => {
      const role = one(run, 'aws:iam/role:Role', 's-velero');
      expect(role.inputs.name).toBe('fleetcraft-dev-dev-use1-velero');
      expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Condition.StringEquals['oidc.eks.us-east-1.amazonaws.com/id/X:sub']).toBe('system:serviceaccount:velero:velero');
      const doc = JSON.parse(one(run, 'aws:iam/rolePolicy:RolePolicy', 's-velero-policy').inputs.policy as string);
      expect(doc.Statement.find((s: { Sid: string }) => s.Sid === 'Objects').Resource).toBe('arn:aws:s3:::fleetcraft-dev-dev-use1-velero/*');
      expect(doc.Statement.find((s: { Sid: string }) => s.Sid === 'Keys').Resource)
        .toEqual(['arn:aws:kms:us-east-1:123456789012:key/s-velero-key', 'arn:aws:kms:us-east-1:123456789012:key/s-ebs-key']);
    });

    test('the EBS CSI role may use the volumes\' key', () => {
      const p = one(run, 'aws:iam/rolePolicy:RolePolicy', 's-ebs-csi-kms');
      expect(p.inputs.role).toBe('ebs-role');
      expect(JSON.parse(p.inputs.policy as string).Statement[0].Resource).toBe('arn:aws:kms:us-east-1:123456789012:key/s-ebs-key');
    });

    test('omitObjects defaults to none: the classes are deployed as one ConfigGroup on the cluster\'s provider', () => {
      const group = one(run, 'kubernetes:yaml/v2:ConfigGroup', 's-classes');
      expect(group.provider).toBe('k8s');
      expect(group.inputs.objs).toEqual([...storageClassObjects('alias/fleetcraft/dev/dev-use1/ebs'), volumeSnapshotClassObject()]);
      expect(group.inputs.resourcePrefix).toBe('s-classes');
    });
  });

  describe('overrides', () => {
    test('replication: a protected replica in the other region, a least-privilege replication role', async () => {
      const run = await build(({ west }) => ({ replication: { region: 'eu-west-1', provider: west } }));
      const replica = one(run, 'aws:s3/bucket:Bucket', 's-velero-replica');
      expect(replica).toMatchObject({ region: 'eu-west-1', inputs: { bucket: 'fleetcraft-dev-dev-use1-velero-replica' } });
      expect(one(run, 'aws:s3/bucketVersioning:BucketVersioning', 's-velero-replica-versioning').region).toBe('eu-west-1');
      expect(one(run, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 's-velero-replica-public-access').inputs.blockPublicPolicy).toBe(true);
      const config = one(run, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig', 's-replication');
      expect(config.inputs).toMatchObject({
        bucket: 's-velero-id', role: 'arn:aws:iam::123456789012:role/fleetcraft-dev-dev-use1-replication',
        rules: [{ id: 'to-eu-west-1', status: 'Enabled', sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: { bucket: 'arn:aws:s3:::fleetcraft-dev-dev-use1-velero-replica', encryptionConfiguration: { replicaKmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/s-velero-replica-key' } } }],
      });
    });

    test('omitObjects leaves out what the manifests carry; with all three left out there is no ConfigGroup', async () => {
      const some = await build(() => ({ omitObjects: ['StorageClass/fast-ssd'] }));
      expect((one(some, 'kubernetes:yaml/v2:ConfigGroup', 's-classes').inputs.objs as Array<{ metadata: { name: string } }>).map((o) => o.metadata.name))
        .toEqual(['standard-ssd', 'ebs-snapshots']);
      const none = await build(() => ({ omitObjects: ['StorageClass/fast-ssd', 'StorageClass/standard-ssd', 'VolumeSnapshotClass/ebs-snapshots'] }));
      expect(ofType(none, 'kubernetes:yaml/v2:ConfigGroup')).toEqual([]);
    });

    test('grantCopyTo lets Velero write under a prefix of another cluster\'s bucket', async () => {
      const run = await runUnderMocks('test', {}, () => {
        const east = new aws.Provider('aws-east', { region: 'us-east-1' });
        const k8s = kubernetesProvider_('k8s', { kubeconfig: '{}', clusterIdentifier: 'c' }, {});
        const base = { environment: 'production', oidc: OIDC, kubernetesProvider: k8s, ebsCsiRoleName: 'r' };
        const a = new ClusterStorage('a', { ...base, clusterName: 'prod-use1' }, { provider: east });
        const b = new ClusterStorage('b', { ...base, clusterName: 'prod-euw1' }, { provider: east });
        a.grantCopyTo(b.velero, b.bucketName, 'copies/prod-use1');
        return {};
      });
      const grant = one(run, 'aws:iam/rolePolicy:RolePolicy', 'a-velero-copy-fleetcraft-production-prod-euw1-velero');
      expect(grant.inputs.role).toBe('fleetcraft-production-prod-use1-velero');
      expect(JSON.parse(grant.inputs.policy as string).Statement[0].Resource).toBe('arn:aws:s3:::fleetcraft-production-prod-euw1-velero/copies/prod-use1/*');
    });

    test('bucketPrefix and lifecycle', async () => {
      const run = await build(() => ({ bucketPrefix: 'acme', lifecycle: { noncurrentVersionDays: 60 } }));
      expect(one(run, 'aws:s3/bucket:Bucket', 's-velero').inputs.bucket).toBe('acme-dev-dev-use1-velero');
      expect((one(run, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 's-velero-lifecycle').inputs.rules as unknown[])[0])
        .toMatchObject({ noncurrentVersionExpiration: { noncurrentDays: 60 } });
    });
  });
});
