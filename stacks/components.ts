/** Components and the order they must be applied in, as a dependency graph (never wave numbers typed by hand). */

/** A component of a cluster and the components it needs applied first. */
export interface ComponentNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
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
