/**
 * One handler per Postgres type: Debezium's schema for it, the value from Postgres text, the value
 * Debezium puts in a required column that came as null, and the unchanged-TOAST placeholder.
 */
import { createHash } from 'node:crypto';
import { BigDecimal, DateType, SchemaBuilder, TimeType, TimestampType, type Schema } from '../../../runtime/api/index.js';
import { parseArrayLiteral, type ArrayElements } from './array-literal.js';
import { numericPrecisionScale, temporalPrecision, type ColumnType, type TypeModes } from './column-type.js';
import { DebeziumSchemas, pointValue, variableScaleDecimalValue } from './debezium-schemas.js';
import {
  formatZonedTime, formatZonedTimestamp, intervalIsoString, intervalMicros, parseDate, parseInterval, parseTime, parseTimestamp,
} from './temporal.js';

export interface TypeHandler {
  /** The required schema; the caller makes it optional. */
  schema(): SchemaBuilder;
  parse(text: string, schema: Schema): unknown;
  /** The value of a null in a required column (Debezium's per-type fallback). */
  fallback(schema: Schema): unknown;
  /** The value for an unchanged TOAST column; absent: decided by the schema type. */
  placeholder?(placeholder: Placeholder, schema: Schema): unknown;
}

export interface Placeholder {
  text: string;
  bytes: Uint8Array;
}

/** Whether Debezium maps the type: `unknown` types appear only with include.unknown.datatypes, `unsupported` never. */
export type TypeSupport = 'known' | 'unknown' | 'unsupported';

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** int64 values stay numbers while exact, bigint beyond 2^53. */
export function int64(value: bigint): number | bigint {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/**
 * An int8's text as its value: up to 15 characters it is exactly a number (below 10^15 < 2^53),
 * with no BigInt made on the way (2% of a streamed narrow change's main thread went to that).
 */
function int8Text(t: string): number | bigint {
  return t.length <= 15 ? Number(t) : int64(BigInt(t));
}

function float(text: string): number {
  if (text === 'NaN') return NaN;
  if (text === 'Infinity') return Infinity;
  if (text === '-Infinity') return -Infinity;
  return Number(text);
}

function simple(schema: () => SchemaBuilder, parse: (text: string) => unknown, fallback: unknown): TypeHandler {
  return { schema, parse: (t) => parse(t), fallback: () => fallback };
}

const stringHandler = (builder: () => SchemaBuilder = SchemaBuilder.string): TypeHandler => simple(builder, (t) => t, '');

function bytesFromPgText(text: string): Uint8Array {
  if (text.startsWith('\\x')) return new Uint8Array(Buffer.from(text.slice(2), 'hex'));
  // bytea_output = escape: octal escapes and doubled backslashes.
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      if (text[i + 1] === '\\') { out.push(0x5c); i++; continue; }
      out.push(parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    } else out.push(...Buffer.from(text[i]!, 'latin1'));
  }
  return new Uint8Array(out);
}

function binaryEncode(bytes: Uint8Array, mode: TypeModes['binary']): Uint8Array | string {
  switch (mode) {
    case 'bytes': return bytes;
    case 'base64': return Buffer.from(bytes).toString('base64');
    // Java's URL-safe encoder keeps the padding.
    case 'base64-url-safe': return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'hex': return Buffer.from(bytes).toString('hex');
  }
}

function binarySchema(mode: TypeModes['binary']): SchemaBuilder {
  return mode === 'bytes' ? SchemaBuilder.bytes() : SchemaBuilder.string();
}

function binaryHandler(modes: TypeModes, fromText: (text: string) => Uint8Array): TypeHandler {
  return {
    schema: () => binarySchema(modes.binary),
    parse: (t) => binaryEncode(fromText(t), modes.binary),
    fallback: () => (modes.binary === 'bytes' ? new Uint8Array(0) : ''),
    // Debezium gives bytes of the placeholder in bytes mode and the placeholder text in the others.
    placeholder: (p) => (modes.binary === 'bytes' ? p.bytes : p.text),
  };
}

/**
 * A Connect Date/Timestamp value: a JS Date, which reaches ±273,790 years. Debezium's stand-ins for
 * 'infinity' (and years beyond that) have none: the value reads as null (the fallback where the
 * column is required) rather than failing the converter and the task.
 */
function validDate(ms: number, text: string): Date {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new Error(`${text} is beyond a JavaScript Date`);
  return d;
}

function numericHandler(col: ColumnType, modes: TypeModes): TypeHandler {
  const ps = numericPrecisionScale(col.typeMod);
  const specials: Record<string, { d: number; s: string }> = {
    NaN: { d: NaN, s: 'NAN' }, Infinity: { d: Infinity, s: 'POSITIVE_INFINITY' }, '-Infinity': { d: -Infinity, s: 'NEGATIVE_INFINITY' },
  };
  // Looking every value up by its text hashed the text first (2.4% of a 1 KB-row change's main
  // thread): only a text starting N, I or -I can be one of the three.
  const special = (t: string) => {
    const c = t.charCodeAt(0);
    return c === 0x4e || c === 0x49 || (c === 0x2d && t.charCodeAt(1) === 0x49) ? specials[t] : undefined;
  };
  const exact = (t: string): BigDecimal => {
    const v = BigDecimal.parse(t);
    return ps ? v.setScale(ps.scale, true) : v;
  };
  if (modes.decimal === 'double') return simple(SchemaBuilder.float64, (t) => special(t)?.d ?? Number(t), 0);
  if (modes.decimal === 'string') return simple(SchemaBuilder.string, (t) => special(t)?.s ?? exact(t).toString(), '0');
  // NaN and ±Infinity have no exact decimal: as Debezium 3.6.1 does (it logs the conversion error and
  // goes on), the value is null, or the fallback in a required column (columnConverter's catch).
  const noSpecial = (t: string): string => {
    if (special(t)) throw new Error(`${t} has no decimal value; use decimal.handling.mode=string or double`);
    return t;
  };
  if (ps) {
    const zero = new BigDecimal(0n, ps.scale);
    return simple(() => DebeziumSchemas.decimal(ps.scale, ps.precision), (t) => exact(noSpecial(t)), zero);
  }
  const vsd = (v: BigDecimal, schema: Schema) => variableScaleDecimalValue(schema, stripTrailingZeros(v));
  return {
    schema: DebeziumSchemas.variableScaleDecimal,
    parse: (t, schema) => vsd(BigDecimal.parse(noSpecial(t)), schema),
    fallback: (schema) => vsd(new BigDecimal(0n, 0), schema),
  };
}

/** Java's stripTrailingZeros, with a negative scale brought back to 0 as Debezium does. */
function stripTrailingZeros(v: BigDecimal): BigDecimal {
  let { unscaled, scale } = v;
  if (unscaled === 0n) return new BigDecimal(0n, 0);
  while (scale > 0 && unscaled % 10n === 0n) { unscaled /= 10n; scale--; }
  return new BigDecimal(unscaled, scale);
}

function moneyHandler(modes: TypeModes): TypeHandler {
  const digits = modes.moneyFractionDigits ?? 2;
  const parse = (t: string): BigDecimal => {
    const negative = t.includes('-') || t.startsWith('(');
    const v = BigDecimal.parse(t.replace(/[^0-9.]/g, '') || '0').setScale(digits, true);
    return negative ? new BigDecimal(-v.unscaled, v.scale) : v;
  };
  const zero = new BigDecimal(0n, digits);
  if (modes.decimal === 'double') return simple(SchemaBuilder.float64, (t) => parse(t).toNumber(), 0);
  if (modes.decimal === 'string') return simple(SchemaBuilder.string, (t) => parse(t).toString(), zero.toString());
  return simple(() => DebeziumSchemas.decimal(digits), parse, zero);
}

const MS_PER_DAY = 86_400_000;

function dateHandler(modes: TypeModes): TypeHandler {
  if (modes.time === 'connect') return simple(DateType.builder, (t) => validDate(parseDate(t) * MS_PER_DAY, t), new Date(0));
  return simple(DebeziumSchemas.date, parseDate, 0);
}

function timeHandler(col: ColumnType, modes: TypeModes): TypeHandler {
  if (modes.time === 'connect') return simple(TimeType.builder, (t) => new Date(Math.floor(parseTime(t) / 1000)), new Date(0));
  if (modes.time === 'adaptive' && temporalPrecision(col.typeMod) <= 3) return simple(DebeziumSchemas.time, (t) => Math.floor(parseTime(t) / 1000), 0);
  return simple(DebeziumSchemas.microTime, parseTime, 0);
}

function timestampHandler(col: ColumnType, modes: TypeModes): TypeHandler {
  const millis = (t: string): bigint => {
    const us = parseTimestamp(t);
    return us / 1000n - (us % 1000n < 0n ? 1n : 0n);
  };
  if (modes.time === 'connect') return simple(TimestampType.builder, (t) => validDate(Number(millis(t)), t), new Date(0));
  if (temporalPrecision(col.typeMod) <= 3) return simple(DebeziumSchemas.timestamp, (t) => int64(millis(t)), 0);
  return simple(DebeziumSchemas.microTimestamp, (t) => int64(parseTimestamp(t)), 0);
}

function intervalHandler(modes: TypeModes): TypeHandler {
  if (modes.interval === 'string') {
    return simple(DebeziumSchemas.interval, (t) => intervalIsoString(parseInterval(t)), 'P0Y0M0DT0H0M0S');
  }
  return simple(DebeziumSchemas.microDuration, (t) => intervalMicros(parseInterval(t)), 0);
}

function bitsHandler(col: ColumnType): TypeHandler {
  // bit without a length is bit(1); varbit without one has Debezium's 2^31-1.
  const length = col.typeMod > 0 ? col.typeMod : col.name === 'varbit' ? 2147483647 : 1;
  if (length === 1) return simple(SchemaBuilder.bool, (t) => t.includes('1'), false);
  return simple(() => DebeziumSchemas.bits(length), (t) => {
    // Little-endian bytes of the bit string read as a binary number, only as many as its highest set bit needs.
    let n = BigInt(`0b${t || '0'}`);
    const out: number[] = [];
    while (n > 0n) { out.push(Number(n & 0xffn)); n >>= 8n; }
    return new Uint8Array(out);
  }, new Uint8Array(0));
}

function pointHandler(): TypeHandler {
  return {
    schema: DebeziumSchemas.point,
    parse: (t, schema) => {
      const [x, y] = t.replace(/[()]/g, '').split(',').map(Number);
      return pointValue(schema, x ?? 0, y ?? 0);
    },
    fallback: (schema) => pointValue(schema, 0, 0),
  };
}

/** hstore text (`"a"=>"1", "b"=>NULL`) as an ordered list of pairs. */
function parseHstore(text: string): Array<[string, string | null]> {
  const out: Array<[string, string | null]> = [];
  const re = /"((?:[^"\\]|\\.)*)"\s*=>\s*(?:"((?:[^"\\]|\\.)*)"|(NULL))/g;
  const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
  for (const m of text.matchAll(re)) out.push([unescape(m[1]!), m[3] ? null : unescape(m[2]!)]);
  return out;
}

function hstoreHandler(modes: TypeModes): TypeHandler {
  if (modes.hstore === 'map') {
    return {
      schema: () => SchemaBuilder.map(SchemaBuilder.string().build(), SchemaBuilder.string().optional().build()),
      parse: (t) => new Map(parseHstore(t)),
      fallback: () => new Map(),
      placeholder: (p) => new Map([[p.text, p.text]]),
    };
  }
  return {
    schema: DebeziumSchemas.json,
    parse: (t) => JSON.stringify(Object.fromEntries(parseHstore(t))),
    fallback: () => '{}',
    placeholder: (p) => JSON.stringify({ [p.text]: p.text }),
  };
}

const STRING_TYPES = new Set([
  'varchar', 'text', 'bpchar', 'char', 'name', 'citext', 'isbn', 'inet', 'cidr', 'macaddr', 'macaddr8',
  'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange',
]);

/** Arrays Debezium never maps (their columns are left out of events). */
const UNSUPPORTED_ARRAYS = new Set(['_money', '_name', '_interval', '_varbit', '_bit', '_xml', '_point']);

/** The handler of a scalar type, or null when Debezium does not know the type. */
function scalarHandler(col: ColumnType, modes: TypeModes): TypeHandler | null {
  if (col.enumValues) return simple(() => DebeziumSchemas.enumOf(col.enumValues!), (t) => t, '');
  if (STRING_TYPES.has(col.name)) return stringHandler();
  switch (col.name) {
    case 'bool': return simple(SchemaBuilder.bool, (t) => t === 't' || t === 'true', false);
    case 'int2': return simple(SchemaBuilder.int16, Number, 0);
    case 'int4': return simple(SchemaBuilder.int32, Number, 0);
    case 'int8':
    case 'oid': return simple(SchemaBuilder.int64, int8Text, 0);
    case 'float4': return simple(SchemaBuilder.float32, float, 0);
    case 'float8': return simple(SchemaBuilder.float64, float, 0);
    case 'numeric': return numericHandler(col, modes);
    case 'money': return moneyHandler(modes);
    case 'bytea': return binaryHandler(modes, bytesFromPgText);
    case 'date': return dateHandler(modes);
    case 'time': return timeHandler(col, modes);
    case 'timetz': return simple(DebeziumSchemas.zonedTime, formatZonedTime, '00:00:00Z');
    case 'timestamp': return timestampHandler(col, modes);
    case 'timestamptz': return simple(DebeziumSchemas.zonedTimestamp, (t) => formatZonedTimestamp(t, temporalPrecision(col.typeMod)), '1970-01-01T00:00:00Z');
    case 'interval': return intervalHandler(modes);
    case 'uuid': return stringHandler(DebeziumSchemas.uuid);
    case 'json':
    case 'jsonb': return stringHandler(DebeziumSchemas.json);
    case 'xml': return stringHandler(DebeziumSchemas.xml);
    case 'ltree': return stringHandler(DebeziumSchemas.ltree);
    case 'tsvector': return stringHandler(DebeziumSchemas.tsvector);
    case 'bit':
    case 'varbit': return bitsHandler(col);
    case 'point': return pointHandler();
    case 'hstore': return hstoreHandler(modes);
    default: return null;
  }
}

/** Debezium's array placeholders for an unchanged TOAST array, keyed by element type. */
function arrayPlaceholder(element: string, p: Placeholder): unknown[] | null {
  switch (element) {
    case 'text': case 'varchar': case 'bpchar': case 'json': case 'jsonb': return [p.text];
    case 'bytea': return [p.bytes];
    case 'int4': case 'date': return [...p.bytes].map((b) => (b << 24) >> 24);
    case 'int8': return [...p.bytes].map((b) => (b << 24) >> 24);
    case 'uuid': return [nameUuidFromBytes(p.bytes)];
    default: return null;
  }
}

/** Java's UUID.nameUUIDFromBytes: an MD5 (version 3) UUID. */
export function nameUuidFromBytes(bytes: Uint8Array): string {
  const h = createHash('md5').update(bytes).digest();
  h[6] = (h[6]! & 0x0f) | 0x30;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function arrayHandler(col: ColumnType, modes: TypeModes): TypeHandler | null {
  const elementName = col.name.slice(1);
  const element = scalarHandler({ ...col, name: elementName, oid: col.elementOid ?? 0, optional: true }, modes);
  if (!element) return null;
  const delimiter = elementName === 'box' ? ';' : ',';
  const convert = (items: ArrayElements, schema: Schema): unknown[] =>
    items.map((item) => {
      if (item === null) return null;
      // A one-dimensional schema cannot hold an inner array; it reads as null rather than failing the row.
      if (Array.isArray(item)) return null;
      return element.parse(item, schema.valueSchema!);
    });
  return {
    schema: () => SchemaBuilder.array(element.schema().optional().build()),
    parse: (t, schema) => convert(parseArrayLiteral(t, delimiter), schema),
    fallback: () => [],
    placeholder: (p, schema) => arrayPlaceholder(elementName, p) ?? (schema.valueSchema!.type === 'string' ? [p.text] : []),
  };
}

export function typeSupport(col: ColumnType): TypeSupport {
  if (UNSUPPORTED_ARRAYS.has(col.name)) return 'unsupported';
  const known = isArrayType(col) ? arrayHandler(col, DEFAULT_MODES_FOR_SUPPORT) : scalarHandler(col, DEFAULT_MODES_FOR_SUPPORT);
  return known ? 'known' : 'unknown';
}

/** Array type names start with `_`; an enum array also carries its element oid (an enum may itself be named `_x`). */
function isArrayType(col: ColumnType): boolean {
  return col.name.startsWith('_') && (col.elementOid !== undefined || !col.enumValues);
}

const DEFAULT_MODES_FOR_SUPPORT: TypeModes = { decimal: 'precise', time: 'adaptive', binary: 'bytes', unavailablePlaceholder: '' };

/**
 * The handler of any column. Types Debezium does not know come out as include.unknown.datatypes
 * makes them: the text's bytes in the binary.handling.mode representation.
 */
export function handlerFor(col: ColumnType, modes: TypeModes): TypeHandler {
  const known = isArrayType(col) ? arrayHandler(col, modes) : scalarHandler(col, modes);
  return known ?? binaryHandler(modes, (t) => new Uint8Array(Buffer.from(t, 'utf8')));
}
