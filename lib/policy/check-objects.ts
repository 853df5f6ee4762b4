/**
 * The checks `fleetcraft validate` runs, over Kubernetes objects already in memory: the policy rules, the API-server
 * checks, the upstream schemas (when a registry is given) and duplicate objects. The validate command, the cdk8s
 * validation plugin and the Pulumi policy pack all call {@link checkObjects}, so they report the same problems.
 */
import { stringify } from 'yaml';
import { checkConformance } from './conformance';
import { withoutNulls } from './manifest-source';
import { describeObject, KubeObject, Violation } from './objects';
import { PodSecurityLevel } from './pod-security-level';
import { SKIPPABLE_IDS } from './rule-ids';
import { POLICY_RULES, runRules } from './rules';
import { SchemaRegistry } from './schema';
import { skippedRules } from './skip-rules';
import { nearNames } from './spelling';

/** Options for {@link checkObjects}. */
export interface CheckObjectsOptions {
  /**
   * Ids of policy rules and checks not to run (any of {@link SKIPPABLE_IDS}, e.g. `security/secret-data` or
   * `schema`). An unknown id throws, naming it, so a typo cannot silently disable nothing.
   * @default - every rule and check runs
   */
  readonly skip?: readonly string[];
  /**
   * The upstream schemas (Kubernetes OpenAPI and CRDs) each object is checked against: unknown kinds and fields,
   * wrong types. The CustomResourceDefinitions among the objects extend it, so their custom resources are checked too.
   * @default - no schema checks; the policy rules and the API-server checks still run
   */
  readonly schemas?: SchemaRegistry;
  /**
   * With `schemas`, whether an object whose kind has no schema (a custom resource without its CRD) skips the schema
   * check instead of being reported as an unknown kind.
   * @default false
   */
  readonly ignoreMissingSchemas?: boolean;
  /**
   * The Pod Security level of namespaces that no Namespace object among the objects labels; what only a stricter
   * level forbids is reported as warnings.
   * @default PodSecurityLevel.BASELINE
   */
  readonly defaultPodSecurity?: PodSecurityLevel;
}

/** One problem {@link checkObjects} found, on one object. */
export interface ObjectProblem extends Violation {
  /** The object's `kind`. */
  readonly kind: string;
  /** The object's `metadata.name` (or `generateName`), when it has one. */
  readonly name?: string;
  /** The object's `metadata.namespace`, when it has one. */
  readonly namespace?: string;
  /** The position of the object in the input. */
  readonly objectIndex: number;
}

/** What {@link checkObjectsWith} found: the problems, and the kinds left without a schema check. */
export interface CheckedObjects {
  readonly problems: ObjectProblem[];
  /** `apiVersion kind` of every object that had no schema and skipped the schema check (`ignoreMissingSchemas`). */
  readonly unschemed: string[];
}

/** How a caller that read the objects from files adds what it knows about their source. */
export interface ObjectSourceHooks {
  /** Where the object at `index` is, for messages that point at another object (e.g. `manifests.yaml:12`). */
  readonly where?: (index: number) => string;
  /** The schema and API-server checks of one object; {@link checkConformance} by default. */
  readonly conformance?: (index: number, obj: KubeObject, registry: SchemaRegistry | undefined) => Violation[];
}

/** Throws unless every id is one of {@link SKIPPABLE_IDS}; the message names the id, a near spelling, and the list. */
export function checkSkipIds(skip: readonly unknown[], where: string): asserts skip is readonly string[] {
  for (const id of skip) {
    if (typeof id === 'string' && SKIPPABLE_IDS.includes(id)) continue;
    const near = typeof id === 'string' ? nearNames(id, SKIPPABLE_IDS) : [];
    throw new Error(`${where}: unknown rule ${JSON.stringify(id)}${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}; ` +
      `the valid ids are listed by \`fleetcraft validate --list-rules\`, in the README's rules table and in SKIPPABLE_IDS: ${SKIPPABLE_IDS.join(', ')}`);
  }
}

/** The object as the checks read it: a Kubernetes object (string apiVersion and kind), with null fields removed. */
function asKubeObject(value: unknown, index: number): KubeObject {
  const obj = value as Record<string, unknown> | null;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || typeof obj.apiVersion !== 'string' || obj.apiVersion === '' ||
    typeof obj.kind !== 'string' || obj.kind === '') {
    const shown = typeof obj === 'object' && obj !== null ? `an object with apiVersion ${JSON.stringify(obj.apiVersion)} and kind ${JSON.stringify(obj.kind)}` : JSON.stringify(obj) ?? String(obj);
    throw new Error(`checkObjects: objects[${index}] is ${shown}, not a Kubernetes object; pass objects with a string apiVersion and kind (parsed manifests, chart.toJson())`);
  }
  // A field set to null is unset to the API server: the checks see it absent (a wrong type is still reported).
  return withoutNulls(obj) as KubeObject;
}

function objectKey(obj: KubeObject): string | undefined {
  const name = obj.metadata?.name;
  if (name === undefined) return undefined;
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return `${group}|${obj.kind}|${obj.metadata?.namespace ?? ''}|${name}`;
}

/** An object defined twice (same group, kind, namespace and name): apply would keep only one. */
function duplicates(objects: readonly KubeObject[], where: (index: number) => string): Array<Violation & { objectIndex: number }> {
  const first = new Map<string, number>();
  const out: Array<Violation & { objectIndex: number }> = [];
  objects.forEach((obj, i) => {
    const key = objectKey(obj);
    if (key === undefined) return;
    const prior = first.get(key);
    if (prior === undefined) {
      first.set(key, i);
      return;
    }
    if (skippedRules(obj).skips.has('validate/duplicate')) return;
    out.push({
      rule: 'validate/duplicate', severity: 'error', object: describeObject(obj), path: '(root)', objectIndex: i,
      message: `is defined twice (first at ${where(prior)}); applying both to one cluster keeps only one: remove or rename one, or validate each cluster's manifests separately`,
    });
  });
  return out;
}

/** Registry for the CustomResourceDefinitions among the objects, so their custom resources can be checked too. */
function inputCrdRegistry(objects: readonly KubeObject[]): SchemaRegistry | undefined {
  const crds = objects.filter((o) => {
    const spec = o.spec as { group?: unknown; names?: { kind?: unknown }; versions?: unknown } | undefined;
    return o.kind === 'CustomResourceDefinition' && typeof spec?.group === 'string' && typeof spec.names?.kind === 'string' && Array.isArray(spec.versions);
  });
  if (crds.length === 0) return undefined;
  try {
    return SchemaRegistry.fromDocuments(crds.map((o, i) => ({ path: `input-crd-${i}.yaml`, text: stringify(o) })));
  } catch {
    return undefined; // a CRD too broken to compile is reported by its own schema check
  }
}

/**
 * {@link checkObjects} with hooks for a caller that read the objects from files (`fleetcraft validate`): where each
 * object is, and its own conformance check. Also returns the kinds that skipped the schema check.
 */
export function checkObjectsWith(objects: readonly unknown[], options: CheckObjectsOptions = {}, hooks: ObjectSourceHooks = {}): CheckedObjects {
  const skip = options.skip ?? [];
  checkSkipIds(skip, 'checkObjects: skip');
  const objs = objects.map(asKubeObject);
  const where = hooks.where ?? ((i: number) => `objects[${i}]`);
  const conformance = hooks.conformance ?? ((_: number, obj: KubeObject, registry: SchemaRegistry | undefined) => checkConformance([obj], registry));
  const found: Array<Violation & { objectIndex: number }> = duplicates(objs, where);
  const registry = options.schemas;
  const crds = registry ? inputCrdRegistry(objs) : undefined;
  const unschemed = new Set<string>();
  objs.forEach((obj, i) => {
    const inCore = registry?.has(obj.apiVersion, obj.kind) === true;
    const inInput = !inCore && crds?.has(obj.apiVersion, obj.kind) === true;
    let chosen = inInput ? crds : registry;
    if (chosen && !inCore && !inInput && options.ignoreMissingSchemas === true) {
      unschemed.add(`${obj.apiVersion} ${obj.kind}`);
      chosen = undefined;
    }
    found.push(...conformance(i, obj, chosen).map((v) => ({ ...v, objectIndex: i })));
  });
  const policySkips = skip.filter((id) => POLICY_RULES.some((r) => r.id === id));
  found.push(...runRules(objs, { skip: policySkips, defaultPodSecurity: options.defaultPodSecurity ?? PodSecurityLevel.BASELINE }));
  const problems = found
    .filter((v) => !skip.includes(v.rule))
    .map((v, order) => ({ v, order }))
    .sort((a, b) => a.v.objectIndex - b.v.objectIndex || a.order - b.order)
    .map(({ v }) => {
      const obj = objs[v.objectIndex];
      const name = obj?.metadata?.name ?? obj?.metadata?.generateName;
      const namespace = obj?.metadata?.namespace;
      return {
        rule: v.rule, severity: v.severity, object: v.object, path: v.path, message: v.message, kind: obj?.kind ?? '<no kind>',
        ...(name !== undefined ? { name } : {}), ...(namespace !== undefined ? { namespace } : {}), objectIndex: v.objectIndex,
      };
    });
  return { problems, unschemed: [...unschemed].sort() };
}

/**
 * Checks Kubernetes objects (plain objects: parsed manifests, `chart.toJson()`, a Pulumi resource's inputs) the way
 * `fleetcraft validate` does: the policy rules over the whole set (so references between objects resolve), the
 * API-server checks, the upstream schemas when `options.schemas` is given, and objects defined twice. Objects
 * exempted by their `fleetcraft.io/skip-rules` annotation, and rules in `options.skip`, report nothing.
 *
 * Returns every problem (rule id, severity, message, path, and the object's kind, name and namespace), in the order
 * of the objects. Throws on an input that is not a Kubernetes object or an unknown id in `skip`.
 *
 * @example
 * const problems = checkObjects(chart.toJson(), { skip: ['reliability/pdb'] });
 * const errors = problems.filter((p) => p.severity === 'error');
 */
export function checkObjects(objects: readonly unknown[], options: CheckObjectsOptions = {}): ObjectProblem[] {
  return checkObjectsWith(objects, options).problems;
}
