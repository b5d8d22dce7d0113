/**
 * Cast$Key / Cast$Value: casts fields of a Struct or map, or the whole key/value, to another
 * primitive type (`spec=id:int32,price:float64` or `spec=string`).
 */
import {
  ConfigSpec,
  DataError,
  DateType,
  LOGICAL_NAMES,
  SchemaBuilder,
  Struct,
  TimeType,
  TimestampType,
  type AnyRecord,
  type Schema,
  type SchemaType,
  type Transformation,
  type Validator,
} from '../api/index.js';
import { castTo, inferType } from './cast-values.js';
import { SchemaCache, copySchemaBasics, operatingSchema, operatingValue, parseConfig, requireMap, requireStruct, withOperating, type Side } from './support.js';

const INPUT_TYPES: SchemaType[] = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes'];
const OUTPUT_TYPES: SchemaType[] = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string'];
const ALL_TYPES: SchemaType[] = [...INPUT_TYPES, 'array', 'map', 'struct'];
const PURPOSE = 'cast types';
/** Marks the whole-value cast in the parsed spec; no field can have this name. */
const WHOLE_VALUE = Symbol('whole value');

type CastSpec = Map<string | typeof WHOLE_VALUE, SchemaType>;

function unsupported(type: SchemaType, allowed: SchemaType[]): string {
  return `Cast transformation does not support casting to/from ${type.toUpperCase()}; supported types are [${allowed.map((t) => t.toUpperCase()).join(', ')}]`;
}

/** Parses `field:type` pairs or a single type; throws an Error with Kafka's wording. */
export function parseCastSpec(items: string[]): CastSpec {
  if (items.length === 0) throw new Error('Must specify at least one field to cast.');
  const casts: CastSpec = new Map();
  for (const item of items) {
    const parts = item.split(':');
    if (parts.length > 2) throw new Error(`Invalid cast mapping: ${item}`);
    const typeText = parts[parts.length - 1]!.trim();
    const type = ALL_TYPES.find((t) => t === typeText.toLowerCase());
    if (!type) throw new Error(`Invalid type found in casting spec: ${typeText}`);
    if (!OUTPUT_TYPES.includes(type)) throw new Error(unsupported(type, OUTPUT_TYPES));
    casts.set(parts.length === 1 ? WHOLE_VALUE : parts[0]!.trim(), type);
  }
  if (casts.has(WHOLE_VALUE) && casts.size > 1) {
    throw new Error('Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec');
  }
  return casts;
}

const specValidator: Validator = Object.assign(
  (_name: string, value: unknown): string | null => {
    try {
      parseCastSpec(Array.isArray(value) ? value : []);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  },
  { describe: 'list of colon-delimited pairs, e.g. foo:bar,abc:xyz' },
);

export const CAST_CONFIG = new ConfigSpec().define({
  name: 'spec',
  type: 'list',
  importance: 'high',
  validator: specValidator,
  doc: 'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. '
    + 'A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. '
    + 'Note that binary fields can only be cast to string.',
});

/** Logical Date/Time/Timestamp values become their epoch numbers before a non-string cast. */
function encodeLogical(schema: Schema, value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  switch (schema.name) {
    case DateType.LOGICAL_NAME: return DateType.fromLogical(value);
    case TimeType.LOGICAL_NAME: return TimeType.fromLogical(value);
    case TimestampType.LOGICAL_NAME: return TimestampType.fromLogical(value);
    default: return value;
  }
}

export function castValue(schema: Schema | null, value: unknown, target: SchemaType): unknown {
  if (value === null || value === undefined) return null;
  const sourceType = schema ? schema.type : inferType(value);
  if (sourceType === null) {
    throw new DataError(`Cast transformation was passed a value of type ${value?.constructor?.name ?? typeof value} which is not supported by Connect's data API`);
  }
  if (!INPUT_TYPES.includes(sourceType)) throw new DataError(unsupported(sourceType, INPUT_TYPES));
  const encoded = schema?.name && target !== 'string' ? encodeLogical(schema, value) : value;
  return castTo(encoded, target, schema ? sourceType : null, schema);
}

export class Cast implements Transformation {
  private casts: CastSpec = new Map();
  private wholeValueType: SchemaType | null = null;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  configure(configs: Record<string, string>): void {
    const config = parseConfig(CAST_CONFIG, configs, `Cast$${this.side === 'key' ? 'Key' : 'Value'}`);
    this.casts = parseCastSpec(config.getList('spec'));
    this.wholeValueType = this.casts.get(WHOLE_VALUE) ?? null;
    this.cache.clear();
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const value = operatingValue(record, this.side);
    if (value === null) return record;
    const schema = operatingSchema(record, this.side);
    if (!schema) {
      if (this.wholeValueType) return withOperating(record, this.side, null, castValue(null, value, this.wholeValueType));
      const map = requireMap(value, PURPOSE);
      const updated: Record<string, unknown> = { ...map };
      for (const [field, type] of this.casts) if (typeof field === 'string') updated[field] = castValue(null, map[field], type);
      return withOperating(record, this.side, null, updated);
    }
    const updatedSchema = this.cache.getOrBuild(schema, (s) => this.buildSchema(s));
    if (this.wholeValueType) return withOperating(record, this.side, updatedSchema, castValue(schema, value, this.wholeValueType));
    return withOperating(record, this.side, updatedSchema, this.castStruct(schema, requireStruct(value, PURPOSE), updatedSchema));
  }

  private buildSchema(schema: Schema): Schema {
    let builder: SchemaBuilder;
    if (this.wholeValueType) {
      // A logical name would no longer describe the cast value, so it is not carried over.
      builder = LOGICAL_NAMES.includes(schema.name ?? '') ? SchemaBuilder.type(this.wholeValueType) : copySchemaBasics(schema, SchemaBuilder.type(this.wholeValueType));
    } else {
      if (schema.type !== 'struct') throw new DataError(`Only Struct objects supported for [${PURPOSE}], found: ${schema.describe()}`);
      builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields()) {
        const type = this.casts.get(field.name);
        if (!type) {
          builder.field(field.name, field.schema);
          continue;
        }
        const fb = SchemaBuilder.type(type);
        if (field.schema.optional) fb.optional();
        if (field.schema.defaultValue !== null) fb.defaultValue(castValue(field.schema, field.schema.defaultValue, type));
        builder.field(field.name, fb.build());
      }
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue === null) return builder.build();
    if (this.wholeValueType) return builder.defaultValue(castValue(schema, schema.defaultValue, this.wholeValueType)).build();
    // A struct default is cast field by field against the new schema (Kafka itself rejects these).
    return builder.defaultValue(this.castStruct(schema, requireStruct(schema.defaultValue, PURPOSE), builder.build())).build();
  }

  private castStruct(schema: Schema, struct: Struct, updatedSchema: Schema): Struct {
    const updated = new Struct(updatedSchema);
    for (const field of schema.fields()) {
      const type = this.casts.get(field.name);
      const v = struct.get(field);
      updated.put(field.name, type ? castValue(field.schema, v, type) : v);
    }
    return updated;
  }

  config(): ConfigSpec {
    return CAST_CONFIG;
  }

  close(): void {
    this.cache.clear();
  }
}
