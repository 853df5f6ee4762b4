import * as pulumi from '@pulumi/pulumi';
import { PLAN_ACCOUNT_ID, runUnderMocks } from '../../stacks/mock-runtime';

describe('the mock runtime', () => {
  test('answers the calls it knows with stand-ins', async () => {
    const run = await runUnderMocks('test', {}, () => ({
      account: pulumi.output(pulumi.runtime.invoke('aws:index/getCallerIdentity:getCallerIdentity', {})).apply((r) => r.accountId),
    }));
    expect(run.outputs.account).toBe(PLAN_ACCOUNT_ID);
  });

  test('an unknown call is an error, not an empty answer', async () => {
    await expect(runUnderMocks('test', {}, async () => {
      await pulumi.runtime.invoke('aws:index/getAvailabilityZones:getAvailabilityZones', {});
      return {};
    })).rejects.toThrow('the mock runtime has no answer for the call aws:index/getAvailabilityZones:getAvailabilityZones; add one to stacks/mock-runtime.ts');
  });
});
