import {
  clusterAutoscalerPolicy, consensusSnapshotPolicy, ebsKmsPolicy, externalDnsPolicy, externalSecretsPolicy, irsaTrustPolicy, loadBalancerControllerPolicy, PolicyDocument, PolicyStatement,
  replicationPolicy, serviceTrustPolicy, tlsOnlyBucketPolicy, veleroCopyPolicy, veleroPolicy, wildcardGrants,
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
    loadBalancerController: loadBalancerControllerPolicy('dev-use1'),
    consensusSnapshots: consensusSnapshotPolicy({ bucketArn: BUCKET, prefix: 'consensus/raft/', kmsKeyArn: KEY }),
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

  describe('the AWS Load Balancer Controller', () => {
    const doc = documents.loadBalancerController;
    const sid = (id: string): PolicyStatement => {
      const found = doc.Statement.filter((st) => st.Sid === id);
      if (found.length !== 1) throw new Error(`expected one statement ${id}, found ${found.length}`);
      return found[0];
    };
    const actions = (st: PolicyStatement): readonly string[] => (typeof st.Action === 'string' ? [st.Action] : st.Action);
    const owned = { StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'dev-use1' } };

    test('passes the least-privilege check; every statement has a Sid and allows', () => {
      expect(assertLeastPrivilege('lb-controller', doc)).toBe(doc);
      expect(doc.Statement.every((st) => st.Sid !== undefined && st.Effect === 'Allow')).toBe(true);
      expect(new Set(doc.Statement.map((st) => st.Sid)).size).toBe(doc.Statement.length);
    });

    test('creates the service-linked role of Elastic Load Balancing only', () => {
      expect(sid('ServiceLinkedRole')).toEqual({
        Sid: 'ServiceLinkedRole', Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole'],
        Resource: 'arn:aws:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/*',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
      });
      expect(doc.Statement.filter((st) => actions(st).includes('iam:CreateServiceLinkedRole'))).toHaveLength(1);
    });

    test('describes on "*", with Describe/Get actions only', () => {
      expect(sid('Describe').Resource).toBe('*');
      expect(sid('Describe').Condition).toBeUndefined();
      for (const a of actions(sid('Describe'))) expect(a).toMatch(/^(ec2|elasticloadbalancing):(Describe|Get)[A-Za-z]+$/);
      expect(actions(sid('Describe'))).toEqual(expect.arrayContaining(['ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetHealth']));
    });

    test('creates load balancers, target groups and security groups only tagged as this cluster\'s', () => {
      const tagged = { StringEquals: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'dev-use1' } };
      expect(sid('CreateLoadBalancersAndTargetGroups')).toMatchObject({ Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'], Condition: tagged });
      expect(sid('CreateOwnSecurityGroups')).toMatchObject({ Resource: 'arn:aws:ec2:*:*:security-group/*', Condition: tagged });
      // The group's VPC is authorized too; nowhere else is CreateSecurityGroup allowed.
      expect(doc.Statement.filter((st) => actions(st).includes('ec2:CreateSecurityGroup')).map((st) => st.Resource))
        .toEqual(['arn:aws:ec2:*:*:vpc/*', 'arn:aws:ec2:*:*:security-group/*']);
      expect(sid('TagSecurityGroupsOnCreate').Condition).toEqual({ StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', 'aws:RequestTag/elbv2.k8s.aws/cluster': 'dev-use1' } });
      expect(sid('TagOnCreate').Condition).toEqual({
        StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'], 'aws:RequestTag/elbv2.k8s.aws/cluster': 'dev-use1' },
      });
    });

    test('modifies and deletes only what carries this cluster\'s tag, and never changes that tag', () => {
      expect(sid('ManageOwnLoadBalancersAndTargetGroups').Condition).toEqual(owned);
      expect(actions(sid('ManageOwnLoadBalancersAndTargetGroups'))).toEqual(expect.arrayContaining([
        'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetSecurityGroups',
      ]));
      expect(sid('DeleteOwnSecurityGroups')).toMatchObject({ Action: ['ec2:DeleteSecurityGroup'], Condition: owned });
      for (const id of ['TagOwnSecurityGroups', 'TagOwnLoadBalancersAndTargetGroups']) {
        expect(sid(id).Condition).toEqual({ Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true' }, ...owned });
      }
      // Every delete (but of listeners and rules, which the reference policy leaves untagged) is conditioned on the tag.
      const deletes = doc.Statement.filter((st) => actions(st).some((a) => /:Delete(LoadBalancer|TargetGroup|SecurityGroup)$/.test(a)));
      expect(deletes.map((st) => st.Condition)).toEqual([owned, owned]);
    });

    test('another cluster\'s name gives another condition', () => {
      expect(loadBalancerControllerPolicy('prod-euw1').Statement.find((st) => st.Sid === 'ManageOwnLoadBalancersAndTargetGroups')?.Condition)
        .toEqual({ StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'prod-euw1' } });
    });
  });

  test('the bucket policy denies requests without TLS', () => {
    expect(documents.tlsOnly.Statement[0]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });
});

describe('externalDnsPolicy', () => {
  test('changes records only in the given zone; lists zones; passes the least-privilege check', () => {
    const doc = externalDnsPolicy('arn:aws:route53:::hostedzone/Z1');
    expect(doc.Statement.find((s) => s.Sid === 'ChangeRecordsInZone')).toMatchObject({ Action: expect.arrayContaining(['route53:ChangeResourceRecordSets']), Resource: 'arn:aws:route53:::hostedzone/Z1' });
    expect(doc.Statement.filter((s) => s.Resource === '*').flatMap((s) => s.Action)).toEqual(['route53:ListHostedZones', 'route53:ListHostedZonesByName']);
    expect(wildcardGrants(doc)).toEqual([]);
  });
});
