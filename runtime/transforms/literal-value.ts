/**
 * Reads a header literal the way Connect's Values.parseString types it, for the common cases:
 * booleans, integers (the narrowest int type that holds them), other numbers (float64), ISO dates,
 * times and timestamps; anything else stays a string. Arrays and maps (`[1,2]`, `{a:1}`) stay strings.
 */
import { DateType, SchemaAndValue, Schemas, TimeType, TimestampType, type Schema } from '../api/index.js';

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function intSchema(n: bigint): Schema | null {
  if (n >= -128n && n <= 127n) return Schemas.INT8;
  if (n >= -32768n && n <= 32767n) return Schemas.INT16;
  if (n >= -2147483648n && n <= 2147483647n) return Schemas.INT32;
  if (n >= -(2n ** 63n) && n < 2n ** 63n) return Schemas.INT64;
  return null;
}

export function parseLiteral(text: string): SchemaAndValue {
  const t = text.trim();
  if (t === 'true' || t === 'false') return new SchemaAndValue(Schemas.BOOLEAN, t === 'true');
  if (INTEGER.test(t)) {
    const n = BigInt(t);
    const schema = intSchema(n);
    if (schema) return new SchemaAndValue(schema, n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER) ? n : Number(n));
  }
  if (NUMBER.test(t)) return new SchemaAndValue(Schemas.FLOAT64, Number(t));
  if (ISO_TIMESTAMP.test(t) && !Number.isNaN(Date.parse(t))) return new SchemaAndValue(TimestampType.SCHEMA, new Date(t));
  if (ISO_DATE.test(t) && !Number.isNaN(Date.parse(`${t}T00:00:00Z`))) return new SchemaAndValue(DateType.SCHEMA, new Date(`${t}T00:00:00Z`));
  if (ISO_TIME.test(t) && !Number.isNaN(Date.parse(`1970-01-01T${t}`))) return new SchemaAndValue(TimeType.SCHEMA, new Date(`1970-01-01T${t}`));
  return new SchemaAndValue(Schemas.STRING, text);
}
