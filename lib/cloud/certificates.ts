/**
 * TLS certificates for the load balancers: ACM, validated through DNS records in the environment's Route 53 zone.
 *
 * Why ACM and not cert-manager for the Ingress: the AWS Load Balancer Controller terminates TLS on the application load
 * balancer, which only serves certificates from ACM (it cannot read a Kubernetes Secret), finds them itself by the
 * Ingress's host, and ACM renews them without anything in the cluster. A cert-manager certificate would have to be
 * copied into ACM by some other tool. cert-manager stays for what terminates TLS inside the cluster.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/cert_discovery/
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { propError } from '../private/errors';
import { dnsSubdomainError } from '../private/names';

/** Arguments of {@link DnsValidatedCertificate}. */
export interface DnsValidatedCertificateArgs {
  /** The host name the certificate is for (no wildcard), e.g. `api.us-east-1.example.com`. */
  readonly domainName: string;
  /** The Route 53 public hosted zone that serves the name's domain (the validation record goes there). */
  readonly zoneId: pulumi.Input<string>;
}

/**
 * An ACM certificate for one host name, validated by a DNS record in Route 53, and the validation Pulumi waits for
 * (type `fleetcraft:cloud:DnsValidatedCertificate`; children `<name>`, `<name>-validation-record`,
 * `<name>-validation`). Create it with the provider of the region whose load balancer uses it: ACM certificates are
 * regional.
 */
export class DnsValidatedCertificate extends pulumi.ComponentResource {
  /** The certificate. */
  public readonly certificate: aws.acm.Certificate;
  /** The certificate's ARN, once validated. */
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: DnsValidatedCertificateArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const error = dnsSubdomainError(args.domainName);
    if (error || !args.domainName.includes('.')) {
      throw propError('DnsValidatedCertificate', name, 'domainName', args.domainName, error ?? 'is not a fully qualified host name',
        'use the host the Ingress serves, e.g. "api.us-east-1.example.com"');
    }
    super('fleetcraft:cloud:DnsValidatedCertificate', name, {}, opts);
    const child = { parent: this };
    this.certificate = new aws.acm.Certificate(name, {
      domainName: args.domainName,
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      options: { certificateTransparencyLoggingPreference: 'ENABLED' },
    }, { ...child, deleteBeforeReplace: false });
    const option = this.certificate.domainValidationOptions.apply((o) => o[0]);
    const record = new aws.route53.Record(`${name}-validation-record`, {
      zoneId: args.zoneId,
      name: option.apply((o) => o.resourceRecordName),
      type: option.apply((o) => o.resourceRecordType),
      records: [option.apply((o) => o.resourceRecordValue)],
      ttl: 300,
      allowOverwrite: true,
    }, child);
    const validation = new aws.acm.CertificateValidation(`${name}-validation`, {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: [record.fqdn],
    }, child);
    this.arn = validation.certificateArn;
    this.registerOutputs({ arn: this.arn, domainName: args.domainName });
  }
}
