import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 classes for the External Secrets Operator resources fleetcraft emits (external-secrets.io/v1, the
 * served version; v1beta1 is no longer served). Secret values never appear in manifests: they stay in AWS Secrets
 * Manager and the operator copies them into Kubernetes Secrets in the cluster.
 * @see https://external-secrets.io/latest/api/externalsecret/
 */

const API_VERSION = 'external-secrets.io/v1';

/** Spec of a ClusterSecretStore backed by AWS Secrets Manager, authenticated with a service-account role (IRSA). */
export interface AwsClusterSecretStoreSpec {
  readonly provider: {
    readonly aws: {
      readonly service: 'SecretsManager' | 'ParameterStore';
      readonly region: string;
      readonly auth?: { readonly jwt: { readonly serviceAccountRef: { readonly name: string; readonly namespace: string } } };
    };
  };
  readonly refreshInterval?: number;
}

/** A cluster-wide store that ExternalSecrets in any namespace read from. */
export class ClusterSecretStore extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata; readonly spec: AwsClusterSecretStoreSpec }) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'ClusterSecretStore', metadata: props.metadata, spec: props.spec });
  }
}

/** One key of the Kubernetes Secret and where its value comes from. */
export interface ExternalSecretData {
  /** Key in the Kubernetes Secret. */
  readonly secretKey: string;
  /** The remote secret (`key`) and, for JSON secrets, the `property` within it. */
  readonly remoteRef: { readonly key: string; readonly property?: string; readonly version?: string };
}

/** Spec of an ExternalSecret. */
export interface ExternalSecretSpec {
  readonly secretStoreRef: { readonly name: string; readonly kind: 'SecretStore' | 'ClusterSecretStore' };
  /** How often the value is re-read, e.g. `1h`. */
  readonly refreshInterval?: string;
  readonly target: { readonly name: string; readonly creationPolicy?: 'Owner' | 'Orphan' | 'Merge' | 'None'; readonly deletionPolicy?: 'Delete' | 'Merge' | 'Retain' };
  readonly data: readonly ExternalSecretData[];
}

/** A Kubernetes Secret kept in sync with values in an external store. */
export class ExternalSecret extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata; readonly spec: ExternalSecretSpec }) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'ExternalSecret', metadata: props.metadata, spec: props.spec });
  }
}
