/**
 * The synthesized manifests of one cluster, deployed onto it through its Kubernetes provider.
 */
import * as pulumi from '@pulumi/pulumi';
import { propError } from '../private/errors';
import { dnsLabelError } from '../private/names';
import { describeObject, KubeObject } from '../policy/objects';
import { configGroup, objectKey } from './kubernetes';

/** The objects of one component (a GitOps folder: `<env>/<cluster>/<component>/`). */
export interface ManifestGroup {
  /** The component's name (a DNS-1123 label), e.g. `baseline`. */
  readonly component: string;
  /** Its objects, exactly as `fleetcraft synth` writes them. */
  readonly objects: readonly KubeObject[];
}

/** Arguments of {@link ClusterManifests}. */
export interface ClusterManifestsArgs {
  /** The components in deployment order (the Argo CD sync-wave order); each waits for the one before. */
  readonly groups: readonly ManifestGroup[];
  /** The cluster's Kubernetes provider. */
  readonly provider: pulumi.ProviderResource;
  /**
   * What the first component waits for (the storage classes the claims name).
   * @default []
   */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * Refuses what would deploy differently from what synth writes: an object without a name (the provider would
 * invent one), the same object twice in a cluster, an empty or invalid component name.
 */
export function validateManifestGroups(name: string, groups: readonly ManifestGroup[]): void {
  const seen = new Map<string, string>();
  const components = new Set<string>();
  for (const g of groups) {
    const error = dnsLabelError(g.component);
    if (error) throw propError('ClusterManifests', name, 'groups[].component', g.component, error, 'use the GitOps folder name');
    if (components.has(g.component)) {
      throw propError('ClusterManifests', name, 'groups[].component', g.component, 'is listed twice', 'put all of a component\'s objects in one group');
    }
    components.add(g.component);
    for (const obj of g.objects) {
      if (!obj.metadata?.name) {
        throw propError('ClusterManifests', name, `groups[${g.component}] object`, describeObject(obj), 'has no metadata.name',
          'give every object a stable name (the provider would generate a random one)');
      }
      const key = objectKey(obj);
      const previous = seen.get(key);
      if (previous !== undefined) {
        throw propError('ClusterManifests', name, `groups[${g.component}] object`, describeObject(obj), `is also in component "${previous}"`,
          'emit each object from one component only');
      }
      seen.set(key, g.component);
    }
  }
}

/**
 * The manifests of one cluster (type `fleetcraft:cloud:ClusterManifests`): one `kubernetes:yaml/v2:ConfigGroup`
 * per component, named `<name>-<component>`, in order, each depending on the previous one.
 *
 * Why ConfigGroup v2 rather than one Pulumi resource per object: the provider itself orders
 * CustomResourceDefinitions and Namespaces before the objects that need them, honours
 * `config.kubernetes.io/depends-on`, knows every kind's type token and readiness rules, and takes the objects as
 * plain JSON — so the objects deployed are byte for byte the objects synth writes. The cost: the children (one per
 * object) appear only when the real provider runs (`pulumi preview`); the offline plan lists the objects inside each
 * group instead. Objects pass through untouched: no secret values belong in them (they would land in the state).
 * @see https://www.pulumi.com/registry/packages/kubernetes/api-docs/yaml/v2/configgroup/
 */
export class ClusterManifests extends pulumi.ComponentResource {
  /** The ConfigGroups, by component. */
  public readonly groups: Readonly<Record<string, pulumi.ComponentResource>>;

  constructor(name: string, args: ClusterManifestsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    validateManifestGroups(name, args.groups);
    super('fleetcraft:cloud:ClusterManifests', name, {}, opts);
    const groups: Record<string, pulumi.ComponentResource> = {};
    let previous: readonly pulumi.Resource[] = args.dependsOn ?? [];
    for (const g of args.groups) {
      if (g.objects.length === 0) continue;
      const group = configGroup(`${name}-${g.component}`, [...g.objects], { parent: this, provider: args.provider, dependsOn: [...previous] });
      groups[g.component] = group;
      previous = [group];
    }
    this.groups = groups;
    this.registerOutputs({ components: Object.keys(groups) });
  }
}
