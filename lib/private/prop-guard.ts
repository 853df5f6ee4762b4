/**
 * The one runtime guard for construct props. TypeScript checks props at compile time only; a plain-JavaScript
 * caller, a YAML-fed config or an `as any` can pass anything. Every construct declares its props as a table of
 * shapes (data, next to its props) and calls `guardProps` before reading them: each value is checked for its type
 * and range, unknown keys are refused with the nearest known name, and nothing in here ever throws anything but
 * the message it means to.
 */

/** What one prop may hold, and whether it must be given. */
export type PropShape = ShapeKind & { readonly required?: boolean };

type ShapeKind =
  | { readonly type: 'string'; readonly maxLength: number; readonly pattern?: RegExp; readonly patternRule?: string; readonly allowEmpty?: boolean }
  | { readonly type: 'integer'; readonly min: number; readonly max: number }
  | { readonly type: 'number'; readonly min: number; readonly max: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'value'; readonly name: string; readonly members: readonly string[]; readonly example: string }
  | { readonly type: 'list'; readonly items: PropShape; readonly maxItems: number }
  | { readonly type: 'map'; readonly values: PropShape; readonly maxEntries: number }
  | { readonly type: 'object'; readonly props: PropTable; readonly open?: boolean }
  | { readonly type: 'either'; readonly shapes: readonly PropShape[] }
  | { readonly type: 'function' }
  | { readonly type: 'any-object'; readonly name: string };

/** The shapes of an interface's props, by prop name. */
export type PropTable = Readonly<Record<string, PropShape>>;

/** The largest int32, the range of most integer fields of the Kubernetes API. */
export const INT32_MAX = 2_147_483_647;

/** Builders for the common shapes, so tables read like the props they describe. */
export const shape = {
  /** A non-empty string of at most `maxLength` characters, optionally matching `pattern`. */
  string: (options: { maxLength?: number; pattern?: RegExp; patternRule?: string; allowEmpty?: boolean } = {}): PropShape =>
    ({ type: 'string', maxLength: options.maxLength ?? 4096, pattern: options.pattern, patternRule: options.patternRule, allowEmpty: options.allowEmpty }),
  /** A whole number in `[min, max]` (default: a non-negative int32). */
  integer: (min = 0, max = INT32_MAX): PropShape => ({ type: 'integer', min, max }),
  /** A finite number in `[min, max]`. */
  number: (min: number, max: number): PropShape => ({ type: 'number', min, max }),
  boolean: (): PropShape => ({ type: 'boolean' }),
  /** One of an enum's values (pass the enum object or a list). */
  oneOf: (values: Readonly<Record<string, string>> | readonly string[]): PropShape =>
    ({ type: 'enum', values: Array.isArray(values) ? [...values] : Object.values(values) }),
  /** A value object recognised by its members (works across copies of a package, unlike `instanceof`). */
  value: (name: string, members: readonly string[], example: string): PropShape => ({ type: 'value', name, members, example }),
  list: (items: PropShape, maxItems = 1000): PropShape => ({ type: 'list', items, maxItems }),
  map: (values: PropShape, maxEntries = 1000): PropShape => ({ type: 'map', values, maxEntries }),
  object: (props: PropTable): PropShape => ({ type: 'object', props }),
  /** An object whose listed fields are checked and whose other fields are passed through (metadata). */
  openObject: (props: PropTable): PropShape => ({ type: 'object', props, open: true }),
  /** Any one of several shapes (`Cron | string`). */
  either: (...shapes: PropShape[]): PropShape => ({ type: 'either', shapes }),
  function: (): PropShape => ({ type: 'function' }),
  /** An object the construct reads through its own API (a construct, a metadata block); only checked to be an object. */
  anyObject: (name: string): PropShape => ({ type: 'any-object', name }),
  /** The same shape, but the prop must be given. */
  required: (s: PropShape): PropShape => ({ ...s, required: true }),
};

/** cdk8s value types, recognised by the methods the constructs call on them. */
export const SIZE = shape.value('Size', ['toKibibytes', 'toMebibytes'], 'Size.gibibytes(10)');
export const DURATION = shape.value('Duration', ['toSeconds', 'toMilliseconds'], 'Duration.seconds(30)');
export const CRON = shape.value('Cron', ['expressionString'], 'Cron.daily()');
export const CPU = shape.value('Cpu', ['amount'], 'Cpu.millis(500)');
/** cdk8s-plus value types. */
export const PROBE = shape.value('Probe', ['_toKube'], 'Probe.fromHttpGet(\'/healthz\')');
export const NODE_TAINT_QUERY = shape.value('NodeTaintQuery', ['_toKube'], 'NodeTaintQuery.exists(\'key\')');
export const PERCENT_OR_ABSOLUTE = shape.value('PercentOrAbsolute', ['isZero'], 'PercentOrAbsolute.absolute(1)');
/** A DNS-1123 label (a name, a namespace). */
export const DNS_LABEL = shape.string({ maxLength: 63, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, patternRule: 'must be a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit)' });
/** A label value (`app.kubernetes.io/part-of`): at most 63 characters of letters, digits, "-", "_" and ".". */
export const LABEL_VALUE = shape.string({ maxLength: 63, pattern: /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, patternRule: 'must be a label value (letters, digits, "-", "_" and ".", starting and ending with a letter or digit)' });
/** `kplus.ContainerResources`: requests and limits of CPU, memory and ephemeral storage. */
export const CONTAINER_RESOURCES = shape.object({
  cpu: shape.object({ request: CPU, limit: CPU }),
  memory: shape.object({ request: SIZE, limit: SIZE }),
  ephemeralStorage: shape.object({ request: SIZE, limit: SIZE }),
});
/**
 * cdk8s `ApiObjectMetadata`: the fields of Kubernetes' ObjectMeta. cdk8s passes any other key through into the
 * object, where the API server would refuse it, so an unknown key is refused here with the nearest field name.
 */
export const METADATA = shape.object({
  name: shape.string({ maxLength: 253 }),
  generateName: shape.string({ maxLength: 253 }),
  namespace: DNS_LABEL,
  labels: shape.map(shape.string({ maxLength: 63, allowEmpty: true })),
  annotations: shape.map(shape.string({ maxLength: 256 * 1024, allowEmpty: true })),
  finalizers: shape.list(shape.string()),
  ownerReferences: shape.list(shape.anyObject('an OwnerReference')),
  uid: shape.string({ maxLength: 128 }),
  resourceVersion: shape.string({ maxLength: 128 }),
  generation: shape.integer(0, Number.MAX_SAFE_INTEGER),
  deletionGracePeriodSeconds: shape.integer(0, Number.MAX_SAFE_INTEGER),
});
/** A map of names to strings (labels, env, node selectors). */
export const STRING_MAP = shape.map(shape.string({ allowEmpty: true, maxLength: 1024 * 1024 }));

/**
 * Shows any value in a message, never throwing: strings quoted, numbers as written (NaN, Infinity, -0), BigInts
 * with `n`, symbols, functions and class instances by name, objects as (truncated) JSON.
 */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    switch (typeof value) {
      case 'string': text = JSON.stringify(value); break;
      case 'number': text = Object.is(value, -0) ? '-0' : String(value); break;
      case 'bigint': text = `${value}n`; break;
      case 'symbol': text = value.toString(); break;
      case 'function': text = `function ${value.name || '(anonymous)'}`; break;
      case 'undefined': text = 'undefined'; break;
      case 'boolean': text = String(value); break;
      default: {
        if (value === null) { text = 'null'; break; }
        const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
        const name = proto?.constructor?.name;
        if (!Array.isArray(value) && proto !== null && name && name !== 'Object') { text = `a ${name}`; break; }
        text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
      }
    }
  } catch {
    text = Array.isArray(value) ? 'an array' : 'an object (circular or not serializable)';
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The Levenshtein distance between two short strings. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The known name closest to `key`, if it is close enough to be a likely typo. */
export function nearestName(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** A refused prop: where, what was there, what it must be, how to fix it. */
interface Refusal {
  readonly path: string;
  readonly value: unknown;
  readonly rule: string;
  readonly fix: string;
}

/** How a message names a shape: "a string", "a Cron". */
function shapeName(s: PropShape): string {
  switch (s.type) {
    case 'value': return `a ${s.name}`;
    case 'any-object': return s.name;
    case 'enum': return `one of ${s.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'either': return s.shapes.map(shapeName).join(' or ');
    case 'list': return 'a list';
    case 'map': return 'an object of names to values';
    case 'integer': return 'a whole number';
    default: return `a ${s.type}`;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/** Checks one value against its shape; answers the first problem, or undefined. */
function check(path: string, value: unknown, s: PropShape): Refusal | undefined {
  const refuse = (rule: string, fix: string): Refusal => ({ path, value, rule, fix });
  switch (s.type) {
    case 'string':
      if (typeof value !== 'string') return refuse(`must be a string, not ${typeName(value)}`, 'pass text');
      if (value.length === 0 && !s.allowEmpty) return refuse('must not be empty', 'pass a value or leave the prop out');
      if (value.length > s.maxLength) return refuse(`must be at most ${s.maxLength} characters (got ${value.length})`, 'shorten it');
      if (s.pattern && !s.pattern.test(value)) return refuse(s.patternRule ?? `must match ${s.pattern}`, 'fix the value');
      return undefined;
    case 'integer':
    case 'number': {
      if (typeof value !== 'number') return refuse(`must be a number, not ${typeName(value)}`, `pass a number from ${s.min} to ${s.max}`);
      if (!Number.isFinite(value)) return refuse('must be a finite number', `pass a number from ${s.min} to ${s.max}`);
      if (s.type === 'integer' && !Number.isInteger(value)) return refuse('must be a whole number', `pass a whole number from ${s.min} to ${s.max}`);
      if (value < s.min || value > s.max) return refuse(`must be from ${s.min} to ${s.max}`, `pass a value in that range`);
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : refuse(`must be true or false, not ${typeName(value)}`, 'pass a boolean');
    case 'enum':
      return typeof value === 'string' && s.values.includes(value)
        ? undefined
        : refuse(`must be one of ${s.values.map((v) => JSON.stringify(v)).join(', ')}`, 'use one of the enum\'s members');
    case 'value': {
      const ok = typeof value === 'object' && value !== null && s.members.every((m) => (value as Record<string, unknown>)[m] !== undefined);
      return ok ? undefined : refuse(`must be a ${s.name}, not ${typeName(value)}`, `build one with ${s.example}`);
    }
    case 'either':
      return s.shapes.some((option) => check(path, value, option) === undefined)
        ? undefined
        : refuse(`must be ${s.shapes.map(shapeName).join(' or ')}, not ${typeName(value)}`, 'pass one of those');
    case 'list': {
      if (!Array.isArray(value)) return refuse(`must be a list, not ${typeName(value)}`, 'pass an array');
      if (value.length > s.maxItems) return refuse(`must have at most ${s.maxItems} items (got ${value.length})`, 'pass fewer');
      for (let i = 0; i < value.length; i++) {
        const problem = check(`${path}[${i}]`, value[i], s.items);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'map': {
      if (!isPlainObject(value)) return refuse(`must be an object of names to values, not ${typeName(value)}`, 'pass { name: value }');
      const keys = Object.keys(value);
      if (keys.length > s.maxEntries) return refuse(`must have at most ${s.maxEntries} entries (got ${keys.length})`, 'pass fewer');
      for (const k of keys) {
        const problem = check(`${path}.${k}`, value[k], s.values);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'object':
      if (!isPlainObject(value)) return refuse(`must be an object, not ${typeName(value)}`, 'pass { ... } with the documented fields');
      return checkTable(path, value, s.props, s.open);
    case 'function':
      return typeof value === 'function' ? undefined : refuse(`must be a function, not ${typeName(value)}`, 'pass a function');
    case 'any-object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? undefined
        : refuse(`must be ${s.name}, not ${typeName(value)}`, `pass ${s.name}`);
  }
}

function checkTable(prefix: string, props: Record<string, unknown>, table: PropTable, open = false): Refusal | undefined {
  const known = Object.keys(table);
  for (const key of open ? [] : Object.keys(props)) {
    if (Object.prototype.hasOwnProperty.call(table, key)) continue;
    const near = nearestName(key, known);
    return {
      path: prefix ? `${prefix}.${key}` : key,
      value: props[key],
      rule: 'is not a known prop',
      fix: near ? `did you mean "${near}"?` : `known props: ${known.join(', ')}`,
    };
  }
  for (const key of known) {
    const value = props[key];
    if (value === undefined && table[key].required) {
      return { path: prefix ? `${prefix}.${key}` : key, value, rule: 'is required', fix: 'pass it (see its documentation)' };
    }
    if (value === undefined) continue;
    const problem = check(prefix ? `${prefix}.${key}` : key, value, table[key]);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Checks `props` against its table and throws `<Construct> '<id>': <prop> (<value>) <rule>; <fix>` for the first
 * problem. `undefined` props are allowed when `optional` (every prop optional); anything else must be a plain
 * object. A prop whose shape is `shape.required(...)` must be given.
 */
export function guardProps(construct: string, id: string, props: unknown, table: PropTable, optional = false): void {
  let problem: Refusal | undefined;
  if (props === undefined && optional) return;
  if (!isPlainObject(props)) {
    problem = { path: 'props', value: props, rule: `must be an object, not ${typeName(props)}`, fix: 'pass { ... } with the documented props' };
  } else {
    problem = checkTable('', props, table);
  }
  if (problem) throw new Error(`${construct} '${id}': ${problem.path} (${describeValue(problem.value)}) ${problem.rule}; ${problem.fix}`);
}
