import * as aws from '@pulumi/aws';
import { kubernetesProvider } from '../../lib/cloud/kubernetes';
import { ClusterSecrets } from '../../lib/cloud/secrets';
import { runRecordingDependsOn } from './mocks';

const GROUP = 'kubernetes:yaml/v2:ConfigGroup';
const OIDC = { providerArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X', issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/X' };

describe('ClusterSecrets defaults (audit)', () => {
  test('clusterSecretStoreDependsOn defaults to []: the store waits for the External Secrets role only', async () => {
    const run = await runRecordingDependsOn(() => {
      const provider = new aws.Provider('aws', { region: 'eu-west-1' });
      const k8s = kubernetesProvider('k8s', { kubeconfig: '{}', clusterIdentifier: 'c' }, {});
      new ClusterSecrets('s', {
        environment: 'production', region: 'eu-west-1', clusterName: 'prod-euw1', accountId: '123456789012', oidc: OIDC, kubernetesProvider: k8s,
      }, { provider });
    });
    expect(run.resources.filter((r) => r.type === GROUP).map((r) => r.name)).toEqual(['s-store']);
    expect(run.dependsOn.get(`${GROUP}::s-store`)).toEqual(['aws:iam/role:Role::s-external-secrets']);
  });
});
