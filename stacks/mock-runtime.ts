/**
 * Pulumi's mock runtime, as `fleetcraft plan` and the Pulumi tests run programs: no CLI, no plugin, no credentials,
 * no cloud call. Every resource registered is recorded with its inputs, parent, provider and region; what the cloud
 * would compute (ARNs, endpoints, the account id) gets a stand-in; a provider function (`call`) it has no answer
 * for is an error, not an empty result.
 */
import * as pulumi from '@pulumi/pulumi';

/**
 * The account id mocked ARNs carry unless the program pins its AWS providers to one account (`allowedAccountIds`,
 * as fleetcraft's program does with the environment's `awsAccountId`): then they carry that one.
 */
export const PLAN_ACCOUNT_ID = '123456789012';

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
  /** The `protect` option (Pulumi refuses to delete it). */
  readonly protect: boolean;
  /** The `retainOnDelete` option (a delete or replace leaves the cloud resource in place). */
  readonly retainOnDelete: boolean;
  /** The resources it waits for (`dependsOn`), as `type::name`. */
  readonly dependsOn: readonly string[];
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

/** The provider name inside a provider reference (`<urn>::<id>`; the URN ends with `::<name>`). */
function providerName(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const parts = ref.split('::');
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

/**
 * A provider's `allowedAccountIds` as a list: provider inputs reach the mocks JSON-encoded (`'["111122223333"]'`).
 * Undefined when absent or unreadable.
 */
export function accountIdsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Stand-ins for what the cloud computes, by type. */
function computedState(type: string, name: string, inputs: Record<string, unknown>, region: string, a: string): Record<string, unknown> {
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
    case 'aws:ec2/eip:Eip':
      return { publicIp: `198.51.100.${[...name].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 250, 0) + 1}`, allocationId: `eipalloc-${name}` };
    case 'aws:ec2/launchTemplate:LaunchTemplate':
      return { arn: `arn:aws:ec2:${region}:${a}:launch-template/lt-${name}`, latestVersion: 1, defaultVersion: 1 };
    case 'aws:eks/cluster:Cluster': {
      const cluster = String(inputs.name ?? name);
      return {
        arn: `arn:aws:eks:${region}:${a}:cluster/${cluster}`,
        endpoint: `https://${cluster.toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(`plan CA of ${cluster}`).toString('base64') },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${cluster.toUpperCase()}` }] }],
      };
    }
    case 'aws:acm/certificate:Certificate': {
      const domain = String(inputs.domainName ?? name);
      return {
        arn: `arn:aws:acm:${region}:${a}:certificate/${name}`,
        domainValidationOptions: [{ domainName: domain, resourceRecordName: `_plan.${domain}.`, resourceRecordType: 'CNAME', resourceRecordValue: `_plan.acm-validations.aws.` }],
      };
    }
    case 'aws:route53/record:Record':
      return { fqdn: String(inputs.name ?? name).replace(/\.$/, '') };
    default:
      return type.startsWith('aws:') ? { arn: `arn:aws:${type.split(':')[1].split('/')[0]}:${region}:${a}:${name}` } : {};
  }
}

/**
 * What `getAvailabilityZones` answers: a realistic account, where the letters are not simply a, b, c (zone access
 * differs per account: this one has no us-east-1c, and us-east-1e is closed to new accounts) and zone ids differ
 * from names.
 */
function availabilityZones(region: string): Record<string, unknown> {
  const letters = region === 'us-east-1' ? ['a', 'b', 'd', 'f'] : ['a', 'b', 'c'];
  const short = region.split('-').map((p, i) => (i === 2 ? p : p[0])).join('');
  const ids = region === 'us-east-1' ? [6, 1, 4, 5] : [2, 3, 1];
  return {
    id: region, region, names: letters.map((l) => `${region}${l}`), zoneIds: letters.map((_, i) => `${short}-az${ids[i]}`),
    groupNames: letters.map(() => region), state: 'available',
  };
}

/** Default EKS add-on versions `getAddonVersion` answers (the shape EKS uses: `v<upstream>-eksbuild.<n>`). */
const ADDON_VERSIONS: Readonly<Record<string, string>> = {
  'vpc-cni': 'v1.20.4-eksbuild.1',
  'kube-proxy': 'v1.36.0-eksbuild.2',
  'coredns': 'v1.12.4-eksbuild.1',
  'aws-ebs-csi-driver': 'v1.51.1-eksbuild.1',
  'snapshot-controller': 'v8.3.0-eksbuild.1',
};

/**
 * Runs `fn` (a Pulumi program: it registers resources and returns the stack outputs) inside a stack named `stack`
 * under the mock runtime, with the plan's stand-in cloud values, and records every resource it registers.
 */
export async function runUnderMocks(stack: string, config: MockConfig, fn: () => Promise<Record<string, unknown>> | Record<string, unknown>): Promise<ProgramRun> {
  const registered = new Map<string, { inputs: Record<string, unknown>; provider?: string; custom: boolean }>();
  const order: Array<{ key: string; type: string; name: string; parentKey?: string; providerKey?: string; protect: boolean; retainOnDelete: boolean; dependsOn: string[] }> = [];
  const keyOf = new Map<pulumi.Resource, string>();
  const providerRegions = new Map<string, string>();
  let account = PLAN_ACCOUNT_ID;

  pulumi.runtime.setMocks({
    newResource: (args) => {
      const provider = providerName(args.provider);
      if (args.type === 'pulumi:providers:aws' && typeof args.inputs.region === 'string') providerRegions.set(args.name, args.inputs.region);
      const allowed = args.type === 'pulumi:providers:aws' ? accountIdsOf(args.inputs.allowedAccountIds) : undefined;
      if (Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === 'string' && /^\d{12}$/.test(allowed[0])) account = allowed[0];
      registered.set(`${args.type}::${args.name}`, { inputs: args.inputs as Record<string, unknown>, provider, custom: args.custom ?? true });
      const region = (provider && providerRegions.get(provider)) ?? 'us-east-1';
      return { id: `${args.name}-id`, state: { ...args.inputs, ...computedState(args.type, args.name, args.inputs, region, account) } };
    },
    call: (args) => {
      if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') {
        return { accountId: account, arn: `arn:aws:iam::${account}:user/plan`, userId: 'PLAN', id: account };
      }
      if (args.token === 'aws:index/getPartition:getPartition') return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
      if (args.token === 'aws:route53/getZone:getZone') {
        const zone = String(args.inputs.name ?? '').replace(/\.$/, '');
        return { name: zone, zoneId: `Z${zone.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 20)}`, privateZone: false, id: zone };
      }
      const callRegion = providerRegions.get(providerName(args.provider) ?? '') ?? 'us-east-1';
      if (args.token === 'aws:index/getAvailabilityZones:getAvailabilityZones') return availabilityZones(callRegion);
      if (args.token === 'aws:eks/getAddonVersion:getAddonVersion') {
        const addon = String(args.inputs.addonName);
        const version = ADDON_VERSIONS[addon];
        if (!version) throw Object.assign(new Error(`no EKS add-on "${addon}"`), { details: `no EKS add-on "${addon}"` });
        return { addonName: addon, kubernetesVersion: args.inputs.kubernetesVersion, mostRecent: args.inputs.mostRecent ?? false, version, region: callRegion, id: addon };
      }
      // The SDK passes a mock's error on as a gRPC failure and keeps only its `details`.
      const message = `the mock runtime has no answer for the call ${args.token}; add one to stacks/mock-runtime.ts`;
      throw Object.assign(new Error(message), { details: message });
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
        // The mock monitor never sees resource options; a stack transformation does (transforms, the newer API, do
        // not run under mocks). `dependsOn` given as an output is not resolved here.
        const deps = t.opts.dependsOn === undefined || pulumi.Output.isInstance(t.opts.dependsOn) ? []
          : Array.isArray(t.opts.dependsOn) ? t.opts.dependsOn : [t.opts.dependsOn];
        order.push({
          key, type: t.type, name: t.name,
          protect: t.opts.protect === true,
          retainOnDelete: t.opts.retainOnDelete === true,
          dependsOn: (deps as pulumi.Resource[]).map((d) => keyOf.get(d) ?? '<unregistered>'),
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
      protect: o.protect,
      retainOnDelete: o.retainOnDelete,
      dependsOn: o.dependsOn,
    };
  });
  return { stack, resources, outputs, rawOutputs };
}
