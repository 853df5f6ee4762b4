import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 classes for the Argo CD custom resources fleetcraft emits (argoproj.io/v1alpha1), covering the fields
 * it uses. Checked against the Argo CD v3.5 CRDs in tests.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/
 */

/** Where an Application deploys to: a cluster registered in Argo CD (by name or API server URL) and a namespace. */
export interface ArgoDestination {
  readonly name?: string;
  readonly server?: string;
  readonly namespace?: string;
}

/** A folder of plain manifests in a Git repository. */
export interface ArgoSource {
  readonly repoURL: string;
  readonly path: string;
  readonly targetRevision: string;
  /** Directory options: `exclude` is a glob of files in `path` Argo CD leaves alone. */
  readonly directory?: { readonly recurse?: boolean; readonly exclude?: string };
}

/** A Helm chart from a chart repository (`repoURL` + `chart`) at one exact version (`targetRevision`). */
export interface ArgoHelmSource {
  readonly repoURL: string;
  /** The chart's name in the repository. */
  readonly chart: string;
  /** The chart's version. */
  readonly targetRevision: string;
  readonly helm?: {
    /** The Helm release name. */
    readonly releaseName?: string;
    /** The chart values, as an object (rendered into the Application, checked by its schema). */
    readonly valuesObject?: Readonly<Record<string, unknown>>;
    /** Leave the chart's `crds/` folder out. */
    readonly skipCrds?: boolean;
  };
}

/** When and how Argo CD syncs. */
export interface ArgoSyncPolicy {
  readonly automated?: { readonly prune?: boolean; readonly selfHeal?: boolean; readonly allowEmpty?: boolean };
  readonly syncOptions?: readonly string[];
  /** Labels and annotations of the namespace `CreateNamespace=true` creates. */
  readonly managedNamespaceMetadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly retry?: {
    readonly limit?: number;
    readonly backoff?: { readonly duration?: string; readonly factor?: number; readonly maxDuration?: string };
  };
}

/**
 * How fleetcraft's Applications retry a failed sync: 5 times, from 10 s, doubling, at most 3 min apart (a CRD or
 * namespace another Application creates usually appears within that).
 */
export const ARGO_SYNC_RETRY = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } } as const;

/** A time window that allows or denies syncs. */
export interface ArgoSyncWindow {
  readonly kind: 'allow' | 'deny';
  /** Cron expression for the window's start. */
  readonly schedule: string;
  /** Window length, e.g. `4h`. */
  readonly duration: string;
  readonly applications?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly clusters?: readonly string[];
  /** Whether manual syncs are allowed while the window blocks automated ones. */
  readonly manualSync?: boolean;
  /** IANA time zone of `schedule`. */
  readonly timeZone?: string;
  /** Why the window exists (shown in Argo CD). */
  readonly description?: string;
  /** Match an Application only when its application, namespace and cluster all match (instead of any). */
  readonly andOperator?: boolean;
  /** Let a sync that started before a deny window (or inside an allow window) run on after the window changes. */
  readonly syncOverrun?: boolean;
}

/** A group kind pair, e.g. `{ group: 'apps', kind: 'Deployment' }`; `*` matches all. */
export interface ArgoGroupKind {
  readonly group: string;
  readonly kind: string;
}

/** Spec of an AppProject. */
export interface ArgoAppProjectSpec {
  readonly description?: string;
  readonly sourceRepos: readonly string[];
  readonly destinations: readonly ArgoDestination[];
  readonly clusterResourceWhitelist?: readonly ArgoGroupKind[];
  readonly namespaceResourceWhitelist?: readonly ArgoGroupKind[];
  readonly syncWindows?: readonly ArgoSyncWindow[];
  readonly orphanedResources?: { readonly warn?: boolean };
}

/** Spec of an Application. */
export interface ArgoApplicationSpec {
  readonly project: string;
  readonly source: ArgoSource | ArgoHelmSource;
  readonly destination: ArgoDestination;
  readonly syncPolicy?: ArgoSyncPolicy;
  readonly revisionHistoryLimit?: number;
}

/** Props of the L1 classes: metadata plus a typed spec. */
export interface ArgoResourceProps<S> {
  readonly metadata: ApiObjectMetadata;
  readonly spec: S;
}

const API_VERSION = 'argoproj.io/v1alpha1';

/** An Argo CD AppProject: which repositories and destinations a group of Applications may use. */
export class ArgoAppProject extends ApiObject {
  constructor(scope: Construct, id: string, props: ArgoResourceProps<ArgoAppProjectSpec>) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'AppProject', metadata: props.metadata, spec: props.spec });
  }
}

/** An Argo CD Application: a Git folder or a Helm chart synced to a cluster and namespace. */
export class ArgoApplication extends ApiObject {
  constructor(scope: Construct, id: string, props: ArgoResourceProps<ArgoApplicationSpec>) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'Application', metadata: props.metadata, spec: props.spec });
  }
}

/** Spec of an ApplicationSet with a list generator. */
export interface ArgoListApplicationSetSpec {
  /** One element per generated Application; values are referenced as `{{key}}` in the template. */
  readonly generators: ReadonlyArray<{ readonly list: { readonly elements: ReadonlyArray<Readonly<Record<string, string>>> } }>;
  readonly template: {
    readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
    readonly spec: ArgoApplicationSpec;
  };
  readonly goTemplate?: boolean;
}

/** An Argo CD ApplicationSet generating one Application per list element. */
export class ArgoApplicationSet extends ApiObject {
  constructor(scope: Construct, id: string, props: ArgoResourceProps<ArgoListApplicationSetSpec>) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'ApplicationSet', metadata: props.metadata, spec: props.spec });
  }
}
