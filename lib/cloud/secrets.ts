/**
 * Secrets of one cluster's region: Secrets Manager secrets under a KMS key of their own, the External Secrets
 * Operator's role (read only the environment's secrets), and the ClusterSecretStore that points ESO at them.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { propError } from '../private/errors';
import { standardLabels } from '../private/labels';
import { dnsLabelError } from '../private/names';
import { KubeObject } from '../policy/objects';
import { externalSecretsPolicy } from './iam';
import { configGroup } from './kubernetes';
import {
  CloudRolePurpose, KEEP_DATA, kmsAliasName, KmsKeyPurpose, KUBERNETES_NAMES, roleName, secretArnPattern, secretName, SERVICE_ACCOUNTS, ServiceAccountRef,
} from './names';
import { OidcIdentity, serviceAccountRole } from './roles';

/**
 * The ClusterSecretStore every ExternalSecret of the cluster references: AWS Secrets Manager in the cluster's
 * own region, authenticated as the External Secrets Operator's service account (whose IRSA role may read the
 * environment's secrets only).
 * @param serviceAccount @default SERVICE_ACCOUNTS.externalSecrets
 * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
 */
export function clusterSecretStoreObject(region: string, serviceAccount: ServiceAccountRef = SERVICE_ACCOUNTS.externalSecrets): KubeObject {
  const name = KUBERNETES_NAMES.clusterSecretStore;
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name, labels: standardLabels({ name, instance: name, component: 'secrets', partOf: 'fleetcraft' }) },
    spec: {
      provider: {
        aws: {
          service: 'SecretsManager',
          region,
          auth: { jwt: { serviceAccountRef: { name: serviceAccount.name, namespace: serviceAccount.namespace } } },
        },
      },
    },
  };
}

/** Arguments of {@link ClusterSecrets}. */
export interface ClusterSecretsArgs {
  /** The environment's name. */
  readonly environment: string;
  /** The region (the AWS provider's in `opts`). */
  readonly region: string;
  /** The cluster's name. */
  readonly clusterName: string;
  /** The AWS account id (the role's permissions name the account's secrets). */
  readonly accountId: pulumi.Input<string>;
  /**
   * The AWS partition.
   * @default 'aws'
   */
  readonly partition?: string;
  /** The cluster's OIDC identity (ESO's role trusts it). */
  readonly oidc: OidcIdentity;
  /** The cluster's Kubernetes provider (for the ClusterSecretStore). */
  readonly kubernetesProvider: pulumi.ProviderResource;
  /**
   * The secrets, by key (a DNS-1123 label; stored as `fleetcraft/<environment>/<key>`). Values are wrapped in
   * `pulumi.secret` whatever the caller passes, so they are encrypted in the state and hidden in every output.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Deploy the ClusterSecretStore. Turn it off when the GitOps output carries it (`clusterSecretStoreObject`).
   * @default true
   */
  readonly clusterSecretStore?: boolean;
  /**
   * What the ClusterSecretStore waits for (the manifests that install the External Secrets CRDs).
   * @default []
   */
  readonly clusterSecretStoreDependsOn?: readonly pulumi.Resource[];
  /**
   * Days Secrets Manager keeps a deleted secret recoverable (7–30).
   * @default 30
   */
  readonly recoveryWindowInDays?: number;
}

/** Refuses secret keys that are not DNS-1123 labels, before anything is registered. */
export function validateSecretKeys(name: string, keys: readonly string[]): void {
  for (const key of keys) {
    const error = dnsLabelError(key);
    if (error) throw propError('ClusterSecrets', name, 'secrets key', key, error, 'use lowercase letters, digits and \'-\' (e.g. "gitops-repo-token")');
  }
}

/**
 * Secrets Manager secrets, their key, ESO's role and the ClusterSecretStore (type `fleetcraft:cloud:ClusterSecrets`).
 * Pass the cluster region's AWS provider in `opts.provider`.
 */
export class ClusterSecrets extends pulumi.ComponentResource {
  /** The key encrypting the secrets. */
  public readonly key: aws.kms.Key;
  /** The secrets, by key. */
  public readonly secrets: Readonly<Record<string, aws.secretsmanager.Secret>>;
  /** The secrets' current versions, by key (their `secretString` outputs are secret). */
  public readonly versions: Readonly<Record<string, aws.secretsmanager.SecretVersion>>;
  /**
   * The values, by key, as fleetcraft hands them to Secrets Manager: always Pulumi secrets, whatever the caller
   * passed (a plain string included), so they are encrypted in the state and masked wherever they flow.
   */
  public readonly values: Readonly<Record<string, pulumi.Output<string>>>;
  /** The External Secrets Operator's role. */
  public readonly externalSecretsRole: aws.iam.Role;
  /** The ClusterSecretStore, when deployed. */
  public readonly store?: pulumi.ComponentResource;

  constructor(name: string, args: ClusterSecretsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const entries = Object.entries(args.secrets ?? {}).sort(([a], [b]) => a.localeCompare(b));
    validateSecretKeys(name, entries.map(([k]) => k));
    super('fleetcraft:cloud:ClusterSecrets', name, {}, opts);
    const { environment, clusterName } = args;
    const child = { parent: this };

    this.key = new aws.kms.Key(`${name}-key`, { description: `Secrets Manager secrets of ${environment} in ${args.region}`, enableKeyRotation: true, deletionWindowInDays: 30 }, { ...child, ...KEEP_DATA });
    new aws.kms.Alias(`${name}-key`, { name: kmsAliasName(environment, clusterName, KmsKeyPurpose.SECRETS), targetKeyId: this.key.keyId }, child);

    const secrets: Record<string, aws.secretsmanager.Secret> = {};
    const versions: Record<string, aws.secretsmanager.SecretVersion> = {};
    const values: Record<string, pulumi.Output<string>> = {};
    for (const [key, value] of entries) {
      values[key] = pulumi.secret(value);
      secrets[key] = new aws.secretsmanager.Secret(`${name}-${key}`, {
        name: secretName(environment, key), kmsKeyId: this.key.arn, recoveryWindowInDays: args.recoveryWindowInDays ?? 30,
      }, child);
      versions[key] = new aws.secretsmanager.SecretVersion(`${name}-${key}`, { secretId: secrets[key].id, secretString: values[key] }, child);
    }
    this.secrets = secrets;
    this.versions = versions;
    this.values = values;

    this.externalSecretsRole = serviceAccountRole(`${name}-external-secrets`, {
      roleName: roleName(environment, clusterName, CloudRolePurpose.EXTERNAL_SECRETS),
      oidc: args.oidc,
      serviceAccount: SERVICE_ACCOUNTS.externalSecrets,
      policy: pulumi.all([args.accountId, this.key.arn]).apply(([accountId, kmsKeyArn]) => externalSecretsPolicy({
        secretArnPattern: secretArnPattern(accountId, args.region, environment, args.partition), kmsKeyArn, region: args.region,
      })),
    }, child);

    if (args.clusterSecretStore ?? true) {
      this.store = configGroup(`${name}-store`, [clusterSecretStoreObject(args.region)],
        { parent: this, provider: args.kubernetesProvider, dependsOn: [this.externalSecretsRole, ...(args.clusterSecretStoreDependsOn ?? [])] });
    }

    this.registerOutputs({
      externalSecretsRoleArn: this.externalSecretsRole.arn,
      secretArns: Object.fromEntries(Object.entries(secrets).map(([k, s]) => [k, s.arn])),
    });
  }
}
