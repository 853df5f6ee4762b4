import { Cron, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { CONTAINER_RESOURCES, CPU, CRON, describeValue, DURATION, guardProps, METADATA, nearestName, PropTable, shape, SIZE, STRING_MAP } from '../../lib/private/prop-guard';

enum Mode { FAST = 'Fast', SAFE = 'Safe' }

const TABLE: PropTable = {
  name: shape.required(shape.string({ maxLength: 63, pattern: /^[a-z0-9-]+$/, patternRule: 'must be a DNS label' })),
  replicas: shape.integer(1, 11),
  ratio: shape.number(0, 1),
  production: shape.boolean(),
  mode: shape.oneOf(Mode),
  storage: SIZE,
  timeout: DURATION,
  ports: shape.list(shape.integer(1, 65535), 3),
  env: shape.map(shape.string({ allowEmpty: true })),
  quota: shape.object({ pods: shape.integer(), cpu: shape.string() }),
  hook: shape.function(),
  scope: shape.anyObject('a construct'),
};

const guard = (props: unknown) => () => guardProps('Widget', 'w', props, TABLE);

describe('guardProps', () => {
  test('accepts well-typed props, and leaves undefined ones alone', () => {
    expect(guard({
      name: 'web', replicas: 3, ratio: 0.5, production: false, mode: Mode.FAST, storage: Size.gibibytes(1), timeout: Duration.seconds(3),
      ports: [80], env: { A: '' }, quota: { pods: 10 }, hook: () => 1, scope: {}, cpu: undefined,
    })).toThrow('cpu (undefined) is not a known prop');
    expect(guard({ name: 'web', replicas: undefined })).not.toThrow();
    expect(guard({ replicas: 3 })).toThrow("Widget 'w': name (undefined) is required; pass it (see its documentation)");
    expect(() => guardProps('Widget', 'w', undefined, TABLE, true)).not.toThrow();
  });

  test.each([
    [{ name: true, replicas: 'x' }, 'name (true) must be a string, not a boolean; pass text'],
    [{ name: '', replicas: 'x' }, 'name ("") must not be empty; pass a value or leave the prop out'],
    [{ name: 'Web_1', replicas: 'x' }, 'name ("Web_1") must be a DNS label; fix the value'],
    [{ name: 'w', replicas: 1e308 }, 'replicas (1e+308) must be from 1 to 11; pass a value in that range'],
    [{ name: 'w', replicas: NaN }, 'replicas (NaN) must be a finite number; pass a number from 1 to 11'],
    [{ name: 'w', replicas: 2.5 }, 'replicas (2.5) must be a whole number; pass a whole number from 1 to 11'],
    [{ name: 'w', replicas: '3' }, 'replicas ("3") must be a number, not a string; pass a number from 1 to 11'],
    [{ name: 'w', replicas: 10n }, 'replicas (10n) must be a number, not a bigint; pass a number from 1 to 11'],
    [{ name: 'w', mode: 'fast' }, 'mode ("fast") must be one of "Fast", "Safe"; use one of the enum\'s members'],
    [{ name: 'w', storage: 5 }, 'storage (5) must be a Size, not a number; build one with Size.gibibytes(10)'],
    [{ name: 'w', timeout: '30s' }, 'timeout ("30s") must be a Duration, not a string; build one with Duration.seconds(30)'],
    [{ name: 'w', ports: [80, 0] }, 'ports[1] (0) must be from 1 to 65535; pass a value in that range'],
    [{ name: 'w', ports: [1, 2, 3, 4] }, 'ports ([1,2,3,4]) must have at most 3 items (got 4); pass fewer'],
    [{ name: 'w', env: 'A=1' }, 'env ("A=1") must be an object of names to values, not a string; pass { name: value }'],
    [{ name: 'w', env: ['A'] }, 'env (["A"]) must be an object of names to values, not an array; pass { name: value }'],
    [{ name: 'w', env: { A: 1 } }, 'env.A (1) must be a string, not a number; pass text'],
    [{ name: 'w', quota: { podz: 1 } }, 'quota.podz (1) is not a known prop; did you mean "pods"?'],
    [{ name: 'w', replica: 3 }, 'replica (3) is not a known prop; did you mean "replicas"?'],
    [{ name: 'w', zzzzzz: 3 }, 'zzzzzz (3) is not a known prop; known props: name, replicas, ratio, production, mode, storage, timeout, ports, env, quota, hook, scope'],
    [{ name: 'w', hook: 'x' }, 'hook ("x") must be a function, not a string; pass a function'],
    [{ name: 'w', scope: null }, 'scope (null) must be a construct, not null; pass a construct'],
    [[], 'props ([]) must be an object, not an array; pass { ... } with the documented props'],
    [null, 'props (null) must be an object, not null; pass { ... } with the documented props'],
    [undefined, 'props (undefined) must be an object, not undefined; pass { ... } with the documented props'],
  ])('refused with a message naming the value (%#): %s', (...args: unknown[]) => {
    const [props, message] = args as [unknown, string];
    expect(guard(props)).toThrow(`Widget 'w': ${message}`);
  });
});

describe('describeValue never throws', () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  test.each([
    [1n, '1n'], [Symbol('s'), 'Symbol(s)'], [circular, 'an object (circular or not serializable)'], [-0, '-0'], [() => 1, 'function (anonymous)'],
    [new Date(0), 'a Date'], [{ big: 2n }, '{"big":"2n"}'], ['x'.repeat(100), `"${'x'.repeat(76)}...`], [undefined, 'undefined'],
  ])('%s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});

test('nearestName finds a likely typo and nothing for an unrelated word', () => {
  expect(nearestName('replica', ['replicas', 'name'])).toBe('replicas');
  expect(nearestName('Namespace', ['namespace'])).toBe('namespace');
  expect(nearestName('banana', ['replicas', 'name'])).toBeUndefined();
});

describe('shared shapes', () => {
  const SHARED: PropTable = { schedule: shape.either(CRON, shape.string()), metadata: METADATA, resources: CONTAINER_RESOURCES, cpu: CPU, labels: STRING_MAP };
  const g = (props: unknown) => () => guardProps('Widget', 'w', props, SHARED);

  test('accept what cdk8s builds', () => {
    expect(g({ schedule: Cron.daily(), metadata: { labels: { a: 'b' }, uid: 'x' }, resources: { cpu: { request: Cpu.millis(100) }, memory: { limit: Size.mebibytes(64) } }, cpu: Cpu.units(1), labels: { a: '' } })).not.toThrow();
    expect(g({ schedule: '0 * * * *' })).not.toThrow();
  });

  test.each([
    [{ schedule: 5 }, 'schedule (5) must be a Cron or a string, not a number; pass one of those'],
    [{ metadata: { labels: { a: 1 } } }, 'metadata.labels.a (1) must be a string, not a number; pass text'],
    [{ metadata: { label: { a: 'b' } } }, 'metadata.label ({"a":"b"}) is not a known prop; did you mean "labels"?'],
    [{ resources: { cpu: { request: '100m' } } }, 'resources.cpu.request ("100m") must be a Cpu, not a string; build one with Cpu.millis(500)'],
    [{ resources: { memory: { limit: 64 } } }, 'resources.memory.limit (64) must be a Size, not a number; build one with Size.gibibytes(10)'],
    [{ resources: { disk: {} } }, 'resources.disk ({}) is not a known prop; known props: cpu, memory, ephemeralStorage'],
  ])('refuse with the path inside the prop (%#)', (...args: unknown[]) => {
    const [props, message] = args as [unknown, string];
    expect(g(props)).toThrow(`Widget 'w': ${message}`);
  });
});
