/**
 * The one source of truth for cloud names. Bucket names, IAM role names and ARNs, Secrets Manager secret names,
 * KMS alias names and the service accounts that assume roles are computed here, from plain arguments
 * (environment name, region, cluster name, account id), by both the Pulumi components in `lib/cloud/` and the
 * manifests (service-account role annotations, the Velero BackupStorageLocation bucket, the ClusterSecretStore
 * region), so the GitOps output and the provisioned cloud agree without copying values by hand.
 *
 * Nothing here reads an environment: callers pass the values. Every function validates its arguments and throws
 * a message with the value and the fix.
 */
import { propError } from '../private/errors';
import { dnsLabelError } from '../private/names';

/** The prefix of every cloud name fleetcraft creates (S3 bucket names are global: see {@link veleroBucketName}). */
export const CLOUD_NAME_PREFIX = 'fleetcraft';

/** The service-account annotation EKS reads to hand a pod a role (IAM roles for service accounts). */
export const IRSA_ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** A Kubernetes service account, by namespace and name. */
export interface ServiceAccountRef {
  /** The namespace. */
  readonly namespace: string;
  /** The service account's name. */
  readonly name: string;
}

/** What each cloud role is for; the role name ends with it. */
export enum CloudRolePurpose {
  /** The EKS control plane's service role. */
  CLUSTER = 'cluster',
  /** The managed node groups' instance role. */
  NODE = 'node',
  /** The EBS CSI driver's controller (IRSA). */
  EBS_CSI = 'ebs-csi',
  /** The cluster autoscaler (IRSA). */
  CLUSTER_AUTOSCALER = 'cluster-autoscaler',
  /** Velero (IRSA): its bucket and EBS snapshots. */
  VELERO = 'velero',
  /** The External Secrets Operator (IRSA): the environment's Secrets Manager secrets. */
  EXTERNAL_SECRETS = 'external-secrets',
  /** S3 replication of the Velero bucket to another region. */
  REPLICATION = 'replication',
  /** The VPC CNI (`aws-node`, IRSA): ENI and IP management, off the node role. */
  VPC_CNI = 'vpc-cni',
  /** Argo CD's controller and server (IRSA), assumed again for remote clusters' `awsAuthConfig`. */
  ARGOCD = 'argocd',
  /** The AWS Load Balancer Controller (IRSA): the load balancers, target groups and security groups of Ingresses. */
  LOAD_BALANCER_CONTROLLER = 'lb-controller',
  /** ExternalDNS (IRSA): the records of the Ingresses' hosts in the environment's Route 53 zone. */
  EXTERNAL_DNS = 'external-dns',
  /** The consensus cluster's snapshot CronJob (IRSA): put, get and list under its prefix of the snapshot bucket. */
  CONSENSUS_SNAPSHOTS = 'consensus-snapshots',
  /** S3 replication of the consensus snapshot bucket to another region. */
  CONSENSUS_SNAPSHOTS_REPLICATION = 'snapshots-replication',
}

/**
 * The service accounts that assume the IRSA roles. The manifests that run these controllers must use exactly
 * these names (the roles' trust policies name them).
 */
export const SERVICE_ACCOUNTS = {
  /** Velero's server. */
  velero: { namespace: 'velero', name: 'velero' },
  /** The External Secrets Operator; the ClusterSecretStore authenticates as it. */
  externalSecrets: { namespace: 'external-secrets', name: 'external-secrets' },
  /** The cluster autoscaler. */
  clusterAutoscaler: { namespace: 'kube-system', name: 'cluster-autoscaler' },
  /** The EBS CSI driver's controller (the EKS add-on's service account). */
  ebsCsi: { namespace: 'kube-system', name: 'ebs-csi-controller-sa' },
  /** The VPC CNI's daemon set (the `vpc-cni` add-on's service account). */
  vpcCni: { namespace: 'kube-system', name: 'aws-node' },
  /** The AWS Load Balancer Controller. */
  loadBalancerController: { namespace: 'kube-system', name: 'aws-load-balancer-controller' },
  /** ExternalDNS. */
  externalDns: { namespace: 'kube-system', name: 'external-dns' },
  /**
   * The consensus cluster's snapshot CronJob (the platform creates this service account, in the consensus namespace,
   * annotated with the role's ARN).
   */
  consensusSnapshots: { namespace: 'consensus', name: 'consensus-snapshots' },
} as const satisfies Record<string, ServiceAccountRef>;

/** What each KMS key protects; the alias ends with it. */
export enum KmsKeyPurpose {
  /** EKS envelope encryption of Kubernetes Secrets. */
  EKS_SECRETS = 'eks-secrets',
  /** EBS volumes of the storage classes. */
  EBS = 'ebs',
  /** The Velero bucket. */
  VELERO = 'velero',
  /** The Velero bucket's replica in another region. */
  VELERO_REPLICA = 'velero-replica',
  /** The environment's Secrets Manager secrets. */
  SECRETS = 'secrets',
  /** The consensus snapshot bucket. */
  CONSENSUS_SNAPSHOTS = 'consensus-snapshots',
  /** The consensus snapshot bucket's replica in another region. */
  CONSENSUS_SNAPSHOTS_REPLICA = 'consensus-snapshots-replica',
}

/** The Kubernetes object names the cloud side creates and the manifests refer to. */
export const KUBERNETES_NAMES = {
  /** The gp3 class for latency-sensitive volumes (consensus members): 16000 IOPS, 1000 MB/s, Retain. */
  fastStorageClass: 'fast-ssd',
  /** The gp3 class for everything else (the cluster default): 3000 IOPS, 125 MB/s, Delete. */
  standardStorageClass: 'standard-ssd',
  /** The EBS VolumeSnapshotClass Velero uses. */
  volumeSnapshotClass: 'ebs-snapshots',
  /** The ClusterSecretStore every ExternalSecret references. */
  clusterSecretStore: 'aws-secrets-manager',
} as const;

/**
 * The `Name` tag of a cluster's VPC: the cluster's name. The AWS Load Balancer Controller finds the VPC by this tag
 * (`vpcTags`), so the GitOps output needs no VPC id, which exists only once Pulumi has created the VPC.
 */
export function vpcNameTag(clusterName: string): string {
  requireLabel('vpcNameTag', 'clusterName', clusterName);
  return clusterName;
}

/**
 * The public host name of a service in one region: `<service>.<region>.<domain>` (the API's Ingress host and its ACM
 * certificate's name, computed on both sides from here).
 */
export function regionalHostName(service: string, region: string, domain: string): string {
  requireLabel('regionalHostName', 'service', service);
  requireRegion('regionalHostName', region);
  const host = `${service}.${region}.${domain}`;
  if (host.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(host)) {
    throw propError('regionalHostName', domain, 'domain', domain, `gives "${host}", which is not a DNS name`, 'use a lowercase domain such as "example.com"');
  }
  return host;
}

/** Throws unless `value` is a DNS-1123 label. */
function requireLabel(fn: string, prop: string, value: string): void {
  const error = dnsLabelError(value);
  if (error) throw propError(fn, value, prop, value, error, 'use lowercase letters, digits and \'-\'');
}

/** Throws unless `value` looks like an AWS region (`us-east-1`, `eu-west-1`, `us-gov-west-1`). */
function requireRegion(fn: string, value: string): void {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(value)) {
    throw propError(fn, value, 'region', value, 'is not an AWS region name', 'use a name such as "us-east-1"');
  }
}

/** Throws unless `value` is a 12-digit AWS account id. */
function requireAccount(fn: string, value: string): void {
  if (!/^\d{12}$/.test(value)) {
    throw propError(fn, value, 'accountId', value, 'must be the 12-digit AWS account id', 'use the id `aws sts get-caller-identity` prints');
  }
}

/**
 * The S3 bucket Velero writes backups of one cluster to: `fleetcraft-<environment>-<cluster>-velero`.
 *
 * S3 bucket names are global across every AWS account: a fork of this project must change
 * {@link CLOUD_NAME_PREFIX} (pass `prefix`) or the first `pulumi up` fails with `BucketAlreadyExists`.
 * Used by the storage component (the bucket) and the Velero BackupStorageLocation (`spec.objectStorage.bucket`).
 * @param prefix @default 'fleetcraft'
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function veleroBucketName(environment: string, clusterName: string, prefix: string = CLOUD_NAME_PREFIX): string {
  return bucketName(`${prefix}-${environment}-${clusterName}-velero`, environment, clusterName, prefix);
}

/**
 * The bucket in another region that the Velero bucket of a cluster replicates to (production):
 * `fleetcraft-<environment>-<cluster>-velero-replica`.
 * @param prefix @default 'fleetcraft'
 */
export function veleroReplicaBucketName(environment: string, clusterName: string, prefix: string = CLOUD_NAME_PREFIX): string {
  return bucketName(`${prefix}-${environment}-${clusterName}-velero-replica`, environment, clusterName, prefix);
}

/**
 * The S3 bucket the consensus cluster of one cluster writes its disaster-recovery snapshots to (`etcdctl snapshot
 * save`, uploaded by the snapshot CronJob): `fleetcraft-<environment>-<cluster>-consensus-snapshots`. Its own bucket,
 * not a prefix of Velero's: Velero marks a location unavailable when its bucket holds top-level folders it did not
 * write. Used by the Pulumi side (the bucket, the role's policy) and the snapshot CronJob (`SNAPSHOT_BUCKET`).
 * @param prefix @default 'fleetcraft'
 */
export function consensusSnapshotBucketName(environment: string, clusterName: string, prefix: string = CLOUD_NAME_PREFIX): string {
  return bucketName(`${prefix}-${environment}-${clusterName}-consensus-snapshots`, environment, clusterName, prefix);
}

/**
 * The key prefix of the consensus snapshots in {@link consensusSnapshotBucketName}: `<namespace>/<name>/` (the
 * snapshot CronJob writes `<prefix><UTC timestamp>.db`; its role may touch nothing else in the bucket).
 */
export function consensusSnapshotPrefix(namespace: string, name: string): string {
  requireLabel('consensusSnapshotPrefix', 'namespace', namespace);
  requireLabel('consensusSnapshotPrefix', 'name', name);
  return `${namespace}/${name}/`;
}

/**
 * The bucket in another region that a cluster's consensus snapshot bucket replicates to (production):
 * `fleetcraft-<environment>-<cluster>-consensus-snapshots-replica`.
 * @param prefix @default 'fleetcraft'
 */
export function consensusSnapshotReplicaBucketName(environment: string, clusterName: string, prefix: string = CLOUD_NAME_PREFIX): string {
  return bucketName(`${prefix}-${environment}-${clusterName}-consensus-snapshots-replica`, environment, clusterName, prefix);
}

function bucketName(name: string, environment: string, clusterName: string, prefix: string): string {
  requireLabel('veleroBucketName', 'prefix', prefix);
  requireLabel('veleroBucketName', 'environment', environment);
  requireLabel('veleroBucketName', 'clusterName', clusterName);
  if (name.length > 63) {
    throw propError('veleroBucketName', clusterName, 'bucket name', name,
      `is ${name.length} characters; S3 allows at most 63`, 'shorten the environment or cluster name');
  }
  return name;
}

/**
 * The IAM role of one purpose in one cluster: `fleetcraft-<environment>-<cluster>-<purpose>`. IAM names are
 * account-wide, so the environment is part of the name (two environments may share an account).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export function roleName(environment: string, clusterName: string, purpose: CloudRolePurpose): string {
  requireLabel('roleName', 'environment', environment);
  requireLabel('roleName', 'clusterName', clusterName);
  const name = `${CLOUD_NAME_PREFIX}-${environment}-${clusterName}-${purpose}`;
  if (name.length > 64) {
    throw propError('roleName', clusterName, 'role name', name, `is ${name.length} characters; IAM allows at most 64`,
      'shorten the environment or cluster name');
  }
  return name;
}

/**
 * The ARN of a role: `arn:<partition>:iam::<account>:role/<name>` — the value of the
 * {@link IRSA_ROLE_ARN_ANNOTATION} annotation on the service account that assumes it.
 * @param partition @default 'aws'
 */
export function roleArn(accountId: string, name: string, partition: string = 'aws'): string {
  requireAccount('roleArn', accountId);
  return `arn:${partition}:iam::${accountId}:role/${name}`;
}

/**
 * The annotations a service account needs to assume the role of `purpose` in a cluster (IRSA):
 * `{ 'eks.amazonaws.com/role-arn': <arn> }`.
 * @param partition @default 'aws'
 * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
 */
export function serviceAccountRoleAnnotations(accountId: string, environment: string, clusterName: string,
  purpose: CloudRolePurpose, partition: string = 'aws'): Record<string, string> {
  return { [IRSA_ROLE_ARN_ANNOTATION]: roleArn(accountId, roleName(environment, clusterName, purpose), partition) };
}

/**
 * The KMS alias of a key: `alias/fleetcraft/<environment>/<cluster>/<purpose>`. Aliases are per region; the
 * cluster name keeps them apart when two clusters share a region.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html
 */
export function kmsAliasName(environment: string, clusterName: string, purpose: KmsKeyPurpose): string {
  requireLabel('kmsAliasName', 'environment', environment);
  requireLabel('kmsAliasName', 'clusterName', clusterName);
  return `alias/${CLOUD_NAME_PREFIX}/${environment}/${clusterName}/${purpose}`;
}

/** The prefix of every Secrets Manager secret of an environment: `fleetcraft/<environment>/`. */
export function secretNamePrefix(environment: string): string {
  requireLabel('secretNamePrefix', 'environment', environment);
  return `${CLOUD_NAME_PREFIX}/${environment}/`;
}

/**
 * The Secrets Manager name of one secret: `fleetcraft/<environment>/<key>` — what an ExternalSecret's
 * `remoteRef.key` names.
 * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
 */
export function secretName(environment: string, key: string): string {
  requireLabel('secretName', 'key', key);
  return `${secretNamePrefix(environment)}${key}`;
}

/**
 * The ARN pattern matching every secret of an environment in one region (the External Secrets role may read
 * these and nothing else). Secrets Manager appends `-XXXXXX` to secret ARNs, hence the trailing `*`.
 * @param partition @default 'aws'
 */
export function secretArnPattern(accountId: string, region: string, environment: string, partition: string = 'aws'): string {
  requireAccount('secretArnPattern', accountId);
  requireRegion('secretArnPattern', region);
  return `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${secretNamePrefix(environment)}*`;
}

/** Every cloud name of one cluster, computed at once. */
export interface ClusterCloudNames {
  /** The region the cluster runs in (the ClusterSecretStore's and the BackupStorageLocation's region). */
  readonly region: string;
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The Velero bucket. */
  readonly veleroBucket: string;
  /** The Velero bucket's replica (used only where replication is on). */
  readonly veleroReplicaBucket: string;
  /** The consensus snapshot bucket (used only where consensus snapshots are on). */
  readonly consensusSnapshotBucket: string;
  /** The IAM role names, by purpose. */
  readonly roles: Readonly<Record<CloudRolePurpose, string>>;
  /** The KMS alias names, by purpose. */
  readonly kmsAliases: Readonly<Record<KmsKeyPurpose, string>>;
  /** The prefix of the environment's Secrets Manager secrets. */
  readonly secretPrefix: string;
}

/**
 * Every cloud name of one cluster of an environment.
 * @param prefix the bucket-name prefix. @default 'fleetcraft'
 */
export function clusterCloudNames(environment: string, region: string, clusterName: string, prefix: string = CLOUD_NAME_PREFIX): ClusterCloudNames {
  requireRegion('clusterCloudNames', region);
  const roles = Object.fromEntries(Object.values(CloudRolePurpose).map((p) => [p, roleName(environment, clusterName, p)]));
  const kmsAliases = Object.fromEntries(Object.values(KmsKeyPurpose).map((p) => [p, kmsAliasName(environment, clusterName, p)]));
  return {
    region,
    clusterName,
    veleroBucket: veleroBucketName(environment, clusterName, prefix),
    veleroReplicaBucket: veleroReplicaBucketName(environment, clusterName, prefix),
    consensusSnapshotBucket: consensusSnapshotBucketName(environment, clusterName, prefix),
    roles: roles as Record<CloudRolePurpose, string>,
    kmsAliases: kmsAliases as Record<KmsKeyPurpose, string>,
    secretPrefix: secretNamePrefix(environment),
  };
}

/**
 * The resource options of what holds data — buckets and KMS keys: Pulumi refuses to delete them (`protect`), and a
 * replacement leaves the old one in place instead of deleting it (`retainOnDelete`: a replaced key would otherwise be
 * scheduled for deletion, and every object it encrypted with it). Tearing down on purpose: README, "Destroying an
 * environment".
 */
export const KEEP_DATA = { protect: true, retainOnDelete: true } as const;

/** The resource options of a cluster: Pulumi refuses to delete or replace it by accident. */
export const PROTECTED = { protect: true } as const;
