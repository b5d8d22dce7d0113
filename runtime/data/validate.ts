/** Checks a value against a schema, with an error that says where and why. */
import { DataError } from '../api/errors.js';
import { BigDecimal } from './big-decimal.js';
import type { Schema } from './schema.js';
import { Struct } from './struct.js';

const INT_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const LOGICAL_CLASSES: Record<string, { check: (v: unknown) => boolean; what: string }> = {
  'org.apache.kafka.connect.data.Decimal': { check: (v) => v instanceof BigDecimal, what: 'a BigDecimal' },
  'org.apache.kafka.connect.data.Date': { check: (v) => v instanceof Date, what: 'a Date' },
  'org.apache.kafka.connect.data.Time': { check: (v) => v instanceof Date, what: 'a Date' },
  'org.apache.kafka.connect.data.Timestamp': { check: (v) => v instanceof Date, what: 'a Date' },
};

/** Throws a DataError naming `where` when `value` does not fit `schema`. */
export function validateValue(schema: Schema, value: unknown, where = 'value'): void {
  if (value === null || value === undefined) {
    if (schema.optional || schema.defaultValue !== null) return;
    throw new DataError(`${where}: a null value is not allowed by the required ${schema.describe()} schema`);
  }
  const logical = schema.name ? LOGICAL_CLASSES[schema.name] : undefined;
  if (logical) {
    if (!logical.check(value)) throw new DataError(`${where}: ${schema.name} needs ${logical.what}, got ${describeValue(value)}`);
    return;
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const [lo, hi] = INT_RANGES[schema.type]!;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
        throw mismatch(schema, value, where);
      }
      return;
    }
    case 'int64':
      // 2^63 itself is a double but not an int64.
      if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) return;
      if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return;
      throw mismatch(schema, value, where);
    case 'float32':
    case 'float64':
      if (typeof value !== 'number') throw mismatch(schema, value, where);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(schema, value, where);
      return;
    case 'string':
      if (typeof value !== 'string') throw mismatch(schema, value, where);
      return;
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw mismatch(schema, value, where);
      return;
    case 'array': {
      if (!Array.isArray(value)) throw mismatch(schema, value, where);
      value.forEach((v, i) => validateValue(schema.valueSchema!, v, `${where}[${i}]`));
      return;
    }
    case 'map': {
      const entries = mapEntries(value);
      if (!entries) throw mismatch(schema, value, where);
      for (const [k, v] of entries) {
        validateValue(schema.keySchema!, k, `${where} key`);
        validateValue(schema.valueSchema!, v, `${where}[${String(k)}]`);
      }
      return;
    }
    case 'struct': {
      if (!(value instanceof Struct)) throw mismatch(schema, value, where);
      if (!value.schema.equals(schema)) {
        throw new DataError(`${where}: the Struct's schema is not the ${schema.describe()} schema expected`);
      }
      for (const f of schema.fields()) validateValue(f.schema, value.getWithoutDefault(f.name), `field '${f.name}'`);
      return;
    }
  }
}

/** The entries of a map value: a Map, or a plain object (string keys). Null when it is neither. */
export function mapEntries(value: unknown): Array<[unknown, unknown]> | null {
  if (value instanceof Map) return [...value.entries()];
  if (isPlainObject(value)) return Object.entries(value);
  return null;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function mismatch(schema: Schema, value: unknown, where: string): DataError {
  return new DataError(`${where}: ${describeValue(value)} does not fit the ${schema.describe()} schema`);
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `string '${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Map) return 'a Map';
  return `a ${(value as object).constructor?.name ?? 'object'}`;
}
