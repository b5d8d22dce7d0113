/**
 * StringConverter (org.apache.kafka.connect.storage.StringConverter): any value as its text in
 * `converter.encoding` (UTF-8 by default); bytes read back as an optional string.
 */
import type { Converter, HeaderConverter } from '../api/converter.js';
import { DataError } from '../api/errors.js';
import type { ConnectHeaders } from '../api/headers.js';
import type { ConfigSpec } from '../config/config-spec.js';
import { BigDecimal } from '../data/big-decimal.js';
import type { Schema } from '../data/schema.js';
import { Schemas } from '../data/schema-builder.js';
import { SchemaAndValue } from '../data/schema-and-value.js';
import { isPlainObject } from '../data/validate.js';
import { converterConfigSpec, withConverterType } from './converter-config.js';
import { javaBigDecimal } from './java-text.js';
import { valuesToString } from './values-text.js';

export const STRING_CONVERTER_CLASS = 'org.apache.kafka.connect.storage.StringConverter';

interface Charset {
  encode(text: string): Uint8Array;
  decode(bytes: Uint8Array): string;
}

function buf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Java's encoders replace what a charset cannot hold with '?'. */
function narrow(text: string, max: number): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c <= max ? c : 0x3f;
  }
  return out;
}

function utf16be(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  return out.swap16();
}

const UTF8: Charset = { encode: (t) => Buffer.from(t, 'utf8'), decode: (b) => buf(b).toString('utf8') };
const UTF16BE: Charset = {
  encode: (t) => utf16be(Buffer.from(t, 'utf16le')),
  decode: (b) => utf16be(buf(b.length % 2 === 0 ? b : b.subarray(0, b.length - 1))).toString('utf16le'),
};
const CHARSETS: Record<string, Charset> = {
  'UTF-8': UTF8,
  UTF8,
  'UTF-16BE': UTF16BE,
  'UTF-16LE': { encode: (t) => Buffer.from(t, 'utf16le'), decode: (b) => buf(b).toString('utf16le') },
  'ISO-8859-1': { encode: (t) => narrow(t, 0xff), decode: (b) => buf(b).toString('latin1') },
  LATIN1: { encode: (t) => narrow(t, 0xff), decode: (b) => buf(b).toString('latin1') },
  'US-ASCII': { encode: (t) => narrow(t, 0x7f), decode: (b) => Buffer.from(b.map((x) => (x > 0x7f ? 0x3f : x))).toString('latin1') },
  ASCII: { encode: (t) => narrow(t, 0x7f), decode: (b) => Buffer.from(b.map((x) => (x > 0x7f ? 0x3f : x))).toString('latin1') },
};

export function charsetFor(name: string): Charset | undefined {
  return CHARSETS[name.trim().toUpperCase()];
}

export function stringConverterConfigSpec(): ConfigSpec {
  return converterConfigSpec().define({
    name: 'converter.encoding',
    type: 'string',
    default: 'UTF-8',
    validator: Object.assign(
      (_n: string, v: unknown) => (charsetFor(String(v)) ? null : `Unsupported encoding; supported: ${Object.keys(CHARSETS).join(', ')}`),
      { describe: Object.keys(CHARSETS).join(', ') },
    ),
    importance: 'high',
    width: 'medium',
    displayName: 'Encoding',
    doc: 'The name of the Java character set to use for encoding strings as byte arrays.',
  });
}

/** The text StringConverter writes: Java's toString where JavaScript's String() would say less. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof BigDecimal) return javaBigDecimal(value.unscaled, value.scale);
  if (value instanceof Map || Array.isArray(value) || isPlainObject(value)) return valuesToString(null, value) ?? '';
  return String(value);
}

export class StringConverter implements Converter, HeaderConverter {
  private charset: Charset = UTF8;

  config(): ConfigSpec {
    return stringConverterConfigSpec();
  }

  configure(configs: Record<string, string>, isKey?: boolean): void {
    const cfg = this.config().parse(withConverterType(configs, isKey), 'StringConverter config');
    this.charset = charsetFor(cfg.requireString('converter.encoding'))!;
  }

  fromConnectData(_topic: string, _headers: ConnectHeaders | null, _schema: Schema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null;
    try {
      return this.charset.encode(textOf(value));
    } catch (e) {
      throw new DataError(`Failed to serialize to a string: ${(e as Error).message}`, { cause: e });
    }
  }

  toConnectData(_topic: string, _headers: ConnectHeaders | null, bytes: Uint8Array | null): SchemaAndValue {
    return new SchemaAndValue(Schemas.OPTIONAL_STRING, bytes === null ? null : this.charset.decode(bytes));
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, null, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, null, bytes);
  }
}
