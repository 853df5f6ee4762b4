import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { tcp } from './network';
import { dnsEgress } from '../../private/network-policy';
import { componentSelector, finishPodTemplate, helperResources } from './pod';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../../private/security';
import { guardProps } from '../../private/prop-guard';
import { MEMBERSHIP_PROP_SHAPES } from './props-shape';
import { CONSENSUS_MEMBERSHIP } from './rules';
import { ConsensusMembershipProps } from './props';
import { tlsMount } from './tls';


/**
 * The Argo CD PreSync hook Job that makes `replicas` in Git safe to change: before Argo CD applies the new
 * StatefulSet, it compares the live member list with the desired members, checks that the cluster has a quorum,
 * and
 * - on scale-down, removes each surplus member (highest ordinals, one at a time, checking cluster health after
 *   each) while its pod still runs, so the StatefulSet then deletes pods that are no longer voters, and the PVCs of
 *   removed ordinals are deleted with them (`persistentVolumeClaimRetentionPolicy.whenScaled: Delete`), so a later
 *   scale-up starts those members empty;
 * - on scale-up by two (3 → 5), registers the lower new member as a learner and the higher as a voter
 *   (`etcdctl member add`) before their pods exist: a joining member's `ETCD_INITIAL_CLUSTER` (the full desired
 *   list) must match the cluster's members, and etcd's strict reconfiguration check takes only one unstarted voter,
 *   and one learner, at a time. The pods then start with `ETCD_INITIAL_CLUSTER_STATE=existing`; their join step
 *   (an init container) starts them one after the other and promotes the learner (`ETCD_JOIN_SCRIPT` in `scripts.ts`);
 * - on the first sync (no cluster answers and `initialClusterState` is `new`), does nothing;
 * - fails, so Argo CD stops the sync before anything changes, when no cluster answers but `initialClusterState` is
 *   `existing`, when the cluster has no quorum, when the members differ while it is still `new`, when more than two
 *   members are missing (grow 3 → 5 → 7, one sync each), or when a one-member cluster would grow (its one voter
 *   cannot keep a quorum beside a voter that has not started).
 *
 * Failures are retried with back-off (`backoffLimit` 6); the log says why. The Job is re-created on every sync
 * (`hook-delete-policy: BeforeHookCreation`). Without Argo CD, apply and wait for this Job before applying the
 * changed StatefulSet.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/
 * @see https://etcd.io/docs/v3.5/op-guide/runtime-configuration/
 */
export class ConsensusMembership extends Construct {
  /** The hook Job. */
  public readonly job: kplus.Job;
  /** The NetworkPolicy for the hook pods (egress to the members' client port and DNS). */
  public readonly networkPolicy: kplus.k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: ConsensusMembershipProps) {
    guardProps(CONSENSUS_MEMBERSHIP, id, props, MEMBERSHIP_PROP_SHAPES);
    super(scope, id);
    const podLabels = { ...props.labels, 'app.kubernetes.io/component': 'membership' };
    const tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp');
    this.job = new kplus.Job(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...props.labels },
        annotations: {
          'argocd.argoproj.io/hook': 'PreSync',
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        },
      },
      backoffLimit: 6,
      activeDeadline: Duration.minutes(15),
      select: false,
      podMetadata: { labels: podLabels },
      automountServiceAccountToken: false,
      securityContext: restrictedPodSecurity(),
      containers: [{
        name: 'membership',
        image: props.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: [...props.command],
        envVariables: Object.fromEntries(Object.entries(props.env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        securityContext: restrictedContainerSecurity(),
        resources: helperResources(),
        volumeMounts: [{ path: '/tmp', volume: tmp }, ...(props.tlsSecretName ? [tlsMount(this, 'Tls', props.tlsSecretName)] : [])],
      }],
    });
    finishPodTemplate(this.job, '/spec/template', { main: 1 });

    this.networkPolicy = new kplus.k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: {
        podSelector: { matchLabels: componentSelector(props.labels, 'membership') },
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          { to: [{ podSelector: { matchLabels: { ...props.memberSelector } } }], ports: [tcp(props.clientPort)] },
          dnsEgress(),
        ],
      },
    });
  }
}
