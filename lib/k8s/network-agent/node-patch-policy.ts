import { AdmissionValidation, ValidatingAdmissionPolicySpec } from './admission-policy';
import { NETWORK_NOT_READY_TAINT } from './startup-taint';

/**
 * The user-info extra key carrying the name of the node a pod-bound service-account token's pod runs on.
 * The API server writes it into the tokens the kubelet requests for a pod (feature `ServiceAccountTokenPodNodeInfo`:
 * beta and on by default since Kubernetes 1.30, GA and locked on since 1.32), so the agent cannot choose it.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#additional-metadata-in-pod-bound-tokens
 */
export const TOKEN_NODE_NAME_KEY = 'authentication.kubernetes.io/node-name';

/**
 * The fields of a Node's `spec` besides `taints` (Kubernetes 1.36), which the agent must leave as they are. A test
 * compares this list with the upstream schema, so a field a later Kubernetes adds is noticed.
 */
export const NODE_SPEC_FIELDS_KEPT = ['configSource', 'externalID', 'podCIDR', 'podCIDRs', 'providerID', 'unschedulable'] as const;

/** A CEL string literal (single-quoted, backslash and quote escaped). */
export function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`;
}

/** The Kubernetes user name of a ServiceAccount. */
export function serviceAccountUsername(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/**
 * The spec of the ValidatingAdmissionPolicy that narrows the agent's RBAC (`patch` on every node) to what it needs:
 * an update of nodes by the agent's ServiceAccount is admitted only when it changes the agent's own node (the node
 * name its pod-bound token carries, {@link TOKEN_NODE_NAME_KEY}) and nothing on it but the removal of
 * {@link NETWORK_NOT_READY_TAINT} from `spec.taints`: the other taints, the other spec fields, the labels and the
 * annotations stay as they are. A request that changes nothing is admitted. Every other user is untouched (match
 * condition), and an expression that cannot be evaluated refuses the request (`failurePolicy: Fail`).
 *
 * The node's status is a subresource (`nodes/status`) the agent's role does not grant, so it is not matched here.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export function nodePatchPolicySpec(namespace: string, serviceAccount: string): ValidatingAdmissionPolicySpec {
  const who = serviceAccountUsername(namespace, serviceAccount);
  const key = celString(TOKEN_NODE_NAME_KEY);
  const taint = `${NETWORK_NOT_READY_TAINT.key}:${NETWORK_NOT_READY_TAINT.effect}`;
  const isStartupTaint = `t.key == ${celString(NETWORK_NOT_READY_TAINT.key)} && t.effect == ${celString(NETWORK_NOT_READY_TAINT.effect)}`;
  const refused = (what: string): Pick<AdmissionValidation, 'message' | 'reason'> => ({
    message: `${who} (the network agent) ${what}`,
    reason: 'Forbidden',
  });
  return {
    failurePolicy: 'Fail',
    matchConstraints: {
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['nodes'] }],
    },
    matchConditions: [{ name: 'network-agent-service-account', expression: `request.userInfo.username == ${celString(who)}` }],
    variables: [
      {
        name: 'tokenNodeName',
        expression: `has(request.userInfo.extra) && ${key} in request.userInfo.extra ? request.userInfo.extra[${key}] : []`,
      },
      { name: 'oldTaints', expression: 'has(oldObject.spec.taints) ? oldObject.spec.taints : []' },
      { name: 'newTaints', expression: 'has(object.spec.taints) ? object.spec.taints : []' },
    ],
    validations: [
      {
        expression: 'variables.tokenNodeName == [object.metadata.name]',
        ...refused(`may change only the node its pod runs on (${TOKEN_NODE_NAME_KEY} of its token): refused a change to another node, `
          + 'or by a token that names no node; use the token the kubelet mounts and patch the node named by NODE_NAME'),
      },
      {
        expression: `variables.newTaints == variables.oldTaints ||\nvariables.newTaints == variables.oldTaints.filter(t, !(${isStartupTaint}))`,
        ...refused(`may only remove the startup taint ${taint} from spec.taints: refused adding, changing, reordering or removing any other taint`),
      },
      {
        expression: NODE_SPEC_FIELDS_KEPT.map((f) => `object.spec.?${f} == oldObject.spec.?${f}`).join(' &&\n'),
        ...refused(`may not change spec fields other than taints: refused a change to ${NODE_SPEC_FIELDS_KEPT.join(', ')}`),
      },
      {
        expression: 'object.metadata.?labels == oldObject.metadata.?labels',
        ...refused('may not change the node\'s labels: refused adding, changing or removing a label'),
      },
      {
        expression: 'object.metadata.?annotations == oldObject.metadata.?annotations',
        ...refused('may not change the node\'s annotations: refused adding, changing or removing an annotation'),
      },
    ],
  };
}
