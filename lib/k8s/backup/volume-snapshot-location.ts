import { ApiObjectMetadata } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { guardProps, METADATA, PropShape, shape } from '../../private/prop-guard';
import { standardLabels } from '../../private/labels';
import { CREDENTIALS, NAME, PART_OF } from './props-shape';
import { validateLocation, VELERO_NAMESPACE, VOLUME_SNAPSHOT_LOCATION } from './rules';
import { VeleroCredentials } from './backup-storage-location';
import { VeleroVolumeSnapshotLocationResource } from '../resources/velero';
import { enablePolicyChecks } from '../../policy/app-checks';

/** Props for {@link VolumeSnapshotLocation}. */
export interface VolumeSnapshotLocationProps {
  /**
   * The VolumeSnapshotLocation's name; Schedules refer to it by this name.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Velero's namespace (locations are read only from there).
   * @default 'velero'
   */
  readonly namespace?: string;
  /** The AWS region the EBS snapshots are taken in (the volumes' region). */
  readonly region: string;
  /**
   * How Velero authenticates to AWS.
   * @default VeleroCredentials.serviceAccountRole()
   */
  readonly credentials?: VeleroCredentials;
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

/** The runtime shape of {@link VolumeSnapshotLocationProps}, checked before any prop is read. */
export const VOLUME_SNAPSHOT_LOCATION_PROP_SHAPES = {
  name: NAME,
  namespace: NAME,
  region: shape.required(shape.string({ maxLength: 64, allowEmpty: true })),
  credentials: CREDENTIALS,
  partOf: PART_OF,
  metadata: METADATA,
} satisfies { readonly [K in keyof Required<VolumeSnapshotLocationProps>]: PropShape };

/**
 * Where Velero's AWS plugin takes native EBS snapshots of persistent volumes.
 *
 * When the app defines any VolumeSnapshotLocation, {@link VeleroSchedule} checks at synth that the names in its
 * `volumeSnapshotLocations` are among them.
 * @see https://velero.io/docs/main/api-types/volumesnapshotlocation/
 */
export class VolumeSnapshotLocation extends Construct {
  /** Every VolumeSnapshotLocation defined under a construct tree (usually the app). */
  public static allIn(root: IConstruct): VolumeSnapshotLocation[] {
    return root.node.findAll().filter((c): c is VolumeSnapshotLocation => c instanceof VolumeSnapshotLocation);
  }

  /** The name Schedules refer to the location by. */
  public readonly name: string;
  /** Velero's namespace, which holds the location. */
  public readonly namespace: string;
  /** The AWS region its snapshots are taken in. */
  public readonly region: string;
  /** The VolumeSnapshotLocation object. */
  public readonly resource: VeleroVolumeSnapshotLocationResource;

  constructor(scope: Construct, id: string, props: VolumeSnapshotLocationProps) {
    guardProps(VOLUME_SNAPSHOT_LOCATION, id, props, VOLUME_SNAPSHOT_LOCATION_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? VELERO_NAMESPACE;
    this.region = props.region;
    const secret = (props.credentials ?? VeleroCredentials.serviceAccountRole()).secret;
    validateLocation(VOLUME_SNAPSHOT_LOCATION, id, { name: this.name, namespace: this.namespace, region: props.region, secret });

    this.resource = new VeleroVolumeSnapshotLocationResource(this, 'Resource', {
      metadata: {
        ...props.metadata,
        name: this.name,
        namespace: this.namespace,
        labels: { ...props.metadata?.labels, ...standardLabels({ name: 'velero', instance: this.name, component: 'volume-snapshot-location', partOf: props.partOf }) },
      },
      spec: {
        provider: 'aws',
        config: { region: props.region },
        credential: secret ? { name: secret.name, key: secret.key } : undefined,
      },
    });
  }
}
