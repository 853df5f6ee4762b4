/**
 * `fleetcraft plan --env NAME [--json]`: an offline preview. Runs the real Pulumi program (`stacks/pulumi.ts`) under
 * Pulumi's mock runtime — no CLI, no plugin, no credentials, no cloud call — and prints every resource it registers
 * with its type, name, parent and key inputs, and the count per region. Cloud-computed values (ARNs, endpoints,
 * the account id: the environment's `awsAccountId`) are stand-ins; secret values print as `[secret]`.
 *
 * Configuration: the stack's own file `Pulumi.<env>.yaml` in the current folder when there is one, with every
 * `secure:` value replaced by a placeholder marked secret; otherwise the program's defaults.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { accountIdsOf, isSecretEnvelope, MockConfig, PLAN_ACCOUNT_ID, PlannedResource, ProgramRun, runUnderMocks } from './mock-runtime';
import { EnvironmentSpec } from '../environments';
import { EXAMPLE_ACCOUNT_ID } from '../environments/common';
import { platformProgram } from './pulumi-program';
import { messageOf, Output } from './command';

/** What a secret input prints as. */
export const SECRET_PLACEHOLDER = '[secret]';

/**
 * The stack configuration a first run needs and a fresh stack file lacks, with documentation values (TEST-NET
 * ranges, the bundled environments' example account): the plan fills in each key the stack file does not set, and says which.
 */
export const PLAN_EXAMPLE_CONFIG = {
  'fleetcraft:publicAccessCidrs': ['203.0.113.0/24'],
  'fleetcraft:adminPrincipals': [`arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:role/platform-admin`],
  'fleetcraft:ciPrincipals': [`arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:role/fleetcraft-ci`],
} as const satisfies Readonly<Record<string, unknown>>;

/** `config` with {@link PLAN_EXAMPLE_CONFIG} for every key it does not set; `examples` names the keys filled in. */
export function withExamples(config: MockConfig): { config: MockConfig; examples: string[] } {
  const values = config.values ?? {};
  const examples = Object.keys(PLAN_EXAMPLE_CONFIG).filter((k) => !(k in values));
  return { config: { ...config, values: { ...Object.fromEntries(examples.map((k) => [k, PLAN_EXAMPLE_CONFIG[k as keyof typeof PLAN_EXAMPLE_CONFIG]])), ...values } }, examples };
}

/** A copy of `value` with every secret envelope replaced by {@link SECRET_PLACEHOLDER}. */
export function redactSecrets(value: unknown): unknown {
  if (isSecretEnvelope(value)) return SECRET_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}

/**
 * Runs the Pulumi program as stack `stack` under the mock runtime and records every resource. Rejects with the
 * program's error (e.g. an unknown stack name). `environments`: the bundled ones unless given.
 */
export function runProgram(stack: string, config: MockConfig = {}, environments?: readonly EnvironmentSpec[]): Promise<ProgramRun> {
  return runUnderMocks(stack, config, platformProgram(environments));
}

/** The inputs worth showing per type (dotted paths); other types show none. */
const KEY_INPUTS: Record<string, readonly string[]> = {
  'pulumi:providers:aws': ['region', 'allowedAccountIds'],
  'pulumi:providers:kubernetes': ['clusterIdentifier'],
  'aws:ec2/vpc:Vpc': ['cidrBlock'],
  'aws:ec2/subnet:Subnet': ['availabilityZone', 'cidrBlock'],
  'aws:eks/cluster:Cluster': ['name', 'version', 'vpcConfig.endpointPublicAccess', 'vpcConfig.publicAccessCidrs', 'encryptionConfig.resources'],
  'aws:eks/nodeGroup:NodeGroup': ['nodeGroupName', 'instanceTypes', 'scalingConfig', 'taints'],
  'aws:eks/addon:Addon': ['addonName', 'addonVersion'],
  'aws:eks/accessEntry:AccessEntry': ['principalArn'],
  'aws:eks/accessPolicyAssociation:AccessPolicyAssociation': ['policyArn', 'accessScope'],
  'aws:ec2/launchTemplate:LaunchTemplate': ['metadataOptions.httpTokens', 'metadataOptions.httpPutResponseHopLimit', 'blockDeviceMappings'],
  'kubernetes:helm.sh/v4:Chart': ['chart', 'version', 'repositoryOpts.repo'],
  'aws:iam/role:Role': ['name'],
  'aws:acm/certificate:Certificate': ['domainName', 'validationMethod'],
  'aws:kms/alias:Alias': ['name'],
  'aws:s3/bucket:Bucket': ['bucket'],
  'aws:s3/bucketVersioning:BucketVersioning': ['versioningConfiguration.status'],
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': ['rules'],
  'aws:s3/bucketReplicationConfig:BucketReplicationConfig': ['rules'],
  'aws:secretsmanager/secret:Secret': ['name'],
  'aws:secretsmanager/secretVersion:SecretVersion': ['secretString'],
};

function at(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((acc, k) => (acc as Record<string, unknown> | undefined)?.[k], obj);
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The one-line summary of a resource's key inputs. */
export function keyInputs(r: PlannedResource): string {
  if (r.type === 'kubernetes:yaml/v2:ConfigGroup') {
    const objs = (r.inputs.objs as Array<{ kind?: string; metadata?: { name?: string; namespace?: string } }> | undefined) ?? [];
    return `${objs.length} object(s): ${objs.map((o) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`).join(', ')}`;
  }
  const redacted = redactSecrets(r.inputs);
  return (KEY_INPUTS[r.type] ?? [])
    .map((p) => [p, at(redacted, p)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([p, v]) => `${p}=${show(v)}`)
    .join(' ');
}

/** The resource options worth reading in a plan: `protect`, `retainOnDelete`, `dependsOn` (names), when set. */
export function optionsOf(r: PlannedResource): string {
  const parts = [
    ...(r.protect ? ['protect'] : []),
    ...(r.retainOnDelete ? ['retainOnDelete'] : []),
    ...(r.dependsOn.length > 0 ? [`dependsOn: ${r.dependsOn.map((d) => d.split('::').pop()).join(', ')}`] : []),
  ];
  return parts.length > 0 ? `{${parts.join('; ')}}` : '';
}

/** Who applies what: Pulumi's Kubernetes resources, then what Argo CD syncs per cluster (from the stack outputs). */
export function ownershipLines(run: ProgramRun): string[] {
  const pulumiOwned = run.resources.filter((r) => r.type.startsWith('kubernetes:'));
  const lines = ['Kubernetes objects, by owner:', `  Pulumi (bootstrap, ${pulumiOwned.length}):`];
  for (const r of pulumiOwned) {
    const objs = r.type === 'kubernetes:yaml/v2:ConfigGroup' ? `: ${keyInputs(r)}` : r.type === 'kubernetes:helm.sh/v4:Chart' ? `: ${String(r.inputs.chart)} ${String(r.inputs.version)}` : '';
    lines.push(`    ${r.type} ${r.name}${objs}`);
  }
  const owns = (run.outputs.argoCdOwns ?? {}) as Record<string, Record<string, number>>;
  lines.push('  Argo CD (synced from the GitOps repository; Pulumi applies none of these):');
  for (const [cluster, components] of Object.entries(owns)) {
    lines.push(`    ${cluster}: ${Object.entries(components).map(([c, n]) => `${c} (${n})`).join(', ')}`);
  }
  return lines;
}

/** Resource counts per region (`global` for the stack-level ones). */
export function countsByRegion(resources: readonly PlannedResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.region ?? 'global'] = (counts[r.region ?? 'global'] ?? 0) + 1;
  return counts;
}

/** The resource tree as text lines. */
export function treeLines(resources: readonly PlannedResource[]): string[] {
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const r of resources) {
    const parent = r.parent === undefined ? undefined : `${r.parentType}::${r.parent}`;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, indent: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const inputs = keyInputs(r);
      const options = optionsOf(r);
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${r.type} ${r.name}${inputs ? `  ${inputs}` : ''}${options ? `  ${options}` : ''}`);
      walk(`${r.type}::${r.name}`, `${indent}${last ? '   ' : '│  '}`);
    });
  };
  walk(undefined, '');
  return lines;
}

/** Reads a stack file's config for a mock run: `secure:` values become placeholders marked secret. */
export function stackFileConfig(file: string): MockConfig {
  const doc = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    let secret = false;
    const replace = (v: unknown): unknown => {
      if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && 'secure' in v) {
        secret = true;
        return `plan-placeholder-for-${key}`;
      }
      if (Array.isArray(v)) return v.map(replace);
      if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
      return v;
    };
    values[key] = replace(value);
    if (secret) secretKeys.push(key);
  }
  return { values, secretKeys };
}

/**
 * Plans one environment (a valid name of `environments`, the bundled ones unless given) and prints the tree, or the
 * JSON report; returns the exit code.
 */
export async function planEnvironment(env: string, json: boolean, out: Output, environments?: readonly EnvironmentSpec[]): Promise<number> {
  const values = { env, json };
  const started = Date.now();
  const file = path.resolve(`Pulumi.${values.env}.yaml`);
  const { config, examples } = withExamples(fs.existsSync(file) ? stackFileConfig(file) : {});
  let run: ProgramRun;
  try {
    run = await runProgram(values.env, config, environments);
  } catch (e) {
    out.error(`fleetcraft plan: ${messageOf(e)}`);
    return 1;
  }
  const counts = countsByRegion(run.resources);
  if (values.json) {
    out.log(JSON.stringify({
      stack: run.stack,
      resources: run.resources.map((r) => ({ ...r, inputs: redactSecrets(r.inputs) })),
      countsByRegion: counts,
      argoCdOwns: run.outputs.argoCdOwns,
      total: run.resources.length,
    }, null, 2));
    return 0;
  }
  const accounts = [...new Set(run.resources.filter((r) => r.type === 'pulumi:providers:aws').flatMap((r) => accountIdsOf(r.inputs.allowedAccountIds) ?? []))];
  out.log(`plan for stack ${run.stack} (offline: Pulumi mock runtime, stand-in ARNs, account ${accounts.length === 1 ? String(accounts[0]) : PLAN_ACCOUNT_ID}; ` +
    `config: ${fs.existsSync(file) ? `${path.basename(file)}, secure values as placeholders` : 'program defaults'}` +
    `${examples.length > 0 ? `; example values for ${examples.join(', ')}` : ''})`);
  for (const line of treeLines(run.resources)) out.log(line);
  out.log('');
  for (const line of ownershipLines(run)) out.log(line);
  out.log('');
  out.log('resources per region:');
  for (const [region, n] of Object.entries(counts)) out.log(`  ${region.padEnd(16)} ${n}`);
  const objects = run.resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup')
    .reduce((n, r) => n + ((r.inputs.objs as unknown[] | undefined)?.length ?? 0), 0);
  out.log(`total: ${run.resources.length} resources (${objects} Kubernetes objects inside ConfigGroups) in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}
