import { ApiObject, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { BackupHook, HookErrorMode, IBackupHookProvider } from '../backup/backup-hook';
import { ConsensusEngine, ConsensusEngineConfig, InitialClusterState } from './engine';
import { ConsensusMembership } from './membership';
import { ConsensusSnapshot } from './snapshot';
import { ConsensusStatefulSetProps, IConsensusClient, ZoneSpread } from './props';
import { CONSENSUS_PROP_SHAPES } from './props-shape';
import { consensusNetworkPolicy } from './network';
import { componentSelector, finishPodTemplate, helperResources, removeAddressSelector, statefulSetPatches } from './pod';
import { CONSENSUS, MAX_MEMBERS, quorumOf, validateConsensus, validateEngine } from './rules';
import { Certificate } from '../resources/cert-manager';
import { CONSENSUS_TLS_FILES, CONSENSUS_TLS_MOUNT_PATH, ConsensusCertificates, consensusCertificates, memberCommonName, memberDnsNames, tlsMount } from './tls';
import { propError } from '../../private/errors';
import { guardProps } from '../../private/prop-guard';
import { canonicalJson } from '../../private/network-policy';
import { standardLabels } from '../../private/labels';
import { goDuration } from '../../private/quantities';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../../private/security';
import { enablePolicyChecks } from '../../policy/app-checks';


const BACKUP_TIMEOUT = Duration.minutes(5);

/**
 * A quorum cluster (etcd or a custom Raft service) that cannot be synthesized wrong: a StatefulSet with stable
 * identities and one volume per member, a headless peer Service (`publishNotReadyAddresses`, so members find each
 * other before they are ready), a client Service, a PodDisruptionBudget that keeps the quorum, per-node
 * anti-affinity and zone spread, a NetworkPolicy, and optionally a snapshot CronJob and a membership hook Job.
 *
 * Backups: {@link preBackupHooks} (for `VeleroSchedule`) and, by default, the same hook as Velero pod annotations
 * (`pre.hook.backup.velero.io/*`): before Velero copies a member's volume it runs the engine's snapshot command in
 * the member container (etcd: `etcdctl snapshot save /var/lib/etcd/velero-snapshot.db`), so the backup holds a
 * consistent snapshot next to the live files. Restore from that file like from an object-storage snapshot
 * (see {@link ConsensusSnapshot}). Velero prefers a pod's hook annotations to a Backup's spec hooks for the same
 * pod, so using both does not snapshot twice; set `veleroHookAnnotations: false` to rely on the Schedule alone.
 *
 * Scaling through Git (the first sync uses `initialClusterState: NEW`; commit `EXISTING` once the cluster formed):
 * - up by two (3 → 5, 5 → 7): the PreSync hook Job registers `<name>-3` as a learner and `<name>-4` as a voter
 *   (`etcdctl member add`); then the StatefulSet creates both pods at once. Each pod's join step (an init container)
 *   holds `<name>-4` until `<name>-3` has started, promotes `<name>-3` to a voter once it has caught up, and lets
 *   `<name>-4` start; both start with state `existing` and the 5-member `ETCD_INITIAL_CLUSTER`, and join. Then the
 *   old members restart one at a time (their environment changed; members with data ignore the bootstrap settings).
 * - down (5 → 3): the hook removes `<name>-4`, then `<name>-3` from the cluster (health checked after each), then
 *   the StatefulSet deletes both pods and their volumes; the remaining members restart one at a time.
 * - the hook stops the sync (nothing changes) when no cluster answers or it has no quorum, while the state is still
 *   `NEW`, when asked to grow by more than two at once (3 → 7: go 3 → 5 → 7), when a one-member cluster would grow
 *   (an unstarted voter would cost it its quorum), or when etcd refuses a change.
 * See {@link ConsensusMembership}.
 * @see https://etcd.io/docs/v3.5/op-guide/clustering/
 */
export class ConsensusStatefulSet extends Construct implements IBackupHookProvider {
  /** The StatefulSet's name. */
  public readonly name: string;
  /** The namespace, when known (the prop, else the chart's). */
  public readonly namespace?: string;
  /** Members. */
  public readonly replicas: number;
  /** Members that must agree: ⌊replicas/2⌋+1. */
  public readonly quorum: number;
  /** Members that may fail while the cluster still works: replicas − quorum. */
  public readonly faultTolerance: number;
  /** Every member's peer URL (from its stable DNS name), in ordinal order; `https://` with TLS (etcd). */
  public readonly peerUrls: readonly string[];
  /**
   * URL clients use (the client Service), e.g. `https://raft.db.svc.cluster.local:2379` with TLS,
   * `http://raft.db.svc.cluster.local:2379` without.
   */
  public readonly clientEndpoint: string;
  /** With TLS: the issuers and certificates (see {@link ConsensusTls}). */
  public readonly certificates?: ConsensusCertificates;
  /**
   * With TLS: the Secret of the shared client identity (`<name>-client-tls`: `tls.crt`, `tls.key`, `ca.crt`) that
   * allowed clients mount whole (not with `subPath`, so renewals reach them) and present on the client port, trusting
   * `ca.crt` for the server. It exists in the members' namespace, and in each namespace a client was allowed from
   * ({@link allowClient}, {@link addClientCertificate}).
   */
  public readonly clientCertificateSecretName?: string;
  /** Labels selecting the member pods. */
  public readonly memberSelector: Readonly<Record<string, string>>;
  /** The engine's resolved configuration. */
  public readonly engineConfig: ConsensusEngineConfig;
  /** The StatefulSet. */
  public readonly statefulSet: kplus.StatefulSet;
  /** The headless peer Service (`<name>-peer`). */
  public readonly peerService: kplus.Service;
  /** The client Service (`<name>`). */
  public readonly clientService: kplus.Service;
  /**
   * The PodDisruptionBudget (`minAvailable` = quorum). None for a single member: a budget over one pod can only
   * block every node drain, and a one-member set has no fault tolerance to protect (it is refused in production).
   */
  public readonly pdb?: kplus.k8s.KubePodDisruptionBudget;
  /** The members' NetworkPolicy. */
  public readonly networkPolicy: kplus.k8s.KubeNetworkPolicy;
  /** The disaster-recovery snapshot CronJob, if `snapshots` is set. */
  public readonly snapshot?: ConsensusSnapshot;
  /** The membership hook Job, if enabled and the engine has one. */
  public readonly membership?: ConsensusMembership;
  private readonly backupHook?: Omit<BackupHook, 'namespace'>;
  private readonly clientPort: number;
  /** The client port's peers: `allowedClients`, then those added by {@link allowClient} (read at synth). */
  private readonly clientPeers: kplus.k8s.NetworkPolicyPeer[];
  /** With TLS: issues the shared client identity into another namespace. */
  private readonly issueClient?: (scope: Construct, id: string, namespace: string) => Certificate;
  /** The client certificates issued into other namespaces, by namespace. */
  private readonly foreignClientCertificates = new Map<string, Certificate>();
  /** Whether the certificate authority can issue into other namespaces (a ClusterIssuer). */
  private readonly clusterWideIssuer: boolean;

  constructor(scope: Construct, id: string, props: ConsensusStatefulSetProps) {
    guardProps(CONSENSUS, id, props, CONSENSUS_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    const name = props.name ?? id;
    const namespace = props.namespace ?? Chart.of(this).namespace;
    const replicas = props.replicas ?? 3;
    const clientPort = props.clientPort ?? 2379;
    const peerPort = props.peerPort ?? 2380;
    const metricsPort = props.metricsPort ?? 2381;
    const storage = props.storage ?? Size.gibibytes(10);
    const heartbeatInterval = props.heartbeatInterval ?? Duration.seconds(1);
    const electionTimeout = props.electionTimeout ?? Duration.seconds(5);
    const clusterDomain = props.clusterDomain ?? 'cluster.local';
    const engine = props.engine ?? ConsensusEngine.etcd();
    validateConsensus(id, {
      name, namespace, clusterDomain, replicas, clientPort, peerPort, metricsPort, heartbeatInterval, electionTimeout, storage,
      production: props.production ?? false,
      tls: props.tls?.mode,
      minAvailable: props.minAvailable,
      snapshotCronJobName: props.snapshots ? `${name}-snapshot` : undefined,
      images: { image: props.image, ...(props.snapshots?.uploaderImage ? { 'snapshots.uploaderImage': props.snapshots.uploaderImage } : {}) },
    });

    this.name = name;
    this.namespace = namespace;
    this.clientPort = clientPort;
    this.replicas = replicas;
    this.quorum = quorumOf(replicas);
    this.faultTolerance = replicas - this.quorum;
    const peerServiceName = `${name}-peer`;
    const peerDomain = namespace ? `${peerServiceName}.${namespace}.svc.${clusterDomain}` : peerServiceName;
    const memberNames = Array.from({ length: replicas }, (_, i) => `${name}-${i}`);
    const tls = props.tls?.options;
    this.clientEndpoint = `${tls ? 'https' : 'http'}://${namespace ? `${name}.${namespace}.svc.${clusterDomain}` : name}:${clientPort}`;
    const config = engine.bind({
      name, image: props.image, memberNames, peerDomain, clientPort, peerPort, metricsPort, heartbeatInterval, electionTimeout, storage,
      memberHosts: memberNames.map((n) => `${n}.${peerDomain}`),
      surplusHosts: Array.from({ length: MAX_MEMBERS - replicas }, (_, i) => `${name}-${MAX_MEMBERS - 1 - i}.${peerDomain}`),
      clientEndpoint: this.clientEndpoint,
      clusterToken: props.clusterToken ?? (namespace ? `${namespace}-${name}` : name),
      initialClusterState: props.initialClusterState ?? InitialClusterState.NEW,
      snapshotInterval: props.snapshotInterval ?? Duration.hours(1),
      tls: tls ? { files: CONSENSUS_TLS_FILES, peerCommonName: memberCommonName(name) } : undefined,
    });
    this.engineConfig = config;
    validateEngine(id, {
      broken: config.validate(),
      appName: config.appName,
      snapshotBucket: props.snapshots?.bucket,
      hasSnapshotCommand: config.snapshotCommand !== undefined,
      memoryLimit: props.resources ? props.resources.memory?.limit : Size.gibibytes(2),
      membershipImage: (props.membershipHook ?? true) ? config.membership?.image : undefined,
    });
    this.peerUrls = config.peerUrls;

    const identity = { name: config.appName, instance: name, component: 'consensus', partOf: props.partOf };
    const labels = standardLabels(identity);
    this.memberSelector = componentSelector(labels, 'consensus');
    const meta = (n: string) => ({ name: n, namespace, labels });
    const ports = { client: clientPort, peer: peerPort, metrics: metricsPort };

    this.clusterWideIssuer = tls?.authority.kind === 'clusterIssuer';
    if (tls) {
      const issued = consensusCertificates(this, {
        name, namespace, labels, options: tls,
        memberDnsNames: memberDnsNames({ name, peerServiceName, namespace, clusterDomain, maxMembers: MAX_MEMBERS }),
      });
      this.certificates = issued.certificates;
      this.issueClient = issued.issueClient;
      this.clientCertificateSecretName = issued.certificates.secretNames.client;
    }
    // The member certificate, mounted in the member container (server, peer and client certificate) and the join step.
    const memberTls = this.certificates ? tlsMount(this, 'MemberTls', this.certificates.secretNames.member) : undefined;

    this.peerService = new kplus.Service(this, 'PeerService', {
      metadata: meta(peerServiceName),
      clusterIP: 'None',
      ports: [{ name: 'peer', port: peerPort, targetPort: peerPort }, { name: 'client', port: clientPort, targetPort: clientPort }],
    });
    ApiObject.of(this.peerService).addJsonPatch(JsonPatch.add('/spec/publishNotReadyAddresses', true));
    this.clientService = new kplus.Service(this, 'ClientService', {
      metadata: meta(name),
      ports: [{ name: 'client', port: clientPort, targetPort: clientPort }],
    });
    for (const [k, v] of Object.entries(this.memberSelector)) {
      this.peerService.selectLabel(k, v);
      this.clientService.selectLabel(k, v);
    }

    this.backupHook = config.backupCommand && {
      name: `${name}-${config.appName}-snapshot`,
      podLabels: this.memberSelector,
      container: config.containerName,
      command: config.backupCommand,
      onError: HookErrorMode.FAIL,
      timeout: BACKUP_TIMEOUT,
    };
    const hookAnnotations: Record<string, string> = this.backupHook && (props.veleroHookAnnotations ?? true) ? {
      'pre.hook.backup.velero.io/container': this.backupHook.container,
      'pre.hook.backup.velero.io/command': JSON.stringify(this.backupHook.command),
      'pre.hook.backup.velero.io/on-error': this.backupHook.onError,
      'pre.hook.backup.velero.io/timeout': goDuration(BACKUP_TIMEOUT),
    } : {};

    // The engine's join step runs with the membership hook (it waits for the hook's registrations).
    const join = (props.membershipHook ?? true) && config.membership ? config.join : undefined;
    const probe = (path: string, failureThreshold: number, timeout: number) => kplus.Probe.fromHttpGet(path, {
      port: metricsPort, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(timeout), failureThreshold,
    });
    this.statefulSet = new kplus.StatefulSet(this, 'Resource', {
      metadata: { ...props.metadata, name, namespace, labels: { ...props.metadata?.labels, ...labels } },
      service: this.peerService,
      replicas,
      podManagementPolicy: props.podManagementPolicy ?? kplus.PodManagementPolicy.PARALLEL,
      select: false,
      podMetadata: { labels, annotations: hookAnnotations },
      automountServiceAccountToken: false,
      securityContext: restrictedPodSecurity(),
      initContainers: join ? [{
        name: 'join',
        image: join.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: [...join.command],
        envVariables: { ...join.env },
        securityContext: restrictedContainerSecurity(),
        resources: helperResources(),
        // The shell writes here-documents to /tmp; the data volume's mount is added below.
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'JoinTmp', 'join-tmp') }, ...(memberTls ? [memberTls] : [])],
      }] : undefined,
      containers: [{
        name: config.containerName,
        image: props.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: config.command ? [...config.command] : undefined,
        args: config.args ? [...config.args] : undefined,
        ports: Object.entries(ports).map(([portName, number]) => ({ name: portName, number })),
        envVariables: { ...config.env },
        securityContext: restrictedContainerSecurity(),
        resources: props.resources ?? {
          cpu: { request: kplus.Cpu.millis(500) },
          memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
        },
        startup: probe(config.livenessPath, 30, 5),
        readiness: probe(config.readinessPath, 3, 5),
        liveness: probe(config.livenessPath, 8, 15),
      }],
    });
    this.statefulSet.select(kplus.LabelSelector.of({ labels: this.memberSelector }));
    if (memberTls) this.statefulSet.addVolume(memberTls.volume);
    if (props.tolerations?.length) this.statefulSet.scheduling.tolerate(kplus.Node.tainted(...props.tolerations));
    finishPodTemplate(this.statefulSet, '/spec/template', { init: join ? 1 : 0, main: 1 });
    removeAddressSelector(this.peerService);
    ApiObject.of(this.statefulSet).addJsonPatch(...statefulSetPatches({
      memberSelector: this.memberSelector, labels, storage, dataMountPath: config.dataMountPath,
      storageClassName: props.storageClassName, nodeSelector: props.nodeSelector, initDataMount: join !== undefined,
      memberTlsMount: memberTls ? { name: memberTls.volume.name, mountPath: CONSENSUS_TLS_MOUNT_PATH } : undefined,
      whenUnsatisfiable: props.zoneSpread ?? ZoneSpread.REQUIRED,
    }));

    if (this.replicas > 1) this.pdb = new kplus.k8s.KubePodDisruptionBudget(this, 'Pdb', {
      metadata: meta(name),
      spec: {
        minAvailable: kplus.k8s.IntOrString.fromNumber(props.minAvailable ?? this.quorum),
        selector: { matchLabels: { ...this.memberSelector } },
        // A member that is not ready does not count toward the quorum, but while the budget is already broken
        // (quorum at risk) even unready members stay put: they hold the data the quorum needs to come back.
        unhealthyPodEvictionPolicy: 'IfHealthyBudget',
      },
    });

    const jobLabels = standardLabels({ ...identity, component: 'operations' });
    if (props.snapshots) {
      this.snapshot = new ConsensusSnapshot(this, 'Snapshot', {
        ...props.snapshots,
        prefix: props.snapshots.prefix ?? (namespace ? `${namespace}/${name}/` : `${name}/`),
        name: `${name}-snapshot`, namespace, labels: jobLabels, image: props.image,
        command: config.snapshotCommand ?? (() => ({ command: [], env: {} })),
        memberSelector: this.memberSelector, clientPort, tlsSecretName: this.certificates?.secretNames.operations,
      });
    }
    if (config.membership && (props.membershipHook ?? true)) {
      this.membership = new ConsensusMembership(this, 'Membership', {
        ...config.membership, name: `${name}-membership`, namespace, labels: jobLabels, memberSelector: this.memberSelector, clientPort,
        tlsSecretName: this.certificates?.secretNames.operations,
      });
    }
    this.clientPeers = (props.allowedClients ?? []).map((c) => c.toNetworkPolicyPeer());
    this.networkPolicy = consensusNetworkPolicy(this, 'NetworkPolicy', {
      metadata: meta(name), memberSelector: this.memberSelector, ports,
      allowedClients: this.clientPeers,
      allowMetricsFrom: (props.allowMetricsFrom ?? []).map((c) => c.toNetworkPolicyPeer()),
      memberClientEgress: join !== undefined,
      jobSelectors: [
        ...(this.snapshot ? [componentSelector(labels, 'snapshot')] : []),
        ...(this.membership ? [componentSelector(labels, 'membership')] : []),
      ],
    });
  }

  /**
   * Allows a workload built with this library (e.g. an `AutoscaledService`) to reach the client port, from its real
   * pod selector and namespace, after both exist: the members' NetworkPolicy admits its pods on the client port, and
   * the workload's own NetworkPolicy gets an egress rule to the members' client port. Pods of another namespace are
   * selected by namespace and labels. Allowing the same workload twice changes nothing. Pods this library does not
   * build: `allowedClients` with {@link ConsensusClient}.
   *
   * Both must be in the same App with known namespaces (the `namespace` prop or the chart's).
   */
  public allowClient(client: IConsensusClient): void {
    const id = this.node.id;
    if (typeof client !== 'object' || client === null || typeof client.allowEgressTo !== 'function'
      || typeof client.podSelector !== 'object' || client.podSelector === null || client.node === undefined) {
      throw propError(CONSENSUS, id, 'allowClient(client)', client, 'must be a workload construct with a podSelector and allowEgressTo (an IConsensusClient, e.g. an AutoscaledService)',
        'pass the workload construct, or allow foreign pods with allowedClients: [ConsensusClient.podsInNamespace(namespace, labels)]');
    }
    const path = client.node.path;
    if (client.node.root !== this.node.root) {
      throw propError(CONSENSUS, id, 'allowClient(client)', path, 'is in another App, whose objects are deployed apart from this one\'s',
        'build the workload in the same App, or allow its pods by label with allowedClients: [ConsensusClient.podsInNamespace(namespace, labels)]');
    }
    if (!this.namespace) {
      throw propError(CONSENSUS, id, 'namespace', undefined, `is needed to allow the client "${path}", whose egress rule selects the members by namespace`,
        'set namespace on the construct or its chart');
    }
    const clientNamespace = client.namespace ?? chartNamespace(client);
    if (!clientNamespace) {
      throw propError(CONSENSUS, id, `allowClient(client "${path}").namespace`, undefined, 'must be known, or the members\' NetworkPolicy cannot tell which namespace\'s pods to admit',
        'set namespace on the workload or its chart');
    }
    if (Object.keys(client.podSelector).length === 0) {
      throw propError(CONSENSUS, id, `allowClient(client "${path}").podSelector`, {}, 'selects every pod of its namespace, not the workload\'s',
        'pass a workload whose pods carry labels, or allow the namespace with ConsensusClient.namespace(name)');
    }
    const sameNamespace = clientNamespace === this.namespace;
    if (this.certificates && !sameNamespace && !this.clusterWideIssuer) {
      throw propError(CONSENSUS, id, `allowClient(client "${path}").namespace`, clientNamespace,
        `cannot mount the client certificate Secret "${this.clientCertificateSecretName}": the cluster's own CA issues only in its namespace ("${this.namespace}")`,
        'run the client in that namespace, or issue from a ClusterIssuer: tls: ConsensusTls.certManager({ authority: ConsensusCertificateAuthority.clusterIssuer(name) })');
    }
    if (this.certificates && !sameNamespace) this.addClientCertificate(clientNamespace);
    const pods = { matchLabels: { ...client.podSelector } };
    const peer: kplus.k8s.NetworkPolicyPeer = sameNamespace ? { podSelector: pods } : { namespaceSelector: byName(clientNamespace), podSelector: pods };
    if (!this.clientPeers.some((p) => canonicalJson(p) === canonicalJson(peer))) this.clientPeers.push(peer);
    client.allowEgressTo({ namespace: sameNamespace ? undefined : this.namespace, podLabels: { ...this.memberSelector }, ports: [this.clientPort] });
  }

  /**
   * Issues the shared client identity into another namespace, so pods there can mount
   * {@link clientCertificateSecretName}: a cert-manager Certificate of that name in `namespace`, from the same
   * ClusterIssuer. Returns the existing one when the namespace already has it. {@link allowClient} calls it for
   * workloads of other namespaces; call it for pods allowed by label (`allowedClients`). Needs TLS with a ClusterIssuer
   * authority (the cluster's own CA issues only in the members' namespace).
   */
  public addClientCertificate(namespace: string): Certificate {
    const id = this.node.id;
    if (!this.certificates || !this.issueClient) {
      throw propError(CONSENSUS, id, 'tls', undefined, 'is not cert-manager TLS, so there is no client certificate to issue', 'set tls: ConsensusTls.certManager({ ... })');
    }
    if (namespace === this.namespace) return this.certificates.client;
    if (!this.clusterWideIssuer) {
      throw propError(CONSENSUS, id, 'addClientCertificate(namespace)', namespace, `cannot be issued into: the cluster's own CA issues only in its namespace ("${this.namespace}")`,
        'issue from a ClusterIssuer: tls: ConsensusTls.certManager({ authority: ConsensusCertificateAuthority.clusterIssuer(name) })');
    }
    let certificate = this.foreignClientCertificates.get(namespace);
    if (!certificate) {
      const scope = (this.node.tryFindChild('ClientCertificates') as Construct | undefined) ?? new Construct(this, 'ClientCertificates');
      certificate = this.issueClient(scope, namespace, namespace);
      this.foreignClientCertificates.set(namespace, certificate);
    }
    return certificate;
  }

  /**
   * Velero pre-backup hooks: the engine's consistent snapshot onto the data volume, run in each member. Needs a
   * known namespace (the `namespace` prop or the chart's).
   */
  public get preBackupHooks(): readonly BackupHook[] {
    if (!this.backupHook) return [];
    if (!this.namespace) {
      throw propError(CONSENSUS, this.node.id, 'namespace', undefined, 'is needed for Velero hooks, which select pods by namespace', 'set namespace on the construct or its chart');
    }
    return [{ ...this.backupHook, namespace: this.namespace }];
  }

  /** Velero post-backup hooks: none (the snapshot file is overwritten by the next backup). */
  public get postBackupHooks(): readonly BackupHook[] {
    return [];
  }

}

/** The namespace of the nearest chart around `c`, if any. */
function chartNamespace(c: IConstruct): string | undefined {
  return (c.node.scopes.slice().reverse().find((s) => Chart.isChart(s)) as Chart | undefined)?.namespace;
}

const byName = (namespace: string): kplus.k8s.LabelSelector => ({ matchLabels: { 'kubernetes.io/metadata.name': namespace } });
