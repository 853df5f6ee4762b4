/**
 * Where a cluster's consensus snapshot CronJob writes: its own private bucket (KMS-encrypted, versioned, public access
 * blocked, TLS only, snapshots kept a bounded number of days) and the IRSA role of the CronJob's service account, which
 * may put, get and list under the snapshots' prefix only.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { consensusSnapshotPolicy } from './iam';
import {
  CloudRolePurpose, consensusSnapshotBucketName, consensusSnapshotReplicaBucketName, kmsAliasName, KmsKeyPurpose, roleName, SERVICE_ACCOUNTS,
  ServiceAccountRef,
} from './names';
import { OidcIdentity, serviceAccountRole } from './roles';
import { replicateBucket, ReplicationTarget, SecureBucket, secureBucket } from './storage';

/** Arguments of {@link ConsensusSnapshotStorage}. */
export interface ConsensusSnapshotStorageArgs {
  /** The environment's name. */
  readonly environment: string;
  /** The cluster's name. */
  readonly clusterName: string;
  /** The cluster's OIDC identity (the role trusts it). */
  readonly oidc: OidcIdentity;
  /** The key prefix the CronJob writes under (from `consensusSnapshotPrefix`); the role reaches nothing else. */
  readonly prefix: string;
  /**
   * The snapshot CronJob's service account, the one principal that may assume the role.
   * @default SERVICE_ACCOUNTS.consensusSnapshots
   */
  readonly serviceAccount?: ServiceAccountRef;
  /**
   * Days a snapshot is kept (then 30 more days as a noncurrent version, the window to undo a deletion).
   * @default 14
   */
  readonly retentionDays?: number;
  /**
   * Prefix of the bucket name (S3 names are global).
   * @default 'fleetcraft'
   */
  readonly bucketPrefix?: string;
  /**
   * Replicate the snapshots to a bucket in another region (production: a lost region keeps its snapshots).
   * @default - no replication
   */
  readonly replication?: ReplicationTarget;
}

/**
 * The consensus snapshots' bucket and role of one cluster (type `fleetcraft:cloud:ConsensusSnapshotStorage`): children
 * `<name>` (the bucket, with `<name>-key`, `<name>-versioning`, …) and `<name>-role` (with `<name>-role-policy`). Pass
 * the cluster region's AWS provider in `opts.provider`. Bucket and role names come from `lib/cloud/names.ts`, as the
 * manifests' do.
 */
export class ConsensusSnapshotStorage extends pulumi.ComponentResource {
  /** The bucket and its protections. */
  public readonly bucket: SecureBucket;
  /** The bucket's name (the CronJob's `SNAPSHOT_BUCKET`). */
  public readonly bucketName: string;
  /** The CronJob's role (its service account carries this role's ARN). */
  public readonly role: aws.iam.Role;
  /** The replica in another region, when replication is on. */
  public readonly replica?: SecureBucket;

  constructor(name: string, args: ConsensusSnapshotStorageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('fleetcraft:cloud:ConsensusSnapshotStorage', name, {}, opts);
    const retentionDays = args.retentionDays ?? 14;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(`ConsensusSnapshotStorage '${name}': retentionDays (${retentionDays}) must be a whole number of days, at least 1; use e.g. 14`);
    }
    const child = { parent: this };
    this.bucketName = consensusSnapshotBucketName(args.environment, args.clusterName, args.bucketPrefix);
    this.bucket = secureBucket(name, {
      bucketName: this.bucketName,
      keyAlias: kmsAliasName(args.environment, args.clusterName, KmsKeyPurpose.CONSENSUS_SNAPSHOTS),
      lifecycle: { currentVersionDays: retentionDays },
    }, child);
    const prefix = args.prefix;
    // Checked now (the same check the policy makes), so a bad prefix fails before any resource is registered.
    consensusSnapshotPolicy({ bucketArn: 'arn:aws:s3:::check', prefix, kmsKeyArn: 'arn:aws:kms:check' });
    this.role = serviceAccountRole(`${name}-role`, {
      roleName: roleName(args.environment, args.clusterName, CloudRolePurpose.CONSENSUS_SNAPSHOTS),
      oidc: args.oidc,
      serviceAccount: args.serviceAccount ?? SERVICE_ACCOUNTS.consensusSnapshots,
      policy: pulumi.all([this.bucket.bucket.arn, this.bucket.key.arn])
        .apply(([bucketArn, kmsKeyArn]) => consensusSnapshotPolicy({ bucketArn, prefix, kmsKeyArn })),
    }, child);
    if (args.replication) this.replica = this.replicate(name, args, args.replication, retentionDays);
    this.registerOutputs({ bucketName: this.bucket.bucket.bucket, replicaBucketName: this.replica?.bucket.bucket, roleArn: this.role.arn });
  }

  /** The replica bucket (children `<name>-replica…`, in the target region), S3's role and the replication rule. */
  private replicate(name: string, args: ConsensusSnapshotStorageArgs, target: ReplicationTarget, retentionDays: number): SecureBucket {
    const replica = secureBucket(`${name}-replica`, {
      bucketName: consensusSnapshotReplicaBucketName(args.environment, args.clusterName, args.bucketPrefix),
      keyAlias: kmsAliasName(args.environment, args.clusterName, KmsKeyPurpose.CONSENSUS_SNAPSHOTS_REPLICA),
      lifecycle: { currentVersionDays: retentionDays },
    }, { parent: this, provider: target.provider });
    replicateBucket(name, this, {
      source: this.bucket, replica, region: target.region,
      roleName: roleName(args.environment, args.clusterName, CloudRolePurpose.CONSENSUS_SNAPSHOTS_REPLICATION),
    });
    return replica;
  }
}
