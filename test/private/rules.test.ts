import { checkRules, firstViolation, Rule } from '../../lib/private/rules';

const RULES: readonly Rule<{ n: number }>[] = [
  (f) => (f.n < 0 ? ['n', f.n, 'must not be negative', 'use 0 or more'] : undefined),
  (f) => (f.n % 2 === 0 ? ['n', f.n, 'must be odd', 'use 3 or 5'] : undefined),
];

describe('rule tables', () => {
  test('the first broken rule wins, in table order', () => {
    expect(firstViolation(RULES, { n: 3 })).toBeUndefined();
    expect(firstViolation(RULES, { n: -2 })).toEqual(['n', -2, 'must not be negative', 'use 0 or more']);
  });

  test('checkRules throws it in the house form', () => {
    expect(() => checkRules('Widget', 'w', RULES, { n: 4 })).toThrow("Widget 'w': n (4) must be odd; use 3 or 5");
    expect(() => checkRules('Widget', 'w', RULES, { n: 5 })).not.toThrow();
  });
});
