import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';
import { unknownCheckingProxy, UnknownValueError } from '@pulumi/policy';
import { parse } from 'yaml';
import {
  ERRORS_POLICY, fleetcraftPolicies, kubernetesKindOf, kubernetesObjectOf, policyConfig, WARNINGS_POLICY,
} from '../../stacks/policy-pack';
import { checkObjects } from '../../lib/policy/check-objects';
import { describeWithSchemas } from '../util';

// checkObjects itself, counted: the policies must not run the checks more often than the stack changes.
jest.mock('../../lib/policy/check-objects', () => {
  const actual = jest.requireActual<typeof import('../../lib/policy/check-objects')>('../../lib/policy/check-objects');
  return { ...actual, checkObjects: jest.fn(actual.checkObjects) };
});
import { at, Json, validSet } from '../policy/rule-cases';
import { buildOnce, ROOT } from './build-once';


/** The Pulumi type token of a Kubernetes object, as @pulumi/kubernetes writes it (`kubernetes:core/v1:Pod`). */
function tokenOf(obj: Json): string {
  const apiVersion = obj.apiVersion as string;
  return `kubernetes:${apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`}:${obj.kind as string}`;
}

/** A stack resource in the shape the policy SDK passes to `validateStack` (its `PolicyResource`). */
function resource(type: string, props: Record<string, unknown>, name: string): PolicyResource {
  return {
    type, props, name, urn: `urn:pulumi:dev::shop::${type}::${name}`,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    dependencies: [], propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  };
}

/** The stack's resources: each Kubernetes object as its @pulumi/kubernetes resource, named `kind-name`. */
function stack(objects: Json[]): PolicyResource[] {
  return objects.map((o) => resource(tokenOf(o), o, `${(o.kind as string).toLowerCase()}-${(o.metadata as Json).name as string}`));
}

function policy(name: string): StackValidationPolicy {
  const found = fleetcraftPolicies().find((p) => p.name === name);
  if (!found) throw new Error(`no policy ${name}`);
  return found;
}

/** Runs one policy's validateStack as the SDK does; returns what it reported, `urn: message` each. */
async function run(name: string, resources: PolicyResource[], config: object = {}): Promise<string[]> {
  return runPolicy(policy(name), resources, config);
}

async function runPolicy(p: StackValidationPolicy, resources: PolicyResource[], config: object): Promise<string[]> {
  const reported: string[] = [];
  const args: StackValidationArgs = {
    resources, stackTags: new Map(), getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason ?? ''}`);
    },
  };
  await p.validateStack(args, (message, urn) => reported.push(`${urn ?? '(stack)'}: ${message}`));
  return reported;
}

describe('Pulumi type tokens to Kubernetes kinds', () => {
  test.each([
    ['kubernetes:apps/v1:Deployment', { apiVersion: 'apps/v1', kind: 'Deployment' }],
    ['kubernetes:core/v1:Pod', { apiVersion: 'v1', kind: 'Pod' }],
    ['kubernetes:networking.k8s.io/v1:NetworkPolicy', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' }],
    ['kubernetes:argoproj.io/v1alpha1:Application', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' }],
  ])('%s', (token, expected) => {
    expect(kubernetesKindOf(token)).toEqual(expected);
  });

  test.each([
    'aws:s3/bucket:Bucket', 'kubernetes:helm.sh/v3:Release', 'kubernetes:helm.sh/v4:Chart', 'kubernetes:yaml/v2:ConfigGroup',
    'kubernetes:yaml:ConfigFile', 'kubernetes:kustomize/v2:Directory', 'kubernetes:apps/v1:DeploymentPatch', 'kubernetes:core/v1:PodList',
    'pulumi:providers:kubernetes', 'fleetcraft:k8s:Platform',
  ])('%s is not one Kubernetes object', (token) => {
    expect(kubernetesKindOf(token)).toBeUndefined();
  });

  test('the object takes its apiVersion and kind from the token, the rest from the properties', () => {
    expect(kubernetesObjectOf({ type: 'kubernetes:core/v1:ConfigMap', props: { metadata: { name: 'c' }, data: { a: 'b' } } }))
      .toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
  });
});

describe('the policies', () => {
  test('errors are mandatory and warnings advisory, each with its configuration schema', () => {
    expect(fleetcraftPolicies().map((p) => [p.name, p.enforcementLevel])).toEqual([[ERRORS_POLICY, 'mandatory'], [WARNINGS_POLICY, 'advisory']]);
    for (const p of fleetcraftPolicies()) expect(Object.keys(p.configSchema?.properties ?? {})).toEqual(['skip', 'schemas']);
  });

  test('config skip defaults to none, schemas to true', () => {
    expect(policyConfig({}, ERRORS_POLICY)).toEqual({ skip: [], schemas: true });
  });

  test('an unknown rule id or a wrong type in the config is refused, naming it', () => {
    expect(() => policyConfig({ skip: ['reliability/pbd'] }, ERRORS_POLICY))
      .toThrow('policy fleetcraft-errors of the fleetcraft policy pack: skip: unknown rule "reliability/pbd" (did you mean reliability/pdb?); the valid ids are listed by `fleetcraft validate --list-rules`');
    expect(() => policyConfig({ skip: 'schema' }, ERRORS_POLICY)).toThrow('policy fleetcraft-errors of the fleetcraft policy pack: skip ("schema") must be a list of rule ids');
    expect(() => policyConfig({ schemas: 'yes' }, WARNINGS_POLICY)).toThrow('policy fleetcraft-warnings of the fleetcraft policy pack: schemas ("yes") must be true or false');
  });

  test('a clean stack reports nothing, under either policy', async () => {
    const resources = [...stack(validSet()), resource('aws:s3/bucket:Bucket', { bucket: 'logs' }, 'logs')];
    expect(await run(ERRORS_POLICY, resources, { schemas: false })).toEqual([]);
    expect(await run(WARNINGS_POLICY, resources, { schemas: false })).toEqual([]);
  });

  test('a privileged container is an error on its resource\'s URN, with fleetcraft\'s message', async () => {
    const set = validSet();
    (at(set, 'Deployment', 'web', 'spec.template.spec.containers.0.securityContext') as Json).privileged = true;
    expect(await run(ERRORS_POLICY, stack(set), { schemas: false })).toEqual([
      'urn:pulumi:dev::shop::kubernetes:apps/v1:Deployment::deployment-web: Deployment shop/web: spec.template.spec.containers[0].securityContext.privileged: ' +
      'container "web" sets securityContext.privileged=true, which Pod Security level baseline forbids (namespace shop enforces restricted); remove it and add ' +
      'only the capabilities the container needs, or, if the workload truly needs it, run it in a namespace labelled pod-security.kubernetes.io/enforce=privileged ' +
      'and annotate it fleetcraft.io/security-opt-outs [pss/baseline-privileged]',
    ]);
    expect(await run(ERRORS_POLICY, stack(set), { schemas: false, skip: ['pss/baseline-privileged'] })).toEqual([]);
  });

  test('a warning goes to the advisory policy only', async () => {
    const set = validSet();
    (at(set, 'Deployment', 'web', 'spec.template.spec.containers.0.securityContext') as Json).readOnlyRootFilesystem = false;
    expect(await run(ERRORS_POLICY, stack(set), { schemas: false })).toEqual([]);
    expect(await run(WARNINGS_POLICY, stack(set), { schemas: false })).toEqual([
      expect.stringMatching(/^urn:pulumi:dev::shop::kubernetes:apps\/v1:Deployment::deployment-web: Deployment shop\/web: spec\.template\.spec\.containers\[0\]\.securityContext\.readOnlyRootFilesystem: container "web" does not set securityContext\.readOnlyRootFilesystem: true.* \[security\/read-only-root-fs\]$/),
    ]);
  });

  test('the two policies of one pack share one run of the checks; other objects or another configuration run them again', async () => {
    const checks = jest.mocked(checkObjects);
    checks.mockClear();
    const [errors, warnings] = fleetcraftPolicies();
    const set = validSet();
    await runPolicy(errors, stack(set), { schemas: false });
    await runPolicy(warnings, stack(set), { schemas: false });
    expect(checks).toHaveBeenCalledTimes(1);
    await runPolicy(errors, stack(set), { schemas: false, skip: ['reliability/pdb'] });
    expect(checks).toHaveBeenCalledTimes(2);
    (at(set, 'Deployment', 'web', 'spec.template.spec.containers.0.securityContext') as Json).privileged = true;
    expect(await runPolicy(errors, stack(set), { schemas: false, skip: ['reliability/pdb'] })).toHaveLength(1);
    expect(checks).toHaveBeenCalledTimes(3);
  });

  test('a rule across objects sees the whole stack: a Deployment without its PodDisruptionBudget', async () => {
    const set = validSet().filter((o) => !(o.kind === 'PodDisruptionBudget' && (o.metadata as Json).name === 'web'));
    const reported = await run(ERRORS_POLICY, stack(set), { schemas: false });
    expect(reported.some((r) => r.startsWith('urn:pulumi:dev::shop::kubernetes:apps/v1:Deployment::deployment-web: Deployment shop/web') && r.endsWith('[reliability/pdb]'))).toBe(true);
  });
});

describeWithSchemas('the policies with the upstream schemas', () => {
  test('an unknown field is an error', async () => {
    const set = validSet();
    (at(set, 'Deployment', 'web', 'spec') as Json).replica = 3;
    expect(await run(ERRORS_POLICY, stack(set))).toEqual([
      'urn:pulumi:dev::shop::kubernetes:apps/v1:Deployment::deployment-web: Deployment shop/web: spec: unknown field "replica" (not in the schema; check its spelling and placement) [schema]',
    ]);
    expect(await run(ERRORS_POLICY, stack(set), { skip: ['schema'] })).toEqual([]);
  });
});

describe('the shipped pack folder', () => {
  const dir = path.join(ROOT, 'policy-pack');

  test('is a Node.js policy pack at the package\'s version, whose program serves these policies', () => {
    expect(parse(fs.readFileSync(path.join(dir, 'PulumiPolicy.yaml'), 'utf8'))).toMatchObject({ runtime: 'nodejs' });
    const pack = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string; main: string };
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; files: string[] };
    expect(pack.version).toBe(root.version);
    expect(root.files).toContain('policy-pack/');
    expect(fs.readFileSync(path.join(dir, pack.main), 'utf8')).toContain("require('../dist-lib/stacks/policy-pack.js')");
  });
});

/**
 * The shipped folder run the way the Pulumi CLI runs a Node.js policy pack: its program started in the folder prints
 * the port of its analyzer gRPC server, and the CLI calls GetAnalyzerInfo, then AnalyzeStack with the stack's
 * resources. The same calls are made here with @pulumi/pulumi's generated analyzer client.
 */
describe('the shipped pack, served over gRPC as the Pulumi CLI runs it', () => {
  type Proto = { [name: string]: new () => Record<string, (...args: unknown[]) => unknown> } & { EnforcementLevel: Record<string, number> };
  const pulumiDir = path.dirname(require.resolve('@pulumi/pulumi/package.json', { paths: [ROOT] }));
  /* eslint-disable @typescript-eslint/no-require-imports */
  const grpc = require(require.resolve('@grpc/grpc-js', { paths: [pulumiDir] })) as { credentials: { createInsecure(): unknown } };
  const services = require(path.join(pulumiDir, 'proto', 'analyzer_grpc_pb.js')) as { AnalyzerClient: new (address: string, credentials: unknown) => Record<string, (...args: unknown[]) => unknown> };
  const messages = require(path.join(pulumiDir, 'proto', 'analyzer_pb.js')) as Proto;
  const { Struct } = require(require.resolve('google-protobuf/google/protobuf/struct_pb', { paths: [pulumiDir] })) as { Struct: { fromJavaScript(value: unknown): unknown } };
  const { Empty } = require(require.resolve('google-protobuf/google/protobuf/empty_pb', { paths: [pulumiDir] })) as { Empty: new () => unknown };
  /* eslint-enable @typescript-eslint/no-require-imports */
  let pack: ChildProcess | undefined;
  let client: Record<string, (...args: unknown[]) => unknown>;

  beforeAll(async () => {
    buildOnce();
    const child = spawn(process.execPath, ['index.js'], { cwd: path.join(ROOT, 'policy-pack'), stdio: ['ignore', 'pipe', 'pipe'] });
    pack = child;
    const port = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`the pack printed no port in 60 s; stderr: ${err}`)), 60_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.on('exit', (code) => reject(new Error(`the pack exited (${code}) before printing its port; stderr: ${err}`)));
    });
    client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }, 300_000);

  afterAll(() => {
    client?.close();
    pack?.kill();
  });

  const call = <T>(method: string, request: unknown): Promise<T> => new Promise((resolve, reject) => {
    client[method](request, (e: Error | null, response: T) => (e ? reject(e) : resolve(response)));
  });

  function analyzerResource(type: string, props: object, name: string): unknown {
    const r = new messages.AnalyzerResource();
    r.setType(type);
    r.setName(name);
    r.setUrn(`urn:pulumi:dev::shop::${type}::${name}`);
    r.setProperties(Struct.fromJavaScript(props));
    r.setOptions(new messages.AnalyzerResourceOptions());
    return r;
  }

  test('GetAnalyzerInfo names the pack and its two policies, mandatory and advisory', async () => {
    const info = await call<Record<string, () => unknown>>('getAnalyzerInfo', new Empty());
    expect(info.getName()).toBe('fleetcraft');
    expect(info.getVersion()).toBe('0.1.0');
    const levels = (info.getPoliciesList() as Array<Record<string, () => unknown>>).map((p) => [p.getName(), p.getEnforcementlevel()]);
    expect(levels).toEqual([[ERRORS_POLICY, messages.EnforcementLevel.MANDATORY], [WARNINGS_POLICY, messages.EnforcementLevel.ADVISORY]]);
  });

  test('AnalyzeStack: a clean stack has no diagnostics; a privileged container is a mandatory one on its URN', async () => {
    const analyze = async (objects: Json[]) => {
      const request = new messages.AnalyzeStackRequest();
      request.setResourcesList(objects.map((o) => analyzerResource(tokenOf(o), o, `${(o.kind as string).toLowerCase()}-${(o.metadata as Json).name as string}`)));
      const response = await call<Record<string, () => unknown>>('analyzeStack', request);
      return (response.getDiagnosticsList() as Array<Record<string, () => unknown>>).map((d) => ({
        policy: d.getPolicyname(), level: d.getEnforcementlevel(), urn: d.getUrn(), message: d.getMessage(),
      }));
    };
    expect(await analyze(validSet())).toEqual([]);
    const set = validSet();
    (at(set, 'Deployment', 'web', 'spec.template.spec.containers.0.securityContext') as Json).privileged = true;
    expect(await analyze(set)).toEqual([{
      policy: ERRORS_POLICY, level: messages.EnforcementLevel.MANDATORY, urn: 'urn:pulumi:dev::shop::kubernetes:apps/v1:Deployment::deployment-web',
      message: expect.stringContaining('Deployment shop/web: spec.template.spec.containers[0].securityContext.privileged: container "web" sets securityContext.privileged=true'),
    }]);
  });
});

describe('values unknown during preview', () => {
  test('reading one throws the SDK\'s UnknownValueError, which the SDK reports as "can\'t run during preview"', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { unknownStringValue } = require('@pulumi/policy/proxy') as { unknownStringValue: unknown };
    const set = validSet();
    const web = at(set, 'Deployment', 'web');
    const resources = stack(set).map((r) => (r.props === web ? { ...r, props: unknownCheckingProxy({ ...web, metadata: { ...(web.metadata as Json), namespace: unknownStringValue } }) } : r));
    await expect(run(ERRORS_POLICY, resources, { schemas: false })).rejects.toBeInstanceOf(UnknownValueError);
  });
});
