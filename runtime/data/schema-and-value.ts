import { BigDecimal } from './big-decimal.js';
import { Decimal, DateType, TimestampType } from './logical.js';
import { Schema } from './schema.js';
import { Schemas, SchemaBuilder } from './schema-builder.js';
import { Struct } from './struct.js';
import { isPlainObject } from './validate.js';

/** A value with its schema (null schema for schemaless data), what converters produce. */
export class SchemaAndValue {
  static readonly NULL = new SchemaAndValue(null, null);
  constructor(
    readonly schema: Schema | null,
    readonly value: unknown,
  ) {}
}

/**
 * The schema a schemaless value would have, or null when it cannot be told (empty or mixed
 * arrays and maps). Used by header converters and transforms that need a schema for plain values.
 */
export function inferSchema(value: unknown): Schema | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return Schemas.STRING;
  if (typeof value === 'boolean') return Schemas.BOOLEAN;
  if (typeof value === 'bigint') return Schemas.INT64;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return Schemas.FLOAT64;
    if (value >= -128 && value <= 127) return Schemas.INT8;
    if (value >= -32768 && value <= 32767) return Schemas.INT16;
    if (value >= -2147483648 && value <= 2147483647) return Schemas.INT32;
    return Schemas.INT64;
  }
  if (value instanceof Uint8Array) return Schemas.BYTES;
  if (value instanceof BigDecimal) return Decimal.schema(value.scale);
  if (value instanceof Date) return value.getTime() % 86_400_000 === 0 ? DateType.SCHEMA : TimestampType.SCHEMA;
  if (value instanceof Struct) return value.schema;
  if (Array.isArray(value)) {
    const schemas = value.map(inferSchema);
    const first = schemas[0];
    if (!first || !schemas.every((s) => s?.equals(first))) return null;
    return SchemaBuilder.array(first).build();
  }
  const entries = value instanceof Map ? [...value.entries()] : isPlainObject(value) ? Object.entries(value) : null;
  if (!entries || entries.length === 0) return null;
  const ks = entries.map(([k]) => inferSchema(k));
  const vs = entries.map(([, v]) => inferSchema(v));
  if (!ks[0] || !vs[0] || !ks.every((s) => s?.equals(ks[0]!)) || !vs.every((s) => s?.equals(vs[0]!))) return null;
  return SchemaBuilder.map(ks[0], vs[0]).build();
}
