import { dnsLabelError, dnsSubdomainError, labelValueError, portNameError, qualifiedNameError } from '../../lib/private/names';

const LABEL_CHARS = 'must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit';
const SUBDOMAIN_CHARS = 'must consist of lowercase letters, digits, \'-\' and \'.\', and start and end with a letter or digit';
const NAME_PART_CHARS = 'name part must consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric';
const LABEL_VALUE_CHARS = 'must be empty or consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric';

describe('dnsLabelError', () => {
  test.each(['a', '0', 'raft', 'etcd-0', 'a-b-c', '1abc', 'abc1', 'a--b', 'a'.repeat(63)])('accepts %j', (value) => {
    expect(dnsLabelError(value)).toBeUndefined();
  });

  test('refuses 64 characters with the length', () => {
    expect(dnsLabelError('a'.repeat(64))).toBe('must be at most 63 characters (got 64)');
  });

  test('checks the length before the characters', () => {
    expect(dnsLabelError('A'.repeat(64))).toBe('must be at most 63 characters (got 64)');
  });

  test.each(['', '-a', 'a-', 'A', 'Raft', 'a_b', 'a.b', 'a b', 'ä', 'a/b', '-'])('refuses %j', (value) => {
    expect(dnsLabelError(value)).toBe(LABEL_CHARS);
  });
});

describe('dnsSubdomainError', () => {
  const label63 = 'a'.repeat(63);
  const len253 = [label63, label63, label63, 'a'.repeat(61)].join('.');
  test.each(['a', 'example.com', 'api.example.com', 'a-b.c-d', '0.1', label63, len253])('accepts %j', (value) => {
    expect(dnsSubdomainError(value)).toBeUndefined();
  });

  test('the 253-character case really is 253 characters', () => {
    expect(len253).toHaveLength(253);
  });

  test('refuses 254 characters with the length', () => {
    expect(dnsSubdomainError(`${len253}a`)).toBe('must be at most 253 characters (got 254)');
  });

  test.each(['', '.a', 'a.', 'a..b', '-a.b', 'a-.b', 'a.-b', 'Example.com', 'a_b.com', 'a b'])('refuses %j', (value) => {
    expect(dnsSubdomainError(value)).toBe(SUBDOMAIN_CHARS);
  });
});

describe('qualifiedNameError', () => {
  test.each([
    'app', 'A', '9', 'app.kubernetes.io/name', 'example.com/My_Key.v-1', 'a_b', 'a.b', 'a-b', 'a/b',
    'a'.repeat(63), `p/${'a'.repeat(63)}`, `${'p'.repeat(253)}/n`,
  ])('accepts %j', (key) => {
    expect(qualifiedNameError(key)).toBeUndefined();
  });

  test('refuses two slashes', () => {
    expect(qualifiedNameError('a/b/c')).toBe('may contain at most one \'/\'');
  });

  test('refuses an empty prefix', () => {
    expect(qualifiedNameError('/name')).toBe('prefix before \'/\' must not be empty');
  });

  test('refuses a prefix that is not a DNS subdomain', () => {
    expect(qualifiedNameError('Example.com/name')).toBe(`prefix "Example.com" ${SUBDOMAIN_CHARS}`);
  });

  test('refuses a 254-character prefix', () => {
    const prefix = 'p'.repeat(254);
    expect(qualifiedNameError(`${prefix}/n`)).toBe(`prefix "${prefix}" must be at most 253 characters (got 254)`);
  });

  test.each([
    ['', 0],
    ['example.com/', 0],
    ['a'.repeat(64), 64],
    [`p/${'a'.repeat(64)}`, 64],
  ])('refuses name part of %j by length', (key, length) => {
    expect(qualifiedNameError(key)).toBe(`name part must be 1 to 63 characters (got ${length})`);
  });

  test.each(['-a', 'a-', '_a', 'a_', '.a', 'a.', 'a b', 'a:b', 'example.com/-x'])('refuses name part %j by characters', (key) => {
    expect(qualifiedNameError(key)).toBe(NAME_PART_CHARS);
  });
});

describe('labelValueError', () => {
  test.each(['', 'a', 'Z', '9', 'v1.2.3', 'My_Value-1', 'a'.repeat(63)])('accepts %j', (value) => {
    expect(labelValueError(value)).toBeUndefined();
  });

  test('refuses 64 characters with the length', () => {
    expect(labelValueError('a'.repeat(64))).toBe('must be at most 63 characters (got 64)');
  });

  test.each(['-a', 'a-', '_a', 'a_', '.a', 'a.', 'a b', 'a/b', 'a:b', 'é'])('refuses %j', (value) => {
    expect(labelValueError(value)).toBe(LABEL_VALUE_CHARS);
  });
});

describe('portNameError', () => {
  test.each(['http', 'a', 'h2c', 'grpc-web', 'metrics', '8080a', 'a'.repeat(15)])('accepts %j', (value) => {
    expect(portNameError(value)).toBeUndefined();
  });

  test('refuses 16 characters with the length', () => {
    expect(portNameError('a'.repeat(16))).toBe('must be at most 15 characters (got 16)');
  });

  test.each(['', '-http', 'http-', 'HTTP', 'http_2', 'http.2', 'a b'])('refuses %j by characters', (value) => {
    expect(portNameError(value)).toBe('must consist of lowercase letters, digits and \'-\', and start and end with a letter or digit');
  });

  test('refuses a double hyphen', () => {
    expect(portNameError('grpc--web')).toBe('must not contain \'--\'');
  });

  test.each(['8080', '1-2', '0'])('refuses %j without a letter', (value) => {
    expect(portNameError(value)).toBe('must contain at least one letter');
  });
});
