/**
 * fleetcraft's checks as Pulumi policies: the policy rules, the API-server checks and the upstream schemas of
 * `fleetcraft validate`, over the Kubernetes resources of a Pulumi stack. The pack folder shipped in the package
 * (`policy-pack/`, for `pulumi preview --policy-pack node_modules/fleetcraft/policy-pack`) serves these policies.
 */
import type { PolicyConfigSchema, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';
import { checkObjects, checkSkipIds, ObjectProblem } from '../lib/policy/check-objects';
import { KubeObject } from '../lib/policy/objects';
import { resolveSchemas } from './schemas';

/** The name of the policy that reports fleetcraft's errors (mandatory: the preview or update fails). */
export const ERRORS_POLICY = 'fleetcraft-errors';
/** The name of the policy that reports fleetcraft's warnings (advisory: printed only). */
export const WARNINGS_POLICY = 'fleetcraft-warnings';

/** The configuration of each policy (`--policy-pack-config`, or the Pulumi Cloud policy group). */
export interface FleetcraftPolicyConfig {
  /**
   * Ids of policy rules and checks not to run (e.g. `reliability/pdb`, `schema`); `fleetcraft validate --list-rules`
   * lists them. An unknown id fails the policy with an error naming it.
   * @default - every rule and check runs
   */
  readonly skip?: readonly string[];
  /**
   * Whether to check each object against the upstream schemas, found the way `fleetcraft validate` finds them.
   * @default true
   */
  readonly schemas?: boolean;
}

const CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    skip: { type: 'array', items: { type: 'string' }, default: [], description: 'Ids of fleetcraft rules and checks not to run (fleetcraft validate --list-rules).' },
    schemas: { type: 'boolean', default: true, description: 'Whether to check each object against the upstream Kubernetes schemas.' },
  },
};

/** Pulumi type tokens of the Kubernetes provider that are not one Kubernetes object (charts, file sets, patches). */
const NOT_AN_OBJECT = /^kubernetes:(?:yaml|yaml\/v\d+|helm\.sh\/v\d+|kustomize|kustomize\/v\d+):|Patch$/;
/** `kubernetes:<group>/<version>:<Kind>`, the token of a Kubernetes object. */
const OBJECT_TOKEN = /^kubernetes:([a-z0-9.-]+)\/(v\d+(?:(?:alpha|beta)\d+)?):([A-Z][A-Za-z0-9]*)$/;

/**
 * The apiVersion and kind of a Pulumi Kubernetes resource type token: `kubernetes:apps/v1:Deployment` is `apps/v1`
 * `Deployment`, `kubernetes:core/v1:Pod` is `v1` `Pod`. Undefined for other providers' types and for the Kubernetes
 * provider's resources that are not one object (Helm releases and charts, YAML and kustomize sets, `*Patch`, `*List`).
 */
export function kubernetesKindOf(type: string): { apiVersion: string; kind: string } | undefined {
  if (NOT_AN_OBJECT.test(type)) return undefined;
  const m = OBJECT_TOKEN.exec(type);
  if (!m || m[3].endsWith('List')) return undefined;
  return { apiVersion: m[1] === 'core' ? m[2] : `${m[1]}/${m[2]}`, kind: m[3] };
}

/**
 * A plain copy of a resource's properties, read through the policy SDK's proxy: a value unknown during preview
 * throws the SDK's `UnknownValueError`, which the SDK reports as "can't run policy during preview" (the policy then
 * runs on `pulumi up`, when every value is known), rather than checking an object with holes in it.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => plain(value[i]));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = plain((value as Record<string, unknown>)[key]);
  return out;
}

/** The Kubernetes object of a Pulumi resource, from its type token and properties; undefined for any other resource. */
export function kubernetesObjectOf(resource: Pick<PolicyResource, 'type' | 'props'>): KubeObject | undefined {
  const gvk = kubernetesKindOf(resource.type);
  if (!gvk) return undefined;
  return { ...(plain(resource.props) as Record<string, unknown>), apiVersion: gvk.apiVersion, kind: gvk.kind };
}

/** Reads and checks a policy's configuration; an unknown rule id or a wrong type throws, naming it. */
export function policyConfig(raw: unknown, policy: string): { skip: readonly string[]; schemas: boolean } {
  const where = `policy ${policy} of the fleetcraft policy pack`;
  const config = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const skip = config.skip ?? [];
  if (!Array.isArray(skip)) throw new Error(`${where}: skip (${JSON.stringify(skip)}) must be a list of rule ids, e.g. ["reliability/pdb"]`);
  checkSkipIds(skip, `${where}: skip`);
  const schemas = config.schemas ?? true;
  if (typeof schemas !== 'boolean') throw new Error(`${where}: schemas (${JSON.stringify(schemas)}) must be true or false`);
  return { skip, schemas };
}

type StackProblems = (resources: readonly PolicyResource[], config: { skip: readonly string[]; schemas: boolean }) => Array<ObjectProblem & { urn: string }>;

/**
 * The problems of a stack's Kubernetes resources, each with the URN of the resource it is on. The two policies of a
 * pack each receive the same stack (as separate copies), so the checks keep their last result and run again only
 * when the objects or the configuration differ.
 */
function stackChecks(): StackProblems {
  let last: { key: string; problems: Array<ObjectProblem & { urn: string }> } | undefined;
  return (resources, config) => {
    const found: Array<{ obj: KubeObject; urn: string }> = [];
    for (const r of resources) {
      const obj = kubernetesObjectOf(r);
      if (obj) found.push({ obj, urn: r.urn });
    }
    const key = JSON.stringify([config, found]);
    if (last?.key === key) return last.problems;
    const schemas = found.length > 0 && config.schemas
      ? resolveSchemas(undefined, false, { error: (line) => process.stderr.write(`fleetcraft policy pack: ${line}\n`) }).registry
      : undefined;
    const problems = found.length === 0 ? [] : checkObjects(found.map((f) => f.obj), { skip: config.skip, schemas }).map((p) => ({ ...p, urn: found[p.objectIndex].urn }));
    last = { key, problems };
    return problems;
  };
}

/** The message of one problem as the policy reports it: `Kind namespace/name: path: message [rule]`. */
export function policyMessage(p: ObjectProblem): string {
  return `${p.object}: ${p.path === '(root)' ? '' : `${p.path}: `}${p.message} [${p.rule}]`;
}

function severityPolicy(name: string, severity: 'error' | 'warning', stackProblems: StackProblems): StackValidationPolicy {
  return {
    name,
    description: severity === 'error'
      ? 'fleetcraft errors in the stack\'s Kubernetes objects: Pod Security, reliability, integrity and security rules, API-server checks and upstream schemas.'
      : 'fleetcraft warnings in the stack\'s Kubernetes objects: what a stricter Pod Security level or a hardening rule would change.',
    enforcementLevel: severity === 'error' ? 'mandatory' : 'advisory',
    configSchema: CONFIG_SCHEMA,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const config = policyConfig(args.getConfig<FleetcraftPolicyConfig>(), name);
      for (const p of stackProblems(args.resources, config)) {
        if (p.severity === severity) reportViolation(policyMessage(p), p.urn);
      }
    },
  };
}

/**
 * The fleetcraft policies: {@link ERRORS_POLICY} (mandatory) reports every error-severity finding and
 * {@link WARNINGS_POLICY} (advisory) every warning, both over the whole stack, because many rules read several
 * objects (a Service's selector and its workloads, a PodDisruptionBudget and its target, a namespace's default-deny
 * NetworkPolicy), sharing one run of the checks. Each finding is reported on the URN of the resource it is about.
 */
export function fleetcraftPolicies(): StackValidationPolicy[] {
  const checks = stackChecks();
  return [severityPolicy(ERRORS_POLICY, 'error', checks), severityPolicy(WARNINGS_POLICY, 'warning', checks)];
}
