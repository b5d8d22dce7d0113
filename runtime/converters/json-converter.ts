/**
 * JsonConverter (org.apache.kafka.connect.json.JsonConverter): Connect data as JSON, with
 * `schemas.enable=true` wrapped in Kafka's `{"schema":{...},"payload":...}` envelope, byte for byte
 * as Kafka writes it. Usable as a key/value converter and as a header converter.
 */
import type { Converter, HeaderConverter } from '../api/converter.js';
import { DataError } from '../api/errors.js';
import type { ConnectHeaders } from '../api/headers.js';
import { ConfigSpec } from '../config/config-spec.js';
import { Validators } from '../config/validators.js';
import type { Schema } from '../data/schema.js';
import { SchemaAndValue } from '../data/schema-and-value.js';
import { isPlainObject } from '../data/validate.js';
import { converterConfigSpec, withConverterType } from './converter-config.js';
import { JsonDecimal, needsExactParse, parseJsonExact, toPlain, type JsonValue } from './exact-json.js';
import { JsonCodec, type JsonReader, type JsonWriter } from './json-codec.js';
import { schemaFromJson, schemaToJson } from './json-schema.js';
import { jsonQuote, utf8Text } from './java-text.js';
import { JsonOut } from './json-out.js';
import { LruCache } from './lru-cache.js';

export const JSON_CONVERTER_CLASS = 'org.apache.kafka.connect.json.JsonConverter';

export function jsonConverterConfigSpec(): ConfigSpec {
  return converterConfigSpec()
    .define({
      name: 'schemas.enable', type: 'boolean', default: true, importance: 'high', group: 'Schemas', orderInGroup: 0,
      width: 'medium', displayName: 'Enable Schemas', doc: 'Include schemas within each of the serialized values and keys.',
    })
    .define({
      name: 'schemas.cache.size', type: 'int', default: 1000, validator: Validators.atLeast(0), importance: 'high',
      group: 'Schemas', orderInGroup: 1, width: 'medium', displayName: 'Schema Cache Size',
      doc: 'The maximum number of schemas that can be cached in this converter instance.',
    })
    .define({
      name: 'decimal.format', type: 'string', default: 'BASE64', validator: Validators.oneOfIgnoreCase('BASE64', 'NUMERIC'),
      importance: 'low', group: 'Serialization', orderInGroup: 0, width: 'medium', displayName: 'Decimal Format',
      doc: "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
    })
    .define({
      name: 'replace.null.with.default', type: 'boolean', default: true, importance: 'low', group: 'Serialization',
      orderInGroup: 1, width: 'medium', displayName: 'Replace null with default',
      doc: 'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
    });
}

const ENVELOPE_ERROR =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields.' +
  ' If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.';
const SCHEMA_PREFIX = '{"schema":';
const PAYLOAD_INFIX = ',"payload":';
const NULL_SCHEMA_HEAD = Buffer.from('{"schema":null,"payload":');

interface WriteEntry {
  schemaText: string;
  write: JsonWriter;
  /** `{"schema":<schema>,"payload":` as UTF-8, made on first use: copied, not encoded, per record. */
  head?: Buffer;
}
interface ReadEntry { schema: Schema | null; read: JsonReader | null }

export class JsonConverter implements Converter, HeaderConverter {
  private schemasEnabled = true;
  private codec = new JsonCodec({ decimalNumeric: false, replaceNullWithDefault: true });
  private writeCache = new LruCache<Schema, WriteEntry>(1000);
  private readCache = new LruCache<string, ReadEntry>(1000);
  // The last schema used each way: one topic's records almost always share one.
  private lastWriteSchema: Schema | null = null;
  private lastWrite: WriteEntry | null = null;
  private lastReadText: string | null = null;
  private lastRead: ReadEntry | null = null;
  private readonly writeStruct = (schema: Schema): JsonWriter => this.writeEntry(schema).write;
  // Every record's bytes are written into shared 64 KB slabs (json-out.ts): no text made first.
  private readonly out = new JsonOut();

  config(): ConfigSpec {
    return jsonConverterConfigSpec();
  }

  /** As a key/value converter `isKey` is given; as a header converter it is not. */
  configure(configs: Record<string, string>, isKey?: boolean): void {
    const cfg = this.config().parse(withConverterType(configs, isKey), 'JsonConverter config');
    this.schemasEnabled = cfg.getBoolean('schemas.enable');
    this.codec = new JsonCodec({
      decimalNumeric: cfg.requireString('decimal.format').toUpperCase() === 'NUMERIC',
      replaceNullWithDefault: cfg.getBoolean('replace.null.with.default'),
    });
    const size = cfg.getInt('schemas.cache.size');
    this.writeCache = new LruCache(size);
    this.readCache = new LruCache(size);
    this.lastWriteSchema = this.lastWrite = this.lastReadText = this.lastRead = null;
  }

  fromConnectData(_topic: string, _headers: ConnectHeaders | null, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema === null && (value === null || value === undefined)) return null;
    const out = this.out;
    out.begin();
    try {
      this.writeJson(schema, value, out);
    } catch (e) {
      out.abandon();
      throw e;
    }
    return out.finish();
  }

  private writeJson(schema: Schema | null, value: unknown, out: JsonOut): void {
    const entry = schema === null ? null : this.writeEntry(schema);
    if (this.schemasEnabled) {
      // The envelope's schema part is the same bytes for every record of a schema (~2 KB for a
      // CDC event): copied, not encoded, per record.
      out.bytes(entry === null ? NULL_SCHEMA_HEAD : (entry.head ??= Buffer.from(`${SCHEMA_PREFIX}${entry.schemaText}${PAYLOAD_INFIX}`, 'utf8')));
    }
    if (entry === null) this.codec.writeAny(value, out, this.writeStruct);
    else entry.write(value, out);
    if (this.schemasEnabled) out.byte(0x7d); // the envelope's closing }
  }

  toConnectData(topic: string, _headers: ConnectHeaders | null, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return SchemaAndValue.NULL;
    return this.fromJsonText(topic, utf8Text(bytes));
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, null, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, null, bytes);
  }

  /** The JSON text for a value (the envelope when schemas are enabled). */
  toJsonText(schema: Schema | null, value: unknown): string {
    const out = new JsonOut(1024);
    this.writeJson(schema, value, out);
    return out.finishText();
  }

  /** Reads JSON text as a schema and value. */
  fromJsonText(topic: string, text: string): SchemaAndValue {
    if (!this.schemasEnabled) {
      // Empty input is Jackson's MissingNode, which Kafka reads as null without schemas.
      if (text.trim() === '') return SchemaAndValue.NULL;
      const exact = needsExactParse(text);
      const node = this.parse(topic, text, exact);
      // Only the exact parser makes JsonDecimal values that a plain value must not hold.
      return new SchemaAndValue(null, exact ? toPlain(node) : node);
    }
    return this.readEnvelopeFast(text) ?? this.readEnvelope(topic, text);
  }

  private writeEntry(schema: Schema): WriteEntry {
    if (schema === this.lastWriteSchema) return this.lastWrite!;
    let entry = this.writeCache.get(schema);
    if (!entry) {
      entry = { schemaText: schemaToJson(schema, this.codec), write: this.codec.writer(schema) };
      this.writeCache.set(schema, entry);
    }
    this.lastWriteSchema = schema;
    this.lastWrite = entry;
    return entry;
  }

  private readEntry(schemaText: string, node?: JsonValue): ReadEntry {
    if (schemaText === this.lastReadText) return this.lastRead!;
    let entry = this.readCache.get(schemaText);
    if (!entry) {
      let schemaNode: JsonValue;
      try {
        schemaNode = node ?? parseJsonExact(schemaText);
      } catch (e) {
        throw new DataError(`Converting byte[] to Kafka Connect data failed due to serialization error: ${(e as Error).message}`, { cause: e });
      }
      const schema = schemaFromJson(schemaNode, this.codec);
      entry = { schema, read: schema ? this.codec.reader(schema) : null };
      this.readCache.set(schemaText, entry);
    }
    this.lastReadText = schemaText;
    this.lastRead = entry;
    return entry;
  }

  /**
   * The envelope as Kafka writes it (`{"schema":...,"payload":...}`, no spaces) is split without
   * parsing the schema: its text is the cache key, and usually equals the last record's. Anything
   * else returns null and takes the general path, which also gives the precise error.
   */
  private readEnvelopeFast(text: string): SchemaAndValue | null {
    if (!startsWithAt(text, SCHEMA_PREFIX, 0) || text.charCodeAt(text.length - 1) !== 0x7d) return null;
    let p = SCHEMA_PREFIX.length;
    let schemaText: string;
    const last = this.lastReadText;
    if (last !== null && startsWithAt(text, last, p)) schemaText = last;
    else if (startsWithAt(text, 'null', p)) schemaText = 'null';
    else {
      const end = objectEnd(text, p);
      if (end < 0) return null;
      schemaText = text.slice(p, end);
    }
    p += schemaText.length;
    if (!startsWithAt(text, PAYLOAD_INFIX, p)) return null;
    const payloadText = text.slice(p + PAYLOAD_INFIX.length, -1);
    const exact = needsExactParse(payloadText);
    let payload: JsonValue;
    try {
      payload = exact ? parseJsonExact(payloadText) : (JSON.parse(payloadText) as JsonValue);
    } catch {
      return null;
    }
    const entry = this.readEntry(schemaText);
    return this.readPayload(entry, payload, exact);
  }

  private readEnvelope(topic: string, text: string): SchemaAndValue {
    const node = this.parse(topic, text, needsExactParse(text));
    if (!isPlainObject(node) || !('schema' in node) || !('payload' in node) || Object.keys(node).length !== 2) {
      throw new DataError(`${ENVELOPE_ERROR} Found ${describeEnvelope(node)} on topic '${topic}'.`);
    }
    const schemaNode = node['schema'] as JsonValue;
    const entry = this.readEntry(canonicalJson(schemaNode), schemaNode);
    return this.readPayload(entry, node['payload'] as JsonValue, true);
  }

  private readPayload(entry: ReadEntry, payload: JsonValue, exact: boolean): SchemaAndValue {
    if (!entry.schema || !entry.read) return new SchemaAndValue(null, exact ? toPlain(payload) : payload);
    return new SchemaAndValue(entry.schema, entry.read(payload));
  }

  private parse(topic: string, text: string, exact: boolean): JsonValue {
    try {
      return exact ? parseJsonExact(text) : (JSON.parse(text) as JsonValue);
    } catch (e) {
      throw new DataError(`Converting byte[] to Kafka Connect data failed due to serialization error on topic '${topic}': ${(e as Error).message}`, { cause: e });
    }
  }
}

/** `text.startsWith(s, p)`, but V8 compares a slice with === about ten times faster. */
function startsWithAt(text: string, s: string, p: number): boolean {
  return text.slice(p, p + s.length) === s;
}

/** The index just past the JSON object starting at `start`, or -1. */
function objectEnd(text: string, start: number): number {
  if (text.charCodeAt(start) !== 0x7b) return -1;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

/** A stable text of a parsed schema, the cache key when the envelope came with other spacing. */
function canonicalJson(node: JsonValue): string {
  if (node === null || typeof node !== 'object') return typeof node === 'string' ? jsonQuote(node) : String(node);
  if (node instanceof JsonDecimal) return node.text;
  if (Array.isArray(node)) return `[${node.map(canonicalJson).join(',')}]`;
  return `{${Object.keys(node).map((k) => `${jsonQuote(k)}:${canonicalJson(node[k]!)}`).join(',')}}`;
}

function describeEnvelope(node: JsonValue): string {
  if (!isPlainObject(node)) return `a JSON ${Array.isArray(node) ? 'array' : node === null ? 'null' : typeof node}`;
  const keys = Object.keys(node);
  return keys.length === 0 ? 'an empty object' : `an object with fields ${keys.map((k) => `"${k}"`).join(', ')}`;
}
