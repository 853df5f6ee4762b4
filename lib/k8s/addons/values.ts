/**
 * The chart values fleetcraft sets for each add-on, typed (only the keys we set; everything else keeps the chart's
 * default). Each interface follows the chart's `values.yaml` at the version pinned in `ADDON_CHARTS`.
 */
import { IRSA_ROLE_ARN_ANNOTATION, roleArn, roleName, vpcNameTag } from '../../cloud/names';
import { ADDON_NAMESPACES, AddonName, ADDONS, ALB_INGRESS_CLASS } from './catalogue';

/** The cluster an add-on is installed into, as its values need it. */
export interface AddonCluster {
  /** The EKS cluster's name (auto-discovery tags, IAM role names, the VPC's `Name` tag). */
  readonly name: string;
  /** Its AWS region. */
  readonly region: string;
  /** The environment it belongs to (IAM role names are `fleetcraft-<environment>-<cluster>-<purpose>`). */
  readonly environment: string;
  /** The AWS account id the cluster's IAM roles live in (their ARNs go into the service accounts' annotations). */
  readonly accountId: string;
  /**
   * The AWS partition.
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * The public DNS domain whose records ExternalDNS manages (only names under it are touched).
   * @default - none (installing the external-dns add-on is then refused)
   */
  readonly domain?: string;
}

/** Prometheus, as kube-prometheus-stack runs it. */
export interface PrometheusSettings {
  /** How long samples are kept, in Prometheus' duration syntax (`30d`). */
  readonly retention: string;
  /** Prometheus replicas. */
  readonly replicas: number;
  /** The volume of each replica, in GiB. */
  readonly storageGiB: number;
  /** The storage class of the volumes (undefined: the cluster default). */
  readonly storageClassName?: string;
  /** Run Grafana. */
  readonly grafana: boolean;
  /** Run Alertmanager. */
  readonly alertmanager: boolean;
}

/** The cluster autoscaler's tuning, as command-line flags take it. */
export interface ClusterAutoscalerSettings {
  readonly scaleDownDelayAfterAdd: string;
  readonly scaleDownUnneededTime: string;
  readonly scaleDownUtilizationThreshold: number;
  readonly maxNodeProvisionTime: string;
  readonly maxGracefulTerminationSec: number;
  /** Taints nodes start with that the autoscaler must treat as temporary (the network agent's). */
  readonly startupTaints: readonly string[];
  /** The priority expander's table: priority → regular expressions of node group (Auto Scaling group) names. */
  readonly expanderPriorities: Readonly<Record<number, readonly string[]>>;
}

/** A per-pod metric the prometheus-adapter serves: the rate of a Prometheus counter. */
export interface CustomMetricRule {
  /** The metric's name in the custom metrics API (what an HPA's `pods.metric.name` says). */
  readonly name: string;
  /** The Prometheus counter it is the per-second rate of (labelled with `namespace` and `pod`). */
  readonly counter: string;
  /** The rate's window, in Prometheus' duration syntax. */
  readonly window: string;
}

/** What every add-on's values may read. */
export interface AddonValuesContext {
  readonly cluster: AddonCluster;
  readonly prometheus: PrometheusSettings;
  readonly clusterAutoscaler: ClusterAutoscalerSettings;
  readonly customMetrics: readonly CustomMetricRule[];
}

/** A chart's service account: created by the chart, with our name and the IRSA annotation when it has a role. */
export interface ServiceAccountValues {
  readonly create: boolean;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The role ARN of an add-on's cloud role in a cluster (the annotation its service account carries). */
export function addonRoleArn(addon: AddonName, cluster: AddonCluster): string | undefined {
  const role = ADDONS[addon].cloudRole;
  return role && roleArn(cluster.accountId, roleName(cluster.environment, cluster.name, role.purpose), cluster.partition ?? 'aws');
}

/**
 * The service account of an add-on: the one its cloud role trusts (`ADDONS[addon].cloudRole`), annotated with the
 * role's ARN; the add-on's own name without a role.
 */
function serviceAccount(addon: AddonName, cluster: AddonCluster): ServiceAccountValues {
  const arn = addonRoleArn(addon, cluster);
  return { create: true, name: ADDONS[addon].cloudRole?.serviceAccount.name ?? addon, annotations: arn ? { [IRSA_ROLE_ARN_ANNOTATION]: arn } : {} };
}

/**
 * The velero chart's values: the AWS plugin as an init container, the node agent, the IRSA service account, no
 * credentials Secret, and no BackupStorageLocation or VolumeSnapshotLocation of its own (the backup component creates
 * those as objects).
 * @see https://github.com/vmware-tanzu/helm-charts/blob/main/charts/velero/values.yaml
 */
export interface VeleroValues {
  readonly initContainers: ReadonlyArray<{
    readonly name: string;
    readonly image: string;
    readonly imagePullPolicy: 'IfNotPresent';
    readonly volumeMounts: ReadonlyArray<{ readonly mountPath: string; readonly name: string }>;
  }>;
  readonly deployNodeAgent: boolean;
  readonly credentials: { readonly useSecret: boolean };
  readonly backupsEnabled: boolean;
  readonly snapshotsEnabled: boolean;
  readonly upgradeCRDs: boolean;
  readonly serviceAccount: { readonly server: ServiceAccountValues };
  readonly configuration: {
    readonly features: string;
    readonly defaultVolumesToFsBackup: boolean;
    readonly backupStorageLocation: readonly never[];
    readonly volumeSnapshotLocation: readonly never[];
  };
  readonly metrics: { readonly enabled: boolean; readonly serviceMonitor: { readonly enabled: boolean } };
}

/** The AWS plugin compatible with the Velero release the chart installs (plugin 1.14 goes with Velero 1.18). */
export const VELERO_AWS_PLUGIN_IMAGE = 'velero/velero-plugin-for-aws:v1.14.0';

function veleroValues(ctx: AddonValuesContext): VeleroValues {
  return {
    initContainers: [{ name: 'velero-plugin-for-aws', image: VELERO_AWS_PLUGIN_IMAGE, imagePullPolicy: 'IfNotPresent', volumeMounts: [{ mountPath: '/target', name: 'plugins' }] }],
    deployNodeAgent: true,
    credentials: { useSecret: false },
    backupsEnabled: false,
    snapshotsEnabled: false,
    // The chart's CRD-upgrade hook Job runs kubectl in a pre-upgrade hook; Argo CD applies the chart's CRDs itself.
    upgradeCRDs: false,
    serviceAccount: { server: serviceAccount(AddonName.VELERO, ctx.cluster) },
    configuration: { features: 'EnableCSI', defaultVolumesToFsBackup: false, backupStorageLocation: [], volumeSnapshotLocation: [] },
    metrics: { enabled: true, serviceMonitor: { enabled: true } },
  };
}

/**
 * The external-secrets chart's values: its CRDs, the IRSA service account the ClusterSecretStore authenticates as,
 * and a ServiceMonitor.
 * @see https://github.com/external-secrets/external-secrets/blob/main/deploy/charts/external-secrets/values.yaml
 */
export interface ExternalSecretsValues {
  readonly installCRDs: boolean;
  readonly serviceAccount: ServiceAccountValues;
  readonly serviceMonitor: { readonly enabled: boolean };
}

function externalSecretsValues(ctx: AddonValuesContext): ExternalSecretsValues {
  return {
    installCRDs: true,
    serviceAccount: serviceAccount(AddonName.EXTERNAL_SECRETS, ctx.cluster),
    serviceMonitor: { enabled: true },
  };
}

/**
 * The kube-prometheus-stack chart's values: Prometheus with the retention and volumes asked for, selecting every
 * ServiceMonitor, PodMonitor and PrometheusRule in the cluster (not only the chart's own), Alertmanager, node-exporter,
 * kube-state-metrics, and Grafana loading dashboards from labelled ConfigMaps in every namespace.
 * @see https://github.com/prometheus-community/helm-charts/blob/main/charts/kube-prometheus-stack/values.yaml
 */
export interface KubePrometheusStackValues {
  readonly crds: { readonly enabled: boolean };
  readonly prometheus: {
    readonly prometheusSpec: {
      readonly retention: string;
      readonly replicas: number;
      readonly ruleSelectorNilUsesHelmValues: boolean;
      readonly serviceMonitorSelectorNilUsesHelmValues: boolean;
      readonly podMonitorSelectorNilUsesHelmValues: boolean;
      readonly probeSelectorNilUsesHelmValues: boolean;
      readonly storageSpec: {
        readonly volumeClaimTemplate: {
          readonly spec: {
            readonly storageClassName?: string;
            readonly accessModes: readonly ['ReadWriteOnce'];
            readonly resources: { readonly requests: { readonly storage: string } };
          };
        };
      };
    };
  };
  readonly alertmanager: { readonly enabled: boolean };
  readonly grafana: {
    readonly enabled: boolean;
    readonly sidecar: { readonly dashboards: { readonly enabled: boolean; readonly label: string; readonly labelValue: string; readonly searchNamespace: string } };
  };
  readonly nodeExporter: { readonly enabled: boolean };
  readonly kubeStateMetrics: { readonly enabled: boolean };
}

/** The label a ConfigMap carries for Grafana's sidecar to load the dashboards in it. */
export const GRAFANA_DASHBOARD_LABEL = { key: 'grafana_dashboard', value: '1' } as const;

/** The release name of kube-prometheus-stack, and so the prefix of its Services (`<release>-prometheus`). */
export const PROMETHEUS_RELEASE = 'kube-prometheus-stack';

/** The in-cluster address of Prometheus, as the adapter queries it. */
export const PROMETHEUS_SERVICE = { name: `${PROMETHEUS_RELEASE}-prometheus`, namespace: ADDON_NAMESPACES.monitoring, port: 9090 } as const;

function kubePrometheusStackValues(ctx: AddonValuesContext): KubePrometheusStackValues {
  const p = ctx.prometheus;
  return {
    crds: { enabled: true },
    prometheus: {
      prometheusSpec: {
        retention: p.retention,
        replicas: p.replicas,
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              ...(p.storageClassName ? { storageClassName: p.storageClassName } : {}),
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: `${p.storageGiB}Gi` } },
            },
          },
        },
      },
    },
    alertmanager: { enabled: p.alertmanager },
    grafana: {
      enabled: p.grafana,
      sidecar: { dashboards: { enabled: true, label: GRAFANA_DASHBOARD_LABEL.key, labelValue: GRAFANA_DASHBOARD_LABEL.value, searchNamespace: 'ALL' } },
    },
    nodeExporter: { enabled: true },
    kubeStateMetrics: { enabled: true },
  };
}

/**
 * The metrics-server chart's values: two replicas, so an HPA never loses its metrics to one node's drain.
 * @see https://github.com/kubernetes-sigs/metrics-server/blob/master/charts/metrics-server/values.yaml
 */
export interface MetricsServerValues {
  readonly replicas: number;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable: number };
}

function metricsServerValues(): MetricsServerValues {
  return { replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } };
}

/** One rule of the prometheus-adapter: which series, which objects they belong to, what name and query. */
export interface PrometheusAdapterRule {
  readonly seriesQuery: string;
  readonly resources: { readonly overrides: Readonly<Record<string, { readonly resource: string }>> };
  readonly name: { readonly matches: string; readonly as: string };
  readonly metricsQuery: string;
}

/**
 * The prometheus-adapter chart's values: the Prometheus of kube-prometheus-stack, none of the chart's default rules,
 * and one rule per custom metric.
 * @see https://github.com/prometheus-community/helm-charts/blob/main/charts/prometheus-adapter/values.yaml
 */
export interface PrometheusAdapterValues {
  readonly prometheus: { readonly url: string; readonly port: number };
  readonly rules: { readonly default: boolean; readonly custom: readonly PrometheusAdapterRule[] };
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The adapter rule serving `rule.name` as the per-second rate of `rule.counter`, per pod. */
export function prometheusAdapterRule(rule: CustomMetricRule): PrometheusAdapterRule {
  return {
    seriesQuery: `${rule.counter}{namespace!="",pod!=""}`,
    resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
    name: { matches: `^${escapeRegex(rule.counter)}$`, as: rule.name },
    metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>}[${rule.window}])) by (<<.GroupBy>>)`,
  };
}

function prometheusAdapterValues(ctx: AddonValuesContext): PrometheusAdapterValues {
  return {
    prometheus: { url: `http://${PROMETHEUS_SERVICE.name}.${PROMETHEUS_SERVICE.namespace}.svc`, port: PROMETHEUS_SERVICE.port },
    rules: { default: false, custom: ctx.customMetrics.map(prometheusAdapterRule) },
  };
}

/**
 * The VPA chart's values: the recommender only; no updater (nothing is evicted) and no admission controller (no pod
 * is rewritten).
 */
export interface VerticalPodAutoscalerValues {
  readonly recommender: { readonly enabled: boolean };
  readonly updater: { readonly enabled: boolean };
  readonly admissionController: { readonly enabled: boolean };
  /** The chart's own metrics-server subchart: off, metrics-server is an add-on of its own. */
  readonly 'metrics-server': { readonly enabled: boolean };
}

function vpaValues(): VerticalPodAutoscalerValues {
  return { recommender: { enabled: true }, updater: { enabled: false }, admissionController: { enabled: false }, 'metrics-server': { enabled: false } };
}

/**
 * The cluster-autoscaler chart's values: AWS, auto-discovery of the cluster's node groups by their tags, the IRSA
 * service account, the priority expander and the tuning flags.
 * @see https://github.com/kubernetes/autoscaler/blob/master/charts/cluster-autoscaler/values.yaml
 */
export interface ClusterAutoscalerValues {
  readonly cloudProvider: 'aws';
  readonly awsRegion: string;
  readonly autoDiscovery: { readonly clusterName: string; readonly tags: readonly string[] };
  readonly rbac: { readonly serviceAccount: ServiceAccountValues };
  readonly expanderPriorities: Readonly<Record<number, readonly string[]>>;
  readonly extraArgs: Readonly<Record<string, string | number | boolean>>;
}

/** The tags by which the cluster autoscaler discovers a cluster's node groups (EKS tags managed node groups with them). */
export function autoDiscoveryTags(clusterName: string): string[] {
  return ['k8s.io/cluster-autoscaler/enabled', `k8s.io/cluster-autoscaler/${clusterName}`];
}

function clusterAutoscalerValues(ctx: AddonValuesContext): ClusterAutoscalerValues {
  const s = ctx.clusterAutoscaler;
  return {
    cloudProvider: 'aws',
    awsRegion: ctx.cluster.region,
    autoDiscovery: { clusterName: ctx.cluster.name, tags: autoDiscoveryTags(ctx.cluster.name) },
    rbac: { serviceAccount: serviceAccount(AddonName.CLUSTER_AUTOSCALER, ctx.cluster) },
    expanderPriorities: s.expanderPriorities,
    extraArgs: {
      'expander': 'priority',
      'scale-down-delay-after-add': s.scaleDownDelayAfterAdd,
      'scale-down-unneeded-time': s.scaleDownUnneededTime,
      'scale-down-utilization-threshold': s.scaleDownUtilizationThreshold,
      'max-node-provision-time': s.maxNodeProvisionTime,
      'max-graceful-termination-sec': s.maxGracefulTerminationSec,
      'balance-similar-node-groups': true,
      'skip-nodes-with-local-storage': false,
      ...(s.startupTaints.length > 0 ? { 'startup-taint': s.startupTaints.join(',') } : {}),
    },
  };
}

/**
 * The aws-load-balancer-controller chart's values: the cluster, region and VPC (found by its `Name` tag, so no VPC id
 * is needed before Pulumi creates it), the IRSA service account, and the `alb` IngressClass.
 * @see https://github.com/aws/eks-charts/blob/master/stable/aws-load-balancer-controller/values.yaml
 */
export interface LoadBalancerControllerValues {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcTags: Readonly<Record<string, string>>;
  readonly serviceAccount: ServiceAccountValues;
  readonly createIngressClassResource: boolean;
  readonly ingressClass: string;
  readonly replicaCount: number;
  /** The webhook's certificate from cert-manager, stable across renders. */
  readonly enableCertManager: boolean;
  /** Services of type LoadBalancer keep the cloud's default controller unless they ask for this one. */
  readonly enableServiceMutatorWebhook: boolean;
}

function loadBalancerControllerValues(ctx: AddonValuesContext): LoadBalancerControllerValues {
  return {
    clusterName: ctx.cluster.name,
    region: ctx.cluster.region,
    vpcTags: { Name: vpcNameTag(ctx.cluster.name) },
    serviceAccount: serviceAccount(AddonName.AWS_LOAD_BALANCER_CONTROLLER, ctx.cluster),
    createIngressClassResource: true,
    ingressClass: ALB_INGRESS_CLASS,
    replicaCount: 2,
    enableCertManager: true,
    enableServiceMutatorWebhook: false,
  };
}

/**
 * The external-dns chart's values: Route 53 through the IRSA service account, Ingresses only, names under the
 * environment's domain only, records owned by this cluster (its TXT registry), never deleted (`upsert-only`: a record
 * another cluster or a person made is never removed).
 * @see https://github.com/kubernetes-sigs/external-dns/blob/master/charts/external-dns/values.yaml
 */
export interface ExternalDnsValues {
  readonly provider: { readonly name: 'aws' };
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly serviceAccount: ServiceAccountValues;
  readonly sources: readonly string[];
  readonly domainFilters: readonly string[];
  readonly policy: 'upsert-only' | 'sync';
  readonly registry: 'txt';
  readonly txtOwnerId: string;
}

function externalDnsValues(ctx: AddonValuesContext): ExternalDnsValues {
  // ClusterAddons refuses the add-on without a domain; no domain filter would let it manage every zone.
  const domain = ctx.cluster.domain ?? ctx.cluster.name;
  return {
    provider: { name: 'aws' },
    env: [{ name: 'AWS_DEFAULT_REGION', value: ctx.cluster.region }],
    serviceAccount: serviceAccount(AddonName.EXTERNAL_DNS, ctx.cluster),
    sources: ['ingress'],
    domainFilters: [domain],
    policy: 'upsert-only',
    registry: 'txt',
    txtOwnerId: ctx.cluster.name,
  };
}

/**
 * The cert-manager chart's values: its CRDs and a ServiceMonitor.
 * @see https://cert-manager.io/docs/installation/helm/
 */
export interface CertManagerValues {
  readonly crds: { readonly enabled: boolean; readonly keep: boolean };
  readonly prometheus: { readonly enabled: boolean; readonly servicemonitor: { readonly enabled: boolean } };
}

function certManagerValues(): CertManagerValues {
  return { crds: { enabled: true, keep: true }, prometheus: { enabled: true, servicemonitor: { enabled: true } } };
}

/** The keda chart's values: its CRDs. */
export interface KedaValues {
  readonly crds: { readonly install: boolean };
}

/** The Istio `base` chart's values: the default revision's validation webhook. */
export interface IstioBaseValues {
  readonly defaultRevision: string;
}

/**
 * The `istiod` chart's values: two replicas at least, access logs to stdout, and the validation webhook failing
 * closed from the start (Istio's advice for tools that apply server-side, as Argo CD does here).
 */
export interface IstiodValues {
  /** Injection without the privileged init container: the CNI node agent redirects the traffic. */
  readonly pilot: { readonly cni: { readonly enabled: boolean } };
  readonly autoscaleMin: number;
  readonly meshConfig: { readonly accessLogFile: string };
  readonly base: { readonly validationFailurePolicy: 'Fail' };
}

/** The Istio `cni` chart's values: installed in kube-system beside the other node-level agents. */
export interface IstioCniValues {
  readonly cni: { readonly excludeNamespaces: readonly string[] };
}

/** The Istio `gateway` chart's values: reached by the load balancer directly (IP targets), so a ClusterIP Service; two replicas at least. */
export interface IstioGatewayValues {
  readonly service: { readonly type: 'ClusterIP' };
  readonly autoscaling: { readonly minReplicas: number };
}

/** Each add-on's values type. */
export interface AddonValues {
  [AddonName.VELERO]: VeleroValues;
  [AddonName.EXTERNAL_SECRETS]: ExternalSecretsValues;
  [AddonName.KUBE_PROMETHEUS_STACK]: KubePrometheusStackValues;
  [AddonName.METRICS_SERVER]: MetricsServerValues;
  [AddonName.PROMETHEUS_ADAPTER]: PrometheusAdapterValues;
  [AddonName.VERTICAL_POD_AUTOSCALER]: VerticalPodAutoscalerValues;
  [AddonName.CLUSTER_AUTOSCALER]: ClusterAutoscalerValues;
  [AddonName.AWS_LOAD_BALANCER_CONTROLLER]: LoadBalancerControllerValues;
  [AddonName.EXTERNAL_DNS]: ExternalDnsValues;
  [AddonName.CERT_MANAGER]: CertManagerValues;
  [AddonName.KEDA]: KedaValues;
  [AddonName.ISTIO_BASE]: IstioBaseValues;
  [AddonName.ISTIO_CNI]: IstioCniValues;
  [AddonName.ISTIOD]: IstiodValues;
  [AddonName.ISTIO_INGRESS_GATEWAY]: IstioGatewayValues;
}

/** How each add-on's values are built. */
const BUILDERS: { readonly [A in AddonName]: (ctx: AddonValuesContext) => AddonValues[A] } = {
  [AddonName.VELERO]: veleroValues,
  [AddonName.EXTERNAL_SECRETS]: externalSecretsValues,
  [AddonName.KUBE_PROMETHEUS_STACK]: kubePrometheusStackValues,
  [AddonName.METRICS_SERVER]: metricsServerValues,
  [AddonName.PROMETHEUS_ADAPTER]: prometheusAdapterValues,
  [AddonName.VERTICAL_POD_AUTOSCALER]: vpaValues,
  [AddonName.CLUSTER_AUTOSCALER]: clusterAutoscalerValues,
  [AddonName.AWS_LOAD_BALANCER_CONTROLLER]: loadBalancerControllerValues,
  [AddonName.EXTERNAL_DNS]: externalDnsValues,
  [AddonName.CERT_MANAGER]: certManagerValues,
  [AddonName.KEDA]: () => ({ crds: { install: true } }),
  [AddonName.ISTIO_BASE]: () => ({ defaultRevision: 'default' }),
  [AddonName.ISTIO_INGRESS_GATEWAY]: () => ({ service: { type: 'ClusterIP' }, autoscaling: { minReplicas: 2 } }),
  [AddonName.ISTIO_CNI]: () => ({ cni: { excludeNamespaces: ['kube-system'] } }),
  [AddonName.ISTIOD]: () => ({ pilot: { cni: { enabled: true } }, autoscaleMin: 2, meshConfig: { accessLogFile: '/dev/stdout' }, base: { validationFailurePolicy: 'Fail' } }),
};

/** The values of one add-on for one cluster. */
export function addonValues<A extends AddonName>(addon: A, ctx: AddonValuesContext): AddonValues[A] {
  return BUILDERS[addon](ctx);
}
