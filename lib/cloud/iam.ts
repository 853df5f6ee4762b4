/**
 * IAM policy documents as pure functions of plain strings: trust policies (AWS services, IRSA) and the
 * least-privilege permissions of each controller. Components call them inside `pulumi.all(...).apply(...)`.
 */
import { ServiceAccountRef } from './names';

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  /** Statement id. */
  readonly Sid?: string;
  /** Allow or deny. */
  readonly Effect: 'Allow' | 'Deny';
  /** Who (trust and bucket policies only). */
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  /** The actions. */
  readonly Action: string | readonly string[];
  /** The resources (absent in trust policies). */
  readonly Resource?: string | readonly string[];
  /** Conditions, by operator then key. */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An IAM policy document (version 2012-10-17). */
export interface PolicyDocument {
  /** The policy language version. */
  readonly Version: '2012-10-17';
  /** The statements. */
  readonly Statement: readonly PolicyStatement[];
}

function document(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

const list = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

/**
 * The statements of a document that allow every action on every resource (`"*"` or `"<service>:*"` on `"*"`),
 * which no fleetcraft policy may contain. Empty when the document is least-privilege in that sense.
 */
export function wildcardGrants(doc: PolicyDocument): PolicyStatement[] {
  return doc.Statement.filter((s) => s.Effect === 'Allow'
    && list(s.Action).some((a) => typeof a === 'string' && (a === '*' || a.endsWith(':*')))
    && list(s.Resource).includes('*'));
}

/** Trust policy letting an AWS service (`eks.amazonaws.com`, `ec2.amazonaws.com`, `s3.amazonaws.com`) assume a role. */
export function serviceTrustPolicy(service: string): PolicyDocument {
  return document({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
}

/**
 * Trust policy of an IAM role for a service account (IRSA): only that service account of that cluster, with the
 * STS audience, may assume it.
 * @param issuer the cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<id>`).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export function irsaTrustPolicy(oidcProviderArn: string, issuer: string, serviceAccount: ServiceAccountRef): PolicyDocument {
  const host = issuer.replace(/^https:\/\//, '');
  return document({
    Effect: 'Allow',
    Principal: { Federated: oidcProviderArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: {
        [`${host}:sub`]: `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`,
        [`${host}:aud`]: 'sts.amazonaws.com',
      },
    },
  });
}

/**
 * Velero's permissions: its own bucket (objects and listing), EBS snapshots, and the KMS keys of the bucket and
 * of the volumes. The EC2 describe actions have no resource-level scoping, so they use `"*"` with specific actions
 * only; tagging is allowed only on creation, deleting only for snapshots tagged by Velero, and KMS grants only for
 * AWS resources.
 * @see https://github.com/vmware-tanzu/velero-plugin-for-aws#set-permissions-for-velero
 */
export function veleroPolicy(args: { bucketArn: string; kmsKeyArns: readonly string[] }): PolicyDocument {
  return document(
    { Sid: 'DescribeVolumes', Effect: 'Allow', Action: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'], Resource: '*' },
    { Sid: 'CreateSnapshotsAndVolumes', Effect: 'Allow', Action: ['ec2:CreateSnapshot', 'ec2:CreateVolume'], Resource: '*' },
    {
      // Tags only as part of creating a snapshot or a volume (Velero tags both when it creates them).
      Sid: 'TagOnCreate',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: '*',
      Condition: { StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateVolume'] } },
    },
    {
      // Delete only snapshots Velero made (it tags each with the backup's name), never any other snapshot.
      Sid: 'DeleteOwnSnapshots',
      Effect: 'Allow',
      Action: ['ec2:DeleteSnapshot'],
      Resource: '*',
      Condition: { StringLike: { 'ec2:ResourceTag/velero.io/backup': '*' } },
    },
    {
      Sid: 'Objects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: `${args.bucketArn}/*`,
    },
    { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: args.bucketArn },
    {
      Sid: 'Keys',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
      Resource: [...args.kmsKeyArns],
    },
    {
      // EBS needs a grant to create a volume from an encrypted snapshot; only for AWS resources, never for a principal.
      Sid: 'GrantsForEbs',
      Effect: 'Allow',
      Action: ['kms:CreateGrant'],
      Resource: [...args.kmsKeyArns],
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
  );
}

/**
 * What Velero of one cluster needs to write its cross-region copies into another cluster's bucket: objects under
 * its own prefix only, listing only that prefix, and the use of that bucket's key.
 * @see https://velero.io/docs/main/locations/
 */
export function veleroCopyPolicy(args: { bucketArn: string; prefix: string; kmsKeyArn: string }): PolicyDocument {
  const prefix = args.prefix.replace(/\/+$/, '');
  return document(
    {
      Sid: 'CopyObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: prefix ? `${args.bucketArn}/${prefix}/*` : `${args.bucketArn}/*`,
    },
    {
      Sid: 'ListCopies',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: args.bucketArn,
      ...(prefix ? { Condition: { StringLike: { 's3:prefix': [prefix, `${prefix}/*`] } } } : {}),
    },
    { Sid: 'CopyKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: args.kmsKeyArn },
  );
}

/**
 * The cluster autoscaler's permissions: describe anything (no resource scoping exists for these), change only
 * the Auto Scaling groups tagged as this cluster's.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 */
export function clusterAutoscalerPolicy(clusterName: string): PolicyDocument {
  return document(
    {
      Sid: 'Describe',
      Effect: 'Allow',
      Action: [
        'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities', 'autoscaling:DescribeTags', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplateVersions', 'ec2:GetInstanceTypesFromInstanceRequirements', 'eks:DescribeNodegroup',
      ],
      Resource: '*',
    },
    {
      Sid: 'ScaleOwnGroups',
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: '*',
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' } },
    },
  );
}

/**
 * The External Secrets Operator's permissions: read the environment's secrets in its region (the ARN pattern
 * from `secretArnPattern`) and decrypt them with their key, through Secrets Manager only.
 * @see https://external-secrets.io/latest/provider/aws-secrets-manager/#iam-policy
 */
export function externalSecretsPolicy(args: { secretArnPattern: string; kmsKeyArn: string; region: string }): PolicyDocument {
  return document(
    {
      Sid: 'ReadSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:GetResourcePolicy'],
      Resource: args.secretArnPattern,
    },
    {
      Sid: 'DecryptSecrets',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: args.kmsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${args.region}.amazonaws.com` } },
    },
  );
}

/**
 * What the EBS CSI driver needs on the storage classes' KMS key beyond the managed `AmazonEBSCSIDriverPolicy`:
 * use of that one key, grants only for AWS resources (EBS).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html
 */
export function ebsKmsPolicy(kmsKeyArn: string): PolicyDocument {
  return document(
    { Sid: 'UseKey', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'], Resource: kmsKeyArn },
    {
      Sid: 'GrantsForEbs',
      Effect: 'Allow',
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: kmsKeyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
  );
}

/**
 * S3 replication's permissions: read the source bucket's versions, write replicas into the destination, decrypt
 * with the source key and encrypt with the destination key.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 */
export function replicationPolicy(args: { sourceBucketArn: string; destinationBucketArn: string; sourceKeyArn: string; destinationKeyArn: string }): PolicyDocument {
  return document(
    { Sid: 'SourceBucket', Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: args.sourceBucketArn },
    {
      Sid: 'SourceObjects',
      Effect: 'Allow',
      Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
      Resource: `${args.sourceBucketArn}/*`,
    },
    {
      Sid: 'DestinationObjects',
      Effect: 'Allow',
      Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      Resource: `${args.destinationBucketArn}/*`,
    },
    { Sid: 'DecryptSource', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: args.sourceKeyArn },
    { Sid: 'EncryptDestination', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Resource: args.destinationKeyArn },
  );
}

/**
 * A bucket policy refusing every request not made over TLS.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return document({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
}

/** Serializes a document the way every policy input is written. */
export function policyJson(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}
