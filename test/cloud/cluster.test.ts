import * as aws from '@pulumi/aws';
import { accessPolicyArn, accessScope } from '../../lib/cloud/access';
import { addonPlan, EksCluster, EksClusterArgs, NatGatewayMode, nodeGroupTaints, toEksTaint, validateClusterArgs } from '../../lib/cloud/cluster';
import { eksKubeconfig, KUBERNETES_PROVIDER_VERSION, kubernetesTypeToken } from '../../lib/cloud/kubernetes';
import { NETWORK_NOT_READY_TAINT } from '../../lib/k8s/network-agent';
import { PlannedResource, ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';

const ARGS: EksClusterArgs = {
  environment: 'staging',
  region: 'eu-west-1',
  clusterName: 'staging-euw1',
  kubernetesVersion: '1.36',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  access: [{ name: 'admin', principalArn: 'arn:aws:iam::123456789012:role/platform-admin', policy: 'AmazonEKSClusterAdminPolicy' }],
  nodeGroups: [
    { name: 'system', instanceTypes: ['m7i.large'], minSize: 2, maxSize: 3, desiredSize: 2 },
    { name: 'consensus', instanceTypes: ['m7i.large'], minSize: 1, maxSize: 3, desiredSize: 3, taint: { key: 'fleetcraft.io/consensus', value: 'true', effect: 'NoSchedule' } },
  ],
};

function build(overrides: Partial<EksClusterArgs> = {}): Promise<ProgramRun> {
  return runUnderMocks('test', {}, () => {
    const provider = new aws.Provider('aws', { region: 'eu-west-1' });
    const c = new EksCluster('c', { ...ARGS, ...overrides }, { provider });
    return { kubeconfig: c.kubeconfig };
  });
}

const all = (run: ProgramRun, type: string): PlannedResource[] => run.resources.filter((r) => r.type === type);
const one = (run: ProgramRun, type: string, name: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
};
const policy = (r: PlannedResource, field: string) => JSON.parse(r.inputs[field] as string);

describe('EksCluster', () => {
  describe('defaults', () => {
    let run: ProgramRun;
    beforeAll(async () => { run = await build(); });

    test('is a fleetcraft:cloud:EksCluster whose children use the region\'s provider', () => {
      expect(one(run, 'fleetcraft:cloud:EksCluster', 'c').parent).toBeUndefined();
      const custom = run.resources.filter((r) => r.custom && r.type.startsWith('aws:'));
      expect(custom.length).toBeGreaterThan(30);
      for (const r of custom) expect([r.name, r.provider]).toEqual([r.name, 'aws']);
    });

    test('vpcCidr defaults to 10.0.0.0/16; one private and one public subnet per zone given', () => {
      expect(one(run, 'aws:ec2/vpc:Vpc', 'c-vpc').inputs).toMatchObject({ cidrBlock: '10.0.0.0/16', enableDnsHostnames: true });
      const subnets = all(run, 'aws:ec2/subnet:Subnet').map((s) => [s.name, s.inputs.availabilityZone, s.inputs.cidrBlock]);
      expect(subnets).toEqual(expect.arrayContaining([
        ['c-private-eu-west-1a', 'eu-west-1a', '10.0.0.0/18'], ['c-private-eu-west-1b', 'eu-west-1b', '10.0.64.0/18'],
        ['c-private-eu-west-1c', 'eu-west-1c', '10.0.128.0/18'], ['c-public-eu-west-1a', 'eu-west-1a', '10.0.192.0/20'],
      ]));
      expect(subnets).toHaveLength(6);
    });

    test('private subnets are tagged for internal load balancers, public ones for internet-facing ones', () => {
      expect(one(run, 'aws:ec2/subnet:Subnet', 'c-private-eu-west-1a').inputs.tags).toMatchObject({ 'kubernetes.io/role/internal-elb': '1', 'kubernetes.io/cluster/staging-euw1': 'shared' });
      expect(one(run, 'aws:ec2/subnet:Subnet', 'c-public-eu-west-1a').inputs).toMatchObject({ mapPublicIpOnLaunch: false, tags: { 'kubernetes.io/role/elb': '1' } });
    });

    test('an access entry and a cluster-wide access-policy association per principal; the Kubernetes provider waits for them', () => {
      expect(one(run, 'aws:eks/accessEntry:AccessEntry', 'c-access-admin').inputs).toEqual({
        clusterName: 'staging-euw1', principalArn: 'arn:aws:iam::123456789012:role/platform-admin', type: 'STANDARD',
      });
      expect(one(run, 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation', 'c-access-admin').inputs).toEqual({
        clusterName: 'staging-euw1', principalArn: 'arn:aws:iam::123456789012:role/platform-admin',
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' },
      });
    });

    test('natGateways defaults to one per zone', () => {
      expect(all(run, 'aws:ec2/natGateway:NatGateway')).toHaveLength(3);
      expect(one(run, 'aws:ec2/routeTable:RouteTable', 'c-private-eu-west-1b').inputs.routes).toEqual([{ cidrBlock: '0.0.0.0/0', natGatewayId: 'c-nat-eu-west-1b-id' }]);
    });

    test('the control plane: private nodes, endpointPublicAccess false, Secrets encrypted with a rotating key', () => {
      const eks = one(run, 'aws:eks/cluster:Cluster', 'c-eks').inputs;
      expect(eks).toMatchObject({
        name: 'staging-euw1',
        version: '1.36',
        vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, subnetIds: ['c-private-eu-west-1a-id', 'c-private-eu-west-1b-id', 'c-private-eu-west-1c-id'] },
        encryptionConfig: { resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/c-eks-secrets-key' } },
        accessConfig: { authenticationMode: 'API' },
        bootstrapSelfManagedAddons: false,
      });
      expect((eks.vpcConfig as Record<string, unknown>).publicAccessCidrs).toBeUndefined();
      expect(one(run, 'aws:kms/key:Key', 'c-eks-secrets-key').inputs.enableKeyRotation).toBe(true);
      expect(one(run, 'aws:kms/alias:Alias', 'c-eks-secrets-key').inputs.name).toBe('alias/fleetcraft/staging/staging-euw1/eks-secrets');
    });

    test('deletionProtection defaults to false', () => {
      expect(one(run, 'aws:eks/cluster:Cluster', 'c-eks').inputs.deletionProtection).toBe(false);
    });

    test('startupTaint defaults to the network agent\'s taint, first on every node group; the group taint follows', () => {
      expect(one(run, 'aws:eks/nodeGroup:NodeGroup', 'c-system').inputs.taints).toEqual([toEksTaint(NETWORK_NOT_READY_TAINT)]);
      expect(one(run, 'aws:eks/nodeGroup:NodeGroup', 'c-consensus').inputs.taints).toEqual([
        { key: 'fleetcraft.io/network-not-ready', value: 'true', effect: 'NO_SCHEDULE' },
        { key: 'fleetcraft.io/consensus', value: 'true', effect: 'NO_SCHEDULE' },
      ]);
    });

    test('node groups: sizes, AL2023, diskSizeGiB defaults to 50, labels default to the group label only', () => {
      expect(one(run, 'aws:eks/nodeGroup:NodeGroup', 'c-consensus').inputs).toMatchObject({
        nodeGroupName: 'staging-euw1-consensus',
        scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 3 },
        amiType: 'AL2023_x86_64_STANDARD',
        launchTemplate: { id: 'c-consensus-id', version: '1' },
        labels: { 'fleetcraft.io/node-group': 'consensus' },
        subnetIds: ['c-private-eu-west-1a-id', 'c-private-eu-west-1b-id', 'c-private-eu-west-1c-id'],
      });
      expect(one(run, 'aws:eks/nodeGroup:NodeGroup', 'c-consensus').inputs.diskSize).toBeUndefined();
    });

    test('capacityType defaults to ON_DEMAND on every group', () => {
      expect(all(run, 'aws:eks/nodeGroup:NodeGroup').map((g) => [g.name, g.inputs.capacityType])).toEqual([['c-system', 'ON_DEMAND'], ['c-consensus', 'ON_DEMAND']]);
    });

    test('each group\'s launch template: encrypted gp3 root volume of diskSizeGiB (default 50), IMDSv2 required, hop limit 1', () => {
      for (const g of ['system', 'consensus']) {
        expect(one(run, 'aws:ec2/launchTemplate:LaunchTemplate', `c-${g}`).inputs).toMatchObject({
          name: `staging-euw1-${g}`,
          blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeType: 'gp3', volumeSize: 50, encrypted: 'true', deleteOnTermination: 'true' } }],
          metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
        });
      }
    });

    test('the OIDC provider serves STS', () => {
      expect(one(run, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider', 'c-oidc').inputs).toEqual({
        url: 'https://oidc.eks.eu-west-1.amazonaws.com/id/STAGING-EUW1', clientIdLists: ['sts.amazonaws.com'],
      });
    });

    test('add-ons: VPC CNI, kube-proxy, CoreDNS, the EBS CSI driver with its role, the snapshot controller', () => {
      expect(all(run, 'aws:eks/addon:Addon').map((a) => a.inputs.addonName)).toEqual(['vpc-cni', 'kube-proxy', 'coredns', 'aws-ebs-csi-driver', 'snapshot-controller']);
      expect(one(run, 'aws:eks/addon:Addon', 'c-aws-ebs-csi-driver').inputs.serviceAccountRoleArn).toBe('arn:aws:iam::123456789012:role/fleetcraft-staging-staging-euw1-ebs-csi');
      expect(JSON.parse(one(run, 'aws:eks/addon:Addon', 'c-coredns').inputs.configurationValues as string).tolerations[0])
        .toEqual({ key: 'fleetcraft.io/network-not-ready', operator: 'Equal', value: 'true', effect: 'NoSchedule' });
    });

    test('partition defaults to aws in managed policy ARNs', () => {
      expect(one(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', 'c-cluster-role').inputs.policyArn).toBe('arn:aws:iam::aws:policy/AmazonEKSClusterPolicy');
      expect(one(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', 'c-ebs-csi-0').inputs.policyArn).toBe('arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy');
    });

    test('the cluster autoscaler\'s role trusts its service account only', () => {
      const role = one(run, 'aws:iam/role:Role', 'c-cluster-autoscaler');
      expect(role.inputs.name).toBe('fleetcraft-staging-staging-euw1-cluster-autoscaler');
      expect(policy(role, 'assumeRolePolicy').Statement[0].Condition.StringEquals)
        .toEqual({ 'oidc.eks.eu-west-1.amazonaws.com/id/STAGING-EUW1:sub': 'system:serviceaccount:kube-system:cluster-autoscaler', 'oidc.eks.eu-west-1.amazonaws.com/id/STAGING-EUW1:aud': 'sts.amazonaws.com' });
      expect(policy(one(run, 'aws:iam/rolePolicy:RolePolicy', 'c-cluster-autoscaler-policy'), 'policy').Statement[1].Sid).toBe('ScaleOwnGroups');
    });

    test('the AWS Load Balancer Controller\'s role trusts its service account only and manages this cluster\'s load balancers', () => {
      const role = one(run, 'aws:iam/role:Role', 'c-lb-controller');
      expect(role.inputs.name).toBe('fleetcraft-staging-staging-euw1-lb-controller');
      expect(policy(role, 'assumeRolePolicy').Statement[0].Condition.StringEquals).toEqual({
        'oidc.eks.eu-west-1.amazonaws.com/id/STAGING-EUW1:sub': 'system:serviceaccount:kube-system:aws-load-balancer-controller',
        'oidc.eks.eu-west-1.amazonaws.com/id/STAGING-EUW1:aud': 'sts.amazonaws.com',
      });
      const statements = policy(one(run, 'aws:iam/rolePolicy:RolePolicy', 'c-lb-controller-policy'), 'policy').Statement as Array<{ Sid: string; Condition?: unknown; Resource: unknown }>;
      expect(statements.find((st) => st.Sid === 'ManageOwnLoadBalancersAndTargetGroups')?.Condition)
        .toEqual({ StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'staging-euw1' } });
      expect(statements.find((st) => st.Sid === 'RegisterTargets')?.Resource).toBe('arn:aws:elasticloadbalancing:*:*:targetgroup/*/*');
      expect(all(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter((a) => a.inputs.role === role.inputs.name)).toEqual([]);
    });

    test('the Kubernetes provider has a stable identity, server-side apply, and the pinned plugin version', () => {
      expect(one(run, 'pulumi:providers:kubernetes', 'c-k8s').inputs).toMatchObject({
        clusterIdentifier: 'arn:aws:eks:eu-west-1:123456789012:cluster/staging-euw1', enableServerSideApply: 'true',
      });
      expect(KUBERNETES_PROVIDER_VERSION).toMatch(/^4\.\d+\.\d+$/);
    });

    test('awsProfile defaults to none: the kubeconfig uses aws eks get-token with the default chain', () => {
      const kubeconfig = JSON.parse(run.outputs.kubeconfig as string);
      expect(kubeconfig.users[0].user.exec).toEqual({
        apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', interactiveMode: 'Never',
        args: ['eks', 'get-token', '--cluster-name', 'staging-euw1', '--region', 'eu-west-1', '--output', 'json'],
      });
      expect(kubeconfig.clusters[0].cluster.server).toBe('https://STAGING-EUW1.gr7.eu-west-1.eks.amazonaws.com');
    });
  });

  describe('overrides', () => {
    test('partition: managed policy ARNs and the load balancer controller\'s resource ARNs', async () => {
      const run = await build({ partition: 'aws-us-gov' });
      expect(one(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', 'c-cluster-role').inputs.policyArn).toBe('arn:aws-us-gov:iam::aws:policy/AmazonEKSClusterPolicy');
      const statements = policy(one(run, 'aws:iam/rolePolicy:RolePolicy', 'c-lb-controller-policy'), 'policy').Statement as Array<{ Sid: string; Resource: unknown }>;
      expect(statements.find((st) => st.Sid === 'RegisterTargets')?.Resource).toBe('arn:aws-us-gov:elasticloadbalancing:*:*:targetgroup/*/*');
    });

    test('a single NAT gateway, a public endpoint for given CIDRs, deletion protection', async () => {
      const run = await build({ natGateways: NatGatewayMode.SINGLE, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'], deletionProtection: true });
      expect(all(run, 'aws:ec2/natGateway:NatGateway')).toHaveLength(1);
      expect(one(run, 'aws:ec2/routeTable:RouteTable', 'c-private-eu-west-1c').inputs.routes).toEqual([{ cidrBlock: '0.0.0.0/0', natGatewayId: 'c-nat-eu-west-1a-id' }]);
      expect(one(run, 'aws:eks/cluster:Cluster', 'c-eks').inputs).toMatchObject({
        vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] }, deletionProtection: true,
      });
    });

    test('vpcCidr, zones, disk size, labels and the AWS profile', async () => {
      const run = await build({
        vpcCidr: '10.8.0.0/16', availabilityZones: ['eu-west-1b', 'eu-west-1c'], awsProfile: 'ops',
        nodeGroups: [{ name: 'general', instanceTypes: ['m7i.large'], minSize: 1, maxSize: 2, desiredSize: 1, diskSizeGiB: 100, labels: { tier: 'x' } }],
      });
      expect(all(run, 'aws:ec2/subnet:Subnet').map((s) => s.inputs.cidrBlock).sort()).toEqual(['10.8.0.0/18', '10.8.192.0/20', '10.8.208.0/20', '10.8.64.0/18']);
      expect(one(run, 'aws:eks/nodeGroup:NodeGroup', 'c-general').inputs).toMatchObject({ labels: { 'tier': 'x', 'fleetcraft.io/node-group': 'general' } });
      expect(one(run, 'aws:ec2/launchTemplate:LaunchTemplate', 'c-general').inputs.blockDeviceMappings).toMatchObject([{ ebs: { volumeSize: 100 } }]);
      expect(JSON.parse(run.outputs.kubeconfig as string).users[0].user.exec.env).toEqual([{ name: 'AWS_PROFILE', value: 'ops' }]);
    });

    test('another startup taint', () => {
      expect(nodeGroupTaints(ARGS.nodeGroups[0], { key: 'k', value: 'v', effect: 'NoExecute' })).toEqual([{ key: 'k', value: 'v', effect: 'NO_EXECUTE' }]);
      expect(addonPlan({ key: 'k', value: 'v', effect: 'NoExecute' })[3].configuration).toEqual({
        controller: { tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' }, { key: 'CriticalAddonsOnly', operator: 'Exists' }] },
      });
    });
  });

  test('a spot group: capacityType SPOT reaches the EKS node group with its instance types', async () => {
    const run = await build({ nodeGroups: [...ARGS.nodeGroups, { name: 'general', instanceTypes: ['m7i.large', 'm6i.large'], minSize: 1, maxSize: 6, desiredSize: 2, capacityType: 'SPOT' }] });
    expect(one(run, 'aws:eks/nodeGroup:NodeGroup', 'c-general').inputs).toMatchObject({ capacityType: 'SPOT', instanceTypes: ['m7i.large', 'm6i.large'] });
    expect(one(run, 'aws:eks/nodeGroup:NodeGroup', 'c-system').inputs.capacityType).toBe('ON_DEMAND');
  });

  describe('refuses', () => {
    test('a spot group with fewer than two instance types, and a capacity type EKS does not know', () => {
      const spot = { name: 'general', instanceTypes: ['m7i.large'], minSize: 1, maxSize: 6, desiredSize: 2, capacityType: 'SPOT' as const };
      expect(() => validateClusterArgs('c', { ...ARGS, nodeGroups: [spot] })).toThrow(
        'EksCluster \'c\': nodeGroups[general].instanceTypes (["m7i.large"]) must list at least two instance types for a spot group, or the group stops scaling whenever its one type has no spot capacity; add a type of the same size, e.g. ["m7i.large", "m6i.large"]');
      expect(() => validateClusterArgs('c', { ...ARGS, nodeGroups: [{ ...spot, capacityType: 'spot' as 'SPOT' }] })).toThrow(
        'EksCluster \'c\': nodeGroups[general].capacityType ("spot") is not an EKS capacity type; use \'ON_DEMAND\' or \'SPOT\'');
    });

    test('a public endpoint without CIDRs', () => {
      expect(() => validateClusterArgs('c', { ...ARGS, endpointPublicAccess: true }))
        .toThrow('EksCluster \'c\': publicAccessCidrs ([]) must list at least one CIDR when endpointPublicAccess is true; list your office, VPN or CI runner ranges');
    });

    test('0.0.0.0/0 unless allowed on purpose, and a range that is not a CIDR', () => {
      expect(() => validateClusterArgs('c', { ...ARGS, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24', '0.0.0.0/0'] }))
        .toThrow('EksCluster \'c\': publicAccessCidrs (["203.0.113.0/24","0.0.0.0/0"]) admits any address (0.0.0.0/0); list your office, VPN or CI runner ranges, or set allowPublicAccessFromAnywhere (stack config fleetcraft:allowPublicAccessFromAnywhere) on purpose');
      expect(() => validateClusterArgs('c', { ...ARGS, endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'], allowPublicAccessFromAnywhere: true })).not.toThrow();
      expect(() => validateClusterArgs('c', { ...ARGS, endpointPublicAccess: true, publicAccessCidrs: ['my office'] }))
        .toThrow('EksCluster \'c\': publicAccessCidrs[] ("my office") is not an IPv4 CIDR; use e.g. "203.0.113.0/24"');
    });

    test('the refusal stops the program before anything is registered', async () => {
      await expect(build({ endpointPublicAccess: true })).rejects.toThrow('publicAccessCidrs ([]) must list at least one CIDR');
    });

    test('no principal besides the creator, and a principal named twice', () => {
      expect(() => validateClusterArgs('c', { ...ARGS, access: [] })).toThrow(
        'EksCluster \'c\': access ([]) lists no principal besides the cluster creator, so only whoever ran the first `pulumi up` could use the cluster; give the administrators\' and CI\'s roles access (stack config fleetcraft:adminPrincipals, fleetcraft:ciPrincipals)');
      expect(() => validateClusterArgs('c', { ...ARGS, access: [ARGS.access[0], ARGS.access[0]] })).toThrow('EksCluster \'c\': access[].name ("admin") is used twice');
    });

    test('namespace-scoped access', () => {
      expect(accessScope({ name: 'x', principalArn: 'a', policy: 'AmazonEKSEditPolicy', namespaces: ['api'] })).toEqual({ type: 'namespace', namespaces: ['api'] });
      expect(accessPolicyArn('AmazonEKSViewPolicy', 'aws-cn')).toBe('arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy');
    });

    test('no node group, a duplicate, bad sizes, no instance type', () => {
      expect(() => validateClusterArgs('c', { ...ARGS, nodeGroups: [] })).toThrow('EksCluster \'c\': nodeGroups ([]) must list at least one group; add a system group');
      expect(() => validateClusterArgs('c', { ...ARGS, nodeGroups: [ARGS.nodeGroups[0], ARGS.nodeGroups[0]] }))
        .toThrow('EksCluster \'c\': nodeGroups[].name ("system") is used twice; give each group its own name');
      expect(() => validateClusterArgs('c', { ...ARGS, nodeGroups: [{ ...ARGS.nodeGroups[0], desiredSize: 5 }] }))
        .toThrow('EksCluster \'c\': nodeGroups[system] ({"minSize":2,"desiredSize":5,"maxSize":3}) must satisfy 0 <= minSize <= desiredSize <= maxSize and maxSize >= 1; adjust the sizes');
      expect(() => validateClusterArgs('c', { ...ARGS, nodeGroups: [{ ...ARGS.nodeGroups[0], instanceTypes: [] }] }))
        .toThrow('EksCluster \'c\': nodeGroups[system].instanceTypes ([]) must list at least one instance type; add e.g. "m7i.large"');
    });

    test('a cluster name that is not a DNS label and a version that is not a minor', () => {
      expect(() => validateClusterArgs('c', { ...ARGS, clusterName: 'Prod' })).toThrow('EksCluster \'c\': clusterName ("Prod") must consist of lowercase letters');
      expect(() => validateClusterArgs('c', { ...ARGS, kubernetesVersion: '1.36.2' })).toThrow('EksCluster \'c\': kubernetesVersion ("1.36.2") must be a Kubernetes minor; use e.g. "1.36"');
    });
  });
});

describe('Kubernetes helpers', () => {
  test('type tokens spell the core group "core"', () => {
    expect(kubernetesTypeToken({ apiVersion: 'v1', kind: 'Namespace' })).toBe('kubernetes:core/v1:Namespace');
    expect(kubernetesTypeToken({ apiVersion: 'apps/v1', kind: 'Deployment' })).toBe('kubernetes:apps/v1:Deployment');
    expect(kubernetesTypeToken({ apiVersion: 'velero.io/v1', kind: 'Schedule' })).toBe('kubernetes:velero.io/v1:Schedule');
  });

  test('the kubeconfig carries no credential', () => {
    const text = eksKubeconfig({ clusterName: 'x', region: 'us-east-1', endpoint: 'https://e', certificateAuthorityData: 'Q0E=' });
    expect(JSON.parse(text)).toMatchObject({ 'current-context': 'x', 'clusters': [{ cluster: { 'server': 'https://e', 'certificate-authority-data': 'Q0E=' } }] });
    expect(Object.keys(JSON.parse(text).users[0].user)).toEqual(['exec']);
  });
});
