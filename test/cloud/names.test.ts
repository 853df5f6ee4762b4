import {
  CLOUD_NAME_PREFIX, CloudRolePurpose, clusterCloudNames, IRSA_ROLE_ARN_ANNOTATION, kmsAliasName, KmsKeyPurpose, KUBERNETES_NAMES, roleArn,
  roleName, secretArnPattern, consensusSnapshotBucketName, consensusSnapshotPrefix, consensusSnapshotReplicaBucketName, secretName, secretNamePrefix, SERVICE_ACCOUNTS, serviceAccountRoleAnnotations, veleroBucketName,
  veleroReplicaBucketName, regionalHostName,
} from '../../lib/cloud/names';

describe('cloud names', () => {
  test('the Velero bucket is fleetcraft-<env>-<cluster>-velero; prefix defaults to fleetcraft', () => {
    expect(CLOUD_NAME_PREFIX).toBe('fleetcraft');
    expect(veleroBucketName('production', 'prod-use1')).toBe('fleetcraft-production-prod-use1-velero');
    expect(veleroReplicaBucketName('production', 'prod-use1')).toBe('fleetcraft-production-prod-use1-velero-replica');
  });

  test('a bucket prefix can be given (S3 names are global)', () => {
    expect(veleroBucketName('dev', 'dev-use1', 'acme')).toBe('acme-dev-dev-use1-velero');
  });

  test('refuses a bucket name longer than 63 characters', () => {
    expect(() => veleroBucketName('production', 'a-very-long-cluster-name-that-does-not-fit-s3'))
      .toThrow('veleroBucketName \'a-very-long-cluster-name-that-does-not-fit-s3\': bucket name ("fleetcraft-production-a-very-long-cluster-name-that-does-not-fit-s3-velero") is 74 characters; S3 allows at most 63; shorten the environment or cluster name');
  });

  test('refuses an environment that is not a DNS label', () => {
    expect(() => veleroBucketName('Prod', 'prod-use1'))
      .toThrow('veleroBucketName \'Prod\': environment ("Prod") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use lowercase letters, digits and \'-\'');
  });

  test('roles are fleetcraft-<env>-<cluster>-<purpose>', () => {
    expect(roleName('production', 'prod-use1', CloudRolePurpose.VELERO)).toBe('fleetcraft-production-prod-use1-velero');
    expect(roleName('dev', 'dev-use1', CloudRolePurpose.CLUSTER_AUTOSCALER)).toBe('fleetcraft-dev-dev-use1-cluster-autoscaler');
  });

  test('refuses a role name longer than 64 characters', () => {
    expect(() => roleName('production', 'a-cluster-name-long-enough-to-overflow-iam', CloudRolePurpose.EXTERNAL_SECRETS))
      .toThrow('roleName \'a-cluster-name-long-enough-to-overflow-iam\': role name ("fleetcraft-production-a-cluster-name-long-enough-to-overflow-iam-external-secrets") is 81 characters; IAM allows at most 64; shorten the environment or cluster name');
  });

  test('role ARNs use the aws partition by default', () => {
    expect(roleArn('123456789012', 'r')).toBe('arn:aws:iam::123456789012:role/r');
    expect(roleArn('123456789012', 'r', 'aws-cn')).toBe('arn:aws-cn:iam::123456789012:role/r');
  });

  test('refuses an account id that is not 12 digits', () => {
    expect(() => roleArn('1234', 'r')).toThrow('roleArn \'1234\': accountId ("1234") must be the 12-digit AWS account id; use the id `aws sts get-caller-identity` prints');
  });

  test('the IRSA annotation carries the role ARN of the purpose', () => {
    expect(IRSA_ROLE_ARN_ANNOTATION).toBe('eks.amazonaws.com/role-arn');
    expect(serviceAccountRoleAnnotations('123456789012', 'staging', 'staging-use1', CloudRolePurpose.VELERO)).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/fleetcraft-staging-staging-use1-velero',
    });
  });

  test('KMS aliases are alias/fleetcraft/<env>/<cluster>/<purpose>', () => {
    expect(kmsAliasName('dev', 'dev-use1', KmsKeyPurpose.EBS)).toBe('alias/fleetcraft/dev/dev-use1/ebs');
  });

  test('secrets are fleetcraft/<env>/<key>, readable by pattern per region', () => {
    expect(secretNamePrefix('production')).toBe('fleetcraft/production/');
    expect(secretName('production', 'gitops-repo-token')).toBe('fleetcraft/production/gitops-repo-token');
    expect(secretArnPattern('123456789012', 'eu-west-1', 'production'))
      .toBe('arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleetcraft/production/*');
  });

  test('refuses a secret key that is not a DNS label and a region that is not one', () => {
    expect(() => secretName('dev', 'Bad_Key')).toThrow('secretName \'Bad_Key\': key ("Bad_Key") must consist of lowercase letters');
    expect(() => secretArnPattern('123456789012', 'mars', 'dev')).toThrow('secretArnPattern \'mars\': region ("mars") is not an AWS region name; use a name such as "us-east-1"');
  });

  test('the service accounts and Kubernetes names the cloud side relies on', () => {
    expect(SERVICE_ACCOUNTS.velero).toEqual({ namespace: 'velero', name: 'velero' });
    expect(SERVICE_ACCOUNTS.externalSecrets).toEqual({ namespace: 'external-secrets', name: 'external-secrets' });
    expect(SERVICE_ACCOUNTS.clusterAutoscaler).toEqual({ namespace: 'kube-system', name: 'cluster-autoscaler' });
    expect(SERVICE_ACCOUNTS.ebsCsi).toEqual({ namespace: 'kube-system', name: 'ebs-csi-controller-sa' });
    expect(KUBERNETES_NAMES).toEqual({
      fastStorageClass: 'fast-ssd', standardStorageClass: 'standard-ssd', volumeSnapshotClass: 'ebs-snapshots', clusterSecretStore: 'aws-secrets-manager',
    });
  });

  test('consensus snapshots: a bucket of their own per cluster (prefix default fleetcraft), under <namespace>/<name>/', () => {
    expect(consensusSnapshotBucketName('production', 'prod-apse1')).toBe('fleetcraft-production-prod-apse1-consensus-snapshots');
    expect(consensusSnapshotBucketName('dev', 'dev-use1', 'acme')).toBe('acme-dev-dev-use1-consensus-snapshots');
    expect(consensusSnapshotReplicaBucketName('production', 'prod-apse1')).toBe('fleetcraft-production-prod-apse1-consensus-snapshots-replica');
    expect(consensusSnapshotPrefix('consensus', 'raft')).toBe('consensus/raft/');
    expect(() => consensusSnapshotPrefix('Consensus', 'raft')).toThrow(/consensusSnapshotPrefix 'Consensus': namespace \("Consensus"\)/);
    expect(() => consensusSnapshotBucketName('production', 'a-cluster-name-that-is-long-enough')).toThrow(/S3 allows at most 63/);
    expect(SERVICE_ACCOUNTS.consensusSnapshots).toEqual({ namespace: 'consensus', name: 'consensus-snapshots' });
    expect(clusterCloudNames('production', 'us-east-1', 'prod-use1').consensusSnapshotBucket).toBe('fleetcraft-production-prod-use1-consensus-snapshots');
  });

  test('clusterCloudNames computes every name of a cluster at once', () => {
    const names = clusterCloudNames('production', 'eu-west-1', 'prod-euw1');
    expect(names.region).toBe('eu-west-1');
    expect(names.veleroBucket).toBe('fleetcraft-production-prod-euw1-velero');
    expect(names.roles[CloudRolePurpose.EXTERNAL_SECRETS]).toBe('fleetcraft-production-prod-euw1-external-secrets');
    expect(Object.keys(names.roles).sort()).toEqual(Object.values(CloudRolePurpose).sort());
    expect(names.kmsAliases[KmsKeyPurpose.SECRETS]).toBe('alias/fleetcraft/production/prod-euw1/secrets');
    expect(names.secretPrefix).toBe('fleetcraft/production/');
  });
});

describe('regionalHostName', () => {
  test('<service>.<region>.<domain>, refused when not a DNS name', () => {
    expect(regionalHostName('api', 'eu-west-1', 'example.com')).toBe('api.eu-west-1.example.com');
    expect(() => regionalHostName('api', 'eu-west-1', 'Example.com')).toThrow('regionalHostName \'Example.com\': domain ("Example.com") gives "api.eu-west-1.Example.com", which is not a DNS name');
    expect(() => regionalHostName('api', 'mars', 'example.com')).toThrow('region ("mars") is not an AWS region name');
  });
});
