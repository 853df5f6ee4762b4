/** Components and the order they must be applied in, as a dependency graph (never wave numbers typed by hand): the platform's components, and the add-ons of a cluster. */

/** A component of a cluster, the components it needs applied first, and those whose facts it reads when built. */
export interface ComponentNode {
  readonly name: string;
  /** Components Argo CD must sync first (its sync wave comes after theirs). */
  readonly dependsOn: readonly string[];
  /**
   * Components that must be built first because this one reads their constructs (the baseline reads the network
   * agent's Pod Security level). Independent of `dependsOn`: a namespace is applied before the agent in it, but
   * labelled with what the agent needs.
   * @default - none
   */
  readonly reads?: readonly string[];
}

/**
 * Argo CD sync waves from dependencies: a component's wave is one more than the highest wave among what it depends
 * on (components with no dependencies are wave 0). Throws on an unknown dependency or a cycle, naming it.
 */
export function syncWaves(components: readonly ComponentNode[]): Record<string, number> {
  const byName = new Map(components.map((c) => [c.name, c]));
  const waves: Record<string, number> = {};
  const visiting: string[] = [];
  const wave = (name: string): number => {
    if (waves[name] !== undefined) return waves[name];
    const node = byName.get(name);
    if (!node) throw new Error(`component "${visiting[visiting.length - 1]}" depends on unknown component "${name}"; known: ${[...byName.keys()].join(', ')}`);
    if (visiting.includes(name)) throw new Error(`components depend on each other in a cycle: ${[...visiting.slice(visiting.indexOf(name)), name].join(' -> ')}`);
    visiting.push(name);
    const w = node.dependsOn.length === 0 ? 0 : Math.max(...node.dependsOn.map(wave)) + 1;
    visiting.pop();
    waves[name] = w;
    return w;
  };
  for (const c of components) wave(c.name);
  return waves;
}

/**
 * The order to build components in: each after every component it `reads`, otherwise in list order. Throws on an
 * unknown component or a cycle, naming it.
 */
export function buildOrder<T extends ComponentNode>(components: readonly T[]): T[] {
  const names = new Set(components.map((c) => c.name));
  for (const c of components) {
    for (const r of c.reads ?? []) {
      if (!names.has(r)) throw new Error(`component "${c.name}" reads unknown component "${r}"; known: ${[...names].join(', ')}`);
    }
  }
  const built = new Set<string>();
  const order: T[] = [];
  while (order.length < components.length) {
    const next = components.find((c) => !built.has(c.name) && (c.reads ?? []).every((r) => built.has(r)));
    if (!next) {
      const left = components.filter((c) => !built.has(c.name)).map((c) => c.name);
      throw new Error(`components read each other in a cycle: ${left.join(', ')}`);
    }
    built.add(next.name);
    order.push(next);
  }
  return order;
}
