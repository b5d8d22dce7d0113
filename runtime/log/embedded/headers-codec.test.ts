import { describe, it, expect } from 'vitest';
import { decodeHeaders, encodeHeaders } from './headers-codec.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

describe('headers codec', () => {
  it('stores no bytes for records without headers', () => {
    expect(encodeHeaders(undefined)).toBeNull();
    expect(encodeHeaders([])).toBeNull();
    expect(decodeHeaders(null)).toEqual([]);
  });

  it('keeps order, duplicate keys, null and empty values', () => {
    const headers = [
      { key: 'b', value: bytes('2') },
      { key: 'a', value: null },
      { key: 'b', value: bytes('') },
      { key: 'ünïcode', value: bytes('x'.repeat(300)) },
    ];
    const decoded = decodeHeaders(encodeHeaders(headers));
    expect(decoded.map((h) => h.key)).toEqual(['b', 'a', 'b', 'ünïcode']);
    expect(text(decoded[0]!.value)).toBe('2');
    expect(decoded[1]!.value).toBeNull();
    expect(text(decoded[2]!.value)).toBe('');
    expect(decoded[3]!.value!.length).toBe(300);
  });

  it('encodes a list again unless its keys and value objects are the last list\'s', () => {
    const v1 = bytes('one');
    const v2 = bytes('two');
    const a = encodeHeaders([{ key: 'k', value: v1 }, { key: 'n', value: null }])!;
    // The same key strings and value objects: the same bytes, encoded once.
    expect(encodeHeaders([{ key: 'k', value: v1 }, { key: 'n', value: null }])).toBe(a);
    const cases: Array<Array<{ key: string; value: Uint8Array | null }>> = [
      [{ key: 'k', value: v2 }, { key: 'n', value: null }],
      [{ key: 'x', value: v2 }, { key: 'n', value: null }],
      [{ key: 'x', value: v2 }, { key: 'n', value: v1 }],
      [{ key: 'x', value: v2 }],
      [{ key: 'x', value: bytes('two') }, { key: 'n', value: null }, { key: 'z', value: v1 }],
    ];
    for (const headers of cases) {
      const decoded = decodeHeaders(encodeHeaders(headers));
      expect(decoded.map((h) => [h.key, text(h.value)])).toEqual(headers.map((h) => [h.key, text(h.value)]));
    }
  });

  it('rejects truncated input instead of returning garbage', () => {
    const encoded = encodeHeaders([{ key: 'key', value: bytes('value') }])!;
    expect(() => decodeHeaders(encoded.subarray(0, encoded.length - 2))).toThrow(/corrupt headers/);
  });
});
