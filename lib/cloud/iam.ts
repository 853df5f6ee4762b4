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
 * What the consensus snapshot CronJob needs: put and get the snapshot objects under its prefix, list that prefix
 * only, and the bucket key's data keys (SSE-KMS is the bucket's default encryption: a put needs
 * `kms:GenerateDataKey`, a get or a multipart upload `kms:Decrypt`). No delete: retention is the bucket's lifecycle rule.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
 */
export function consensusSnapshotPolicy(args: { bucketArn: string; prefix: string; kmsKeyArn: string }): PolicyDocument {
  const prefix = args.prefix.replace(/\/+$/, '');
  if (prefix === '' || prefix.includes('*')) {
    throw new Error(`consensusSnapshotPolicy: prefix ${JSON.stringify(args.prefix)} must name one folder of the bucket (e.g. "consensus/raft/"), ` +
      'so the role reaches that folder only; build it with consensusSnapshotPrefix()');
  }
  return document(
    { Sid: 'SnapshotObjects', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `${args.bucketArn}/${prefix}/*` },
    {
      Sid: 'ListSnapshots',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: args.bucketArn,
      Condition: { StringLike: { 's3:prefix': [prefix, `${prefix}/*`] } },
    },
    { Sid: 'SnapshotKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: args.kmsKeyArn },
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

/** The tag the AWS Load Balancer Controller puts on everything it creates, with the cluster's name as its value. */
export const LOAD_BALANCER_CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * The AWS Load Balancer Controller's permissions, after the controller's reference policy (v2.14, the release the
 * add-on's chart installs): describe actions on `"*"` (they have no resource scoping); creating load balancers, target
 * groups and security groups only with the `elbv2.k8s.aws/cluster` tag naming this cluster, and modifying, retagging
 * or deleting them only while they carry that tag. Where the reference policy accepts any value of the tag, this one
 * requires the cluster's name, so the controllers of two clusters in one account cannot touch each other's load
 * balancers; and it creates no untagged security group. The service-linked role only for Elastic Load Balancing.
 * Listeners, rules, certificates, WAF and Shield stay as the reference policy has them (listeners and rules made by
 * earlier releases carry no tag).
 * @param partition the AWS partition of the ARNs. @default 'aws'
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/install/iam_policy.json
 */
export function loadBalancerControllerPolicy(clusterName: string, partition: string = 'aws'): PolicyDocument {
  const requestTag = `aws:RequestTag/${LOAD_BALANCER_CLUSTER_TAG}`;
  const resourceTag = `aws:ResourceTag/${LOAD_BALANCER_CLUSTER_TAG}`;
  const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:*:*:${resource}`;
  const ownLoadBalancersAndTargetGroups = [elb('targetgroup/*/*'), elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')];
  const securityGroups = `arn:${partition}:ec2:*:*:security-group/*`;
  return document(
    {
      // Elastic Load Balancing's own service-linked role, created once per account on first use; no other service's.
      Sid: 'ServiceLinkedRole',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: `arn:${partition}:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/*`,
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
    {
      Sid: 'Describe',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:DescribeRouteTables', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools',
        'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeListenerAttributes', 'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      Resource: '*',
    },
    {
      // What Ingress annotations may name: certificates, a Cognito client, a WAF web ACL, Shield Advanced protection.
      Sid: 'CertificatesAndProtection',
      Effect: 'Allow',
      Action: [
        'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates', 'iam:GetServerCertificate', 'cognito-idp:DescribeUserPoolClient',
        'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL',
        'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL',
        'shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection',
      ],
      Resource: '*',
    },
    {
      // The nodes' security groups (not the controller's) admit traffic from the load balancers' security groups.
      Sid: 'NodeSecurityGroupIngress',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: '*',
    },
    // Creating a security group is authorized on its VPC and on the new group: the group must carry the cluster tag.
    { Sid: 'CreateSecurityGroupsInVpcs', Effect: 'Allow', Action: ['ec2:CreateSecurityGroup'], Resource: `arn:${partition}:ec2:*:*:vpc/*` },
    {
      Sid: 'CreateOwnSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:CreateSecurityGroup'],
      Resource: securityGroups,
      Condition: { StringEquals: { [requestTag]: clusterName } },
    },
    {
      // A new security group must be tagged as this cluster's as it is created.
      Sid: 'TagSecurityGroupsOnCreate',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: securityGroups,
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', [requestTag]: clusterName } },
    },
    {
      // Other tags only on this cluster's security groups, and never the cluster tag itself.
      Sid: 'TagOwnSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: securityGroups,
      Condition: { Null: { [requestTag]: 'true' }, StringEquals: { [resourceTag]: clusterName } },
    },
    {
      Sid: 'DeleteOwnSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:DeleteSecurityGroup'],
      Resource: '*',
      Condition: { StringEquals: { [resourceTag]: clusterName } },
    },
    {
      Sid: 'CreateLoadBalancersAndTargetGroups',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Resource: '*',
      Condition: { StringEquals: { [requestTag]: clusterName } },
    },
    {
      // Tagging as part of creating a load balancer or target group (Elastic Load Balancing checks AddTags on create).
      Sid: 'TagOnCreate',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags'],
      Resource: ownLoadBalancersAndTargetGroups,
      Condition: {
        StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'], [requestTag]: clusterName },
      },
    },
    {
      Sid: 'TagOwnLoadBalancersAndTargetGroups',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: ownLoadBalancersAndTargetGroups,
      Condition: { Null: { [requestTag]: 'true' }, StringEquals: { [resourceTag]: clusterName } },
    },
    {
      Sid: 'TagListenersAndRules',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [elb('listener/net/*/*/*'), elb('listener/app/*/*/*'), elb('listener-rule/net/*/*/*'), elb('listener-rule/app/*/*/*')],
    },
    {
      Sid: 'ManageOwnLoadBalancersAndTargetGroups',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools',
      ],
      Resource: '*',
      Condition: { StringEquals: { [resourceTag]: clusterName } },
    },
    {
      // TargetGroupBindings may name target groups made outside the cluster, which carry no cluster tag.
      Sid: 'RegisterTargets',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      Resource: elb('targetgroup/*/*'),
    },
    {
      Sid: 'ListenersAndRules',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities', 'elasticloadbalancing:SetWebAcl',
      ],
      Resource: '*',
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

/**
 * ExternalDNS's permissions: change records only in the environment's zone; list zones and records (Route 53 has no
 * resource scoping for listing zones).
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/#iam-policy
 */
export function externalDnsPolicy(zoneArn: string): PolicyDocument {
  return document(
    { Sid: 'ChangeRecordsInZone', Effect: 'Allow', Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource'], Resource: zoneArn },
    { Sid: 'ListZones', Effect: 'Allow', Action: ['route53:ListHostedZones', 'route53:ListHostedZonesByName'], Resource: '*' },
  );
}

/** Serializes a document the way every policy input is written. */
export function policyJson(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}
