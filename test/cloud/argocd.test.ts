import * as aws from '@pulumi/aws';
import {
  APPLICATION_HEALTH_CHECK, APPLICATION_HEALTH_KEY, ArgoCdBootstrap, argoCdTrustPolicy, argoCdValues, clusterSecretObject, validateRootApplication,
} from '../../lib/cloud/argocd';
import { kubernetesProvider } from '../../lib/cloud/kubernetes';
import { KubeObject } from '../../lib/policy/objects';
import { ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';

const ROLE = 'arn:aws:iam::123456789012:role/fleetcraft-production-prod-use1-argocd';
const ROOT: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'production-root', namespace: 'argocd' },
  spec: { project: 'production', source: { repoURL: 'https://example.com/g.git', path: 'production/argocd', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' } },
};

describe('Argo CD bootstrap', () => {
  test('values: the Application health check in argocd-cm, annotation tracking, the IRSA role on controller and server', () => {
    expect(argoCdValues(ROLE)).toEqual({
      configs: { cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_CHECK, 'application.resourceTrackingMethod': 'annotation' } },
      controller: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': ROLE } } },
      server: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': ROLE } } },
    });
    expect(APPLICATION_HEALTH_KEY).toBe('resource.customizations.health.argoproj.io_Application');
    expect(APPLICATION_HEALTH_CHECK).toContain('hs.status = obj.status.health.status');
  });

  test('a remote cluster Secret authenticates with awsAuthConfig and holds no credential; the home cluster is in-cluster', () => {
    const remote = clusterSecretObject({ name: 'prod-euw1', roleArn: ROLE, remote: { clusterName: 'prod-euw1', server: 'https://E', caData: 'Q0E=' } });
    expect(remote.metadata?.labels?.['argocd.argoproj.io/secret-type']).toBe('cluster');
    expect(JSON.parse((remote.stringData as { config: string }).config)).toEqual({
      awsAuthConfig: { clusterName: 'prod-euw1', roleARN: ROLE }, tlsClientConfig: { insecure: false, caData: 'Q0E=' },
    });
    expect(JSON.stringify(remote)).not.toMatch(/bearerToken|password|keyData/);
    expect(clusterSecretObject({ name: 'prod-use1', roleArn: ROLE }).stringData).toEqual({
      name: 'prod-use1', server: 'https://kubernetes.default.svc', config: '{"tlsClientConfig":{"insecure":false}}',
    });
  });

  test('the role trusts the controller and server service accounts, and itself', () => {
    const doc = argoCdTrustPolicy('arn:oidc', 'https://oidc.example/id/X', ROLE);
    expect(doc.Statement.map((s) => s.Action)).toEqual(['sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRole']);
    expect(doc.Statement[2].Principal).toEqual({ AWS: ROLE });
  });

  test('refuses a root that is not an Application in argocd, or an Argo CD hook', () => {
    expect(() => validateRootApplication('b', { ...ROOT, kind: 'Job', apiVersion: 'batch/v1' }))
      .toThrow('ArgoCdBootstrap \'b\': rootApplication ("batch/v1 Job argocd/production-root") must be an argoproj.io/v1alpha1 Application in namespace argocd');
    expect(() => validateRootApplication('b', { ...ROOT, metadata: { ...ROOT.metadata, annotations: { 'argocd.argoproj.io/hook': 'PreSync' } } }))
      .toThrow('ArgoCdBootstrap \'b\': rootApplication ("production-root") is an Argo CD hook; hooks run inside an Argo CD sync, never through Pulumi');
  });

  describe('the component', () => {
    let run: ProgramRun;
    beforeAll(async () => {
      run = await runUnderMocks('test', {}, () => {
        const provider = new aws.Provider('aws', { region: 'us-east-1' });
        const k8s = kubernetesProvider('k8s', { kubeconfig: '{}', clusterIdentifier: 'c' }, {});
        new ArgoCdBootstrap('argo', { kubernetesProvider: k8s, roleArn: ROLE, clusters: [{ name: 'home', roleArn: ROLE }], rootApplication: ROOT }, { provider });
        return {};
      });
    });

    test('the chart, the registrations and the root, in order, all on the given Kubernetes provider', () => {
      const children = run.resources.filter((r) => r.parent === 'argo');
      expect(children.map((r) => [r.type, r.name, r.provider, r.dependsOn])).toEqual([
        ['kubernetes:core/v1:Namespace', 'argo-namespace', 'k8s', []],
        ['kubernetes:helm.sh/v4:Chart', 'argo-chart', 'k8s', ['kubernetes:core/v1:Namespace::argo-namespace']],
        ['kubernetes:yaml/v2:ConfigGroup', 'argo-clusters', 'k8s', ['kubernetes:core/v1:Namespace::argo-namespace']],
        ['kubernetes:yaml/v2:ConfigGroup', 'argo-root', 'k8s', ['kubernetes:helm.sh/v4:Chart::argo-chart', 'kubernetes:yaml/v2:ConfigGroup::argo-clusters']],
      ]);
      expect(children.find((r) => r.name === 'argo-root')?.inputs.objs).toEqual([ROOT]);
    });
  });
});
