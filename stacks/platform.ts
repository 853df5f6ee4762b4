import { ApiObject, ApiObjectMetadata, App, Chart, Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { ContainerSizeSpec, EnvironmentSpec, NamespaceQuotaSpec, RegionSpec } from '../environments';
import {
  ADDON_NAMESPACES, AddonName, ADDONS, ALB_INGRESS_CLASS, ISTIO_INGRESS_GATEWAY, IstioGateway, PeerAuthentication, VirtualService, ClusterAddons, CoverageProvider, CustomMetric, NETWORK_NOT_READY_TAINT,
  AutoscaledService, BackupCheck, BackupPolicy, RestoreDrill, RestoreDrillWorkloadKind, FederatedApp, FederatedWorkload, BackupStorageLocation, ClusterSecretStore, ConsensusClient, ConsensusStatefulSet,
  DisruptionBudget, ExternalSecret, KubeObject, LinuxCapability, NamespaceBaseline, NamespaceQuota, NetworkDaemonSet, PodSecurityLevel,
  GrafanaDashboard, PodMonitor, PrometheusRule, ScalingMetric, VeleroCredentials, VolumeSnapshotLocation,
  Certificate, ClusterIssuer, ConsensusCertificateAuthority, ConsensusTls,
} from '../lib';
import {
  CloudRolePurpose, consensusSnapshotBucketName, consensusSnapshotPrefix, kmsAliasName, KmsKeyPurpose, KUBERNETES_NAMES, regionalHostName, roleName,
  SERVICE_ACCOUNTS, ServiceAccountRef, secretName, serviceAccountRoleAnnotations, veleroBucketName,
} from '../lib/cloud/names';
import { storageClassObjects, volumeSnapshotClassObject } from '../lib/cloud/storage-classes';
import { alertGroups, AlertTargets, recordingGroups } from './alerts';
import { buildArgoCd } from './argocd';
import { buildOrder, ComponentNode } from './components';
import { platformDashboards } from './dashboards';
import { addApiSmokeTest, smokeTestPeer } from './smoke-test';

/** The namespaces the platform owns (each gets the namespace baseline), and the ones it expects to exist. */
export const NAMESPACES = {
  consensus: 'consensus',
  api: 'api',
  network: 'network-system',
  /** Created by the velero add-on (its Application's `CreateNamespace`). */
  velero: ADDON_NAMESPACES.velero,
  /** Created by the kube-prometheus-stack add-on. */
  monitoring: ADDON_NAMESPACES.monitoring,
  /** The restore drill's and the backup check's Jobs (restricted, default-deny: Velero's own namespace is its chart's). */
  backupChecks: 'backup-checks',
} as const;

/** Where the API's pods find their consensus client certificate (the whole Secret, so renewals reach them). */
export const CONSENSUS_CLIENT_TLS_PATH = '/etc/consensus-client';

/** The TLS policy of the API's load balancer: TLS 1.3 and 1.2 with forward-secret ciphers only. */
export const API_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * The API's per-pod request rate: its HPA scales on it, the prometheus-adapter add-on serves it (the rate of the
 * API's `http_requests_total` counter), so both read it from here.
 */
export const API_REQUEST_RATE: CustomMetric = { name: 'http_requests_per_second', counter: 'http_requests_total' };

/**
 * What a cluster serves before Argo CD's first sync: Argo CD itself (installed by Pulumi, with its namespace) and the
 * EKS managed add-ons Pulumi installs (the snapshot controller serves the VolumeSnapshot kinds).
 */
export const BOOTSTRAP_PROVIDERS: readonly CoverageProvider[] = [
  {
    name: 'Argo CD (installed by Pulumi)',
    wave: -Infinity,
    apis: [{ apiVersion: 'argoproj.io/v1alpha1', kinds: ['Application', 'AppProject', 'ApplicationSet'] }],
    namespaces: ['argocd'],
  },
  {
    name: 'the EKS add-on snapshot-controller (installed by Pulumi)',
    wave: -Infinity,
    apis: [{ apiVersion: 'snapshot.storage.k8s.io/v1', kinds: ['VolumeSnapshot', 'VolumeSnapshotClass', 'VolumeSnapshotContent'] }],
  },
];

/** Names of the platform's workloads. */
export const WORKLOADS = { consensus: 'raft', api: 'api', networkAgent: 'transport-agent' } as const;

/** The network agent's Prometheus endpoint: a named container port (on the host network) its PodMonitor scrapes. */
export const NETWORK_AGENT_METRICS_PORT = { name: 'metrics', number: 9880, path: '/metrics' } as const;

/** How often Prometheus scrapes the API where the environment does not say. */
export const DEFAULT_API_SCRAPE_INTERVAL_SECONDS = 30;

const PART_OF = 'fleetcraft';

/**
 * One component chart: a cluster's component, whose objects land in `<env>/<cluster>/<component>/`, or an
 * environment-wide one (Argo CD) without a cluster, in `<env>/<component>/`.
 */
export interface ComponentChart {
  readonly env: string;
  readonly cluster?: string;
  readonly region?: string;
  readonly component: string;
  readonly chart: Chart;
}

/** The constructs of one cluster that other components wire to. */
interface ClusterParts {
  readonly env: EnvironmentSpec;
  readonly region: RegionSpec;
  readonly charts: Record<string, Chart>;
  agent?: NetworkDaemonSet;
  consensus?: ConsensusStatefulSet;
  api?: AutoscaledService;
  addons?: ClusterAddons;
}

/**
 * A component of every cluster: what it depends on (for Argo CD sync waves), what it reads (for build order) and
 * what builds it: once per cluster, or once for all clusters (`api`, a FederatedApp).
 */
interface Component extends ComponentNode {
  /**
   * Where the component's objects are applied: its cluster, or the Argo CD namespace of the cluster Argo CD runs in
   * (the add-ons' Applications).
   * @default 'cluster'
   */
  readonly appliedTo?: 'cluster' | 'argocd';
  readonly build: { readonly perCluster: (parts: ClusterParts) => void } | { readonly allClusters: (clusters: readonly ClusterParts[], argo: Chart) => void };
}

/** The AppProject of the add-ons' Applications (their charts' repositories, cluster-wide resources). */
export function addonsProjectName(env: EnvironmentSpec): string {
  return `${env.name}-addons`;
}

function addons(p: ClusterParts): void {
  const prometheus = p.env.addons.prometheus;
  p.addons = new ClusterAddons(p.charts.addons, 'Addons', {
    addons: p.env.addons.enabled,
    cluster: { name: p.region.clusterName, region: p.region.name, environment: p.env.name, accountId: p.env.awsAccountId, domain: p.env.domain },
    project: addonsProjectName(p.env),
    podSecurityVersion: `v${p.env.kubernetesVersion}`,
    prometheus: {
      retention: Duration.days(prometheus.retentionDays), replicas: prometheus.replicas, storageGiB: prometheus.storageGiB,
      storageClassName: KUBERNETES_NAMES.standardStorageClass, grafana: prometheus.grafana, alertmanager: prometheus.alertmanager,
    },
    // The specification's figures; the network agent's startup taint is temporary, not a reason to give up on a node.
    clusterAutoscaler: {
      scaleDownDelayAfterAdd: Duration.minutes(10), scaleDownUnneededTime: Duration.minutes(10), scaleDownUtilizationThreshold: 0.5,
      maxNodeProvisionTime: Duration.minutes(15), maxGracefulTermination: Duration.seconds(600), startupTaints: [NETWORK_NOT_READY_TAINT.key],
    },
    customMetrics: [API_REQUEST_RATE],
    automated: !p.env.production,
  });
}

/** An environment's container size as cdk8s-plus resources (no CPU limit unless the size states one). */
export function containerResources(size: ContainerSizeSpec): kplus.ContainerResources {
  // Whole cores read as such in the output (`2`), the rest in millicores; cdk8s-plus writes memory in MiB.
  const cpu = (millis: number) => (millis % 1000 === 0 ? kplus.Cpu.units(millis / 1000) : kplus.Cpu.millis(millis));
  return {
    cpu: { request: cpu(size.cpuRequestMillis), ...(size.cpuLimitMillis !== undefined ? { limit: cpu(size.cpuLimitMillis) } : {}) },
    memory: { request: Size.mebibytes(size.memoryRequestMiB), limit: Size.mebibytes(size.memoryLimitMiB) },
  };
}

/** An environment's namespace quota as the namespace baseline's. */
function namespaceQuota(q: NamespaceQuotaSpec): NamespaceQuota {
  return {
    requestsCpu: kplus.Cpu.units(q.cpu), requestsMemory: Size.gibibytes(q.memoryGiB), limitsMemory: Size.gibibytes(q.limitsMemoryGiB),
    pods: q.pods, persistentVolumeClaims: q.persistentVolumeClaims, requestsStorage: Size.gibibytes(q.storageGiB),
  };
}

function networkAgent(p: ClusterParts): void {
  p.agent = new NetworkDaemonSet(p.charts.network, 'NetworkAgent', {
    name: WORKLOADS.networkAgent,
    namespace: NAMESPACES.network,
    partOf: PART_OF,
    image: p.env.networkAgent.image,
    sysctls: p.env.networkAgent.sysctls,
    mtu: p.env.networkAgent.mtu,
    capabilities: [LinuxCapability.NET_ADMIN],
    ports: [{ name: 'health', number: 9879 }, { name: NETWORK_AGENT_METRICS_PORT.name, number: NETWORK_AGENT_METRICS_PORT.number }],
    removeStartupTaint: true,
    resources: containerResources(p.env.networkAgent.resources),
  });
}

function baseline(p: ClusterParts): void {
  const version = `v${p.env.kubernetesVersion}`;
  const namespaces: Array<[string, PodSecurityLevel, NamespaceQuotaSpec]> = [
    [NAMESPACES.consensus, PodSecurityLevel.RESTRICTED, p.env.quotas.consensus],
    [NAMESPACES.api, PodSecurityLevel.RESTRICTED, p.env.quotas.api],
    [NAMESPACES.network, p.agent?.podSecurityLevel ?? PodSecurityLevel.RESTRICTED, p.env.quotas.network],
  ];
  for (const [name, level, quota] of namespaces) {
    new NamespaceBaseline(p.charts.baseline, name, { name, podSecurity: level, podSecurityVersion: version, partOf: PART_OF, quota: namespaceQuota(quota) });
  }
  // The mesh's namespace-wide floor: every pod of the API's namespace accepts mutual TLS only (the API's own
  // PeerAuthentication repeats it for its pods; security/mesh-mtls-downgrade refuses any sibling that relaxes it).
  if (p.env.features.mesh) {
    new PeerAuthentication(p.charts.baseline, 'ApiStrictMtls', {
      metadata: { name: 'default', namespace: NAMESPACES.api, labels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'fleetcraft' } },
      spec: { mtls: { mode: 'STRICT' } },
    });
  }
  // The storage classes (EBS gp3, encrypted with the cluster's EBS key by alias) and the VolumeSnapshotClass: Argo CD
  // owns them like every other object; the cloud side creates only the key and alias they name.
  const storage = new Construct(p.charts.baseline, 'Storage');
  for (const obj of [...storageClassObjects(kmsAliasName(p.env.name, p.region.clusterName, KmsKeyPurpose.EBS)), volumeSnapshotClassObject()]) {
    const { apiVersion, kind, metadata, ...rest } = obj;
    new ApiObject(storage, `${kind}-${metadata?.name}`, { apiVersion, kind, metadata: metadata as ApiObjectMetadata, ...rest });
  }
}

/** The environment's node group for consensus members: its labels select the nodes, its taint is tolerated. */
export const CONSENSUS_NODE_GROUP = 'consensus';

/**
 * The ClusterIssuer of the consensus members' and clients' certificates. Its CA key pair is the Secret of the same name
 * in cert-manager's namespace, issued by a self-signed ClusterIssuer: ten years, renewed a year before expiry with the
 * same key (etcd does not reload its trusted CA file, so members keep trusting it until their next restart).
 */
export const CONSENSUS_CA = 'consensus-ca';

function consensusCa(scope: Construct): void {
  const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'fleetcraft' };
  new ClusterIssuer(scope, 'CaSelfSigned', { metadata: { name: `${CONSENSUS_CA}-selfsigned`, labels }, spec: { selfSigned: {} } });
  new Certificate(scope, 'CaCertificate', {
    metadata: { name: CONSENSUS_CA, namespace: ADDONS[AddonName.CERT_MANAGER].namespace, labels },
    spec: {
      secretName: CONSENSUS_CA, isCA: true, commonName: CONSENSUS_CA, usages: ['cert sign', 'crl sign', 'digital signature'],
      issuerRef: { name: `${CONSENSUS_CA}-selfsigned`, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      duration: '87600h0m0s', renewBefore: '8760h0m0s', privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' },
    },
  });
  new ClusterIssuer(scope, 'CaIssuer', { metadata: { name: CONSENSUS_CA, labels }, spec: { ca: { secretName: CONSENSUS_CA } } });
}

/** Where a cluster's consensus snapshots go, and as whom: computed once, read by the manifests and the Pulumi program. */
export interface ConsensusSnapshotTarget {
  /** The bucket (`consensusSnapshotBucketName`). */
  readonly bucket: string;
  /** The key prefix the CronJob writes under, and the only one its role reaches. */
  readonly prefix: string;
  /** The CronJob's service account, the one the role trusts. */
  readonly serviceAccount: ServiceAccountRef;
  /** The IAM role's name (`roleName(..., CONSENSUS_SNAPSHOTS)`). */
  readonly roleName: string;
}

/** The consensus snapshot target of a cluster, or undefined when the environment takes no consensus snapshots. */
export function consensusSnapshotTarget(env: EnvironmentSpec, region: RegionSpec): ConsensusSnapshotTarget | undefined {
  if (!env.backup.consensusSnapshots) return undefined;
  const serviceAccount = SERVICE_ACCOUNTS.consensusSnapshots;
  if (serviceAccount.namespace !== NAMESPACES.consensus) {
    throw new Error(`SERVICE_ACCOUNTS.consensusSnapshots is in namespace "${serviceAccount.namespace}", but the consensus cluster runs in ` +
      `"${NAMESPACES.consensus}"; a CronJob runs only as a service account of its own namespace: make the two the same`);
  }
  return {
    bucket: consensusSnapshotBucketName(env.name, region.clusterName, env.bucketPrefix),
    prefix: consensusSnapshotPrefix(NAMESPACES.consensus, WORKLOADS.consensus),
    serviceAccount,
    roleName: roleName(env.name, region.clusterName, CloudRolePurpose.CONSENSUS_SNAPSHOTS),
  };
}

/**
 * The snapshot CronJob's service account, annotated with the role the Pulumi program creates for it (IRSA); the pod
 * gets its web-identity token from EKS's webhook, not from the automounted API token (which stays off).
 */
function snapshotServiceAccount(p: ClusterParts, target: ConsensusSnapshotTarget): void {
  new kplus.ServiceAccount(p.charts.consensus, 'SnapshotServiceAccount', {
    metadata: {
      name: target.serviceAccount.name, namespace: target.serviceAccount.namespace,
      labels: { 'app.kubernetes.io/name': WORKLOADS.consensus, 'app.kubernetes.io/component': 'snapshot', 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'fleetcraft' },
      annotations: serviceAccountRoleAnnotations(p.env.awsAccountId, p.env.name, p.region.clusterName, CloudRolePurpose.CONSENSUS_SNAPSHOTS),
    },
    automountToken: false,
  });
}

function consensus(p: ClusterParts): void {
  const nodes = p.env.nodeGroups.find((g) => g.name === CONSENSUS_NODE_GROUP);
  if (!nodes) throw new Error(`environment "${p.env.name}" has no "${CONSENSUS_NODE_GROUP}" node group; the consensus members need their own nodes`);
  const replicas = p.region.primary ? (p.env.consensus.primaryReplicas ?? p.env.consensus.replicas) : p.env.consensus.replicas;
  const snapshots = consensusSnapshotTarget(p.env, p.region);
  p.consensus = new ConsensusStatefulSet(p.charts.consensus, 'Consensus', {
    name: WORKLOADS.consensus,
    namespace: NAMESPACES.consensus,
    partOf: PART_OF,
    image: p.env.consensus.image,
    replicas,
    production: p.env.production,
    // TLS on the peer and client ports in every environment, with client certificates from the cluster's consensus CA.
    tls: ConsensusTls.certManager({ authority: ConsensusCertificateAuthority.clusterIssuer(CONSENSUS_CA) }),
    storage: Size.gibibytes(p.env.consensus.storageGiB),
    storageClassName: KUBERNETES_NAMES.fastStorageClass,
    resources: containerResources(p.env.consensus.resources),
    heartbeatInterval: Duration.seconds(1),
    electionTimeout: Duration.seconds(5),
    snapshotInterval: Duration.hours(1),
    nodeSelector: { ...nodes.labels },
    tolerations: nodes.taint ? [kplus.NodeTaintQuery.is(nodes.taint.key, nodes.taint.value, { effect: nodes.taint.effect as kplus.TaintEffect })] : [],
    allowMetricsFrom: [ConsensusClient.namespace(NAMESPACES.monitoring)],
    // Hourly, into the bucket and as the role the Pulumi program creates (the same names, from consensusSnapshotTarget).
    snapshots: snapshots ? {
      bucket: snapshots.bucket, prefix: snapshots.prefix, region: p.region.name, schedule: Cron.hourly(), serviceAccountName: snapshots.serviceAccount.name,
    } : undefined,
  });
  if (snapshots) snapshotServiceAccount(p, snapshots);
  consensusCa(p.consensus);
}

function secrets(p: ClusterParts): void {
  new ClusterSecretStore(p.charts.secrets, 'Store', {
    metadata: { name: KUBERNETES_NAMES.clusterSecretStore, labels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'fleetcraft' } },
    spec: {
      provider: { aws: { service: 'SecretsManager', region: p.region.name, auth: { jwt: { serviceAccountRef: { ...SERVICE_ACCOUNTS.externalSecrets } } } } },
    },
  });
  new ExternalSecret(p.charts.secrets, 'ApiCredentials', {
    metadata: { name: 'api-credentials', namespace: NAMESPACES.api, labels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'fleetcraft' } },
    spec: {
      secretStoreRef: { name: KUBERNETES_NAMES.clusterSecretStore, kind: 'ClusterSecretStore' },
      refreshInterval: '1h',
      target: { name: 'api-credentials', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [
        { secretKey: 'DATABASE_PASSWORD', remoteRef: { key: secretName(p.env.name, 'api'), property: 'databasePassword' } },
        { secretKey: 'SESSION_SIGNING_KEY', remoteRef: { key: secretName(p.env.name, 'api'), property: 'sessionSigningKey' } },
      ],
    },
  });
}

/**
 * The API across every cluster of the environment: a FederatedApp (per-cluster backend) splitting the total
 * replicas and the autoscaler bounds by region weight, each member in its cluster's `api` chart, wired to that
 * cluster's consensus endpoint and allowed as its client.
 */
function api(clusters: readonly ClusterParts[], scope: Construct): void {
  const env = clusters[0].env;
  const federated = new FederatedApp(scope, 'Api', {
    workload: FederatedWorkload.autoscaledService({
      name: WORKLOADS.api,
      namespace: NAMESPACES.api,
      partOf: PART_OF,
      image: env.api.image,
      port: 8080,
      resources: containerResources(env.api.resources),
      minReplicas: env.api.replicas.min,
      maxReplicas: env.api.replicas.max,
      metrics: [ScalingMetric.cpu(70), ScalingMetric.memory(80), ScalingMetric.podMetric(API_REQUEST_RATE.name, 1000)],
      scaleUp: { maxPercent: 50, period: Duration.minutes(1), stabilizationWindow: Duration.seconds(60) },
      scaleDown: { maxPercent: 10, period: Duration.minutes(5), stabilizationWindow: Duration.seconds(300) },
      disruptionBudget: DisruptionBudget.maxUnavailablePercent(20),
      terminationGracePeriod: Duration.seconds(60),
      drain: Duration.seconds(30),
      readinessPath: '/ready',
      livenessPath: '/healthz',
      startupPath: '/startup',
      startupTimeout: Duration.seconds(150),
      envFromSecrets: ['api-credentials'],
      serviceMonitor: env.features.serviceMonitor
        ? { prometheusNamespace: NAMESPACES.monitoring, interval: Duration.seconds(env.api.scrapeIntervalSeconds ?? DEFAULT_API_SCRAPE_INTERVAL_SECONDS) } : undefined,
      vpaRecommendations: env.features.vpa,
      // The specification's mesh figures are the option's defaults.
      mesh: env.features.mesh ? {} : undefined,
      allowFrom: [
        ...(env.features.mesh && env.features.ingress ? [{ namespace: ISTIO_INGRESS_GATEWAY.namespace, serviceAccount: ISTIO_INGRESS_GATEWAY.serviceAccount }] : []),
        // The PostSync smoke test asks the readiness endpoint through the Service.
        smokeTestPeer(NAMESPACES.api, PART_OF, env.features.mesh === true),
      ],
    }),
    totalReplicas: env.api.totalReplicas,
    members: clusters.map((c) => ({
      name: c.region.clusterName,
      weight: c.region.weight,
      scope: c.charts.api,
      overrides: {
        env: {
          CONSENSUS_ENDPOINTS: c.consensus?.clientEndpoint ?? '', REGION: c.region.name, ENVIRONMENT: env.name,
          // The client identity the members require on their client port, and the CA that signed them (etcd's client variables).
          ...(c.consensus?.clientCertificateSecretName ? {
            CONSENSUS_CACERT: `${CONSENSUS_CLIENT_TLS_PATH}/ca.crt`, CONSENSUS_CERT: `${CONSENSUS_CLIENT_TLS_PATH}/tls.crt`, CONSENSUS_KEY: `${CONSENSUS_CLIENT_TLS_PATH}/tls.key`,
          } : {}),
        },
        secretVolumes: c.consensus?.clientCertificateSecretName
          ? [{ secretName: c.consensus.clientCertificateSecretName, mountPath: CONSENSUS_CLIENT_TLS_PATH }] : [],
        // In the mesh the load balancer reaches the ingress gateway instead (meshIngress); the pods admit only the gateway.
        ingress: env.features.ingress && !env.features.mesh ? {
          host: regionalHostName(WORKLOADS.api, c.region.name, env.domain),
          className: ALB_INGRESS_CLASS,
          // The load balancer reaches the pods directly (IP targets: the Service is ClusterIP) from its interfaces in the VPC.
          controllerNamespace: 'kube-system',
          sourceCidrs: c.region.vpcCidr ? [c.region.vpcCidr] : [],
          annotations: albAnnotations(),
        } : undefined,
      },
    })),
  });
  for (const parts of clusters) {
    parts.api = federated.memberWorkloads[parts.region.clusterName];
    if (parts.api && env.features.mesh && env.features.ingress) meshIngress(parts, parts.api);
    // Both NetworkPolicies from the API's real pod selector: the members admit it, its pods may call the client port.
    if (parts.api && parts.consensus) parts.consensus.allowClient(parts.api);
    if (parts.api) addApiSmokeTest(parts.charts.api, { api: parts.api, partOf: PART_OF, mesh: env.features.mesh === true });
  }
}

/**
 * HTTPS only (no plain-HTTP listener at all), with the ACM certificate Pulumi issues for the host, which the load
 * balancer controller finds by the host name; TLS 1.2 at least; IP targets (the Services are ClusterIP).
 */
function albAnnotations(): Record<string, string> {
  return {
    'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
    'alb.ingress.kubernetes.io/ssl-policy': API_TLS_POLICY,
  };
}

/**
 * The API's public path in the mesh: the load balancer (TLS from ACM) forwards to the Istio ingress gateway, whose
 * Gateway accepts the API's host and whose VirtualService routes it to the API's Service; from the gateway on,
 * traffic is mTLS, and the API's AuthorizationPolicy admits the gateway's identity.
 */
function meshIngress(p: ClusterParts, apiService: AutoscaledService): void {
  const host = regionalHostName(WORKLOADS.api, p.region.name, p.env.domain);
  const labels = { 'app.kubernetes.io/name': WORKLOADS.api, 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'fleetcraft' };
  const scope = new Construct(p.charts.api, 'MeshIngress');
  const namespace = ISTIO_INGRESS_GATEWAY.namespace;
  new kplus.k8s.KubeIngress(scope, 'Ingress', {
    metadata: { name: WORKLOADS.api, namespace, labels, annotations: albAnnotations() },
    spec: {
      ingressClassName: ALB_INGRESS_CLASS,
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: ISTIO_INGRESS_GATEWAY.service, port: { number: ISTIO_INGRESS_GATEWAY.httpPort } } } }] } }],
    },
  });
  new IstioGateway(scope, 'Gateway', {
    metadata: { name: WORKLOADS.api, namespace, labels },
    spec: { selector: { ...ISTIO_INGRESS_GATEWAY.selector }, servers: [{ port: { number: ISTIO_INGRESS_GATEWAY.httpPort, name: 'http', protocol: 'HTTP' }, hosts: [host] }] },
  });
  const service = apiService.service;
  new VirtualService(scope, 'Routes', {
    metadata: { name: WORKLOADS.api, namespace, labels },
    spec: {
      hosts: [host],
      gateways: [`${namespace}/${WORKLOADS.api}`],
      http: [{ route: [{ destination: { host: `${service.name}.${NAMESPACES.api}.svc.cluster.local`, port: { number: service.port ?? 8080 } } }], timeout: '10s' }],
    },
  });
}

/** Where a cluster's own backups go in its Velero bucket: `velero/<cluster>` (the copies of others are in `copies/`). */
export function primaryBackupPrefix(region: RegionSpec): string {
  return `velero/${region.clusterName}`;
}

/** The region that receives this cluster's cross-region backup copy: the next region in the list. */
function copyRegion(env: EnvironmentSpec, region: RegionSpec): RegionSpec | undefined {
  if (env.regions.length < 2) return undefined;
  return env.regions[(env.regions.indexOf(region) + 1) % env.regions.length];
}

function backup(p: ClusterParts): void {
  // Under a prefix of its own: another cluster's cross-region copies land in this bucket under `copies/<cluster>`, and
  // Velero marks a location Unavailable (no more backups) when its root holds a folder it did not write.
  const location = new BackupStorageLocation(p.charts.backup, 'Primary', {
    name: 'primary', namespace: NAMESPACES.velero, bucket: veleroBucketName(p.env.name, p.region.clusterName, p.env.bucketPrefix),
    prefix: primaryBackupPrefix(p.region), region: p.region.name, default: true, credentials: VeleroCredentials.serviceAccountRole(), partOf: PART_OF,
  });
  const target = p.env.backup.crossRegion ? copyRegion(p.env, p.region) : undefined;
  const copy = target && new BackupStorageLocation(p.charts.backup, 'CrossRegion', {
    name: 'cross-region', namespace: NAMESPACES.velero, bucket: veleroBucketName(p.env.name, target.clusterName, p.env.bucketPrefix),
    prefix: `copies/${p.region.clusterName}`, region: target.name, credentials: VeleroCredentials.serviceAccountRole(), partOf: PART_OF,
  });
  const snapshots = new VolumeSnapshotLocation(p.charts.backup, 'Snapshots', {
    name: 'ebs', namespace: NAMESPACES.velero, region: p.region.name, credentials: VeleroCredentials.serviceAccountRole(), partOf: PART_OF,
  });
  const policy = new BackupPolicy(p.charts.backup, 'Policy', {
    name: p.env.name,
    location,
    crossRegionLocation: copy,
    snapshotLocation: snapshots,
    hourly: p.env.backup.hourly,
    daily: p.env.backup.daily,
    includedNamespaces: [NAMESPACES.consensus, NAMESPACES.api],
    hooksFrom: p.consensus ? [p.consensus] : [],
    partOf: PART_OF,
  });
  if (p.env.backup.restoreDrills) restoreDrills(p, policy);
}

/** When the platform's restore drill runs: the first day of every month, 06:00 UTC. */
export const RESTORE_DRILL_CRON = '0 6 1 * *';

/**
 * Proof that the backups restore, in every cluster: a monthly RestoreDrill of the API's namespace from the newest daily
 * backup, passing only once the restored API's pods are Ready, and a daily BackupCheck that the newest backup of every
 * schedule completed without errors in time. Their Jobs run in their own restricted, default-deny namespace and reach
 * only the API server (in the VPC: EKS's private endpoint).
 */
function restoreDrills(p: ClusterParts, policy: BackupPolicy): void {
  if (!policy.daily) {
    throw new Error(`environment "${p.env.name}": backup.restoreDrills needs backup.daily (the drill restores the newest daily backup); set daily: true`);
  }
  new NamespaceBaseline(p.charts.backup, NAMESPACES.backupChecks, {
    name: NAMESPACES.backupChecks, podSecurity: PodSecurityLevel.RESTRICTED, podSecurityVersion: `v${p.env.kubernetesVersion}`, partOf: PART_OF,
  });
  const apiServerCidrs = p.region.vpcCidr ? [p.region.vpcCidr] : undefined;
  new RestoreDrill(p.charts.backup, 'RestoreDrill', {
    name: 'restore-drill', namespace: NAMESPACES.backupChecks, schedule: policy.daily, sourceNamespace: NAMESPACES.api, cron: RESTORE_DRILL_CRON,
    readyWorkloads: [{ kind: RestoreDrillWorkloadKind.DEPLOYMENT, name: WORKLOADS.api }], apiServerCidrs, partOf: PART_OF,
  });
  new BackupCheck(p.charts.backup, 'BackupCheck', {
    name: 'backup-check', namespace: NAMESPACES.backupChecks, schedules: policy.schedules, apiServerCidrs, partOf: PART_OF,
  });
}

/**
 * The series the platform's rules and dashboards select: the API's job is its ServiceMonitor's (the Service's name),
 * the consensus members' and the network agent's are their PodMonitors' (`jobLabel`: the pods' instance label).
 */
export const ALERT_TARGETS: AlertTargets = {
  apiJob: WORKLOADS.api, consensusJob: WORKLOADS.consensus, apiNamespace: NAMESPACES.api,
  consensusNamespace: NAMESPACES.consensus, networkAgentDaemonSet: WORKLOADS.networkAgent, networkNamespace: NAMESPACES.network,
  networkAgentJob: WORKLOADS.networkAgent, startupTaintKey: NETWORK_NOT_READY_TAINT.key, backupChecksNamespace: NAMESPACES.backupChecks,
};

/** The PodMonitor of the network agent: its pods by their selector labels, on the metrics port the agent exposes. */
export function networkAgentMonitor(scope: Construct, agent: NetworkDaemonSet, labels: Record<string, string>): PodMonitor {
  const ports = agent.daemonSet.containers.flatMap((c) => c.ports.map((port) => port.name));
  if (!ports.includes(NETWORK_AGENT_METRICS_PORT.name)) {
    throw new Error(`the network agent exposes no "${NETWORK_AGENT_METRICS_PORT.name}" port (it has ${ports.join(', ') || 'none'}); add it to its ports so its PodMonitor can scrape it`);
  }
  return new PodMonitor(scope, 'NetworkAgentMonitor', {
    metadata: { name: agent.name, namespace: NAMESPACES.network, labels },
    spec: {
      selector: { matchLabels: { ...agent.daemonSet.matchLabels } },
      namespaceSelector: { matchNames: [NAMESPACES.network] },
      podMetricsEndpoints: [{ port: NETWORK_AGENT_METRICS_PORT.name, path: NETWORK_AGENT_METRICS_PORT.path, interval: '30s' }],
      jobLabel: 'app.kubernetes.io/instance',
    },
  });
}

function monitoring(p: ClusterParts): void {
  const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'fleetcraft' };
  if (p.consensus) {
    new PodMonitor(p.charts.monitoring, 'ConsensusMonitor', {
      metadata: { name: WORKLOADS.consensus, namespace: NAMESPACES.consensus, labels },
      spec: {
        selector: { matchLabels: { ...p.consensus.memberSelector } },
        namespaceSelector: { matchNames: [NAMESPACES.consensus] },
        podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
        jobLabel: 'app.kubernetes.io/instance',
      },
    });
  }
  if (p.agent) networkAgentMonitor(p.charts.monitoring, p.agent, labels);
  new PrometheusRule(p.charts.monitoring, 'RecordingRules', {
    metadata: { name: 'fleetcraft-recording-rules', namespace: NAMESPACES.monitoring, labels },
    spec: { groups: recordingGroups(ALERT_TARGETS).map((g) => ({ name: g.name, rules: g.rules.map((r) => ({ record: r.record, expr: r.expr })) })) },
  });
  new PrometheusRule(p.charts.monitoring, 'Alerts', {
    metadata: { name: 'fleetcraft-alerts', namespace: NAMESPACES.monitoring, labels },
    spec: {
      groups: alertGroups(ALERT_TARGETS).map((g) => ({
        name: g.name,
        rules: g.rules.map((r) => ({
          alert: r.alert, expr: r.expr, for: r.for,
          labels: { severity: r.severity, environment: p.env.name, cluster: p.region.clusterName },
          annotations: { summary: r.summary, description: r.description },
        })),
      })),
    },
  });
  if (p.env.addons.prometheus.grafana) {
    const dashboards = new Construct(p.charts.monitoring, 'Dashboards');
    for (const dashboard of platformDashboards(ALERT_TARGETS)) {
      new GrafanaDashboard(dashboards, dashboard.uid, { dashboard, namespace: NAMESPACES.monitoring, partOf: PART_OF });
    }
  }
}

/**
 * The components of a cluster: Argo CD sync waves come from `dependsOn`, build order from `reads`
 * (see {@link buildOrder}).
 */
export const COMPONENTS: readonly Component[] = [
  { name: 'addons', dependsOn: [], appliedTo: 'argocd', build: { perCluster: addons } },
  { name: 'baseline', dependsOn: ['addons'], reads: ['network'], build: { perCluster: baseline } },
  { name: 'network', dependsOn: ['baseline'], build: { perCluster: networkAgent } },
  { name: 'secrets', dependsOn: ['baseline', 'addons'], build: { perCluster: secrets } },
  { name: 'consensus', dependsOn: ['baseline', 'network'], build: { perCluster: consensus } },
  { name: 'api', dependsOn: ['consensus', 'secrets'], reads: ['consensus'], build: { allClusters: api } },
  { name: 'backup', dependsOn: ['consensus', 'addons'], reads: ['consensus'], build: { perCluster: backup } },
  { name: 'monitoring', dependsOn: ['api', 'consensus', 'addons'], reads: ['consensus', 'network'], build: { perCluster: monitoring } },
];

/**
 * Builds an environment: one cdk8s App per cluster (each cluster is its own unit: a Velero location or a Service
 * must be found in its own cluster, never in another's) holding one chart per component, plus an App for the
 * environment's Argo CD chart. `makeApp` receives `<env>-<cluster>` or `<env>-argocd`.
 */
export function buildEnvironment(env: EnvironmentSpec, makeApp: (name: string) => App = () => new App()): ComponentChart[] {
  const charts: ComponentChart[] = [];
  const clusters: ClusterParts[] = env.regions.map((region) => {
    const app = makeApp(`${env.name}-${region.clusterName}`);
    const parts: ClusterParts = { env, region, charts: {} };
    for (const component of COMPONENTS) {
      const chart = new Chart(app, `${env.name}-${region.clusterName}-${component.name}`, { disableResourceNameHashes: true });
      parts.charts[component.name] = chart;
      charts.push({ env: env.name, cluster: region.clusterName, region: region.name, component: component.name, chart });
    }
    return parts;
  });
  const argo = new Chart(makeApp(`${env.name}-argocd`), `${env.name}-argocd`, { disableResourceNameHashes: true });
  for (const component of buildOrder(COMPONENTS)) {
    if ('perCluster' in component.build) for (const parts of clusters) component.build.perCluster(parts);
    else if ('allClusters' in component.build) component.build.allClusters(clusters, argo);
    else throw new Error(`component "${component.name}" has no builder`);
  }
  buildArgoCd(argo, env, COMPONENTS);
  charts.push({ env: env.name, component: 'argocd', chart: argo });
  return charts;
}

/**
 * Runs every construct's synth-time validations (`node.addValidation`) under `scope`, as `app.synth()` would (only
 * of the constructs `include` accepts, when given); returns `<path>: <message>` for each failure.
 */
export function constructErrors(scope: IConstruct, include: (c: IConstruct) => boolean = () => true): string[] {
  return scope.node.findAll().filter(include).flatMap((c) => c.node.validate().map((message) => `${c.node.path}: ${message}`));
}

/** The objects of a chart, as plain JSON. */
export function chartObjects(chart: Chart): KubeObject[] {
  return chart.toJson() as KubeObject[];
}
