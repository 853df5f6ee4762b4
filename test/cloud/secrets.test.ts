import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kubernetesProvider } from '../../lib/cloud/kubernetes';
import { ClusterSecrets, ClusterSecretsArgs, clusterSecretStoreObject, validateSecretKeys } from '../../lib/cloud/secrets';
import { isSecretEnvelope, PlannedResource, ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';
import { expectConformant } from '../util';

const OIDC = { providerArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X', issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/X' };

let component: ClusterSecrets | undefined;
function build(overrides: Partial<ClusterSecretsArgs> = {}): Promise<ProgramRun> {
  return runUnderMocks('test', {}, () => {
    const provider = new aws.Provider('aws', { region: 'eu-west-1' });
    const k8s = kubernetesProvider('k8s', { kubeconfig: '{}', clusterIdentifier: 'c' }, {});
    component = new ClusterSecrets('s', {
      environment: 'production', region: 'eu-west-1', clusterName: 'prod-euw1', accountId: '123456789012', oidc: OIDC, kubernetesProvider: k8s, ...overrides,
    }, { provider });
    const version = component.versions['gitops-repo-token'];
    return version ? { token: version.secretString, value: component.values['gitops-repo-token'] } : {};
  });
}

const one = (run: ProgramRun, type: string, name: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
};

describe('ClusterSecretStore', () => {
  test('points ESO at Secrets Manager in the cluster\'s region, as ESO\'s service account; passes the upstream schema', () => {
    const store = clusterSecretStoreObject('eu-west-1');
    expectConformant([store]);
    expect(store).toMatchObject({
      apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'aws-secrets-manager' },
      spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1', auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } } } } },
    });
  });

  test('serviceAccount defaults to ESO\'s; another can be given', () => {
    expect(JSON.stringify(clusterSecretStoreObject('us-east-1', { namespace: 'eso', name: 'reader' }))).toContain('"serviceAccountRef":{"name":"reader","namespace":"eso"}');
  });
});

describe('ClusterSecrets', () => {
  describe('with a secret', () => {
    let run: ProgramRun;
    beforeAll(async () => { run = await build({ secrets: { 'gitops-repo-token': 'hunter2-plaintext' } }); });

    test('stores it as fleetcraft/<env>/<key> under the component\'s KMS key; recoveryWindowInDays defaults to 30', () => {
      expect(one(run, 'aws:secretsmanager/secret:Secret', 's-gitops-repo-token').inputs).toEqual({
        name: 'fleetcraft/production/gitops-repo-token', kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/s-key', recoveryWindowInDays: 30,
      });
      expect(one(run, 'aws:kms/alias:Alias', 's-key').inputs.name).toBe('alias/fleetcraft/production/prod-euw1/secrets');
    });

    test('fleetcraft\'s own output of a value passed in plain text is a secret (not only what the AWS SDK wraps)', async () => {
      expect(await pulumi.isSecret(run.rawOutputs.value as pulumi.Output<string>)).toBe(true);
      expect(await pulumi.isSecret(component?.values['gitops-repo-token'] as pulumi.Output<string>)).toBe(true);
    });

    test('the value is registered as a secret, and the version\'s output is secret', async () => {
      const version = one(run, 'aws:secretsmanager/secretVersion:SecretVersion', 's-gitops-repo-token');
      expect(isSecretEnvelope(version.inputs.secretString)).toBe(true);
      expect(await pulumi.isSecret(run.rawOutputs.token as pulumi.Output<string>)).toBe(true);
    });

    test('the plaintext appears nowhere outside a secret envelope', () => {
      const strip = (v: unknown): unknown => (isSecretEnvelope(v) ? null : Array.isArray(v) ? v.map(strip)
        : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)])) : v);
      expect(JSON.stringify(run.resources.map((r) => strip(r.inputs)))).not.toContain('hunter2-plaintext');
    });

    test('ESO\'s role trusts its service account and reads this environment\'s secrets in this region only', () => {
      const role = one(run, 'aws:iam/role:Role', 's-external-secrets');
      expect(role.inputs.name).toBe('fleetcraft-production-prod-euw1-external-secrets');
      expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Condition.StringEquals['oidc.eks.eu-west-1.amazonaws.com/id/X:sub'])
        .toBe('system:serviceaccount:external-secrets:external-secrets');
      const doc = JSON.parse(one(run, 'aws:iam/rolePolicy:RolePolicy', 's-external-secrets-policy').inputs.policy as string);
      expect(doc.Statement[0].Resource).toBe('arn:aws:secretsmanager:eu-west-1:123456789012:secret:fleetcraft/production/*');
      expect(doc.Statement[1].Resource).toBe('arn:aws:kms:eu-west-1:123456789012:key/s-key');
    });

    test('clusterSecretStore defaults to true: the store is deployed on the cluster\'s provider', () => {
      const store = one(run, 'kubernetes:yaml/v2:ConfigGroup', 's-store');
      expect(store.provider).toBe('k8s');
      expect(store.inputs.objs).toEqual([clusterSecretStoreObject('eu-west-1')]);
    });
  });

  test('secrets default to none; the store can be left to the GitOps output; recovery window can be set', async () => {
    const run = await build({ clusterSecretStore: false, secrets: { a: 'x' }, recoveryWindowInDays: 7 });
    expect(run.resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup')).toEqual([]);
    expect(one(run, 'aws:secretsmanager/secret:Secret', 's-a').inputs.recoveryWindowInDays).toBe(7);
    const empty = await build();
    expect(empty.resources.filter((r) => r.type.startsWith('aws:secretsmanager'))).toEqual([]);
  });

  test('refuses a key that is not a DNS label', () => {
    expect(() => validateSecretKeys('s', ['ok', 'Not_OK']))
      .toThrow('ClusterSecrets \'s\': secrets key ("Not_OK") must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit; use lowercase letters, digits and \'-\' (e.g. "gitops-repo-token")');
  });
});
