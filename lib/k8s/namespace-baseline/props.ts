import { ApiObjectMetadata, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CPU, INT32_MAX, LABEL_VALUE, METADATA, PropShape, shape, SIZE } from '../../private/prop-guard';
import { PodSecurityLevel } from '../../policy/pod-security-level';

/** Limits on what the namespace may consume in total (a ResourceQuota). */
export interface NamespaceQuota {
  /**
   * Sum of CPU requests.
   * @default Cpu.units(32)
   */
  readonly requestsCpu?: kplus.Cpu;
  /**
   * Sum of memory requests.
   * @default Size.gibibytes(128)
   */
  readonly requestsMemory?: Size;
  /**
   * Sum of memory limits.
   * @default Size.gibibytes(256)
   */
  readonly limitsMemory?: Size;
  /**
   * Number of pods.
   * @default 300
   */
  readonly pods?: number;
  /**
   * Number of PersistentVolumeClaims.
   * @default 50
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Sum of storage requested by claims.
   * @default Size.tebibytes(2)
   */
  readonly requestsStorage?: Size;
}

/** Per-container defaults and bounds (a LimitRange) for containers that state none. */
export interface ContainerLimits {
  /**
   * CPU request given to a container that sets none.
   * @default Cpu.millis(100)
   */
  readonly defaultRequestCpu?: kplus.Cpu;
  /**
   * Memory request given to a container that sets none.
   * @default Size.mebibytes(128)
   */
  readonly defaultRequestMemory?: Size;
  /**
   * Memory limit given to a container that sets none (memory is always limited; CPU is not, by design).
   * @default Size.mebibytes(512)
   */
  readonly defaultLimitMemory?: Size;
  /**
   * Largest memory limit one container may have.
   * @default Size.gibibytes(32)
   */
  readonly maxLimitMemory?: Size;
}

/** Props for {@link NamespaceBaseline}. */
export interface NamespaceBaselineProps {
  /** The namespace's name (a DNS-1123 label). */
  readonly name: string;
  /**
   * The Pod Security level enforced, warned and audited in the namespace. Use the level its most demanding
   * workload reports (e.g. `NetworkDaemonSet.podSecurityLevel`), never more.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * The Pod Security Standards version pinned in the `*-version` labels (the cluster's minor), so a cluster
   * upgrade cannot silently change what is allowed.
   * @default 'v1.36'
   */
  readonly podSecurityVersion?: string;
  /**
   * Total resource limits for the namespace.
   * @default - the values documented on {@link NamespaceQuota}
   */
  readonly quota?: NamespaceQuota;
  /**
   * Defaults and bounds for each container.
   * @default - the values documented on {@link ContainerLimits}
   */
  readonly containerLimits?: ContainerLimits;
  /**
   * Allow every pod to reach the cluster DNS (kube-dns in kube-system, UDP and TCP 53) despite default-deny egress.
   * @default true
   */
  readonly allowDnsEgress?: boolean;
  /**
   * The `app.kubernetes.io/part-of` label on every object.
   * @default - no part-of label
   */
  readonly partOf?: string;
  /**
   * Extra labels and annotations for the Namespace object (merged; the Pod Security labels always win).
   * @default - none
   */
  readonly metadata?: ApiObjectMetadata;
}

/** The runtime shapes of {@link NamespaceBaselineProps}, checked by the shared guard before anything is read. */
export const NAMESPACE_BASELINE_PROP_SHAPES = {
  name: shape.required(shape.string({ maxLength: 253 })),
  podSecurity: shape.oneOf(PodSecurityLevel),
  podSecurityVersion: shape.string({ maxLength: 16 }),
  quota: shape.object({
    requestsCpu: CPU,
    requestsMemory: SIZE,
    limitsMemory: SIZE,
    pods: shape.integer(0, INT32_MAX),
    persistentVolumeClaims: shape.integer(0, INT32_MAX),
    requestsStorage: SIZE,
  } satisfies { readonly [K in keyof Required<NamespaceQuota>]: PropShape }),
  containerLimits: shape.object({
    defaultRequestCpu: CPU,
    defaultRequestMemory: SIZE,
    defaultLimitMemory: SIZE,
    maxLimitMemory: SIZE,
  } satisfies { readonly [K in keyof Required<ContainerLimits>]: PropShape }),
  allowDnsEgress: shape.boolean(),
  partOf: LABEL_VALUE,
  metadata: METADATA,
} satisfies { readonly [K in keyof Required<NamespaceBaselineProps>]: PropShape };
