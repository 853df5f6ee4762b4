import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { dev, EnvironmentSpec, production, staging } from '../../environments';
import { PolicyDocument, wildcardGrants } from '../../lib/cloud/iam';
import { AddonName, ADDONS } from '../../lib/k8s/addons';
import { APPLICATION_HEALTH_CHECK, ARGOCD_CHART } from '../../lib/cloud/argocd';
import {
  CloudRolePurpose, IRSA_ROLE_ARN_ANNOTATION, KUBERNETES_NAMES, roleName, SERVICE_ACCOUNTS, serviceAccountRoleAnnotations, veleroBucketName,
} from '../../lib/cloud/names';
import { NETWORK_NOT_READY_TAINT } from '../../lib/k8s/network-agent';
import { KubeObject } from '../../lib/policy/objects';
import { isSecretEnvelope, PlannedResource, ProgramRun } from '../../stacks/mock-runtime';
import { PLAN_EXAMPLE_CONFIG, runProgram } from '../../stacks/plan';
import { rootApplicationFile } from '../../stacks/argocd';
import { filesOf, renderEnvironment } from '../../stacks/render';

/** The account the bundled environments run in: the program pins its providers to it, so the mocked ARNs carry it. */
const ACCOUNT = production.awsAccountId;

const SECRET = 'pl41ntext-token-value';

const ofType = (run: ProgramRun, type: string): PlannedResource[] => run.resources.filter((r) => r.type === type);
const one = (run: ProgramRun, type: string, name: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
};
const primaryOf = (env: EnvironmentSpec) => (env.regions.find((r) => r.primary) ?? env.regions[0]).clusterName;

/** What `fleetcraft synth` writes for one cluster (environment-wide objects go to the primary's), parsed back from the files. */
function synthObjects(env: EnvironmentSpec, cluster: string): KubeObject[] {
  const files = filesOf([renderEnvironment(env)]);
  const clusterOf = (path: string) => (path.split('/').length === 4 ? path.split('/')[1] : primaryOf(env));
  return [...files].filter(([path]) => clusterOf(path) === cluster).map(([, text]) => parse(text) as KubeObject);
}

/** A chart's service account, as the add-on Application's values create it. */
interface ChartServiceAccount {
  readonly create?: boolean;
  readonly name?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Where each add-on chart with a cloud role keeps its service account in its values (the chart's own layout). */
const CHART_SERVICE_ACCOUNTS: Partial<Record<AddonName, (values: Record<string, unknown>) => ChartServiceAccount | undefined>> = {
  [AddonName.VELERO]: (v) => (v as { serviceAccount?: { server?: ChartServiceAccount } }).serviceAccount?.server,
  [AddonName.EXTERNAL_SECRETS]: (v) => (v as { serviceAccount?: ChartServiceAccount }).serviceAccount,
  [AddonName.CLUSTER_AUTOSCALER]: (v) => (v as { rbac?: { serviceAccount?: ChartServiceAccount } }).rbac?.serviceAccount,
  [AddonName.AWS_LOAD_BALANCER_CONTROLLER]: (v) => (v as { serviceAccount?: ChartServiceAccount }).serviceAccount,
  [AddonName.EXTERNAL_DNS]: (v) => (v as { serviceAccount?: ChartServiceAccount }).serviceAccount,
};

const ADDONS_WITH_ROLES = (Object.keys(ADDONS) as AddonName[]).filter((a) => ADDONS[a].cloudRole !== undefined);

describe('the Pulumi program', () => {
  const runs: Record<string, ProgramRun> = {};
  beforeAll(async () => {
    runs.production = await runProgram('production', {
      values: { ...PLAN_EXAMPLE_CONFIG, 'fleetcraft:secrets': { 'gitops-repo-token': SECRET, 'api': { databasePassword: `${SECRET}-db` } } }, secretKeys: ['fleetcraft:secrets'],
    });
    runs.staging = await runProgram('staging', { values: PLAN_EXAMPLE_CONFIG });
    runs.dev = await runProgram('dev', { values: PLAN_EXAMPLE_CONFIG });
  });
  const envs: Array<[string, EnvironmentSpec]> = [['production', production], ['staging', staging], ['dev', dev]];

  test('production creates three clusters in its three regions; staging and dev one each', () => {
    const clusters = (run: ProgramRun) => ofType(run, 'aws:eks/cluster:Cluster').map((c) => [c.inputs.name, c.region]);
    expect(clusters(runs.production)).toEqual([['prod-use1', 'us-east-1'], ['prod-euw1', 'eu-west-1'], ['prod-apse1', 'ap-southeast-1']]);
    expect(clusters(runs.staging)).toEqual([['staging-use1', 'us-east-1']]);
    expect(clusters(runs.dev)).toEqual([['dev-use1', 'us-east-1']]);
  });

  test.each(envs)('%s: every cluster is a RegionalPlatform with its cluster, storage and secrets; Pulumi applies none of its manifests', (name, env) => {
    for (const r of env.regions) {
      expect(one(runs[name], 'fleetcraft:cloud:RegionalPlatform', r.clusterName).region).toBe(r.name);
      for (const [type, child] of [['EksCluster', r.clusterName], ['ClusterStorage', `${r.clusterName}-storage`], ['ClusterSecrets', `${r.clusterName}-secrets`]]) {
        expect(one(runs[name], `fleetcraft:cloud:${type}`, child).parent).toBe(r.clusterName);
      }
    }
    expect(ofType(runs[name], 'fleetcraft:cloud:ClusterManifests')).toEqual([]);
  });

  test.each(envs)('%s: every bucket is versioned, KMS-encrypted and has every public-access block on', (name) => {
    const run = runs[name];
    const buckets = ofType(run, 'aws:s3/bucket:Bucket');
    expect(buckets.length).toBeGreaterThan(0);
    for (const b of buckets) {
      const about = (type: string) => ofType(run, type).filter((r) => r.inputs.bucket === `${b.name}-id`);
      expect(about('aws:s3/bucketVersioning:BucketVersioning').map((v) => v.inputs.versioningConfiguration)).toEqual([{ status: 'Enabled' }]);
      expect(about('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration')
        .map((e) => (e.inputs.rules as Array<{ applyServerSideEncryptionByDefault: { sseAlgorithm: string } }>)[0].applyServerSideEncryptionByDefault.sseAlgorithm)).toEqual(['aws:kms']);
      expect(about('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').map((p) => p.inputs)).toEqual([{
        bucket: `${b.name}-id`, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
      }]);
    }
  });

  test('replication only in production, each Velero bucket (and consensus snapshot bucket) to a bucket in another region', () => {
    const replications = ofType(runs.production, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig');
    expect(replications.map((r) => r.name).sort()).toEqual(production.regions
      .flatMap((r) => [`${r.clusterName}-storage-replication`, `${r.clusterName}-consensus-snapshots-replication`]).sort());
    for (const r of production.regions) {
      const replica = one(runs.production, 'aws:s3/bucket:Bucket', `${r.clusterName}-storage-velero-replica`);
      expect(replica.region).not.toBe(r.name);
      expect(replica.region).toBeDefined();
    }
    expect(ofType(runs.staging, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig')).toEqual([]);
    expect(ofType(runs.dev, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig')).toEqual([]);
    expect(ofType(runs.dev, 'aws:s3/bucket:Bucket').map((b) => b.inputs.bucket)).toEqual(['fleetcraft-dev-dev-use1-velero']);
  });

  test.each(envs)('%s: no IAM policy allows every action on every resource; only the expected managed policies', (name) => {
    const run = runs[name];
    const documents: PolicyDocument[] = [
      ...ofType(run, 'aws:iam/rolePolicy:RolePolicy').map((p) => JSON.parse(p.inputs.policy as string)),
      ...ofType(run, 'aws:iam/role:Role').map((p) => JSON.parse(p.inputs.assumeRolePolicy as string)),
      ...ofType(run, 'aws:s3/bucketPolicy:BucketPolicy').map((p) => JSON.parse(p.inputs.policy as string)),
    ];
    expect(documents.length).toBeGreaterThan(10);
    expect(documents.flatMap(wildcardGrants)).toEqual([]);
    expect([...new Set(ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').map((a) => a.inputs.policyArn))].sort()).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly', 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
    ]);
  });

  test('secret values stay Pulumi secrets: registered as secrets, in every region, and absent from every output', async () => {
    const versions = ofType(runs.production, 'aws:secretsmanager/secretVersion:SecretVersion');
    expect(versions.map((v) => v.region)).toEqual(['us-east-1', 'us-east-1', 'eu-west-1', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-1']);
    for (const v of versions) expect(isSecretEnvelope(v.inputs.secretString)).toBe(true);
    const strip = (v: unknown): unknown => (isSecretEnvelope(v) ? null : Array.isArray(v) ? v.map(strip)
      : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)])) : v);
    expect(JSON.stringify(runs.production.resources.map((r) => strip(r.inputs)))).not.toContain(SECRET);
    expect(JSON.stringify(runs.production.outputs)).not.toContain(SECRET);
    expect(ofType(runs.production, 'aws:secretsmanager/secret:Secret').filter((s) => s.region === 'eu-west-1').map((s) => s.inputs.name))
      .toEqual(['fleetcraft/production/api', 'fleetcraft/production/gitops-repo-token']);
    const api = one(runs.production, 'aws:secretsmanager/secretVersion:SecretVersion', 'prod-use1-secrets-api');
    expect((api.inputs.secretString as { value: string }).value).toBe(JSON.stringify({ databasePassword: `${SECRET}-db` }));
    const clusters = runs.production.rawOutputs.clusters as Record<string, { secretArns: Record<string, pulumi.Output<string>> }>;
    expect(await pulumi.isSecret(clusters['prod-use1'].secretArns['gitops-repo-token'])).toBe(false);
  });

  test.each(envs)('%s: one owner per object: Pulumi applies only Argo CD, the cluster registrations and the root Application', (name, env) => {
    const run = runs[name];
    const primary = primaryOf(env);
    const kubernetes = run.resources.filter((r) => r.type.startsWith('kubernetes:'));
    expect(kubernetes.map((r) => [r.type, r.name, r.provider])).toEqual([
      ['kubernetes:core/v1:Namespace', `${primary}-argocd-namespace`, `${primary}-k8s`],
      ['kubernetes:helm.sh/v4:Chart', `${primary}-argocd-chart`, `${primary}-k8s`],
      ['kubernetes:yaml/v2:ConfigGroup', `${primary}-argocd-clusters`, `${primary}-k8s`],
      ['kubernetes:yaml/v2:ConfigGroup', `${primary}-argocd-root`, `${primary}-k8s`],
    ]);
    // The root Application is the one synth writes, and nothing Pulumi applies is an Argo CD hook.
    const root = one(run, 'kubernetes:yaml/v2:ConfigGroup', `${primary}-argocd-root`).inputs.objs as KubeObject[];
    expect(root).toEqual(synthObjects(env, primary).filter((o) => o.kind === 'Application' && o.metadata?.name === `${env.name}-root`));
    const applied = kubernetes.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup').flatMap((r) => r.inputs.objs as KubeObject[]);
    expect(applied.filter((o) => o.metadata?.annotations?.['argocd.argoproj.io/hook'] !== undefined)).toEqual([]);
    expect(applied.filter((o) => o.kind === 'Job')).toEqual([]);
  });

  test.each(envs)('%s: Argo CD owns the rest: the plan\'s outputs count what it syncs, per cluster and component, as synth writes it', (name, env) => {
    const owns = runs[name].outputs.argoCdOwns as Record<string, Record<string, number>>;
    for (const r of env.regions) {
      const written = synthObjects(env, r.clusterName);
      // Everything synth writes for the cluster, but the root Application (Pulumi's).
      expect(Object.values(owns[r.clusterName]).reduce((a, b) => a + b, 0)).toBe(written.length - (r.clusterName === primaryOf(env) ? 1 : 0));
      // The storage classes are Argo CD's too, and name the EBS key alias the stack creates in that region.
      const alias = one(runs[name], 'aws:kms/alias:Alias', `${r.clusterName}-storage-ebs-key`);
      expect(written.filter((o) => o.kind === 'StorageClass').map((o) => (o.parameters as { kmsKeyId: string }).kmsKeyId)).toEqual([alias.inputs.name, alias.inputs.name]);
      expect(written.filter((o) => o.kind === 'VolumeSnapshotClass')).toHaveLength(1);
    }
  });

  test('the Argo CD chart: official, pinned, with the Application health check, IRSA on its controller and server', () => {
    const chart = one(runs.production, 'kubernetes:helm.sh/v4:Chart', 'prod-use1-argocd-chart');
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/fleetcraft-production-prod-use1-argocd`;
    expect(chart.inputs).toMatchObject({
      chart: 'argo-cd', version: ARGOCD_CHART.version, repositoryOpts: { repo: 'https://argoproj.github.io/argo-helm' }, namespace: 'argocd',
      values: {
        configs: { cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_CHECK } },
        controller: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': roleArn } } },
        server: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': roleArn } } },
      },
    });
    expect(ARGOCD_CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('cluster registrations: the primary in-cluster, each remote cluster by its endpoint with IAM auth (clusterName, roleARN), no credential', () => {
    const secrets = one(runs.production, 'kubernetes:yaml/v2:ConfigGroup', 'prod-use1-argocd-clusters').inputs.objs as KubeObject[];
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/fleetcraft-production-prod-use1-argocd`;
    expect(secrets.map((o) => [o.metadata?.name, o.metadata?.namespace, o.metadata?.labels?.['argocd.argoproj.io/secret-type']])).toEqual([
      ['cluster-prod-use1', 'argocd', 'cluster'], ['cluster-prod-euw1', 'argocd', 'cluster'], ['cluster-prod-apse1', 'argocd', 'cluster'],
    ]);
    const data = (o: KubeObject) => o.stringData as { name: string; server: string; config: string };
    expect(data(secrets[0])).toEqual({ name: 'prod-use1', server: 'https://kubernetes.default.svc', config: '{"tlsClientConfig":{"insecure":false}}' });
    expect(data(secrets[1]).server).toBe('https://PROD-EUW1.gr7.eu-west-1.eks.amazonaws.com');
    expect(JSON.parse(data(secrets[1]).config)).toEqual({
      awsAuthConfig: { clusterName: 'prod-euw1', roleARN: roleArn },
      tlsClientConfig: { insecure: false, caData: Buffer.from('plan CA of prod-euw1').toString('base64') },
    });
    // Argo CD's role may use the remote clusters (and assume itself for awsAuthConfig), nothing else.
    for (const c of ['prod-euw1', 'prod-apse1']) {
      expect(one(runs.production, 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation', `${c}-access-argocd`).inputs.principalArn).toBe(roleArn);
    }
    const trust = JSON.parse(one(runs.production, 'aws:iam/role:Role', 'prod-use1-argocd').inputs.assumeRolePolicy as string);
    expect(trust.Statement.map((s: { Condition?: { StringEquals: Record<string, string> }; Principal: Record<string, string> }) =>
      s.Condition ? Object.values(s.Condition.StringEquals)[0] : s.Principal.AWS)).toEqual([
      // The role assumes itself by the ARN built from the environment's account (the mock's stand-in ARNs carry another).
      'system:serviceaccount:argocd:argocd-application-controller', 'system:serviceaccount:argocd:argocd-server',
      `arn:aws:iam::${production.awsAccountId}:role/fleetcraft-production-prod-use1-argocd`,
    ]);
  });

  test('the root Application waits for the chart (its CRDs) and the cluster registrations; the chart for the nodes', () => {
    expect(one(runs.production, 'fleetcraft:cloud:ArgoCdBootstrap', 'prod-use1-argocd').parent).toBe('prod-use1');
    expect(one(runs.production, 'kubernetes:yaml/v2:ConfigGroup', 'prod-use1-argocd-root').dependsOn)
      .toEqual(['kubernetes:helm.sh/v4:Chart::prod-use1-argocd-chart', 'kubernetes:yaml/v2:ConfigGroup::prod-use1-argocd-clusters']);
    expect(one(runs.production, 'kubernetes:core/v1:Namespace', 'prod-use1-argocd-namespace').dependsOn)
      .toEqual(expect.arrayContaining(['aws:eks/nodeGroup:NodeGroup::prod-use1-system', 'aws:eks/addon:Addon::prod-use1-coredns']));
    expect(rootApplicationFile(production)).toBe(`application-argocd-${production.name}-root.yaml`);
  });

  test.each(envs)('%s: what holds data is protected and kept on replace; clusters are protected; nothing else is', (name) => {
    const run = runs[name];
    const flagged = run.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => [r.type, r.protect, r.retainOnDelete]);
    const kinds = [...new Set(flagged.map((f) => JSON.stringify(f)))].map((f) => JSON.parse(f)).sort();
    expect(kinds).toEqual([
      ['aws:eks/cluster:Cluster', true, false],
      ['aws:kms/key:Key', true, true],
      ['aws:s3/bucket:Bucket', true, true],
    ]);
    // Every bucket and KMS key, and every cluster, carries them.
    for (const type of ['aws:kms/key:Key', 'aws:s3/bucket:Bucket', 'aws:eks/cluster:Cluster']) {
      expect(ofType(run, type).every((r) => r.protect)).toBe(true);
    }
    expect(ofType(run, 'aws:kms/key:Key').length).toBeGreaterThanOrEqual(4);
  });

  test('zones come from getAvailabilityZones for the account, never <region>a/b/c', () => {
    const zonesOf = (cluster: string) => ofType(runs.production, 'aws:ec2/subnet:Subnet')
      .filter((x) => x.name.startsWith(`${cluster}-private-`)).map((x) => x.inputs.availabilityZone);
    // The mock account has no us-east-1c (zone access differs per account).
    expect(zonesOf('prod-use1')).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1d']);
    expect(zonesOf('prod-euw1')).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  test('each add-on at the version getAddonVersion answers for the cluster\'s Kubernetes minor', () => {
    const versions = Object.fromEntries(ofType(runs.production, 'aws:eks/addon:Addon').filter((a) => a.region === 'eu-west-1')
      .map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
    expect(versions).toEqual({
      'vpc-cni': 'v1.20.4-eksbuild.1', 'kube-proxy': 'v1.36.0-eksbuild.2', 'coredns': 'v1.12.4-eksbuild.1',
      'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1', 'snapshot-controller': 'v8.3.0-eksbuild.1',
    });
  });

  test('bucket names take the environment\'s prefix, in the cloud and in the GitOps output alike', async () => {
    const qa: EnvironmentSpec = { ...production, name: 'qa', bucketPrefix: 'acme-fleet' };
    const run = await runProgram('qa', { values: PLAN_EXAMPLE_CONFIG }, [qa]);
    expect(ofType(run, 'aws:s3/bucket:Bucket').map((b) => b.inputs.bucket)).toEqual(expect.arrayContaining([
      'acme-fleet-qa-prod-use1-velero', 'acme-fleet-qa-prod-use1-velero-replica', 'acme-fleet-qa-prod-apse1-velero',
    ]));
    expect(ofType(run, 'aws:s3/bucket:Bucket').every((b) => String(b.inputs.bucket).startsWith('acme-fleet-qa-'))).toBe(true);
    const locations = renderEnvironment(qa).objects.filter((o) => o.object.kind === 'BackupStorageLocation');
    expect(locations.length).toBeGreaterThan(0);
    for (const l of locations) expect((l.object.spec as { objectStorage: { bucket: string } }).objectStorage.bucket).toMatch(/^acme-fleet-qa-/);
  });

  test('node groups must hold every autoscaler\'s maximum times its pod requests', async () => {
    const small: EnvironmentSpec = { ...production, name: 'qa', nodeGroups: production.nodeGroups.map((g) => (g.name === 'general' ? { ...g, maxSize: 4, desiredSize: 3 } : g)) };
    // prod-use1 takes 3/6 of the 300-pod maximum: 150 pods of 500m/1Gi; 4 m7i.2xlarge hold 4 × 13 beside the 1 CPU network agent.
    await expect(runProgram('qa', { values: PLAN_EXAMPLE_CONFIG }, [small])).rejects.toThrow(
      'environment qa: cluster prod-use1: node groups general (at most 4 × m7i.2xlarge/m6i.2xlarge) hold at most 52 pod(s) of Deployment api/api (requests 500m CPU, 1024Mi memory), but its autoscaler may run 150; raise maxSize or use larger instance types');
  });

  test.each(envs)('%s: least privilege: KMS grants only for AWS resources, snapshot deletion only by Velero\'s tag, tags only on create', (name) => {
    const statements = [
      ...ofType(runs[name], 'aws:iam/rolePolicy:RolePolicy').map((p) => JSON.parse(p.inputs.policy as string) as PolicyDocument),
    ].flatMap((d) => d.Statement);
    const withAction = (action: string) => statements.filter((st) => st.Effect === 'Allow' && ([] as string[]).concat(st.Action as string | string[]).includes(action));
    expect(withAction('kms:CreateGrant').length).toBeGreaterThan(0);
    for (const st of withAction('kms:CreateGrant')) expect(st.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    expect(withAction('ec2:DeleteSnapshot').length).toBeGreaterThan(0);
    for (const st of withAction('ec2:DeleteSnapshot')) {
      expect(st).toEqual({ Sid: 'DeleteOwnSnapshots', Effect: 'Allow', Action: ['ec2:DeleteSnapshot'], Resource: '*', Condition: { StringLike: { 'ec2:ResourceTag/velero.io/backup': '*' } } });
    }
    // Velero tags only what it creates; the load balancer controller only its own security groups, on create or while
    // they carry its cluster's tag (which it may not change).
    const clusterTag = { StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': expect.any(String) }, Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true' } };
    const tagging: Record<string, unknown> = {
      TagOnCreate: { StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateVolume'] } },
      TagSecurityGroupsOnCreate: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', 'aws:RequestTag/elbv2.k8s.aws/cluster': expect.any(String) } },
      TagOwnSecurityGroups: clusterTag,
    };
    expect([...new Set(withAction('ec2:CreateTags').map((st) => st.Sid))].sort()).toEqual(Object.keys(tagging).sort());
    for (const st of withAction('ec2:CreateTags')) expect(st.Condition).toEqual(tagging[st.Sid as string]);
    // Velero's whole policy, statement by statement: a widened statement fails here.
    const velero = JSON.parse(ofType(runs[name], 'aws:iam/rolePolicy:RolePolicy').find((p) => p.name.endsWith('-storage-velero-policy'))?.inputs.policy as string) as PolicyDocument;
    expect(velero.Statement.map((st) => [st.Sid, st.Action, typeof st.Resource === 'string' && st.Resource !== '*' ? 'scoped' : st.Resource, st.Condition ? 'conditioned' : '-'])).toEqual([
      ['DescribeVolumes', ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'], '*', '-'],
      ['CreateSnapshotsAndVolumes', ['ec2:CreateSnapshot', 'ec2:CreateVolume'], '*', '-'],
      ['TagOnCreate', ['ec2:CreateTags'], '*', 'conditioned'],
      ['DeleteOwnSnapshots', ['ec2:DeleteSnapshot'], '*', 'conditioned'],
      ['Objects', ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], 'scoped', '-'],
      ['Bucket', ['s3:ListBucket'], 'scoped', '-'],
      ['Keys', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'], expect.any(Array), '-'],
      ['GrantsForEbs', ['kms:CreateGrant'], expect.any(Array), 'conditioned'],
    ]);
  });

  test.each(envs)('%s: the VPC CNI\'s policy is on its own IRSA role, not on the node role', (name, env) => {
    for (const r of env.regions) {
      const attachments = ofType(runs[name], 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter((a) => a.region === r.name);
      const cni = attachments.filter((a) => a.inputs.policyArn === 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy');
      expect(cni.map((a) => a.inputs.role)).toEqual([roleName(env.name, r.clusterName, CloudRolePurpose.VPC_CNI)]);
      expect(attachments.filter((a) => a.inputs.role === roleName(env.name, r.clusterName, CloudRolePurpose.NODE)).map((a) => a.inputs.policyArn).sort())
        .toEqual(['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly', 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy']);
      const trust = JSON.parse(one(runs[name], 'aws:iam/role:Role', `${r.clusterName}-vpc-cni`).inputs.assumeRolePolicy as string);
      expect(Object.values(trust.Statement[0].Condition.StringEquals)).toContain('system:serviceaccount:kube-system:aws-node');
      expect(one(runs[name], 'aws:eks/addon:Addon', `${r.clusterName}-vpc-cni`).inputs.serviceAccountRoleArn)
        .toBe(`arn:aws:iam::${ACCOUNT}:role/${roleName(env.name, r.clusterName, CloudRolePurpose.VPC_CNI)}`);
    }
  });

  test('ordering: replication waits for both buckets\' versioning; the bucket policy for the public-access block; lifecycle for versioning', () => {
    for (const r of production.regions) {
      const storage = `${r.clusterName}-storage-velero`;
      expect(one(runs.production, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig', `${r.clusterName}-storage-replication`).dependsOn)
        .toEqual([`aws:s3/bucketVersioning:BucketVersioning::${storage}-versioning`, `aws:s3/bucketVersioning:BucketVersioning::${storage}-replica-versioning`]);
      expect(one(runs.production, 'aws:s3/bucketPolicy:BucketPolicy', `${storage}-tls-only`).dependsOn)
        .toEqual([`aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::${storage}-public-access`]);
      expect(one(runs.production, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', `${storage}-lifecycle`).dependsOn)
        .toEqual([`aws:s3/bucketVersioning:BucketVersioning::${storage}-versioning`]);
    }
  });

  test('an unknown stack fails with the valid names, before any resource', async () => {
    await expect(runProgram('qa')).rejects.toThrow('Pulumi stack "qa" has no environment; valid stack names: dev, staging, production (one per file in environments/); run `pulumi stack select <name>`');
  });

  test.each(envs)('%s: every cloud and Kubernetes resource uses an explicit provider', (name) => {
    const custom = runs[name].resources.filter((r) => r.type.startsWith('aws:') || r.type.startsWith('kubernetes:'));
    expect(custom.filter((r) => !r.provider).map((r) => r.name)).toEqual([]);
  });

  test.each(envs)('%s: the names the manifests use match the cloud resources', (name, env) => {
    const run = runs[name];
    const rendered = renderEnvironment(env).objects;
    for (const r of env.regions) {
      // The Velero bucket is named from the shared function; every BackupStorageLocation names a bucket the stack
      // creates, in that bucket's region.
      const bucket = one(run, 'aws:s3/bucket:Bucket', `${r.clusterName}-storage-velero`).inputs.bucket;
      expect(bucket).toBe(veleroBucketName(env.name, r.clusterName));
      const bucketRegions = new Map(ofType(run, 'aws:s3/bucket:Bucket').map((b) => [b.inputs.bucket, b.region]));
      for (const bsl of rendered.filter((o) => o.cluster === r.clusterName && o.object.kind === 'BackupStorageLocation')) {
        const spec = bsl.object.spec as { objectStorage: { bucket: string }; config?: { region?: string } };
        expect(bucketRegions.has(spec.objectStorage.bucket)).toBe(true);
        if (spec.config?.region) expect(spec.config.region).toBe(bucketRegions.get(spec.objectStorage.bucket));
      }
      // Service-account role annotations resolve to the roles created, which trust exactly those service accounts.
      const roles = ofType(run, 'aws:iam/role:Role').filter((x) => x.region === r.name && (x.inputs.name as string).includes(`-${r.clusterName}-`));
      const arns = new Map(roles.map((x) => [`arn:aws:iam::${ACCOUNT}:role/${x.inputs.name}`, x]));
      for (const [purpose, sa] of [[CloudRolePurpose.VELERO, SERVICE_ACCOUNTS.velero], [CloudRolePurpose.EXTERNAL_SECRETS, SERVICE_ACCOUNTS.externalSecrets],
        [CloudRolePurpose.CLUSTER_AUTOSCALER, SERVICE_ACCOUNTS.clusterAutoscaler], [CloudRolePurpose.EBS_CSI, SERVICE_ACCOUNTS.ebsCsi],
        [CloudRolePurpose.LOAD_BALANCER_CONTROLLER, SERVICE_ACCOUNTS.loadBalancerController]] as const) {
        const annotation = serviceAccountRoleAnnotations(ACCOUNT, env.name, r.clusterName, purpose)[IRSA_ROLE_ARN_ANNOTATION];
        const role = arns.get(annotation);
        expect(role?.inputs.name).toBe(roleName(env.name, r.clusterName, purpose));
        const trust = JSON.parse(role?.inputs.assumeRolePolicy as string).Statement[0].Condition.StringEquals;
        expect(Object.values(trust)).toContain(`system:serviceaccount:${sa.namespace}:${sa.name}`);
      }
      for (const o of rendered.filter((x) => x.cluster === r.clusterName)) {
        const annotation = o.object.metadata?.annotations?.[IRSA_ROLE_ARN_ANNOTATION];
        if (annotation) expect(roles.map((x) => x.inputs.name)).toContain(annotation.split('/').pop());
      }
      // The ClusterSecretStore (deployed by the program or carried by the manifests) reads the cluster's region.
      const stores = [
        ...ofType(run, 'kubernetes:yaml/v2:ConfigGroup').filter((g) => g.region === r.name).flatMap((g) => g.inputs.objs as KubeObject[]),
        ...rendered.filter((x) => x.cluster === r.clusterName).map((x) => x.object),
      ].filter((o) => o.kind === 'ClusterSecretStore' && o.metadata?.name === KUBERNETES_NAMES.clusterSecretStore);
      expect(stores).toHaveLength(1);
      expect((stores[0].spec as { provider: { aws: { region: string } } }).provider.aws.region).toBe(r.name);
      // Nodes register with the network agent's startup taint; the consensus group keeps its own.
      for (const g of ofType(run, 'aws:eks/nodeGroup:NodeGroup').filter((x) => x.region === r.name)) {
        expect((g.inputs.taints as Array<{ key: string }>)[0].key).toBe(NETWORK_NOT_READY_TAINT.key);
      }
      expect(one(run, 'aws:eks/nodeGroup:NodeGroup', `${r.clusterName}-consensus`).inputs.taints).toContainEqual({ key: 'fleetcraft.io/consensus', value: 'true', effect: 'NO_SCHEDULE' });
    }
  });

  test.each(envs)('%s: Velero may write exactly the cross-region copies its BackupStorageLocations name', (name, env) => {
    const rendered = renderEnvironment(env).objects;
    const foreign = rendered.filter((o) => o.object.kind === 'BackupStorageLocation'
      && (o.object.spec as { objectStorage: { bucket: string } }).objectStorage.bucket !== veleroBucketName(env.name, o.cluster ?? ''));
    const grants = ofType(runs[name], 'aws:iam/rolePolicy:RolePolicy').filter((p) => p.name.includes('-velero-copy-'));
    expect(grants.map((g) => g.name).sort()).toEqual(foreign.map((o) =>
      `${o.cluster}-storage-velero-copy-${(o.object.spec as { objectStorage: { bucket: string } }).objectStorage.bucket}`).sort());
    for (const o of foreign) {
      const { bucket, prefix } = (o.object.spec as { objectStorage: { bucket: string; prefix?: string } }).objectStorage;
      const grant = one(runs[name], 'aws:iam/rolePolicy:RolePolicy', `${o.cluster}-storage-velero-copy-${bucket}`);
      expect(JSON.parse(grant.inputs.policy as string).Statement[0].Resource).toBe(`arn:aws:s3:::${bucket}/${prefix ? `${prefix.replace(/\/+$/, '')}/` : ''}*`);
    }
  });

  test('production is protected against deletion and has a NAT gateway per zone; dev has one', () => {
    expect(ofType(runs.production, 'aws:eks/cluster:Cluster').map((c) => c.inputs.deletionProtection)).toEqual([true, true, true]);
    expect(ofType(runs.production, 'aws:ec2/natGateway:NatGateway')).toHaveLength(9);
    expect(ofType(runs.dev, 'aws:eks/cluster:Cluster').map((c) => c.inputs.deletionProtection)).toEqual([false]);
    expect(ofType(runs.dev, 'aws:ec2/natGateway:NatGateway')).toHaveLength(1);
  });

  test('consensus snapshots: in production each cluster gets its bucket and an IRSA role for the snapshot CronJob, named as synth names them', () => {
    const clusters = runs.production.outputs.clusters as Record<string, Record<string, unknown>>;
    for (const r of production.regions) {
      const objects = synthObjects(production, r.clusterName);
      const cronJob = objects.find((o) => o.kind === 'CronJob' && o.metadata?.name === 'raft-snapshot') as KubeObject;
      const upload = (cronJob.spec as { jobTemplate: { spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value: string }> }> } } } } })
        .jobTemplate.spec.template.spec.containers[0];
      const env = Object.fromEntries(upload.env.map((e) => [e.name, e.value]));
      const bucket = one(runs.production, 'aws:s3/bucket:Bucket', `${r.clusterName}-consensus-snapshots`);
      expect(bucket.inputs.bucket).toBe(env.SNAPSHOT_BUCKET);
      expect(bucket.region).toBe(r.name);
      const lifecycle = one(runs.production, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', `${r.clusterName}-consensus-snapshots-lifecycle`);
      expect(lifecycle.inputs.rules).toContainEqual(expect.objectContaining({ id: 'expire-current-versions', expiration: { days: 14 } }));
      const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata?.name === SERVICE_ACCOUNTS.consensusSnapshots.name) as KubeObject;
      const role = one(runs.production, 'aws:iam/role:Role', `${r.clusterName}-consensus-snapshots-role`);
      expect(role.inputs.name).toBe(roleName('production', r.clusterName, CloudRolePurpose.CONSENSUS_SNAPSHOTS));
      expect(account.metadata?.annotations?.[IRSA_ROLE_ARN_ANNOTATION]).toBe(`arn:aws:iam::${ACCOUNT}:role/${role.inputs.name}`);
      expect(clusters[r.clusterName].consensusSnapshotRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/${role.inputs.name}`);
      expect(clusters[r.clusterName].consensusSnapshotBucket).toBe(env.SNAPSHOT_BUCKET);
      const trust = JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Condition.StringEquals;
      expect(Object.values(trust)).toContain(`system:serviceaccount:${account.metadata?.namespace}:${account.metadata?.name}`);
      // Least privilege: put/get under the CronJob's prefix, list that prefix only, and the bucket key's data keys.
      const policy = JSON.parse(one(runs.production, 'aws:iam/rolePolicy:RolePolicy', `${r.clusterName}-consensus-snapshots-role-policy`).inputs.policy as string);
      const bucketArn = `arn:aws:s3:::${env.SNAPSHOT_BUCKET}`;
      expect(policy.Statement.map((st: { Action: string[]; Resource: string }) => [st.Action, st.Resource])).toEqual([
        [['s3:PutObject', 's3:GetObject'], `${bucketArn}/consensus/raft/*`],
        [['s3:ListBucket'], bucketArn],
        [['kms:GenerateDataKey', 'kms:Decrypt'], expect.stringMatching(/^arn:aws:kms:/)],
      ]);
      expect(policy.Statement[1].Condition).toEqual({ StringLike: { 's3:prefix': ['consensus/raft', 'consensus/raft/*'] } });
      expect(env.SNAPSHOT_PREFIX).toBe('consensus/raft/');
      // Replicated to the next region, like the Velero bucket: a lost region keeps its snapshots.
      const next = production.regions[(production.regions.indexOf(r) + 1) % production.regions.length];
      const replica = one(runs.production, 'aws:s3/bucket:Bucket', `${r.clusterName}-consensus-snapshots-replica`);
      expect(replica.inputs.bucket).toBe(`${env.SNAPSHOT_BUCKET}-replica`);
      expect(replica.region).toBe(next.name);
      expect(clusters[r.clusterName].consensusSnapshotReplicaBucket).toBe(`${env.SNAPSHOT_BUCKET}-replica`);
    }
    for (const name of ['staging', 'dev']) {
      expect(ofType(runs[name], 'aws:s3/bucket:Bucket').filter((b) => String(b.inputs.bucket).endsWith('-consensus-snapshots'))).toEqual([]);
    }
  });

  test('stack outputs: per cluster its region, bucket and roles', () => {
    const clusters = runs.production.outputs.clusters as Record<string, Record<string, unknown>>;
    expect(Object.keys(clusters)).toEqual(['prod-use1', 'prod-euw1', 'prod-apse1']);
    expect(clusters['prod-euw1']).toMatchObject({
      region: 'eu-west-1',
      veleroBucket: 'fleetcraft-production-prod-euw1-velero',
      veleroReplicaBucket: 'fleetcraft-production-prod-euw1-velero-replica',
      veleroRoleArn: `arn:aws:iam::${ACCOUNT}:role/fleetcraft-production-prod-euw1-velero`,
      externalSecretsRoleArn: `arn:aws:iam::${ACCOUNT}:role/fleetcraft-production-prod-euw1-external-secrets`,
      clusterAutoscalerRoleArn: `arn:aws:iam::${ACCOUNT}:role/fleetcraft-production-prod-euw1-cluster-autoscaler`,
      loadBalancerControllerRoleArn: `arn:aws:iam::${ACCOUNT}:role/fleetcraft-production-prod-euw1-lb-controller`,
    });
    expect(runs.production.outputs.environment).toBe('production');
  });

  test.each(envs)('%s: each cluster\'s API host has an ACM certificate in its region, validated in the environment\'s zone, for the host its Ingress serves', (name, env) => {
    const clusters = runs[name].outputs.clusters as Record<string, Record<string, unknown>>;
    for (const r of env.regions) {
      const ingress = synthObjects(env, r.clusterName).find((o) => o.kind === 'Ingress' && o.metadata?.name === 'api');
      const host = (ingress?.spec as { rules: Array<{ host: string }> }).rules[0].host;
      const cert = one(runs[name], 'aws:acm/certificate:Certificate', `${r.clusterName}-api-certificate`);
      expect(cert.inputs).toMatchObject({ domainName: host, validationMethod: 'DNS' });
      expect(cert.region).toBe(r.name);
      expect(one(runs[name], 'aws:route53/record:Record', `${r.clusterName}-api-certificate-validation-record`).inputs.zoneId).toMatch(/^Z/);
      expect(one(runs[name], 'aws:acm/certificateValidation:CertificateValidation', `${r.clusterName}-api-certificate-validation`)).toBeDefined();
      expect(clusters[r.clusterName].apiCertificateArn).toBe(`arn:aws:acm:${r.name}:${env.awsAccountId}:certificate/${r.clusterName}-api-certificate`);
      // HTTPS only, no Secret assumed: the load balancer finds the certificate by the host.
      expect(ingress?.metadata?.annotations?.['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTPS":443}]');
      expect((ingress?.spec as { tls?: unknown }).tls).toBeUndefined();
    }
  });

  test.each(envs)('%s: every AWS provider accepts only the environment\'s account', (name, env) => {
    const providers = ofType(runs[name], 'pulumi:providers:aws');
    expect(providers.map((p) => p.inputs.region)).toEqual(env.regions.map((r) => r.name));
    for (const p of providers) expect(p.inputs.allowedAccountIds).toEqual(JSON.stringify([env.awsAccountId]));
  });

  test('aws:allowedAccountIds, when set, must include the environment\'s account', async () => {
    const withIds = (ids: unknown) => runProgram('dev', { values: { ...PLAN_EXAMPLE_CONFIG, 'aws:allowedAccountIds': ids } });
    const run = await withIds([dev.awsAccountId, '444455556666']);
    expect(one(run, 'pulumi:providers:aws', 'aws-us-east-1').inputs.allowedAccountIds).toEqual(JSON.stringify([dev.awsAccountId]));
    await expect(withIds(['444455556666'])).rejects.toThrow(
      `stack dev: aws:allowedAccountIds (["444455556666"]) does not include ${dev.awsAccountId}, the awsAccountId of environment dev, whose IAM role ARNs ` +
      'the GitOps output names; the AWS providers accept only that account. Remove the key (`pulumi config rm aws:allowedAccountIds`) or list ' +
      `${dev.awsAccountId} in it, or correct awsAccountId in the environment data if the environment moved to another account`);
    await expect(withIds(dev.awsAccountId)).rejects.toThrow(
      `stack dev: aws:allowedAccountIds (${dev.awsAccountId}) must be a list of account ids; set it with \`pulumi config set --path 'aws:allowedAccountIds[0]' ${dev.awsAccountId}\``);
  });

  test('stack config: a public endpoint for given ranges, an AWS profile for every provider and kubeconfig', async () => {
    const run = await runProgram('dev', { values: { ...PLAN_EXAMPLE_CONFIG, 'fleetcraft:publicAccessCidrs': ['198.51.100.0/24'], 'aws:profile': 'dev-admin' } });
    expect(one(run, 'aws:eks/cluster:Cluster', 'dev-use1-eks').inputs.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['198.51.100.0/24'] });
    expect(one(run, 'pulumi:providers:aws', 'aws-us-east-1').inputs.profile).toBe('dev-admin');
    const kubeconfig = JSON.parse((run.outputs.clusters as Record<string, { kubeconfig: string }>)['dev-use1'].kubeconfig);
    expect(kubeconfig.users[0].user.exec.env).toEqual([{ name: 'AWS_PROFILE', value: 'dev-admin' }]);
  });

  test.each(envs)('%s: each cluster gets its environment\'s VPC CIDR, a public endpoint limited to the configured ranges plus private access', (name, env) => {
    // Argo CD runs in the primary cluster and reaches the others' endpoints from the primary's NAT gateways.
    const primaryNat = ofType(runs[name], 'aws:ec2/eip:Eip').filter((e) => e.parent === primaryOf(env)).map((e) => e.name);
    const natCidrs = ofType(runs[name], 'aws:ec2/natGateway:NatGateway').filter((n) => n.parent === primaryOf(env)).map((n) => n.inputs.allocationId);
    expect(natCidrs).toEqual(primaryNat.map((e) => `${e}-id`));
    for (const r of env.regions) {
      expect(one(runs[name], 'aws:ec2/vpc:Vpc', `${r.clusterName}-vpc`).inputs.cidrBlock).toBe(r.vpcCidr);
      const vpcConfig = one(runs[name], 'aws:eks/cluster:Cluster', `${r.clusterName}-eks`).inputs.vpcConfig as { publicAccessCidrs: string[] };
      expect(vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true });
      expect(vpcConfig.publicAccessCidrs[0]).toBe('203.0.113.0/24');
      expect(vpcConfig.publicAccessCidrs.slice(1)).toHaveLength(r.clusterName === primaryOf(env) ? 0 : primaryNat.length);
      for (const c of vpcConfig.publicAccessCidrs.slice(1)) expect(c).toMatch(/^198\.51\.100\.\d+\/32$/);
    }
    expect(new Set(ofType(runs.production, 'aws:ec2/vpc:Vpc').map((v) => v.inputs.cidrBlock)).size).toBe(3);
  });

  test('private-only endpoints on request, without ranges', async () => {
    const run = await runProgram('dev', { values: { ...PLAN_EXAMPLE_CONFIG, 'fleetcraft:endpointPublicAccess': false, 'fleetcraft:publicAccessCidrs': [] } });
    expect(one(run, 'aws:eks/cluster:Cluster', 'dev-use1-eks').inputs.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
  });

  test('a public endpoint without ranges fails with the fix', async () => {
    await expect(runProgram('dev', { values: { ...PLAN_EXAMPLE_CONFIG, 'fleetcraft:publicAccessCidrs': [] } }))
      .rejects.toThrow('stack dev: fleetcraft:publicAccessCidrs is not set; the clusters\' API endpoints are public but limited to these ranges');
  });

  test('0.0.0.0/0: refused in production unless allowed on purpose, accepted in dev', async () => {
    const open = { ...PLAN_EXAMPLE_CONFIG, 'fleetcraft:publicAccessCidrs': ['0.0.0.0/0'] };
    await expect(runProgram('production', { values: open })).rejects.toThrow('EksCluster \'prod-use1\': publicAccessCidrs (["0.0.0.0/0"]) admits any address (0.0.0.0/0)');
    const allowed = await runProgram('production', { values: { ...open, 'fleetcraft:allowPublicAccessFromAnywhere': true } });
    expect(ofType(allowed, 'aws:eks/cluster:Cluster').map((c) => (c.inputs.vpcConfig as { publicAccessCidrs: string[] }).publicAccessCidrs[0])).toEqual(['0.0.0.0/0', '0.0.0.0/0', '0.0.0.0/0']);
    await expect(runProgram('dev', { values: open })).resolves.toBeDefined();
  });

  test('a region without a VPC CIDR fails with the fix', async () => {
    const qa: EnvironmentSpec = { ...dev, name: 'qa', regions: [{ ...dev.regions[0], vpcCidr: undefined }] };
    await expect(runProgram('qa', { values: PLAN_EXAMPLE_CONFIG }, [qa])).rejects.toThrow('environment qa: region us-east-1 (cluster dev-use1) has no vpcCidr');
  });

  test.each(envs)('%s: every cluster gives the configured administrators and CI cluster-admin access entries', (name, env) => {
    for (const r of env.regions) {
      const associations = ofType(runs[name], 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation').filter((a) => a.region === r.name);
      expect(associations.map((a) => [a.name, a.inputs.principalArn, a.inputs.policyArn])).toEqual([
        [`${r.clusterName}-access-admin-0`, PLAN_EXAMPLE_CONFIG['fleetcraft:adminPrincipals'][0], 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy'],
        [`${r.clusterName}-access-ci-0`, PLAN_EXAMPLE_CONFIG['fleetcraft:ciPrincipals'][0], 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy'],
        ...(r.clusterName === primaryOf(env) ? [] : [[`${r.clusterName}-access-argocd`, `arn:aws:iam::${ACCOUNT}:role/${roleName(env.name, primaryOf(env), CloudRolePurpose.ARGOCD)}`,
          'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']]),
      ]);
      expect(ofType(runs[name], 'aws:eks/accessEntry:AccessEntry').filter((a) => a.region === r.name)).toHaveLength(r.clusterName === primaryOf(env) ? 2 : 3);
    }
  });

  describe('add-on roles: each add-on\'s service account, as synth writes it, is the one its Pulumi role trusts', () => {
    type HelmApplicationSpec = { source: { helm: { valuesObject: Record<string, unknown> } }; destination: { name: string; namespace: string } };
    let rendered: ReturnType<typeof renderEnvironment>['objects'];
    beforeAll(() => { rendered = renderEnvironment(production).objects; });
    const application = (cluster: string, name: string): HelmApplicationSpec => {
      const found = rendered.filter((o) => o.cluster === cluster && o.object.kind === 'Application' && o.object.metadata?.name === name);
      if (found.length !== 1) throw new Error(`expected one Application ${name} in ${cluster}, found ${found.length}`);
      return found[0].object.spec as HelmApplicationSpec;
    };

    test('every add-on with a cloud role is known here, and production runs each', () => {
      expect(ADDONS_WITH_ROLES.filter((a) => CHART_SERVICE_ACCOUNTS[a] === undefined)).toEqual([]);
      expect(ADDONS_WITH_ROLES.filter((a) => !production.addons.enabled.includes(a))).toEqual([]);
      expect(ADDONS_WITH_ROLES).toEqual(expect.arrayContaining([AddonName.VELERO, AddonName.AWS_LOAD_BALANCER_CONTROLLER]));
    });

    test.each(production.regions.flatMap((r) => ADDONS_WITH_ROLES.map((a) => [r.clusterName, a] as const)))('%s: %s', (cluster, addon) => {
      const run = runs.production;
      const spec = application(cluster, `${cluster}-${addon}`);
      expect(spec.destination.name).toBe(cluster);
      const serviceAccount = CHART_SERVICE_ACCOUNTS[addon]?.(spec.source.helm.valuesObject);
      expect(serviceAccount?.create).toBe(true);
      // The annotation names a role of the environment's account, by name.
      const arn = serviceAccount?.annotations?.[IRSA_ROLE_ARN_ANNOTATION] ?? '';
      const nameInArn = /:role\/([^/]+)$/.exec(arn)?.[1] ?? '';
      expect(arn).toBe(`arn:aws:iam::${production.awsAccountId}:role/${nameInArn}`);
      expect(nameInArn).toBe(roleName(production.name, cluster, ADDONS[addon].cloudRole?.purpose as CloudRolePurpose));
      // Pulumi registers exactly one role of that name, trusting exactly that service account of that cluster's OIDC issuer.
      const roles = ofType(run, 'aws:iam/role:Role').filter((r) => r.inputs.name === nameInArn);
      expect(roles.map((r) => r.region)).toEqual([production.regions.find((r) => r.clusterName === cluster)?.name]);
      const oidc = one(run, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider', `${cluster}-oidc`);
      const issuer = String(oidc.inputs.url).replace(/^https:\/\//, '');
      const oidcArn = (run.outputs.clusters as Record<string, { oidcProviderArn: string }>)[cluster].oidcProviderArn;
      expect(JSON.parse(roles[0].inputs.assumeRolePolicy as string)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Federated: oidcArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${spec.destination.namespace}:${serviceAccount?.name}`,
            [`${issuer}:aud`]: 'sts.amazonaws.com',
          } },
        }],
      });
      // And it has permissions: an inline policy (least privilege) or a managed policy attached.
      const inline = ofType(run, 'aws:iam/rolePolicy:RolePolicy').filter((p) => p.inputs.role === nameInArn);
      const attached = ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter((p) => p.inputs.role === nameInArn);
      expect(inline.length + attached.length).toBeGreaterThan(0);
      for (const p of inline) expect(wildcardGrants(JSON.parse(p.inputs.policy as string) as PolicyDocument)).toEqual([]);
    });

    test.each(production.regions.map((r) => r.clusterName))('%s: the load balancer controller manages only load balancers tagged with its cluster\'s name', (cluster) => {
      const policy = JSON.parse(one(runs.production, 'aws:iam/rolePolicy:RolePolicy', `${cluster}-lb-controller-policy`).inputs.policy as string) as PolicyDocument;
      const values = application(cluster, `${cluster}-${AddonName.AWS_LOAD_BALANCER_CONTROLLER}`).source.helm.valuesObject as { clusterName: string };
      // The controller tags what it creates with its chart's clusterName; the policy's conditions name the same value.
      expect(values.clusterName).toBe(cluster);
      const tagValues = policy.Statement.flatMap((st) => Object.values(st.Condition ?? {}).flatMap((byKey) =>
        Object.entries(byKey).filter(([k]) => k.endsWith('/elbv2.k8s.aws/cluster') && k.startsWith('aws:') && byKey[k] !== 'true').map(([, v]) => v)));
      expect(tagValues.length).toBeGreaterThanOrEqual(6);
      expect(new Set(tagValues)).toEqual(new Set([values.clusterName]));
    });
  });

  test('an environment with no principal besides the creator is refused', async () => {
    await expect(runProgram('dev', { values: { 'fleetcraft:publicAccessCidrs': ['203.0.113.0/24'] } }))
      .rejects.toThrow('EksCluster \'dev-use1\': access ([]) lists no principal besides the cluster creator');
  });
});
