/**
 * What Pulumi bootstraps so that Argo CD can install everything else: Argo CD itself (the official Helm chart), the
 * registrations of the environment's clusters (declarative cluster Secrets with IAM authentication), and the
 * environment's root Application. Every other object belongs to Argo CD (the GitOps repository); Pulumi applies
 * none of them, so no object has two owners.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/
 */
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { propError } from '../private/errors';
import { KubeObject } from '../policy/objects';
import { irsaTrustPolicy, policyJson, PolicyDocument } from './iam';
import { configGroup, KUBERNETES_PROVIDER_VERSION } from './kubernetes';
import { IRSA_ROLE_ARN_ANNOTATION, ServiceAccountRef } from './names';
import { OidcIdentity } from './roles';

/**
 * The Argo CD Helm chart Pulumi installs, pinned to one exact version (bump it here, read the chart's upgrade
 * notes, and run `npm run plan`).
 * @see https://github.com/argoproj/argo-helm/tree/main/charts/argo-cd
 */
export const ARGOCD_CHART = {
  /** The chart repository. */
  repo: 'https://argoproj.github.io/argo-helm',
  /** The chart's name. */
  chart: 'argo-cd',
  /** The exact chart version. */
  version: '9.1.0',
} as const;

/** The namespace Argo CD runs in (its Applications, AppProjects and cluster Secrets live there). */
export const ARGOCD_NAMESPACE = 'argocd';

/** The service accounts that reach remote clusters: the application controller (sync) and the server (UI, logs). */
export const ARGOCD_SERVICE_ACCOUNTS = {
  controller: { namespace: ARGOCD_NAMESPACE, name: 'argocd-application-controller' },
  server: { namespace: ARGOCD_NAMESPACE, name: 'argocd-server' },
} as const satisfies Record<string, ServiceAccountRef>;

/**
 * The health check of `argoproj.io/Application` that Argo CD removed from its defaults in 1.8: without it a parent
 * (app of apps) sees every child Application as healthy at once, and sync waves of child Applications do not wait
 * for the previous wave to be healthy.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#argocd-app
 */
export const APPLICATION_HEALTH_CHECK = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/** The `argocd-cm` key of the Application health check. */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/** A service account of the chart, with its annotations. */
export interface ArgoCdServiceAccountValues {
  readonly serviceAccount: { readonly annotations: Readonly<Record<string, string>> };
}

/**
 * The chart values fleetcraft sets (the chart's `values.yaml` keys; everything else keeps the chart's default).
 * @see https://github.com/argoproj/argo-helm/blob/main/charts/argo-cd/values.yaml
 */
export interface ArgoCdValues {
  readonly configs: {
    /** `argocd-cm`. */
    readonly cm: {
      readonly [APPLICATION_HEALTH_KEY]: string;
      /** Annotation tracking (the 3.x default), so objects other tools label are not taken over. */
      readonly 'application.resourceTrackingMethod': 'annotation' | 'label' | 'annotation+label';
    };
  };
  /** The application controller: its service account assumes the Argo CD role (IRSA). */
  readonly controller: ArgoCdServiceAccountValues;
  /** The API server: the same role, for live state and logs of remote clusters. */
  readonly server: ArgoCdServiceAccountValues;
}

/** The chart values: the Application health check, annotation tracking, and the IRSA role on both service accounts. */
export function argoCdValues(roleArn: string): ArgoCdValues {
  const serviceAccount = { annotations: { [IRSA_ROLE_ARN_ANNOTATION]: roleArn } };
  return {
    configs: { cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_CHECK, 'application.resourceTrackingMethod': 'annotation' } },
    controller: { serviceAccount },
    server: { serviceAccount },
  };
}

/**
 * The trust policy of Argo CD's role: its controller and server service accounts (IRSA), and the role itself — the
 * cluster Secrets name it as `awsAuthConfig.roleARN`, which Argo CD assumes from the IRSA session, and AWS requires
 * a role's trust policy to allow assuming itself explicitly.
 */
export function argoCdTrustPolicy(oidcProviderArn: string, issuer: string, roleArn: string): PolicyDocument {
  const irsa = Object.values(ARGOCD_SERVICE_ACCOUNTS).flatMap((sa) => irsaTrustPolicy(oidcProviderArn, issuer, sa).Statement);
  return {
    Version: '2012-10-17',
    Statement: [...irsa, { Effect: 'Allow', Principal: { AWS: roleArn }, Action: 'sts:AssumeRole' }],
  };
}

/** One cluster Argo CD deploys to, registered under its cluster name (the name every Application's destination uses). */
export interface ClusterRegistration {
  /** The name Applications use (`destination.name`): the EKS cluster's name. */
  readonly name: string;
  /**
   * The remote cluster's EKS name, API endpoint and CA bundle (base64); absent for the cluster Argo CD runs in,
   * which is registered as `https://kubernetes.default.svc` under its name.
   */
  readonly remote?: { readonly clusterName: string; readonly server: string; readonly caData: string };
  /** The role Argo CD assumes for a remote cluster (it needs an EKS access entry there). */
  readonly roleArn: string;
}

/**
 * A declarative cluster Secret: IAM authentication (`awsAuthConfig`) for a remote cluster, no stored credential;
 * the in-cluster API server for the cluster Argo CD runs in.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#eks
 */
export function clusterSecretObject(cluster: ClusterRegistration): KubeObject {
  const config = cluster.remote
    ? { awsAuthConfig: { clusterName: cluster.remote.clusterName, roleARN: cluster.roleArn }, tlsClientConfig: { insecure: false, caData: cluster.remote.caData } }
    : { tlsClientConfig: { insecure: false } };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `cluster-${cluster.name}`,
      namespace: ARGOCD_NAMESPACE,
      labels: { 'argocd.argoproj.io/secret-type': 'cluster', 'app.kubernetes.io/managed-by': 'pulumi', 'app.kubernetes.io/part-of': 'fleetcraft' },
    },
    type: 'Opaque',
    stringData: { name: cluster.name, server: cluster.remote?.server ?? 'https://kubernetes.default.svc', config: JSON.stringify(config) },
  };
}

/** Arguments of {@link ArgoCdBootstrap}. */
export interface ArgoCdBootstrapArgs {
  /** The Kubernetes provider of the cluster Argo CD runs in. */
  readonly kubernetesProvider: pulumi.ProviderResource;
  /** Argo CD's role (see {@link argoCdRole}). */
  readonly roleArn: pulumi.Input<string>;
  /** The clusters to register, the one Argo CD runs in included. */
  readonly clusters: pulumi.Input<readonly ClusterRegistration[]>;
  /** The environment's root Application (app of apps), exactly as synth writes it. */
  readonly rootApplication: KubeObject;
  /**
   * What the chart waits for (the node groups and add-ons of its cluster).
   * @default []
   */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** Refuses a root object that is not an Argo CD Application in Argo CD's namespace, or an Argo CD hook. */
export function validateRootApplication(name: string, root: KubeObject): void {
  if (root.apiVersion !== 'argoproj.io/v1alpha1' || root.kind !== 'Application' || root.metadata?.namespace !== ARGOCD_NAMESPACE) {
    throw propError('ArgoCdBootstrap', name, 'rootApplication', `${root.apiVersion} ${root.kind} ${root.metadata?.namespace}/${root.metadata?.name}`,
      `must be an argoproj.io/v1alpha1 Application in namespace ${ARGOCD_NAMESPACE}`, 'pass the environment\'s root Application from synth');
  }
  if (root.metadata.annotations?.['argocd.argoproj.io/hook'] !== undefined) {
    throw propError('ArgoCdBootstrap', name, 'rootApplication', root.metadata.name, 'is an Argo CD hook', 'hooks run inside an Argo CD sync, never through Pulumi');
  }
}

/**
 * Argo CD's IAM role (IRSA for its controller and server, plus assuming itself for `awsAuthConfig`). No inline
 * permissions: what it may do in each remote cluster comes from that cluster's EKS access entry.
 */
export function argoCdRole(name: string, args: { roleName: string; oidc: OidcIdentity; accountId: pulumi.Input<string>; partition?: string }, opts: pulumi.CustomResourceOptions): aws.iam.Role {
  const arn = pulumi.interpolate`arn:${args.partition ?? 'aws'}:iam::${args.accountId}:role/${args.roleName}`;
  return new aws.iam.Role(name, {
    name: args.roleName,
    assumeRolePolicy: pulumi.all([args.oidc.providerArn, args.oidc.issuer, arn]).apply(([p, i, a]) => policyJson(argoCdTrustPolicy(p, i, a))),
  }, opts);
}

/**
 * Argo CD and what it needs to start syncing (type `fleetcraft:cloud:ArgoCdBootstrap`): the `argocd` Namespace,
 * the chart ({@link ARGOCD_CHART}, Helm hooks left out as `helm.v4.Chart` does), one cluster Secret per cluster,
 * then the root Application, after the chart's CRDs. Children: `<name>-namespace`, `<name>-chart`,
 * `<name>-cluster-<cluster>`, `<name>-root`.
 */
export class ArgoCdBootstrap extends pulumi.ComponentResource {
  /** The Helm release. */
  public readonly chart: k8s.helm.v4.Chart;
  /** The root Application's ConfigGroup. */
  public readonly root: k8s.yaml.v2.ConfigGroup;
  /** The cluster Secrets' ConfigGroup. */
  public readonly clusters: k8s.yaml.v2.ConfigGroup;

  constructor(name: string, args: ArgoCdBootstrapArgs, opts: pulumi.ComponentResourceOptions = {}) {
    validateRootApplication(name, args.rootApplication);
    super('fleetcraft:cloud:ArgoCdBootstrap', name, {}, opts);
    const provider = args.kubernetesProvider;
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
      metadata: { name: ARGOCD_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'pulumi', 'app.kubernetes.io/part-of': 'fleetcraft' } },
    }, { parent: this, provider, dependsOn: [...(args.dependsOn ?? [])], version: KUBERNETES_PROVIDER_VERSION });
    this.chart = new k8s.helm.v4.Chart(`${name}-chart`, {
      chart: ARGOCD_CHART.chart,
      version: ARGOCD_CHART.version,
      repositoryOpts: { repo: ARGOCD_CHART.repo },
      name: 'argocd',
      namespace: ARGOCD_NAMESPACE,
      values: pulumi.output(args.roleArn).apply((arn) => argoCdValues(arn) as unknown as Record<string, unknown>),
    }, { parent: this, provider, dependsOn: [namespace], version: KUBERNETES_PROVIDER_VERSION });
    this.clusters = configGroup(`${name}-clusters`, pulumi.output(args.clusters).apply((cs) => cs.map(clusterSecretObject)),
      { parent: this, provider, dependsOn: [namespace] });
    this.root = configGroup(`${name}-root`, [args.rootApplication], { parent: this, provider, dependsOn: [this.chart, this.clusters] });
    this.registerOutputs({ chartVersion: ARGOCD_CHART.version, rootApplication: args.rootApplication.metadata?.name });
  }
}
