import * as aws from '@pulumi/aws';
import { ConsensusSnapshotStorage, ConsensusSnapshotStorageArgs } from '../../lib/cloud/consensus-snapshots';
import { consensusSnapshotPolicy } from '../../lib/cloud/iam';
import { PlannedResource, ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';

const OIDC = { providerArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X', issuer: 'https://oidc.eks.us-east-1.amazonaws.com/id/X' };

function build(overrides: Partial<ConsensusSnapshotStorageArgs> = {}, replicate = false): Promise<ProgramRun> {
  return runUnderMocks('test', {}, () => {
    const replication = replicate ? { region: 'eu-west-1', provider: new aws.Provider('aws-west', { region: 'eu-west-1' }) } : undefined;
    const s = new ConsensusSnapshotStorage('snap', { environment: 'production', clusterName: 'prod-use1', oidc: OIDC, prefix: 'consensus/raft/', replication, ...overrides });
    return { bucketName: s.bucketName };
  });
}

const one = (run: ProgramRun, type: string, name: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
};

describe('ConsensusSnapshotStorage', () => {
  test('defaults: a private bucket named by the shared names, snapshots kept 14 days, the snapshot service account\'s role', async () => {
    const run = await build();
    expect(run.outputs.bucketName).toBe('fleetcraft-production-prod-use1-consensus-snapshots');
    expect(one(run, 'aws:s3/bucket:Bucket', 'snap').inputs.bucket).toBe('fleetcraft-production-prod-use1-consensus-snapshots');
    expect(one(run, 'aws:kms/alias:Alias', 'snap-key').inputs.name).toBe('alias/fleetcraft/production/prod-use1/consensus-snapshots');
    expect(one(run, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'snap-public-access').inputs).toMatchObject({
      blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    expect(one(run, 'aws:s3/bucketVersioning:BucketVersioning', 'snap-versioning').inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
    expect(one(run, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'snap-lifecycle').inputs.rules)
      .toContainEqual({ id: 'expire-current-versions', status: 'Enabled', filter: {}, expiration: { days: 14 } });
    const role = one(run, 'aws:iam/role:Role', 'snap-role');
    expect(role.inputs.name).toBe('fleetcraft-production-prod-use1-consensus-snapshots');
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Condition.StringEquals;
    expect(Object.values(trust)).toContain('system:serviceaccount:consensus:consensus-snapshots');
    const policy = JSON.parse(one(run, 'aws:iam/rolePolicy:RolePolicy', 'snap-role-policy').inputs.policy as string);
    expect(policy.Statement[0].Resource).toMatch(/:::fleetcraft-production-prod-use1-consensus-snapshots\/consensus\/raft\/\*$/);
  });

  test('replication defaults to none; with a target, a replica in that region, S3\'s own role, the snapshots\' retention', async () => {
    const plain = await build();
    expect(plain.resources.filter((r) => r.type === 'aws:s3/bucketReplicationConfig:BucketReplicationConfig')).toEqual([]);
    const run = await build({}, true);
    const replica = one(run, 'aws:s3/bucket:Bucket', 'snap-replica');
    expect(replica.inputs.bucket).toBe('fleetcraft-production-prod-use1-consensus-snapshots-replica');
    expect(replica.region).toBe('eu-west-1');
    expect(one(run, 'aws:kms/alias:Alias', 'snap-replica-key').inputs.name).toBe('alias/fleetcraft/production/prod-use1/consensus-snapshots-replica');
    expect(one(run, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'snap-replica-lifecycle').inputs.rules)
      .toContainEqual(expect.objectContaining({ id: 'expire-current-versions', expiration: { days: 14 } }));
    const role = one(run, 'aws:iam/role:Role', 'snap-replication');
    expect(role.inputs.name).toBe('fleetcraft-production-prod-use1-snapshots-replication');
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).toEqual({ Service: 's3.amazonaws.com' });
    const rule = (one(run, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig', 'snap-replication').inputs.rules as Array<Record<string, unknown>>)[0];
    expect(rule).toMatchObject({ id: 'to-eu-west-1', status: 'Enabled', destination: { bucket: 'arn:aws:s3:::fleetcraft-production-prod-use1-consensus-snapshots-replica' } });
    expect(run.outputs.bucketName).toBe('fleetcraft-production-prod-use1-consensus-snapshots');
  });

  test('overrides: retention, service account, bucket prefix', async () => {
    const run = await build({ retentionDays: 30, serviceAccount: { namespace: 'db', name: 'backup' }, bucketPrefix: 'acme' });
    expect(run.outputs.bucketName).toBe('acme-production-prod-use1-consensus-snapshots');
    expect(one(run, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'snap-lifecycle').inputs.rules)
      .toContainEqual(expect.objectContaining({ id: 'expire-current-versions', expiration: { days: 30 } }));
    const trust = JSON.parse(one(run, 'aws:iam/role:Role', 'snap-role').inputs.assumeRolePolicy as string).Statement[0].Condition.StringEquals;
    expect(Object.values(trust)).toContain('system:serviceaccount:db:backup');
  });

  test('refuses a retention that is not a whole number of days, and a prefix that is not one folder', async () => {
    await expect(build({ retentionDays: 0 })).rejects.toThrow(
      'ConsensusSnapshotStorage \'snap\': retentionDays (0) must be a whole number of days, at least 1; use e.g. 14');
    await expect(build({ prefix: '' })).rejects.toThrow(
      'consensusSnapshotPolicy: prefix "" must name one folder of the bucket (e.g. "consensus/raft/"), so the role reaches that folder only; build it with consensusSnapshotPrefix()');
  });
});

describe('consensusSnapshotPolicy', () => {
  const doc = consensusSnapshotPolicy({ bucketArn: 'arn:aws:s3:::b', prefix: 'consensus/raft/', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k' });

  test('put and get under the prefix, list the prefix only, the key\'s data keys; no delete', () => {
    expect(doc.Statement).toEqual([
      { Sid: 'SnapshotObjects', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::b/consensus/raft/*' },
      { Sid: 'ListSnapshots', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': ['consensus/raft', 'consensus/raft/*'] } } },
      { Sid: 'SnapshotKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: 'arn:aws:kms:us-east-1:123456789012:key/k' },
    ]);
    expect(JSON.stringify(doc)).not.toContain('Delete');
  });

  test('refuses a wildcard prefix', () => {
    expect(() => consensusSnapshotPolicy({ bucketArn: 'arn:aws:s3:::b', prefix: '*', kmsKeyArn: 'k' })).toThrow('consensusSnapshotPolicy: prefix "*" must name one folder');
  });
});
