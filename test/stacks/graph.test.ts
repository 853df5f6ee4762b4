import * as fs from 'fs';
import * as path from 'path';
import { dev, production, staging } from '../../environments';
import { main } from '../../stacks/cli';
import { environmentGraph, nodeId, renderDot, renderMermaid } from '../../stacks/graph';
import { buildEnvironment, chartObjects } from '../../stacks/platform';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) } };
}

/** The sync wave the environment's Argo CD chart gives one cluster's component. */
function syncWave(env: typeof production, cluster: string, component: string): string {
  const argo = buildEnvironment(env).find((c) => c.component === 'argocd');
  const app = chartObjects(argo!.chart).find((o) => o.kind === 'Application' && o.metadata?.name === `${env.name}-${cluster}-${component}`);
  return String(app?.metadata?.annotations?.['argocd.argoproj.io/sync-wave']);
}

/** A minimal reading of dot: statements, subgraph nesting, declared nodes and edges. */
function parseDot(text: string): { depthOk: boolean; nodes: Set<string>; edges: Array<[string, string]>; clusters: string[] } {
  let depth = 0;
  let depthOk = true;
  const nodes = new Set<string>();
  const edges: Array<[string, string]> = [];
  const clusters: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    // Braces inside quoted labels do not count.
    const bare = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    depth += (bare.match(/{/g) ?? []).length - (bare.match(/}/g) ?? []).length;
    if (depth < 0) depthOk = false;
    const sub = /^subgraph (\w+) {$/.exec(line);
    if (sub) clusters.push(sub[1]);
    const node = /^(\w+) \[label="[^"]*"\];$/.exec(line);
    if (node) nodes.add(node[1]);
    const edge = /^(\w+) -> (\w+);$/.exec(line);
    if (edge) edges.push([edge[1], edge[2]]);
  }
  return { depthOk: depthOk && depth === 0, nodes, edges, clusters };
}

describe('fleetcraft graph', () => {
  const graph = environmentGraph(production);
  const mermaid = renderMermaid(graph);
  const dot = renderDot(graph);

  test('one cluster box per region, in the environment\'s order, titled with region, weight and primary', () => {
    expect(graph.clusters.map((c) => [c.clusterName, c.title])).toEqual([
      ['prod-use1', 'us-east-1 (weight 3, primary)'], ['prod-euw1', 'eu-west-1 (weight 2)'], ['prod-apse1', 'ap-southeast-1 (weight 1)'],
    ]);
    expect(mermaid).toContain('  subgraph region__prod_use1["us-east-1 (weight 3, primary)"]\n    subgraph cluster__prod_use1["cluster prod-use1"]');
  });

  test('each component carries the sync wave of its Argo CD Application', () => {
    for (const component of ['baseline', 'consensus', 'api', 'monitoring']) {
      const wave = syncWave(production, 'prod-euw1', component);
      expect(mermaid).toContain(`      ${nodeId('prod-euw1', component)}["${component}<br/>wave ${wave}"]`);
      expect(dot).toContain(`      ${nodeId('prod-euw1', component)} [label="${component}\\nwave ${wave}"];`);
    }
  });

  test('edges follow the real dependencies: consensus needs baseline and network, api needs consensus and secrets', () => {
    for (const [from, to] of [['baseline', 'consensus'], ['network', 'consensus'], ['consensus', 'api'], ['secrets', 'api'], ['api', 'monitoring']]) {
      expect(mermaid).toContain(`  prod_apse1__${from} --> prod_apse1__${to}\n`);
      expect(dot).toContain(`  prod_apse1__${from} -> prod_apse1__${to};\n`);
    }
    expect(mermaid).not.toContain('prod_apse1__api --> prod_apse1__consensus');
  });

  test('add-ons sit in their own box, with edges from the catalogue\'s dependencies (istio-base before istiod)', () => {
    expect(mermaid).toContain('      subgraph addons__prod_use1["add-ons (Application of the addons component)"]');
    expect(mermaid).toContain('  prod_use1__addon__istio_base --> prod_use1__addon__istiod\n');
    expect(mermaid).toContain('  prod_use1__addon__istiod --> prod_use1__addon__istio_ingressgateway\n');
    expect(mermaid).toContain('  prod_use1__addon__kube_prometheus_stack --> prod_use1__addon__prometheus_adapter\n');
  });

  test('Argo CD hooks found in the objects: the consensus membership Job runs before its component', () => {
    expect(mermaid).toContain('prod_use1__consensus__hook__raft_membership["raft-membership<br/>PreSync hook of consensus"]');
    expect(mermaid).toContain('  prod_use1__consensus__hook__raft_membership --> prod_use1__consensus\n');
  });

  test('the API\'s smoke test is a PostSync hook drawn after the api component', () => {
    expect(mermaid).toContain('prod_euw1__api__hook__api_smoke_test["api-smoke-test<br/>PostSync hook of api"]');
    expect(mermaid).toContain('  prod_euw1__api --> prod_euw1__api__hook__api_smoke_test\n');
  });

  test('an environment without the mesh draws no Istio add-ons', () => {
    expect(renderMermaid(environmentGraph(staging))).not.toContain('istio');
  });

  test('dot output parses: balanced braces, a box per region and cluster, every edge endpoint declared', () => {
    const parsed = parseDot(dot);
    expect(parsed.depthOk).toBe(true);
    expect(dot.startsWith('digraph "fleetcraft-production" {\n')).toBe(true);
    expect(parsed.clusters).toEqual(expect.arrayContaining(['cluster_region__prod_use1', 'cluster__prod_use1', 'cluster_addons__prod_use1']));
    expect(parsed.edges.length).toBe(graph.edges.length);
    const undeclared = parsed.edges.flat().filter((n) => !parsed.nodes.has(n));
    expect(undeclared).toEqual([]);
  });

  test('every mermaid edge endpoint is a declared node', () => {
    const declared = new Set([...mermaid.matchAll(/^\s+(\w+)\["/gm)].map((m) => m[1]));
    const endpoints = [...mermaid.matchAll(/^ {2}(\w+) --> (\w+)$/gm)].flatMap((m) => [m[1], m[2]]);
    expect(endpoints.length).toBeGreaterThan(0);
    expect(endpoints.filter((n) => !declared.has(n))).toEqual([]);
  });

  test('the README shows production\'s graph as the command prints it (regenerate: node bin/fleetcraft.js graph --env production)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = /```mermaid\n([\s\S]*?)```/.exec(readme);
    expect(block?.[1]).toBe(mermaid);
  });

  test('the same environment prints the same text', () => {
    expect(renderMermaid(environmentGraph(production))).toBe(mermaid);
    expect(renderDot(environmentGraph(production))).toBe(dot);
  });

  describe('the command', () => {
    test('prints mermaid by default and exits 0', () => {
      const c = capture();
      expect(main(['graph', '--env', 'dev'], c.out)).toBe(0);
      expect(c.errors).toEqual([]);
      expect(c.lines).toEqual([renderMermaid(environmentGraph(dev)).trimEnd()]);
    });

    test('--format dot prints the digraph', () => {
      const c = capture();
      expect(main(['graph', '--env', 'production', '--format', 'dot'], c.out)).toBe(0);
      expect(c.lines).toEqual([dot.trimEnd()]);
    });

    test('an unknown environment is a usage error listing the valid names (exit 2)', () => {
      const c = capture();
      expect(main(['graph', '--env', 'prod'], c.out)).toBe(2);
      expect(c.errors[0]).toBe('fleetcraft graph: unknown environment "prod"; valid names: dev, staging, production');
      expect(c.errors[1]).toMatch(/^usage: fleetcraft graph --env NAME \[--format mermaid\|dot\]/);
    });

    test('a missing --env is a usage error (exit 2)', () => {
      const c = capture();
      expect(main(['graph'], c.out)).toBe(2);
      expect(c.errors[0]).toBe('fleetcraft graph: missing --env; valid names: dev, staging, production');
    });

    test('an unknown format is a usage error listing mermaid|dot (exit 2)', () => {
      const c = capture();
      expect(main(['graph', '--env', 'dev', '--format', 'svg'], c.out)).toBe(2);
      expect(c.errors[0]).toBe('fleetcraft graph: unknown format "svg"; use one of mermaid|dot');
      expect(c.lines).toEqual([]);
    });

    test('an unknown flag is a usage error (exit 2)', () => {
      const c = capture();
      expect(main(['graph', '--env', 'dev', '--colour'], c.out)).toBe(2);
      expect(c.errors[0]).toMatch(/^fleetcraft graph: Unknown option '--colour'/);
    });
  });
});
