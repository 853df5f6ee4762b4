/** Props from plain JavaScript: types, ranges and keys checked before use. */
import { Size } from 'cdk8s';
import { NamespaceBaseline } from '../../../lib/k8s/namespace-baseline';
import { PodSecurityLevel } from '../../../lib/policy/pod-security-level';
import { testChart } from '../../util';

const build = (props: unknown) => () => new NamespaceBaseline(testChart(), 'ns', props as never);
const msg = (rest: string) => `NamespaceBaseline 'ns': ${rest}`;

describe('NamespaceBaseline props guard', () => {
  test.each([
    [{ name: true }, 'name (true) must be a string, not a boolean; pass text'],
    [{}, 'name (undefined) is required; pass it (see its documentation)'],
    [{ name: 'api', podSecurity: 'strict' }, 'podSecurity ("strict") must be one of "restricted", "baseline", "privileged"; use one of the enum\'s members'],
    [{ name: 'api', quota: { pods: 1e308 } }, 'quota.pods (1e+308) must be from 0 to 2147483647; pass a value in that range'],
    [{ name: 'api', quota: { pods: -1 } }, 'quota.pods (-1) must be from 0 to 2147483647; pass a value in that range'],
    [{ name: 'api', quota: { requestsMemory: '64Gi' } }, 'quota.requestsMemory ("64Gi") must be a Size, not a string; build one with Size.gibibytes(10)'],
    [{ name: 'api', quotas: { pods: 10 } }, 'quotas ({"pods":10}) is not a known prop; did you mean "quota"?'],
    [{ name: 'api', containerLimits: { maxLimitMemory: 8 } }, 'containerLimits.maxLimitMemory (8) must be a Size, not a number; build one with Size.gibibytes(10)'],
    [{ name: 'api', allowDnsEgress: 'yes' }, 'allowDnsEgress ("yes") must be true or false, not a string; pass a boolean'],
    [{ name: 'api', partOf: 'my platform' }, 'partOf ("my platform") must be a label value (letters, digits, "-", "_" and ".", starting and ending with a letter or digit); fix the value'],
  ])('refuses with the value and the fix (%#)', (...args: unknown[]) => {
    const [props, message] = args as [unknown, string];
    expect(build(props)).toThrow(msg(message));
  });

  test('typed props still pass', () => {
    expect(build({ name: 'api', podSecurity: PodSecurityLevel.BASELINE, quota: { pods: 10, requestsMemory: Size.gibibytes(1) } })).not.toThrow();
  });
});
