import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { EksClusterArgs } from '../../lib/cloud/cluster';
import { ManifestGroup } from '../../lib/cloud/manifests';
import { RegionalPlatform, RegionalPlatformArgs } from '../../lib/cloud/platform';
import { clusterSecretStoreObject } from '../../lib/cloud/secrets';
import { storageClassObjects, volumeSnapshotClassObject } from '../../lib/cloud/storage';
import { KubeObject } from '../../lib/policy/objects';
import { isSecretEnvelope, PlannedResource, ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';
import { recordDependsOn } from './mocks';

const NAME = 'staging-euw1';
const PLAINTEXT = 'hunter2-plaintext';
const CONFIG_PLAINTEXT = 's3cret-from-config';

const CLUSTER: EksClusterArgs = {
  environment: 'staging',
  region: 'eu-west-1',
  clusterName: 'staging-euw1',
  kubernetesVersion: '1.36',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  access: [{ name: 'admin', principalArn: 'arn:aws:iam::123456789012:role/platform-admin', policy: 'AmazonEKSClusterAdminPolicy' }],
  nodeGroups: [{ name: 'system', instanceTypes: ['m7i.large'], minSize: 2, maxSize: 3, desiredSize: 2 }],
};

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cm = (name: string, namespace: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { a: 'b' } });
const MANIFESTS: ManifestGroup[] = [
  { component: 'baseline', objects: [ns('api')] },
  { component: 'api', objects: [cm('settings', 'api')] },
];

const GROUP = 'kubernetes:yaml/v2:ConfigGroup';
const PLATFORM = 'fleetcraft:cloud:RegionalPlatform';

/** A mock run, plus what the mock monitor cannot see: dependsOn, and every `registerOutputs` call, by `type::name`. */
interface Run extends ProgramRun {
  readonly dependsOn: ReadonlyMap<string, string[]>;
  /** `type::name` of each component whose first registerOutputs call carried outputs, in call order. */
  readonly registeredOutputs: readonly string[];
  /** The platform built by the run. */
  readonly platform: RegionalPlatform;
}

/** Runs a RegionalPlatform under the mocks of stacks/plan.ts (the way `stacks/pulumi.ts` builds one per region). */
async function build(overrides: (p: { east: aws.Provider }) => Partial<RegionalPlatformArgs> = () => ({})): Promise<Run> {
  const dependsOn = new Map<string, string[]>();
  const keys = new Map<pulumi.Resource, string>();
  const registeredOutputs: string[] = [];
  const payloads: Record<string, unknown> = {};
  const proto = pulumi.ComponentResource.prototype as unknown as { registerOutputs(outputs?: unknown): void };
  const original = proto.registerOutputs;
  // The SDK also calls registerOutputs() itself, without outputs, once the constructor has returned; only the first
  // call of a component counts. Record the first call of each component, and whether it carried outputs.
  const seen = new Set<string>();
  const spy = jest.spyOn(proto, 'registerOutputs').mockImplementation(function (this: pulumi.ComponentResource, outputs?: unknown) {
    const key = keys.get(this);
    if (key !== undefined && !seen.has(key)) {
      seen.add(key);
      registeredOutputs.push(outputs === undefined ? `${key} (by the SDK, without outputs)` : key);
      if (outputs !== undefined) payloads[key] = outputs;
    }
    original.call(this, outputs);
  });
  let platform: RegionalPlatform | undefined;
  try {
    const run = await runUnderMocks('test', {}, () => {
      recordDependsOn(dependsOn, keys);
      const euw1 = new aws.Provider('aws', { region: 'eu-west-1' });
      const east = new aws.Provider('aws-use1', { region: 'us-east-1' });
      platform = new RegionalPlatform(NAME, {
        ...CLUSTER,
        accountId: '123456789012',
        manifests: MANIFESTS,
        secrets: { 'gitops-repo-token': PLAINTEXT, 'db-password': pulumi.secret(CONFIG_PLAINTEXT) },
        ...overrides({ east }),
      }, { provider: euw1 });
      const versions = platform.secrets.versions;
      return {
        // Every component's registered outputs, resolved by the stack (nothing left unresolved to hang on).
        payloads,
        ...(versions['gitops-repo-token'] ? { token: versions['gitops-repo-token'].secretString } : {}),
        ...(versions['db-password'] ? { db: versions['db-password'].secretString } : {}),
      };
    });
    return { ...run, dependsOn, registeredOutputs, platform: platform as RegionalPlatform };
  } finally {
    spy.mockRestore();
  }
}

const all = (run: ProgramRun, type: string): PlannedResource[] => run.resources.filter((r) => r.type === type);
const one = (run: ProgramRun, type: string, name: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
};
/** The `type::name` chain from a resource up to the root. */
const ancestors = (run: ProgramRun, r: PlannedResource): string[] => {
  const chain: string[] = [];
  let at: PlannedResource | undefined = r;
  while (at?.parent !== undefined) {
    chain.push(`${at.parentType}::${at.parent}`);
    const parentType: string | undefined = at.parentType;
    const parent: string = at.parent;
    at = run.resources.find((x) => x.type === parentType && x.name === parent);
  }
  return chain;
};

describe('RegionalPlatform', () => {
  describe('defaults', () => {
    let run: Run;
    beforeAll(async () => { run = await build(); });

    test('is a fleetcraft:cloud:RegionalPlatform at the root, composing cluster, storage, manifests and secrets as its children', () => {
      expect(one(run, PLATFORM, NAME).parent).toBeUndefined();
      const children = run.resources.filter((r) => r.parentType === PLATFORM).map((r) => [r.type, r.name, r.parent]);
      expect(children).toEqual([
        ['fleetcraft:cloud:EksCluster', NAME, NAME],
        ['fleetcraft:cloud:ClusterStorage', `${NAME}-storage`, NAME],
        ['fleetcraft:cloud:ClusterManifests', `${NAME}-manifests`, NAME],
        ['fleetcraft:cloud:ClusterSecrets', `${NAME}-secrets`, NAME],
      ]);
    });

    test('every resource but the AWS providers descends from the platform and is named <name> or <name>-<role>', () => {
      const own = run.resources.filter((r) => r.type !== 'pulumi:providers:aws' && r.type !== 'pulumi:pulumi:Stack');
      expect(own.length).toBeGreaterThan(50);
      for (const r of own.filter((x) => x.type !== PLATFORM)) {
        expect([r.type, r.name, ancestors(run, r).includes(`${PLATFORM}::${NAME}`)]).toEqual([r.type, r.name, true]);
      }
      for (const r of own) expect([r.type, r.name.startsWith(`${NAME}-`) || r.name === NAME]).toEqual([r.type, true]);
    });

    test('every AWS resource is on the region\'s provider, passed once to the platform', () => {
      const custom = run.resources.filter((r) => r.type.startsWith('aws:'));
      for (const r of custom) expect([r.type, r.name, r.provider, r.region]).toEqual([r.type, r.name, 'aws', 'eu-west-1']);
      expect(custom.filter((r) => r.provider === 'aws-use1')).toEqual([]);
    });

    test('one Kubernetes provider, the cluster\'s, identified by the cluster ARN; every ConfigGroup uses it', () => {
      expect(all(run, 'pulumi:providers:kubernetes').map((p) => [p.name, p.parent, p.inputs.clusterIdentifier])).toEqual([
        [`${NAME}-k8s`, NAME, 'arn:aws:eks:eu-west-1:123456789012:cluster/staging-euw1'],
      ]);
      const groups = all(run, GROUP);
      expect(groups.map((g) => g.name)).toEqual([`${NAME}-storage-classes`, `${NAME}-manifests-baseline`, `${NAME}-manifests-api`, `${NAME}-secrets-store`]);
      for (const g of groups) expect([g.name, g.provider]).toEqual([g.name, `${NAME}-k8s`]);
    });

    test('the manifests are deployed unchanged, one ConfigGroup per component', () => {
      expect(one(run, GROUP, `${NAME}-manifests-baseline`).inputs.objs).toEqual(MANIFESTS[0].objects);
      expect(one(run, GROUP, `${NAME}-manifests-api`).inputs.objs).toEqual(MANIFESTS[1].objects);
      expect(Object.keys(run.platform.manifests?.groups ?? {})).toEqual(['baseline', 'api']);
    });

    test('deployment order: add-ons, then storage classes, then the components in order, then the ClusterSecretStore', () => {
      expect(run.dependsOn.get(`${GROUP}::${NAME}-storage-classes`)).toEqual([
        `aws:eks/addon:Addon::${NAME}-aws-ebs-csi-driver`, `aws:eks/addon:Addon::${NAME}-snapshot-controller`, `aws:kms/alias:Alias::${NAME}-storage-ebs-key`,
      ]);
      expect(run.dependsOn.get(`${GROUP}::${NAME}-manifests-baseline`)).toEqual([`${GROUP}::${NAME}-storage-classes`]);
      expect(run.dependsOn.get(`${GROUP}::${NAME}-manifests-api`)).toEqual([`${GROUP}::${NAME}-manifests-baseline`]);
      expect(run.dependsOn.get(`${GROUP}::${NAME}-secrets-store`)).toEqual([
        `aws:iam/role:Role::${NAME}-secrets-external-secrets`, `${GROUP}::${NAME}-manifests-baseline`, `${GROUP}::${NAME}-manifests-api`,
      ]);
      expect(run.dependsOn.get(`pulumi:providers:kubernetes::${NAME}-k8s`)).toEqual([`aws:eks/nodeGroup:NodeGroup::${NAME}-system`, `aws:eks/accessPolicyAssociation:AccessPolicyAssociation::${NAME}-access-admin`]);
    });

    test('storage and secrets share the cluster\'s names, region and OIDC identity', () => {
      expect(one(run, 'aws:s3/bucket:Bucket', `${NAME}-storage-velero`).inputs.bucket).toBe('fleetcraft-staging-staging-euw1-velero');
      expect(one(run, GROUP, `${NAME}-storage-classes`).inputs.objs).toEqual([...storageClassObjects('alias/fleetcraft/staging/staging-euw1/ebs'), volumeSnapshotClassObject()]);
      expect(one(run, GROUP, `${NAME}-secrets-store`).inputs.objs).toEqual([clusterSecretStoreObject('eu-west-1')]);
      expect(one(run, 'aws:iam/rolePolicy:RolePolicy', `${NAME}-storage-ebs-csi-kms`).inputs.role).toBe('fleetcraft-staging-staging-euw1-ebs-csi');
      const issuerHost = 'oidc.eks.eu-west-1.amazonaws.com/id/STAGING-EUW1';
      const oidcArn = `arn:aws:iam::123456789012:oidc-provider/${issuerHost}`;
      for (const [role, sub] of [[`${NAME}-storage-velero`, 'velero:velero'], [`${NAME}-secrets-external-secrets`, 'external-secrets:external-secrets']]) {
        const trust = JSON.parse(one(run, 'aws:iam/role:Role', role).inputs.assumeRolePolicy as string).Statement[0];
        expect(trust.Principal).toEqual({ Federated: oidcArn });
        expect(trust.Condition.StringEquals[`${issuerHost}:sub`]).toBe(`system:serviceaccount:${sub}`);
      }
    });

    test('replication defaults to none and bucketPrefix to fleetcraft', () => {
      expect(all(run, 'aws:s3/bucket:Bucket').map((b) => b.inputs.bucket)).toEqual(['fleetcraft-staging-staging-euw1-velero']);
      expect(all(run, 'aws:s3/bucketReplicationConfig:BucketReplicationConfig')).toEqual([]);
    });

    test('registerOutputs is called once per component; the platform\'s call comes last, after its children\'s', () => {
      const components = [`${PLATFORM}::${NAME}`, `fleetcraft:cloud:EksCluster::${NAME}`, `fleetcraft:cloud:ClusterStorage::${NAME}-storage`,
        `fleetcraft:cloud:ClusterManifests::${NAME}-manifests`, `fleetcraft:cloud:ClusterSecrets::${NAME}-secrets`];
      // Every component called it itself, at the end of its constructor (not left to the SDK's call without outputs).
      expect([...run.registeredOutputs].sort()).toEqual([...components].sort());
      expect(run.registeredOutputs[run.registeredOutputs.length - 1]).toBe(`${PLATFORM}::${NAME}`);
      expect(run.outputs.payloads).toHaveProperty([`${PLATFORM}::${NAME}`], expect.any(Object));
    });

    test('the children\'s outputs are present and resolved', () => {
      const payloads = run.outputs.payloads as Record<string, Record<string, unknown>>;
      expect(payloads[`fleetcraft:cloud:EksCluster::${NAME}`]).toMatchObject({
        clusterName: 'staging-euw1', endpoint: 'https://STAGING-EUW1.gr7.eu-west-1.eks.amazonaws.com',
        oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/STAGING-EUW1',
        clusterAutoscalerRoleArn: 'arn:aws:iam::123456789012:role/fleetcraft-staging-staging-euw1-cluster-autoscaler',
        loadBalancerControllerRoleArn: 'arn:aws:iam::123456789012:role/fleetcraft-staging-staging-euw1-lb-controller',
      });
      expect(JSON.parse(payloads[`fleetcraft:cloud:EksCluster::${NAME}`].kubeconfig as string)['current-context']).toBe('staging-euw1');
      expect(payloads[`fleetcraft:cloud:ClusterStorage::${NAME}-storage`]).toMatchObject({
        bucketName: 'fleetcraft-staging-staging-euw1-velero', veleroRoleArn: 'arn:aws:iam::123456789012:role/fleetcraft-staging-staging-euw1-velero',
      });
      expect(payloads[`fleetcraft:cloud:ClusterManifests::${NAME}-manifests`]).toEqual({ components: ['baseline', 'api'] });
      expect(payloads[`fleetcraft:cloud:ClusterSecrets::${NAME}-secrets`]).toEqual({
        externalSecretsRoleArn: 'arn:aws:iam::123456789012:role/fleetcraft-staging-staging-euw1-external-secrets',
        secretArns: {
          'db-password': 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleetcraft/staging/db-password-AbCdEf',
          'gitops-repo-token': 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleetcraft/staging/gitops-repo-token-AbCdEf',
        },
      });
    });

    describe('secrets stay secret', () => {
      test('a plain string and a config secret are both registered as secret envelopes', () => {
        for (const key of ['gitops-repo-token', 'db-password']) {
          expect([key, isSecretEnvelope(one(run, 'aws:secretsmanager/secretVersion:SecretVersion', `${NAME}-secrets-${key}`).inputs.secretString)]).toEqual([key, true]);
        }
      });

      test('the versions\' outputs, reached through the platform, are secret', async () => {
        expect(await pulumi.isSecret(run.rawOutputs.token as pulumi.Output<string>)).toBe(true);
        expect(await pulumi.isSecret(run.rawOutputs.db as pulumi.Output<string>)).toBe(true);
        expect(await pulumi.isSecret(run.platform.secrets.versions['gitops-repo-token'].secretString)).toBe(true);
        expect(run.outputs.token).toBe(PLAINTEXT);
      });

      test('the plaintext appears in no input outside a secret envelope, and in no component\'s registered outputs', () => {
        const strip = (v: unknown): unknown => (isSecretEnvelope(v) ? null : Array.isArray(v) ? v.map(strip)
          : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)])) : v);
        const inputs = JSON.stringify(run.resources.map((r) => strip(r.inputs)));
        const payloads = JSON.stringify(run.outputs.payloads);
        for (const text of [PLAINTEXT, CONFIG_PLAINTEXT]) {
          expect(inputs).not.toContain(text);
          expect(payloads).not.toContain(text);
        }
      });
    });
  });

  describe('overrides', () => {
    test('objects the manifests carry are not deployed again: carried classes are left out, a carried store turns the store off', async () => {
      const carried: ManifestGroup[] = [{ component: 'baseline', objects: [storageClassObjects('alias/x')[0], clusterSecretStoreObject('eu-west-1'), ns('api')] }];
      const run = await build(() => ({ manifests: carried }));
      expect((one(run, GROUP, `${NAME}-storage-classes`).inputs.objs as KubeObject[]).map((o) => `${o.kind}/${o.metadata?.name}`))
        .toEqual(['StorageClass/standard-ssd', 'VolumeSnapshotClass/ebs-snapshots']);
      expect(all(run, GROUP).map((g) => g.name)).toEqual([`${NAME}-storage-classes`, `${NAME}-manifests-baseline`]);
      expect(run.platform.secrets.store).toBeUndefined();
    });

    test('with every class carried there is no storage ConfigGroup; the first component waits for every add-on instead', async () => {
      const run = await build(() => ({ manifests: [{ component: 'baseline', objects: [...storageClassObjects('alias/x'), volumeSnapshotClassObject()] }] }));
      expect(all(run, GROUP).map((g) => g.name)).toEqual([`${NAME}-manifests-baseline`, `${NAME}-secrets-store`]);
      expect(run.dependsOn.get(`${GROUP}::${NAME}-manifests-baseline`)).toEqual(
        ['vpc-cni', 'kube-proxy', 'coredns', 'aws-ebs-csi-driver', 'snapshot-controller'].map((a) => `aws:eks/addon:Addon::${NAME}-${a}`));
    });

    test('replication goes to the given region\'s provider; bucketPrefix names the buckets; secrets default to none', async () => {
      const run = await build(({ east }) => ({ replication: { region: 'us-east-1', provider: east }, bucketPrefix: 'acme', secrets: undefined }));
      expect(one(run, 'aws:s3/bucket:Bucket', `${NAME}-storage-velero`).inputs.bucket).toBe('acme-staging-staging-euw1-velero');
      expect(one(run, 'aws:s3/bucket:Bucket', `${NAME}-storage-velero-replica`)).toMatchObject({
        provider: 'aws-use1', region: 'us-east-1', inputs: { bucket: 'acme-staging-staging-euw1-velero-replica' },
      });
      expect(run.resources.filter((r) => r.type.startsWith('aws:secretsmanager'))).toEqual([]);
      expect(one(run, GROUP, `${NAME}-secrets-store`).provider).toBe(`${NAME}-k8s`);
    });
  });

  describe('refuses', () => {
    test('what the cluster refuses', async () => {
      await expect(build(() => ({ nodeGroups: [] }))).rejects.toThrow('EksCluster \'staging-euw1\': nodeGroups ([]) must list at least one group; add a system group');
    });

    test('the same object in two components', async () => {
      await expect(build(() => ({ manifests: [{ component: 'a', objects: [ns('x')] }, { component: 'b', objects: [ns('x')] }] })))
        .rejects.toThrow('ClusterManifests \'staging-euw1-manifests\': groups[b] object ("Namespace x") is also in component "a"; emit each object from one component only');
    });

    test('a secret key that is not a DNS label', async () => {
      await expect(build(() => ({ secrets: { Bad_Key: 'x' } })))
        .rejects.toThrow('ClusterSecrets \'staging-euw1-secrets\': secrets key ("Bad_Key") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use lowercase letters, digits and \'-\' (e.g. "gitops-repo-token")');
    });
  });
});
