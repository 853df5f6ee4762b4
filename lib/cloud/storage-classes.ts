/**
 * The storage objects every cluster needs, as plain objects: pure, with no Pulumi import, so the GitOps output
 * (Argo CD syncs them with the cluster's baseline) and the Pulumi components share one definition.
 */
import { standardLabels } from '../private/labels';
import { KubeObject } from '../policy/objects';
import { KUBERNETES_NAMES } from './names';

const labels = (name: string) => standardLabels({ name, instance: name, component: 'storage', partOf: 'fleetcraft' });

/**
 * The two gp3 StorageClasses, encrypted with `kmsKeyId` (a key id, ARN or alias name: the storage component passes
 * the alias from `kmsAliasName(..., KmsKeyPurpose.EBS)`, so the objects are known at synth time), binding when a pod is scheduled (so the volume lands in
 * the pod's zone). `fast-ssd`: 16000 IOPS, 1000 MB/s, Retain (consensus data survives a deleted claim; gp3 allows
 * 500 IOPS per GiB, so its volumes must be 32 GiB or larger). `standard-ssd`: the gp3 baseline 3000 IOPS and
 * 125 MB/s, Delete, and the cluster's default class.
 * @see https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/parameters.md
 */
export function storageClassObjects(kmsKeyId: string): KubeObject[] {
  const storageClass = (name: string, iops: number, throughput: number, reclaimPolicy: 'Retain' | 'Delete', isDefault: boolean): KubeObject => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      labels: labels(name),
      ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    provisioner: 'ebs.csi.aws.com',
    parameters: {
      'type': 'gp3',
      'iops': String(iops),
      'throughput': String(throughput),
      'encrypted': 'true',
      'kmsKeyId': kmsKeyId,
      'csi.storage.k8s.io/fstype': 'ext4',
    },
    reclaimPolicy,
    allowVolumeExpansion: true,
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  return [
    storageClass(KUBERNETES_NAMES.fastStorageClass, 16000, 1000, 'Retain', false),
    storageClass(KUBERNETES_NAMES.standardStorageClass, 3000, 125, 'Delete', true),
  ];
}

/**
 * The EBS VolumeSnapshotClass, labelled for Velero's CSI support. `deletionPolicy: Delete`: Velero owns the
 * snapshots' lifetime and deletes them with the backup that expires; Retain would leave every expired backup's
 * EBS snapshots behind.
 * @see https://velero.io/docs/main/csi/
 */
export function volumeSnapshotClassObject(): KubeObject {
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshotClass',
    metadata: {
      name: KUBERNETES_NAMES.volumeSnapshotClass,
      labels: { ...labels(KUBERNETES_NAMES.volumeSnapshotClass), 'velero.io/csi-volumesnapshot-class': 'true' },
    },
    driver: 'ebs.csi.aws.com',
    deletionPolicy: 'Delete',
  };
}

