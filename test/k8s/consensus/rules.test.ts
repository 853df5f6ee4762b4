import { Duration, Size } from 'cdk8s';
import {
  CONSENSUS, ConsensusFacts, EngineFacts, imageError, MAX_CRON_JOB_NAME, MAX_MEMBERS, MAX_STATEFUL_SET_NAME, quorumOf, TLS_RULES, validateConsensus, validateEngine,
} from '../../../lib/k8s/consensus';
import { checkRules } from '../../../lib/private/rules';

const ETCD = 'quay.io/coreos/etcd:v3.5.21';
const DIGEST = `quay.io/coreos/etcd@sha256:${'a'.repeat(64)}`;

/** Facts that pass every rule; each test breaks one. */
function facts(overrides: Partial<ConsensusFacts> = {}): ConsensusFacts {
  return {
    name: 'raft',
    clusterDomain: 'cluster.local',
    replicas: 3,
    production: false,
    clientPort: 2379,
    peerPort: 2380,
    metricsPort: 2381,
    heartbeatInterval: Duration.millis(100),
    electionTimeout: Duration.millis(1000),
    storage: Size.gibibytes(10),
    images: { image: ETCD },
    ...overrides,
  };
}

const validate = (overrides: Partial<ConsensusFacts>) => () => validateConsensus('raft', facts(overrides));
const prefix = 'ConsensusStatefulSet \'raft\': ';

describe('constants', () => {
  test('limits', () => {
    expect(CONSENSUS).toBe('ConsensusStatefulSet');
    expect(MAX_MEMBERS).toBe(11);
    expect(MAX_STATEFUL_SET_NAME).toBe(52);
    expect(MAX_CRON_JOB_NAME).toBe(52);
  });
});

describe('quorumOf', () => {
  test.each([[1, 1], [2, 2], [3, 2], [4, 3], [5, 3], [7, 4], [11, 6]])('quorum of %i is %i', (replicas, quorum) => {
    expect(quorumOf(replicas)).toBe(quorum);
  });
});

describe('validateConsensus', () => {
  test('accepts the baseline facts', () => {
    expect(validate({})).not.toThrow();
  });

  test('accepts facts with a namespace, production and a snapshot CronJob', () => {
    expect(validate({ namespace: 'db', production: true, tls: 'certManager', replicas: 5, minAvailable: 3, snapshotCronJobName: 'raft-snapshot' })).not.toThrow();
  });

  describe('name is a DNS-1123 label', () => {
    test('refuses uppercase', () => {
      expect(validate({ name: 'Raft' })).toThrow(`${prefix}name ("Raft") must consist of lowercase letters, digits and '-', and start and end with a letter or digit; use a DNS-1123 label such as "raft"`);
    });

    test('refuses 64 characters with the label-length message', () => {
      const name = 'a'.repeat(64);
      expect(validate({ name })).toThrow(`${prefix}name ("${name}") must be at most 63 characters (got 64); use a DNS-1123 label such as "raft"`);
    });
  });

  describe('name fits the controller-revision-hash label', () => {
    test('accepts 52 characters', () => {
      expect(validate({ name: 'a'.repeat(52) })).not.toThrow();
    });

    test('refuses 53 characters', () => {
      const name = 'a'.repeat(53);
      expect(validate({ name })).toThrow(`${prefix}name ("${name}") must be at most 52 characters (got 53), because the StatefulSet controller appends an 11-character hash to it in each pod's controller-revision-hash label (at most 63); use a shorter name`);
    });
  });

  describe('snapshot CronJob name', () => {
    test('accepts a 52-character CronJob name', () => {
      const name = 'a'.repeat(43);
      expect(validate({ name, snapshotCronJobName: `${name}-snapshot` })).not.toThrow();
    });

    test('refuses a CronJob name above 52 characters and computes the longest name', () => {
      const name = 'a'.repeat(45);
      const cron = `${name}-snapshot`;
      expect(validate({ name, snapshotCronJobName: cron })).toThrow(
        `${prefix}name ("${name}") makes the snapshot CronJob name "${cron}" 54 characters, above the API server's limit of 52; use a name of at most 43 characters`);
    });

    test('is skipped when there is no CronJob', () => {
      expect(validate({ name: 'a'.repeat(52), snapshotCronJobName: undefined })).not.toThrow();
    });
  });

  describe('member DNS name', () => {
    const namespace = 'n'.repeat(63);
    // raft-2.raft-peer.<63>.svc.<domain>: 6 + 1 + 9 + 1 + 63 + 5 = 85 characters before the domain.
    test('accepts exactly 253 characters', () => {
      expect(validate({ namespace, clusterDomain: 'd'.repeat(168) })).not.toThrow();
    });

    test('refuses 254 characters', () => {
      const clusterDomain = 'd'.repeat(169);
      const fqdn = `raft-2.raft-peer.${namespace}.svc.${clusterDomain}`;
      expect(fqdn).toHaveLength(254);
      expect(validate({ namespace, clusterDomain })).toThrow(
        `${prefix}name ("raft") makes the member DNS name "${fqdn}" 254 characters, above the DNS limit of 253; use a shorter name, namespace or clusterDomain`);
    });

    test('is skipped without a namespace', () => {
      expect(validate({ clusterDomain: 'd'.repeat(300) })).not.toThrow();
    });
  });

  describe('replicas', () => {
    test.each([1, 3, 5, 7, 9, 11])('accepts %i', (replicas) => {
      expect(validate({ replicas })).not.toThrow();
    });

    test.each([0, -1, 2, 4, 12, 13, 2.5])('refuses %p', (replicas) => {
      expect(validate({ replicas })).toThrow(
        `${prefix}replicas (${JSON.stringify(replicas)}) must be odd and between 1 and 11, so a majority survives the same number of failures; use 3 or 5`);
    });

    test('refuses a single member in production', () => {
      expect(validate({ replicas: 1, production: true })).toThrow(`${prefix}replicas (1) cannot lose a single member, and production is true; use 3 or 5 in production`);
    });
  });

  describe('transport security', () => {
    test('refuses production without tls; accepts TLS, or an explicit opt-out', () => {
      expect(validate({ production: true })).toThrow(`${prefix}tls (undefined) must be set when production is true: without it the peer and client ports speak plain http, unauthenticated, to anything that gets past the NetworkPolicy; pass tls: ConsensusTls.certManager(), or opt out explicitly with tls: ConsensusTls.disabled('<why plain http is acceptable>')`);
      expect(validate({ production: true, tls: 'certManager' })).not.toThrow();
      expect(validate({ production: true, tls: 'disabled' })).not.toThrow();
      expect(validate({ production: false })).not.toThrow();
    });
  });

  describe('ports', () => {
    test.each([
      ['clientPort', 0],
      ['clientPort', 65536],
      ['peerPort', -1],
      ['peerPort', 2380.5],
      ['metricsPort', 70000],
    ] as const)('refuses %s %p', (prop, port) => {
      expect(validate({ [prop]: port })).toThrow(`${prefix}${prop} (${port}) must be a whole number between 1 and 65535; use a valid TCP port`);
    });

    test('accepts the extremes 1 and 65535', () => {
      expect(validate({ clientPort: 1, peerPort: 65535 })).not.toThrow();
    });

    test('checks clientPort before peerPort', () => {
      expect(validate({ clientPort: 0, peerPort: 0 })).toThrow(`${prefix}clientPort (0) must be`);
    });

    test('refuses peerPort equal to clientPort', () => {
      expect(validate({ clientPort: 2379, peerPort: 2379, metricsPort: 2381 })).toThrow(
        `${prefix}peerPort (2379) equals clientPort; clients and members need separate ports so the NetworkPolicy can tell them apart; use 2380 for peers and 2379 for clients`);
    });

    test.each([2379, 2380])('refuses metricsPort %i equal to a client or peer port', (metricsPort) => {
      expect(validate({ metricsPort })).toThrow(
        `${prefix}metricsPort (${metricsPort}) equals clientPort or peerPort; probes and metrics need their own port; use 2381`);
    });
  });

  describe('timing', () => {
    test('refuses a zero heartbeat', () => {
      expect(validate({ heartbeatInterval: Duration.millis(0) })).toThrow(
        `${prefix}heartbeatInterval in ms (0) must be a positive whole number of milliseconds; use e.g. Duration.seconds(1)`);
    });

    test('accepts an election timeout of exactly 5 heartbeats', () => {
      expect(validate({ heartbeatInterval: Duration.millis(100), electionTimeout: Duration.millis(500) })).not.toThrow();
    });

    test('refuses an election timeout under 5 heartbeats', () => {
      expect(validate({ heartbeatInterval: Duration.millis(100), electionTimeout: Duration.millis(499) })).toThrow(
        `${prefix}electionTimeout in ms (499) must be a whole number of at least 5 heartbeat intervals (5 × 100 = 500), or followers start elections whenever a few heartbeats are late; use at least Duration.millis(500)`);
    });

    test('compares across units', () => {
      expect(validate({ heartbeatInterval: Duration.seconds(1), electionTimeout: Duration.seconds(4) })).toThrow(
        `${prefix}electionTimeout in ms (4000) must be a whole number of at least 5 heartbeat intervals (5 × 1000 = 5000)`);
    });
  });

  describe('storage', () => {
    test('refuses zero', () => {
      expect(validate({ storage: Size.gibibytes(0) })).toThrow(
        `${prefix}storage ("0Gi") must be more than zero: every member keeps its log and snapshots on it; use e.g. Size.gibibytes(10)`);
    });

    test('refuses a quantity that is not a number', () => {
      expect(validate({ storage: Size.gibibytes(Number.NaN) })).toThrow(`${prefix}storage ("NaNGi") is not a valid quantity; use e.g. Size.gibibytes(10)`);
    });

    test('accepts a small positive size', () => {
      expect(validate({ storage: Size.mebibytes(1) })).not.toThrow();
    });
  });

  describe('minAvailable', () => {
    test.each([[3, 2], [3, 3], [5, 3], [5, 5], [1, 1]])('replicas %i accepts %i', (replicas, minAvailable) => {
      expect(validate({ replicas, minAvailable })).not.toThrow();
    });

    test.each([[3, 1, 2], [5, 2, 3], [3, 0, 2], [3, 2.5, 2]])('replicas %i refuses %p below quorum %i', (replicas, minAvailable, quorum) => {
      expect(validate({ replicas, minAvailable })).toThrow(
        `${prefix}minAvailable (${minAvailable}) would let voluntary disruptions (drains, evictions) take the cluster below its quorum of ${quorum} of ${replicas}; use at least ${quorum}, or leave it unset`);
    });

    test('refuses more than replicas', () => {
      expect(validate({ replicas: 3, minAvailable: 4 })).toThrow(`${prefix}minAvailable (4) exceeds replicas (3), so no eviction could ever succeed; use 2`);
    });
  });

  describe('images', () => {
    const fix = 'pin a version tag or a digest, e.g. "quay.io/coreos/etcd:v3.5.21"';

    test('accepts a tag and a digest', () => {
      expect(validate({ images: { image: ETCD, 'snapshots.uploaderImage': DIGEST } })).not.toThrow();
    });

    test('refuses an untagged image', () => {
      expect(validate({ images: { image: 'quay.io/coreos/etcd' } })).toThrow(
        `${prefix}image ("quay.io/coreos/etcd") has no tag or digest, so what runs changes under you; ${fix}`);
    });

    test('names the prop of the image at fault', () => {
      expect(validate({ images: { image: ETCD, 'snapshots.uploaderImage': 'amazon/aws-cli:latest' } })).toThrow(
        `${prefix}snapshots.uploaderImage ("amazon/aws-cli:latest") is tagged :latest, so what runs changes under you; ${fix}`);
    });
  });

  describe('order', () => {
    test('reports the first broken rule only (name before replicas)', () => {
      expect(validate({ name: 'Raft', replicas: 4 })).toThrow(`${prefix}name ("Raft")`);
    });

    test('replicas before ports', () => {
      expect(validate({ replicas: 4, clientPort: 0 })).toThrow(`${prefix}replicas (4)`);
    });

    test('uses the construct id in the message, not the name', () => {
      expect(() => validateConsensus('Cluster', facts({ replicas: 2 }))).toThrow('ConsensusStatefulSet \'Cluster\': replicas (2)');
    });
  });
});

describe('imageError', () => {
  test.each([
    ETCD, DIGEST, 'etcd:3.5', 'registry.example.com:5000/team/etcd:v3.5.21', `etcd:v3.5.21@sha256:${'b'.repeat(64)}`,
  ])('accepts %s', (image) => {
    expect(imageError(image)).toBeUndefined();
  });

  test.each(['etcd', 'quay.io/coreos/etcd', 'registry.example.com:5000/etcd', 'etcd:'])('refuses %j as unpinned', (image) => {
    expect(imageError(image)).toBe('has no tag or digest, so what runs changes under you');
  });

  test.each(['etcd:latest', 'registry.example.com:5000/etcd:latest'])('refuses %j as latest', (image) => {
    expect(imageError(image)).toBe('is tagged :latest, so what runs changes under you');
  });
});

describe('validateEngine', () => {
  const engine = (overrides: Partial<EngineFacts> = {}): EngineFacts => ({
    appName: 'etcd', hasSnapshotCommand: true, memoryLimit: Size.gibibytes(2), membershipImage: 'registry.k8s.io/etcd:3.5.21-0', ...overrides,
  });

  test('passes a bound engine with a pinned tool image, a memory limit and a snapshot command', () => {
    expect(() => validateEngine('raft', engine({ snapshotBucket: 'b' }))).not.toThrow();
  });

  test.each([
    [{ broken: ['engine quotaBackendBytes', 1, 'is wrong', 'fix it'] as const }, "ConsensusStatefulSet 'raft': engine quotaBackendBytes (1) is wrong; fix it"],
    [{ snapshotBucket: 'b', hasSnapshotCommand: false, appName: 'raft' }, 'ConsensusStatefulSet \'raft\': snapshots ("b") needs a snapshot command, and the raft engine has none; set snapshotCommand in ConsensusEngine.generic({...})'],
    [{ memoryLimit: undefined }, "ConsensusStatefulSet 'raft': resources.memory.limit (undefined) is required: an unbounded member can starve its node; set e.g. memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) }"],
    [{ membershipImage: 'amazon/aws-cli' }, 'ConsensusStatefulSet \'raft\': engine toolsImage ("amazon/aws-cli") has no tag or digest, so what runs changes under you; pin a version tag or a digest, e.g. "quay.io/coreos/etcd:v3.5.21"'],
  ])('throws the first broken rule (%#)', (overrides, message) => {
    expect(() => validateEngine('raft', engine(overrides))).toThrow(message);
  });
});

describe('TLS_RULES (certificate lifetimes)', () => {
  const check = (duration: Duration, renewBefore: Duration) => () => checkRules('ConsensusTls', 'certManager', TLS_RULES, { durationProp: 'certificateDuration', duration, renewBefore });
  const tlsPrefix = 'ConsensusTls \'certManager\': ';

  test('accepts a lifetime of at least an hour renewed before it ends', () => {
    expect(check(Duration.days(90), Duration.days(30))).not.toThrow();
    expect(check(Duration.hours(1), Duration.minutes(20))).not.toThrow();
  });

  test('refuses a lifetime under an hour', () => {
    expect(check(Duration.minutes(59), Duration.minutes(20))).toThrow(`${tlsPrefix}certificateDuration ("59 minutes") must be a whole number of milliseconds and at least one hour (cert-manager's minimum); use e.g. Duration.days(90)`);
  });

  test.each([[Duration.days(90)], [Duration.days(91)], [Duration.millis(0)]])('refuses renewBefore %p (not within the lifetime)', (renewBefore) => {
    expect(check(Duration.days(90), renewBefore)).toThrow(`${tlsPrefix}renewBefore ("${renewBefore.toHumanString()}") must be more than zero and less than certificateDuration (90 days)`);
  });
});
