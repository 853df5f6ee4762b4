import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 classes for `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy and its binding (GA since
 * Kubernetes 1.30), covering the fields fleetcraft uses. cdk8s-plus-27's `k8s` module has only `v1alpha1`, which
 * Kubernetes no longer serves. Checked against the Kubernetes 1.36 OpenAPI schema in tests.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */

/** An operation an admission rule matches. `UPDATE` covers both PUT and PATCH. */
export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT' | '*';

/** Which requests a policy cares about: operations on resources of API groups and versions. */
export interface AdmissionResourceRule {
  /** API groups (`''` is the core group). */
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly operations: readonly AdmissionOperation[];
  /** Resources (`nodes`), or subresources (`nodes/status`). */
  readonly resources: readonly string[];
  readonly scope?: 'Cluster' | 'Namespaced' | '*';
}

/** A named CEL expression over the admission request; requests for which it is false are not validated. */
export interface AdmissionMatchCondition {
  readonly name: string;
  readonly expression: string;
}

/** A named CEL expression, available to the validations as `variables.<name>`. */
export interface AdmissionVariable {
  readonly name: string;
  readonly expression: string;
}

/** A CEL expression that must be true for the request to be admitted, with the message a refusal shows. */
export interface AdmissionValidation {
  readonly expression: string;
  /** One line: the API server requires a message when the expression spans lines. */
  readonly message?: string;
  readonly messageExpression?: string;
  /** The HTTP status reason of a refusal. */
  readonly reason?: 'Unauthorized' | 'Forbidden' | 'Invalid' | 'RequestEntityTooLarge';
}

/** Spec of a {@link ValidatingAdmissionPolicy}. */
export interface ValidatingAdmissionPolicySpec {
  /** What happens when an expression fails to evaluate. */
  readonly failurePolicy?: 'Fail' | 'Ignore';
  readonly matchConstraints: {
    readonly resourceRules: readonly AdmissionResourceRule[];
    readonly matchPolicy?: 'Exact' | 'Equivalent';
  };
  readonly matchConditions?: readonly AdmissionMatchCondition[];
  readonly variables?: readonly AdmissionVariable[];
  readonly validations: readonly AdmissionValidation[];
}

/** Props of {@link ValidatingAdmissionPolicy}. */
export interface ValidatingAdmissionPolicyProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: ValidatingAdmissionPolicySpec;
}

/**
 * A ValidatingAdmissionPolicy (cluster-scoped): CEL validations the API server runs in process on matching
 * requests. It does nothing until a {@link ValidatingAdmissionPolicyBinding} names it.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/validating-admission-policy-v1/
 */
export class ValidatingAdmissionPolicy extends ApiObject {
  constructor(scope: Construct, id: string, props: ValidatingAdmissionPolicyProps) {
    super(scope, id, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: props.metadata, spec: props.spec });
  }
}

/** What the API server does with a failed validation: refuse the request, warn the client, or audit it. */
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

/** Props of {@link ValidatingAdmissionPolicyBinding}. */
export interface ValidatingAdmissionPolicyBindingProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: {
    /** The name of the ValidatingAdmissionPolicy it enforces. */
    readonly policyName: string;
    readonly validationActions: readonly ValidationAction[];
  };
}

/**
 * A ValidatingAdmissionPolicyBinding (cluster-scoped): puts a policy in force with the given actions.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/validating-admission-policy-binding-v1/
 */
export class ValidatingAdmissionPolicyBinding extends ApiObject {
  constructor(scope: Construct, id: string, props: ValidatingAdmissionPolicyBindingProps) {
    super(scope, id, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: props.metadata, spec: props.spec });
  }
}
