/**
 * The cluster add-ons fleetcraft knows how to install: which chart, at which exact version, into which namespace,
 * what each one serves to the rest of the cluster (custom resource kinds, metrics APIs, an IngressClass), which other
 * add-ons it needs first, and which cloud role it assumes. Data only; `ClusterAddons` turns it into Argo CD
 * Applications and the coverage check reads what each one provides.
 */
import { CloudRolePurpose, SERVICE_ACCOUNTS, ServiceAccountRef } from '../../cloud/names';
import { PodSecurityLevel } from '../../policy/pod-security-level';

/** A cluster add-on, by the name its Argo CD Application and its entry in an environment's `addons` carry. */
export enum AddonName {
  /** Velero with the AWS plugin and the node agent: backups of namespaces and volumes. */
  VELERO = 'velero',
  /** External Secrets Operator: Secrets from AWS Secrets Manager. */
  EXTERNAL_SECRETS = 'external-secrets',
  /** kube-prometheus-stack: the Prometheus operator, Prometheus, Alertmanager, node-exporter, kube-state-metrics, Grafana. */
  KUBE_PROMETHEUS_STACK = 'kube-prometheus-stack',
  /** metrics-server: the resource metrics API (`metrics.k8s.io`) the HPA's CPU and memory targets read. */
  METRICS_SERVER = 'metrics-server',
  /** prometheus-adapter: the custom metrics API (`custom.metrics.k8s.io`) serving per-pod metrics from Prometheus. */
  PROMETHEUS_ADAPTER = 'prometheus-adapter',
  /** The Vertical Pod Autoscaler's recommender only (no updater, no admission controller). */
  VERTICAL_POD_AUTOSCALER = 'vertical-pod-autoscaler',
  /** cluster-autoscaler: grows and shrinks the managed node groups. */
  CLUSTER_AUTOSCALER = 'cluster-autoscaler',
  /** The AWS Load Balancer Controller and its `alb` IngressClass. */
  AWS_LOAD_BALANCER_CONTROLLER = 'aws-load-balancer-controller',
  /** ExternalDNS: DNS records in Route 53 for the Ingresses' hosts, pointing at their load balancers. */
  EXTERNAL_DNS = 'external-dns',
  /** cert-manager: Certificates and Issuers. Only where something uses them. */
  CERT_MANAGER = 'cert-manager',
  /** KEDA: ScaledObjects and the external metrics API. Only where something uses them. */
  KEDA = 'keda',
  /** Istio's CRDs and cluster-wide resources (the `base` chart). Only where something uses Istio. */
  ISTIO_BASE = 'istio-base',
  /** Istio's CNI node agent: sets up the sidecars' traffic redirection, so pods need no privileged init container. */
  ISTIO_CNI = 'istio-cni',
  /** Istio's control plane. Only where something uses Istio. */
  ISTIOD = 'istiod',
  /** An Istio ingress gateway: the entry into the mesh for a load balancer (which cannot speak the mesh's mTLS). */
  ISTIO_INGRESS_GATEWAY = 'istio-ingressgateway',
}

/** A Helm chart at one exact version. */
export interface HelmChart {
  /** The chart repository (`https://…`). */
  readonly repoURL: string;
  /** The chart's name in the repository. */
  readonly chart: string;
  /** The exact chart version (never a range). */
  readonly version: string;
  /** The version of the software the chart installs, as its `Chart.yaml` states (documentation; the README table shows it). */
  readonly appVersion: string;
}

/**
 * Every add-on's chart, pinned. This is the one place versions live. Each was chosen to serve the API versions the
 * platform's objects are checked against (the CRDs under `../shared/crds`: Velero 1.18.1, External Secrets 2.9.0,
 * prometheus-operator 0.93.0, VPA 1.7.1, cert-manager 1.21.1, KEDA 2.20.2, Istio 1.30.3).
 *
 * Upgrading one: read the chart's changelog and the software's upgrade notes between the two versions (CRD changes
 * above all: Argo CD applies a chart's `crds/` only on install, so a CRD change may need its own step), change
 * `version` and `appVersion` here, run `npm test` (the values are typed, the rendered Applications are checked against
 * the Argo CD schema, and the coverage check fails if a kind the platform uses is no longer served), then sync dev,
 * staging and production in that order.
 */
export const ADDON_CHARTS: Readonly<Record<AddonName, HelmChart>> = {
  [AddonName.VELERO]: { repoURL: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '12.1.0', appVersion: '1.18.1' },
  [AddonName.EXTERNAL_SECRETS]: { repoURL: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '2.9.0', appVersion: 'v2.9.0' },
  [AddonName.KUBE_PROMETHEUS_STACK]: { repoURL: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '88.0.0', appVersion: 'v0.93.0' },
  [AddonName.METRICS_SERVER]: { repoURL: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', version: '3.13.0', appVersion: '0.8.0' },
  [AddonName.PROMETHEUS_ADAPTER]: { repoURL: 'https://prometheus-community.github.io/helm-charts', chart: 'prometheus-adapter', version: '5.3.0', appVersion: 'v0.12.0' },
  [AddonName.VERTICAL_POD_AUTOSCALER]: { repoURL: 'https://charts.fairwinds.com/stable', chart: 'vpa', version: '5.0.0', appVersion: '1.7.1' },
  [AddonName.CLUSTER_AUTOSCALER]: { repoURL: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler', version: '9.59.0', appVersion: '1.35.0' },
  [AddonName.AWS_LOAD_BALANCER_CONTROLLER]: { repoURL: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '1.14.0', appVersion: 'v2.14.0' },
  [AddonName.EXTERNAL_DNS]: { repoURL: 'https://kubernetes-sigs.github.io/external-dns/', chart: 'external-dns', version: '1.18.0', appVersion: 'v0.18.0' },
  [AddonName.CERT_MANAGER]: { repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1', appVersion: 'v1.21.1' },
  [AddonName.KEDA]: { repoURL: 'https://kedacore.github.io/charts', chart: 'keda', version: '2.20.2', appVersion: '2.20.2' },
  [AddonName.ISTIO_BASE]: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'base', version: '1.30.3', appVersion: '1.30.3' },
  [AddonName.ISTIO_CNI]: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'cni', version: '1.30.3', appVersion: '1.30.3' },
  [AddonName.ISTIOD]: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'istiod', version: '1.30.3', appVersion: '1.30.3' },
  [AddonName.ISTIO_INGRESS_GATEWAY]: { repoURL: 'https://istio-release.storage.googleapis.com/charts', chart: 'gateway', version: '1.30.3', appVersion: '1.30.3' },
};

/** Custom resource kinds of one API version that an add-on serves. */
export interface ProvidedApi {
  /** `group/version`, e.g. `velero.io/v1`. */
  readonly apiVersion: string;
  /** The kinds. */
  readonly kinds: readonly string[];
}

/** What one add-on is, needs and provides. */
export interface AddonDefinition {
  /** Why a cluster runs it (the README's table shows this). */
  readonly why: string;
  /** The namespace its chart is installed into. */
  readonly namespace: string;
  /**
   * The add-on creates its namespace (Argo CD `CreateNamespace`, labelled with this Pod Security level). Absent for
   * `kube-system` and for namespaces another add-on creates.
   */
  readonly createsNamespace?: { readonly podSecurity: PodSecurityLevel; readonly why: string };
  /** Add-ons that must be synced and healthy first (their CRDs, their namespace, their service). */
  readonly dependsOn: readonly AddonName[];
  /** The custom resource kinds it installs. */
  readonly provides: readonly ProvidedApi[];
  /** Metrics APIs it serves: `resource` (`metrics.k8s.io`), per-pod custom metrics, external metrics. */
  readonly metrics?: { readonly resource?: boolean; readonly custom?: boolean; readonly external?: boolean };
  /** The IngressClass it creates. */
  readonly ingressClass?: string;
  /** The cloud role its service account assumes (IRSA): the same purpose and service account as the Pulumi role. */
  readonly cloudRole?: { readonly purpose: CloudRolePurpose; readonly serviceAccount: ServiceAccountRef };
  /** Its CRDs exceed the 256 KiB annotation client-side apply needs: Argo CD must apply them server-side. */
  readonly serverSideApply: boolean;
  /** Its chart creates custom resources of CRDs it installs in the same sync (Argo CD then skips their dry run). */
  readonly createsOwnCustomResources: boolean;
  /**
   * Installed only where something in the cluster uses what it provides, or another add-on needs it; enabling it
   * anywhere else is refused.
   */
  readonly onDemand: boolean;
  /**
   * An on-demand add-on that serves no API of its own counts as used wherever this add-on is (istiod with Istio's CRDs).
   * @default - used only through what it provides
   */
  readonly usedWith?: AddonName;
}

/** Namespaces the add-ons run in. */
export const ADDON_NAMESPACES = {
  velero: SERVICE_ACCOUNTS.velero.namespace,
  externalSecrets: SERVICE_ACCOUNTS.externalSecrets.namespace,
  monitoring: 'monitoring',
  kubeSystem: 'kube-system',
  certManager: 'cert-manager',
  keda: 'keda',
  istio: 'istio-system',
  istioIngress: 'istio-ingress',
} as const;

/**
 * The ingress gateway as the platform reaches it: its Service (the release name) in its namespace, the label its pods
 * carry (the chart's `istio: <release name without "istio-">`), and its service account (a mesh principal).
 */
export const ISTIO_INGRESS_GATEWAY = {
  namespace: 'istio-ingress',
  service: 'istio-ingressgateway',
  serviceAccount: 'istio-ingressgateway',
  selector: { istio: 'ingressgateway' },
  httpPort: 80,
} as const;

/** The IngressClass the AWS Load Balancer Controller creates (an ALB per Ingress, unless grouped). */
export const ALB_INGRESS_CLASS = 'alb';

const ISTIO_APIS: readonly ProvidedApi[] = [
  { apiVersion: 'networking.istio.io/v1', kinds: ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'EnvoyFilter', 'ProxyConfig'] },
  { apiVersion: 'networking.istio.io/v1beta1', kinds: ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'ProxyConfig'] },
  { apiVersion: 'networking.istio.io/v1alpha3', kinds: ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'EnvoyFilter'] },
  { apiVersion: 'security.istio.io/v1', kinds: ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'] },
  { apiVersion: 'security.istio.io/v1beta1', kinds: ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'] },
  { apiVersion: 'telemetry.istio.io/v1', kinds: ['Telemetry'] },
  { apiVersion: 'telemetry.istio.io/v1alpha1', kinds: ['Telemetry'] },
  { apiVersion: 'extensions.istio.io/v1alpha1', kinds: ['WasmPlugin'] },
];

/** Every add-on's definition. */
export const ADDONS: Readonly<Record<AddonName, AddonDefinition>> = {
  [AddonName.VELERO]: {
    why: 'Backups and restores: the Schedules, BackupStorageLocations and restore drills of the backup component',
    namespace: ADDON_NAMESPACES.velero,
    createsNamespace: { podSecurity: PodSecurityLevel.PRIVILEGED, why: 'the node agent mounts the kubelet\'s pod volumes from the host to back up their files' },
    dependsOn: [AddonName.KUBE_PROMETHEUS_STACK],
    provides: [{
      apiVersion: 'velero.io/v1',
      kinds: ['Backup', 'BackupRepository', 'BackupStorageLocation', 'DeleteBackupRequest', 'DownloadRequest', 'PodVolumeBackup', 'PodVolumeRestore', 'Restore', 'Schedule', 'ServerStatusRequest', 'VolumeSnapshotLocation'],
    }, { apiVersion: 'velero.io/v2alpha1', kinds: ['DataDownload', 'DataUpload'] }],
    cloudRole: { purpose: CloudRolePurpose.VELERO, serviceAccount: SERVICE_ACCOUNTS.velero },
    serverSideApply: false,
    createsOwnCustomResources: false,
    onDemand: false,
  },
  [AddonName.EXTERNAL_SECRETS]: {
    why: 'Kubernetes Secrets from AWS Secrets Manager: the ClusterSecretStore and ExternalSecrets of the secrets component',
    namespace: ADDON_NAMESPACES.externalSecrets,
    createsNamespace: { podSecurity: PodSecurityLevel.RESTRICTED, why: 'the operator, its webhook and its cert controller run as non-root without privileges' },
    dependsOn: [AddonName.KUBE_PROMETHEUS_STACK],
    provides: [{
      apiVersion: 'external-secrets.io/v1',
      kinds: ['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret'],
    }, { apiVersion: 'generators.external-secrets.io/v1alpha1', kinds: ['ECRAuthorizationToken', 'Password', 'GeneratorState', 'ClusterGenerator'] }],
    cloudRole: { purpose: CloudRolePurpose.EXTERNAL_SECRETS, serviceAccount: SERVICE_ACCOUNTS.externalSecrets },
    serverSideApply: true,
    createsOwnCustomResources: false,
    onDemand: false,
  },
  [AddonName.KUBE_PROMETHEUS_STACK]: {
    why: 'Metrics, alerts and dashboards: the ServiceMonitors, PodMonitors and PrometheusRules of every component',
    namespace: ADDON_NAMESPACES.monitoring,
    createsNamespace: { podSecurity: PodSecurityLevel.PRIVILEGED, why: 'node-exporter reads the host\'s network, processes and file systems' },
    dependsOn: [],
    provides: [{
      apiVersion: 'monitoring.coreos.com/v1',
      kinds: ['Alertmanager', 'PodMonitor', 'Probe', 'Prometheus', 'PrometheusRule', 'ServiceMonitor', 'ThanosRuler'],
    }, { apiVersion: 'monitoring.coreos.com/v1alpha1', kinds: ['AlertmanagerConfig', 'PrometheusAgent', 'ScrapeConfig'] }],
    serverSideApply: true,
    createsOwnCustomResources: true,
    onDemand: false,
  },
  [AddonName.METRICS_SERVER]: {
    why: 'The resource metrics API the HorizontalPodAutoscalers\' CPU and memory targets read',
    namespace: ADDON_NAMESPACES.kubeSystem,
    dependsOn: [],
    provides: [],
    metrics: { resource: true },
    serverSideApply: false,
    createsOwnCustomResources: false,
    onDemand: false,
  },
  [AddonName.PROMETHEUS_ADAPTER]: {
    why: 'The custom metrics API serving the per-pod metrics the HorizontalPodAutoscalers scale on, from Prometheus',
    namespace: ADDON_NAMESPACES.monitoring,
    dependsOn: [AddonName.KUBE_PROMETHEUS_STACK],
    provides: [],
    metrics: { custom: true },
    serverSideApply: false,
    createsOwnCustomResources: false,
    onDemand: false,
  },
  [AddonName.VERTICAL_POD_AUTOSCALER]: {
    why: 'Resource recommendations (recommender only: nothing is evicted or rewritten) for the VerticalPodAutoscalers',
    namespace: ADDON_NAMESPACES.kubeSystem,
    dependsOn: [],
    provides: [{ apiVersion: 'autoscaling.k8s.io/v1', kinds: ['VerticalPodAutoscaler', 'VerticalPodAutoscalerCheckpoint'] }],
    serverSideApply: false,
    createsOwnCustomResources: false,
    onDemand: false,
  },
  [AddonName.CLUSTER_AUTOSCALER]: {
    why: 'Adds nodes when pods cannot be scheduled and removes idle ones, within each node group\'s bounds',
    namespace: ADDON_NAMESPACES.kubeSystem,
    dependsOn: [],
    provides: [],
    cloudRole: { purpose: CloudRolePurpose.CLUSTER_AUTOSCALER, serviceAccount: SERVICE_ACCOUNTS.clusterAutoscaler },
    serverSideApply: false,
    createsOwnCustomResources: false,
    onDemand: false,
  },
  [AddonName.AWS_LOAD_BALANCER_CONTROLLER]: {
    why: 'An application load balancer for each Ingress of class alb (the API\'s)',
    namespace: ADDON_NAMESPACES.kubeSystem,
    // Its webhook's certificate comes from cert-manager: the chart's own is generated anew at every render, which under
    // Argo CD (helm template, no lookup) would leave the Application out of sync forever.
    dependsOn: [AddonName.CERT_MANAGER],
    provides: [{ apiVersion: 'elbv2.k8s.aws/v1beta1', kinds: ['IngressClassParams', 'TargetGroupBinding'] }],
    ingressClass: ALB_INGRESS_CLASS,
    cloudRole: { purpose: CloudRolePurpose.LOAD_BALANCER_CONTROLLER, serviceAccount: SERVICE_ACCOUNTS.loadBalancerController },
    serverSideApply: false,
    createsOwnCustomResources: true,
    onDemand: false,
  },
  [AddonName.EXTERNAL_DNS]: {
    why: 'A Route 53 record for each Ingress host (the API\'s), pointing at its load balancer, so the name the certificate is for resolves',
    namespace: ADDON_NAMESPACES.kubeSystem,
    dependsOn: [],
    provides: [],
    cloudRole: { purpose: CloudRolePurpose.EXTERNAL_DNS, serviceAccount: SERVICE_ACCOUNTS.externalDns },
    serverSideApply: false,
    createsOwnCustomResources: false,
    onDemand: false,
  },
  [AddonName.CERT_MANAGER]: {
    why: 'Certificates and Issuers: the load balancer controller\'s webhook certificate, and where a workload asks for them',
    namespace: ADDON_NAMESPACES.certManager,
    createsNamespace: { podSecurity: PodSecurityLevel.RESTRICTED, why: 'the controller, webhook and cainjector run as non-root without privileges' },
    dependsOn: [AddonName.KUBE_PROMETHEUS_STACK],
    provides: [
      { apiVersion: 'cert-manager.io/v1', kinds: ['Certificate', 'CertificateRequest', 'ClusterIssuer', 'Issuer'] },
      { apiVersion: 'acme.cert-manager.io/v1', kinds: ['Challenge', 'Order'] },
    ],
    serverSideApply: true,
    createsOwnCustomResources: false,
    onDemand: true,
  },
  [AddonName.KEDA]: {
    why: 'Event-driven autoscaling, where a workload scales with a ScaledObject',
    namespace: ADDON_NAMESPACES.keda,
    createsNamespace: { podSecurity: PodSecurityLevel.RESTRICTED, why: 'the operator, metrics server and webhook run as non-root without privileges' },
    dependsOn: [],
    provides: [
      { apiVersion: 'keda.sh/v1alpha1', kinds: ['ScaledObject', 'ScaledJob', 'TriggerAuthentication', 'ClusterTriggerAuthentication'] },
      { apiVersion: 'eventing.keda.sh/v1alpha1', kinds: ['CloudEventSource', 'ClusterCloudEventSource'] },
    ],
    metrics: { external: true },
    serverSideApply: true,
    createsOwnCustomResources: false,
    onDemand: true,
  },
  [AddonName.ISTIO_BASE]: {
    why: 'Istio\'s CRDs, where a workload uses the mesh',
    namespace: ADDON_NAMESPACES.istio,
    createsNamespace: { podSecurity: PodSecurityLevel.RESTRICTED, why: 'istiod runs as non-root without privileges (sidecars are injected into the workloads\' namespaces, not this one)' },
    dependsOn: [],
    provides: ISTIO_APIS,
    serverSideApply: true,
    createsOwnCustomResources: false,
    onDemand: true,
  },
  [AddonName.ISTIO_CNI]: {
    why: 'Istio\'s traffic redirection set up by a node agent, so meshed pods keep the restricted Pod Security level (no NET_ADMIN init container)',
    // kube-system: the node agent is privileged (it writes the host's CNI configuration); istio-system stays restricted.
    namespace: ADDON_NAMESPACES.kubeSystem,
    dependsOn: [AddonName.ISTIO_BASE],
    provides: [],
    serverSideApply: false,
    createsOwnCustomResources: false,
    onDemand: true,
    usedWith: AddonName.ISTIO_BASE,
  },
  [AddonName.ISTIOD]: {
    why: 'Istio\'s control plane (sidecar injection, certificates, routing), where a workload uses the mesh',
    namespace: ADDON_NAMESPACES.istio,
    dependsOn: [AddonName.ISTIO_BASE, AddonName.ISTIO_CNI],
    provides: [],
    serverSideApply: false,
    createsOwnCustomResources: false,
    onDemand: true,
    usedWith: AddonName.ISTIO_BASE,
  },
  [AddonName.ISTIO_INGRESS_GATEWAY]: {
    why: 'The entry into the mesh behind the load balancer: a load balancer speaks plain text, which STRICT mTLS refuses at the pods',
    namespace: ADDON_NAMESPACES.istioIngress,
    createsNamespace: { podSecurity: PodSecurityLevel.BASELINE, why: 'the gateway binds port 80 through the safe unprivileged-port sysctl' },
    dependsOn: [AddonName.ISTIOD],
    provides: [],
    serverSideApply: false,
    createsOwnCustomResources: false,
    onDemand: true,
    usedWith: AddonName.ISTIO_BASE,
  },
};
