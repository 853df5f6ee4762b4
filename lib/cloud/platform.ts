/**
 * Everything fleetcraft provisions in one region: the cluster, its storage and secrets, and its manifests.
 */
import * as pulumi from '@pulumi/pulumi';
import { EksCluster, EksClusterArgs } from './cluster';
import { ClusterManifests, ManifestGroup, validateManifestGroups } from './manifests';
import { KUBERNETES_NAMES } from './names';
import { ClusterSecrets, validateSecretKeys } from './secrets';
import { ClusterStorage, ReplicationTarget } from './storage';

/** Arguments of {@link RegionalPlatform}: the cluster's, plus what storage, secrets and manifests need. */
export interface RegionalPlatformArgs extends EksClusterArgs {
  /** The AWS account id (from `aws.getCallerIdentity`). */
  readonly accountId: pulumi.Input<string>;
  /** The manifests `fleetcraft synth` writes for this cluster, by component, in sync-wave order. */
  readonly manifests: readonly ManifestGroup[];
  /**
   * Secrets Manager secrets, by key.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Replicate the Velero bucket to another region.
   * @default - no replication
   */
  readonly replication?: ReplicationTarget;
  /**
   * Apply the manifests through Pulumi (one ConfigGroup per component). Set false when Argo CD syncs them from the
   * GitOps repository (fleetcraft's own program): an object applied by both would have two owners fighting over
   * it. The manifests are then only read, so the components skip the objects they carry.
   * @default true
   */
  readonly applyManifests?: boolean;
  /**
   * Prefix of the bucket names (S3 names are global).
   * @default 'fleetcraft'
   */
  readonly bucketPrefix?: string;
}

/**
 * One region of an environment (type `fleetcraft:cloud:RegionalPlatform`), children named after it:
 * `<name>` is the {@link EksCluster}, `<name>-storage`, `<name>-secrets`, `<name>-manifests`. Order of
 * deployment: cluster and add-ons; storage classes; the manifests, component by component; the ClusterSecretStore
 * (it needs the External Secrets CRDs, which the manifests install). Pass the region's AWS provider in
 * `opts.provider`.
 */
export class RegionalPlatform extends pulumi.ComponentResource {
  /** The cluster (child named like the platform). */
  public readonly cluster: EksCluster;
  /** Its storage. */
  public readonly storage: ClusterStorage;
  /** Its secrets. */
  public readonly secrets: ClusterSecrets;
  /** Its manifests, when Pulumi applies them ({@link RegionalPlatformArgs.applyManifests}). */
  public readonly manifests?: ClusterManifests;

  constructor(name: string, args: RegionalPlatformArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Refuse bad inputs before anything is registered (not after the cluster already is).
    validateManifestGroups(`${name}-manifests`, args.manifests);
    validateSecretKeys(`${name}-secrets`, Object.keys(args.secrets ?? {}));
    super('fleetcraft:cloud:RegionalPlatform', name, {}, opts);
    const child = { parent: this };
    this.cluster = new EksCluster(name, args, child);
    const oidc = { providerArn: this.cluster.oidcProvider.arn, issuer: this.cluster.oidcIssuer };
    const kubernetesProvider = this.cluster.provider;
    // What the manifests already carry is not deployed a second time by the components.
    const carried = args.manifests.flatMap((g) => g.objects.map((o) => `${o.kind}/${o.metadata?.name}`));
    this.storage = new ClusterStorage(`${name}-storage`, {
      environment: args.environment,
      clusterName: args.clusterName,
      oidc,
      kubernetesProvider,
      ebsCsiRoleName: this.cluster.ebsCsiRole.name,
      kubernetesDependsOn: ['aws-ebs-csi-driver', 'snapshot-controller'].map((a) => this.cluster.addons[a]).filter((a) => a !== undefined),
      replication: args.replication,
      bucketPrefix: args.bucketPrefix,
      omitObjects: carried,
    }, child);
    this.manifests = (args.applyManifests ?? true) ? new ClusterManifests(`${name}-manifests`, {
      groups: args.manifests, provider: kubernetesProvider, dependsOn: this.storage.classes ? [this.storage.classes] : Object.values(this.cluster.addons),
    }, child) : undefined;
    this.secrets = new ClusterSecrets(`${name}-secrets`, {
      environment: args.environment,
      region: args.region,
      clusterName: args.clusterName,
      accountId: args.accountId,
      partition: args.partition,
      oidc,
      kubernetesProvider,
      secrets: args.secrets,
      clusterSecretStore: !carried.includes(`ClusterSecretStore/${KUBERNETES_NAMES.clusterSecretStore}`),
      clusterSecretStoreDependsOn: Object.values(this.manifests?.groups ?? {}),
    }, child);
    this.registerOutputs({
      clusterName: this.cluster.cluster.name,
      clusterArn: this.cluster.cluster.arn,
      kubeconfig: pulumi.secret(this.cluster.kubeconfig),
      veleroBucket: this.storage.bucketName,
      veleroRoleArn: this.storage.veleroRole.arn,
      components: Object.keys(this.manifests?.groups ?? {}),
    });
  }
}
