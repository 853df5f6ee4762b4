import { imagePinProblem } from '../../private/images';
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { dnsLabelError } from '../../private/names';
import { checkRules, Rule as RuleOf } from '../../private/rules';

/** The construct name every ConsensusStatefulSet message starts with. */
export const CONSENSUS = 'ConsensusStatefulSet';
/** The construct names of the consensus set's parts and engines, as messages start with them. */
export const CONSENSUS_SNAPSHOT = 'ConsensusSnapshot';
export const CONSENSUS_MEMBERSHIP = 'ConsensusMembership';
export const CONSENSUS_ENGINE = 'ConsensusEngine';
export const CONSENSUS_TLS = 'ConsensusTls';

/** The most members a consensus set may have (etcd recommends 5, 7 at most; 11 is a hard ceiling). */
export const MAX_MEMBERS = 11;

/**
 * The longest StatefulSet name: the controller labels every pod `controller-revision-hash: <name>-<10-char hash>`,
 * and a label value is at most 63 characters.
 */
export const MAX_STATEFUL_SET_NAME = 52;

/** The longest CronJob name the API server accepts (it appends an 11-character suffix to each Job it creates). */
export const MAX_CRON_JOB_NAME = 52;

/** The facts the table-driven rules look at (all defaults already applied). */
export interface ConsensusFacts {
  readonly name: string;
  readonly namespace?: string;
  readonly clusterDomain: string;
  readonly replicas: number;
  readonly production: boolean;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly metricsPort: number;
  readonly heartbeatInterval: Duration;
  readonly electionTimeout: Duration;
  readonly storage: Size;
  readonly minAvailable?: number;
  readonly snapshotCronJobName?: string;
  readonly images: Readonly<Record<string, string>>;
  /** The `tls` prop's mode: `certManager`, `disabled` (with a reason), or undefined when not set. */
  readonly tls?: 'certManager' | 'disabled';
}

/** ⌊n/2⌋+1: the members that must agree for the cluster to make progress. */
export function quorumOf(replicas: number): number {
  return Math.floor(replicas / 2) + 1;
}

type Rule = RuleOf<ConsensusFacts>;

/** Why an image reference is refused (no tag or digest, or `:latest`), or undefined. */
export function imageError(image: string): string | undefined {
  const problem = imagePinProblem(image);
  if (problem === 'unpinned') return 'has no tag or digest, so what runs changes under you';
  if (problem === 'latest') return 'is tagged :latest, so what runs changes under you';
  return undefined;
}

const isPort = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;
const ms = (d: Duration) => d.toMilliseconds();

/** The rules, in the order they are checked; the first broken one is thrown. */
const RULES: readonly Rule[] = [
  (f) => {
    const error = dnsLabelError(f.name);
    return error ? ['name', f.name, error, 'use a DNS-1123 label such as "raft"'] : undefined;
  },
  (f) => (f.name.length > MAX_STATEFUL_SET_NAME
    ? ['name', f.name, `must be at most ${MAX_STATEFUL_SET_NAME} characters (got ${f.name.length}), because the StatefulSet controller appends an 11-character hash to it in each pod's controller-revision-hash label (at most 63)`, 'use a shorter name']
    : undefined),
  (f) => (f.snapshotCronJobName !== undefined && f.snapshotCronJobName.length > MAX_CRON_JOB_NAME
    ? ['name', f.name, `makes the snapshot CronJob name "${f.snapshotCronJobName}" ${f.snapshotCronJobName.length} characters, above the API server's limit of ${MAX_CRON_JOB_NAME}`, `use a name of at most ${MAX_CRON_JOB_NAME - (f.snapshotCronJobName.length - f.name.length)} characters`]
    : undefined),
  (f) => {
    if (f.namespace === undefined) return undefined;
    const fqdn = `${f.name}-${f.replicas - 1}.${f.name}-peer.${f.namespace}.svc.${f.clusterDomain}`;
    return fqdn.length > 253
      ? ['name', f.name, `makes the member DNS name "${fqdn}" ${fqdn.length} characters, above the DNS limit of 253`, 'use a shorter name, namespace or clusterDomain']
      : undefined;
  },
  (f) => (!Number.isInteger(f.replicas) || f.replicas < 1 || f.replicas > MAX_MEMBERS || f.replicas % 2 === 0
    ? ['replicas', f.replicas, `must be odd and between 1 and ${MAX_MEMBERS}, so a majority survives the same number of failures`, 'use 3 or 5']
    : undefined),
  (f) => (f.production && f.replicas === 1
    ? ['replicas', f.replicas, 'cannot lose a single member, and production is true', 'use 3 or 5 in production']
    : undefined),
  (f) => (f.production && f.tls === undefined
    ? ['tls', undefined, 'must be set when production is true: without it the peer and client ports speak plain http, unauthenticated, to anything that gets past the NetworkPolicy', 'pass tls: ConsensusTls.certManager(), or opt out explicitly with tls: ConsensusTls.disabled(\'<why plain http is acceptable>\')']
    : undefined),
  (f) => {
    for (const [prop, port] of [['clientPort', f.clientPort], ['peerPort', f.peerPort], ['metricsPort', f.metricsPort]] as const) {
      if (!isPort(port)) return [prop, port, 'must be a whole number between 1 and 65535', 'use a valid TCP port'];
    }
    return undefined;
  },
  (f) => (f.clientPort === f.peerPort
    ? ['peerPort', f.peerPort, 'equals clientPort; clients and members need separate ports so the NetworkPolicy can tell them apart', 'use 2380 for peers and 2379 for clients']
    : undefined),
  (f) => (f.metricsPort === f.clientPort || f.metricsPort === f.peerPort
    ? ['metricsPort', f.metricsPort, 'equals clientPort or peerPort; probes and metrics need their own port', 'use 2381']
    : undefined),
  (f) => (!Number.isInteger(ms(f.heartbeatInterval)) || ms(f.heartbeatInterval) < 1
    ? ['heartbeatInterval in ms', ms(f.heartbeatInterval), 'must be a positive whole number of milliseconds', 'use e.g. Duration.seconds(1)']
    : undefined),
  (f) => (!Number.isInteger(ms(f.electionTimeout)) || ms(f.electionTimeout) < 5 * ms(f.heartbeatInterval)
    ? ['electionTimeout in ms', ms(f.electionTimeout), `must be a whole number of at least 5 heartbeat intervals (5 × ${ms(f.heartbeatInterval)} = ${5 * ms(f.heartbeatInterval)}), or followers start elections whenever a few heartbeats are late`, `use at least Duration.millis(${5 * ms(f.heartbeatInterval)})`]
    : undefined),
  (f) => {
    const kib = f.storage.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (Number.isNaN(kib)) return ['storage', f.storage.asString(), 'is not a valid quantity', 'use e.g. Size.gibibytes(10)'];
    return kib <= 0 ? ['storage', f.storage.asString(), 'must be more than zero: every member keeps its log and snapshots on it', 'use e.g. Size.gibibytes(10)'] : undefined;
  },
  (f) => {
    if (f.minAvailable === undefined) return undefined;
    const quorum = quorumOf(f.replicas);
    if (!Number.isInteger(f.minAvailable) || f.minAvailable < quorum) {
      return ['minAvailable', f.minAvailable, `would let voluntary disruptions (drains, evictions) take the cluster below its quorum of ${quorum} of ${f.replicas}`, `use at least ${quorum}, or leave it unset`];
    }
    return f.minAvailable > f.replicas ? ['minAvailable', f.minAvailable, `exceeds replicas (${f.replicas}), so no eviction could ever succeed`, `use ${quorum}`] : undefined;
  },
  (f) => {
    for (const [prop, image] of Object.entries(f.images)) {
      const error = imageError(image);
      if (error) return [prop, image, error, IMAGE_FIX];
    }
    return undefined;
  },
];

const IMAGE_FIX = 'pin a version tag or a digest, e.g. "quay.io/coreos/etcd:v3.5.21"';

/** What the engine rules look at, once the engine is bound to the set. */
export interface EngineFacts {
  /** The engine's own first broken rule, if any. */
  readonly broken?: readonly [string, unknown, string, string];
  readonly appName: string;
  /** The bucket, when snapshots are asked for. */
  readonly snapshotBucket?: string;
  readonly hasSnapshotCommand: boolean;
  readonly memoryLimit?: Size;
  /** The membership hook's image, when the hook runs. */
  readonly membershipImage?: string;
}

const ENGINE_RULES: readonly RuleOf<EngineFacts>[] = [
  (f) => f.broken,
  (f) => (f.snapshotBucket !== undefined && !f.hasSnapshotCommand
    ? ['snapshots', f.snapshotBucket, `needs a snapshot command, and the ${f.appName} engine has none`, 'set snapshotCommand in ConsensusEngine.generic({...})']
    : undefined),
  (f) => (!f.memoryLimit
    ? ['resources.memory.limit', undefined, 'is required: an unbounded member can starve its node', 'set e.g. memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) }']
    : undefined),
  (f) => {
    const error = f.membershipImage === undefined ? undefined : imageError(f.membershipImage);
    return error ? ['engine toolsImage', f.membershipImage, error, IMAGE_FIX] : undefined;
  },
];

/** Throws the first rule the bound engine breaks (its own checks, snapshots, memory limit, tool image). */
export function validateEngine(id: string, facts: EngineFacts): void {
  checkRules(CONSENSUS, id, ENGINE_RULES, facts);
}

/** Throws the first rule a ConsensusStatefulSet's props break, in the house message form. */
export function validateConsensus(id: string, facts: ConsensusFacts): void {
  checkRules(CONSENSUS, id, RULES, facts);
}

/** What the certificate lifetime rules look at: a lifetime (named by its prop) and its renewal. */
export interface TlsDurationFacts {
  /** The lifetime's prop name (`duration` of the CA, `certificateDuration` of the others). */
  readonly durationProp: string;
  readonly duration: Duration;
  readonly renewBefore: Duration;
}

/** cert-manager refuses certificates that live less than an hour. */
const MIN_CERTIFICATE_MS = 3_600_000;

/** The certificate lifetime rules (ConsensusTls and ConsensusCertificateAuthority options). */
export const TLS_RULES: readonly RuleOf<TlsDurationFacts>[] = [
  (f) => (!Number.isInteger(ms(f.duration)) || ms(f.duration) < MIN_CERTIFICATE_MS
    ? [f.durationProp, f.duration.toHumanString(), 'must be a whole number of milliseconds and at least one hour (cert-manager\'s minimum)', 'use e.g. Duration.days(90)']
    : undefined),
  (f) => (!Number.isInteger(ms(f.renewBefore)) || ms(f.renewBefore) <= 0 || ms(f.renewBefore) >= ms(f.duration)
    ? ['renewBefore', f.renewBefore.toHumanString(), `must be more than zero and less than ${f.durationProp} (${f.duration.toHumanString()}), or the certificate is renewed all the time or never`, `use about a third of ${f.durationProp}, e.g. Duration.days(30) for 90 days`]
    : undefined),
];
