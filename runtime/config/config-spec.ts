/**
 * ConfigSpec: the declarative list of a plugin's config keys, as Kafka's ConfigDef. One spec drives
 * parsing (typed values and defaults), validation (every error at once), the REST validate answer
 * and the plugin's generated docs page. Part of the plugin SDK: imports nothing else of the runtime.
 */
import { ConfigError } from '../api/errors.js';

export type ConfigType = 'boolean' | 'string' | 'int' | 'short' | 'long' | 'double' | 'list' | 'class' | 'password';
export type Importance = 'high' | 'medium' | 'low';
export type Width = 'none' | 'short' | 'medium' | 'long';

/** A secret: never printed, never logged. `value` holds the text. */
export class Password {
  static readonly HIDDEN = '[hidden]';
  constructor(readonly value: string) {}
  toString(): string {
    return Password.HIDDEN;
  }
  toJSON(): string {
    return Password.HIDDEN;
  }
}

export type ConfigValueType = boolean | string | number | string[] | Password | null;

/** Checks a parsed value; returns an error message, or null when fine. */
export type Validator = ((name: string, value: ConfigValueType) => string | null) & { describe?: string };

export interface ConfigKeyDef {
  name: string;
  type: ConfigType;
  /** Absent: the key is required. `null`: optional with no value. */
  default?: ConfigValueType | undefined;
  importance: Importance;
  doc: string;
  validator?: Validator;
  group?: string;
  orderInGroup?: number;
  width?: Width;
  displayName?: string;
  dependents?: string[];
  /** Values to offer in the REST validate answer. */
  recommendedValues?: (config: Record<string, string>) => unknown[];
}

/** One key's outcome in a validation: the answer's `value` block in Kafka's REST format. */
export interface ConfigValue {
  name: string;
  value: string | null;
  recommendedValues: unknown[];
  errors: string[];
  visible: boolean;
}

const PARSERS: Record<ConfigType, (raw: string) => ConfigValueType> = {
  boolean: (raw) => {
    const t = raw.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    throw new Error('Expected value to be either true or false');
  },
  string: (raw) => raw.trim(),
  password: (raw) => new Password(raw),
  class: (raw) => raw.trim(),
  int: (raw) => parseInteger(raw, -2147483648, 2147483647, '32-bit integer'),
  short: (raw) => parseInteger(raw, -32768, 32767, '16-bit integer'),
  long: (raw) => parseInteger(raw, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, '64-bit integer'),
  double: (raw) => {
    const n = Number(raw.trim());
    if (raw.trim() === '' || Number.isNaN(n)) throw new Error('Not a number of type DOUBLE');
    return n;
  },
  list: (raw) => (raw.trim() === '' ? [] : raw.split(',').map((s) => s.trim())),
};

function parseInteger(raw: string, lo: number, hi: number, what: string): number {
  const t = raw.trim();
  if (!/^[+-]?\d+$/.test(t)) throw new Error(`Not a number of type ${what}`);
  const n = Number(t);
  if (n < lo || n > hi) throw new Error(`Value is out of range of a ${what}`);
  return n;
}

export class ConfigSpec {
  private readonly keys = new Map<string, ConfigKeyDef>();

  define(def: ConfigKeyDef): this {
    if (this.keys.has(def.name)) throw new Error(`config key '${def.name}' is defined twice`);
    this.keys.set(def.name, def);
    return this;
  }

  /** A new spec with this one's keys and the other's (the other's win on clashes). */
  merge(other: ConfigSpec): ConfigSpec {
    const spec = new ConfigSpec();
    for (const def of this.keys.values()) spec.keys.set(def.name, def);
    for (const def of other.keys.values()) spec.keys.set(def.name, def);
    return spec;
  }

  definitions(): ConfigKeyDef[] {
    return [...this.keys.values()];
  }

  get(name: string): ConfigKeyDef | undefined {
    return this.keys.get(name);
  }

  /** Checks every key and returns one ConfigValue per defined key, each with all its errors. */
  validate(props: Record<string, string>): ConfigValue[] {
    return this.definitions().map((def) => {
      const raw = props[def.name];
      const errors: string[] = [];
      const { value, error } = this.parseOne(def, raw);
      if (error) errors.push(error);
      else if (def.validator && !(value === null && raw === undefined)) {
        const msg = def.validator(def.name, value);
        if (msg) errors.push(`Invalid value ${display(def, raw)} for configuration ${def.name}: ${msg}`);
      }
      return {
        name: def.name,
        value: raw === undefined ? defaultText(def) : def.type === 'password' ? Password.HIDDEN : raw,
        recommendedValues: def.recommendedValues ? def.recommendedValues(props) : [],
        errors,
        visible: true,
      };
    });
  }

  /** Typed values of every key, defaults applied; throws one ConfigError listing every problem. */
  parse(props: Record<string, string>, what = 'config'): ParsedConfig {
    const values = new Map<string, ConfigValueType>();
    const errors: Record<string, string[]> = {};
    for (const cv of this.validate(props)) {
      if (cv.errors.length > 0) errors[cv.name] = cv.errors;
      else values.set(cv.name, this.parseOne(this.keys.get(cv.name)!, props[cv.name]).value);
    }
    const names = Object.keys(errors);
    if (names.length > 0) {
      const lines = names.flatMap((n) => errors[n]!);
      throw new ConfigError(`${what} has ${lines.length} error(s):\n${lines.join('\n')}`, errors);
    }
    return new ParsedConfig(values, props, this);
  }

  /** A Markdown table of the keys: the plugin's docs page is generated from this. */
  toMarkdown(title: string): string {
    const rows = this.definitions().map((d) => {
      const dflt = d.default === undefined ? '(required)' : d.default === null ? '' : `\`${defaultText(d)}\``;
      const valid = d.validator?.describe ?? '';
      return `| \`${d.name}\` | ${d.type} | ${dflt} | ${valid} | ${d.importance} | ${d.doc.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`;
    });
    return [`# ${title}`, '', '| key | type | default | valid values | importance | description |', '|---|---|---|---|---|---|', ...rows, ''].join('\n');
  }

  private parseOne(def: ConfigKeyDef, raw: string | undefined): { value: ConfigValueType; error?: string } {
    if (raw === undefined) {
      if (def.default === undefined) return { value: null, error: `Missing required configuration "${def.name}" which has no default value.` };
      return { value: def.default };
    }
    try {
      return { value: PARSERS[def.type](raw) };
    } catch (e) {
      return { value: null, error: `Invalid value ${display(def, raw)} for configuration ${def.name}: ${(e as Error).message}` };
    }
  }
}

function display(def: ConfigKeyDef, raw: string | undefined): string {
  return def.type === 'password' ? Password.HIDDEN : String(raw);
}

function defaultText(def: ConfigKeyDef): string | null {
  const d = def.default;
  if (d === undefined || d === null) return null;
  if (Array.isArray(d)) return d.join(',');
  return String(d);
}

/** The typed outcome of ConfigSpec.parse. Getters throw on a key the spec does not define. */
export class ParsedConfig {
  constructor(
    private readonly values: Map<string, ConfigValueType>,
    readonly originals: Record<string, string>,
    readonly spec: ConfigSpec,
  ) {}

  private raw(name: string): ConfigValueType {
    if (!this.values.has(name)) throw new ConfigError(`config key '${name}' is not defined`);
    return this.values.get(name)!;
  }

  getString(name: string): string | null {
    const v = this.raw(name);
    return v === null ? null : String(v);
  }

  /** A string that must have a value (required, or with a non-null default). */
  requireString(name: string): string {
    const v = this.getString(name);
    if (v === null) throw new ConfigError(`Missing required configuration "${name}"`);
    return v;
  }

  getNumber(name: string): number | null {
    return this.raw(name) as number | null;
  }

  getInt(name: string): number {
    const v = this.raw(name);
    if (typeof v !== 'number') throw new ConfigError(`config key '${name}' has no number value`);
    return v;
  }

  getBoolean(name: string): boolean {
    return this.raw(name) === true;
  }

  getList(name: string): string[] {
    return (this.raw(name) as string[] | null) ?? [];
  }

  getPassword(name: string): Password | null {
    return this.raw(name) as Password | null;
  }

  /** Keys given that the spec does not define: the caller warns about them by name. */
  unknownKeys(knownPrefixes: string[] = []): string[] {
    return Object.keys(this.originals).filter(
      (k) => !this.spec.get(k) && !knownPrefixes.some((p) => k.startsWith(p)),
    );
  }

  /** The given keys that start with `prefix`, with the prefix removed. */
  withPrefix(prefix: string): Record<string, string> {
    return withPrefix(this.originals, prefix);
  }
}

/** The keys of `props` that start with `prefix`, with the prefix removed. */
export function withPrefix(props: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}
