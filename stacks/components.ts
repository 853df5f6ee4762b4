/** The platform's components are ordered by the library's dependency graph: see `lib/private/dependency-graph`. */
export { buildOrder, syncWaves } from '../lib/private/dependency-graph';
export type { ComponentNode } from '../lib/private/dependency-graph';
