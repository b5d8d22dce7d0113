/**
 * Record headers as a record of a stored batch carries them (see batch-codec.ts): nothing when a
 * record has none (the common case), else a compact binary list that keeps order, duplicate keys
 * and null values:
 *
 *   count:varint, then per header: keyLength:varint keyUtf8 valueLength+1:varint valueBytes
 *
 * A value length of 0 encodes a null value, so an empty value (length 1) stays distinct from null.
 */
import type { LogHeader } from '../log.js';
import { ByteReader, varintSize, writeVarint } from './varint.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Header keys repeat on every record of a connector: their UTF-8 is kept (bounded). */
const keyBytes = new Map<string, Uint8Array>();
const KEY_CACHE_SIZE = 1024;

function encodeKey(key: string): Uint8Array {
  let bytes = keyBytes.get(key);
  if (!bytes) {
    if (keyBytes.size >= KEY_CACHE_SIZE) keyBytes.clear();
    bytes = encoder.encode(key);
    keyBytes.set(key, bytes);
  }
  return bytes;
}

/**
 * The last list encoded, by its keys and its value objects. A connector's records often carry the
 * same headers (a CDC task's four context headers, whose bytes the header converter keeps), and
 * encoding them again was ~3% of a streamed change's main thread. A value is the same only as the
 * same object: new bytes are encoded anew even when equal. The result is only copied into a batch.
 */
let lastKeys: string[] = [];
let lastValues: Array<Uint8Array | null> = [];
let lastEncoded: Buffer | null = null;

function sameAsLast(headers: LogHeader[]): boolean {
  if (headers.length !== lastKeys.length) return false;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (h.value !== lastValues[i] || h.key !== lastKeys[i]) return false;
  }
  return true;
}

export function encodeHeaders(headers: LogHeader[] | undefined): Buffer | null {
  if (!headers || headers.length === 0) return null;
  if (lastEncoded !== null && sameAsLast(headers)) return lastEncoded;
  const out = encodeList(headers);
  lastKeys = headers.map((h) => h.key);
  lastValues = headers.map((h) => h.value);
  lastEncoded = out;
  return out;
}

function encodeList(headers: LogHeader[]): Buffer {
  const keys = headers.map((h) => encodeKey(h.key));
  let size = varintSize(headers.length);
  for (let i = 0; i < headers.length; i++) {
    const value = headers[i]!.value;
    const valueTag = value === null ? 0 : value.length + 1;
    size += varintSize(keys[i]!.length) + keys[i]!.length + varintSize(valueTag) + (value?.length ?? 0);
  }
  const out = Buffer.allocUnsafe(size);
  let pos = writeVarint(out, 0, headers.length);
  for (let i = 0; i < headers.length; i++) {
    const key = keys[i]!;
    const value = headers[i]!.value;
    pos = writeVarint(out, pos, key.length);
    out.set(key, pos);
    pos += key.length;
    pos = writeVarint(out, pos, value === null ? 0 : value.length + 1);
    if (value !== null) {
      out.set(value, pos);
      pos += value.length;
    }
  }
  return out;
}

export function decodeHeaders(buf: Uint8Array | null): LogHeader[] {
  if (buf === null) return [];
  const reader = new ByteReader(buf, 0, 'headers');
  const count = reader.varint();
  const headers: LogHeader[] = [];
  for (let i = 0; i < count; i++) {
    const keyLength = reader.varint();
    const keyStart = reader.skip(keyLength);
    const key = decoder.decode(buf.subarray(keyStart, keyStart + keyLength));
    const tag = reader.varint();
    if (tag === 0) {
      headers.push({ key, value: null });
    } else {
      const valueStart = reader.skip(tag - 1);
      headers.push({ key, value: buf.subarray(valueStart, valueStart + tag - 1) });
    }
  }
  return headers;
}
