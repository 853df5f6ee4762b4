import type { IConstruct } from 'constructs';
import type { IScalableWorkload } from '../autoscaled-service';
import { ArgoApplicationSet } from '../resources/argocd';
import { DNS_LABEL, PropShape, shape } from '../../private/prop-guard';
import { buildMember, FederationContext } from './context';

/**
 * An Argo CD ApplicationSet with a list generator over the members: one Application per member cluster, syncing
 * that member's folder of the GitOps repository to it.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-List/
 */
export interface FederatedApplicationSetOptions {
  /** The Git repository holding the synthesized manifests (its clone URL). */
  readonly repoURL: string;
  /**
   * Each member's folder in it, with `{{member}}` standing for the member's name, e.g. `production/{{member}}/api`.
   */
  readonly path: string;
  /**
   * The Git revision to sync.
   * @default 'HEAD'
   */
  readonly targetRevision?: string;
  /**
   * The Argo CD project of the generated Applications.
   * @default 'default'
   */
  readonly project?: string;
  /**
   * Namespace of the ApplicationSet (where Argo CD runs).
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Sync automatically, with prune and self-heal; `false` leaves syncing to a person (production).
   * @default false
   */
  readonly automated?: boolean;
}

/** Options of `FederationBackend.perCluster()`. */
export interface PerClusterOptions {
  /**
   * Also emit an Argo CD ApplicationSet (list generator over the members with a share), in the `FederatedApp`'s
   * chart. Each Application targets the Argo CD cluster named like the member.
   * @default - no ApplicationSet
   */
  readonly applicationSet?: FederatedApplicationSetOptions;
}

/** A DNS-1123 subdomain (an Argo CD project is an object, named like one). */
const DNS_SUBDOMAIN = shape.string({
  maxLength: 253,
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  patternRule: 'must be a DNS-1123 subdomain (lower-case letters, digits, "-" and ".", starting and ending with a letter or digit)',
});

/** The shapes of {@link FederatedApplicationSetOptions}; `path`'s `{{member}}` is a rule of `rules.ts`. */
export const FEDERATED_APPLICATION_SET_OPTIONS_SHAPES = {
  repoURL: shape.required(shape.string({ maxLength: 2048 })),
  path: shape.required(shape.string({ maxLength: 4096 })),
  targetRevision: shape.string({ maxLength: 255 }),
  project: DNS_SUBDOMAIN,
  namespace: DNS_LABEL,
  automated: shape.boolean(),
} satisfies { readonly [K in keyof Required<FederatedApplicationSetOptions>]: PropShape };

/** The shapes of {@link PerClusterOptions}, checked by `FederationBackend.perCluster()`. */
export const PER_CLUSTER_OPTIONS_SHAPES = {
  applicationSet: shape.object(FEDERATED_APPLICATION_SET_OPTIONS_SHAPES),
} satisfies { readonly [K in keyof Required<PerClusterOptions>]: PropShape };

/** What the per-cluster backend made. */
export interface PerClusterResult<W> {
  readonly memberWorkloads: Readonly<Record<string, W>>;
  readonly applicationSet?: ArgoApplicationSet;
}

/**
 * Per-cluster rendering: one copy of the workload in each member's scope, with its share; members whose share is 0
 * get nothing. No federation control plane is needed.
 */
export function renderPerCluster<O extends object, W extends IScalableWorkload & IConstruct>(ctx: FederationContext<O, W>, options: PerClusterOptions): PerClusterResult<W> {
  const memberWorkloads: Record<string, W> = {};
  for (const m of ctx.deployed) memberWorkloads[m.name] = buildMember(ctx, m.scope!, m);
  const set = options.applicationSet;
  if (!set) return { memberWorkloads };
  const applicationSet = new ArgoApplicationSet(ctx.scope, 'ApplicationSet', {
    metadata: { name: ctx.name, namespace: set.namespace ?? 'argocd', labels: { ...ctx.labels } },
    spec: {
      generators: [{ list: { elements: ctx.deployed.map((m) => ({ member: m.name, replicas: String(m.share.replicas) })) } }],
      template: {
        metadata: { name: `${ctx.name}-{{member}}`, labels: { ...ctx.labels } },
        spec: {
          project: set.project ?? 'default',
          source: { repoURL: set.repoURL, path: set.path, targetRevision: set.targetRevision ?? 'HEAD' },
          destination: { name: '{{member}}', ...(ctx.namespace ? { namespace: ctx.namespace } : {}) },
          ...(set.automated ? { syncPolicy: { automated: { prune: true, selfHeal: true } } } : {}),
        },
      },
    },
  });
  return { memberWorkloads, applicationSet };
}
