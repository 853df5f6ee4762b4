import { ApiObjectMetadata, Duration } from 'cdk8s';
import { Construct, IConstruct, Node } from 'constructs';
import { DURATION, guardProps, METADATA, PropShape, shape } from '../../private/prop-guard';
import { standardLabels } from '../../private/labels';
import { goDuration } from '../../private/quantities';
import { CREDENTIALS, NAME, PART_OF } from './props-shape';
import { BACKUP_STORAGE_LOCATION, validateLocation, VELERO_NAMESPACE } from './rules';
import { VeleroBackupStorageLocationResource, VeleroSecretKeyRef } from '../resources/velero';
import { enablePolicyChecks } from '../../policy/app-checks';

/**
 * How Velero authenticates to AWS for a location: the Velero service account's IAM role (IRSA / EKS Pod Identity,
 * no long-lived keys), or a credentials file stored in a Secret.
 * @see https://github.com/vmware-tanzu/velero-plugin-for-aws#set-permissions-for-velero
 */
export class VeleroCredentials {
  /**
   * Use the IAM role bound to Velero's service account; the location carries no `credential` field.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
   */
  public static serviceAccountRole(): VeleroCredentials {
    return new VeleroCredentials('ServiceAccountRole', undefined);
  }

  /**
   * Use an AWS credentials file stored under `key` in the Secret `name` (in Velero's namespace).
   * @param name the Secret's name
   * @param key the key holding the credentials file; default `cloud` (what `velero install` writes)
   */
  public static fromSecret(name: string, key = 'cloud'): VeleroCredentials {
    return new VeleroCredentials('Secret', { name, key });
  }

  private constructor(
    /** Where the credentials come from: the service account's IAM role, or a Secret. */
    public readonly source: 'ServiceAccountRole' | 'Secret',
    /** The Secret key reference, or undefined for the service-account role. */
    public readonly secret: VeleroSecretKeyRef | undefined,
  ) {}
}

/**
 * Whether Velero may write to a location.
 * @see https://velero.io/docs/main/api-types/backupstoragelocation/
 */
export enum BackupStorageAccessMode {
  /** Backups are written and read. */
  READ_WRITE = 'ReadWrite',
  /** Backups are only read (e.g. restoring from another cluster's bucket). */
  READ_ONLY = 'ReadOnly',
}

/** Props for {@link BackupStorageLocation}. */
export interface BackupStorageLocationProps {
  /**
   * The BackupStorageLocation's name; Schedules refer to it by this name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Velero's namespace (locations are read only from there).
   * @default 'velero'
   */
  readonly namespace?: string;
  /** The S3 bucket's name (no `s3://`, no path). */
  readonly bucket: string;
  /**
   * Path inside the bucket under which Velero writes, e.g. one per cluster.
   * @default - the bucket's root
   */
  readonly prefix?: string;
  /** The bucket's AWS region, e.g. `us-east-1`. */
  readonly region: string;
  /**
   * KMS key (id, ARN or `alias/...`) Velero asks S3 to encrypt backups with.
   * @default - the bucket's default encryption
   */
  readonly kmsKeyId?: string;
  /**
   * How Velero authenticates to AWS.
   * @default VeleroCredentials.serviceAccountRole()
   */
  readonly credentials?: VeleroCredentials;
  /**
   * Whether this is the location backups go to when a Schedule names none.
   * @default false
   */
  readonly default?: boolean;
  /**
   * Whether Velero may write here.
   * @default BackupStorageAccessMode.READ_WRITE
   */
  readonly accessMode?: BackupStorageAccessMode;
  /**
   * How often Velero syncs Backup objects from the bucket into the cluster (`Duration.seconds(0)` disables it).
   * @default - Velero's server setting (1 minute)
   */
  readonly backupSyncPeriod?: Duration;
  /**
   * How often Velero checks the bucket is reachable (`Duration.seconds(0)` disables it).
   * @default - Velero's server setting (1 minute)
   */
  readonly validationFrequency?: Duration;
  /**
   * The `app.kubernetes.io/part-of` label.
   * @default - no part-of label
   */
  readonly partOf?: string;
  /**
   * Extra labels and annotations (merged; fleetcraft's labels win).
   * @default - none
   */
  readonly metadata?: ApiObjectMetadata;
}

/** The runtime shape of {@link BackupStorageLocationProps}, checked before any prop is read. */
export const BACKUP_STORAGE_LOCATION_PROP_SHAPES = {
  name: NAME,
  namespace: NAME,
  bucket: shape.required(shape.string({ maxLength: 1024, allowEmpty: true })),
  prefix: shape.string({ maxLength: 1024, allowEmpty: true }),
  region: shape.required(shape.string({ maxLength: 64, allowEmpty: true })),
  kmsKeyId: shape.string({ maxLength: 2048, allowEmpty: true }),
  credentials: CREDENTIALS,
  default: shape.boolean(),
  accessMode: shape.oneOf(BackupStorageAccessMode),
  backupSyncPeriod: DURATION,
  validationFrequency: DURATION,
  partOf: PART_OF,
  metadata: METADATA,
} satisfies { readonly [K in keyof Required<BackupStorageLocationProps>]: PropShape };

/**
 * An S3 bucket (and prefix) Velero writes backups to, on the AWS provider.
 *
 * Schedules refer to a location by name; when the app defines any BackupStorageLocation, {@link VeleroSchedule}
 * checks at synth that the name it uses is one of them.
 * @see https://velero.io/docs/main/api-types/backupstoragelocation/
 */
export class BackupStorageLocation extends Construct {
  /** Every BackupStorageLocation defined under a construct tree (usually the app). */
  public static allIn(root: IConstruct): BackupStorageLocation[] {
    return root.node.findAll().filter((c): c is BackupStorageLocation => c instanceof BackupStorageLocation);
  }

  /** The name Schedules refer to the location by. */
  public readonly name: string;
  /** Velero's namespace, which holds the location. */
  public readonly namespace: string;
  /** The AWS region of its bucket. */
  public readonly region: string;
  /** Whether it is where backups go when a Schedule names no location. */
  public readonly isDefault: boolean;
  /** The BackupStorageLocation object. */
  public readonly resource: VeleroBackupStorageLocationResource;

  constructor(scope: Construct, id: string, props: BackupStorageLocationProps) {
    guardProps(BACKUP_STORAGE_LOCATION, id, props, BACKUP_STORAGE_LOCATION_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? VELERO_NAMESPACE;
    this.region = props.region;
    this.isDefault = props.default ?? false;
    const secret = (props.credentials ?? VeleroCredentials.serviceAccountRole()).secret;
    validateLocation(BACKUP_STORAGE_LOCATION, id, {
      name: this.name, namespace: this.namespace, region: props.region, secret, bucket: props.bucket, prefix: props.prefix,
      kmsKeyId: props.kmsKeyId, backupSyncPeriod: props.backupSyncPeriod, validationFrequency: props.validationFrequency,
    });

    const config: Record<string, string> = { region: props.region };
    if (props.kmsKeyId !== undefined) config.kmsKeyId = props.kmsKeyId;
    this.resource = new VeleroBackupStorageLocationResource(this, 'Resource', {
      metadata: {
        ...props.metadata,
        name: this.name,
        namespace: this.namespace,
        labels: { ...props.metadata?.labels, ...standardLabels({ name: 'velero', instance: this.name, component: 'backup-storage-location', partOf: props.partOf }) },
      },
      spec: {
        provider: 'aws',
        objectStorage: { bucket: props.bucket, prefix: props.prefix },
        config,
        credential: secret ? { name: secret.name, key: secret.key } : undefined,
        default: this.isDefault,
        accessMode: props.accessMode ?? BackupStorageAccessMode.READ_WRITE,
        backupSyncPeriod: props.backupSyncPeriod ? goDuration(props.backupSyncPeriod) : undefined,
        validationFrequency: props.validationFrequency ? goDuration(props.validationFrequency) : undefined,
      },
    });

    this.node.addValidation({
      validate: () => {
        if (!this.isDefault) return [];
        const others = BackupStorageLocation.allIn(Node.of(this).root)
          .filter((l) => l !== this && l.isDefault && l.namespace === this.namespace)
          .map((l) => `${l.namespace}/${l.name}`);
        return others.length === 0 ? [] : [
          `${BACKUP_STORAGE_LOCATION} '${id}': default (true) is also set on ${others.join(', ')}; Velero uses one default location per namespace, so mark only one as default`,
        ];
      },
    });
  }
}
