import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { checkConformance, formatViolation, KubeObject, PodSecurityLevel, PolicyChecks, SchemaRegistry } from '../lib';
import { bundledSchemaRegistry, loadSchemaRegistry } from '../stacks/schemas';

/** The upstream schemas beside the project; CI always has them, a user's fresh clone may not. */
export const SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'shared', 'crds');
export const HAS_SCHEMAS = fs.existsSync(SCHEMA_DIR);

let registry: SchemaRegistry | undefined;
let warned = false;

/**
 * The schema registry, loaded once per test file: the built bundle (test/policy/schema-bundle.test.ts fails when it
 * is stale against `../shared/crds`), or that folder itself before a build; undefined (with a loud warning) where
 * `../shared/crds` is absent.
 */
export function schemaRegistry(): SchemaRegistry | undefined {
  if (!HAS_SCHEMAS) {
    if (!warned) {
      warned = true;
      process.stderr.write(`\n*** SKIPPING upstream schema conformance: ${SCHEMA_DIR} not found (only API-server rules run) ***\n\n`);
    }
    return undefined;
  }
  registry ??= bundledSchemaRegistry() ?? loadSchemaRegistry(SCHEMA_DIR);
  return registry;
}

/** `describe` for suites that need the upstream schemas: skipped, loudly, where they are absent. */
export const describeWithSchemas = HAS_SCHEMAS ? describe : (name: string, fn: () => void): void => {
  process.stderr.write(`\n*** SKIPPED "${name}": ${SCHEMA_DIR} not found ***\n\n`);
  describe.skip(name, fn);
};

/** Asserts every object passes the upstream schemas and the API-server rules; failures list every violation. */
export function expectConformant(objects: readonly KubeObject[]): void {
  const violations = checkConformance(objects, schemaRegistry()).map(formatViolation);
  expect(violations).toEqual([]);
}

/** Synthesizes a chart, checks every object for conformance, and returns the objects. */
export function synth(chart: Chart): KubeObject[] {
  const objects = Testing.synth(chart) as KubeObject[];
  expectConformant(objects);
  return objects;
}

/** The one object of a kind and name; fails the test when there is none or more than one. */
/** How many objects have this kind, name and (if given) namespace: assert presence with `.toBe(1)`. */
export function countOf(objects: readonly KubeObject[], kind: string, name: string, namespace?: string): number {
  return objects.filter((o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace)).length;
}

export function findObject(objects: readonly KubeObject[], kind: string, name: string, namespace?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
  if (found.length !== 1) {
    const have = objects.map((o) => `${o.kind}/${o.metadata?.name ?? '?'}`).join(', ');
    throw new Error(`expected exactly one ${kind} named ${name}, found ${found.length}; objects: ${have}`);
  }
  return found[0];
}

/** Every object of a kind. */
export function findAll(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind);
}

/**
 * A fresh App for unit tests of one construct: the in-synth policy checks run, except what needs the
 * NamespaceBaseline a unit test leaves out (`security/default-deny`, and the namespace's Pod Security level: assumed
 * privileged). test/k8s/defaults-pass-rules.test.ts runs every rule over whole Apps.
 */
export function testApp(): App {
  const app = Testing.app();
  const checks = PolicyChecks.of(app);
  checks.skip('security/default-deny', 'a unit test builds one construct without its NamespaceBaseline');
  checks.assumePodSecurity(PodSecurityLevel.PRIVILEGED, 'a unit test builds one construct without its NamespaceBaseline');
  return app;
}

/** A fresh chart to build constructs into, in a {@link testApp}. */
export function testChart(): Chart {
  return new Chart(testApp(), 'test', { disableResourceNameHashes: true });
}

/** Reads a nested field by dotted path (`spec.template.spec`), for assertions. */
export function field(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((acc, key) => (acc as Record<string, unknown> | undefined)?.[key], obj);
}

/** Every file under a folder with its content, by path relative to it, for byte-for-byte comparisons. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const e of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else out[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
    }
  };
  walk('');
  return out;
}
