import { Cron, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { objectStorePort, tcp } from './network';
import { dnsEgress } from '../../private/network-policy';
import { componentSelector, finishPodTemplate, helperResources } from './pod';
import { S3_UPLOAD_SCRIPT } from './scripts';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../../private/security';
import { guardProps } from '../../private/prop-guard';
import { SNAPSHOT_PROP_SHAPES } from './props-shape';
import { CONSENSUS_SNAPSHOT } from './rules';
import { ConsensusSnapshotProps } from './props';
import { tlsMount } from './tls';

/** The default image that uploads snapshots (AWS CLI v2; it has a shell). */
export const DEFAULT_SNAPSHOT_UPLOADER_IMAGE = 'amazon/aws-cli:2.22.35';



const SNAPSHOT_FILE = '/snapshot/snapshot.db';

/**
 * A CronJob that writes a disaster-recovery snapshot of a consensus cluster to object storage, and the
 * NetworkPolicy that lets it reach the members' client port and the object store. An init container in the member
 * image takes the snapshot with the engine's own command (etcd: `etcdctl snapshot save` through the client
 * Service) into an `emptyDir`, and the main container uploads it; no ReadWriteMany volume is needed.
 *
 * Restore (etcd), after losing the quorum for good:
 * 1. Scale the StatefulSet to 0 (in Git, or suspend Argo CD's sync and `kubectl scale`), and delete every member's
 *    PVC (`data-<name>-<i>`).
 * 2. Download one snapshot (`aws s3 cp s3://<bucket>/<prefix><timestamp>.db snapshot.db`); every member restores
 *    from the same file.
 * 3. For each member `i`, in a pod mounting its new PVC, run
 *    `etcdutl snapshot restore snapshot.db --name <name>-<i> --initial-cluster <ETCD_INITIAL_CLUSTER>
 *    --initial-cluster-token <new token> --initial-advertise-peer-urls <its peer URL> --data-dir <mount>/data`
 *    (values as in the StatefulSet's environment; a new token makes the restored cluster a new cluster).
 *    `etcdutl` comes with etcd 3.5 (the pinned images); etcd 3.4 restores with `etcdctl snapshot restore` and the
 *    same flags (deprecated in 3.5, gone in 3.6). Taking the snapshot, `etcdctl snapshot save`, is the same in both.
 * 4. Set `clusterToken` to the new token, keep `initialClusterState: EXISTING`, scale back up, sync.
 * @see https://etcd.io/docs/v3.5/op-guide/recovery/
 */
export class ConsensusSnapshot extends Construct {
  /** The CronJob. */
  public readonly cronJob: kplus.CronJob;
  /** The NetworkPolicy for the snapshot pods (egress to the members' client port, DNS and object storage). */
  public readonly networkPolicy: kplus.k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: ConsensusSnapshotProps) {
    guardProps(CONSENSUS_SNAPSHOT, id, props, SNAPSHOT_PROP_SHAPES);
    super(scope, id);
    const podLabels = { ...props.labels, 'app.kubernetes.io/component': 'snapshot' };
    const prefix = props.prefix ?? `${props.name}/`;
    const take = props.command(SNAPSHOT_FILE);
    const workdir = kplus.Volume.fromEmptyDir(this, 'Workdir', 'snapshot');
    const tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp');
    const flags = [
      ...(props.endpointUrl ? ['--endpoint-url', props.endpointUrl] : []),
      ...(props.kmsKeyId ? ['--sse', 'aws:kms', '--sse-kms-key-id', props.kmsKeyId] : []),
      '--only-show-errors',
    ];
    const env: Record<string, kplus.EnvValue> = {
      SNAPSHOT_FILE: kplus.EnvValue.fromValue(SNAPSHOT_FILE),
      SNAPSHOT_BUCKET: kplus.EnvValue.fromValue(props.bucket),
      SNAPSHOT_PREFIX: kplus.EnvValue.fromValue(prefix),
      AWS_CP_FLAGS: kplus.EnvValue.fromValue(flags.join(' ')),
      HOME: kplus.EnvValue.fromValue('/tmp'),
    };
    if (props.region) env.AWS_REGION = kplus.EnvValue.fromValue(props.region);

    this.cronJob = new kplus.CronJob(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      schedule: props.schedule ?? Cron.schedule({ minute: '*/30' }),
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.minutes(5),
      successfulJobsRetained: 3,
      failedJobsRetained: 3,
      backoffLimit: 2,
      activeDeadline: Duration.minutes(30),
      select: false,
      podMetadata: { labels: podLabels },
      automountServiceAccountToken: false,
      serviceAccount: props.serviceAccountName
        ? kplus.ServiceAccount.fromServiceAccountName(this, 'ServiceAccount', props.serviceAccountName)
        : undefined,
      securityContext: restrictedPodSecurity(),
      initContainers: [{
        name: 'snapshot',
        image: props.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: [...take.command],
        envVariables: Object.fromEntries(Object.entries(take.env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        securityContext: restrictedContainerSecurity(),
        resources: helperResources(),
        volumeMounts: [{ path: '/snapshot', volume: workdir }, ...(props.tlsSecretName ? [tlsMount(this, 'Tls', props.tlsSecretName)] : [])],
      }],
      containers: [{
        name: 'upload',
        image: props.uploaderImage ?? DEFAULT_SNAPSHOT_UPLOADER_IMAGE,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: ['/bin/sh', '-c', S3_UPLOAD_SCRIPT],
        envVariables: env,
        securityContext: restrictedContainerSecurity(),
        resources: helperResources(),
        volumeMounts: [{ path: '/snapshot', volume: workdir, readOnly: true }, { path: '/tmp', volume: tmp }],
      }],
    });
    finishPodTemplate(this.cronJob, '/spec/jobTemplate/spec/template', { init: 1, main: 1 });

    const storePort = objectStorePort(props.endpointUrl);
    this.networkPolicy = new kplus.k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: {
        podSelector: { matchLabels: componentSelector(props.labels, 'snapshot') },
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          { to: [{ podSelector: { matchLabels: { ...props.memberSelector } } }], ports: [tcp(props.clientPort)] },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [tcp(storePort)] },
          dnsEgress(),
        ],
      },
    });
  }
}
