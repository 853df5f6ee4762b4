/**
 * The runtime shapes of the consensus constructs' props, checked by the shared guard before anything is read
 * (plain-JavaScript callers get a message, never a TypeError). The compiler proves each table covers its props.
 */
import * as kplus from 'cdk8s-plus-27';
import {
  CONTAINER_RESOURCES, CRON, DNS_LABEL, DURATION, INT32_MAX, LABEL_VALUE, METADATA, NODE_TAINT_QUERY, PropShape, shape, SIZE, STRING_MAP,
} from '../../private/prop-guard';
import { ConsensusMembershipProps, ConsensusSnapshotOptions, ConsensusSnapshotProps, ConsensusStatefulSetProps, ZoneSpread } from './props';
import { InitialClusterState } from './engine';

/** A finite number the rules then judge (ports, replicas: odd, whole, in range); the guard refuses non-numbers. */
const WHOLE = shape.number(-INT32_MAX, INT32_MAX);
const IMAGE = shape.string({ maxLength: 1024 });
const COMMAND = shape.list(shape.string({ allowEmpty: true }));
/** A DNS subdomain (a cluster domain): labels joined by dots, no path, no port. */
const DNS_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_SUBDOMAIN = shape.string({
  maxLength: 253, pattern: DNS_SUBDOMAIN_PATTERN,
  patternRule: 'must be a DNS subdomain such as "cluster.local" (lower-case labels joined by dots; no "/", ":" or spaces)',
});
/** A Secret's name (a DNS subdomain). */
const SECRET_NAME = shape.string({ maxLength: 253, pattern: DNS_SUBDOMAIN_PATTERN, patternRule: 'must be a Secret name (lower-case labels joined by dots)' });
/** A `ConsensusClient`, recognised by its method. */
const CLIENT = shape.value('ConsensusClient', ['toNetworkPolicyPeer'], 'ConsensusClient.pods({ app: "api" })');

/** `ConsensusSnapshotOptions`. */
export const SNAPSHOT_OPTION_SHAPES = {
  bucket: shape.required(shape.string({ maxLength: 63 })),
  prefix: shape.string({ maxLength: 1024, allowEmpty: true }),
  schedule: CRON,
  region: shape.string({ maxLength: 64, pattern: /^[a-z0-9-]+$/, patternRule: 'must be a region name such as "eu-west-1"' }),
  endpointUrl: shape.string({ maxLength: 2048, pattern: /^https?:\/\/\S+$/, patternRule: 'must be an http(s) URL' }),
  kmsKeyId: shape.string({ maxLength: 2048 }),
  serviceAccountName: DNS_LABEL,
  uploaderImage: IMAGE,
} satisfies { readonly [K in keyof Required<ConsensusSnapshotOptions>]: PropShape };

/** `ConsensusStatefulSetProps`. */
export const CONSENSUS_PROP_SHAPES = {
  image: shape.required(IMAGE),
  engine: shape.value('ConsensusEngine', ['bind'], 'ConsensusEngine.etcd()'),
  name: shape.string({ maxLength: 253 }),
  namespace: DNS_LABEL,
  replicas: WHOLE,
  production: shape.boolean(),
  tls: shape.value('ConsensusTls', ['mode'], 'ConsensusTls.certManager()'),
  clientPort: WHOLE,
  peerPort: WHOLE,
  metricsPort: WHOLE,
  storage: SIZE,
  storageClassName: shape.string({ maxLength: 253 }),
  resources: CONTAINER_RESOURCES,
  heartbeatInterval: DURATION,
  electionTimeout: DURATION,
  snapshotInterval: DURATION,
  clusterToken: shape.string({ maxLength: 253 }),
  initialClusterState: shape.oneOf(InitialClusterState),
  clusterDomain: DNS_SUBDOMAIN,
  podManagementPolicy: shape.oneOf(kplus.PodManagementPolicy),
  zoneSpread: shape.oneOf(ZoneSpread),
  nodeSelector: STRING_MAP,
  tolerations: shape.list(NODE_TAINT_QUERY),
  allowedClients: shape.list(CLIENT),
  allowMetricsFrom: shape.list(CLIENT),
  minAvailable: WHOLE,
  veleroHookAnnotations: shape.boolean(),
  snapshots: shape.object(SNAPSHOT_OPTION_SHAPES),
  membershipHook: shape.boolean(),
  partOf: LABEL_VALUE,
  metadata: METADATA,
} satisfies { readonly [K in keyof Required<ConsensusStatefulSetProps>]: PropShape };

/** `ConsensusSnapshotProps`. */
export const SNAPSHOT_PROP_SHAPES = {
  ...SNAPSHOT_OPTION_SHAPES,
  name: shape.required(DNS_LABEL),
  namespace: DNS_LABEL,
  labels: shape.required(STRING_MAP),
  image: shape.required(IMAGE),
  command: shape.required(shape.function()),
  memberSelector: shape.required(STRING_MAP),
  clientPort: shape.required(shape.integer(1, 65535)),
  tlsSecretName: SECRET_NAME,
} satisfies { readonly [K in keyof Required<ConsensusSnapshotProps>]: PropShape };

/** `ConsensusMembershipProps`. */
export const MEMBERSHIP_PROP_SHAPES = {
  name: shape.required(DNS_LABEL),
  namespace: DNS_LABEL,
  labels: shape.required(STRING_MAP),
  image: shape.required(IMAGE),
  command: shape.required(COMMAND),
  env: shape.required(STRING_MAP),
  memberSelector: shape.required(STRING_MAP),
  clientPort: shape.required(shape.integer(1, 65535)),
  tlsSecretName: SECRET_NAME,
} satisfies { readonly [K in keyof Required<ConsensusMembershipProps>]: PropShape };
