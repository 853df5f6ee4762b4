/**
 * Kubernetes through `@pulumi/kubernetes`: a provider per cluster with a stable identity, and the provider's
 * `yaml/v2:ConfigGroup` for objects. The package's install script only tries to fetch the provider plugin (and
 * exits 0 without the Pulumi CLI); `pulumi up` installs the `kubernetes` plugin on demand at the version the SDK
 * asks for, {@link KUBERNETES_PROVIDER_VERSION}; to install it ahead (air-gapped runners):
 * `pulumi plugin install resource kubernetes v4.34.2`.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KubeObject } from '../policy/objects';

/**
 * The `kubernetes` resource plugin version every provider and ConfigGroup asks for (`yaml/v2` needs 4.10 or
 * later, `clusterIdentifier` a recent 4.x).
 * @see https://github.com/pulumi/pulumi-kubernetes/releases
 */
export const KUBERNETES_PROVIDER_VERSION = '4.34.2';

/** What a kubeconfig for an EKS cluster is made of. */
export interface EksKubeconfigArgs {
  /** The cluster's name. */
  readonly clusterName: string;
  /** The region it runs in. */
  readonly region: string;
  /** The API server endpoint (`https://…`). */
  readonly endpoint: string;
  /** The cluster CA bundle, base64 (as EKS returns it). */
  readonly certificateAuthorityData: string;
  /**
   * The AWS CLI profile `aws eks get-token` uses.
   * @default - the AWS CLI's default credential chain
   */
  readonly profile?: string;
}

/**
 * A kubeconfig (as JSON text) that authenticates with `aws eks get-token` — no credential is stored in it or in
 * the Pulumi state; the machine running `pulumi up` needs the AWS CLI and the same credentials as the program.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-kubeconfig.html
 */
export function eksKubeconfig(args: EksKubeconfigArgs): string {
  const exec = {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    args: ['eks', 'get-token', '--cluster-name', args.clusterName, '--region', args.region, '--output', 'json'],
    ...(args.profile ? { env: [{ name: 'AWS_PROFILE', value: args.profile }] } : {}),
    interactiveMode: 'Never',
  };
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: args.clusterName, cluster: { 'server': args.endpoint, 'certificate-authority-data': args.certificateAuthorityData } }],
    contexts: [{ name: args.clusterName, context: { cluster: args.clusterName, user: args.clusterName } }],
    'current-context': args.clusterName,
    users: [{ name: args.clusterName, user: { exec } }],
  });
}

/** Arguments of {@link kubernetesProvider}. */
export interface KubernetesProviderArgs {
  /** The kubeconfig (JSON or YAML text). */
  readonly kubeconfig: pulumi.Input<string>;
  /**
   * A value that changes only when the cluster is really another cluster (the EKS cluster's ARN). Without it the
   * provider is replaced whenever the kubeconfig text changes, and every object on it with it.
   * @see https://github.com/pulumi/pulumi-kubernetes/issues/2745
   */
  readonly clusterIdentifier: pulumi.Input<string>;
}

/**
 * An explicit Kubernetes provider for one cluster (`pulumi:providers:kubernetes`), with server-side apply, a
 * stable `clusterIdentifier`, and the pinned plugin version. Pass it as `provider` to every Kubernetes resource
 * of that cluster; the stack disables default providers, so nothing can land on the ambient kubeconfig's cluster.
 */
export function kubernetesProvider(name: string, args: KubernetesProviderArgs, opts: pulumi.CustomResourceOptions): k8s.Provider {
  return new k8s.Provider(name, {
    kubeconfig: args.kubeconfig,
    clusterIdentifier: args.clusterIdentifier,
    enableServerSideApply: true,
  }, { ...opts, version: KUBERNETES_PROVIDER_VERSION });
}

/**
 * The Pulumi type token the Kubernetes provider uses for an object: `kubernetes:<group>/<version>:<Kind>`, with
 * the core group spelt `core` (`kubernetes:core/v1:Namespace`, `kubernetes:apps/v1:Deployment`,
 * `kubernetes:velero.io/v1:Schedule`).
 */
export function kubernetesTypeToken(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  const groupVersion = obj.apiVersion.includes('/') ? obj.apiVersion : `core/${obj.apiVersion}`;
  return `kubernetes:${groupVersion}:${obj.kind}`;
}

/** The identity of an object within a cluster: `group/Kind namespace/name`. */
export function objectKey(obj: KubeObject): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  const ns = obj.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${group}/${obj.kind} ${ns}${obj.metadata?.name ?? '<no name>'}`;
}

/**
 * Registers Kubernetes objects as one `kubernetes:yaml/v2:ConfigGroup` remote component on `provider`. The
 * provider applies CustomResourceDefinitions and Namespaces before the objects that need them, honours
 * `config.kubernetes.io/depends-on` annotations, and waits for each object to be ready. Child resources are named
 * `<name>-<namespace>-<object name>`: stable across runs and distinct across clusters.
 * @see https://www.pulumi.com/registry/packages/kubernetes/api-docs/yaml/v2/configgroup/
 */
export function configGroup(name: string, objs: pulumi.Input<readonly pulumi.Input<object>[]>, opts: pulumi.ComponentResourceOptions & { provider: pulumi.ProviderResource }): k8s.yaml.v2.ConfigGroup {
  return new k8s.yaml.v2.ConfigGroup(name, { objs: objs as pulumi.Input<pulumi.Input<object>[]>, resourcePrefix: name },
    { ...opts, version: KUBERNETES_PROVIDER_VERSION });
}
