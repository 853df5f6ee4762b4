import { buildOrder, syncWaves } from '../../stacks/components';
import { COMPONENTS } from '../../stacks/platform';

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

describe('buildOrder', () => {
  test('a component is built after those it reads, otherwise in list order', () => {
    expect(buildOrder([
      { name: 'baseline', dependsOn: [], reads: ['network'] },
      { name: 'network', dependsOn: ['baseline'] },
      { name: 'secrets', dependsOn: [] },
    ]).map((c) => c.name)).toEqual(['network', 'baseline', 'secrets']);
  });

  test('the platform builds the add-ons first, the network agent before the baseline, and the API after consensus', () => {
    expect(buildOrder(COMPONENTS).map((c) => c.name)).toEqual(['addons', 'network', 'baseline', 'secrets', 'consensus', 'api', 'backup', 'monitoring']);
  });

  test('an unknown component is named', () => {
    expect(() => buildOrder([{ name: 'api', dependsOn: [], reads: ['db'] }])).toThrow('component "api" reads unknown component "db"; known: api');
  });

  test('a cycle is shown', () => {
    expect(() => buildOrder([{ name: 'a', dependsOn: [], reads: ['b'] }, { name: 'b', dependsOn: [], reads: ['a'] }]))
      .toThrow('components read each other in a cycle: a, b');
  });
});
