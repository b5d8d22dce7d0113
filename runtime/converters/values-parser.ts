/**
 * Reads header text back into a schema and value, inferring the schema as Kafka's
 * `Values.parseString` does: `true`/`false` are booleans; integers take the smallest int type
 * that holds them (int8, int16, int32, int64; larger ones a Decimal); other numbers float32 (or
 * float64 when a float cannot hold them); ISO 8601 dates, times and timestamps their logical
 * types; `[..]` arrays and `{..}` maps of such values; anything else the string itself.
 *
 * Where Kafka's parser is loose this one is strict and falls back to the string: trailing text
 * after a value (`12,5`, `[1]x`) keeps the whole text as a string, and quoted strings inside
 * arrays and maps have their `\"` and `\\` escapes removed, so text written by valuesToString
 * reads back unchanged. Arrays and maps with no common element schema get a null schema.
 */
import { DataError } from '../api/errors.js';
import { BigDecimal } from '../data/big-decimal.js';
import { DateType, Decimal, TimeType, TimestampType } from '../data/logical.js';
import type { Schema } from '../data/schema.js';
import { SchemaBuilder, Schemas } from '../data/schema-builder.js';
import { SchemaAndValue } from '../data/schema-and-value.js';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
// A time or timestamp inside an array or map, where ':' would otherwise end the token.
const EMBEDDED_TEMPORAL = /(?:\d{4}-\d{2}-\d{2}T)?\d{2}:\d{2}:\d{2}\.\d{3}Z/y;
const DELIMITERS = new Set([',', ':', '{', '}', '[', ']', '"']);
const NUMERIC_RANK: Partial<Record<string, number>> = { int8: 0, int16: 1, int32: 2, int64: 3, float32: 4, float64: 5 };
const FLOAT_MAX = 3.4028234663852886e38;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

export function parseValuesString(text: string): SchemaAndValue {
  if (text === '') return new SchemaAndValue(Schemas.STRING, '');
  const t = text.trim();
  if (t === 'null') return SchemaAndValue.NULL;
  if (t === 'true') return new SchemaAndValue(Schemas.BOOLEAN, true);
  if (t === 'false') return new SchemaAndValue(Schemas.BOOLEAN, false);
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      const p = new EmbeddedParser(t);
      const parsed = p.value();
      if (p.atEnd()) return parsed ?? SchemaAndValue.NULL;
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
    }
    return new SchemaAndValue(Schemas.STRING, text);
  }
  const c = t.charCodeAt(0);
  const temporal = c >= 0x30 && c <= 0x39 ? parseTemporal(t) : null;
  return temporal ?? parseNumber(t) ?? new SchemaAndValue(Schemas.STRING, text);
}

/** A Date, Time or Timestamp in Kafka's ISO 8601 patterns (UTC), or null. */
export function parseTemporal(token: string): SchemaAndValue | null {
  const t = token.replaceAll('\\:', ':');
  let m = DATE.exec(t);
  if (m) {
    const ms = utc(+m[1]!, +m[2]!, +m[3]!, 0, 0, 0, 0);
    return ms === null ? null : new SchemaAndValue(DateType.SCHEMA, new Date(ms));
  }
  m = TIME.exec(t);
  if (m) {
    const ms = utc(1970, 1, 1, +m[1]!, +m[2]!, +m[3]!, +m[4]!);
    return ms === null ? null : new SchemaAndValue(TimeType.SCHEMA, new Date(ms));
  }
  m = TIMESTAMP.exec(t);
  if (m) {
    const ms = utc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!);
    return ms === null ? null : new SchemaAndValue(TimestampType.SCHEMA, new Date(ms));
  }
  return null;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  return new Date(t).getUTCDate() === d ? t : null;
}

/** A number with the schema Kafka infers for it, or null when the token is not a number. */
export function parseNumber(token: string): SchemaAndValue | null {
  if (!NUMBER.test(token)) return null;
  const d = BigDecimal.parse(token);
  const integral = integralValue(d);
  if (integral !== null && integral >= LONG_MIN && integral <= LONG_MAX) {
    const n = Number(integral);
    if (n >= -128 && n <= 127) return new SchemaAndValue(Schemas.INT8, n);
    if (n >= -32768 && n <= 32767) return new SchemaAndValue(Schemas.INT16, n);
    if (n >= -2147483648 && n <= 2147483647) return new SchemaAndValue(Schemas.INT32, n);
    return new SchemaAndValue(Schemas.INT64, Number.isSafeInteger(n) ? n : integral);
  }
  const n = Number(token);
  if (d.scale !== 0 && Math.abs(n) <= FLOAT_MAX) return new SchemaAndValue(Schemas.FLOAT32, n);
  if (d.scale !== 0 && Number.isFinite(n)) return new SchemaAndValue(Schemas.FLOAT64, n);
  return new SchemaAndValue(Decimal.schema(d.scale), d);
}

function integralValue(d: BigDecimal): bigint | null {
  if (d.unscaled === 0n) return 0n;
  const digits = (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString().length;
  if (d.scale <= 0) return digits - d.scale > 20 ? null : d.unscaled * 10n ** BigInt(-d.scale);
  if (d.scale >= digits) return null;
  const div = 10n ** BigInt(d.scale);
  return d.unscaled % div === 0n ? d.unscaled / div : null;
}

/** Finds the one schema that holds every value seen: numbers widen, other schemas must be equal. */
class SchemaMerger {
  private common: Schema | null = null;
  private compatible = true;
  sawNull = false;

  merge(parsed: SchemaAndValue | null): void {
    if (!parsed || !parsed.schema) {
      this.sawNull = true;
      return;
    }
    if (!this.compatible) return;
    if (!this.common) this.common = parsed.schema;
    else {
      this.common = mergeSchemas(this.common, parsed.schema);
      this.compatible = this.common !== null;
    }
  }

  /** The common schema (optional when a null was seen), or null when there is none. */
  schema(): Schema | null {
    if (!this.compatible || !this.common) return null;
    return this.sawNull && !this.common.optional ? SchemaBuilder.from(this.common).optional().build() : this.common;
  }
}

function mergeSchemas(a: Schema, b: Schema): Schema | null {
  const ra = a.name === null ? NUMERIC_RANK[a.type] : undefined;
  const rb = b.name === null ? NUMERIC_RANK[b.type] : undefined;
  if (ra !== undefined && rb !== undefined) return rb > ra ? b : a;
  return a.equals(b) ? a : null;
}

function align(schema: Schema | null, v: unknown): unknown {
  if (schema && (schema.type === 'float32' || schema.type === 'float64') && typeof v === 'bigint') return Number(v);
  return v;
}

/** The parser of values inside `[..]` and `{..}`, where strings are quoted. */
class EmbeddedParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    this.ws();
    return this.pos >= this.text.length;
  }

  /** One value; null for the literal `null`. */
  value(): SchemaAndValue | null {
    this.ws();
    const c = this.text[this.pos];
    if (c === undefined) throw new DataError('Unexpected end of text');
    if (c === '"') return this.quoted();
    if (c === '[') return this.array();
    if (c === '{') return this.map();
    EMBEDDED_TEMPORAL.lastIndex = this.pos;
    const temporal = EMBEDDED_TEMPORAL.exec(this.text);
    if (temporal) {
      const parsed = parseTemporal(temporal[0]);
      if (parsed) {
        this.pos += temporal[0].length;
        return parsed;
      }
    }
    const token = this.token().trim();
    if (token === 'null') return null;
    if (token === 'true') return new SchemaAndValue(Schemas.BOOLEAN, true);
    if (token === 'false') return new SchemaAndValue(Schemas.BOOLEAN, false);
    const parsed = (/^\d/.test(token) ? parseTemporal(token) : null) ?? parseNumber(token);
    if (!parsed) throw new DataError(`Failed to parse embedded value '${token}'`);
    return parsed;
  }

  private quoted(): SchemaAndValue {
    let out = '';
    for (this.pos++; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos]!;
      if (c === '\\' && this.pos + 1 < this.text.length) out += this.text[++this.pos];
      else if (c === '"') {
        this.pos++;
        return parseTemporal(out) ?? new SchemaAndValue(Schemas.STRING, out);
      }
      else out += c;
    }
    throw new DataError('Quoted string is missing its closing quote');
  }

  private token(): string {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '\\') this.pos += 2;
      else if (DELIMITERS.has(c)) break;
      else this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  private array(): SchemaAndValue {
    this.pos++;
    const values: unknown[] = [];
    const merger = new SchemaMerger();
    for (;;) {
      if (this.consume(']')) break;
      if (this.peek(',')) throw new DataError('Unable to parse an empty array element');
      const element = this.value();
      merger.merge(element);
      values.push(element ? element.value : null);
      if (!this.consume(',') && !this.peek(']')) throw new DataError("Array elements missing ',' delimiter");
    }
    const elementSchema = merger.schema();
    if (!elementSchema) return new SchemaAndValue(null, values);
    return new SchemaAndValue(SchemaBuilder.array(elementSchema).build(), values.map((v) => align(elementSchema, v)));
  }

  private map(): SchemaAndValue {
    this.pos++;
    const entries: Array<[unknown, unknown]> = [];
    const keys = new SchemaMerger();
    const values = new SchemaMerger();
    for (;;) {
      if (this.consume('}')) break;
      if (this.peek(',')) throw new DataError('Unable to parse a map entry with no key or value');
      const key = this.value();
      if (!key || key.value === null) throw new DataError('Map entry may not have a null key');
      if (!this.consume(':')) throw new DataError(`Map entry is missing ':' at ${this.pos}`);
      const value = this.value();
      keys.merge(key);
      values.merge(value);
      entries.push([key.value, value ? value.value : null]);
      this.consume(',');
    }
    const keySchema = keys.schema();
    const valueSchema = values.schema();
    if (!keySchema || !valueSchema) return new SchemaAndValue(null, new Map(entries));
    const aligned = new Map(entries.map(([k, v]) => [align(keySchema, k), align(valueSchema, v)]));
    return new SchemaAndValue(SchemaBuilder.map(keySchema, valueSchema).build(), aligned);
  }

  private consume(c: string): boolean {
    if (!this.peek(c)) return false;
    this.pos++;
    return true;
  }

  private peek(c: string): boolean {
    this.ws();
    if (this.pos >= this.text.length) throw new DataError(`Unexpected end of text: an array or map is not closed`);
    return this.text[this.pos] === c;
  }

  private ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
}
