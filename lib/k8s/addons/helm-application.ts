import { Construct } from 'constructs';
import { propError } from '../../private/errors';
import { DNS_LABEL, guardProps, LABEL_VALUE, PropShape, shape } from '../../private/prop-guard';
import { PodSecurityLevel } from '../../policy/pod-security-level';
import { ARGO_SYNC_RETRY, ArgoApplication, ArgoSyncPolicy } from '../resources/argocd';

const HELM_APPLICATION = 'HelmApplication';

/** A Helm chart pinned to one exact version. */
export interface HelmChartRef {
  /** The chart repository: `https://…` (a classic Helm repository) or `oci://…`. */
  readonly repoURL: string;
  /** The chart's name in the repository. */
  readonly chart: string;
  /** The exact chart version (`1.2.3`, `v1.2.3`, `1.2.3-rc.1`): never a range, `*` or `latest`. */
  readonly version: string;
}

/** The namespace Argo CD creates for the chart (`CreateNamespace=true`), with its Pod Security labels. */
export interface HelmNamespace {
  /** The Pod Security level the namespace enforces (it also warns and audits at `restricted`). */
  readonly podSecurity: PodSecurityLevel;
  /**
   * The Kubernetes minor the level is pinned to, e.g. `v1.36`.
   * @default 'latest'
   */
  readonly podSecurityVersion?: string;
}

/** Props of {@link HelmApplication}. */
export interface HelmApplicationProps {
  /** The Application's name (a DNS-1123 label). */
  readonly name: string;
  /**
   * The namespace Argo CD runs in, where Applications live.
   * @default 'argocd'
   */
  readonly argoNamespace?: string;
  /** The Argo CD project the Application belongs to (it must allow the chart's repository and the destination). */
  readonly project: string;
  /** The chart, at one exact version. */
  readonly chart: HelmChartRef;
  /**
   * The Helm release name (at most 53 characters, a DNS-1123 label).
   * @default - the chart's name
   */
  readonly releaseName?: string;
  /**
   * The chart values fleetcraft sets (everything else keeps the chart's defaults). Plain JSON data only, without
   * nulls (cdk8s drops them, so a value meant to remove a chart default would vanish).
   * @default {}
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /** The cluster to install into, by the name it is registered under in Argo CD. */
  readonly cluster: string;
  /** The namespace the chart is installed into. */
  readonly targetNamespace: string;
  /**
   * Have Argo CD create the namespace, labelled with its Pod Security level.
   * @default - the namespace must already exist (kube-system, or created by another Application)
   */
  readonly createNamespace?: HelmNamespace;
  /**
   * Apply server-side (`ServerSideApply=true`): needed for CRDs too large for the last-applied annotation of a
   * client-side apply (262,144 bytes).
   * @default false
   */
  readonly serverSideApply?: boolean;
  /**
   * Skip the dry run of custom resources whose CRD is not yet served (`SkipDryRunOnMissingResource=true`).
   * @default false
   */
  readonly skipDryRunOnMissingResource?: boolean;
  /**
   * The Argo CD sync wave of the Application in its parent (app of apps).
   * @default - no wave (wave 0)
   */
  readonly syncWave?: number;
  /**
   * Sync automatically, with prune and self-heal. Off, a person syncs it (production's manual syncs).
   * @default true
   */
  readonly automated?: boolean;
  /**
   * Labels of the Application.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

const CHART_REF = shape.object({
  repoURL: shape.required(shape.string({ maxLength: 2048 })),
  chart: shape.required(shape.string({ maxLength: 253 })),
  version: shape.required(shape.string({ maxLength: 128 })),
  appVersion: shape.string({ maxLength: 128 }),
});

/** The shapes of {@link HelmApplicationProps}, for the runtime prop guard. */
export const HELM_APPLICATION_PROP_SHAPES = {
  name: shape.required(DNS_LABEL),
  argoNamespace: DNS_LABEL,
  project: shape.required(DNS_LABEL),
  chart: shape.required(CHART_REF),
  releaseName: DNS_LABEL,
  values: shape.anyObject('chart values, e.g. { replicas: 2 }'),
  cluster: shape.required(shape.string({ maxLength: 253 })),
  targetNamespace: shape.required(DNS_LABEL),
  createNamespace: shape.object({
    podSecurity: shape.required(shape.oneOf(PodSecurityLevel)),
    podSecurityVersion: shape.string({ maxLength: 16, pattern: /^(latest|v\d+\.\d+)$/, patternRule: 'must be "latest" or a Kubernetes minor such as "v1.36"' }),
  }),
  serverSideApply: shape.boolean(),
  skipDryRunOnMissingResource: shape.boolean(),
  syncWave: shape.integer(-1000, 1000),
  automated: shape.boolean(),
  labels: shape.map(LABEL_VALUE, 64),
} satisfies { readonly [K in keyof Required<HelmApplicationProps>]: PropShape };

/** An exact SemVer 2 version, optionally with a leading `v` (cert-manager's charts are `v1.21.1`). */
const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Why a chart version is not an exact version, or undefined. */
export function chartVersionError(version: string): string | undefined {
  if (EXACT_VERSION.test(version)) return undefined;
  if (/[*xX^~<>=|, ]/.test(version) || version === 'latest' || version === '') {
    return 'is a range or a moving tag, so the same commit could install different software on two syncs';
  }
  return 'is not a SemVer version (MAJOR.MINOR.PATCH)';
}

/**
 * The first path in `value` that is not plain JSON data (a function, a class instance, a non-finite number, a
 * circular reference, nesting deeper than 100 levels).
 */
function notJson(value: unknown, path: string, parents: readonly object[] = []): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return undefined;
  // cdk8s drops nulls from what it synthesizes, so a Helm null (removing a chart default) would silently vanish.
  if (value === null) return path;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value !== 'object' || parents.includes(value) || parents.length > 100) return path;
  const inner = [...parents, value];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = notJson(value[i], `${path}[${i}]`, inner);
      if (bad) return bad;
    }
    return undefined;
  }
  if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const bad = notJson(v, `${path}.${k}`, inner);
      if (bad) return bad;
    }
    return undefined;
  }
  return path;
}

/**
 * An Argo CD Application installing one Helm chart at one exact version into one cluster and namespace, with the
 * values given as an object (`helm.valuesObject`, so the rendered Application shows exactly what is set and the
 * Argo CD schema checks it). Refuses a version range, a plain-`http` repository, a release name Helm would reject,
 * and values that are not plain data.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/helm/
 */
export class HelmApplication extends Construct {
  /** The Application. */
  public readonly application: ArgoApplication;
  /** The Application's name. */
  public readonly name: string;
  /** The namespace the chart is installed into. */
  public readonly targetNamespace: string;

  constructor(scope: Construct, id: string, props: HelmApplicationProps) {
    super(scope, id);
    guardProps(HELM_APPLICATION, id, props, HELM_APPLICATION_PROP_SHAPES);
    const { chart } = props;
    const versionError = chartVersionError(chart.version);
    if (versionError) {
      throw propError(HELM_APPLICATION, id, 'chart.version', chart.version, versionError, 'pin the exact version the chart repository lists, e.g. "1.14.1"');
    }
    if (!/^(https|oci):\/\/[^\s/]+/.test(chart.repoURL)) {
      throw propError(HELM_APPLICATION, id, 'chart.repoURL', chart.repoURL, 'is not an https:// or oci:// address',
        'use the repository\'s https address (plain http lets anyone on the path swap the chart)');
    }
    if (!/^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/.test(chart.chart)) {
      throw propError(HELM_APPLICATION, id, 'chart.chart', chart.chart, 'is not a chart name', 'use the name as the repository lists it, e.g. "velero"');
    }
    const releaseName = props.releaseName ?? chart.chart;
    if (releaseName.length > 53 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(releaseName)) {
      throw propError(HELM_APPLICATION, id, props.releaseName === undefined ? 'releaseName (the chart\'s name)' : 'releaseName', releaseName,
        'is not a Helm release name (a DNS-1123 label of at most 53 characters)', 'pass a shorter releaseName');
    }
    const values = props.values ?? {};
    const bad = notJson(values, 'values');
    if (bad) {
      throw propError(HELM_APPLICATION, id, bad, bad === 'values' ? values : '(not plain data)', 'is not plain JSON data without nulls',
        'pass only strings, finite numbers, booleans, arrays and plain objects (a null would be dropped from the output: leave the key out)');
    }
    this.name = props.name;
    this.targetNamespace = props.targetNamespace;
    const syncOptions = [
      ...(props.createNamespace ? ['CreateNamespace=true'] : []),
      ...(props.serverSideApply ? ['ServerSideApply=true'] : []),
      ...(props.skipDryRunOnMissingResource ? ['SkipDryRunOnMissingResource=true'] : []),
    ];
    const ns = props.createNamespace;
    const version = ns?.podSecurityVersion ?? 'latest';
    const syncPolicy: ArgoSyncPolicy = {
      ...(props.automated ?? true ? { automated: { prune: true, selfHeal: true } } : {}),
      ...(syncOptions.length > 0 ? { syncOptions } : {}),
      ...(ns ? {
        managedNamespaceMetadata: {
          labels: {
            'pod-security.kubernetes.io/enforce': ns.podSecurity,
            'pod-security.kubernetes.io/enforce-version': version,
            'pod-security.kubernetes.io/warn': PodSecurityLevel.RESTRICTED,
            'pod-security.kubernetes.io/warn-version': version,
            'pod-security.kubernetes.io/audit': PodSecurityLevel.RESTRICTED,
            'pod-security.kubernetes.io/audit-version': version,
          },
        },
      } : {}),
      retry: ARGO_SYNC_RETRY,
    };
    this.application = new ArgoApplication(this, 'Application', {
      metadata: {
        name: props.name,
        namespace: props.argoNamespace ?? 'argocd',
        labels: { ...(props.labels ?? {}) },
        annotations: props.syncWave === undefined ? undefined : { 'argocd.argoproj.io/sync-wave': String(props.syncWave) },
        // Deleting the Application deletes what it installed, not only the Application.
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: props.project,
        source: { repoURL: chart.repoURL, chart: chart.chart, targetRevision: chart.version, helm: { releaseName, valuesObject: values } },
        destination: { name: props.cluster, namespace: props.targetNamespace },
        syncPolicy,
        revisionHistoryLimit: 10,
      },
    });
  }
}
