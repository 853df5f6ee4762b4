import { syncWaves } from '../../stacks/components';

describe('syncWaves', () => {
  test('a wave is one past the latest dependency', () => {
    expect(syncWaves([
      { name: 'monitoring', dependsOn: ['api', 'consensus'] },
      { name: 'baseline', dependsOn: [] },
      { name: 'network', dependsOn: ['baseline'] },
      { name: 'consensus', dependsOn: ['baseline', 'network'] },
      { name: 'api', dependsOn: ['consensus'] },
    ])).toEqual({ baseline: 0, network: 1, consensus: 2, api: 3, monitoring: 4 });
  });

  test('an unknown dependency is named', () => {
    expect(() => syncWaves([{ name: 'api', dependsOn: ['db'] }])).toThrow('component "api" depends on unknown component "db"; known: api');
  });

  test('a cycle is shown', () => {
    expect(() => syncWaves([{ name: 'a', dependsOn: ['b'] }, { name: 'b', dependsOn: ['a'] }])).toThrow('components depend on each other in a cycle: a -> b -> a');
  });
});
