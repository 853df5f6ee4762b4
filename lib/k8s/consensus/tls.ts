import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Certificate, CertificateIssuerRef, CertificateUsage, Issuer } from '../resources/cert-manager';
import { CONSENSUS_TLS, TLS_RULES } from './rules';
import { propError } from '../../private/errors';
import { DURATION, guardProps, PropShape, shape } from '../../private/prop-guard';
import { checkRules } from '../../private/rules';
import { goDuration } from '../../private/quantities';

/** Where every consensus pod mounts its key pair Secret (`tls.crt`, `tls.key`, `ca.crt`), read-only. */
export const CONSENSUS_TLS_MOUNT_PATH = '/etc/consensus/tls';

/** The files of a cert-manager Secret as a pod sees them under {@link CONSENSUS_TLS_MOUNT_PATH}. */
export interface ConsensusTlsFiles {
  /** The certificate (`tls.crt`). */
  readonly certFile: string;
  /** Its private key (`tls.key`). */
  readonly keyFile: string;
  /** The CA certificate that signed it, and that the peer must be signed by (`ca.crt`). */
  readonly caFile: string;
}

/** The files under {@link CONSENSUS_TLS_MOUNT_PATH}. */
export const CONSENSUS_TLS_FILES: ConsensusTlsFiles = {
  certFile: `${CONSENSUS_TLS_MOUNT_PATH}/tls.crt`,
  keyFile: `${CONSENSUS_TLS_MOUNT_PATH}/tls.key`,
  caFile: `${CONSENSUS_TLS_MOUNT_PATH}/ca.crt`,
};

/** A Kubernetes object name (a DNS subdomain), such as a ClusterIssuer's. */
const OBJECT_NAME = shape.string({
  maxLength: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  patternRule: 'must be an object name (lower-case letters, digits, "-" and ".")',
});

/**
 * The read-only mount of a key pair Secret at {@link CONSENSUS_TLS_MOUNT_PATH}, as a volume named `tls`: the whole
 * Secret (a `subPath` mount would never see a renewed certificate), files readable by the pod's group only (the
 * restricted pods run with `fsGroup`, which owns them).
 */
export function tlsMount(scope: Construct, id: string, secretName: string): kplus.VolumeMount {
  const ns = new Construct(scope, id);
  const secret = kplus.Secret.fromSecretName(ns, 'Secret', secretName);
  return { path: CONSENSUS_TLS_MOUNT_PATH, volume: kplus.Volume.fromSecret(ns, 'Volume', secret, { name: 'tls', defaultMode: 0o440 }), readOnly: true };
}

/**
 * etcd's TLS settings for a member: the key pair as serving and peer certificate, the CA every client and peer must
 * be signed by, client-certificate authentication on both ports, and the CN every peer must carry.
 * @see https://etcd.io/docs/v3.5/op-guide/configuration/#security
 */
export function etcdMemberTlsEnv(files: ConsensusTlsFiles, peerCommonName: string): Record<string, string> {
  return {
    ETCD_CERT_FILE: files.certFile,
    ETCD_KEY_FILE: files.keyFile,
    ETCD_TRUSTED_CA_FILE: files.caFile,
    ETCD_CLIENT_CERT_AUTH: 'true',
    ETCD_PEER_CERT_FILE: files.certFile,
    ETCD_PEER_KEY_FILE: files.keyFile,
    ETCD_PEER_TRUSTED_CA_FILE: files.caFile,
    ETCD_PEER_CLIENT_CERT_AUTH: 'true',
    ETCD_PEER_CERT_ALLOWED_CN: peerCommonName,
  };
}

/** `etcdctl`'s client certificate settings, as environment variables. */
export function etcdctlTlsEnv(files: ConsensusTlsFiles): Record<string, string> {
  return { ETCDCTL_CACERT: files.caFile, ETCDCTL_CERT: files.certFile, ETCDCTL_KEY: files.keyFile };
}

/** `etcdctl`'s client certificate settings, as flags. */
export function etcdctlTlsFlags(files: ConsensusTlsFiles): string[] {
  return [`--cacert=${files.caFile}`, `--cert=${files.certFile}`, `--key=${files.keyFile}`];
}

/** Options for {@link ConsensusCertificateAuthority.selfSigned}. */
export interface SelfSignedCaOptions {
  /**
   * Lifetime of the CA certificate.
   * @default Duration.days(3650)
   */
  readonly duration?: Duration;
  /**
   * How long before the CA certificate expires cert-manager renews it (with the same key). Every member must restart
   * once within this window (any rolling update does), because etcd reads its trusted CA file only at start.
   * @default Duration.days(365)
   */
  readonly renewBefore?: Duration;
}

/** `SelfSignedCaOptions`. */
const SELF_SIGNED_SHAPES = {
  duration: DURATION,
  renewBefore: DURATION,
} satisfies { readonly [K in keyof Required<SelfSignedCaOptions>]: PropShape };

/**
 * Where a consensus cluster's certificates come from.
 * - {@link selfSigned} (the default): a CA of the cluster's own, in its namespace: a self-signed `Issuer`
 *   (`<name>-selfsigned`) issues the CA `Certificate` `<name>-ca`, whose Secret `<name>-ca` (the CA key pair; it never
 *   leaves the namespace) backs the CA `Issuer` `<name>-ca`, which issues the member and client certificates. Only
 *   Certificates of that namespace can use it, so only clients in the members' namespace can mount a client
 *   certificate.
 * - {@link clusterIssuer}: an existing cert-manager `ClusterIssuer` (e.g. one per cluster, backed by a CA whose
 *   Secret lives in cert-manager's cluster resource namespace). Clients in other namespaces then get their client
 *   certificate in their own namespace ({@link ConsensusStatefulSet.allowClient}); but anyone allowed to create
 *   Certificates in any namespace can obtain one, so the NetworkPolicy is what keeps them off the client port.
 * @see https://cert-manager.io/docs/configuration/ca/
 */
export class ConsensusCertificateAuthority {
  /** A CA of the cluster's own, created by cert-manager in the members' namespace. */
  public static selfSigned(options: SelfSignedCaOptions = {}): ConsensusCertificateAuthority {
    guardProps(CONSENSUS_TLS, 'selfSigned', options, SELF_SIGNED_SHAPES, true);
    const duration = options.duration ?? Duration.days(3650);
    const renewBefore = options.renewBefore ?? Duration.days(365);
    checkRules(CONSENSUS_TLS, 'selfSigned', TLS_RULES, { durationProp: 'duration', duration, renewBefore });
    return new ConsensusCertificateAuthority('selfSigned', { duration, renewBefore });
  }

  /** An existing cert-manager ClusterIssuer, by name. */
  public static clusterIssuer(name: string): ConsensusCertificateAuthority {
    guardProps(CONSENSUS_TLS, 'clusterIssuer', { name }, { name: shape.required(OBJECT_NAME) });
    return new ConsensusCertificateAuthority('clusterIssuer', undefined, name);
  }

  private constructor(
    /** `selfSigned` or `clusterIssuer`. */
    public readonly kind: 'selfSigned' | 'clusterIssuer',
    /** The CA certificate's lifetime and renewal (self-signed only). */
    public readonly ca?: { readonly duration: Duration; readonly renewBefore: Duration },
    /** The ClusterIssuer's name (clusterIssuer only). */
    public readonly clusterIssuerName?: string,
  ) {}
}

/** Options for {@link ConsensusTls.certManager}. */
export interface ConsensusTlsOptions {
  /**
   * Where the certificates come from.
   * @default ConsensusCertificateAuthority.selfSigned()
   */
  readonly authority?: ConsensusCertificateAuthority;
  /**
   * Lifetime of the member and client certificates.
   * @default Duration.days(90)
   */
  readonly certificateDuration?: Duration;
  /**
   * How long before a member or client certificate expires cert-manager renews it (into the same Secret, with a new
   * key).
   * @default Duration.days(30)
   */
  readonly renewBefore?: Duration;
}

/** `ConsensusTlsOptions`. */
const TLS_OPTION_SHAPES = {
  authority: shape.value('ConsensusCertificateAuthority', ['kind'], 'ConsensusCertificateAuthority.selfSigned()'),
  certificateDuration: DURATION,
  renewBefore: DURATION,
} satisfies { readonly [K in keyof Required<ConsensusTlsOptions>]: PropShape };

/**
 * How a ConsensusStatefulSet's members talk to each other and to clients.
 *
 * {@link certManager}: peer and client traffic over TLS with certificates from cert-manager, and client-certificate
 * authentication on both ports (etcd: `--client-cert-auth`, `--trusted-ca-file`, `--peer-client-cert-auth`,
 * `--peer-trusted-ca-file`, and `--peer-cert-allowed-cn` so that only member certificates are accepted on the peer
 * port). The metrics port stays plain HTTP (`/health`, `/metrics`) for probes and Prometheus. Certificates:
 * - `<name>-member` (Secret `<name>-member-tls`): every member's serving and peer certificate, for server and client
 *   auth, covering every member's stable DNS names (`<name>-<i>.<name>-peer`, `….<namespace>.svc`,
 *   `….<namespace>.svc.<clusterDomain>`) up to the most members a set may have (11, so scaling never waits for a new
 *   certificate), the client Service's names, `localhost` and `127.0.0.1` (the pre-backup hook and the join step
 *   run inside the member and use it as their client certificate);
 * - `<name>-operations` (Secret `<name>-operations-tls`): client auth for the membership Job and the snapshot CronJob;
 * - `<name>-client` (Secret `<name>-client-tls`): the shared client identity for allowed clients (the API), see
 *   {@link ConsensusStatefulSet.clientCertificateSecretName}.
 * Every Secret holds `tls.crt`, `tls.key` and `ca.crt`; pods mount it whole (never with `subPath`, whose files the
 * kubelet never updates).
 *
 * Rotation, without restarting members: cert-manager renews each certificate `renewBefore` its expiry into the same
 * Secret with a new key; the kubelet swaps the mounted files atomically (key and certificate together) within its
 * sync period; etcd (since v3.2, so 3.4 and 3.5) reads its key pair from the files at every new TLS handshake, on the
 * client and the peer port, as server and as peer client, so new connections use the new certificate and open ones
 * keep the old until they close (it is still valid). What etcd does **not** reload is the trusted CA file
 * (`--trusted-ca-file`, `--peer-trusted-ca-file`): read once at start (etcd-io/etcd#11555, open). So the CA
 * certificate is renewed with the same key (`rotationPolicy: Never`): etcd's loaded CA still verifies certificates
 * signed after the renewal, and each member picks up the new CA certificate at its next restart, which must come
 * before the old one expires (`renewBefore` of the CA, a year by default). Replacing the CA key itself needs a
 * rolling restart with both CAs trusted, by hand.
 *
 * {@link disabled}: plain http, with the reason on record; production refuses no `tls` at all, so opting out there
 * is explicit.
 * @see https://etcd.io/docs/v3.5/op-guide/security/
 * @see https://cert-manager.io/docs/usage/certificate/
 */
export class ConsensusTls {
  /** TLS with client-certificate authentication, certificates from cert-manager. */
  public static certManager(options: ConsensusTlsOptions = {}): ConsensusTls {
    guardProps(CONSENSUS_TLS, 'certManager', options, TLS_OPTION_SHAPES, true);
    const certificateDuration = options.certificateDuration ?? Duration.days(90);
    const renewBefore = options.renewBefore ?? Duration.days(30);
    checkRules(CONSENSUS_TLS, 'certManager', TLS_RULES, { durationProp: 'certificateDuration', duration: certificateDuration, renewBefore });
    return new ConsensusTls('certManager', undefined, {
      authority: options.authority ?? ConsensusCertificateAuthority.selfSigned(), certificateDuration, renewBefore,
    });
  }

  /** Plain http on the peer and client ports; `reason` says why (it is kept on the construct, for review). */
  public static disabled(reason: string): ConsensusTls {
    guardProps(CONSENSUS_TLS, 'disabled', { reason }, { reason: shape.required(shape.string({ maxLength: 1024 })) });
    if (reason.trim() === '') {
      throw propError(CONSENSUS_TLS, 'disabled', 'reason', reason, 'must say why plain http is acceptable', 'e.g. ConsensusTls.disabled(\'a service mesh encrypts pod traffic\')');
    }
    return new ConsensusTls('disabled', reason);
  }

  private constructor(
    /** `certManager` (TLS) or `disabled` (plain http). */
    public readonly mode: 'certManager' | 'disabled',
    /** Why TLS is disabled. */
    public readonly reason?: string,
    /** The resolved options (certManager only). */
    public readonly options?: { readonly authority: ConsensusCertificateAuthority; readonly certificateDuration: Duration; readonly renewBefore: Duration },
  ) {}
}

/** The CN of the member certificate, which the members require of every peer (`--peer-cert-allowed-cn`). */
export function memberCommonName(name: string): string {
  return `${name}-member`;
}

/**
 * Every name the member certificate covers: each possible member's stable DNS name (`<name>-<i>.<peer-service>`
 * and, with a namespace, `….<namespace>.svc` and `….<namespace>.svc.<clusterDomain>`) for ordinals 0 to `maxMembers`
 * − 1, so scaling never waits for a new certificate; the client Service's names (`<name>`, `<name>.<namespace>`,
 * `….svc`, `….svc.<clusterDomain>`); and `localhost`.
 */
export function memberDnsNames(o: { name: string; peerServiceName: string; namespace?: string; clusterDomain: string; maxMembers: number }): string[] {
  const svc = o.namespace ? `${o.namespace}.svc` : undefined;
  const member = (i: number) => {
    const host = `${o.name}-${i}.${o.peerServiceName}`;
    return svc ? [host, `${host}.${svc}`, `${host}.${svc}.${o.clusterDomain}`] : [host];
  };
  const client = o.namespace && svc ? [o.name, `${o.name}.${o.namespace}`, `${o.name}.${svc}`, `${o.name}.${svc}.${o.clusterDomain}`] : [o.name];
  return [...Array.from({ length: o.maxMembers }, (_, i) => member(i)).flat(), ...client, 'localhost'];
}

/** What {@link consensusCertificates} needs. */
export interface ConsensusCertificatesProps {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly options: NonNullable<ConsensusTls['options']>;
  /** Every DNS name of the members and the client Service the member certificate must cover. */
  readonly memberDnsNames: readonly string[];
}

/** The certificate objects of a TLS consensus cluster. */
export interface ConsensusCertificates {
  /** The CA Issuer (self-signed authority only). */
  readonly issuer?: Issuer;
  /** The Secret of the CA key pair (self-signed authority only). */
  readonly caSecretName?: string;
  readonly member: Certificate;
  readonly operations: Certificate;
  readonly client: Certificate;
  /** Every Secret name, by role. */
  readonly secretNames: { readonly member: string; readonly operations: string; readonly client: string };
}

const LEAF_KEY = { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' } as const;

/**
 * The issuers and certificates of a TLS consensus cluster: with the self-signed authority, the self-signed Issuer,
 * the CA Certificate and the CA Issuer; then the member, operations and shared client certificates.
 */
export function consensusCertificates(scope: Construct, props: ConsensusCertificatesProps): {
  readonly certificates: ConsensusCertificates;
  /** Issues the shared client identity (the same names and issuer) into another namespace, as a child of `scope`. */
  readonly issueClient: (scope: Construct, id: string, namespace: string) => Certificate;
} {
  const { name, namespace, labels, options } = props;
  const meta = (n: string) => ({ name: n, namespace, labels: { ...labels } });
  const authority = options.authority;
  let issuerRef: CertificateIssuerRef;
  let issuer: Issuer | undefined;
  let caSecretName: string | undefined;
  if (authority.kind === 'selfSigned' && authority.ca) {
    caSecretName = `${name}-ca`;
    new Issuer(scope, 'SelfSignedIssuer', { metadata: meta(`${name}-selfsigned`), spec: { selfSigned: {} } });
    new Certificate(scope, 'CaCertificate', {
      metadata: meta(`${name}-ca`),
      spec: {
        secretName: caSecretName,
        issuerRef: { name: `${name}-selfsigned`, kind: 'Issuer', group: 'cert-manager.io' },
        commonName: `${name}-ca`,
        isCA: true,
        usages: ['cert sign', 'crl sign', 'digital signature'],
        duration: goDuration(authority.ca.duration),
        renewBefore: goDuration(authority.ca.renewBefore),
        // The same key across renewals: etcd reads its trusted CA only at start, and keeps verifying new certificates
        // with the CA certificate it loaded, which a renewed CA certificate with the same key and name still matches.
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' },
        secretTemplate: { labels: { ...labels } },
      },
    });
    issuer = new Issuer(scope, 'CaIssuer', { metadata: meta(`${name}-ca`), spec: { ca: { secretName: caSecretName } } });
    issuerRef = { name: `${name}-ca`, kind: 'Issuer', group: 'cert-manager.io' };
  } else {
    issuerRef = { name: authority.clusterIssuerName ?? '', kind: 'ClusterIssuer', group: 'cert-manager.io' };
  }
  const leaf = (o: { scope: Construct; id: string; role: string; namespace?: string; usages: CertificateUsage[]; dnsNames?: string[]; ipAddresses?: string[] }) =>
    new Certificate(o.scope, o.id, {
      metadata: { name: `${name}-${o.role}`, namespace: o.namespace, labels: { ...labels } },
      spec: {
        secretName: `${name}-${o.role}-tls`,
        issuerRef,
        commonName: o.role === 'member' ? memberCommonName(name) : `${name}-${o.role}`,
        ...(o.dnsNames ? { dnsNames: o.dnsNames } : {}),
        ...(o.ipAddresses ? { ipAddresses: o.ipAddresses } : {}),
        usages: o.usages,
        duration: goDuration(options.certificateDuration),
        renewBefore: goDuration(options.renewBefore),
        privateKey: LEAF_KEY,
        secretTemplate: { labels: { ...labels } },
      },
    });
  const clientUsages: CertificateUsage[] = ['digital signature', 'client auth'];
  const member = leaf({
    scope, id: 'MemberCertificate', role: 'member', namespace, usages: ['digital signature', 'server auth', 'client auth'],
    dnsNames: [...props.memberDnsNames], ipAddresses: ['127.0.0.1'],
  });
  const operations = leaf({ scope, id: 'OperationsCertificate', role: 'operations', namespace, usages: clientUsages });
  const client = leaf({ scope, id: 'ClientCertificate', role: 'client', namespace, usages: clientUsages });
  return {
    certificates: {
      issuer, caSecretName, member, operations, client,
      secretNames: { member: `${name}-member-tls`, operations: `${name}-operations-tls`, client: `${name}-client-tls` },
    },
    issueClient: (s, id, ns) => leaf({ scope: s, id, role: 'client', namespace: ns, usages: clientUsages }),
  };
}
