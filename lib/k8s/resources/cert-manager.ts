import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Typed L1 classes for the cert-manager resources fleetcraft emits (cert-manager.io/v1: Issuer, ClusterIssuer,
 * Certificate), covering the fields it uses. Field names are the CRDs' own; checked against the cert-manager v1.21
 * CRDs in tests. Private keys never appear in manifests: cert-manager generates them in the cluster and writes each
 * Certificate's key pair, with its issuer's CA certificate, into the Secret `spec.secretName` (`tls.crt`, `tls.key`,
 * `ca.crt`), renewing it in place.
 * @see https://cert-manager.io/docs/reference/api-docs/
 */

const API_VERSION = 'cert-manager.io/v1';

/**
 * What an Issuer or ClusterIssuer signs with: itself (`selfSigned`, for a root CA) or a CA key pair held in a Secret
 * (`ca`: in the Issuer's namespace, or for a ClusterIssuer in cert-manager's cluster resource namespace).
 */
export interface IssuerSpec {
  /** Signs each certificate with its own key (the way to make a root CA certificate). */
  readonly selfSigned?: Record<string, never>;
  /** Signs with the CA key pair in the Secret `secretName` (`tls.crt`, `tls.key`). */
  readonly ca?: { readonly secretName: string };
}

/** A namespaced certificate issuer: only Certificates of its own namespace can use it. */
export class Issuer extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata; readonly spec: IssuerSpec }) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'Issuer', metadata: props.metadata, spec: props.spec });
  }
}

/** A cluster-wide certificate issuer: Certificates of every namespace can use it. */
export class ClusterIssuer extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata; readonly spec: IssuerSpec }) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'ClusterIssuer', metadata: props.metadata, spec: props.spec });
  }
}

/** What a certificate's key may be used for (the CRD's `KeyUsage` values fleetcraft uses). */
export type CertificateUsage = 'digital signature' | 'key encipherment' | 'cert sign' | 'crl sign' | 'server auth' | 'client auth';

/** The issuer a Certificate is signed by. */
export interface CertificateIssuerRef {
  readonly name: string;
  readonly kind: 'Issuer' | 'ClusterIssuer';
  readonly group?: 'cert-manager.io';
}

/** Spec of a Certificate (as far as fleetcraft sets it). */
export interface CertificateSpec {
  /** The Secret cert-manager writes the key pair into (`tls.crt`, `tls.key`, `ca.crt`). */
  readonly secretName: string;
  readonly issuerRef: CertificateIssuerRef;
  /** At most 64 characters. */
  readonly commonName?: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly isCA?: boolean;
  readonly usages?: readonly CertificateUsage[];
  /** Lifetime, a Go duration such as `2160h0m0s` (at least 1 h). */
  readonly duration?: string;
  /** How long before expiry cert-manager renews it, a Go duration. */
  readonly renewBefore?: string;
  readonly privateKey?: {
    readonly algorithm?: 'RSA' | 'ECDSA' | 'Ed25519';
    readonly size?: number;
    readonly encoding?: 'PKCS1' | 'PKCS8';
    /** `Always`: a new key at each renewal; `Never`: the key is kept. */
    readonly rotationPolicy?: 'Always' | 'Never';
  };
  /** Labels and annotations cert-manager puts on the Secret. */
  readonly secretTemplate?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  /** How many CertificateRequests are kept. */
  readonly revisionHistoryLimit?: number;
}

/** A certificate cert-manager issues and renews into a Secret. */
export class Certificate extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata; readonly spec: CertificateSpec }) {
    super(scope, id, { apiVersion: API_VERSION, kind: 'Certificate', metadata: props.metadata, spec: props.spec });
  }
}
