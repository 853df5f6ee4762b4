/**
 * IAM roles for service accounts (IRSA), shared by the cluster, storage and secrets components.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { irsaTrustPolicy, policyJson, PolicyDocument, wildcardGrants } from './iam';
import { ServiceAccountRef } from './names';

/** What a service-account role needs from the cluster. */
export interface OidcIdentity {
  /** The ARN of the cluster's IAM OIDC provider. */
  readonly providerArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer URL. */
  readonly issuer: pulumi.Input<string>;
}

/** Arguments of {@link serviceAccountRole}. */
export interface ServiceAccountRoleArgs {
  /** The role's IAM name (from `roleName`; the manifests' annotation is built from the same name). */
  readonly roleName: string;
  /** The cluster's OIDC identity. */
  readonly oidc: OidcIdentity;
  /** The one service account that may assume the role. */
  readonly serviceAccount: ServiceAccountRef;
  /**
   * Inline permissions (least privilege; a statement allowing every action on every resource is refused).
   * @default - no inline policy
   */
  readonly policy?: pulumi.Input<PolicyDocument>;
  /** ARNs of managed policies to attach. @default [] */
  readonly managedPolicyArns?: readonly string[];
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/** Refuses a document that allows every action on every resource. */
export function assertLeastPrivilege(owner: string, doc: PolicyDocument): PolicyDocument {
  const wild = wildcardGrants(doc);
  if (wild.length > 0) {
    throw new Error(`${owner}: policy statement ${JSON.stringify(wild[0])} allows every action on every resource; list the actions and resources it needs`);
  }
  return doc;
}

/**
 * An IAM role one Kubernetes service account of one cluster can assume (IRSA), with its inline policy (child
 * `<name>-policy`) and managed policy attachments (children `<name>-<index>`), all parented to `opts.parent`.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
 */
export function serviceAccountRole(name: string, args: ServiceAccountRoleArgs, opts: pulumi.CustomResourceOptions): aws.iam.Role {
  // A plain document is checked now, before the role exists; one that is still an Output is checked when known.
  if (args.policy !== undefined && !pulumi.Output.isInstance(args.policy) && !isPromise(args.policy)) {
    assertLeastPrivilege(args.roleName, args.policy as PolicyDocument);
  }
  const role = new aws.iam.Role(name, {
    name: args.roleName,
    assumeRolePolicy: pulumi.all([args.oidc.providerArn, args.oidc.issuer])
      .apply(([arn, issuer]) => policyJson(irsaTrustPolicy(arn, issuer, args.serviceAccount))),
    description: `IRSA role of ${args.serviceAccount.namespace}/${args.serviceAccount.name}`,
  }, opts);
  if (args.policy) {
    new aws.iam.RolePolicy(`${name}-policy`, {
      role: role.name,
      policy: pulumi.output(args.policy).apply((doc) => policyJson(assertLeastPrivilege(args.roleName, doc as PolicyDocument))),
    }, opts);
  }
  (args.managedPolicyArns ?? []).forEach((arn, i) => {
    new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn: arn }, opts);
  });
  return role;
}
