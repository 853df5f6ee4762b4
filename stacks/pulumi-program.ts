/**
 * The platform's Pulumi program, for any list of environments: `platformProgram(envs)` is the function Pulumi
 * runs (`stacks/pulumi.ts` exports it for the bundled environments; `fleetcraft plan --environments` runs it for a
 * user's). The stack name picks the environment; an unknown stack fails with the valid names before any resource
 * is registered.
 *
 * Per region of the environment, the primary first: an explicit AWS provider (default providers are disabled in
 * every stack file), the account's zones, then a `RegionalPlatform` — the EKS cluster, its storage and secrets. On
 * the primary cluster, `ArgoCdBootstrap`: Argo CD, the cluster registrations and the root Application; Argo CD owns
 * every other object `fleetcraft synth` writes (Pulumi reads them only to check capacity and names). Sizing, CIDRs
 * and the bucket prefix come from the environment; the stack's configuration holds provider settings, access and
 * secrets:
 * - `aws:profile` (optional): passed to every regional provider. Every provider accepts only the environment's account
 *   (`allowedAccountIds: [awsAccountId]`: credentials of any other account fail before a resource is created);
 *   `aws:allowedAccountIds`, when set, must include it.
 * - `fleetcraft:endpointPublicAccess` (default true: public endpoint limited to `publicAccessCidrs`, plus private
 *   access from the VPC), `fleetcraft:publicAccessCidrs` (required when public), `fleetcraft:allowPublicAccessFromAnywhere`
 *   (default false: production refuses `0.0.0.0/0` without it; other environments accept it).
 * - `fleetcraft:adminPrincipals`, `fleetcraft:ciPrincipals`: IAM role or user ARNs given cluster-admin access entries
 *   on every cluster; at least one in all (the cluster creator's own access is not enough).
 * - `fleetcraft:secrets` (secret object, optional): Secrets Manager secrets by key, in every region of the stack
 *   (`pulumi config set --secret --path 'secrets.<key>' <value>`).
 *
 * Importing this module registers nothing: the offline plan and the tests run the same function under the mock
 * runtime.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ENVIRONMENTS, EnvironmentSpec, validateEnvironment } from '../environments';
import { ClusterAccess } from '../lib/cloud/access';
import { ARGOCD_CHART, ArgoCdBootstrap, argoCdRole } from '../lib/cloud/argocd';
import { cpuMillis, memoryMiB, workloadCapacityProblem } from '../lib/cloud/capacity';
import { NatGatewayMode } from '../lib/cloud/cluster';
import { pickZones } from '../lib/cloud/network';
import { ManifestGroup } from '../lib/cloud/manifests';
import { DnsValidatedCertificate } from '../lib/cloud/certificates';
import { externalDnsPolicy } from '../lib/cloud/iam';
import { CloudRolePurpose, regionalHostName, roleName, SERVICE_ACCOUNTS } from '../lib/cloud/names';
import { serviceAccountRole } from '../lib/cloud/roles';
import { RegionalPlatform } from '../lib/cloud/platform';
import { ConsensusSnapshotStorage } from '../lib/cloud/consensus-snapshots';
import { formatViolation, KubeObject } from '../lib/policy/objects';
import { rootApplicationName } from './argocd';
import { consensusSnapshotTarget, WORKLOADS } from './platform';
import { renderEnvironment } from './render';

/** The environment a stack deploys: the one with the stack's name. */
function environmentOf(stack: string, environments: readonly EnvironmentSpec[]): EnvironmentSpec {
  const env = environments.find((e) => e.name === stack);
  if (!env) {
    const where = environments === ENVIRONMENTS ? ' (one per file in environments/)' : '';
    throw new Error(`Pulumi stack "${stack}" has no environment; valid stack names: ${environments.map((e) => e.name).join(', ')}` +
      `${where}; run \`pulumi stack select <name>\``);
  }
  return validateEnvironment(env);
}

/** The environment's root Application as synth writes it: the one object of the GitOps output Pulumi applies. */
function rootApplicationOf(env: EnvironmentSpec): KubeObject {
  const root = renderEnvironment(env).objects.find((o) => o.cluster === undefined && o.object.kind === 'Application' && o.object.metadata?.name === rootApplicationName(env));
  if (!root) throw new Error(`environment ${env.name}: synth wrote no root Application "${rootApplicationName(env)}"`);
  return root.object;
}

/**
 * The manifests synth writes for each cluster, grouped by component in synth order; refuses what synth refuses.
 * Environment-wide objects (Argo CD's, in `<env>/<component>/`) go to the primary region's cluster, where Argo CD
 * runs (their root Application targets the in-cluster API server), after that cluster's own components.
 */
function manifestsByCluster(env: EnvironmentSpec): Map<string, ManifestGroup[]> {
  const rendered = renderEnvironment(env);
  const errors = rendered.violations.filter((v) => v.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`the manifests of ${env.name} fail ${errors.length} check(s); fix them (fleetcraft synth shows the same):\n` +
      errors.map(formatViolation).join('\n'));
  }
  const primary = primaryRegion(env).clusterName;
  const byCluster = new Map<string, Array<{ component: string; objects: KubeObject[] }>>(rendered.clusters.map((c) => [c, []]));
  const environmentWide: Array<{ component: string; objects: KubeObject[] }> = [];
  for (const o of rendered.objects) {
    const groups = o.cluster === undefined ? environmentWide : byCluster.get(o.cluster) ?? [];
    let group = groups.find((g) => g.component === o.component);
    if (!group) {
      group = { component: o.component, objects: [] };
      groups.push(group);
    }
    group.objects.push(o.object);
    if (o.cluster !== undefined) byCluster.set(o.cluster, groups);
  }
  byCluster.get(primary)?.push(...environmentWide);
  return byCluster;
}

/**
 * Refuses node groups that cannot hold what the manifests may scale to: every HorizontalPodAutoscaler's maximum
 * times its workload's pod requests, on the untainted groups at their maximum sizes beside the DaemonSets' pods.
 */
function checkCapacity(env: EnvironmentSpec, manifests: Map<string, ManifestGroup[]>): void {
  type Container = { resources?: { requests?: { cpu?: string; memory?: string } } };
  type Workload = KubeObject & { spec?: { template?: { spec?: { containers?: Container[] } } } };
  for (const [cluster, groups] of manifests) {
    const objects = groups.flatMap((g) => g.objects) as Workload[];
    const requestsOf = (w: Workload | undefined) => {
      const containers = w?.spec?.template?.spec?.containers ?? [];
      return {
        cpuMillis: containers.reduce((n, c) => n + (cpuMillis(c.resources?.requests?.cpu) ?? 0), 0),
        memoryMiB: containers.reduce((n, c) => n + (memoryMiB(c.resources?.requests?.memory) ?? 0), 0),
      };
    };
    // The DaemonSets (the network agent) take their requests on every node before the autoscaled pods.
    const perNode = objects.filter((o) => o.kind === 'DaemonSet').map(requestsOf);
    for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
      const spec = hpa.spec as { maxReplicas: number; scaleTargetRef: { kind: string; name: string } };
      const target = objects.find((o) => o.kind === spec.scaleTargetRef.kind && o.metadata?.name === spec.scaleTargetRef.name && o.metadata?.namespace === hpa.metadata?.namespace);
      const problem = workloadCapacityProblem(cluster, `${spec.scaleTargetRef.kind} ${hpa.metadata?.namespace}/${spec.scaleTargetRef.name}`, spec.maxReplicas, requestsOf(target), env.nodeGroups, perNode);
      if (problem) throw new Error(`environment ${env.name}: ${problem}`);
    }
  }
}

/** The primary region (the first one when none is marked). */
function primaryRegion(env: EnvironmentSpec): EnvironmentSpec['regions'][number] {
  return env.regions.find((r) => r.primary) ?? env.regions[0];
}

/**
 * The account the stack deploys to: the environment's `awsAccountId`. A stack's `aws:allowedAccountIds` that leaves it
 * out contradicts the environment data (whose role ARNs the GitOps output carries), and is refused.
 */
function checkAllowedAccounts(env: EnvironmentSpec, configured: unknown): string {
  if (configured === undefined) return env.awsAccountId;
  if (!Array.isArray(configured)) {
    throw new Error(`stack ${pulumi.getStack()}: aws:allowedAccountIds (${JSON.stringify(configured)}) must be a list of account ids; ` +
      `set it with \`pulumi config set --path 'aws:allowedAccountIds[0]' ${env.awsAccountId}\` or remove it (\`pulumi config rm aws:allowedAccountIds\`)`);
  }
  if (!configured.map(String).includes(env.awsAccountId)) {
    throw new Error(`stack ${pulumi.getStack()}: aws:allowedAccountIds (${JSON.stringify(configured)}) does not include ${env.awsAccountId}, ` +
      `the awsAccountId of environment ${env.name}, whose IAM role ARNs the GitOps output names; the AWS providers accept only that account. ` +
      `Remove the key (\`pulumi config rm aws:allowedAccountIds\`) or list ${env.awsAccountId} in it, or correct awsAccountId in the environment data ` +
      'if the environment moved to another account');
  }
  return env.awsAccountId;
}

/** Reads the stack's Secrets Manager secrets: keys in the clear (they name resources), values as secrets. */
function configuredSecrets(config: pulumi.Config): Record<string, pulumi.Output<string>> {
  const keys = Object.keys(config.getObject<Record<string, unknown>>('secrets') ?? {}).sort();
  if (keys.length === 0) return {};
  const values = config.requireSecretObject<Record<string, string>>('secrets');
  // A nested value (`--path 'secrets.api.databasePassword'`) is stored as JSON: ExternalSecrets read it by `property`.
  return Object.fromEntries(keys.map((k) => [k, pulumi.secret(values.apply((v) => {
    const value: unknown = v[k];
    return typeof value === 'string' ? value : JSON.stringify(value);
  }))]));
}

/** The access entries of every cluster: the stack's administrators and CI principals, each with cluster-admin access. */
function clusterAccess(config: pulumi.Config): ClusterAccess[] {
  const list = (key: string): string[] => config.getObject<string[]>(key) ?? [];
  return [
    ...list('adminPrincipals').map((principalArn, i) => ({ name: `admin-${i}`, principalArn, policy: 'AmazonEKSClusterAdminPolicy' as const })),
    ...list('ciPrincipals').map((principalArn, i) => ({ name: `ci-${i}`, principalArn, policy: 'AmazonEKSClusterAdminPolicy' as const })),
  ];
}

/**
 * Velero writes cross-region copies into another cluster's bucket (a BackupStorageLocation in the manifests naming
 * that bucket); grant exactly that, from the manifests, so the cloud follows what the GitOps output says. A
 * location naming a bucket no cluster of the stack owns fails the program.
 */
function grantCrossRegionCopies(env: EnvironmentSpec, platforms: readonly RegionalPlatform[], manifests: Map<string, ManifestGroup[]>): void {
  const byBucket = new Map(platforms.map((p) => [p.storage.bucketName, p]));
  platforms.forEach((p, i) => {
    const locations = (manifests.get(env.regions[i].clusterName) ?? []).flatMap((g) => g.objects).filter((o) => o.kind === 'BackupStorageLocation');
    for (const bsl of locations) {
      const storage = (bsl.spec as { objectStorage?: { bucket?: string; prefix?: string } } | undefined)?.objectStorage;
      if (!storage?.bucket || storage.bucket === p.storage.bucketName) continue;
      const target = byBucket.get(storage.bucket);
      if (!target) {
        throw new Error(`BackupStorageLocation ${bsl.metadata?.namespace}/${bsl.metadata?.name} of ${env.regions[i].clusterName} names bucket ` +
          `"${storage.bucket}", which no cluster of ${env.name} owns (${[...byBucket.keys()].join(', ')}); build bucket names with veleroBucketName()`);
      }
      p.storage.grantCopyTo(target.storage.velero, storage.bucket, storage.prefix ?? '');
    }
  });
}

/**
 * The Pulumi program for `environments`: registers every region of the stack's environment (the one named like
 * the stack) and returns the stack outputs.
 */
export function platformProgram(environments: readonly EnvironmentSpec[] = ENVIRONMENTS): () => Promise<Record<string, unknown>> {
  return async () => program(environmentOf(pulumi.getStack(), environments));
}

async function program(env: EnvironmentSpec): Promise<Record<string, unknown>> {
  const config = new pulumi.Config('fleetcraft');
  const awsConfig = new pulumi.Config('aws');
  const profile = awsConfig.get('profile');
  const accountId = checkAllowedAccounts(env, awsConfig.getObject<unknown>('allowedAccountIds'));
  const endpointPublicAccess = config.getBoolean('endpointPublicAccess') ?? true;
  const publicAccessCidrs = config.getObject<string[]>('publicAccessCidrs') ?? [];
  if (endpointPublicAccess && publicAccessCidrs.length === 0) {
    throw new Error(`stack ${pulumi.getStack()}: fleetcraft:publicAccessCidrs is not set; the clusters' API endpoints are public but limited to these ` +
      'ranges (the first `pulumi up` installs Argo CD through them): `pulumi config set --path \'fleetcraft:publicAccessCidrs[0]\' 203.0.113.0/24` ' +
      '(your office, VPN or CI runner range), or `pulumi config set fleetcraft:endpointPublicAccess false` for private-only endpoints (README: private-only clusters)');
  }
  const access = clusterAccess(config);
  const missingCidr = env.regions.find((r) => r.vpcCidr === undefined);
  if (missingCidr) {
    throw new Error(`environment ${env.name}: region ${missingCidr.name} (cluster ${missingCidr.clusterName}) has no vpcCidr; give every cluster ` +
      'its own range in the environment data, e.g. vpcCidr: \'10.10.0.0/16\', \'10.11.0.0/16\', …');
  }
  const secrets = configuredSecrets(config);
  const manifests = manifestsByCluster(env);
  checkCapacity(env, manifests);

  const providers = new Map(env.regions.map((r) => [r.name, new aws.Provider(`aws-${r.name}`, {
    region: r.name,
    ...(profile ? { profile } : {}),
    // The account the environment's role ARNs name (synth writes them into the add-ons' service accounts).
    allowedAccountIds: [accountId],
    defaultTags: { tags: { 'fleetcraft.io/environment': env.name, 'fleetcraft.io/stack': pulumi.getStack(), 'app.kubernetes.io/managed-by': 'pulumi' } },
  })]));
  const primary = primaryRegion(env);

  // The primary first: Argo CD runs there, and every other cluster gives Argo CD's role an access entry.
  const order = [primary, ...env.regions.filter((r) => r !== primary)];
  const built = new Map<string, RegionalPlatform>();
  const certificates = new Map<string, DnsValidatedCertificate>();
  const externalDnsRoles = new Map<string, aws.iam.Role>();
  const snapshotStores = new Map<string, ConsensusSnapshotStorage>();
  // The environment's public zone (it must exist: the README's first step): ACM validates the API's certificates there.
  const zoneId = env.features.ingress
    ? aws.route53.getZoneOutput({ name: env.domain, privateZone: false }, { provider: providers.get(primary.name) }).zoneId
    : undefined;
  let argoRole: aws.iam.Role | undefined;
  for (const region of order) {
    const i = env.regions.indexOf(region);
    const next = env.regions[(i + 1) % env.regions.length];
    const replicate = env.production && env.regions.length > 1;
    // Zones as this account names them, available and without opt-in (no Local Zones).
    const zones = await aws.getAvailabilityZones({ state: 'available', filters: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] },
      { provider: providers.get(region.name) });
    const platform = new RegionalPlatform(region.clusterName, {
      environment: env.name,
      region: region.name,
      clusterName: region.clusterName,
      kubernetesVersion: env.kubernetesVersion,
      nodeGroups: env.nodeGroups,
      vpcCidr: region.vpcCidr,
      availabilityZones: pickZones(region.name, zones.names),
      natGateways: env.production ? NatGatewayMode.PER_ZONE : NatGatewayMode.SINGLE,
      endpointPublicAccess,
      publicAccessCidrs,
      allowPublicAccessFromAnywhere: !env.production || (config.getBoolean('allowPublicAccessFromAnywhere') ?? false),
      access: argoRole ? [...access, { name: 'argocd', principalArn: argoRole.arn, policy: 'AmazonEKSClusterAdminPolicy' }] : access,
      // Argo CD, in the primary cluster, reaches the others' public endpoints from the primary's NAT gateways.
      peerAccessCidrs: region === primary ? undefined : [...(built.get(primary.clusterName) as RegionalPlatform).cluster.natCidrs],
      deletionProtection: env.production,
      awsProfile: profile,
      accountId,
      secrets,
      replication: replicate ? { region: next.name, provider: providers.get(next.name) as aws.Provider } : undefined,
      manifests: manifests.get(region.clusterName) ?? [],
      bucketPrefix: env.bucketPrefix,
      // Argo CD owns every object of the GitOps repository; Pulumi applies none of them.
      applyManifests: false,
    }, { provider: providers.get(region.name) });
    built.set(region.clusterName, platform);
    // The consensus snapshot CronJob's bucket and role, named as the manifests name them (consensusSnapshotTarget).
    const snapshotTarget = consensusSnapshotTarget(env, region);
    if (snapshotTarget) {
      snapshotStores.set(region.clusterName, new ConsensusSnapshotStorage(`${region.clusterName}-consensus-snapshots`, {
        environment: env.name, clusterName: region.clusterName, bucketPrefix: env.bucketPrefix,
        oidc: { providerArn: platform.cluster.oidcProvider.arn, issuer: platform.cluster.oidcIssuer },
        prefix: snapshotTarget.prefix, serviceAccount: snapshotTarget.serviceAccount,
        // Like the Velero bucket: a copy in the next region, so losing a region does not lose its snapshots.
        replication: replicate ? { region: next.name, provider: providers.get(next.name) as aws.Provider } : undefined,
      }, { parent: platform, provider: providers.get(region.name) }));
    }
    if (zoneId) {
      // ExternalDNS writes the API host's record into the environment's zone, and nothing else.
      externalDnsRoles.set(region.clusterName, serviceAccountRole(`${region.clusterName}-external-dns`, {
        roleName: roleName(env.name, region.clusterName, CloudRolePurpose.EXTERNAL_DNS),
        oidc: { providerArn: platform.cluster.oidcProvider.arn, issuer: platform.cluster.oidcIssuer },
        serviceAccount: SERVICE_ACCOUNTS.externalDns,
        policy: zoneId.apply((id) => externalDnsPolicy(`arn:aws:route53:::hostedzone/${id}`)),
      }, { parent: platform, provider: providers.get(region.name) }));
      // The API's load balancer serves this certificate (the controller finds it by the Ingress's host).
      certificates.set(region.clusterName, new DnsValidatedCertificate(`${region.clusterName}-api-certificate`, {
        domainName: regionalHostName(WORKLOADS.api, region.name, env.domain), zoneId,
      }, { parent: platform, provider: providers.get(region.name) }));
    }
    if (region === primary) {
      argoRole = argoCdRole(`${region.clusterName}-argocd`, {
        roleName: roleName(env.name, region.clusterName, CloudRolePurpose.ARGOCD),
        oidc: { providerArn: platform.cluster.oidcProvider.arn, issuer: platform.cluster.oidcIssuer },
        accountId,
      }, { parent: platform, provider: providers.get(region.name) });
    }
  }
  const platforms = env.regions.map((r) => built.get(r.clusterName) as RegionalPlatform);
  const primaryPlatform = built.get(primary.clusterName) as RegionalPlatform;
  const root = rootApplicationOf(env);
  const argoCd = new ArgoCdBootstrap(`${primary.clusterName}-argocd`, {
    kubernetesProvider: primaryPlatform.cluster.provider,
    roleArn: (argoRole as aws.iam.Role).arn,
    clusters: pulumi.all([
      (argoRole as aws.iam.Role).arn,
      pulumi.all(platforms.map((p) => p.cluster.cluster.endpoint)),
      pulumi.all(platforms.map((p) => p.cluster.cluster.certificateAuthority.apply((ca) => ca?.data ?? ''))),
    ]).apply(([roleArn, endpoints, cas]) => env.regions.map((r, i) => ({
      name: r.clusterName,
      roleArn,
      remote: r === primary ? undefined : { clusterName: r.clusterName, server: endpoints[i], caData: cas[i] },
    }))),
    rootApplication: root,
    dependsOn: [...Object.values(primaryPlatform.cluster.nodeGroups), ...Object.values(primaryPlatform.cluster.addons)],
  }, { parent: primaryPlatform });

  grantCrossRegionCopies(env, platforms, manifests);

  return {
    environment: env.name,
    argoCd: { chartVersion: ARGOCD_CHART.version, roleArn: (argoRole as aws.iam.Role).arn, rootApplication: root.metadata?.name, component: argoCd.urn },
    argoCdOwns: Object.fromEntries(env.regions.map((r) => [r.clusterName,
      Object.fromEntries((manifests.get(r.clusterName) ?? []).map((g) => [g.component, g.objects.filter((o) => !(o.kind === 'Application' && o.metadata?.name === root.metadata?.name)).length]))])),
    clusters: Object.fromEntries(platforms.map((p, i) => [env.regions[i].clusterName, {
      region: env.regions[i].name,
      endpoint: p.cluster.cluster.endpoint,
      kubeconfig: p.cluster.kubeconfig,
      oidcProviderArn: p.cluster.oidcProvider.arn,
      clusterAutoscalerRoleArn: p.cluster.clusterAutoscalerRole.arn,
      loadBalancerControllerRoleArn: p.cluster.loadBalancerControllerRole.arn,
      apiCertificateArn: certificates.get(env.regions[i].clusterName)?.arn,
      externalDnsRoleArn: externalDnsRoles.get(env.regions[i].clusterName)?.arn,
      veleroBucket: p.storage.velero.bucket.bucket,
      veleroReplicaBucket: p.storage.replica?.bucket.bucket,
      veleroRoleArn: p.storage.veleroRole.arn,
      consensusSnapshotBucket: snapshotStores.get(env.regions[i].clusterName)?.bucket.bucket.bucket,
      consensusSnapshotReplicaBucket: snapshotStores.get(env.regions[i].clusterName)?.replica?.bucket.bucket,
      consensusSnapshotRoleArn: snapshotStores.get(env.regions[i].clusterName)?.role.arn,
      externalSecretsRoleArn: p.secrets.externalSecretsRole.arn,
      secretArns: Object.fromEntries(Object.entries(p.secrets.secrets).map(([k, s]) => [k, s.arn])),
    }])),
  };
}

