/**
 * Storage of one cluster: the gp3 StorageClasses and the VolumeSnapshotClass (encrypted with a key of the
 * cluster's), the Velero bucket (versioned, KMS-encrypted, public access blocked, TLS only, lifecycle rules,
 * optionally replicated to another region), and Velero's least-privilege role.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ebsKmsPolicy, policyJson, replicationPolicy, serviceTrustPolicy, tlsOnlyBucketPolicy, veleroCopyPolicy, veleroPolicy } from './iam';
import { configGroup } from './kubernetes';
import {
  CloudRolePurpose, KEEP_DATA, kmsAliasName, KmsKeyPurpose, roleName, SERVICE_ACCOUNTS, veleroBucketName, veleroReplicaBucketName,
} from './names';
import { assertLeastPrivilege, OidcIdentity, serviceAccountRole } from './roles';
import { storageClassObjects, volumeSnapshotClassObject } from './storage-classes';
import { KubeObject } from '../policy/objects';

export { storageClassObjects, volumeSnapshotClassObject };

/** How long the Velero bucket keeps what Velero no longer references. */
export interface BucketLifecycleArgs {
  /**
   * Days a replaced or deleted object version is kept (the window to undo a bad Velero garbage collection).
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Days before an unfinished multipart upload is aborted.
   * @default 7
   */
  readonly abortMultipartDays?: number;
  /**
   * Days a current object is kept before it becomes noncurrent (then removed after `noncurrentVersionDays`). Never for
   * Velero's bucket: Velero deletes a backup when its TTL ends, and an earlier expiry would corrupt backups it lists.
   * @default - never
   */
  readonly currentVersionDays?: number;
}

/**
 * The Velero bucket's lifecycle rules. Current objects never expire here: Velero deletes a backup when its TTL
 * ends, and an S3 expiry shorter than a schedule's TTL would corrupt backups Velero still lists.
 */
export function bucketLifecycleRules(args: BucketLifecycleArgs = {}): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  return [
    { id: 'expire-noncurrent-versions', status: 'Enabled', filter: {}, noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays ?? 30 } },
    { id: 'abort-incomplete-uploads', status: 'Enabled', filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: args.abortMultipartDays ?? 7 } },
    { id: 'remove-expired-delete-markers', status: 'Enabled', filter: {}, expiration: { expiredObjectDeleteMarker: true } },
    ...(args.currentVersionDays === undefined ? [] : [{ id: 'expire-current-versions', status: 'Enabled', filter: {}, expiration: { days: args.currentVersionDays } }]),
  ];
}

/** A bucket and its protections, as created by {@link secureBucket}. */
export interface SecureBucket {
  /** The bucket. */
  readonly bucket: aws.s3.Bucket;
  /** Its KMS key. */
  readonly key: aws.kms.Key;
  /** Versioning (on). */
  readonly versioning: aws.s3.BucketVersioning;
  /** Default encryption (SSE-KMS with bucket keys). */
  readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
  /** The public-access block (all four on). */
  readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
}

/**
 * A private bucket: its own KMS key (SSE-KMS with bucket keys), versioning, every public-access block on,
 * object ownership enforced (no ACLs), a TLS-only bucket policy and the lifecycle rules. Children are named
 * `<name>`, `<name>-key`, `<name>-versioning`, … and use `opts` (parent and provider).
 */
/**
 * Replicates `source` into `replica` (another region): S3's role (children `<name>-replication`), allowed only that
 * replication, and the rule copying every object, delete markers and KMS-encrypted objects included, re-encrypted with
 * the replica's key.
 */
export function replicateBucket(name: string, parent: pulumi.Resource, args: {
  readonly source: SecureBucket; readonly replica: SecureBucket; readonly region: string; readonly roleName: string;
  /** The replica's storage class (S3's default, STANDARD, when unset). */
  readonly storageClass?: string;
}): aws.s3.BucketReplicationConfig {
  const { source, replica } = args;
  const role = new aws.iam.Role(`${name}-replication`, {
    name: args.roleName,
    assumeRolePolicy: policyJson(serviceTrustPolicy('s3.amazonaws.com')),
  }, { parent });
  new aws.iam.RolePolicy(`${name}-replication`, {
    role: role.name,
    policy: pulumi.all([source.bucket.arn, replica.bucket.arn, source.key.arn, replica.key.arn])
      .apply(([sourceBucketArn, destinationBucketArn, sourceKeyArn, destinationKeyArn]) =>
        policyJson(assertLeastPrivilege(name, replicationPolicy({ sourceBucketArn, destinationBucketArn, sourceKeyArn, destinationKeyArn })))),
  }, { parent });
  return new aws.s3.BucketReplicationConfig(`${name}-replication`, {
    bucket: source.bucket.id,
    role: role.arn,
    rules: [{
      id: `to-${args.region}`,
      status: 'Enabled',
      filter: {},
      deleteMarkerReplication: { status: 'Enabled' },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
      destination: {
        bucket: replica.bucket.arn, ...(args.storageClass ? { storageClass: args.storageClass } : {}),
        encryptionConfiguration: { replicaKmsKeyId: replica.key.arn },
      },
    }],
  }, { parent, dependsOn: [source.versioning, replica.versioning] });
}

export function secureBucket(name: string, args: { bucketName: string; keyAlias: string; lifecycle?: BucketLifecycleArgs },
  opts: pulumi.CustomResourceOptions): SecureBucket {
  const key = new aws.kms.Key(`${name}-key`, { description: `Encrypts s3://${args.bucketName}`, enableKeyRotation: true, deletionWindowInDays: 30 }, { ...opts, ...KEEP_DATA });
  new aws.kms.Alias(`${name}-key`, { name: args.keyAlias, targetKeyId: key.keyId }, opts);
  const bucket = new aws.s3.Bucket(name, { bucket: args.bucketName }, { ...opts, ...KEEP_DATA });
  const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, opts);
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
    bucket: bucket.id,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
  }, opts);
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  }, opts);
  new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, opts);
  new aws.s3.BucketPolicy(`${name}-tls-only`, { bucket: bucket.id, policy: bucket.arn.apply((arn) => policyJson(tlsOnlyBucketPolicy(arn))) },
    { ...opts, dependsOn: [publicAccessBlock] });
  new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: bucketLifecycleRules(args.lifecycle) },
    { ...opts, dependsOn: [versioning] });
  return { bucket, key, versioning, encryption, publicAccessBlock };
}

/** Where the Velero bucket replicates to. */
export interface ReplicationTarget {
  /** The other region. */
  readonly region: string;
  /** An AWS provider for that region. */
  readonly provider: aws.Provider;
}

/** Arguments of {@link ClusterStorage}. */
export interface ClusterStorageArgs {
  /** The environment's name. */
  readonly environment: string;
  /** The cluster's name. */
  readonly clusterName: string;
  /** The cluster's OIDC identity (Velero's role trusts it). */
  readonly oidc: OidcIdentity;
  /** The cluster's Kubernetes provider (for the storage and snapshot classes). */
  readonly kubernetesProvider: pulumi.ProviderResource;
  /** The EBS CSI driver's role name: it gets the use of the volumes' key. */
  readonly ebsCsiRoleName: pulumi.Input<string>;
  /**
   * What the classes wait for (the EBS CSI driver and snapshot controller add-ons).
   * @default []
   */
  readonly kubernetesDependsOn?: readonly pulumi.Resource[];
  /**
   * Objects (`Kind/name`, e.g. `StorageClass/fast-ssd`) not to deploy because the manifests already carry them.
   * @default []
   */
  readonly omitObjects?: readonly string[];
  /**
   * Replicate the Velero bucket to a bucket in another region (production).
   * @default - no replication
   */
  readonly replication?: ReplicationTarget;
  /**
   * Lifecycle of the bucket(s).
   * @default - see BucketLifecycleArgs
   */
  readonly lifecycle?: BucketLifecycleArgs;
  /**
   * Prefix of the bucket names (S3 names are global).
   * @default 'fleetcraft'
   */
  readonly bucketPrefix?: string;
}

/**
 * Storage for one cluster (type `fleetcraft:cloud:ClusterStorage`). Pass the cluster region's AWS provider in
 * `opts.provider`.
 */
export class ClusterStorage extends pulumi.ComponentResource {
  /** The key encrypting the storage classes' volumes. */
  public readonly volumeKey: aws.kms.Key;
  /** The Velero bucket and its protections. */
  public readonly velero: SecureBucket;
  /** The replica in another region, when replication is on. */
  public readonly replica?: SecureBucket;
  /** Velero's role (annotate its service account with `serviceAccountRoleAnnotations`). */
  public readonly veleroRole: aws.iam.Role;
  /** The storage and snapshot classes, as deployed (undefined when the manifests carry them all). */
  public readonly classes?: pulumi.ComponentResource;
  /** The storage and snapshot class objects this component deploys. */
  public readonly classObjects: readonly KubeObject[];
  /** The bucket's name (what the BackupStorageLocation names). */
  public readonly bucketName: string;
  private readonly componentName: string;

  constructor(name: string, args: ClusterStorageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('fleetcraft:cloud:ClusterStorage', name, {}, opts);
    const { environment, clusterName } = args;
    const child = { parent: this };
    this.componentName = name;
    this.bucketName = veleroBucketName(environment, clusterName, args.bucketPrefix);

    this.volumeKey = new aws.kms.Key(`${name}-ebs-key`, { description: `EBS volumes of ${clusterName}`, enableKeyRotation: true, deletionWindowInDays: 30 }, { ...child, ...KEEP_DATA });
    const volumeAlias = new aws.kms.Alias(`${name}-ebs-key`, { name: kmsAliasName(environment, clusterName, KmsKeyPurpose.EBS), targetKeyId: this.volumeKey.keyId }, child);
    new aws.iam.RolePolicy(`${name}-ebs-csi-kms`, {
      role: args.ebsCsiRoleName, policy: this.volumeKey.arn.apply((arn) => policyJson(assertLeastPrivilege(name, ebsKmsPolicy(arn)))),
    }, child);

    this.velero = secureBucket(`${name}-velero`, {
      bucketName: this.bucketName, keyAlias: kmsAliasName(environment, clusterName, KmsKeyPurpose.VELERO), lifecycle: args.lifecycle,
    }, child);
    if (args.replication) this.replica = this.replicate(name, args, args.replication);

    this.veleroRole = serviceAccountRole(`${name}-velero`, {
      roleName: roleName(environment, clusterName, CloudRolePurpose.VELERO),
      oidc: args.oidc,
      serviceAccount: SERVICE_ACCOUNTS.velero,
      policy: pulumi.all([this.velero.bucket.arn, this.velero.key.arn, this.volumeKey.arn])
        .apply(([bucketArn, bucketKey, volumeKey]) => veleroPolicy({ bucketArn, kmsKeyArns: [bucketKey, volumeKey] })),
    }, child);

    const omit = new Set(args.omitObjects ?? []);
    this.classObjects = [...storageClassObjects(kmsAliasName(environment, clusterName, KmsKeyPurpose.EBS)), volumeSnapshotClassObject()]
      .filter((o) => !omit.has(`${o.kind}/${o.metadata?.name}`));
    if (this.classObjects.length > 0) {
      this.classes = configGroup(`${name}-classes`, [...this.classObjects],
        { parent: this, provider: args.kubernetesProvider, dependsOn: [...(args.kubernetesDependsOn ?? []), volumeAlias] });
    }

    this.registerOutputs({
      bucketName: this.velero.bucket.bucket, replicaBucketName: this.replica?.bucket.bucket, veleroRoleArn: this.veleroRole.arn,
    });
  }

  /**
   * Lets this cluster's Velero write cross-region copies into another cluster's Velero bucket, under `prefix`
   * only (what a BackupStorageLocation with that bucket and prefix needs). Returns the policy it made (child
   * `<name>-velero-copy-<bucket>`).
   */
  public grantCopyTo(target: SecureBucket, targetBucketName: string, prefix: string): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(`${this.componentName}-velero-copy-${targetBucketName}`, {
      role: this.veleroRole.name,
      policy: pulumi.all([target.bucket.arn, target.key.arn]).apply(([bucketArn, kmsKeyArn]) =>
        policyJson(assertLeastPrivilege(this.componentName, veleroCopyPolicy({ bucketArn, prefix, kmsKeyArn })))),
    }, { parent: this });
  }

  private replicate(name: string, args: ClusterStorageArgs, target: ReplicationTarget): SecureBucket {
    const { environment, clusterName } = args;
    const replica = secureBucket(`${name}-velero-replica`, {
      bucketName: veleroReplicaBucketName(environment, clusterName, args.bucketPrefix),
      keyAlias: kmsAliasName(environment, clusterName, KmsKeyPurpose.VELERO_REPLICA),
      lifecycle: args.lifecycle,
    }, { parent: this, provider: target.provider });
    replicateBucket(name, this, {
      source: this.velero, replica, region: target.region, storageClass: 'STANDARD_IA',
      roleName: roleName(environment, clusterName, CloudRolePurpose.REPLICATION),
    });
    return replica;
  }
}
