import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { NETWORK_NOT_READY_TAINT } from '../network-agent/startup-taint';
import { syncWaves } from '../../private/dependency-graph';
import { propError } from '../../private/errors';
import { DNS_LABEL, DURATION, guardProps, PropShape, shape } from '../../private/prop-guard';
import { describeObject, KubeObject, Violation } from '../../policy/objects';
import { AddonName, ADDON_CHARTS, ADDONS } from './catalogue';
import { CoverageProvider, COVERAGE_RULE, needsOf } from './coverage';
import { HelmApplication } from './helm-application';
import { AddonCluster, addonValues, ClusterAutoscalerSettings, CustomMetricRule, PrometheusSettings } from './values';

const CLUSTER_ADDONS = 'ClusterAddons';

/** Prometheus as kube-prometheus-stack runs it. */
export interface PrometheusOptions {
  /**
   * How long samples are kept (whole days or hours).
   * @default Duration.days(30)
   */
  readonly retention?: Duration;
  /**
   * Prometheus replicas (each scrapes everything; two survive a node's loss).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The volume of each replica, in GiB.
   * @default 50
   */
  readonly storageGiB?: number;
  /**
   * The storage class of the volumes.
   * @default - the cluster's default class
   */
  readonly storageClassName?: string;
  /**
   * Run Grafana.
   * @default true
   */
  readonly grafana?: boolean;
  /**
   * Run Alertmanager.
   * @default true
   */
  readonly alertmanager?: boolean;
}

/** The cluster autoscaler's tuning. */
export interface ClusterAutoscalerOptions {
  /**
   * How long after a scale-up scale-down is considered again.
   * @default Duration.minutes(10)
   */
  readonly scaleDownDelayAfterAdd?: Duration;
  /**
   * How long a node must be unneeded before it is removed.
   * @default Duration.minutes(10)
   */
  readonly scaleDownUnneededTime?: Duration;
  /**
   * Requests over allocatable below which a node is a candidate for removal (0–1).
   * @default 0.5
   */
  readonly scaleDownUtilizationThreshold?: number;
  /**
   * How long a new node may take to register before the autoscaler gives up on it.
   * @default Duration.minutes(15)
   */
  readonly maxNodeProvisionTime?: Duration;
  /**
   * How long pods of a node being removed get to terminate.
   * @default Duration.seconds(600)
   */
  readonly maxGracefulTermination?: Duration;
  /**
   * Taint keys nodes start with and lose once ready; the autoscaler does not count them as unschedulable.
   * @default ['fleetcraft.io/network-not-ready'] (the network agent's startup taint)
   */
  readonly startupTaints?: readonly string[];
  /**
   * The priority expander's table: priority (higher wins) → regular expressions of Auto Scaling group names.
   * @default { 10: ['.*'] } (every group alike)
   */
  readonly expanderPriorities?: Readonly<Record<number, readonly string[]>>;
}

/** A per-pod custom metric the prometheus-adapter serves as the per-second rate of a counter. */
export interface CustomMetric {
  /** The metric's name, as an HPA names it (`http_requests_per_second`). */
  readonly name: string;
  /** The Prometheus counter, labelled with `namespace` and `pod` (`http_requests_total`). */
  readonly counter: string;
  /**
   * The rate's window.
   * @default Duration.minutes(2)
   */
  readonly window?: Duration;
}

/** Props of {@link ClusterAddons}. */
export interface ClusterAddonsProps {
  /** The add-ons to install (each once); those another needs must be listed too. */
  readonly addons: readonly AddonName[];
  /** The cluster (name, region, environment, AWS account). */
  readonly cluster: AddonCluster;
  /** The Argo CD project of the Applications (it must allow the charts' repositories and the cluster). */
  readonly project: string;
  /**
   * The namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly argoNamespace?: string;
  /**
   * The Kubernetes minor the created namespaces' Pod Security labels are pinned to, e.g. `v1.36`.
   * @default 'latest'
   */
  readonly podSecurityVersion?: string;
  /**
   * Prometheus (kube-prometheus-stack).
   * @default - 30 days' retention, one replica with 50 GiB, Grafana and Alertmanager
   */
  readonly prometheus?: PrometheusOptions;
  /**
   * The cluster autoscaler's tuning.
   * @default - see {@link ClusterAutoscalerOptions}
   */
  readonly clusterAutoscaler?: ClusterAutoscalerOptions;
  /**
   * The per-pod metrics the prometheus-adapter serves (what HPAs' `Pods` metrics name).
   * @default []
   */
  readonly customMetrics?: readonly CustomMetric[];
  /**
   * Sync automatically with prune and self-heal; off, a person syncs each Application.
   * @default true
   */
  readonly automated?: boolean;
  /**
   * Prefix of the Applications' names (`<prefix><add-on>`), unique per Argo CD.
   * @default '<cluster name>-'
   */
  readonly namePrefix?: string;
}

const DURATION_SHAPE = DURATION;

/** The shapes of {@link ClusterAddonsProps}, for the runtime prop guard. */
export const CLUSTER_ADDONS_PROP_SHAPES = {
  addons: shape.required(shape.list(shape.oneOf(AddonName), 50)),
  cluster: shape.required(shape.object({
    name: shape.required(DNS_LABEL),
    region: shape.required(shape.string({ maxLength: 32, pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, patternRule: 'must be an AWS region such as "us-east-1"' })),
    environment: shape.required(DNS_LABEL),
    accountId: shape.required(shape.string({ maxLength: 12, pattern: /^\d{12}$/, patternRule: 'must be the 12-digit AWS account id' })),
    partition: shape.oneOf(['aws', 'aws-cn', 'aws-us-gov']),
    domain: shape.string({ maxLength: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, patternRule: 'must be a lowercase DNS domain such as "example.com"' }),
  })),
  project: shape.required(DNS_LABEL),
  argoNamespace: DNS_LABEL,
  podSecurityVersion: shape.string({ maxLength: 16, pattern: /^(latest|v\d+\.\d+)$/, patternRule: 'must be "latest" or a Kubernetes minor such as "v1.36"' }),
  prometheus: shape.object({
    retention: DURATION_SHAPE,
    replicas: shape.integer(1, 10),
    storageGiB: shape.integer(1, 65536),
    storageClassName: DNS_LABEL,
    grafana: shape.boolean(),
    alertmanager: shape.boolean(),
  }),
  clusterAutoscaler: shape.object({
    scaleDownDelayAfterAdd: DURATION_SHAPE,
    scaleDownUnneededTime: DURATION_SHAPE,
    scaleDownUtilizationThreshold: shape.number(0, 1),
    maxNodeProvisionTime: DURATION_SHAPE,
    maxGracefulTermination: DURATION_SHAPE,
    startupTaints: shape.list(shape.string({ maxLength: 316 }), 20),
    expanderPriorities: shape.map(shape.list(shape.string({ maxLength: 256 }), 50), 50),
  }),
  customMetrics: shape.list(shape.object({
    name: shape.required(shape.string({ maxLength: 253, pattern: /^[a-zA-Z_:][a-zA-Z0-9_:]*$/, patternRule: 'must be a Prometheus metric name' })),
    counter: shape.required(shape.string({ maxLength: 253, pattern: /^[a-zA-Z_:][a-zA-Z0-9_:]*$/, patternRule: 'must be a Prometheus metric name' })),
    window: DURATION_SHAPE,
  }), 100),
  automated: shape.boolean(),
  namePrefix: shape.string({ maxLength: 40, allowEmpty: true }),
} satisfies { readonly [K in keyof Required<ClusterAddonsProps>]: PropShape };

/**
 * A duration as Prometheus' retention and the autoscaler's flags read it, in its largest whole unit (`30d`, `10m`,
 * `600`), refused unless a positive whole number of seconds (`goDuration` of lib/private writes Go's `10m0s` form).
 */
function flagDuration(id: string, prop: string, d: Duration, unit: 'd' | 'any' | 'seconds'): string {
  const millis = d.toMilliseconds({ integral: false });
  if (!Number.isFinite(millis) || millis <= 0 || millis % 1000 !== 0) {
    throw propError(CLUSTER_ADDONS, id, prop, `${millis / 1000} s`, 'must be a positive whole number of seconds', 'use e.g. Duration.minutes(10)');
  }
  const seconds = millis / 1000;
  if (unit === 'seconds') return String(seconds);
  if (unit === 'd' && seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * A cluster's add-ons as Argo CD Applications, one per add-on, each a Helm chart at the version pinned in
 * `ADDON_CHARTS` with typed values: sync waves from the add-ons' dependencies (kube-prometheus-stack before the
 * add-ons whose ServiceMonitors need its CRDs), namespaces created with their Pod Security labels by the add-on that
 * owns them, server-side apply where CRDs are large, and each controller that calls AWS on its IRSA role (the role
 * names come from the shared names module, as on the Pulumi side).
 *
 * Refuses an add-on listed twice, and one whose dependency is missing. {@link providers} says what the add-ons serve,
 * for the coverage check; {@link unusedAddons} finds on-demand add-ons nothing uses.
 */
export class ClusterAddons extends Construct {
  /** The Applications, by add-on. */
  public readonly applications: Readonly<Partial<Record<AddonName, HelmApplication>>>;
  /** The add-ons' sync waves inside their parent Application. */
  public readonly waves: Readonly<Partial<Record<AddonName, number>>>;
  /** The add-ons, in the order given. */
  public readonly addons: readonly AddonName[];
  private readonly customMetricNames: readonly string[];

  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    guardProps(CLUSTER_ADDONS, id, props, CLUSTER_ADDONS_PROP_SHAPES);
    const seen = new Set<AddonName>();
    for (const a of props.addons) {
      if (seen.has(a)) throw propError(CLUSTER_ADDONS, id, 'addons', a, 'is listed twice', 'list each add-on once');
      seen.add(a);
    }
    for (const a of props.addons) {
      const missing = ADDONS[a].dependsOn.filter((d) => !seen.has(d));
      if (missing.length > 0) {
        throw propError(CLUSTER_ADDONS, id, 'addons', props.addons, `has "${a}" without ${missing.map((m) => `"${m}"`).join(', ')}, which it needs first`,
          `add ${missing.map((m) => `"${m}"`).join(', ')} to the add-ons, or remove "${a}"`);
      }
    }
    if (seen.has(AddonName.EXTERNAL_DNS) && !props.cluster.domain) {
      throw propError(CLUSTER_ADDONS, id, 'cluster.domain', props.cluster.domain, 'is not set, so external-dns would not know which records it may manage',
        'give the public domain, e.g. "example.com", or remove the add-on');
    }
    if (seen.has(AddonName.PROMETHEUS_ADAPTER) && (props.customMetrics ?? []).length === 0) {
      throw propError(CLUSTER_ADDONS, id, 'customMetrics', props.customMetrics ?? [], 'is empty, so the prometheus-adapter would serve nothing',
        'list the per-pod metrics the HPAs use, e.g. [{ name: \'http_requests_per_second\', counter: \'http_requests_total\' }], or remove the add-on');
    }
    this.addons = [...props.addons];
    const waves = syncWaves(props.addons.map((a) => ({ name: a, dependsOn: ADDONS[a].dependsOn })));
    this.waves = waves as Partial<Record<AddonName, number>>;
    const p = props.prometheus ?? {};
    const prometheus: PrometheusSettings = {
      retention: flagDuration(id, 'prometheus.retention', p.retention ?? Duration.days(30), 'd'),
      replicas: p.replicas ?? 1,
      storageGiB: p.storageGiB ?? 50,
      storageClassName: p.storageClassName,
      grafana: p.grafana ?? true,
      alertmanager: p.alertmanager ?? true,
    };
    const c = props.clusterAutoscaler ?? {};
    const clusterAutoscaler: ClusterAutoscalerSettings = {
      scaleDownDelayAfterAdd: flagDuration(id, 'clusterAutoscaler.scaleDownDelayAfterAdd', c.scaleDownDelayAfterAdd ?? Duration.minutes(10), 'any'),
      scaleDownUnneededTime: flagDuration(id, 'clusterAutoscaler.scaleDownUnneededTime', c.scaleDownUnneededTime ?? Duration.minutes(10), 'any'),
      scaleDownUtilizationThreshold: c.scaleDownUtilizationThreshold ?? 0.5,
      maxNodeProvisionTime: flagDuration(id, 'clusterAutoscaler.maxNodeProvisionTime', c.maxNodeProvisionTime ?? Duration.minutes(15), 'any'),
      maxGracefulTerminationSec: Number(flagDuration(id, 'clusterAutoscaler.maxGracefulTermination', c.maxGracefulTermination ?? Duration.seconds(600), 'seconds')),
      startupTaints: c.startupTaints ?? [NETWORK_NOT_READY_TAINT.key],
      expanderPriorities: c.expanderPriorities ?? { 10: ['.*'] },
    };
    for (const [priority, patterns] of Object.entries(clusterAutoscaler.expanderPriorities)) {
      if (!/^\d+$/.test(priority)) {
        throw propError(CLUSTER_ADDONS, id, 'clusterAutoscaler.expanderPriorities', priority, 'is not a whole, non-negative priority', 'use keys such as 10 and 50 (higher wins)');
      }
      for (const pattern of patterns) {
        try {
          new RegExp(pattern);
        } catch {
          throw propError(CLUSTER_ADDONS, id, `clusterAutoscaler.expanderPriorities.${priority}`, pattern, 'is not a regular expression', 'escape special characters, e.g. ".*general.*"');
        }
      }
    }
    const customMetrics: CustomMetricRule[] = (props.customMetrics ?? []).map((m) => ({
      name: m.name, counter: m.counter, window: flagDuration(id, 'customMetrics.window', m.window ?? Duration.minutes(2), 'any'),
    }));
    const names = new Set<string>();
    for (const m of customMetrics) {
      if (names.has(m.name)) throw propError(CLUSTER_ADDONS, id, 'customMetrics', m.name, 'is listed twice', 'list each metric once');
      names.add(m.name);
    }
    this.customMetricNames = customMetrics.map((m) => m.name);
    const ctx = { cluster: props.cluster, prometheus, clusterAutoscaler, customMetrics };
    const prefix = props.namePrefix ?? `${props.cluster.name}-`;
    const applications: Partial<Record<AddonName, HelmApplication>> = {};
    for (const addon of props.addons) {
      const def = ADDONS[addon];
      applications[addon] = new HelmApplication(this, addon, {
        name: `${prefix}${addon}`,
        argoNamespace: props.argoNamespace,
        project: props.project,
        chart: ADDON_CHARTS[addon],
        releaseName: addon,
        values: addonValues(addon, ctx) as unknown as Record<string, unknown>,
        cluster: props.cluster.name,
        targetNamespace: def.namespace,
        createNamespace: def.createsNamespace && { podSecurity: def.createsNamespace.podSecurity, podSecurityVersion: props.podSecurityVersion },
        serverSideApply: def.serverSideApply,
        skipDryRunOnMissingResource: def.createsOwnCustomResources,
        syncWave: waves[addon],
        automated: props.automated,
        labels: { 'app.kubernetes.io/name': addon, 'app.kubernetes.io/component': 'addon', 'app.kubernetes.io/managed-by': 'fleetcraft', 'fleetcraft.io/cluster': props.cluster.name },
      });
    }
    this.applications = applications;
  }

  /**
   * What the add-ons serve to objects synced after them (in waves later than `wave`, the wave of the component the
   * add-ons are part of): their custom resource kinds, the namespaces they create, their IngressClasses and metrics.
   */
  public providers(wave: number): CoverageProvider[] {
    return this.addons.map((a) => {
      const def = ADDONS[a];
      return {
        name: `add-on ${a}`,
        wave,
        apis: def.provides,
        namespaces: def.createsNamespace ? [def.namespace] : [],
        ingressClasses: def.ingressClass ? [def.ingressClass] : [],
        resourceMetrics: def.metrics?.resource === true,
        customMetrics: def.metrics?.custom ? this.customMetricNames : [],
        externalMetrics: def.metrics?.external === true,
      };
    });
  }

  /**
   * The on-demand add-ons (cert-manager, KEDA, Istio) installed here although none of `objects` (the cluster's other
   * objects) uses what they serve: one error each, naming the add-on.
   */
  public unusedAddons(objects: readonly KubeObject[], where: string): Violation[] {
    const needs = objects.flatMap(needsOf);
    const apis = new Set(needs.flatMap((n) => (n.type === 'api' ? [`${n.apiVersion} ${n.kind}`] : [])));
    const external = needs.some((n) => n.type === 'externalMetrics');
    const used = (a: AddonName, visiting: readonly AddonName[] = []): boolean => {
      if (visiting.includes(a)) return false;
      const def = ADDONS[a];
      const inner = [...visiting, a];
      if (def.provides.some((p) => p.kinds.some((k) => apis.has(`${p.apiVersion} ${k}`))) || (def.metrics?.external === true && external)) return true;
      // Needed by another add-on that is itself in use (the load balancer controller's certificate from cert-manager).
      if (this.addons.some((other) => ADDONS[other].dependsOn.includes(a) && (!ADDONS[other].onDemand || used(other, inner)))) return true;
      return def.usedWith !== undefined && used(def.usedWith, inner);
    };
    return this.addons.filter((a) => ADDONS[a].onDemand && !used(a)).map((a) => ({
      rule: COVERAGE_RULE,
      severity: 'error' as const,
      object: describeObject(this.applications[a]?.application.toJson() ?? { kind: 'Application', metadata: { name: a } }),
      path: '(root)',
      message: `installs ${a} in ${where}, but nothing there uses what it serves (${ADDONS[a].why.toLowerCase()}); remove it from the add-ons until a workload needs it`,
    }));
  }
}
