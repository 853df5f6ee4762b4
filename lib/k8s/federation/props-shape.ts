import { DNS_LABEL, INT32_MAX, PropShape, shape } from '../../private/prop-guard';
import type { FederatedAppProps, FederatedMember } from './props';
import { MAX_WEIGHT } from './replica-split';

/**
 * The shapes of a {@link FederatedMember}. Weights and bounds are only range-checked here; whether they are whole
 * numbers and fit together is the split's to say (`replicaSplitProblems`), with its own messages.
 */
export const FEDERATED_MEMBER_SHAPES = {
  /** A cluster name as Argo CD, KubeFed and Karmada know it, and part of the Applications' names. */
  name: shape.required(DNS_LABEL),
  weight: shape.required(shape.number(0, MAX_WEIGHT)),
  minReplicas: shape.number(0, INT32_MAX),
  maxReplicas: shape.number(0, INT32_MAX),
  /** Checked as an object only: the workload checks its own props when each member's copy is built. */
  overrides: shape.openObject({}),
  scope: shape.anyObject('a Construct'),
} satisfies { readonly [K in keyof Required<FederatedMember>]: PropShape };

/** The runtime shape of every {@link FederatedAppProps} prop, checked by `guardProps` before anything is read. */
export const FEDERATED_APP_PROP_SHAPES = {
  /** Recognised by its `build` method (an `IFederatedWorkload`, e.g. from `FederatedWorkload.autoscaledService`). */
  workload: shape.required(shape.value('FederatedWorkload', ['build', 'isAutoscaled'], 'FederatedWorkload.autoscaledService({ image, port, maxReplicas })')),
  totalReplicas: shape.required(shape.number(0, INT32_MAX)),
  members: shape.required(shape.list(shape.object(FEDERATED_MEMBER_SHAPES))),
  backend: shape.value('FederationBackend', ['type', 'perClusterOptions'], 'FederationBackend.karmada()'),
} satisfies { readonly [K in keyof Required<FederatedAppProps>]: PropShape };
