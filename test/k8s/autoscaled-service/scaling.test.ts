import { KedaTrigger } from '../../../lib/k8s/autoscaled-service';
import { DisruptionBudget, DisruptionBudgetField } from '../../../lib/k8s/autoscaled-service';

describe('DisruptionBudget', () => {
  test('percent maxUnavailable rounds up, so any positive percent allows one eviction', () => {
    const b = DisruptionBudget.maxUnavailablePercent(20);
    expect([b.field, b.intOrString, b.toString()]).toEqual([DisruptionBudgetField.MAX_UNAVAILABLE, '20%', 'maxUnavailable 20%']);
    expect([1, 2, 3, 5, 10, 100].map((n) => b.allowedDisruptions(n))).toEqual([1, 1, 1, 1, 2, 20]);
  });

  test('absolute maxUnavailable allows that many, at most every pod', () => {
    expect([1, 3].map((n) => DisruptionBudget.maxUnavailable(2).allowedDisruptions(n))).toEqual([1, 2]);
    expect(DisruptionBudget.maxUnavailable(0).allowedDisruptions(5)).toBe(0);
  });

  test('minAvailable (percent rounds up) leaves the rest to evict', () => {
    expect([3, 5, 10].map((n) => DisruptionBudget.minAvailablePercent(80).allowedDisruptions(n))).toEqual([0, 1, 2]);
    expect([1, 2, 3].map((n) => DisruptionBudget.minAvailable(2).allowedDisruptions(n))).toEqual([0, 0, 1]);
    expect(DisruptionBudget.minAvailable(2).intOrString).toBe(2);
  });

  test('none sets no field and blocks nothing', () => {
    const b = DisruptionBudget.none();
    expect([b.field, b.toString(), b.allowedDisruptions(3)]).toEqual([undefined, 'none', 3]);
  });
});

describe('KedaTrigger', () => {
  test('prometheus: string metadata; activationThreshold defaults to none', () => {
    const t = KedaTrigger.prometheus({ serverAddress: 'http://prom:9090', query: 'sum(x)', threshold: 1000 });
    expect([t.type, t.metadata, t.authenticationRef]).toEqual(['prometheus', { serverAddress: 'http://prom:9090', query: 'sum(x)', threshold: '1000' }, undefined]);
  });

  test('redisList: enableTls defaults to false (omitted) and authenticationRef to none', () => {
    const t = KedaTrigger.redisList({ address: 'redis:6379', listName: 'jobs', listLength: 100 });
    expect([t.type, t.metadata, t.authenticationRef]).toEqual(['redis', { address: 'redis:6379', listName: 'jobs', listLength: '100' }, undefined]);
  });

  test('custom copies its metadata', () => {
    const metadata = { queueName: 'jobs' };
    const t = KedaTrigger.custom('rabbitmq', metadata, 'auth');
    expect([t.type, t.metadata, t.authenticationRef]).toEqual(['rabbitmq', { queueName: 'jobs' }, 'auth']);
    expect(t.metadata).not.toBe(metadata);
  });
});
