import { Command, UsageError } from './command';
import { ENVIRONMENT_NAMES, getEnvironment } from '../environments';
import { GRAPH_FORMATS, GraphFormat, renderGraph } from './graph';

/** `fleetcraft graph`: its options, usage and runner. */
export const GRAPH_COMMAND: Command = {
  name: 'graph',
  summary: 'graph --env NAME [--format mermaid|dot]\n        draw an environment: regions, clusters, components with their sync waves and dependencies, hooks, add-ons',
  usage: `usage: fleetcraft graph --env NAME [--format mermaid|dot]
  prints the environment as a graph read from what synth builds: a box per region and cluster, each component's
  Argo CD Application with its sync wave, an arrow from each dependency to what depends on it, the Argo CD hooks
  (PreSync before their component, PostSync after it), and the cluster add-ons with their waves and dependencies.
  --env NAME: ${ENVIRONMENT_NAMES.join(', ')}
  --format: mermaid (default; paste into a \`\`\`mermaid block) or dot (Graphviz: fleetcraft graph --env NAME
  --format dot | dot -Tsvg > graph.svg). The same input prints the same text.
  exit 0: printed, 1: the environment failed to build, 2: usage error`,
  options: {
    env: { type: 'string' },
    format: { type: 'string', default: 'mermaid' },
  },
  positionals: false,
  run: (values, _positionals, out) => {
    const env = values.env as string | undefined;
    if (!env || !ENVIRONMENT_NAMES.includes(env)) {
      throw new UsageError(`${env ? `unknown environment "${env}"` : 'missing --env'}; valid names: ${ENVIRONMENT_NAMES.join(', ')}`);
    }
    const format = values.format as string;
    if (!(GRAPH_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`unknown format "${format}"; use one of ${GRAPH_FORMATS.join('|')}`);
    }
    out.log(renderGraph(getEnvironment(env), format as GraphFormat).trimEnd());
    return 0;
  },
};
