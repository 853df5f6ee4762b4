/**
 * fleetcraft's checks as a cdk8s CLI validation plugin: `cdk8s synth` loads it from the `validations:` of a project's
 * `cdk8s.yaml` and calls {@link FleetcraftValidation.validate} on the synthesized manifests.
 *
 * The interfaces below are the parts of cdk8s-cli's `ValidationContext` the plugin uses, written out so the package's
 * types do not depend on the CLI (a test proves the CLI's own classes fit them).
 */
import { checkObjects, checkSkipIds, ObjectProblem } from '../lib/policy/check-objects';
import { OBJECT_CHECKS } from '../lib/policy/rule-ids';
import { POLICY_RULES } from '../lib/policy/rules';
import { SKIP_RULES_ANNOTATION } from '../lib/policy/skip-rules';
import { resolveSchemas } from './schemas';

/** The properties of the plugin: the `properties:` of its entry under `validations:` in `cdk8s.yaml`. */
export interface FleetcraftValidationProps {
  /**
   * Ids of policy rules and checks not to run (e.g. `reliability/pdb`, `schema`); `fleetcraft validate --list-rules`
   * lists them. An unknown id stops the synth with an error naming it. To exempt one object instead, annotate it
   * `fleetcraft.io/skip-rules: "<rule id>: <reason>"`.
   * @default - every rule and check runs
   */
  readonly skip?: readonly string[];
  /**
   * Whether to check each object against the upstream schemas (unknown kinds and fields, wrong types), found the way
   * `fleetcraft validate` finds them; with `false` only the policy rules and the API-server checks run.
   * @default true
   */
  readonly schemas?: boolean;
}

/** A violating resource, as cdk8s-cli's `ValidationViolatingResource`. */
export interface Cdk8sViolatingResource {
  readonly resourceName: string;
  readonly locations: readonly string[];
  readonly manifestPath: string;
}

/** A violation, as cdk8s-cli's `ValidationViolation`. */
export interface Cdk8sViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: readonly Cdk8sViolatingResource[];
}

/** What the plugin reads of cdk8s-cli's `ValidationContext`. */
export interface Cdk8sValidationContext {
  /** The synthesized manifest files. */
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: Cdk8sViolation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  readonly logger: { log(message: string): void };
  /** The documents of one manifest file. */
  parseManifest(manifestPath: string): unknown[];
}

const PROPS = ['skip', 'schemas'];
const WHERE = 'fleetcraft cdk8s validation plugin';

/** What each rule and check requires, by id. */
const DOCS: ReadonlyMap<string, string> = new Map<string, string>([
  ...POLICY_RULES.map((r): [string, string] => [r.id, r.doc]),
  ...Object.entries(OBJECT_CHECKS),
]);

/**
 * The cdk8s validation plugin: the policy rules, the API-server checks and the upstream schemas of `fleetcraft
 * validate`, over the manifests `cdk8s synth` wrote. Each rule with findings is one violation of the report, each
 * finding one location (`Kind ns/name: path: message`); the synth fails (exit 2) when any finding is an error.
 *
 * @example
 * # cdk8s.yaml
 * validations:
 *   - package: ./node_modules/fleetcraft/cdk8s-plugin
 *     version: 0.1.0
 *     class: FleetcraftValidation
 *     properties:
 *       skip: [reliability/pdb]
 */
export class FleetcraftValidation {
  /** The rule ids not to run. */
  public readonly skip: readonly string[];
  /** Whether the upstream schema checks run. */
  public readonly schemas: boolean;

  /** Called by the cdk8s CLI with the entry's `properties` (`{}` when it has none). */
  public constructor(props: FleetcraftValidationProps = {}) {
    if (typeof props !== 'object' || props === null || Array.isArray(props)) {
      throw new Error(`${WHERE}: properties (${JSON.stringify(props)}) must be a mapping; write e.g. properties: { skip: [reliability/pdb], schemas: true }`);
    }
    const given = props as Record<string, unknown>;
    const unknown = Object.keys(given).filter((k) => !PROPS.includes(k));
    if (unknown.length > 0) throw new Error(`${WHERE}: unknown property ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the properties are ${PROPS.join(' and ')}`);
    const skip = given.skip ?? [];
    if (!Array.isArray(skip)) throw new Error(`${WHERE}: skip (${JSON.stringify(skip)}) must be a list of rule ids; write e.g. skip: [reliability/pdb]`);
    checkSkipIds(skip, `${WHERE}: skip`);
    const schemas = given.schemas ?? true;
    if (typeof schemas !== 'boolean') throw new Error(`${WHERE}: schemas (${JSON.stringify(schemas)}) must be true or false`);
    this.skip = [...skip];
    this.schemas = schemas;
  }

  /** Checks every synthesized manifest, reports each rule's findings, and submits failure when any is an error. */
  public validate(context: Cdk8sValidationContext): Promise<void> {
    const objects: unknown[] = [];
    const files: string[] = [];
    for (const manifest of context.manifests) {
      for (const doc of context.parseManifest(manifest)) {
        if (doc === null || doc === undefined) continue; // an empty document
        const list = doc as { kind?: unknown; items?: unknown };
        const items = typeof list.kind === 'string' && list.kind.endsWith('List') && Array.isArray(list.items) ? list.items as unknown[] : [doc];
        objects.push(...items);
        files.push(...items.map(() => manifest));
      }
    }
    const found = this.schemas ? resolveSchemas(undefined, false, { error: (line) => context.logger.log(line) }) : {};
    const problems = checkObjects(objects, { skip: this.skip, schemas: found.registry });
    for (const violation of violations(problems, files, objects)) context.report.addViolation(violation);
    const errors = problems.filter((p) => p.severity === 'error').length;
    context.report.submit(errors > 0 ? 'failure' : 'success', {
      'Objects': String(objects.length),
      'Errors': String(errors),
      'Warnings': String(problems.length - errors),
      'Schemas': found.registry ? `bundle ${found.registry.bundle.hash.slice(0, 12)} (${found.registry.kinds.length} kinds)` : 'not checked',
    });
    return Promise.resolve();
  }
}

/**
 * One violation per rule and severity, errors first; one resource per object, one location per finding. A resource is
 * named by its `metadata.name`, which the CLI maps to the construct that made it; when several objects share that
 * name the CLI cannot tell them apart, so the resource is named `Kind namespace/name` instead.
 */
export function violations(problems: readonly ObjectProblem[], files: readonly string[], objects: readonly unknown[]): Cdk8sViolation[] {
  const nameOf = (o: unknown): unknown => (o as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  const names = new Map<unknown, number>();
  for (const o of objects) names.set(nameOf(o), (names.get(nameOf(o)) ?? 0) + 1);
  const resourceName = (p: ObjectProblem): string => (p.name !== undefined && names.get(p.name) === 1 ? p.name : p.object);
  const groups = new Map<string, ObjectProblem[]>();
  for (const p of [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))) {
    const key = `${p.severity} ${p.rule}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((group) => {
    const { rule, severity } = group[0];
    const byObject = new Map<number, ObjectProblem[]>();
    for (const p of group) byObject.set(p.objectIndex, [...(byObject.get(p.objectIndex) ?? []), p]);
    return {
      ruleName: `${rule} (${severity})`,
      recommendation: DOCS.get(rule) ?? rule,
      fix: rule === 'integrity/skip-rules'
        ? `each location says what to change in the object's ${SKIP_RULES_ANNOTATION} annotation`
        : `each location says what to change; to exempt one object with a reason, annotate it ${SKIP_RULES_ANNOTATION}: "${rule}: <why>", ` +
          'or skip the rule everywhere with the plugin\'s skip property',
      violatingResources: [...byObject.values()].map((items) => ({
        resourceName: resourceName(items[0]),
        manifestPath: files[items[0].objectIndex],
        locations: items.map((p) => `${p.object}: ${p.path === '(root)' ? '' : `${p.path}: `}${p.message}`),
      })),
    };
  });
}
