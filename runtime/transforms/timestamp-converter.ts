/**
 * TimestampConverter$Key / TimestampConverter$Value: converts a timestamp field (or the whole key or
 * value) between a formatted string, Unix epoch numbers, and Connect's Date, Time and Timestamp.
 */
import { ConfigSpec, DataError, DateType, SchemaBuilder, Schemas, Struct, TimeType, TimestampType, Validators, type AnyRecord, type Schema, type Transformation } from '../api/index.js';
import { SimpleDateFormat, patternError } from './simple-date-format.js';
import { SchemaCache, copySchemaBasics, fieldValue, operatingSchema, operatingValue, parseConfig, requireMapOrNull, requireStructOrNull, typeName, variantName, withOperating, type Side, REPLACE_NULL_WITH_DEFAULT } from './support.js';

const PURPOSE = 'converting timestamp formats';
const MS_PER_DAY = 86_400_000;
const TYPES = ['string', 'unix', 'Date', 'Time', 'Timestamp'] as const;
type TimestampKind = (typeof TYPES)[number];
const PRECISIONS = ['nanoseconds', 'microseconds', 'milliseconds', 'seconds'] as const;
type Precision = (typeof PRECISIONS)[number];
/** How many units of each precision make a millisecond (as a divisor) or a millisecond makes (as a multiplier). */
const PER_MILLI: Record<Precision, { mul: bigint; div: bigint }> = {
  nanoseconds: { mul: 1_000_000n, div: 1n },
  microseconds: { mul: 1000n, div: 1n },
  milliseconds: { mul: 1n, div: 1n },
  seconds: { mul: 1n, div: 1000n },
};

export const TIMESTAMP_CONVERTER_CONFIG = new ConfigSpec()
  .define({ name: 'field', type: 'string', default: '', importance: 'high', doc: 'The field containing the timestamp, or empty if the entire value is a timestamp' })
  .define({ name: 'target.type', type: 'string', importance: 'high', validator: Validators.oneOf(...TYPES), doc: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp' })
  .define({ name: 'format', type: 'string', default: '', importance: 'medium', doc: 'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.' })
  .define({
    name: 'unix.precision',
    type: 'string',
    default: 'milliseconds',
    importance: 'low',
    validator: Validators.oneOf(...PRECISIONS),
    doc: 'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long. '
      + 'Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
  })
  .define(REPLACE_NULL_WITH_DEFAULT);

function checkFormat(props: Record<string, string>): Record<string, string[]> {
  const format = (props.format ?? '').trim();
  if (format === '') {
    return props['target.type']?.trim() === 'string' ? { format: ['TimestampConverter requires format option to be specified when using string timestamps'] } : {};
  }
  const err = patternError(format);
  return err ? { format: [`TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${format} (${err})`] } : {};
}

function schemaFor(kind: TimestampKind, optional: boolean): Schema {
  switch (kind) {
    case 'string': return optional ? Schemas.OPTIONAL_STRING : Schemas.STRING;
    case 'unix': return optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64;
    case 'Date': return optional ? DateType.builder().optional().build() : DateType.SCHEMA;
    case 'Time': return optional ? TimeType.builder().optional().build() : TimeType.SCHEMA;
    case 'Timestamp': return optional ? TimestampType.builder().optional().build() : TimestampType.SCHEMA;
  }
}

function kindFromSchema(schema: Schema): TimestampKind {
  if (schema.name === TimestampType.LOGICAL_NAME) return 'Timestamp';
  if (schema.name === DateType.LOGICAL_NAME) return 'Date';
  if (schema.name === TimeType.LOGICAL_NAME) return 'Time';
  if (schema.type === 'string') return 'string';
  if (schema.type === 'int64') return 'unix';
  throw new DataError(`Schema ${schema.describe()} does not correspond to a known timestamp type format`);
}

function kindFromValue(value: unknown): TimestampKind {
  if (value instanceof Date) return 'Timestamp';
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return 'unix';
  if (typeof value === 'string') return 'string';
  throw new DataError(`TimestampConverter does not support ${typeName(value)} objects as timestamps`);
}

function safeNumber(n: bigint): number | bigint {
  return n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER) ? n : Number(n);
}

export class TimestampConverter implements Transformation {
  private field = '';
  private target: TimestampKind = 'Timestamp';
  private format: SimpleDateFormat | null = null;
  private precision: Precision = 'milliseconds';
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  configure(configs: Record<string, string>): void {
    const config = parseConfig(TIMESTAMP_CONVERTER_CONFIG, configs, variantName('TimestampConverter', this.side), checkFormat);
    this.field = config.getString('field') ?? '';
    this.target = config.requireString('target.type') as TimestampKind;
    const pattern = config.getString('format') ?? '';
    this.format = pattern === '' ? null : new SimpleDateFormat(pattern);
    this.precision = config.requireString('unix.precision') as Precision;
    this.replaceNullWithDefault = config.getBoolean('replace.null.with.default');
    this.cache.clear();
  }

  apply<R extends AnyRecord>(record: R): R | null {
    const schema = operatingSchema(record, this.side);
    const value = operatingValue(record, this.side);
    if (!schema) {
      if (this.field === '') return withOperating(record, this.side, null, value === null ? null : this.convert(value, kindFromValue(value)));
      const map = requireMapOrNull(value, PURPOSE);
      if (map === null) return withOperating(record, this.side, null, null);
      const v = map[this.field];
      const updated = { ...map, [this.field]: v === null || v === undefined ? null : this.convert(v, kindFromValue(v)) };
      return withOperating(record, this.side, null, updated);
    }
    if (this.field === '') {
      return withOperating(record, this.side, schemaFor(this.target, schema.optional), this.convert(value, kindFromSchema(schema)));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.cache.getOrBuild(schema, (s) => this.buildSchema(s));
    return withOperating(record, this.side, updatedSchema, struct === null ? null : this.convertStruct(struct, updatedSchema));
  }

  private buildSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const f of schema.fields()) builder.field(f.name, f.name === this.field ? schemaFor(this.target, f.schema.optional) : f.schema);
    if (schema.optional) builder.optional();
    if (schema.defaultValue instanceof Struct) builder.defaultValue(this.convertStruct(schema.defaultValue, builder.build()));
    return builder.build();
  }

  private convertStruct(struct: Struct, updatedSchema: Schema): Struct {
    const updated = new Struct(updatedSchema);
    for (const f of struct.schema.fields()) {
      const v = fieldValue(struct, f.name, this.replaceNullWithDefault);
      updated.put(f.name, f.name === this.field ? this.convert(v, kindFromSchema(f.schema)) : v);
    }
    return updated;
  }

  private convert(value: unknown, from: TimestampKind): unknown {
    if (value === null || value === undefined) return null;
    return this.fromMillis(this.toMillis(value, from));
  }

  private toMillis(value: unknown, from: TimestampKind): number {
    switch (from) {
      case 'string': {
        if (typeof value !== 'string') throw new DataError(`Expected string timestamp to be a String, but found ${typeName(value)}`);
        if (!this.format) throw new DataError('TimestampConverter requires format option to be specified when using string timestamps');
        try {
          return this.format.parse(value);
        } catch (e) {
          throw new DataError(`Could not parse timestamp: value (${value}) does not match pattern (${this.format.pattern})`, { cause: e });
        }
      }
      case 'unix': {
        if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) {
          throw new DataError(`Expected Unix timestamp to be a Long, but found ${typeName(value)}`);
        }
        const { mul, div } = PER_MILLI[this.precision];
        // Bigint keeps nanosecond epochs exact; division truncates toward zero as Java's TimeUnit does.
        return Number((BigInt(value) * div) / mul);
      }
      default:
        if (!(value instanceof Date)) throw new DataError(`Expected ${from} to be a java.util.Date, but found ${typeName(value)}`);
        return value.getTime();
    }
  }

  private fromMillis(ms: number): unknown {
    switch (this.target) {
      case 'string':
        return this.format!.format(ms);
      case 'unix': {
        const { mul, div } = PER_MILLI[this.precision];
        return safeNumber((BigInt(ms) * mul) / div);
      }
      case 'Date':
        return new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY);
      case 'Time':
        return new Date(((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
      case 'Timestamp':
        return new Date(ms);
    }
  }

  config(): ConfigSpec {
    return TIMESTAMP_CONVERTER_CONFIG;
  }

  close(): void {
    this.cache.clear();
  }
}
