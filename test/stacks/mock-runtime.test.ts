import * as pulumi from '@pulumi/pulumi';
import { PLAN_ACCOUNT_ID, runUnderMocks } from '../../stacks/mock-runtime';

describe('the mock runtime', () => {
  test('answers the calls it knows with stand-ins', async () => {
    const run = await runUnderMocks('test', {}, () => ({
      account: pulumi.output(pulumi.runtime.invoke('aws:index/getCallerIdentity:getCallerIdentity', {})).apply((r) => r.accountId),
    }));
    expect(run.outputs.account).toBe(PLAN_ACCOUNT_ID);
  });

  test('answers zones and add-on versions per region, realistically, and refuses an add-on EKS does not have', async () => {
    const run = await runUnderMocks('test', {}, () => ({
      zones: pulumi.output(pulumi.runtime.invoke('aws:index/getAvailabilityZones:getAvailabilityZones', {})).apply((r) => r.names),
      coredns: pulumi.output(pulumi.runtime.invoke('aws:eks/getAddonVersion:getAddonVersion', { addonName: 'coredns', kubernetesVersion: '1.36' })).apply((r) => r.version),
    }));
    expect(run.outputs).toEqual({ zones: ['us-east-1a', 'us-east-1b', 'us-east-1d', 'us-east-1f'], coredns: 'v1.12.4-eksbuild.1' });
    await expect(runUnderMocks('test', {}, async () => {
      await pulumi.runtime.invoke('aws:eks/getAddonVersion:getAddonVersion', { addonName: 'nope', kubernetesVersion: '1.36' });
      return {};
    })).rejects.toThrow('no EKS add-on "nope"');
  });

  test('an unknown call is an error, not an empty answer', async () => {
    await expect(runUnderMocks('test', {}, async () => {
      await pulumi.runtime.invoke('aws:ec2/getAmi:getAmi', {});
      return {};
    })).rejects.toThrow('the mock runtime has no answer for the call aws:ec2/getAmi:getAmi; add one to stacks/mock-runtime.ts');
  });
});
