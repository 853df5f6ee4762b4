import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { PolicyDocument } from '../../lib/cloud/iam';
import { CloudRolePurpose, roleName, SERVICE_ACCOUNTS, serviceAccountRoleAnnotations } from '../../lib/cloud/names';
import { assertLeastPrivilege, serviceAccountRole, ServiceAccountRoleArgs } from '../../lib/cloud/roles';
import { PLAN_ACCOUNT_ID, PlannedResource, ProgramRun, runUnderMocks } from '../../stacks/mock-runtime';

const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123';
const HOST = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC123';
const PROVIDER_ARN = `arn:aws:iam::${PLAN_ACCOUNT_ID}:oidc-provider/${HOST}`;
const VELERO_ROLE = roleName('staging', 'staging-euw1', CloudRolePurpose.VELERO);

const LEAST: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Objects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::b/*' },
    { Sid: 'Describe', Effect: 'Allow', Action: 'ec2:DescribeVolumes', Resource: '*' },
  ],
};

/** Builds one role under the mocks, as a child of a component on an AWS provider (the way the components call it). */
function build(overrides: Partial<ServiceAccountRoleArgs> = {}): Promise<ProgramRun> {
  return runUnderMocks('test', {}, () => {
    const provider = new aws.Provider('aws', { region: 'eu-west-1' });
    const parent = new pulumi.ComponentResource('test:index:Owner', 'owner', {}, { provider });
    const role = serviceAccountRole('owner-velero', {
      roleName: VELERO_ROLE,
      // Outputs, as the cluster's OIDC provider hands them over.
      oidc: { providerArn: pulumi.output(PROVIDER_ARN), issuer: pulumi.output(ISSUER) },
      serviceAccount: SERVICE_ACCOUNTS.velero,
      ...overrides,
    }, { parent });
    return { roleArn: role.arn, roleName: role.name };
  });
}

const one = (run: ProgramRun, type: string, name: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
};
const ofType = (run: ProgramRun, type: string) => run.resources.filter((r) => r.type === type);

describe('serviceAccountRole', () => {
  describe('defaults (no inline policy, no managed policies)', () => {
    let run: ProgramRun;
    beforeAll(async () => { run = await build(); });

    test('the role\'s IAM name is the one from names.ts, and its ARN is what the service-account annotation carries', () => {
      expect(VELERO_ROLE).toBe('fleetcraft-staging-staging-euw1-velero');
      expect(one(run, 'aws:iam/role:Role', 'owner-velero').inputs.name).toBe(VELERO_ROLE);
      expect(run.outputs.roleName).toBe(VELERO_ROLE);
      expect(serviceAccountRoleAnnotations(PLAN_ACCOUNT_ID, 'staging', 'staging-euw1', CloudRolePurpose.VELERO))
        .toEqual({ 'eks.amazonaws.com/role-arn': run.outputs.roleArn });
    });

    test('the trust policy admits exactly that service account through exactly that OIDC provider', () => {
      expect(JSON.parse(one(run, 'aws:iam/role:Role', 'owner-velero').inputs.assumeRolePolicy as string)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Federated: PROVIDER_ARN },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${HOST}:sub`]: 'system:serviceaccount:velero:velero', [`${HOST}:aud`]: 'sts.amazonaws.com' } },
        }],
      });
    });

    test('the description names the service account', () => {
      expect(one(run, 'aws:iam/role:Role', 'owner-velero').inputs.description).toBe('IRSA role of velero/velero');
    });

    test('policy defaults to none and managedPolicyArns to []: the role is the only resource', () => {
      expect(ofType(run, 'aws:iam/rolePolicy:RolePolicy')).toEqual([]);
      expect(ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment')).toEqual([]);
      expect(run.resources.filter((r) => r.custom && r.type.startsWith('aws:')).map((r) => r.name)).toEqual(['owner-velero']);
    });

    test('the role is parented to opts.parent and uses the parent\'s AWS provider', () => {
      expect(one(run, 'aws:iam/role:Role', 'owner-velero')).toMatchObject({ parent: 'owner', parentType: 'test:index:Owner', provider: 'aws', region: 'eu-west-1' });
    });
  });

  describe('with an inline policy and managed policies', () => {
    let run: ProgramRun;
    beforeAll(async () => {
      run = await build({
        policy: pulumi.output(LEAST),
        managedPolicyArns: ['arn:aws:iam::aws:policy/A', 'arn:aws:iam::aws:policy/B'],
      });
    });

    test('the inline policy is child <name>-policy on the role, with the document unchanged', () => {
      const policy = one(run, 'aws:iam/rolePolicy:RolePolicy', 'owner-velero-policy');
      expect(policy).toMatchObject({ parent: 'owner', provider: 'aws', inputs: { role: VELERO_ROLE } });
      expect(JSON.parse(policy.inputs.policy as string)).toEqual(LEAST);
    });

    test('managed policies are attached as children <name>-<index>, in order', () => {
      expect(ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').map((a) => [a.name, a.parent, a.inputs.role, a.inputs.policyArn])).toEqual([
        ['owner-velero-0', 'owner', VELERO_ROLE, 'arn:aws:iam::aws:policy/A'],
        ['owner-velero-1', 'owner', VELERO_ROLE, 'arn:aws:iam::aws:policy/B'],
      ]);
    });
  });

  test('another service account gets a trust policy naming it, and only it', async () => {
    const run = await build({ roleName: roleName('staging', 'staging-euw1', CloudRolePurpose.EXTERNAL_SECRETS), serviceAccount: SERVICE_ACCOUNTS.externalSecrets });
    const role = one(run, 'aws:iam/role:Role', 'owner-velero');
    expect(role.inputs.name).toBe('fleetcraft-staging-staging-euw1-external-secrets');
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: { [`${HOST}:sub`]: 'system:serviceaccount:external-secrets:external-secrets', [`${HOST}:aud`]: 'sts.amazonaws.com' },
    });
    expect(JSON.stringify(trust)).not.toContain('velero');
  });
});

describe('assertLeastPrivilege', () => {
  test('returns a least-privilege document itself (specific actions on "*" are allowed)', () => {
    expect(assertLeastPrivilege('r', LEAST)).toBe(LEAST);
  });

  test('allows "*" actions on a specific resource, and any Deny', () => {
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
        { Effect: 'Deny', Action: '*', Resource: '*' },
      ],
    };
    expect(assertLeastPrivilege('r', doc)).toBe(doc);
  });

  test('refuses "*" on "*", naming the owner and the statement', () => {
    expect(() => assertLeastPrivilege(VELERO_ROLE, { Version: '2012-10-17', Statement: [...LEAST.Statement, { Effect: 'Allow', Action: '*', Resource: '*' }] }))
      .toThrow('fleetcraft-staging-staging-euw1-velero: policy statement {"Effect":"Allow","Action":"*","Resource":"*"} allows every action on every resource; list the actions and resources it needs');
  });

  test('refuses "<service>:*" when "*" is one of the resources, and reports the first such statement', () => {
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'All', Effect: 'Allow', Action: ['s3:GetObject', 's3:*'], Resource: ['arn:aws:s3:::b', '*'] },
        { Effect: 'Allow', Action: '*', Resource: '*' },
      ],
    };
    expect(() => assertLeastPrivilege('owner', doc))
      .toThrow('owner: policy statement {"Sid":"All","Effect":"Allow","Action":["s3:GetObject","s3:*"],"Resource":["arn:aws:s3:::b","*"]} allows every action on every resource; list the actions and resources it needs');
  });
});

describe('serviceAccountRole refuses a wildcard policy before registering anything', () => {
  test('a plain document allowing "*" on "*" throws at once, and no Role is registered', async () => {
    let message = '';
    const run = await runUnderMocks('test', {}, () => {
      try {
        serviceAccountRole('owner-velero', {
          roleName: VELERO_ROLE,
          oidc: { providerArn: pulumi.output(PROVIDER_ARN), issuer: pulumi.output(ISSUER) },
          serviceAccount: SERVICE_ACCOUNTS.velero,
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        }, {});
      } catch (e) {
        message = (e as Error).message;
      }
      return {};
    });
    expect(message).toBe('fleetcraft-staging-staging-euw1-velero: policy statement {"Effect":"Allow","Action":"*","Resource":"*"} allows every action on every resource; list the actions and resources it needs');
    expect(ofType(run, 'aws:iam/role:Role')).toEqual([]);
  });
});
