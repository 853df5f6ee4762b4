import { NAMESPACE_BASELINE_RULES, NamespaceBaselineFacts } from '../../../lib/k8s/namespace-baseline';
import { firstViolation } from '../../../lib/private/rules';

const ok: NamespaceBaselineFacts = { name: 'api', podSecurityVersion: 'v1.36' };

describe('NamespaceBaseline rules', () => {
  test('good facts break no rule; latest is a version', () => {
    expect(firstViolation(NAMESPACE_BASELINE_RULES, ok)).toBeUndefined();
    expect(firstViolation(NAMESPACE_BASELINE_RULES, { ...ok, podSecurityVersion: 'latest' })).toBeUndefined();
  });

  test('each rule names the prop, the value, the rule and the fix', () => {
    expect(firstViolation(NAMESPACE_BASELINE_RULES, { ...ok, name: 'API' })?.slice(0, 2)).toEqual(['name', 'API']);
    expect(firstViolation(NAMESPACE_BASELINE_RULES, { ...ok, podSecurityVersion: '1.36' }))
      .toEqual(['podSecurityVersion', '1.36', 'is not a Kubernetes minor version', 'use the cluster\'s minor, e.g. "v1.36"']);
  });
});
