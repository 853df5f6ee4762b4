/**
 * `fleetcraft plan --env NAME [--json]`: an offline preview. Runs the real Pulumi program (`stacks/pulumi.ts`) under
 * Pulumi's mock runtime — no CLI, no plugin, no credentials, no cloud call — and prints every resource it registers
 * with its type, name, parent and key inputs, and the count per region. Cloud-computed values (ARNs, endpoints,
 * the account id `123456789012`) are stand-ins; secret values print as `[secret]`.
 *
 * Configuration: the stack's own file `Pulumi.<env>.yaml` in the current folder when there is one, with every
 * `secure:` value replaced by a placeholder marked secret; otherwise the program's defaults.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { ENVIRONMENT_NAMES } from '../environments';
import program from './pulumi';
import { Output } from './synth';

/** The account id every mocked ARN carries. */
export const PLAN_ACCOUNT_ID = '123456789012';

/** What a secret input prints as. */
export const SECRET_PLACEHOLDER = '[secret]';

/** One resource the program registered. */
export interface PlannedResource {
  /** Pulumi type token, e.g. `aws:eks/cluster:Cluster`. */
  readonly type: string;
  /** Pulumi resource name. */
  readonly name: string;
  /** The parent's name, undefined for children of the stack. */
  readonly parent?: string;
  /** The parent's type (a name alone is not unique: a component and its main child may share it). */
  readonly parentType?: string;
  /** True for provider-backed (custom) resources and remote components, false for local components. */
  readonly custom: boolean;
  /** The name of the provider resource it uses, if any. */
  readonly provider?: string;
  /** The region it lands in (its AWS provider's, else its parent's). */
  readonly region?: string;
  /** Its inputs as registered; secrets are kept as Pulumi's secret envelopes (see {@link redactSecrets}). */
  readonly inputs: Record<string, unknown>;
}

/** What a mock run of the program produced. */
export interface ProgramRun {
  /** The stack name the program ran as. */
  readonly stack: string;
  /** Every resource, in registration order (parents before children). */
  readonly resources: readonly PlannedResource[];
  /** The stack outputs, resolved (secrets unwrapped: use {@link ProgramRun.rawOutputs} to check secretness). */
  readonly outputs: Record<string, unknown>;
  /** The stack outputs as the program returned them (Pulumi outputs). */
  readonly rawOutputs: Record<string, unknown>;
}

/** Configuration for a mock run: `namespace:key` to value (non-strings are JSON-encoded). */
export interface MockConfig {
  readonly values?: Readonly<Record<string, unknown>>;
  /** Keys whose values are secrets. */
  readonly secretKeys?: readonly string[];
}

/** True when a registered input is a Pulumi secret envelope. */
export function isSecretEnvelope(value: unknown): boolean {
  return typeof value === 'object' && value !== null
    && (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
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

/** The provider name inside a provider reference (`<urn>::<id>`; the URN ends with `::<name>`). */
function providerName(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const parts = ref.split('::');
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

/** Stand-ins for what the cloud computes, by type. */
function computedState(type: string, name: string, inputs: Record<string, unknown>, region: string): Record<string, unknown> {
  const a = PLAN_ACCOUNT_ID;
  switch (type) {
    case 'aws:iam/role:Role': {
      const roleName = (inputs.name as string | undefined) ?? name;
      return { name: roleName, arn: `arn:aws:iam::${a}:role/${roleName}` };
    }
    case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider':
      return { arn: `arn:aws:iam::${a}:oidc-provider/${String(inputs.url ?? name).replace(/^https:\/\//, '')}` };
    case 'aws:kms/key:Key':
      return { arn: `arn:aws:kms:${region}:${a}:key/${name}`, keyId: name };
    case 'aws:s3/bucket:Bucket':
      return { arn: `arn:aws:s3:::${String(inputs.bucket ?? name)}`, bucket: inputs.bucket ?? name };
    case 'aws:secretsmanager/secret:Secret':
      return { arn: `arn:aws:secretsmanager:${region}:${a}:secret:${String(inputs.name ?? name)}-AbCdEf` };
    case 'aws:eks/cluster:Cluster': {
      const cluster = String(inputs.name ?? name);
      return {
        arn: `arn:aws:eks:${region}:${a}:cluster/${cluster}`,
        endpoint: `https://${cluster.toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`plan CA of ${cluster}`).toString('base64') },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${cluster.toUpperCase()}` }] }],
      };
    }
    default:
      return type.startsWith('aws:') ? { arn: `arn:aws:${type.split(':')[1].split('/')[0]}:${region}:${a}:${name}` } : {};
  }
}

/**
 * Runs the Pulumi program as stack `stack` under the mock runtime and records every resource. Rejects with the
 * program's error (e.g. an unknown stack name).
 */
export function runProgram(stack: string, config: MockConfig = {}): Promise<ProgramRun> {
  return runUnderMocks(stack, config, program);
}

/**
 * Runs `fn` (a Pulumi program: it registers resources and returns the stack outputs) inside a stack named `stack`
 * under the mock runtime, with the plan's stand-in cloud values, and records every resource it registers.
 */
export async function runUnderMocks(stack: string, config: MockConfig, fn: () => Promise<Record<string, unknown>> | Record<string, unknown>): Promise<ProgramRun> {
  const registered = new Map<string, { inputs: Record<string, unknown>; provider?: string; custom: boolean }>();
  const order: Array<{ key: string; type: string; name: string; parentKey?: string; providerKey?: string }> = [];
  const keyOf = new Map<pulumi.Resource, string>();
  const providerRegions = new Map<string, string>();

  pulumi.runtime.setMocks({
    newResource: (args) => {
      const provider = providerName(args.provider);
      if (args.type === 'pulumi:providers:aws' && typeof args.inputs.region === 'string') providerRegions.set(args.name, args.inputs.region);
      registered.set(`${args.type}::${args.name}`, { inputs: args.inputs as Record<string, unknown>, provider, custom: args.custom ?? true });
      const region = (provider && providerRegions.get(provider)) ?? 'us-east-1';
      return { id: `${args.name}-id`, state: { ...args.inputs, ...computedState(args.type, args.name, args.inputs, region) } };
    },
    call: (args) => {
      if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') {
        return { accountId: PLAN_ACCOUNT_ID, arn: `arn:aws:iam::${PLAN_ACCOUNT_ID}:user/plan`, userId: 'PLAN', id: PLAN_ACCOUNT_ID };
      }
      if (args.token === 'aws:index/getPartition:getPartition') return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
      return {};
    },
  }, 'fleetcraft', stack, false);
  const values = Object.fromEntries(Object.entries(config.values ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  pulumi.runtime.setAllConfig(values, [...(config.secretKeys ?? [])]);

  let rawOutputs: Record<string, unknown> = {};
  let outputs: Record<string, unknown>;
  // A program that throws inside the stack leaves rejected promises inside the Pulumi SDK that nobody awaits (the
  // Pulumi CLI's language host reports them); catch the error inside and rethrow it once the stack has finished.
  let failure: { error: unknown } | undefined;
  try {
    outputs = (await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((t) => {
        const key = `${t.type}::${t.name}`;
        if (order.some((o) => o.key === key)) {
          throw new Error(`two resources are both ${t.type} "${t.name}"; give every resource a name of its own (the plan and the Pulumi console tell them apart by type and name)`);
        }
        keyOf.set(t.resource, key);
        const provider = (t.opts as pulumi.CustomResourceOptions).provider;
        order.push({
          key, type: t.type, name: t.name,
          parentKey: t.opts.parent ? keyOf.get(t.opts.parent) : undefined,
          providerKey: provider ? keyOf.get(provider) : undefined,
        });
        return undefined;
      });
      try {
        rawOutputs = await fn();
      } catch (error) {
        failure = { error };
      }
      return rawOutputs;
    })) ?? {};
  } finally {
    await pulumi.runtime.disconnect();
  }
  if (failure) throw failure.error;

  const byKey = new Map(order.map((o) => [o.key, o]));
  const regionOf = (key: string | undefined): string | undefined => {
    if (!key) return undefined;
    const o = byKey.get(key);
    const r = registered.get(key);
    if (!o) return undefined;
    if (o.type === 'pulumi:providers:aws') return r?.inputs.region as string | undefined;
    const providerName = r?.provider ?? (o.providerKey ? byKey.get(o.providerKey)?.name : undefined);
    const viaProvider = providerName ? providerRegions.get(providerName) : undefined;
    return viaProvider ?? regionOf(o.parentKey);
  };
  const resources = order.map((o) => {
    const r = registered.get(o.key);
    return {
      type: o.type,
      name: o.name,
      parent: o.parentKey ? byKey.get(o.parentKey)?.name : undefined,
      parentType: o.parentKey ? byKey.get(o.parentKey)?.type : undefined,
      custom: r?.custom ?? false,
      provider: r?.provider,
      region: regionOf(o.key),
      inputs: r?.inputs ?? {},
    };
  });
  return { stack, resources, outputs, rawOutputs };
}

/** The inputs worth showing per type (dotted paths); other types show none. */
const KEY_INPUTS: Record<string, readonly string[]> = {
  'pulumi:providers:aws': ['region'],
  'pulumi:providers:kubernetes': ['clusterIdentifier'],
  'aws:ec2/vpc:Vpc': ['cidrBlock'],
  'aws:ec2/subnet:Subnet': ['availabilityZone', 'cidrBlock'],
  'aws:eks/cluster:Cluster': ['name', 'version', 'vpcConfig.endpointPublicAccess', 'encryptionConfig.resources'],
  'aws:eks/nodeGroup:NodeGroup': ['nodeGroupName', 'instanceTypes', 'scalingConfig', 'taints'],
  'aws:eks/addon:Addon': ['addonName'],
  'aws:iam/role:Role': ['name'],
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
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${r.type} ${r.name}${inputs ? `  ${inputs}` : ''}`);
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

/** Runs `fleetcraft plan` with `args` (after the command name); returns the exit code. */
export async function runPlan(args: string[], out: Output): Promise<number> {
  let values: { env?: string; json?: boolean };
  try {
    values = parseArgs({ args, options: { env: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true, allowPositionals: false }).values;
  } catch (e) {
    out.error(`fleetcraft plan: ${(e as Error).message}; usage: fleetcraft plan --env NAME [--json]`);
    return 2;
  }
  if (!values.env || !ENVIRONMENT_NAMES.includes(values.env)) {
    out.error(`fleetcraft plan: ${values.env ? `unknown environment "${values.env}"` : 'missing --env'}; valid names: ${ENVIRONMENT_NAMES.join(', ')}`);
    return 2;
  }
  const started = Date.now();
  const file = path.resolve(`Pulumi.${values.env}.yaml`);
  const config = fs.existsSync(file) ? stackFileConfig(file) : {};
  let run: ProgramRun;
  try {
    run = await runProgram(values.env, config);
  } catch (e) {
    out.error(`fleetcraft plan: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const counts = countsByRegion(run.resources);
  if (values.json) {
    out.log(JSON.stringify({
      stack: run.stack,
      resources: run.resources.map((r) => ({ ...r, inputs: redactSecrets(r.inputs) })),
      countsByRegion: counts,
      total: run.resources.length,
    }, null, 2));
    return 0;
  }
  out.log(`plan for stack ${run.stack} (offline: Pulumi mock runtime, stand-in ARNs, account ${PLAN_ACCOUNT_ID}; ` +
    `config: ${fs.existsSync(file) ? `${path.basename(file)}, secure values as placeholders` : 'program defaults'})`);
  for (const line of treeLines(run.resources)) out.log(line);
  out.log('');
  out.log('resources per region:');
  for (const [region, n] of Object.entries(counts)) out.log(`  ${region.padEnd(16)} ${n}`);
  const objects = run.resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup')
    .reduce((n, r) => n + ((r.inputs.objs as unknown[] | undefined)?.length ?? 0), 0);
  out.log(`total: ${run.resources.length} resources (${objects} Kubernetes objects inside ConfigGroups) in ${((Date.now() - started) / 1000).toFixed(2)} s`);
  return 0;
}
