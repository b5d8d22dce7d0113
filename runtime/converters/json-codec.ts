/**
 * Connect values <-> JSON, as Kafka's JsonConverter maps them. Per schema, a writer and a reader
 * are compiled once (field names quoted and encoded ahead of time, paths for error messages fixed)
 * and reused for every record: that is what keeps a million records well under a second. Writers
 * write UTF-8 bytes into a `JsonOut`; readers take parsed JSON.
 */
import { DataError } from '../api/errors.js';
import { BigDecimal } from '../data/big-decimal.js';
import { Decimal, DateType, TimeType, TimestampType } from '../data/logical.js';
import type { Schema } from '../data/schema.js';
import { Struct } from '../data/struct.js';
import type { JsonDialect, JsonValueWriter, StructSource } from '../data/struct-source.js';
import { describeValue, isPlainObject } from '../data/validate.js';
import { JsonDecimal, type JsonValue } from './exact-json.js';
import { fromBase64, javaBigDecimal, javaDouble, javaFloat, jsonQuote, toBase64 } from './java-text.js';
import { JsonOut } from './json-out.js';

export interface JsonCodecOptions {
  /** decimal.format=NUMERIC: decimals as JSON numbers instead of base64 bytes. */
  decimalNumeric: boolean;
  /** replace.null.with.default: a null with a schema default is written and read as the default. */
  replaceNullWithDefault: boolean;
}

/** Writes a value's JSON into `out`; throws a DataError naming the field when the value does not fit. */
export type JsonWriter = (value: unknown, out: JsonOut) => void;
export type JsonReader = (node: JsonValue | undefined) => unknown;

const INT_RANGE = { int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647] } as const;
/**
 * TSCONNECT_CHECK_DEFERRED_JSON=1 (the test suite sets it): every struct a source writes itself is
 * also built and written the ordinary way, and a difference fails the record with both texts.
 */
const CHECK_DEFERRED = process.env.TSCONNECT_CHECK_DEFERRED_JSON === '1';
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

const NULL_BYTES = Buffer.from('null');
const TRUE_BYTES = Buffer.from('true');
const FALSE_BYTES = Buffer.from('false');
const EMPTY_OBJECT = Buffer.from('{}');
const PAIR_OPEN = Buffer.from('[');
const NEXT_PAIR_OPEN = Buffer.from(',[');
/** For one-off texts (a schema's default): an output of its own, as writers may be compiled mid-write. */
function textOf(write: JsonWriter, value: unknown): string {
  const out = new JsonOut(256);
  write(value, out);
  return out.finishText();
}

function writeBase64(bytes: Uint8Array, out: JsonOut): void {
  out.byte(0x22);
  out.ascii(toBase64(bytes));
  out.byte(0x22);
}

function floatText(text: string): string {
  // Jackson writes non-finite numbers as strings by default (WRITE_NAN_AS_STRINGS).
  return text === 'NaN' || text === 'Infinity' || text === '-Infinity' ? `"${text}"` : text;
}

export class JsonCodec implements JsonDialect {
  constructor(readonly options: JsonCodecOptions) {}

  // ---- writing ----

  writer(schema: Schema, path = ''): JsonWriter {
    const base = this.baseWriter(schema, path);
    const defaultBytes = schema.defaultValue === null ? null : Buffer.from(textOf(base, schema.defaultValue), 'utf8');
    const replace = this.options.replaceNullWithDefault;
    const optional = schema.optional;
    return (v, out) => {
      if (v === null || v === undefined) {
        if (defaultBytes !== null && replace) return out.bytes(defaultBytes);
        if (optional) return out.bytes(NULL_BYTES);
        throw new DataError(`Conversion error: null value for ${at(path)}, which is required and has no default value`);
      }
      base(v, out);
    };
  }

  /** The JSON text of a value of `schema` (a schema's default, for instance). */
  text(schema: Schema, value: unknown): string {
    return textOf(this.writer(schema), value);
  }

  // ---- JsonDialect: the pieces a deferred struct's source writes with (struct-source.ts) ----

  // The source only ever gets this codec's own JsonOut, so the narrower parameter is safe.
  valueWriter(schema: Schema): JsonValueWriter {
    return this.writer(schema) as unknown as JsonValueWriter;
  }

  fieldPrefixes(schema: Schema): Uint8Array[] {
    return schema.fields().map((f, i) => Buffer.from(`${i === 0 ? '{' : ','}${jsonQuote(f.name)}:`, 'utf8'));
  }

  render(schema: Schema, value: unknown): Uint8Array {
    return Buffer.from(this.text(schema, value), 'utf8');
  }

  private baseWriter(schema: Schema, path: string): JsonWriter {
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        const numeric = this.options.decimalNumeric;
        return (v, out) => {
          if (!(v instanceof BigDecimal)) throw new DataError(`Invalid type for Decimal at ${at(path)}, expected BigDecimal but was ${describeValue(v)}`);
          if (numeric) out.ascii(javaBigDecimal(v.unscaled, v.scale));
          else writeBase64(Decimal.fromLogical(schema, v), out);
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
        return (v, out) => {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw writeError(schema, v, path);
          out.integer(v);
        };
      }
      case 'int64':
        return (v, out) => {
          if (typeof v === 'number') {
            if (Number.isSafeInteger(v)) return out.integer(v);
            if (Number.isInteger(v) && v >= -TWO_63 && v < TWO_63) return out.ascii(BigInt(v).toString());
          } else if (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX) return out.ascii(v.toString());
          throw writeError(schema, v, path);
        };
      case 'float32':
        return (v, out) => {
          if (typeof v !== 'number') throw writeError(schema, v, path);
          out.ascii(floatText(javaFloat(v)));
        };
      case 'float64':
        return (v, out) => {
          if (typeof v !== 'number') throw writeError(schema, v, path);
          out.ascii(floatText(javaDouble(v)));
        };
      case 'boolean':
        return (v, out) => {
          if (typeof v !== 'boolean') throw writeError(schema, v, path);
          out.bytes(v ? TRUE_BYTES : FALSE_BYTES);
        };
      case 'string':
        return (v, out) => {
          if (typeof v !== 'string') throw writeError(schema, v, path);
          out.string(v);
        };
      case 'bytes':
        return (v, out) => {
          if (!(v instanceof Uint8Array)) throw writeError(schema, v, path);
          writeBase64(v, out);
        };
      case 'array': {
        const elem = this.writer(schema.valueSchema!, `${path}[]`);
        return (v, out) => {
          if (!Array.isArray(v)) throw writeError(schema, v, path);
          out.byte(0x5b);
          for (let i = 0; i < v.length; i++) {
            if (i > 0) out.byte(0x2c);
            elem(v[i], out);
          }
          out.byte(0x5d);
        };
      }
      case 'map':
        return this.mapWriter(schema, path);
      case 'struct':
        return this.structWriter(schema, path);
    }
  }

  private dateWriter(what: string, path: string, toWire: (d: Date) => number): JsonWriter {
    return (v, out) => {
      if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw new DataError(`Invalid type for ${what} at ${at(path)}, expected a valid Date but was ${describeValue(v)}`);
      out.integer(toWire(v));
    };
  }

  private mapWriter(schema: Schema, path: string): JsonWriter {
    const valueWriter = this.writer(schema.valueSchema!, `${path}{}`);
    if (schema.keySchema!.type === 'string') {
      // String keys: a JSON object.
      return (v, out) => {
        const entries = v instanceof Map ? [...v.entries()] : isPlainObject(v) ? Object.entries(v) : null;
        if (!entries) throw writeError(schema, v, path);
        out.byte(0x7b);
        for (let i = 0; i < entries.length; i++) {
          const [k, val] = entries[i]!;
          if (typeof k !== 'string') throw new DataError(`Invalid map key at ${at(path)}: ${describeValue(k)} for a string key schema`);
          if (i > 0) out.byte(0x2c);
          out.string(k);
          out.byte(0x3a);
          valueWriter(val, out);
        }
        out.byte(0x7d);
      };
    }
    // Other keys: an array of [key, value] pairs.
    const keyWriter = this.writer(schema.keySchema!, `${path}{key}`);
    return (v, out) => {
      if (!(v instanceof Map)) throw writeError(schema, v, path);
      out.byte(0x5b);
      let first = true;
      for (const [k, val] of v) {
        out.bytes(first ? PAIR_OPEN : NEXT_PAIR_OPEN);
        keyWriter(k, out);
        out.byte(0x2c);
        valueWriter(val, out);
        out.byte(0x5d);
        first = false;
      }
      out.byte(0x5d);
    };
  }

  private structWriter(schema: Schema, path: string): JsonWriter {
    const fields = schema.fields();
    const names = fields.map((f) => f.name);
    // `{"name":` for the first field, `,"name":` for the others, as UTF-8 once.
    const prefixes = this.fieldPrefixes(schema);
    const writers = fields.map((f) => this.writer(f.schema, path ? `${path}.${f.name}` : f.name));
    const write: JsonWriter = (v, out) => {
      if (!(v instanceof Struct)) throw writeError(schema, v, path);
      if (names.length === 0) return out.bytes(EMPTY_OBJECT);
      if (v.schema === schema) {
        const source = v.source;
        if (source !== null && source.writeJson !== undefined && this.writeFromSource(source, v, out, write)) return;
        // The same schema object: its fields are in this order, no lookup by name.
        for (let i = 0; i < names.length; i++) {
          out.bytes(prefixes[i]!);
          writers[i]!(v.valueAt(i), out);
        }
      } else {
        if (!v.schema.equals(schema)) throw new DataError(`Mismatching schema at ${at(path)}: the Struct's schema is not the ${schema.describe()} schema given`);
        for (let i = 0; i < names.length; i++) {
          out.bytes(prefixes[i]!);
          writers[i]!(v.getWithoutDefault(names[i]!), out);
        }
      }
      out.byte(0x7d);
    };
    return write;
  }

  /** A deferred struct written by its source; false (nothing written) to write it from its values. */
  private writeFromSource(source: StructSource, v: Struct, out: JsonOut, write: JsonWriter): boolean {
    const mark = out.written();
    try {
      if (!source.writeJson!(out, this)) {
        out.truncate(mark);
        return false;
      }
    } catch {
      // Written from the values instead, whose writers name the field that does not fit.
      out.truncate(mark);
      return false;
    }
    if (CHECK_DEFERRED) {
      const own = out.copyFrom(mark);
      // A copy built from the source: `v` stays deferred, so a retry of the record fails the same way.
      const built = new JsonOut(4096);
      write(Struct.fromValues(v.schema, source.values()), built);
      const expected = built.finishText();
      if (own.toString('utf8') !== expected) {
        throw new DataError(`A deferred ${v.schema.describe()} wrote JSON that differs from its built values:\n  own:   ${own.toString('utf8')}\n  built: ${expected}`);
      }
    }
    return true;
  }

  /** A value without a schema, its JSON type told from its JavaScript type. */
  writeAny(v: unknown, out: JsonOut, structWriter: (schema: Schema) => JsonWriter): void {
    if (v === null || v === undefined) return out.bytes(NULL_BYTES);
    switch (typeof v) {
      case 'string': return out.string(v);
      case 'boolean': return out.bytes(v ? TRUE_BYTES : FALSE_BYTES);
      case 'bigint': return out.ascii(v.toString());
      case 'number':
        if (Number.isSafeInteger(v)) return out.integer(v);
        return out.ascii(Number.isInteger(v) ? BigInt(v).toString() : floatText(javaDouble(v)));
    }
    if (v instanceof Uint8Array) return writeBase64(v, out);
    if (Array.isArray(v)) {
      out.byte(0x5b);
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out.byte(0x2c);
        this.writeAny(v[i], out, structWriter);
      }
      return out.byte(0x5d);
    }
    if (v instanceof Struct) return structWriter(v.schema)(v, out);
    if (v instanceof BigDecimal) return out.ascii(javaBigDecimal(v.unscaled, v.scale));
    if (v instanceof Date) return out.integer(v.getTime());
    const entries = v instanceof Map ? [...v.entries()] : isPlainObject(v) ? Object.entries(v) : null;
    if (!entries) throw new DataError(`Cannot convert ${describeValue(v)} to JSON without a schema`);
    if (entries.every(([k]) => typeof k === 'string')) {
      out.byte(0x7b);
      for (let i = 0; i < entries.length; i++) {
        if (i > 0) out.byte(0x2c);
        out.string(entries[i]![0] as string);
        out.byte(0x3a);
        this.writeAny(entries[i]![1], out, structWriter);
      }
      return out.byte(0x7d);
    }
    out.byte(0x5b);
    for (let i = 0; i < entries.length; i++) {
      out.bytes(i === 0 ? PAIR_OPEN : NEXT_PAIR_OPEN);
      this.writeAny(entries[i]![0], out, structWriter);
      out.byte(0x2c);
      this.writeAny(entries[i]![1], out, structWriter);
      out.byte(0x5d);
    }
    out.byte(0x5d);
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
