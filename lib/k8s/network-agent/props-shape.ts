import * as kplus from 'cdk8s-plus-27';
import { CONTAINER_RESOURCES, INT32_MAX, METADATA, NODE_TAINT_QUERY, PERCENT_OR_ABSOLUTE, PROBE, PropShape, shape, STRING_MAP } from '../../private/prop-guard';
import type { NetworkAgentHostPath, NetworkAgentPort, NetworkDaemonSetProps } from './props';

/**
 * A number in the non-negative int32 range. For the numbers a rule of `rules.ts` bounds with its own message (ports,
 * the MTU): the guard refuses only other types and gross values, so the rule's message, which names the real range
 * and the fix, is the one the user sees for a plausible mistake (a port of 70000, an MTU of 575, a fraction).
 */
const RULED_NUMBER = shape.number(0, INT32_MAX);
/** A string a rule of `rules.ts` checks with its own message (names, images, sysctl values): only the type here. */
const RULED_STRING = shape.string({ allowEmpty: true });
/** A label value (`app.kubernetes.io/part-of`), which no later rule checks. */
const LABEL_VALUE = shape.string({
  maxLength: 63,
  pattern: /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/,
  patternRule: 'must be a label value (letters, digits, "-", "_" and ".", starting and ending with a letter or digit)',
});

/** The shapes of a {@link NetworkAgentPort}. */
export const NETWORK_AGENT_PORT_SHAPES = {
  name: shape.required(RULED_STRING),
  number: shape.required(RULED_NUMBER),
  protocol: shape.oneOf(kplus.Protocol),
  hostPort: RULED_NUMBER,
} satisfies { readonly [K in keyof Required<NetworkAgentPort>]: PropShape };

/** The shapes of a {@link NetworkAgentHostPath}. */
export const NETWORK_AGENT_HOST_PATH_SHAPES = {
  name: shape.required(RULED_STRING),
  path: shape.required(RULED_STRING),
  mountPath: shape.required(RULED_STRING),
  readOnly: shape.boolean(),
  type: shape.oneOf(kplus.HostPathVolumeType),
  propagation: shape.oneOf(kplus.MountPropagation),
} satisfies { readonly [K in keyof Required<NetworkAgentHostPath>]: PropShape };

/**
 * The runtime shape of every {@link NetworkDaemonSetProps} prop, checked by `guardProps` before anything is read.
 * Names, images, sysctls, ports, the MTU and host paths are only type-checked here; their meaning is checked by the
 * rules of `rules.ts`, whose messages say more.
 */
export const NETWORK_DAEMON_SET_PROP_SHAPES = {
  image: shape.required(RULED_STRING),
  name: RULED_STRING,
  namespace: RULED_STRING,
  partOf: LABEL_VALUE,
  metadata: METADATA,
  command: shape.list(shape.string()),
  args: shape.list(shape.string({ allowEmpty: true })),
  env: STRING_MAP,
  hostNetwork: shape.boolean(),
  ports: shape.list(shape.object(NETWORK_AGENT_PORT_SHAPES)),
  sysctls: shape.map(RULED_STRING),
  mtu: RULED_NUMBER,
  mtuInterface: RULED_STRING,
  initImage: RULED_STRING,
  capabilities: shape.list(RULED_STRING),
  privileged: shape.boolean(),
  hostPaths: shape.list(shape.object(NETWORK_AGENT_HOST_PATH_SHAPES)),
  tolerateAllTaints: shape.boolean(),
  tolerations: shape.list(NODE_TAINT_QUERY),
  nodeSelector: STRING_MAP,
  priorityClassName: RULED_STRING,
  maxUnavailable: PERCENT_OR_ABSOLUTE,
  resources: CONTAINER_RESOURCES,
  readiness: PROBE,
  liveness: PROBE,
  removeStartupTaint: shape.boolean(),
} satisfies { readonly [K in keyof Required<NetworkDaemonSetProps>]: PropShape };
