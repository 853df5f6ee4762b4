import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isSecretEnvelope, PlannedResource } from '../../stacks/mock-runtime';
import { Output, runCommand } from '../../stacks/command';
import { countsByRegion, keyInputs, redactSecrets, SECRET_PLACEHOLDER, stackFileConfig, treeLines } from '../../stacks/plan';
import { PLAN_COMMAND } from '../../stacks/plan-command';
import { ARGOCD_CHART } from '../../lib/cloud/argocd';

const NO_OPTIONS = { protect: false, retainOnDelete: false, dependsOn: [] };

const runPlan = (args: string[], out: Output) => Promise.resolve(runCommand(PLAN_COMMAND, args, out));

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) } };
}

describe('fleetcraft plan', () => {
  describe('--env production', () => {
    const c = capture();
    let code = -1;
    beforeAll(async () => { code = await runPlan(['--env', 'production'], c.out); });

    test('succeeds offline and says so', () => {
      expect(c.errors).toEqual([]);
      expect(code).toBe(0);
      expect(c.lines[0]).toMatch(/^plan for stack production \(offline: Pulumi mock runtime, stand-in ARNs, account 111122223333; config: /);
    });

    test('prints the resource tree with type, name and key inputs, children under their parents', () => {
      const platform = c.lines.findIndex((l) => l.endsWith('fleetcraft:cloud:RegionalPlatform prod-euw1'));
      expect(platform).toBeGreaterThan(0);
      expect(c.lines).toContain('│  ├─ fleetcraft:cloud:EksCluster prod-euw1');
      expect(c.lines.some((l) => /^│  │  ├─ aws:eks\/cluster:Cluster prod-euw1-eks {2}name=prod-euw1 version=1\.36 /.test(l))).toBe(true);
      expect(c.lines.some((l) => l.endsWith(`kubernetes:helm.sh/v4:Chart prod-use1-argocd-chart  chart=argo-cd version=${ARGOCD_CHART.version} ` +
        'repositoryOpts.repo=https://argoproj.github.io/argo-helm  {dependsOn: prod-use1-argocd-namespace}'))).toBe(true);
      expect(c.lines.some((l) => /aws:eks\/addon:Addon prod-euw1-coredns {2}addonName=coredns addonVersion=v1\.12\.4-eksbuild\.1 /.test(l))).toBe(true);
      expect(c.lines.some((l) => l.includes('aws:eks/accessEntry:AccessEntry prod-euw1-access-argocd  principalArn=arn:aws:iam::111122223333:role/fleetcraft-production-prod-use1-argocd'))).toBe(true);
      expect(c.lines.some((l) => l.includes('aws:ec2/launchTemplate:LaunchTemplate prod-euw1-consensus  metadataOptions.httpTokens=required metadataOptions.httpPutResponseHopLimit=1'))).toBe(true);
      expect(c.lines.some((l) => l.includes('aws:eks/cluster:Cluster prod-use1-eks') && l.endsWith('{protect; dependsOn: prod-use1-cluster-role}'))).toBe(true);
      expect(c.lines.some((l) => l.includes('aws:s3/bucket:Bucket prod-use1-storage-velero ') && l.endsWith('{protect; retainOnDelete}'))).toBe(true);
      expect(c.lines.some((l) => l.includes('aws:s3/bucket:Bucket prod-apse1-storage-velero  bucket=fleetcraft-production-prod-apse1-velero'))).toBe(true);
      // Each provider accepts only the environment's account; each cluster has its load balancer controller's role.
      expect(c.lines).toContain('├─ pulumi:providers:aws aws-eu-west-1  region=eu-west-1 allowedAccountIds=["111122223333"]');
      expect(c.lines.some((l) => l.endsWith('aws:iam/role:Role prod-apse1-lb-controller  name=fleetcraft-production-prod-apse1-lb-controller'))).toBe(true);
    });

    test('prints who owns what: Pulumi the Argo CD bootstrap, Argo CD every component of every cluster', () => {
      const at = c.lines.indexOf('Kubernetes objects, by owner:');
      expect(c.lines.slice(at + 1, at + 6)).toEqual([
        '  Pulumi (bootstrap, 4):',
        '    kubernetes:core/v1:Namespace prod-use1-argocd-namespace',
        `    kubernetes:helm.sh/v4:Chart prod-use1-argocd-chart: argo-cd ${ARGOCD_CHART.version}`,
        '    kubernetes:yaml/v2:ConfigGroup prod-use1-argocd-clusters: 3 object(s): Secret argocd/cluster-prod-use1, Secret argocd/cluster-prod-euw1, Secret argocd/cluster-prod-apse1',
        '    kubernetes:yaml/v2:ConfigGroup prod-use1-argocd-root: 1 object(s): Application argocd/production-root',
      ]);
      expect(c.lines[at + 6]).toBe('  Argo CD (synced from the GitOps repository; Pulumi applies none of these):');
      // The add-ons first: every other component needs what they serve.
      expect(c.lines[at + 7]).toMatch(/^ {4}prod-use1: addons \(\d+\), baseline \(\d+\), /);
    });

    test('prints the count per region and the total', () => {
      const at = c.lines.indexOf('resources per region:');
      expect(c.lines.slice(at + 1, at + 4).map((l) => l.trim().split(/\s+/)[0])).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-1']);
      expect(c.lines[c.lines.length - 1]).toMatch(/^total: \d+ resources \(\d+ Kubernetes objects inside ConfigGroups\) in \d+\.\d\d s$/);
    });
  });

  test('--json prints every resource with type, name, parent and region, and the counts', async () => {
    const c = capture();
    expect(await runPlan(['--env', 'dev', '--json'], c.out)).toBe(0);
    const plan = JSON.parse(c.lines.join('\n'));
    expect(plan.stack).toBe('dev');
    const cluster = plan.resources.find((r: PlannedResource) => r.type === 'aws:eks/cluster:Cluster');
    expect(cluster).toMatchObject({ name: 'dev-use1-eks', parent: 'dev-use1', parentType: 'fleetcraft:cloud:EksCluster', region: 'us-east-1', provider: 'aws-us-east-1' });
    expect(plan.countsByRegion).toEqual({ 'us-east-1': plan.total });
  });

  test('refuses an unknown or missing environment with the valid names (exit 2)', async () => {
    const c = capture();
    expect(await runPlan(['--env', 'qa'], c.out)).toBe(2);
    expect(c.errors).toEqual(['fleetcraft plan: unknown environment "qa"; valid names: dev, staging, production', PLAN_COMMAND.usage]);
    const m = capture();
    expect(await runPlan([], m.out)).toBe(2);
    expect(m.errors).toEqual(['fleetcraft plan: missing --env; valid names: dev, staging, production', PLAN_COMMAND.usage]);
  });

  test('refuses an unknown option (exit 2)', async () => {
    const c = capture();
    expect(await runPlan(['--env', 'dev', '--bogus'], c.out)).toBe(2);
    expect(c.errors).toEqual([expect.stringMatching(/^fleetcraft plan: Unknown option '--bogus'/), PLAN_COMMAND.usage]);
  });

  test('reads the stack file: secure values become placeholders marked secret', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetcraft-plan-'));
    const file = path.join(dir, 'Pulumi.dev.yaml');
    fs.writeFileSync(file, [
      'config:',
      '  fleetcraft:endpointPublicAccess: false',
      '  fleetcraft:secrets:',
      '    gitops-repo-token:',
      '      secure: v1:abc',
      '  pulumi:disable-default-providers:',
      '    - "*"',
    ].join('\n'));
    expect(stackFileConfig(file)).toEqual({
      values: {
        'fleetcraft:endpointPublicAccess': false,
        'fleetcraft:secrets': { 'gitops-repo-token': 'plan-placeholder-for-fleetcraft:secrets' },
        'pulumi:disable-default-providers': ['*'],
      },
      secretKeys: ['fleetcraft:secrets'],
    });
  });

  test('secret inputs print as [secret]', () => {
    const envelope = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', 'value': 'x' };
    expect(isSecretEnvelope(envelope)).toBe(true);
    expect(redactSecrets({ a: [envelope], b: 'c' })).toEqual({ a: [SECRET_PLACEHOLDER], b: 'c' });
    const version: PlannedResource = { ...NO_OPTIONS, type: 'aws:secretsmanager/secretVersion:SecretVersion', name: 'v', custom: true, inputs: { secretId: 's', secretString: envelope } };
    expect(keyInputs(version)).toBe('secretString=[secret]');
  });

  test('tree lines and counts from resources', () => {
    const resources: PlannedResource[] = [
      { ...NO_OPTIONS, type: 't:a:A', name: 'a', custom: false, region: 'r1', inputs: {} },
      { ...NO_OPTIONS, type: 't:b:B', name: 'a', parent: 'a', parentType: 't:a:A', custom: true, region: 'r1', inputs: {}, protect: true, dependsOn: ['t:c:C::c'] },
      { ...NO_OPTIONS, type: 't:c:C', name: 'c', custom: true, inputs: {}, retainOnDelete: true },
    ];
    expect(treeLines(resources)).toEqual(['├─ t:a:A a', '│  └─ t:b:B a  {protect; dependsOn: c}', '└─ t:c:C c  {retainOnDelete}']);
    expect(countsByRegion(resources)).toEqual({ r1: 2, global: 1 });
  });
});
