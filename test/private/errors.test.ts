import { formatValue, propError } from '../../lib/private/errors';

describe('formatValue', () => {
  test.each([
    ['raft', '"raft"'],
    ['', '""'],
    ['say "hi"', '"say "hi""'],
    [4, '4'],
    [1.5, '1.5'],
    [true, 'true'],
    [null, 'null'],
    [[], '[]'],
    [['a', 1], '["a",1]'],
    [{ cidr: '10.0.0.0/8' }, '{"cidr":"10.0.0.0/8"}'],
  ])('shows %j as %s', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });

  test('never throws: a BigInt, a circular object, a symbol', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(formatValue(10n)).toBe('10n');
    expect(formatValue(circular)).toBe('an object (circular or not serializable)');
    expect(formatValue(Symbol('x'))).toBe('Symbol(x)');
    expect(propError('Widget', 'w', 'size', 10n, 'must be a number', 'pass one').message).toBe("Widget 'w': size (10n) must be a number; pass one");
  });

  test('shows undefined as the word undefined', () => {
    expect(formatValue(undefined)).toBe('undefined');
  });
});

describe('propError', () => {
  test('builds the house message: <Construct> \'<id>\': <prop> (<value>) <rule>; <fix>', () => {
    const error = propError('ConsensusStatefulSet', 'raft', 'replicas', 4,
      'must be odd and between 1 and 11, so a majority survives the same number of failures', 'use 3 or 5');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(
      'ConsensusStatefulSet \'raft\': replicas (4) must be odd and between 1 and 11, so a majority survives the same number of failures; use 3 or 5');
  });

  test('quotes string values', () => {
    expect(propError('X', 'x', 'name', 'Raft', 'is bad', 'fix it').message).toBe('X \'x\': name ("Raft") is bad; fix it');
  });

  test('shows undefined and objects', () => {
    expect(propError('X', 'x', 'limit', undefined, 'is required', 'set it').message).toBe('X \'x\': limit (undefined) is required; set it');
    expect(propError('X', 'x', 'peer', { a: 1 }, 'is odd', 'change it').message).toBe('X \'x\': peer ({"a":1}) is odd; change it');
  });

  test('is returned, not thrown', () => {
    expect(() => propError('X', 'x', 'p', 1, 'r', 'f')).not.toThrow();
  });
});

describe('formatValue of numbers JSON cannot show', () => {
  test('NaN and Infinity are shown as themselves, not as null', () => {
    expect([formatValue(NaN), formatValue(Infinity), formatValue(-Infinity)]).toEqual(['NaN', 'Infinity', '-Infinity']);
  });
});
