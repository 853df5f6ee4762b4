import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkConformance } from './conformance';
import { formatViolation, KubeObject, Violation } from './objects';
import { PodSecurityLevel } from './pod-security-level';
import { checkRuleId, PolicyRuleId } from './rule-ids';
import { runRules } from './rules';
import { SchemaRegistry } from './schema';

const ID = 'FleetcraftPolicyChecks';
const MARK = Symbol.for('fleetcraft.PolicyChecks');

function oneLine(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '' || /[\r\n]/.test(value)) {
    throw new Error(`PolicyChecks: ${what} (${JSON.stringify(value)}) must be one non-empty line; say why, for whoever audits the app`);
  }
  return value.trim();
}

/**
 * The checks every fleetcraft construct adds to its App: when the App synthesizes (`app.synth()`,
 * `Testing.synth(chart)`, `chart.toJson()`), every object of every chart of the App goes through the API-server
 * rules (`checkConformance`; the upstream schemas too once {@link PolicyChecks.useSchemas} hands it a registry) and
 * the policy rules (`runRules`), and any error fails the synth with the lines `fleetcraft validate` prints. Warnings
 * do not fail it. One instance per App, however many constructs ask for it (a child of the App with the id
 * `FleetcraftPolicyChecks`, so cdk8s runs it as a construct validation). An App with no fleetcraft construct is
 * not checked, even after `PolicyChecks.of(app)` configured it.
 *
 * The App is one cluster's set of objects (a Service must select a workload in the same App); a namespace no
 * Namespace object in the App labels is checked as Pod Security `restricted` (`fleetcraft validate`, which reads
 * third-party manifests, assumes `baseline` unless told `--pod-security restricted`).
 *
 * @example
 * PolicyChecks.of(app).skip('reliability/spread', 'single-zone development cluster');
 * @see https://cdk8s.io/docs/latest/reference/cdk8s/typescript/#validate
 */
export class PolicyChecks extends Construct {
  /** The App's checks: created on first use, then the same instance for every construct of the App. */
  public static of(scope: IConstruct): PolicyChecks {
    const root = scope.node.root;
    const found = root.node.tryFindChild(ID) as (IConstruct & { [MARK]?: true }) | undefined;
    if (found && found[MARK]) return found as PolicyChecks;
    if (found) throw new Error(`PolicyChecks: the App already has a child "${ID}" that is not fleetcraft's checks; rename it`);
    return new PolicyChecks(root, ID);
  }

  private readonly skips = new Map<PolicyRuleId, string>();
  private registry?: SchemaRegistry;
  private disabledBecause?: string;
  private assumed?: { readonly level: PodSecurityLevel; readonly reason: string };
  private armed = false;

  private constructor(scope: IConstruct, id: string) {
    super(scope as Construct, id);
    Object.defineProperty(this, MARK, { value: true });
    this.node.addValidation({ validate: () => this.errors() });
  }

  /**
   * Skips one policy rule for every object of the App, with a reason. For one object only, use {@link skipRule}.
   * Throws on an unknown rule id (naming the known ones) or an empty reason.
   */
  public skip(ruleId: PolicyRuleId, reason: string): void {
    checkRuleId(ruleId, 'PolicyChecks.skip');
    this.skips.set(ruleId, oneLine(reason, `reason to skip ${ruleId}`));
  }

  /**
   * The Pod Security level to check pods at in namespaces no Namespace object in the App labels (created by another
   * tool, or by a NamespaceBaseline in another App), with a reason. Without it they are checked as `restricted`.
   */
  public assumePodSecurity(level: PodSecurityLevel, reason: string): void {
    if (!(Object.values(PodSecurityLevel) as unknown[]).includes(level)) {
      throw new Error(`PolicyChecks.assumePodSecurity: level (${JSON.stringify(level)}) is not a Pod Security level; use PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED`);
    }
    this.assumed = { level, reason: oneLine(reason, `reason to assume Pod Security ${level}`) };
  }

  /** The level assumed for unlabelled namespaces and why, or undefined (they are checked as `restricted`). */
  public get assumedPodSecurity(): { readonly level: PodSecurityLevel; readonly reason: string } | undefined {
    return this.assumed;
  }

  /** Also checks every object against these upstream schemas (lib/ reads no files: load them in your entry point). */
  public useSchemas(registry: SchemaRegistry): void {
    if (!(registry instanceof SchemaRegistry)) throw new Error('PolicyChecks.useSchemas: registry must be a SchemaRegistry; build one with SchemaRegistry.fromDocuments(...)');
    this.registry = registry;
  }

  /**
   * Turns the checks off for this App, with a reason: for an entry point that runs the same checks itself (the
   * platform's `fleetcraft synth` checks each cluster and reports once).
   */
  public disable(reason: string): void {
    this.disabledBecause = oneLine(reason, 'reason to disable the checks');
  }

  /** The rules skipped for the whole App, with their reasons. */
  public get skipped(): ReadonlyMap<PolicyRuleId, string> {
    return new Map(this.skips);
  }

  /** Why the checks are off, or undefined while they run. */
  public get disabledReason(): string | undefined {
    return this.disabledBecause;
  }

  /** Every violation (errors and warnings) the checks find in the App now, whether or not they are disabled. */
  public violations(): Violation[] {
    const objects: KubeObject[] = this.node.root.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c))
      .map((o) => o.toJson() as KubeObject);
    return [...checkConformance(objects, this.registry), ...runRules(objects, { skip: [...this.skips.keys()], defaultPodSecurity: this.assumed?.level })];
  }

  /** Whether a fleetcraft construct in the App has asked for the checks ({@link enablePolicyChecks}). */
  public get enabled(): boolean {
    return this.armed && this.disabledBecause === undefined;
  }

  /** @internal Called by {@link enablePolicyChecks}. */
  public _arm(): void {
    this.armed = true;
  }

  private errors(): string[] {
    if (!this.enabled) return [];
    let found: Violation[];
    try {
      found = this.violations();
    } catch {
      return []; // an object that cannot render fails the synth itself, with its own error
    }
    const errors = found.filter((v) => v.severity === 'error').map(formatViolation);
    if (errors.length === 0) return [];
    return [...errors, `${errors.length} policy error(s) above, as fleetcraft validate reports them; fix them, or skip a rule with a reason: ` +
      'PolicyChecks.of(app).skip(<rule>, <reason>) for the App, skipRule(<object>, <rule>, <reason>) for one object'];
  }
}

/**
 * Makes sure the App of `scope` runs {@link PolicyChecks} when it synthesizes (once per App). Every fleetcraft
 * construct calls it first thing.
 */
export function enablePolicyChecks(scope: IConstruct): void {
  PolicyChecks.of(scope)._arm();
}
