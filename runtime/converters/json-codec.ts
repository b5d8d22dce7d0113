/**
 * Connect values <-> JSON text, as Kafka's JsonConverter maps them. Per schema, a writer and a
 * reader are compiled once (field names quoted ahead of time, paths for error messages fixed) and
 * reused for every record: that is what keeps a million records well under a second.
 */
import { DataError } from '../api/errors.js';
import { BigDecimal } from '../data/big-decimal.js';
import { Decimal, DateType, TimeType, TimestampType } from '../data/logical.js';
import type { Schema } from '../data/schema.js';
import { Struct } from '../data/struct.js';
import { describeValue, isPlainObject } from '../data/validate.js';
import { JsonDecimal, type JsonValue } from './exact-json.js';
import { fromBase64, javaBigDecimal, javaDouble, javaFloat, jsonQuote, toBase64 } from './java-text.js';

export interface JsonCodecOptions {
  /** decimal.format=NUMERIC: decimals as JSON numbers instead of base64 bytes. */
  decimalNumeric: boolean;
  /** replace.null.with.default: a null with a schema default is written and read as the default. */
  replaceNullWithDefault: boolean;
}

export type JsonWriter = (value: unknown) => string;
export type JsonReader = (node: JsonValue | undefined) => unknown;

const INT_RANGE = { int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647] } as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TWO_63 = 2 ** 63;

function at(path: string): string {
  return path ? `field '${path}'` : 'value';
}

function jsonKind(node: JsonValue): string {
  if (node === null) return 'NULL';
  if (Array.isArray(node)) return 'ARRAY';
  if (typeof node === 'object' && !(node instanceof JsonDecimal)) return 'OBJECT';
  if (typeof node === 'string') return 'STRING';
  if (typeof node === 'boolean') return 'BOOLEAN';
  return 'NUMBER';
}

function writeError(schema: Schema, value: unknown, path: string): DataError {
  return new DataError(`Invalid type for ${schema.describe()} at ${at(path)}: ${describeValue(value)}`);
}

function readError(schema: Schema, node: JsonValue, path: string): DataError {
  const shown = typeof node === 'string' ? ` '${node.length > 40 ? `${node.slice(0, 40)}...` : node}'` : node instanceof JsonDecimal ? ` ${node.text}` : typeof node === 'object' ? '' : ` ${String(node)}`;
  return new DataError(`Invalid JSON for ${schema.describe()} at ${at(path)}: found ${jsonKind(node)}${shown}`);
}

function floatText(text: string): string {
  // Jackson writes non-finite numbers as strings by default (WRITE_NAN_AS_STRINGS).
  return text === 'NaN' || text === 'Infinity' || text === '-Infinity' ? `"${text}"` : text;
}

export class JsonCodec {
  constructor(readonly options: JsonCodecOptions) {}

  // ---- writing ----

  writer(schema: Schema, path = ''): JsonWriter {
    const base = this.baseWriter(schema, path);
    const defaultText = schema.defaultValue === null ? null : base(schema.defaultValue);
    const replace = this.options.replaceNullWithDefault;
    const optional = schema.optional;
    return (v) => {
      if (v === null || v === undefined) {
        if (defaultText !== null && replace) return defaultText;
        if (optional) return 'null';
        throw new DataError(`Conversion error: null value for ${at(path)}, which is required and has no default value`);
      }
      return base(v);
    };
  }

  private baseWriter(schema: Schema, path: string): JsonWriter {
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        const numeric = this.options.decimalNumeric;
        return (v) => {
          if (!(v instanceof BigDecimal)) throw new DataError(`Invalid type for Decimal at ${at(path)}, expected BigDecimal but was ${describeValue(v)}`);
          return numeric ? javaBigDecimal(v.unscaled, v.scale) : `"${toBase64(Decimal.fromLogical(schema, v))}"`;
        };
      }
      case DateType.LOGICAL_NAME:
        return this.dateWriter('Date', path, (d) => DateType.fromLogical(d));
      case TimeType.LOGICAL_NAME:
        return this.dateWriter('Time', path, (d) => TimeType.fromLogical(d));
      case TimestampType.LOGICAL_NAME:
        return this.dateWriter('Timestamp', path, (d) => TimestampType.fromLogical(d));
    }
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32': {
        const [lo, hi] = INT_RANGE[schema.type];
        return (v) => {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw writeError(schema, v, path);
          return `${v}`;
        };
      }
      case 'int64':
        return (v) => {
          if (typeof v === 'number') {
            if (Number.isSafeInteger(v)) return `${v}`;
            if (Number.isInteger(v) && v >= -TWO_63 && v < TWO_63) return BigInt(v).toString();
          } else if (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX) return v.toString();
          throw writeError(schema, v, path);
        };
      case 'float32':
        return (v) => {
          if (typeof v !== 'number') throw writeError(schema, v, path);
          return floatText(javaFloat(v));
        };
      case 'float64':
        return (v) => {
          if (typeof v !== 'number') throw writeError(schema, v, path);
          return floatText(javaDouble(v));
        };
      case 'boolean':
        return (v) => {
          if (typeof v !== 'boolean') throw writeError(schema, v, path);
          return v ? 'true' : 'false';
        };
      case 'string': {
        // The last value and its quoted text: a field often repeats its value record after record
        // (a CDC event's source block: connector, db, schema, table), and quoting was a hot spot.
        let last: string | null = null;
        let lastQuoted = '';
        return (v) => {
          if (typeof v !== 'string') throw writeError(schema, v, path);
          if (v !== last) {
            last = v;
            lastQuoted = jsonQuote(v);
          }
          return lastQuoted;
        };
      }
      case 'bytes':
        return (v) => {
          if (!(v instanceof Uint8Array)) throw writeError(schema, v, path);
          return `"${toBase64(v)}"`;
        };
      case 'array': {
        const elem = this.writer(schema.valueSchema!, `${path}[]`);
        return (v) => {
          if (!Array.isArray(v)) throw writeError(schema, v, path);
          let out = '[';
          for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + elem(v[i]);
          return `${out}]`;
        };
      }
      case 'map':
        return this.mapWriter(schema, path);
      case 'struct':
        return this.structWriter(schema, path);
    }
  }

  private dateWriter(what: string, path: string, toWire: (d: Date) => number): JsonWriter {
    return (v) => {
      if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw new DataError(`Invalid type for ${what} at ${at(path)}, expected a valid Date but was ${describeValue(v)}`);
      return `${toWire(v)}`;
    };
  }

  private mapWriter(schema: Schema, path: string): JsonWriter {
    const valueWriter = this.writer(schema.valueSchema!, `${path}{}`);
    if (schema.keySchema!.type === 'string') {
      // String keys: a JSON object.
      return (v) => {
        const entries = v instanceof Map ? [...v.entries()] : isPlainObject(v) ? Object.entries(v) : null;
        if (!entries) throw writeError(schema, v, path);
        let out = '{';
        for (let i = 0; i < entries.length; i++) {
          const [k, val] = entries[i]!;
          if (typeof k !== 'string') throw new DataError(`Invalid map key at ${at(path)}: ${describeValue(k)} for a string key schema`);
          out += `${i === 0 ? '' : ','}${jsonQuote(k)}:${valueWriter(val)}`;
        }
        return `${out}}`;
      };
    }
    // Other keys: an array of [key, value] pairs.
    const keyWriter = this.writer(schema.keySchema!, `${path}{key}`);
    return (v) => {
      if (!(v instanceof Map)) throw writeError(schema, v, path);
      let out = '[';
      let first = true;
      for (const [k, val] of v) {
        out += `${first ? '' : ','}[${keyWriter(k)},${valueWriter(val)}]`;
        first = false;
      }
      return `${out}]`;
    };
  }

  private structWriter(schema: Schema, path: string): JsonWriter {
    const fields = schema.fields();
    const names = fields.map((f) => f.name);
    const prefixes = fields.map((f, i) => `${i === 0 ? '{' : ','}${jsonQuote(f.name)}:`);
    const writers = fields.map((f) => this.writer(f.schema, path ? `${path}.${f.name}` : f.name));
    return (v) => {
      if (!(v instanceof Struct)) throw writeError(schema, v, path);
      if (names.length === 0) return '{}';
      let out = '';
      if (v.schema === schema) {
        // The same schema object: its fields are in this order, no lookup by name.
        for (let i = 0; i < names.length; i++) out += prefixes[i]! + writers[i]!(v.valueAt(i));
        return `${out}}`;
      }
      if (!v.schema.equals(schema)) throw new DataError(`Mismatching schema at ${at(path)}: the Struct's schema is not the ${schema.describe()} schema given`);
      for (let i = 0; i < names.length; i++) out += prefixes[i]! + writers[i]!(v.getWithoutDefault(names[i]!));
      return `${out}}`;
    };
  }

  /** A value without a schema, its JSON type told from its JavaScript type. */
  writeAny(v: unknown, structWriter: (schema: Schema) => JsonWriter): string {
    if (v === null || v === undefined) return 'null';
    switch (typeof v) {
      case 'string': return jsonQuote(v);
      case 'boolean': return v ? 'true' : 'false';
      case 'bigint': return v.toString();
      case 'number':
        if (Number.isSafeInteger(v)) return `${v}`;
        return Number.isInteger(v) ? BigInt(v).toString() : floatText(javaDouble(v));
    }
    if (v instanceof Uint8Array) return `"${toBase64(v)}"`;
    if (Array.isArray(v)) return `[${v.map((e) => this.writeAny(e, structWriter)).join(',')}]`;
    if (v instanceof Struct) return structWriter(v.schema)(v);
    if (v instanceof BigDecimal) return javaBigDecimal(v.unscaled, v.scale);
    if (v instanceof Date) return `${v.getTime()}`;
    if (v instanceof Map) {
      const entries = [...v.entries()];
      if (entries.every(([k]) => typeof k === 'string')) {
        return `{${entries.map(([k, e]) => `${jsonQuote(k as string)}:${this.writeAny(e, structWriter)}`).join(',')}}`;
      }
      return `[${entries.map(([k, e]) => `[${this.writeAny(k, structWriter)},${this.writeAny(e, structWriter)}]`).join(',')}]`;
    }
    if (isPlainObject(v)) {
      return `{${Object.entries(v).map(([k, e]) => `${jsonQuote(k)}:${this.writeAny(e, structWriter)}`).join(',')}}`;
    }
    throw new DataError(`Cannot convert ${describeValue(v)} to JSON without a schema`);
  }

  // ---- reading ----

  reader(schema: Schema, path = ''): JsonReader {
    const base = this.baseReader(schema, path);
    const replace = this.options.replaceNullWithDefault;
    const dflt = schema.defaultValue;
    const optional = schema.optional;
    return (node) => {
      if (node === null || node === undefined) {
        if (dflt !== null && replace) return dflt;
        if (optional) return null;
        throw new DataError(`Invalid null value for required ${schema.describe()} ${at(path)}`);
      }
      return base(node);
    };
  }

  private baseReader(schema: Schema, path: string): JsonReader {
    switch (schema.name) {
      case Decimal.LOGICAL_NAME:
        return this.decimalReader(schema, path);
      case DateType.LOGICAL_NAME:
        return this.intLogicalReader(schema, path, 'Date', (n) => DateType.toLogical(n));
      case TimeType.LOGICAL_NAME:
        return this.intLogicalReader(schema, path, 'Time', (n) => TimeType.toLogical(n));
      case TimestampType.LOGICAL_NAME: {
        const int64 = this.intReader(schema, path, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
        return (node) => TimestampType.toLogical(int64(node!) as number);
      }
    }
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        return this.intReader(schema, path, INT_RANGE[schema.type][0], INT_RANGE[schema.type][1]);
      case 'int64':
        return (node) => {
          if (typeof node === 'number') {
            if (Number.isSafeInteger(node)) return node;
            if (Number.isInteger(node) && node >= -TWO_63 && node < TWO_63) return BigInt(node);
          } else if (typeof node === 'bigint' && node >= INT64_MIN && node <= INT64_MAX) return node;
          throw readError(schema, node!, path);
        };
      case 'float32':
      case 'float64':
        return (node) => {
          if (typeof node === 'number') return node;
          if (typeof node === 'bigint') return Number(node);
          if (node instanceof JsonDecimal) return Number(node.text);
          if (node === 'NaN') return NaN;
          if (node === 'Infinity') return Infinity;
          if (node === '-Infinity') return -Infinity;
          throw readError(schema, node!, path);
        };
      case 'boolean':
        return (node) => {
          if (typeof node !== 'boolean') throw readError(schema, node!, path);
          return node;
        };
      case 'string':
        return (node) => {
          if (typeof node !== 'string') throw readError(schema, node!, path);
          return node;
        };
      case 'bytes':
        return (node) => {
          const bytes = typeof node === 'string' ? fromBase64(node) : null;
          if (!bytes) throw new DataError(`Invalid bytes at ${at(path)}: expected a base64 string, found ${jsonKind(node!)}`);
          return bytes;
        };
      case 'array': {
        const elem = this.reader(schema.valueSchema!, `${path}[]`);
        return (node) => {
          if (!Array.isArray(node)) throw readError(schema, node!, path);
          const out = new Array<unknown>(node.length);
          for (let i = 0; i < node.length; i++) out[i] = elem(node[i]);
          return out;
        };
      }
      case 'map':
        return this.mapReader(schema, path);
      case 'struct':
        return this.structReader(schema, path);
    }
  }

  private intReader(schema: Schema, path: string, lo: number, hi: number): JsonReader {
    return (node) => {
      if (typeof node === 'number' && Number.isInteger(node) && node >= lo && node <= hi) return node;
      throw readError(schema, node!, path);
    };
  }

  private intLogicalReader(schema: Schema, path: string, what: string, toLogical: (n: number) => Date): JsonReader {
    return (node) => {
      if (typeof node !== 'number' || !Number.isInteger(node) || node < -2147483648 || node > 2147483647) {
        throw new DataError(`Invalid type for ${what} at ${at(path)}, underlying representation should be integer but was ${jsonKind(node!)}`);
      }
      return toLogical(node);
    };
  }

  private decimalReader(schema: Schema, path: string): JsonReader {
    const scale = Decimal.scaleOf(schema);
    return (node) => {
      let d: BigDecimal;
      if (typeof node === 'string') {
        const bytes = fromBase64(node);
        if (!bytes) throw new DataError(`Invalid bytes for Decimal at ${at(path)}: '${node}' is not base64`);
        return Decimal.toLogical(schema, bytes);
      }
      if (typeof node === 'number') {
        if (!Number.isFinite(node)) throw readError(schema, node, path);
        d = BigDecimal.parse(String(node));
      } else if (typeof node === 'bigint') d = new BigDecimal(node, 0);
      else if (node instanceof JsonDecimal) d = BigDecimal.parse(node.text);
      else throw new DataError(`Invalid type for Decimal at ${at(path)}, underlying representation should be numeric or bytes but was ${jsonKind(node!)}`);
      // A JSON number carries no scale: give it the schema's when no digit is lost.
      if (d.scale === scale) return d;
      try {
        return d.setScale(scale);
      } catch {
        return d;
      }
    };
  }

  private mapReader(schema: Schema, path: string): JsonReader {
    const valueReader = this.reader(schema.valueSchema!, `${path}{}`);
    if (schema.keySchema!.type === 'string') {
      return (node) => {
        if (!isPlainObject(node)) throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${jsonKind(node!)} at ${at(path)}`);
        const out = new Map<unknown, unknown>();
        for (const k of Object.keys(node)) out.set(k, valueReader(node[k] as JsonValue));
        return out;
      };
    }
    const keyReader = this.reader(schema.keySchema!, `${path}{key}`);
    return (node) => {
      if (!Array.isArray(node)) throw new DataError(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${jsonKind(node!)} at ${at(path)}`);
      const out = new Map<unknown, unknown>();
      for (const entry of node) {
        if (!Array.isArray(entry)) throw new DataError(`Found invalid map entry instead of array tuple: ${jsonKind(entry)} at ${at(path)}`);
        if (entry.length !== 2) throw new DataError(`Found invalid map entry, expected length 2 but found ${entry.length} at ${at(path)}`);
        out.set(keyReader(entry[0]), valueReader(entry[1]));
      }
      return out;
    };
  }

  private structReader(schema: Schema, path: string): JsonReader {
    const fields = schema.fields();
    const readers = fields.map((f) => this.reader(f.schema, path ? `${path}.${f.name}` : f.name));
    // A missing field named like an Object.prototype member must not read that member.
    const inherited = fields.map((f) => f.name in Object.prototype);
    return (node) => {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || node instanceof JsonDecimal) {
        throw new DataError(`Structs should be encoded as JSON objects, but found ${jsonKind(node!)} at ${at(path)}`);
      }
      const s = new Struct(schema);
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        const raw = inherited[i] && !Object.hasOwn(node, f.name) ? undefined : node[f.name];
        s.put(f, readers[i]!(raw));
      }
      return s;
    };
  }
}
