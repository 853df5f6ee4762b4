/**
 * One EKS cluster in one region: its VPC over three zones (private node subnets), the control plane with KMS
 * envelope encryption of Secrets and a configurable endpoint, managed node groups that register with the network
 * agent's startup taint, the OIDC provider for service-account roles, the core add-ons with the EBS CSI driver,
 * the cluster autoscaler's and the AWS Load Balancer Controller's roles, and an explicit Kubernetes provider for the
 * cluster.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { NETWORK_NOT_READY_TAINT } from '../k8s/network-agent/startup-taint';
import { propError } from '../private/errors';
import { dnsLabelError } from '../private/names';
import { accessPolicyArn, accessScope, ClusterAccess, validateClusterAccess } from './access';
import { clusterAutoscalerPolicy, loadBalancerControllerPolicy, policyJson, serviceTrustPolicy } from './iam';
import { eksKubeconfig, kubernetesProvider } from './kubernetes';
import { CloudRolePurpose, KEEP_DATA, kmsAliasName, KmsKeyPurpose, PROTECTED, roleName, SERVICE_ACCOUNTS, vpcNameTag } from './names';
import { isAnyAddress, parseCidr, subnetLayout } from './network';
import { serviceAccountRole } from './roles';

/** A Kubernetes taint, in Kubernetes spelling. */
export interface Taint {
  /** Taint key, e.g. `fleetcraft.io/consensus`. */
  readonly key: string;
  /** Taint value. */
  readonly value: string;
  /** Effect, Kubernetes spelling. */
  readonly effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule';
}

/** A taint as the EKS node-group API spells it. */
export interface EksTaint {
  /** Taint key. */
  readonly key: string;
  /** Taint value. */
  readonly value: string;
  /** Effect, EKS spelling. */
  readonly effect: 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';
}

/**
 * On-demand or spot EC2 capacity, as EKS spells it (`aws.eks.NodeGroup`'s `capacityType`).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html#managed-node-group-capacity-types
 */
export type CapacityType = 'ON_DEMAND' | 'SPOT';

/** One managed node group. */
export interface NodeGroupArgs {
  /** Group name (a DNS-1123 label); the EKS node group is named `<cluster>-<name>`. */
  readonly name: string;
  /** EC2 instance types, in order of preference. */
  readonly instanceTypes: readonly string[];
  /** Fewest nodes (0 or more). */
  readonly minSize: number;
  /** Most nodes (the cluster autoscaler's ceiling). */
  readonly maxSize: number;
  /** Nodes at creation; later changes by the autoscaler are kept (`ignoreChanges`). */
  readonly desiredSize: number;
  /**
   * A taint keeping other workloads off the group (the consensus group's).
   * @default - none besides the startup taint
   */
  readonly taint?: Taint;
  /**
   * Node labels.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Root volume size in GiB.
   * @default 50
   */
  readonly diskSizeGiB?: number;
  /**
   * On-demand or spot instances (the EKS node group's `capacityType`). Spot is for stateless groups only (an
   * interruption gives two minutes' notice) and needs at least two instance types, so that the group still scales
   * when one type has no spot capacity left.
   * @default 'ON_DEMAND'
   * @see https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html#managed-node-group-capacity-types
   */
  readonly capacityType?: CapacityType;
}

/** How many NAT gateways the VPC gets. */
export enum NatGatewayMode {
  /** One per zone: a zone's outage does not cut the others off the internet. */
  PER_ZONE = 'per-zone',
  /** One for the whole VPC: cheaper, for non-production. */
  SINGLE = 'single',
}

/**
 * Arguments of {@link EksCluster}. Node groups and zones are plain values, not `pulumi.Input`s: they decide how
 * many resources exist, which Pulumi must know when the program runs.
 */
export interface EksClusterArgs {
  /** The environment's name (part of every cloud name). */
  readonly environment: string;
  /** The region (must be the region of the AWS provider passed in `opts`). */
  readonly region: string;
  /** The EKS cluster's name (a DNS-1123 label). */
  readonly clusterName: string;
  /** Kubernetes minor, e.g. `1.36`. */
  readonly kubernetesVersion: string;
  /** The managed node groups, at least one. */
  readonly nodeGroups: readonly NodeGroupArgs[];
  /**
   * The VPC's CIDR (/16 to /20).
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;
  /**
   * Zones for the subnets (two or three), as the account reports them (`aws.getAvailabilityZones`, then
   * `pickZones`): zone letters differ per account, so there is no default.
   */
  readonly availabilityZones: readonly string[];
  /**
   * NAT gateways.
   * @default NatGatewayMode.PER_ZONE
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Whether the API server endpoint is also reachable from the internet, limited to `publicAccessCidrs` (it is
   * always reachable from the VPC: private access stays on). `pulumi up` bootstraps Argo CD through it, so a
   * private-only cluster (false) needs the program run from inside the VPC, or over a VPN, peering or transit
   * gateway into it, with DNS resolving the endpoint to its private addresses — which a VPC created by the same
   * `pulumi up` cannot offer on the first run.
   * @default false
   */
  readonly endpointPublicAccess?: boolean;
  /**
   * The CIDRs allowed to reach a public endpoint; required when `endpointPublicAccess` is true.
   * @default []
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * More addresses that must reach a public endpoint, known only once other resources exist: the NAT gateway
   * addresses of the cluster Argo CD runs in, for a remote cluster it deploys to.
   * @default []
   */
  readonly peerAccessCidrs?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Accept `0.0.0.0/0` (any address) in `publicAccessCidrs`. The endpoint still needs valid credentials, but an
   * open endpoint is exposed to every scan and API-server vulnerability.
   * @default false
   */
  readonly allowPublicAccessFromAnywhere?: boolean;
  /**
   * The principals that may use the cluster besides its creator (administrators, CI, Argo CD's role for a remote
   * cluster): one EKS access entry and access-policy association each. At least one.
   */
  readonly access: readonly ClusterAccess[];
  /**
   * The taint every node registers with until the network agent is ready.
   * @default NETWORK_NOT_READY_TAINT
   */
  readonly startupTaint?: Taint;
  /**
   * Refuse to delete the cluster (production).
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * The AWS CLI profile the kubeconfig's `aws eks get-token` uses.
   * @default - the AWS CLI's default credential chain
   */
  readonly awsProfile?: string;
  /**
   * The AWS partition (`aws`, `aws-cn`, `aws-us-gov`), for managed policy ARNs.
   * @default 'aws'
   */
  readonly partition?: string;
}

const EKS_EFFECTS: Record<Taint['effect'], EksTaint['effect']> = {
  NoSchedule: 'NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
};

/** Converts a Kubernetes taint to the EKS API's spelling. */
export function toEksTaint(taint: Taint): EksTaint {
  return { key: taint.key, value: taint.value, effect: EKS_EFFECTS[taint.effect] };
}

/** The taints a node group registers its nodes with: the startup taint, then the group's own. */
export function nodeGroupTaints(group: NodeGroupArgs, startupTaint: Taint = NETWORK_NOT_READY_TAINT): EksTaint[] {
  return [startupTaint, ...(group.taint ? [group.taint] : [])].map(toEksTaint);
}

/**
 * The add-ons of every cluster, in install order. `vpc-cni` and `kube-proxy` go before the node groups (nodes
 * are not Ready without them; both tolerate every taint); the others after, and tolerate the startup taint: they
 * use the VPC CNI, not the fleetcraft network agent, and would otherwise stay Pending (and the add-on DEGRADED)
 * until the agent runs. Check the keys with `aws eks describe-addon-configuration` when upgrading an add-on.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html
 */
export function addonPlan(startupTaint: Taint = NETWORK_NOT_READY_TAINT): Array<{ name: string; beforeNodes: boolean; configuration?: Record<string, unknown> }> {
  const tolerations = [
    { key: startupTaint.key, operator: 'Equal', value: startupTaint.value, effect: startupTaint.effect },
    { key: 'CriticalAddonsOnly', operator: 'Exists' },
  ];
  return [
    { name: 'vpc-cni', beforeNodes: true },
    { name: 'kube-proxy', beforeNodes: true },
    { name: 'coredns', beforeNodes: false, configuration: { tolerations } },
    { name: 'aws-ebs-csi-driver', beforeNodes: false, configuration: { controller: { tolerations } } },
    { name: 'snapshot-controller', beforeNodes: false, configuration: { tolerations } },
  ];
}

/** Validates the arguments, throwing the first problem with its fix. */
export function validateClusterArgs(name: string, args: EksClusterArgs): void {
  const labelError = dnsLabelError(args.clusterName);
  if (labelError) throw propError('EksCluster', name, 'clusterName', args.clusterName, labelError, 'use lowercase letters, digits and \'-\'');
  if (!/^1\.\d+$/.test(args.kubernetesVersion)) {
    throw propError('EksCluster', name, 'kubernetesVersion', args.kubernetesVersion, 'must be a Kubernetes minor', 'use e.g. "1.36"');
  }
  if (args.nodeGroups.length === 0) {
    throw propError('EksCluster', name, 'nodeGroups', [], 'must list at least one group', 'add a system group');
  }
  const seen = new Set<string>();
  for (const g of args.nodeGroups) {
    const error = dnsLabelError(g.name);
    if (error) throw propError('EksCluster', name, 'nodeGroups[].name', g.name, error, 'use lowercase letters, digits and \'-\'');
    if (seen.has(g.name)) throw propError('EksCluster', name, 'nodeGroups[].name', g.name, 'is used twice', 'give each group its own name');
    seen.add(g.name);
    if (g.instanceTypes.length === 0) {
      throw propError('EksCluster', name, `nodeGroups[${g.name}].instanceTypes`, [], 'must list at least one instance type', 'add e.g. "m7i.large"');
    }
    if (g.capacityType !== undefined && g.capacityType !== 'ON_DEMAND' && g.capacityType !== 'SPOT') {
      throw propError('EksCluster', name, `nodeGroups[${g.name}].capacityType`, g.capacityType, 'is not an EKS capacity type', 'use \'ON_DEMAND\' or \'SPOT\'');
    }
    if (g.capacityType === 'SPOT' && g.instanceTypes.length < 2) {
      throw propError('EksCluster', name, `nodeGroups[${g.name}].instanceTypes`, g.instanceTypes,
        'must list at least two instance types for a spot group, or the group stops scaling whenever its one type has no spot capacity',
        'add a type of the same size, e.g. ["m7i.large", "m6i.large"]');
    }
    if (!(g.minSize >= 0 && g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize && g.maxSize >= 1)) {
      throw propError('EksCluster', name, `nodeGroups[${g.name}]`, { minSize: g.minSize, desiredSize: g.desiredSize, maxSize: g.maxSize },
        'must satisfy 0 <= minSize <= desiredSize <= maxSize and maxSize >= 1', 'adjust the sizes');
    }
  }
  validateClusterAccess('EksCluster', name, args.access);
  if (args.endpointPublicAccess && (args.publicAccessCidrs ?? []).length === 0) {
    throw propError('EksCluster', name, 'publicAccessCidrs', [], 'must list at least one CIDR when endpointPublicAccess is true',
      'list your office, VPN or CI runner ranges');
  }
  const open = (args.endpointPublicAccess ? args.publicAccessCidrs ?? [] : []).filter(isAnyAddress);
  if (open.length > 0 && !args.allowPublicAccessFromAnywhere) {
    throw propError('EksCluster', name, 'publicAccessCidrs', args.publicAccessCidrs, `admits any address (${open.join(', ')})`,
      'list your office, VPN or CI runner ranges, or set allowPublicAccessFromAnywhere (stack config fleetcraft:allowPublicAccessFromAnywhere) on purpose');
  }
  for (const cidr of args.publicAccessCidrs ?? []) {
    if (!parseCidr(cidr)) throw propError('EksCluster', name, 'publicAccessCidrs[]', cidr, 'is not an IPv4 CIDR', 'use e.g. "203.0.113.0/24"');
  }
}

/**
 * The launch template of a node group: an encrypted gp3 root volume (the account's EBS key: a customer key would
 * need a key policy for the Auto Scaling service-linked role), and IMDSv2 required with a hop limit of 1, so pods
 * that are not on the host network cannot reach the node role's credentials through the instance metadata service.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node
 */
export function launchTemplateArgs(templateName: string, group: NodeGroupArgs): aws.ec2.LaunchTemplateArgs {
  return {
    name: templateName,
    updateDefaultVersion: true,
    blockDeviceMappings: [{
      deviceName: '/dev/xvda',
      ebs: { volumeType: 'gp3', volumeSize: group.diskSizeGiB ?? 50, encrypted: 'true', deleteOnTermination: 'true' },
    }],
    metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
    tagSpecifications: [{ resourceType: 'instance', tags: { Name: templateName } }, { resourceType: 'volume', tags: { Name: templateName } }],
  };
}

const managedPolicy = (partition: string, policy: string): string => `arn:${partition}:iam::aws:policy/${policy}`;

/**
 * An EKS cluster with everything it needs to run fleetcraft's manifests (type `fleetcraft:cloud:EksCluster`).
 * Pass the region's AWS provider in `opts.provider`; every child uses it.
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/introduction.html
 */
export class EksCluster extends pulumi.ComponentResource {
  /** The VPC. */
  public readonly vpc: aws.ec2.Vpc;
  /** The private subnets, one per zone (nodes and the control plane's network interfaces). */
  public readonly privateSubnets: aws.ec2.Subnet[];
  /** The public subnets, one per zone (NAT gateways, internet-facing load balancers). */
  public readonly publicSubnets: aws.ec2.Subnet[];
  /** The NAT gateways' public addresses as /32 CIDRs: where this cluster's pods reach the internet from. */
  public readonly natCidrs: readonly pulumi.Output<string>[];
  /** The KMS key encrypting Kubernetes Secrets. */
  public readonly secretsKey: aws.kms.Key;
  /** The control plane. */
  public readonly cluster: aws.eks.Cluster;
  /** The node groups, by name. */
  public readonly nodeGroups: Readonly<Record<string, aws.eks.NodeGroup>>;
  /** The IAM OIDC provider for service-account roles. */
  public readonly oidcProvider: aws.iam.OpenIdConnectProvider;
  /** The OIDC issuer URL. */
  public readonly oidcIssuer: pulumi.Output<string>;
  /** The add-ons, by name. */
  public readonly addons: Readonly<Record<string, aws.eks.Addon>>;
  /** The EBS CSI driver's role. */
  public readonly ebsCsiRole: aws.iam.Role;
  /** The VPC CNI's role (IRSA for `kube-system/aws-node`). */
  public readonly vpcCniRole: aws.iam.Role;
  /** The cluster autoscaler's role (annotate its service account with `serviceAccountRoleAnnotations`). */
  public readonly clusterAutoscalerRole: aws.iam.Role;
  /**
   * The AWS Load Balancer Controller's role (IRSA for `kube-system/aws-load-balancer-controller`): load balancers,
   * target groups and security groups tagged as this cluster's (`loadBalancerControllerPolicy`). Its add-on's service
   * account names it by ARN (`serviceAccountRoleAnnotations` with `CloudRolePurpose.LOAD_BALANCER_CONTROLLER`).
   */
  public readonly loadBalancerControllerRole: aws.iam.Role;
  /** A kubeconfig (no credentials in it: `aws eks get-token`). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The access-policy associations of {@link EksClusterArgs.access}, in order (each after its access entry). */
  public readonly accessEntries: readonly aws.eks.AccessPolicyAssociation[];
  /** The explicit Kubernetes provider of this cluster. */
  public readonly provider: pulumi.ProviderResource;

  constructor(name: string, args: EksClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    validateClusterArgs(name, args);
    super('fleetcraft:cloud:EksCluster', name, {}, opts);
    const partition = args.partition ?? 'aws';
    const { environment, clusterName } = args;
    const child = { parent: this };
    const zones = subnetLayout(name, args.vpcCidr ?? '10.0.0.0/16', args.availabilityZones);
    const clusterTag = { [`kubernetes.io/cluster/${clusterName}`]: 'shared' };

    // Network: public subnets with NAT gateways, private subnets routed through them.
    this.vpc = new aws.ec2.Vpc(`${name}-vpc`, {
      cidrBlock: args.vpcCidr ?? '10.0.0.0/16', enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: vpcNameTag(clusterName) },
    }, child);
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id, tags: { Name: clusterName } }, child);
    const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, {
      vpcId: this.vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }], tags: { Name: `${clusterName}-public` },
    }, child);
    this.publicSubnets = zones.map((z) => new aws.ec2.Subnet(`${name}-public-${z.zone}`, {
      vpcId: this.vpc.id, cidrBlock: z.publicCidr, availabilityZone: z.zone, mapPublicIpOnLaunch: false,
      tags: { ...clusterTag, 'Name': `${clusterName}-public-${z.zone}`, 'kubernetes.io/role/elb': '1' },
    }, child));
    this.publicSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${zones[i].zone}`, { subnetId: s.id, routeTableId: publicRoutes.id }, child));
    const natZones = (args.natGateways ?? NatGatewayMode.PER_ZONE) === NatGatewayMode.PER_ZONE ? zones.length : 1;
    const eips: aws.ec2.Eip[] = [];
    const nats = Array.from({ length: natZones }, (_, i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${zones[i].zone}`, { domain: 'vpc', tags: { Name: `${clusterName}-nat-${zones[i].zone}` } }, child);
      eips.push(eip);
      return new aws.ec2.NatGateway(`${name}-nat-${zones[i].zone}`, {
        allocationId: eip.id, subnetId: this.publicSubnets[i].id, tags: { Name: `${clusterName}-${zones[i].zone}` },
      }, { parent: this, dependsOn: [igw] });
    });
    this.privateSubnets = zones.map((z, i) => {
      const subnet = new aws.ec2.Subnet(`${name}-private-${z.zone}`, {
        vpcId: this.vpc.id, cidrBlock: z.privateCidr, availabilityZone: z.zone,
        tags: { ...clusterTag, 'Name': `${clusterName}-private-${z.zone}`, 'kubernetes.io/role/internal-elb': '1' },
      }, child);
      const routes = new aws.ec2.RouteTable(`${name}-private-${z.zone}`, {
        vpcId: this.vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nats[Math.min(i, nats.length - 1)].id }],
        tags: { Name: `${clusterName}-private-${z.zone}` },
      }, child);
      new aws.ec2.RouteTableAssociation(`${name}-private-${z.zone}`, { subnetId: subnet.id, routeTableId: routes.id }, child);
      return subnet;
    });

    // Control plane, with Secrets encrypted by a key of its own.
    this.secretsKey = new aws.kms.Key(`${name}-eks-secrets-key`, {
      description: `EKS Secrets encryption for ${clusterName}`, enableKeyRotation: true, deletionWindowInDays: 30,
    }, { ...child, ...KEEP_DATA });
    new aws.kms.Alias(`${name}-eks-secrets-key`, { name: kmsAliasName(environment, clusterName, KmsKeyPurpose.EKS_SECRETS), targetKeyId: this.secretsKey.keyId }, child);
    const clusterRole = new aws.iam.Role(`${name}-cluster-role`, {
      name: roleName(environment, clusterName, CloudRolePurpose.CLUSTER),
      assumeRolePolicy: policyJson(serviceTrustPolicy('eks.amazonaws.com')),
    }, child);
    const clusterPolicy = new aws.iam.RolePolicyAttachment(`${name}-cluster-role`, {
      role: clusterRole.name, policyArn: managedPolicy(partition, 'AmazonEKSClusterPolicy'),
    }, child);
    this.cluster = new aws.eks.Cluster(`${name}-eks`, {
      name: clusterName,
      version: args.kubernetesVersion,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: this.privateSubnets.map((s) => s.id),
        endpointPrivateAccess: true,
        endpointPublicAccess: args.endpointPublicAccess ?? false,
        ...(args.endpointPublicAccess ? {
          publicAccessCidrs: args.peerAccessCidrs === undefined ? [...(args.publicAccessCidrs ?? [])]
            : pulumi.all([pulumi.output(args.peerAccessCidrs)]).apply(([peers]) => [...(args.publicAccessCidrs ?? []), ...peers]),
        } : {}),
      },
      encryptionConfig: { provider: { keyArn: this.secretsKey.arn }, resources: ['secrets'] },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      bootstrapSelfManagedAddons: false,
      enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
      deletionProtection: args.deletionProtection ?? false,
    }, { parent: this, dependsOn: [clusterPolicy], ...PROTECTED });
    const associations = args.access.map((a) => {
      const entry = new aws.eks.AccessEntry(`${name}-access-${a.name}`, { clusterName: this.cluster.name, principalArn: a.principalArn, type: 'STANDARD' }, child);
      return new aws.eks.AccessPolicyAssociation(`${name}-access-${a.name}`, {
        clusterName: this.cluster.name, principalArn: entry.principalArn, policyArn: accessPolicyArn(a.policy, partition), accessScope: accessScope(a),
      }, child);
    });
    this.accessEntries = associations;
    this.natCidrs = eips.map((e) => pulumi.interpolate`${e.publicIp}/32`);
    this.oidcIssuer = this.cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? '');
    this.oidcProvider = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: this.oidcIssuer, clientIdLists: ['sts.amazonaws.com'] }, child);
    const oidc = { providerArn: this.oidcProvider.arn, issuer: this.oidcIssuer };

    // Add-ons that nodes need, then the nodes, then the rest.
    const plan = addonPlan(args.startupTaint);
    this.ebsCsiRole = serviceAccountRole(`${name}-ebs-csi`, {
      roleName: roleName(environment, clusterName, CloudRolePurpose.EBS_CSI), oidc, serviceAccount: SERVICE_ACCOUNTS.ebsCsi,
      managedPolicyArns: [managedPolicy(partition, 'service-role/AmazonEBSCSIDriverPolicy')],
    }, child);
    // Each add-on at the version EKS recommends for this Kubernetes minor in this region (not whatever is newest, and
    // not a version typed here that the region may not offer).
    // The VPC CNI's AWS permissions on its own role (IRSA), not on the node role every pod on the node could use.
    this.vpcCniRole = serviceAccountRole(`${name}-vpc-cni`, {
      roleName: roleName(environment, clusterName, CloudRolePurpose.VPC_CNI), oidc, serviceAccount: SERVICE_ACCOUNTS.vpcCni,
      managedPolicyArns: [managedPolicy(partition, 'AmazonEKS_CNI_Policy')],
    }, child);
    const addon = (a: ReturnType<typeof addonPlan>[number], dependsOn: pulumi.Resource[]) => new aws.eks.Addon(`${name}-${a.name}`, {
      clusterName: this.cluster.name,
      addonName: a.name,
      addonVersion: aws.eks.getAddonVersionOutput({ addonName: a.name, kubernetesVersion: args.kubernetesVersion, mostRecent: false }, { parent: this }).version,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      ...(a.configuration ? { configurationValues: JSON.stringify(a.configuration) } : {}),
      ...(a.name === 'aws-ebs-csi-driver' ? { serviceAccountRoleArn: this.ebsCsiRole.arn } : {}),
      ...(a.name === 'vpc-cni' ? { serviceAccountRoleArn: this.vpcCniRole.arn } : {}),
    }, { parent: this, dependsOn });
    const addons: Record<string, aws.eks.Addon> = {};
    for (const a of plan.filter((p) => p.beforeNodes)) addons[a.name] = addon(a, []);

    const nodeRole = new aws.iam.Role(`${name}-node-role`, {
      name: roleName(environment, clusterName, CloudRolePurpose.NODE),
      assumeRolePolicy: policyJson(serviceTrustPolicy('ec2.amazonaws.com')),
    }, child);
    const nodePolicies = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly'].map((p) =>
      new aws.iam.RolePolicyAttachment(`${name}-node-${p}`, { role: nodeRole.name, policyArn: managedPolicy(partition, p) }, child));
    const groups: Record<string, aws.eks.NodeGroup> = {};
    for (const g of args.nodeGroups) {
      const template = new aws.ec2.LaunchTemplate(`${name}-${g.name}`, launchTemplateArgs(`${clusterName}-${g.name}`, g), child);
      groups[g.name] = new aws.eks.NodeGroup(`${name}-${g.name}`, {
        clusterName: this.cluster.name,
        nodeGroupName: `${clusterName}-${g.name}`,
        nodeRoleArn: nodeRole.arn,
        subnetIds: this.privateSubnets.map((s) => s.id),
        instanceTypes: [...g.instanceTypes],
        capacityType: g.capacityType ?? 'ON_DEMAND',
        amiType: 'AL2023_x86_64_STANDARD',
        // The root volume and instance metadata settings live in the launch template (EKS refuses diskSize with one).
        launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
        scalingConfig: { minSize: g.minSize, maxSize: g.maxSize, desiredSize: g.desiredSize },
        updateConfig: { maxUnavailable: 1 },
        labels: { ...(g.labels ?? {}), 'fleetcraft.io/node-group': g.name },
        taints: nodeGroupTaints(g, args.startupTaint),
      }, { parent: this, dependsOn: [...nodePolicies, ...Object.values(addons)], ignoreChanges: ['scalingConfig.desiredSize'] });
    }
    this.nodeGroups = groups;
    for (const a of plan.filter((p) => !p.beforeNodes)) addons[a.name] = addon(a, Object.values(groups));
    this.addons = addons;

    this.clusterAutoscalerRole = serviceAccountRole(`${name}-cluster-autoscaler`, {
      roleName: roleName(environment, clusterName, CloudRolePurpose.CLUSTER_AUTOSCALER), oidc,
      serviceAccount: SERVICE_ACCOUNTS.clusterAutoscaler, policy: clusterAutoscalerPolicy(clusterName),
    }, child);
    this.loadBalancerControllerRole = serviceAccountRole(`${name}-lb-controller`, {
      roleName: roleName(environment, clusterName, CloudRolePurpose.LOAD_BALANCER_CONTROLLER), oidc,
      serviceAccount: SERVICE_ACCOUNTS.loadBalancerController, policy: loadBalancerControllerPolicy(clusterName, partition),
    }, child);

    this.kubeconfig = pulumi.all([this.cluster.endpoint, this.cluster.certificateAuthority]).apply(([endpoint, ca]) => eksKubeconfig({
      clusterName, region: args.region, endpoint, certificateAuthorityData: ca?.data ?? '', profile: args.awsProfile,
    }));
    this.provider = kubernetesProvider(`${name}-k8s`, { kubeconfig: this.kubeconfig, clusterIdentifier: this.cluster.arn },
      { parent: this, dependsOn: [...Object.values(groups), ...associations] });

    this.registerOutputs({
      clusterName: this.cluster.name, endpoint: this.cluster.endpoint, oidcProviderArn: this.oidcProvider.arn,
      clusterAutoscalerRoleArn: this.clusterAutoscalerRole.arn, loadBalancerControllerRoleArn: this.loadBalancerControllerRole.arn,
      kubeconfig: this.kubeconfig,
    });
  }
}
