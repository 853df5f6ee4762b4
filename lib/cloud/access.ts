/**
 * Who may use a cluster besides its creator: EKS access entries and their access-policy associations, as data.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
 */
import * as pulumi from '@pulumi/pulumi';
import { propError } from '../private/errors';
import { dnsLabelError } from '../private/names';

/**
 * The EKS access policies a principal can get, by the name EKS gives them.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 */
export type EksAccessPolicy = 'AmazonEKSClusterAdminPolicy' | 'AmazonEKSAdminPolicy' | 'AmazonEKSEditPolicy' | 'AmazonEKSViewPolicy';

/** One principal's access to a cluster. */
export interface ClusterAccess {
  /** A short name (a DNS-1123 label) naming the Pulumi resources, e.g. `admin-0`, `ci`, `argocd`. */
  readonly name: string;
  /** The IAM role or user ARN. */
  readonly principalArn: pulumi.Input<string>;
  /** The access policy. */
  readonly policy: EksAccessPolicy;
  /**
   * Limit the policy to these namespaces.
   * @default - the whole cluster
   */
  readonly namespaces?: readonly string[];
}

/** The ARN of an EKS access policy. */
export function accessPolicyArn(policy: EksAccessPolicy, partition = 'aws'): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
}

/** The access-policy association's scope. */
export function accessScope(access: ClusterAccess): { type: 'cluster' | 'namespace'; namespaces?: string[] } {
  return access.namespaces && access.namespaces.length > 0 ? { type: 'namespace', namespaces: [...access.namespaces] } : { type: 'cluster' };
}

/**
 * Refuses a cluster nobody but its creator could use (the creator's admin access is tied to whoever ran the first
 * `pulumi up`: a laptop session or a CI role that may be gone tomorrow), and names used twice.
 */
export function validateClusterAccess(component: string, name: string, access: readonly ClusterAccess[]): void {
  if (access.length === 0) {
    throw propError(component, name, 'access', [], 'lists no principal besides the cluster creator, so only whoever ran the first `pulumi up` could use the cluster',
      'give the administrators\' and CI\'s roles access (stack config fleetcraft:adminPrincipals, fleetcraft:ciPrincipals)');
  }
  const seen = new Set<string>();
  for (const a of access) {
    const error = dnsLabelError(a.name);
    if (error) throw propError(component, name, 'access[].name', a.name, error, 'use lowercase letters, digits and \'-\'');
    if (seen.has(a.name)) throw propError(component, name, 'access[].name', a.name, 'is used twice', 'give each principal its own name');
    seen.add(a.name);
  }
}
