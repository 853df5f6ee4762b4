import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Script } from 'vm';
import { describeObject, KubeObject, Violation } from './objects';
import { BundledKind, bundleSchemas, gvkKey, JsonSchema, OBJECT_META_DEFINITION, SchemaBundle, SchemaDocument } from './schema-bundle';
import { nearNames } from './spelling';

/** A validator as kept between runs: its generated JavaScript, and V8's compiled form of it when known. */
export interface CachedValidator {
  /** The validator's generated JavaScript (a CommonJS module). */
  readonly source: string;
  /**
   * V8's code cache of `source` (`vm.Script#createCachedData`); V8 rejects a cache from another version.
   * @default - compiled from `source`
   */
  readonly codeCache?: Uint8Array;
}

/**
 * Where compiled validators are kept between runs, by key. Reading may miss; writing may fail (a read-only
 * folder): both only cost a compile.
 */
export interface ValidatorCache {
  /** The validator stored under `key`, or undefined. */
  read(key: string): CachedValidator | undefined;
  /** Stores a validator under `key` (the code cache alone, when only that is new). */
  write(key: string, validator: CachedValidator): void;
}

/** Options of {@link SchemaRegistry.fromBundle}. */
export interface SchemaRegistryOptions {
  /**
   * Where compiled validators are kept between runs.
   * @default - compiled in every process
   */
  readonly cache?: ValidatorCache;
}

/**
 * The version of the validator code: part of every cache key, so that a change to how validators are generated
 * (options, the pattern dialect) never reuses code generated the old way.
 */
const VALIDATOR_CODE_VERSION = 1;

/** The module name by which generated validator code reaches {@link goRegExp}. */
const GO_REGEXP_MODULE = 'fleetcraft:go-regexp';

/**
 * Validates Kubernetes objects against upstream schemas, strictly: a field the schema does not list fails, and a
 * kind or apiVersion with no schema fails (a removed API such as `policy/v1beta1` PodDisruptionBudget included).
 *
 * Load it with the texts of the Kubernetes OpenAPI v2 document and any CustomResourceDefinitions; it reads no
 * files itself. Schemas are compiled on first use of each kind.
 */
export class SchemaRegistry {
  /** Builds a registry from schema file texts (OpenAPI v2 JSON, CRD YAML, or plain JSON Schema). */
  public static fromDocuments(docs: readonly SchemaDocument[], options: SchemaRegistryOptions = {}): SchemaRegistry {
    return new SchemaRegistry(bundleSchemas(docs), options);
  }

  /** Builds a registry from a schema bundle (see `bundleSchemas`); nothing is compiled until a kind is validated. */
  public static fromBundle(bundle: SchemaBundle, options: SchemaRegistryOptions = {}): SchemaRegistry {
    return new SchemaRegistry(bundle, options);
  }

  /** The bundle this registry validates against. */
  public readonly bundle: SchemaBundle;
  private readonly cache?: ValidatorCache;
  private ajvInstance?: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private sortedKinds?: string[];

  private constructor(bundle: SchemaBundle, options: SchemaRegistryOptions) {
    this.bundle = bundle;
    this.cache = options.cache;
  }

  /** Every `group/version/Kind` this registry can validate, sorted. */
  public get kinds(): string[] {
    this.sortedKinds ??= Object.keys(this.bundle.kinds).sort();
    return [...this.sortedKinds];
  }

  /** Whether a schema exists for this apiVersion and kind. */
  public has(apiVersion: string, kind: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.bundle.kinds, gvkKey(apiVersion, kind));
  }

  /** Validates one object; returns every violation, or none. */
  public validate(obj: KubeObject): Violation[] {
    const object = describeObject(obj);
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      return [{ rule: 'schema', severity: 'error', object, path: '(root)', message: 'apiVersion and kind must both be strings' }];
    }
    if (!this.has(obj.apiVersion, obj.kind)) {
      return [{ rule: 'schema', severity: 'error', object, path: '(root)', message: this.missingSchema(obj.apiVersion, obj.kind) }];
    }
    const validateFn = this.validatorFor(gvkKey(obj.apiVersion, obj.kind));
    if (validateFn(obj)) return [];
    return simplifyErrors(validateFn.errors ?? []).map((e) => ({
      rule: 'schema', severity: 'error' as const, object, path: e.path, message: e.message,
    }));
  }

  /**
   * The kind's validator: compiled once per process, and its generated code kept in the cache (keyed by the
   * bundle's hash, the validator code version and the kind), so a later run only loads it.
   */
  private validatorFor(key: string): ValidateFunction {
    const known = this.compiled.get(key);
    if (known) return known;
    const cacheKey = `${this.bundle.hash.slice(0, 32)}-v${VALIDATOR_CODE_VERSION}-ajv${ajvVersion()}/${key}`;
    let validateFn = this.cache ? loadValidator(this.cache, cacheKey, this.cache.read(cacheKey)) : undefined;
    if (!validateFn) {
      const ajv = this.ajv();
      validateFn = ajv.compile(selfContained(key, this.bundle));
      if (this.cache) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default;
        const entry = { source: standaloneCode(ajv, validateFn) };
        validateFn = loadValidator(this.cache, cacheKey, entry) ?? validateFn;
        try {
          this.cache.write(cacheKey, entry);
        } catch {
          // A cache that cannot be written costs a compile next time, nothing else.
        }
      }
    }
    this.compiled.set(key, validateFn);
    return validateFn;
  }

  /** The compiler, created on the first kind that is not in the cache (loading ajv itself takes a while). */
  private ajv(): Ajv {
    if (!this.ajvInstance) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const AjvClass = (require('ajv') as typeof import('ajv')).default;
      // optimize: false — ajv's code optimizer costs more than it saves for validators used once per object.
      this.ajvInstance = new AjvClass({
        strict: false, allErrors: true, validateFormats: false, validateSchema: false,
        code: { regExp: goRegExp, optimize: false, source: this.cache !== undefined },
      });
    }
    return this.ajvInstance;
  }

  /**
   * Why an apiVersion and kind have no schema, with the way out: another version serves the kind (a removed API such
   * as `policy/v1beta1`, or `extensions/v1beta1` whose kinds moved to `apps`), the group has no such kind (a typo),
   * or the group is unknown (a custom resource whose CRD is missing: a kind of the same name in another group, such
   * as Istio's Gateway for Gateway API's, is a different API and is not suggested).
   */
  private missingSchema(apiVersion: string, kind: string): string {
    const groupOf = (gv: string): string => (gv.includes('/') ? gv.slice(0, gv.indexOf('/')) : '');
    const builtIn = (g: string): boolean => !g.includes('.');
    const group = groupOf(apiVersion);
    const all = this.kinds.map((k) => ({ gv: k.slice(0, k.lastIndexOf('/')), kind: k.slice(k.lastIndexOf('/') + 1) }));
    const inGroup = all.filter((k) => groupOf(k.gv) === group);
    const head = `no schema for apiVersion ${apiVersion} kind ${kind}`;
    const servedAs = (inGroup.length > 0 || !builtIn(group) ? inGroup : all.filter((k) => builtIn(groupOf(k.gv))))
      .filter((k) => k.kind === kind).map((k) => k.gv);
    if (servedAs.length > 0) return `${head} (removed or unknown API); ${kind} is served as ${servedAs.join(', ')}`;
    if (inGroup.length > 0) {
      const near = nearNames(kind, [...new Set(inGroup.map((k) => k.kind))]);
      const hint = near.length > 0 ? `did you mean ${near.join(' or ')}?` : 'check the kind\'s spelling, or add the CustomResourceDefinition that defines it';
      return `${head}: API group ${group || 'core (v1)'} has no kind ${kind}; ${hint}`;
    }
    return `${head}: API group ${group} is unknown to the schemas (a custom resource?); add its CustomResourceDefinition to the schema folder or the input`;
  }
}

/**
 * Compiles a CRD's `pattern` the way the API server (Go's RE2) reads it: a leading inline flag such as `(?i)`
 * becomes a JavaScript flag. `code` is how generated validator code reaches it.
 */
const goRegExp = Object.assign((pattern: string, flags: string): RegExp => {
  const inline = /\(\?([imsU]+)\)/g;
  const extra = new Set<string>();
  const source = pattern.replace(inline, (_m, f: string) => {
    for (const c of f) if (c === 'i' || c === 'm' || c === 's') extra.add(c);
    return '';
  });
  return new RegExp(source, flags + [...extra].join(''));
}, { code: `require(${JSON.stringify(GO_REGEXP_MODULE)}).goRegExp` });

let ajvVersionCache: string | undefined;

/** The installed ajv's version (generated code depends on its runtime helpers). */
function ajvVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ajvVersionCache ??= (require('ajv/package.json') as { version: string }).version;
  return ajvVersionCache;
}

/**
 * Turns cached validator code back into a function, through V8's code cache when it has one. The code may only
 * reach ajv's runtime helpers and the pattern compiler; anything else (or code that does not load) counts as a
 * miss. After its first validation the validator's compiled form (the functions V8 compiled for that object
 * included) goes back into the cache, so the next run neither parses nor compiles it.
 */
function loadValidator(cache: ValidatorCache, key: string, entry: CachedValidator | undefined): ValidateFunction | undefined {
  if (!entry) return undefined;
  const load = (id: string): unknown => {
    if (id === GO_REGEXP_MODULE) return { goRegExp };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (/^ajv\/dist\/runtime\/[a-z_0-9]+$/.test(id)) return require(id);
    throw new Error(`validator code may not load ${id}`);
  };
  try {
    const script = new Script(`(function (require, module, exports) {${entry.source}\n})`, {
      filename: `fleetcraft-validator:${key}`,
      ...(entry.codeCache ? { cachedData: Buffer.from(entry.codeCache.buffer, entry.codeCache.byteOffset, entry.codeCache.byteLength) } : {}),
    });
    const module: { exports: unknown } = { exports: {} };
    (script.runInThisContext() as (r: typeof load, m: typeof module, e: unknown) => void)(load, module, module.exports);
    const validate = module.exports;
    if (typeof validate !== 'function') return undefined;
    if (entry.codeCache && !script.cachedDataRejected) return validate as ValidateFunction;
    let first = true;
    const wrapped = Object.assign((data: unknown): boolean => {
      const valid = (validate as ValidateFunction)(data);
      wrapped.errors = (validate as ValidateFunction).errors;
      if (first) {
        first = false;
        try {
          cache.write(key, { source: entry.source, codeCache: script.createCachedData() });
        } catch {
          // no code cache: the next run compiles the source again
        }
      }
      return valid;
    }, { errors: null as ValidateFunction['errors'] });
    return wrapped as unknown as ValidateFunction;
  } catch {
    return undefined;
  }
}

/**
 * One kind's schema with exactly the definitions it reaches, under its own `$id`: compiled on its own, its code
 * stands alone. A custom resource's `metadata` falls back to any object when the bundle has no OpenAPI document.
 */
function selfContained(key: string, bundle: SchemaBundle): JsonSchema {
  const kind: BundledKind = bundle.kinds[key];
  const definitions: Record<string, JsonSchema> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) {
          const name = v.slice('#/definitions/'.length);
          if (definitions[name]) continue;
          const def = bundle.definitions[name] ?? (name === OBJECT_META_DEFINITION ? { type: 'object' } : undefined);
          if (!def) throw new Error(`schema for ${key} from ${kind.source} refers to a missing definition ${name}`);
          definitions[name] = def;
          visit(def);
        } else {
          visit(v);
        }
      }
    }
  };
  const root: JsonSchema = kind.definition ? { $ref: `#/definitions/${kind.definition}` } : { ...kind.schema };
  visit(root);
  const own = (root.definitions ?? {}) as Record<string, JsonSchema>;
  return { ...root, $id: `fleetcraft:${key}`, definitions: { ...definitions, ...own } };
}

/** Turns ajv's errors into one readable line each, dropping the noise that `anyOf` branches add. */
function simplifyErrors(errors: ErrorObject[]): Array<{ path: string; message: string }> {
  const seen = new Set<string>();
  const out: Array<{ path: string; message: string }> = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const path = e.instancePath ? e.instancePath.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.') : '(root)';
    let message: string;
    if (e.keyword === 'additionalProperties') {
      message = `unknown field "${String(e.params.additionalProperty)}" (not in the schema; check its spelling and placement)`;
    } else if (e.keyword === 'required') {
      message = `missing required field "${String(e.params.missingProperty)}"`;
    } else if (e.keyword === 'enum') {
      message = `${e.message ?? 'invalid'}: ${JSON.stringify(e.params.allowedValues)}`;
    } else {
      message = e.message ?? e.keyword;
    }
    const line = `${path}|${message}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push({ path, message });
  }
  return out;
}
