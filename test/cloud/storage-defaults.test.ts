import * as aws from '@pulumi/aws';
import { kubernetesProvider } from '../../lib/cloud/kubernetes';
import { ClusterStorage } from '../../lib/cloud/storage';
import { PlannedResource, ProgramRun } from '../../stacks/mock-runtime';
import { runRecordingDependsOn } from './mocks';

const GROUP = 'kubernetes:yaml/v2:ConfigGroup';
const OIDC = { providerArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X', issuer: 'https://oidc.eks.us-east-1.amazonaws.com/id/X' };

/** A ClusterStorage with the required args only, recording each resource's dependsOn as `type::name`. */
function build(): Promise<ProgramRun & { dependsOn: ReadonlyMap<string, string[]> }> {
  return runRecordingDependsOn(() => {
    const east = new aws.Provider('aws-east', { region: 'us-east-1' });
    const k8s = kubernetesProvider('k8s', { kubeconfig: '{}', clusterIdentifier: 'c' }, {});
    new ClusterStorage('s', { environment: 'dev', clusterName: 'dev-use1', oidc: OIDC, kubernetesProvider: k8s, ebsCsiRoleName: 'ebs-role' }, { provider: east });
  });
}

const one = (run: ProgramRun, type: string, name: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
};

describe('ClusterStorage defaults (audit)', () => {
  let run: ProgramRun & { dependsOn: ReadonlyMap<string, string[]> };
  beforeAll(async () => { run = await build(); });

  test('kubernetesDependsOn defaults to []: the classes wait for the volumes\' key alias only', () => {
    expect(one(run, GROUP, 's-classes').provider).toBe('k8s');
    expect(run.dependsOn.get(`${GROUP}::s-classes`)).toEqual(['aws:kms/alias:Alias::s-ebs-key']);
  });

  test('lifecycle defaults to "- see BucketLifecycleArgs": noncurrent versions expire after 30 days, incomplete uploads abort after 7', () => {
    expect(one(run, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 's-velero-lifecycle').inputs.rules).toEqual([
      { id: 'expire-noncurrent-versions', status: 'Enabled', filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
      { id: 'abort-incomplete-uploads', status: 'Enabled', filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
      { id: 'remove-expired-delete-markers', status: 'Enabled', filter: {}, expiration: { expiredObjectDeleteMarker: true } },
    ]);
  });
});
