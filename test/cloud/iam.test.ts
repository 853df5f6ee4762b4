import {
  clusterAutoscalerPolicy, ebsKmsPolicy, externalSecretsPolicy, irsaTrustPolicy, PolicyDocument, replicationPolicy, serviceTrustPolicy,
  tlsOnlyBucketPolicy, veleroCopyPolicy, veleroPolicy, wildcardGrants,
} from '../../lib/cloud/iam';
import { assertLeastPrivilege } from '../../lib/cloud/roles';

const BUCKET = 'arn:aws:s3:::fleetcraft-dev-dev-use1-velero';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/k';

describe('IAM policy documents', () => {
  const documents: Record<string, PolicyDocument> = {
    velero: veleroPolicy({ bucketArn: BUCKET, kmsKeyArns: [KEY] }),
    clusterAutoscaler: clusterAutoscalerPolicy('dev-use1'),
    externalSecrets: externalSecretsPolicy({ secretArnPattern: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:fleetcraft/dev/*', kmsKeyArn: KEY, region: 'us-east-1' }),
    ebsKms: ebsKmsPolicy(KEY),
    replication: replicationPolicy({ sourceBucketArn: BUCKET, destinationBucketArn: `${BUCKET}-replica`, sourceKeyArn: KEY, destinationKeyArn: KEY }),
    tlsOnly: tlsOnlyBucketPolicy(BUCKET),
    veleroCopy: veleroCopyPolicy({ bucketArn: BUCKET, prefix: 'copies/prod-use1', kmsKeyArn: KEY }),
  };

  test.each(Object.keys(documents))('%s grants no action wildcard on every resource', (name) => {
    expect(wildcardGrants(documents[name])).toEqual([]);
  });

  test('wildcardGrants finds "*" and "<service>:*" on "*", and ignores Deny', () => {
    const doc: PolicyDocument = { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Allow', Action: ['s3:*'], Resource: ['*'] },
      { Effect: 'Allow', Action: 's3:*', Resource: BUCKET },
      { Effect: 'Deny', Action: '*', Resource: '*' },
    ] };
    expect(wildcardGrants(doc)).toHaveLength(2);
    expect(() => assertLeastPrivilege('role-x', doc)).toThrow('role-x: policy statement {"Effect":"Allow","Action":"*","Resource":"*"} allows every action on every resource; list the actions and resources it needs');
  });

  test('an IRSA trust policy admits one service account with the STS audience', () => {
    const doc = irsaTrustPolicy('arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X', 'https://oidc.eks.us-east-1.amazonaws.com/id/X',
      { namespace: 'velero', name: 'velero' });
    expect(doc.Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: {
        'oidc.eks.us-east-1.amazonaws.com/id/X:sub': 'system:serviceaccount:velero:velero',
        'oidc.eks.us-east-1.amazonaws.com/id/X:aud': 'sts.amazonaws.com',
      } },
    });
  });

  test('service trust policies name the service', () => {
    expect(serviceTrustPolicy('eks.amazonaws.com').Statement[0]).toEqual({ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' });
  });

  test('Velero may touch its own bucket only', () => {
    const objects = documents.velero.Statement.find((s) => s.Sid === 'Objects');
    expect(objects?.Resource).toBe(`${BUCKET}/*`);
    expect(documents.velero.Statement.find((s) => s.Sid === 'Bucket')?.Resource).toBe(BUCKET);
  });

  test('the autoscaler changes only groups tagged as its cluster', () => {
    const scale = documents.clusterAutoscaler.Statement.find((s) => s.Sid === 'ScaleOwnGroups');
    expect(scale?.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/dev-use1': 'owned' } });
  });

  test('External Secrets reads the environment\'s secrets and decrypts through Secrets Manager only', () => {
    expect(documents.externalSecrets.Statement[0].Resource).toBe('arn:aws:secretsmanager:us-east-1:123456789012:secret:fleetcraft/dev/*');
    expect(documents.externalSecrets.Statement[1].Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } });
  });

  test('cross-region copies: objects and listing under the copy prefix only', () => {
    expect(documents.veleroCopy.Statement[0].Resource).toBe(`${BUCKET}/copies/prod-use1/*`);
    expect(documents.veleroCopy.Statement[1].Condition).toEqual({ StringLike: { 's3:prefix': ['copies/prod-use1', 'copies/prod-use1/*'] } });
    expect(veleroCopyPolicy({ bucketArn: BUCKET, prefix: 'copies/x/', kmsKeyArn: KEY }).Statement[0].Resource).toBe(`${BUCKET}/copies/x/*`);
    expect(veleroCopyPolicy({ bucketArn: BUCKET, prefix: '', kmsKeyArn: KEY }).Statement[1].Condition).toBeUndefined();
  });

  test('the bucket policy denies requests without TLS', () => {
    expect(documents.tlsOnly.Statement[0]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });
});
