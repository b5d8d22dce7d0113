/**
 * Record headers as stored in the `headers` column: NULL when a record has none (the common case,
 * which costs nothing), else a compact binary list that keeps order, duplicate keys and null values:
 *
 *   count:varint, then per header: keyLength:varint keyUtf8 valueLength+1:varint valueBytes
 *
 * A value length of 0 encodes a null value, so an empty value (length 1) stays distinct from null.
 */
import type { LogHeader } from '../log.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeVarint(buf: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

export function encodeHeaders(headers: LogHeader[] | undefined): Buffer | null {
  if (!headers || headers.length === 0) return null;
  const keys = headers.map((h) => encoder.encode(h.key));
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
  let pos = 0;
  const readVarint = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error('corrupt headers: truncated varint');
      const b = buf[pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 128;
    }
  };
  const take = (length: number): Uint8Array => {
    if (pos + length > buf.length) throw new Error('corrupt headers: field runs past the end');
    const slice = buf.subarray(pos, pos + length);
    pos += length;
    return slice;
  };
  const count = readVarint();
  const headers: LogHeader[] = [];
  for (let i = 0; i < count; i++) {
    const key = decoder.decode(take(readVarint()));
    const tag = readVarint();
    headers.push({ key, value: tag === 0 ? null : take(tag - 1) });
  }
  return headers;
}
