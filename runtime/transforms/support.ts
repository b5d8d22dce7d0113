/**
 * What the built-in transforms share: which side of the record they work on, the Struct/Map checks
 * with Kafka's wording, a per-input-schema cache, and config parsing that reports every bad key at once.
 */
import {
  ConfigError,
  DataError,
  SchemaBuilder,
  Struct,
  isPlainObject,
  type AnyRecord,
  type ConfigKeyDef,
  type ConfigSpec,
  type ConnectRecordFields,
  type ParsedConfig,
  type Schema,
} from '../api/index.js';

/** The part of the record a `$Key` or `$Value` variant reads and rewrites. */
export type Side = 'key' | 'value';

export function operatingSchema(record: AnyRecord, side: Side): Schema | null {
  return side === 'key' ? record.keySchema : record.valueSchema;
}

export function operatingValue(record: AnyRecord, side: Side): unknown {
  return side === 'key' ? record.key : record.value;
}

/** A copy of the record with other fields; keeps the record's own class (Source or Sink). */
export function rebuild<R extends AnyRecord>(record: R, changes: Partial<ConnectRecordFields>): R {
  return (record.newRecord as (c: Partial<ConnectRecordFields>) => R).call(record, changes);
}

/** A copy of the record with the operating side replaced. */
export function withOperating<R extends AnyRecord>(record: R, side: Side, schema: Schema | null, value: unknown): R {
  return side === 'key' ? rebuild(record, { keySchema: schema, key: value }) : rebuild(record, { valueSchema: schema, value });
}

export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct)) {
    throw new DataError(`Only Struct objects supported for [${purpose}], found: ${typeName(value)}`);
  }
  return value;
}

export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose);
}

/** Schemaless maps are plain objects here; a Map with string keys is accepted and read as one. */
export function requireMap(value: unknown, purpose: string): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  if (value instanceof Map && [...value.keys()].every((k) => typeof k === 'string')) {
    return Object.fromEntries(value) as Record<string, unknown>;
  }
  throw new DataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${typeName(value)}`);
}

export function requireMapOrNull(value: unknown, purpose: string): Record<string, unknown> | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

export function requireSchema(schema: Schema | null, purpose: string): Schema {
  if (!schema) throw new DataError(`Schema required for [${purpose}]`);
  return schema;
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}

/** A builder of the same kind as `source` with its name, version, doc and parameters (not fields, optionality or default). */
export function copySchemaBasics(source: Schema, builder: SchemaBuilder): SchemaBuilder {
  builder.name(source.name).version(source.version).doc(source.doc);
  if (source.parameters) builder.parameters({ ...source.parameters });
  return builder;
}

/** The same schema made optional (unchanged when it already is). */
export function asOptional(schema: Schema): Schema {
  return schema.optional ? schema : SchemaBuilder.from(schema).optional().build();
}

/**
 * Transformed schemas keyed by input schema. Schemas are immutable and converters hand out the same
 * instance for the same wire schema, so a WeakMap lookup replaces rebuilding on every record.
 */
export class SchemaCache {
  private cache = new WeakMap<Schema, Schema>();

  getOrBuild(input: Schema, build: (input: Schema) => Schema): Schema {
    let out = this.cache.get(input);
    if (!out) {
      out = build(input);
      this.cache.set(input, out);
    }
    return out;
  }

  clear(): void {
    this.cache = new WeakMap();
  }
}

/** Cross-key checks a spec cannot express: raw props in, messages per key out. */
export type ExtraCheck = (props: Record<string, string>) => Record<string, string[]>;

/**
 * ConfigSpec.parse plus the checks that span keys, all gathered into one ConfigError so a user sees
 * every bad key of a transform at once.
 */
export function parseConfig(spec: ConfigSpec, props: Record<string, string>, what: string, extra?: ExtraCheck): ParsedConfig {
  const errors: Record<string, string[]> = {};
  for (const cv of spec.validate(props)) if (cv.errors.length) errors[cv.name] = [...cv.errors];
  if (extra) {
    for (const [key, msgs] of Object.entries(extra(props))) if (msgs.length) (errors[key] ??= []).push(...msgs);
  }
  const lines = Object.values(errors).flat();
  if (lines.length) throw new ConfigError(`${what} has ${lines.length} error(s):\n${lines.join('\n')}`, errors);
  return spec.parse(props, what);
}

/** Splits a list value the way ConfigSpec does, for cross-key checks that read raw props. */
export function rawList(props: Record<string, string>, key: string): string[] {
  const raw = props[key];
  return raw === undefined || raw.trim() === '' ? [] : raw.split(',').map((s) => s.trim());
}

/** A Struct's field value, with or without falling back to the field's schema default. */
export function fieldValue(struct: Struct, name: string, replaceNullWithDefault: boolean): unknown {
  return replaceNullWithDefault ? struct.get(name) : struct.getWithoutDefault(name);
}

/** `ExtractField$Value`: the class name a user wrote, for error messages. */
export function variantName(base: string, side: Side): string {
  return `${base}$${side === 'key' ? 'Key' : 'Value'}`;
}

/** Kafka's `replace.null.with.default` key, shared by the transforms that read struct fields. */
export const REPLACE_NULL_WITH_DEFAULT: ConfigKeyDef = {
  name: 'replace.null.with.default',
  type: 'boolean',
  default: true,
  importance: 'medium',
  doc: 'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
};
