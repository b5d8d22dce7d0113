/**
 * The text form Kafka's `Values.convertToString` gives a Connect value, which SimpleHeaderConverter
 * writes: strings as they are at the top level, numbers as Java prints them, bytes as base64,
 * arrays `[a,b]`, maps and structs `{"k":v}` with nested strings quoted, dates in ISO 8601 (UTC).
 */
import { DataError } from '../api/errors.js';
import { BigDecimal } from '../data/big-decimal.js';
import type { Schema } from '../data/schema.js';
import { Struct } from '../data/struct.js';
import { describeValue, isPlainObject } from '../data/validate.js';
import { javaBigDecimal, javaDouble, javaFloat, toBase64 } from './java-text.js';

const MS_PER_DAY = 86_400_000;

/** The text of a value, or null for null. `schema` picks float vs double formatting and field schemas. */
export function valuesToString(schema: Schema | null, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return append(schema, value, false);
}

function append(schema: Schema | null, value: unknown, embedded: boolean): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return embedded ? `"${escape(value)}"` : value;
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'number':
      if (schema?.type === 'float32') return javaFloat(value);
      if (schema?.type === 'float64' || !Number.isInteger(value)) return javaDouble(value);
      return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  }
  if (value instanceof Uint8Array) {
    const b64 = toBase64(value);
    return embedded ? `"${b64}"` : b64;
  }
  if (value instanceof BigDecimal) return javaBigDecimal(value.unscaled, value.scale);
  if (value instanceof Date) return formatDate(value);
  if (Array.isArray(value)) {
    const elem = schema?.type === 'array' ? schema.valueSchema : null;
    return `[${value.map((v) => append(elem, v, true)).join(',')}]`;
  }
  if (value instanceof Struct) {
    const parts = value.schema.fields().map((f) => `${append(null, f.name, true)}:${append(f.schema, value.get(f), true)}`);
    return `{${parts.join(',')}}`;
  }
  const entries = value instanceof Map ? [...value.entries()] : isPlainObject(value) ? Object.entries(value) : null;
  if (entries) {
    const keySchema = schema?.type === 'map' ? schema.keySchema : null;
    const valueSchema = schema?.type === 'map' ? schema.valueSchema : null;
    return `{${entries.map(([k, v]) => `${append(keySchema, k, true)}:${append(valueSchema, v, true)}`).join(',')}}`;
  }
  throw new DataError(`Failed to serialize unexpected value type ${describeValue(value)}`);
}

/** Only backslashes and double quotes are escaped, as Kafka does. */
function escape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Kafka picks the pattern from the value: a time of day, a whole day, or a timestamp. */
export function formatDate(d: Date): string {
  const ms = d.getTime();
  const iso = d.toISOString();
  if (ms < MS_PER_DAY) return iso.slice(11);
  if (ms % MS_PER_DAY === 0) return iso.slice(0, 10);
  return iso;
}
