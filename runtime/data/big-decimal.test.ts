import { describe, expect, it } from 'vitest';
import { DataError } from '../api/errors.js';
import { BigDecimal, bigintToBytes, bytesToBigint } from './big-decimal.js';

describe('BigDecimal', () => {
  it.each([
    ['-12.340', -12340n, 3, '-12.340'],
    ['12', 12n, 0, '12'],
    ['1e-3', 1n, 3, '0.001'],
    ['1.5E2', 15n, -1, '150'],
    ['.5', 5n, 1, '0.5'],
    ['-0.0012', -12n, 4, '-0.0012'],
    ['12345678901234567890.123456789', 12345678901234567890123456789n, 9, '12345678901234567890.123456789'],
  ])('parses %s exactly', (text, unscaled, scale, str) => {
    const d = BigDecimal.parse(text);
    expect(d.unscaled).toBe(unscaled);
    expect(d.scale).toBe(scale);
    expect(d.toString()).toBe(str);
  });

  it('rejects text that is not a number', () => {
    expect(() => BigDecimal.parse('abc')).toThrow(DataError);
    expect(() => BigDecimal.parse('.')).toThrow(/not a decimal/);
  });

  it('setScale widens exactly, rounds half up only when asked', () => {
    expect(BigDecimal.parse('1.5').setScale(3).toString()).toBe('1.500');
    expect(BigDecimal.parse('1.500').setScale(1).toString()).toBe('1.5');
    expect(() => BigDecimal.parse('1.25').setScale(1)).toThrow(/without rounding/);
    expect(BigDecimal.parse('1.25').setScale(1, true).toString()).toBe('1.3');
    expect(BigDecimal.parse('-1.25').setScale(1, true).toString()).toBe('-1.3');
    expect(BigDecimal.parse('1.24').setScale(1, true).toString()).toBe('1.2');
  });

  it('equals like Java (value and scale), compareTo by value', () => {
    expect(BigDecimal.parse('1.0').equals(BigDecimal.parse('1.00'))).toBe(false);
    expect(BigDecimal.parse('1.0').compareTo(BigDecimal.parse('1.00'))).toBe(0);
    expect(BigDecimal.parse('-2').compareTo(BigDecimal.parse('1'))).toBe(-1);
    expect(BigDecimal.fromNumber(0.1).toString()).toBe('0.1');
  });
});

describe('bigintToBytes matches Java BigInteger.toByteArray', () => {
  it.each([
    [0n, [0x00]], [1n, [0x01]], [127n, [0x7f]], [128n, [0x00, 0x80]], [255n, [0x00, 0xff]], [256n, [0x01, 0x00]],
    [-1n, [0xff]], [-128n, [0x80]], [-129n, [0xff, 0x7f]], [-256n, [0xff, 0x00]], [32768n, [0x00, 0x80, 0x00]],
  ])('%s', (v, bytes) => {
    expect([...bigintToBytes(v)]).toEqual(bytes);
    expect(bytesToBigint(Uint8Array.from(bytes))).toBe(v);
  });

  it('gives every safe integer, and the edges past them, its value in the fewest bytes', () => {
    // Java's toByteArray: the shortest two's complement form, n bytes with -2^(8n-1) <= v < 2^(8n-1).
    // limits[n] = 2^(8n-1) for n = 1..8
    const limits = [0n, ...Array.from({ length: 8 }, (_, i) => 2n ** BigInt(8 * i + 7))];
    const shortest = (v: bigint): number => {
      let n = 1;
      while (v < -limits[n]! || v >= limits[n]!) n++;
      return n;
    };
    const values = [2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, -(2n ** 53n), 2n ** 31n, -(2n ** 31n), 2n ** 32n - 1n, 2n ** 47n, -(2n ** 47n) - 1n];
    for (let i = 0; i < 20_000; i++) {
      const bits = 1 + (i % 53);
      const v = BigInt(Math.floor(Math.random() * 2 ** bits));
      values.push(v, -v, v - 1n);
    }
    for (const v of values) {
      const bytes = bigintToBytes(v);
      expect(bytesToBigint(bytes), String(v)).toBe(v);
      expect(bytes.length, String(v)).toBe(shortest(v));
    }
  });

  it('round trips large values', () => {
    for (const v of [2n ** 100n, -(2n ** 100n) + 1n, 123456789012345678901234567890n]) expect(bytesToBigint(bigintToBytes(v))).toBe(v);
  });
});
