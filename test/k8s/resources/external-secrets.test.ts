import { JsonPatch, Testing } from 'cdk8s';
import { ClusterSecretStore, ExternalSecret, ExternalSecretSpec } from '../../../lib/k8s/resources/external-secrets';
import { checkConformance } from '../../../lib/policy/conformance';
import { KubeObject } from '../../../lib/policy/objects';
import { describeWithSchemas, field, findObject, schemaRegistry, synth, testChart } from '../../util';

const SECRET_SPEC: ExternalSecretSpec = {
  secretStoreRef: { name: 'aws-secrets-manager', kind: 'ClusterSecretStore' },
  refreshInterval: '1h',
  target: { name: 'api-database', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
  data: [
    { secretKey: 'username', remoteRef: { key: 'production/shop/database', property: 'username' } },
    { secretKey: 'password', remoteRef: { key: 'production/shop/database', property: 'password', version: 'AWSCURRENT' } },
  ],
};

describe('ClusterSecretStore', () => {
  test('emits external-secrets.io/v1 with an AWS Secrets Manager provider and IRSA auth', () => {
    const chart = testChart();
    new ClusterSecretStore(chart, 'Store', {
      metadata: { name: 'aws-secrets-manager' },
      spec: {
        provider: {
          aws: {
            service: 'SecretsManager', region: 'eu-west-1',
            auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
          },
        },
        refreshInterval: 300,
      },
    });
    const store = findObject(synth(chart), 'ClusterSecretStore', 'aws-secrets-manager');
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.metadata?.namespace).toBeUndefined();
    expect(field(store, 'spec.provider.aws.auth.jwt.serviceAccountRef.name')).toBe('external-secrets');
  });

  test('a Parameter Store provider without auth conforms', () => {
    const chart = testChart();
    new ClusterSecretStore(chart, 'Store', { metadata: { name: 'ssm' }, spec: { provider: { aws: { service: 'ParameterStore', region: 'us-east-1' } } } });
    expect(field(findObject(synth(chart), 'ClusterSecretStore', 'ssm'), 'spec.provider.aws.service')).toBe('ParameterStore');
  });
});

describe('ExternalSecret', () => {
  test('emits external-secrets.io/v1 with a store reference, target and data', () => {
    const chart = testChart();
    new ExternalSecret(chart, 'Secret', { metadata: { name: 'api-database', namespace: 'shop' }, spec: SECRET_SPEC });
    const secret = findObject(synth(chart), 'ExternalSecret', 'api-database', 'shop');
    expect(secret.apiVersion).toBe('external-secrets.io/v1');
    expect(secret.spec).toEqual(SECRET_SPEC);
  });

  test('carries references only, never a secret value', () => {
    const chart = testChart();
    new ExternalSecret(chart, 'Secret', { metadata: { name: 'api-database', namespace: 'shop' }, spec: SECRET_SPEC });
    const objects = synth(chart);
    expect(objects.map((o) => o.kind)).toEqual(['ExternalSecret']);
    expect(JSON.stringify(objects)).not.toMatch(/"(stringData|data)":\s*\{/);
  });
});

describeWithSchemas('External Secrets schemas catch misspelt fields', () => {
  test('a misspelt remoteRef field is an unknown field', () => {
    const chart = testChart();
    const secret = new ExternalSecret(chart, 'Secret', { metadata: { name: 'api-database', namespace: 'shop' }, spec: SECRET_SPEC });
    secret.addJsonPatch(JsonPatch.add('/spec/data/0/remoteRef/propery', 'username'));
    expect(checkConformance(Testing.synth(chart) as KubeObject[], schemaRegistry())).toEqual([{
      rule: 'schema', severity: 'error', object: 'ExternalSecret shop/api-database', path: 'spec.data[0].remoteRef',
      message: 'unknown field "propery" (not in the schema; check its spelling and placement)',
    }]);
  });

  test('the served version is v1, not the removed v1beta1', () => {
    const chart = testChart();
    const store = new ClusterSecretStore(chart, 'Store', { metadata: { name: 'ssm' }, spec: { provider: { aws: { service: 'ParameterStore', region: 'us-east-1' } } } });
    store.addJsonPatch(JsonPatch.replace('/apiVersion', 'external-secrets.io/v1beta1'));
    const violations = checkConformance(Testing.synth(chart) as KubeObject[], schemaRegistry());
    expect(violations).toHaveLength(1);
    expect(violations[0]).toEqual(expect.objectContaining({ rule: 'schema', object: 'ClusterSecretStore ssm', path: '(root)' }));
    expect(violations[0].message).toMatch(/^no schema for apiVersion external-secrets.io\/v1beta1 kind ClusterSecretStore \(removed or unknown API\); ClusterSecretStore is served as external-secrets.io\/v1/);
  });
});
