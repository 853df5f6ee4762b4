/**
 * The picture of an environment, read from what synth builds: its regions and clusters, each cluster's components
 * with their Argo CD sync waves (the annotations of the environment's Applications) and dependencies, their Argo CD
 * hooks, and the cluster add-ons with their own waves and dependencies. Rendered as Mermaid or Graphviz dot.
 */
import { EnvironmentSpec } from '../environments';
import { ADDONS, AddonName } from '../lib/k8s/addons/catalogue';
import { KubeObject } from '../lib/policy/objects';
import { buildEnvironment, chartObjects, COMPONENTS } from './platform';

/** The formats `fleetcraft graph` writes. */
export const GRAPH_FORMATS = ['mermaid', 'dot'] as const;
/** One of {@link GRAPH_FORMATS}. */
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';
const CLUSTER_LABEL = 'fleetcraft.io/cluster';
const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** A box of the graph: a component's Application, an add-on's Application, or a hook Job. */
export interface GraphNode {
  /** Unique in the graph; letters, digits and `_` only (valid in both formats unquoted). */
  readonly id: string;
  /** The component, add-on or hook name. */
  readonly name: string;
  /** Its second line: the sync wave, or which hook of which component. */
  readonly detail: string;
}

/** An arrow from what Argo CD syncs (or runs) first to what comes after it. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
}

/** One cluster (one per region) and what runs in it. */
export interface GraphCluster {
  readonly region: string;
  readonly clusterName: string;
  /** The region line: `us-east-1 (weight 3, primary)`. */
  readonly title: string;
  readonly id: string;
  readonly components: readonly GraphNode[];
  readonly hooks: readonly GraphNode[];
  /** The add-ons, drawn in their own box inside the cluster (they are the Applications of the `addons` component). */
  readonly addons: readonly GraphNode[];
}

/** The whole environment. */
export interface EnvironmentGraph {
  readonly environment: string;
  readonly clusters: readonly GraphCluster[];
  /** Sorted by `from`, then `to`. */
  readonly edges: readonly GraphEdge[];
}

/** A node id from its parts: anything but letters and digits becomes `_`, parts are joined by `__`. */
export function nodeId(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9]/g, '_')).join('__');
}

const wave = (o: KubeObject): number => Number(o.metadata?.annotations?.[WAVE] ?? '0');
const byWaveThenName = (a: { wave: number; name: string }, b: { wave: number; name: string }): number =>
  a.wave - b.wave || a.name.localeCompare(b.name);

/**
 * Builds the environment (as synth does) and reads the graph from its objects: the Applications of the Argo CD
 * chart give each cluster's components and waves, `COMPONENTS` their dependencies, the add-on Applications of each
 * cluster's `addons` chart the add-ons and their waves, the catalogue their dependencies, and every object with an
 * `argocd.argoproj.io/hook` annotation a hook of its component.
 */
export function environmentGraph(env: EnvironmentSpec): EnvironmentGraph {
  const charts = buildEnvironment(env);
  const argo = charts.find((c) => c.component === 'argocd' && c.cluster === undefined);
  if (!argo) throw new Error(`environment "${env.name}" built no Argo CD chart; nothing to draw`);
  const applications = chartObjects(argo.chart).filter((o) => o.kind === 'Application');
  const edges: GraphEdge[] = [];
  const clusters = env.regions.map((region): GraphCluster => {
    const cluster = region.clusterName;
    const apps = applications
      .filter((a) => a.metadata?.labels?.[CLUSTER_LABEL] === cluster)
      .map((a) => ({ name: String(a.metadata?.labels?.[COMPONENT_LABEL]), wave: wave(a) }))
      .sort(byWaveThenName);
    const present = new Set(apps.map((a) => a.name));
    const components = apps.map((a) => ({ id: nodeId(cluster, a.name), name: a.name, detail: `wave ${a.wave}` }));
    for (const a of apps) {
      for (const dep of COMPONENTS.find((c) => c.name === a.name)?.dependsOn ?? []) {
        if (present.has(dep)) edges.push({ from: nodeId(cluster, dep), to: nodeId(cluster, a.name) });
      }
    }

    const hooks: GraphNode[] = [];
    for (const c of charts.filter((ch) => ch.cluster === cluster && present.has(ch.component))) {
      for (const o of chartObjects(c.chart).filter((obj) => obj.metadata?.annotations?.[HOOK] !== undefined)) {
        const phase = String(o.metadata?.annotations?.[HOOK]);
        const name = String(o.metadata?.name);
        const id = nodeId(cluster, c.component, 'hook', name);
        hooks.push({ id, name, detail: `${phase} hook of ${c.component}` });
        // A PostSync hook runs after its component's objects are healthy; any other runs before them.
        edges.push(phase === 'PostSync' ? { from: nodeId(cluster, c.component), to: id } : { from: id, to: nodeId(cluster, c.component) });
      }
    }
    hooks.sort((a, b) => a.id.localeCompare(b.id));

    const addonChart = charts.find((ch) => ch.cluster === cluster && ch.component === 'addons');
    const addonApps = (addonChart ? chartObjects(addonChart.chart) : [])
      .filter((o) => o.kind === 'Application' && o.metadata?.labels?.[COMPONENT_LABEL] === 'addon')
      .map((o) => ({ name: String(o.metadata?.labels?.['app.kubernetes.io/name']), wave: wave(o) }))
      .sort(byWaveThenName);
    const installed = new Set(addonApps.map((a) => a.name));
    const addons = addonApps.map((a) => ({ id: nodeId(cluster, 'addon', a.name), name: a.name, detail: `wave ${a.wave}` }));
    for (const a of addonApps) {
      for (const dep of ADDONS[a.name as AddonName]?.dependsOn ?? []) {
        if (installed.has(dep)) edges.push({ from: nodeId(cluster, 'addon', dep), to: nodeId(cluster, 'addon', a.name) });
      }
    }
    const title = `${region.name} (weight ${region.weight}${region.primary ? ', primary' : ''})`;
    return { region: region.name, clusterName: cluster, title, id: nodeId(cluster), components, hooks, addons };
  });
  edges.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return { environment: env.name, clusters, edges };
}

const mermaidText = (s: string): string => s.replace(/"/g, '#quot;');
const dotText = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** The graph as a Mermaid flowchart (left to right; region boxes holding cluster boxes). */
export function renderMermaid(g: EnvironmentGraph): string {
  const lines = ['flowchart LR', `  %% fleetcraft ${g.environment}: an arrow runs from what Argo CD syncs first to what depends on it`];
  const node = (n: GraphNode, indent: string) => `${indent}${n.id}["${mermaidText(n.name)}<br/>${mermaidText(n.detail)}"]`;
  for (const c of g.clusters) {
    lines.push(`  subgraph region__${c.id}["${mermaidText(c.title)}"]`);
    lines.push(`    subgraph cluster__${c.id}["cluster ${mermaidText(c.clusterName)}"]`);
    for (const n of [...c.components, ...c.hooks]) lines.push(node(n, '      '));
    if (c.addons.length > 0) {
      lines.push(`      subgraph addons__${c.id}["add-ons (Application of the addons component)"]`);
      for (const n of c.addons) lines.push(node(n, '        '));
      lines.push('      end');
    }
    lines.push('    end', '  end');
  }
  for (const e of g.edges) lines.push(`  ${e.from} --> ${e.to}`);
  return `${lines.join('\n')}\n`;
}

/** The graph as a Graphviz digraph (`dot -Tsvg`); `cluster_` subgraphs draw the region and cluster boxes. */
export function renderDot(g: EnvironmentGraph): string {
  const lines = [
    `digraph "fleetcraft-${dotText(g.environment)}" {`,
    '  rankdir=LR;',
    '  node [shape=box, fontname="Helvetica"];',
  ];
  const node = (n: GraphNode, indent: string) => `${indent}${n.id} [label="${dotText(n.name)}\\n${dotText(n.detail)}"];`;
  for (const c of g.clusters) {
    lines.push(`  subgraph cluster_region__${c.id} {`, `    label="${dotText(c.title)}";`);
    lines.push(`    subgraph cluster__${c.id} {`, `      label="cluster ${dotText(c.clusterName)}";`);
    for (const n of [...c.components, ...c.hooks]) lines.push(node(n, '      '));
    if (c.addons.length > 0) {
      lines.push(`      subgraph cluster_addons__${c.id} {`, '        label="add-ons (Application of the addons component)";');
      for (const n of c.addons) lines.push(node(n, '        '));
      lines.push('      }');
    }
    lines.push('    }', '  }');
  }
  for (const e of g.edges) lines.push(`  ${e.from} -> ${e.to};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The environment's graph in `format`. */
export function renderGraph(env: EnvironmentSpec, format: GraphFormat): string {
  const g = environmentGraph(env);
  return format === 'dot' ? renderDot(g) : renderMermaid(g);
}
