import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { standardLabels } from '../../private/labels';
import { dnsEgress } from '../../private/network-policy';
import { PodSecurityLevel } from '../../policy/pod-security-level';
import { NAMESPACE_BASELINE, validateNamespaceBaseline } from './rules';
import { NAMESPACE_BASELINE_PROP_SHAPES, NamespaceBaselineProps } from './props';
import { guardProps } from '../../private/prop-guard';
import { enablePolicyChecks } from '../../policy/app-checks';

/** The ordering of levels, least permissive first. */
const LEVEL_ORDER = [PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED];

/** The most permissive of some levels: what a namespace holding all those workloads must allow. */
export function mostPermissiveLevel(levels: readonly PodSecurityLevel[]): PodSecurityLevel {
  return levels.reduce((a, b) => (LEVEL_ORDER.indexOf(b) > LEVEL_ORDER.indexOf(a) ? b : a), PodSecurityLevel.RESTRICTED);
}

/** The Kubernetes minor version the Pod Security labels pin by default (the version fleetcraft is tested against). */
export const DEFAULT_POD_SECURITY_VERSION = 'v1.36';


/**
 * The safe starting point for a namespace: Pod Security admission labels pinned to a version, a ResourceQuota, a
 * LimitRange, a NetworkPolicy that denies all ingress and egress, and one that allows DNS.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export class NamespaceBaseline extends Construct {
  /** The namespace's name. */
  public readonly name: string;
  /** The Pod Security level enforced. */
  public readonly podSecurity: PodSecurityLevel;
  /** The Namespace. */
  public readonly namespace: kplus.Namespace;
  /** The ResourceQuota. */
  public readonly quota: kplus.k8s.KubeResourceQuota;
  /** The LimitRange. */
  public readonly limitRange: kplus.k8s.KubeLimitRange;
  /** The default-deny NetworkPolicy (ingress and egress, every pod). */
  public readonly denyAll: kplus.k8s.KubeNetworkPolicy;
  /** The NetworkPolicy letting every pod query cluster DNS, if enabled. */
  public readonly allowDns?: kplus.k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: NamespaceBaselineProps) {
    guardProps(NAMESPACE_BASELINE, id, props, NAMESPACE_BASELINE_PROP_SHAPES);
    super(scope, id);
    enablePolicyChecks(this);
    const version = props.podSecurityVersion ?? DEFAULT_POD_SECURITY_VERSION;
    validateNamespaceBaseline(id, { name: props.name, podSecurityVersion: version });
    this.name = props.name;
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    const labels = standardLabels({ name: props.name, instance: props.name, component: 'namespace', partOf: props.partOf });
    const psa: Record<string, string> = {};
    for (const mode of ['enforce', 'warn', 'audit']) {
      psa[`pod-security.kubernetes.io/${mode}`] = this.podSecurity;
      psa[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    this.namespace = new kplus.Namespace(this, 'Resource', {
      metadata: {
        ...props.metadata,
        name: props.name,
        labels: { ...props.metadata?.labels, ...labels, ...psa },
      },
    });
    const meta = (name: string) => ({ name, namespace: props.name, labels });

    const q = props.quota ?? {};
    this.quota = new kplus.k8s.KubeResourceQuota(this, 'Quota', {
      metadata: meta(`${props.name}-quota`),
      spec: {
        hard: {
          'requests.cpu': kplus.k8s.Quantity.fromString((q.requestsCpu ?? kplus.Cpu.units(32)).amount),
          'requests.memory': kplus.k8s.Quantity.fromString((q.requestsMemory ?? Size.gibibytes(128)).asString()),
          'limits.memory': kplus.k8s.Quantity.fromString((q.limitsMemory ?? Size.gibibytes(256)).asString()),
          'pods': kplus.k8s.Quantity.fromNumber(q.pods ?? 300),
          'persistentvolumeclaims': kplus.k8s.Quantity.fromNumber(q.persistentVolumeClaims ?? 50),
          'requests.storage': kplus.k8s.Quantity.fromString((q.requestsStorage ?? Size.tebibytes(2)).asString()),
        },
      },
    });

    const l = props.containerLimits ?? {};
    this.limitRange = new kplus.k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: meta(`${props.name}-limits`),
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: {
            cpu: kplus.k8s.Quantity.fromString((l.defaultRequestCpu ?? kplus.Cpu.millis(100)).amount),
            memory: kplus.k8s.Quantity.fromString((l.defaultRequestMemory ?? Size.mebibytes(128)).asString()),
          },
          default: {
            memory: kplus.k8s.Quantity.fromString((l.defaultLimitMemory ?? Size.mebibytes(512)).asString()),
          },
          max: {
            memory: kplus.k8s.Quantity.fromString((l.maxLimitMemory ?? Size.gibibytes(32)).asString()),
          },
        }],
      },
    });

    this.denyAll = new kplus.k8s.KubeNetworkPolicy(this, 'DenyAll', {
      metadata: meta(`${props.name}-default-deny-all`),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    if (props.allowDnsEgress ?? true) {
      this.allowDns = new kplus.k8s.KubeNetworkPolicy(this, 'AllowDns', {
        metadata: meta(`${props.name}-allow-dns-egress`),
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [dnsEgress()],
        },
      });
    }
  }
}
