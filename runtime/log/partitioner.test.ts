import { describe, it, expect } from 'vitest';
import { murmur2, partitionForKey, toPositive } from './partitioner.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('murmur2', () => {
  it('matches the values of Kafka Java client for known keys', () => {
    expect(murmur2(utf8('21'))).toBe(-973932308);
    expect(murmur2(utf8('foobar'))).toBe(-790332482);
    expect(murmur2(utf8('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(utf8('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(utf8('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(utf8('abc'))).toBe(479470107);
  });

  it('hashes every tail length (0 to 3 trailing bytes) to a 32-bit signed integer', () => {
    for (const s of ['', 'a', 'ab', 'abc', 'abcd', 'abcde']) {
      const h = murmur2(utf8(s));
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBeGreaterThanOrEqual(-(2 ** 31));
      expect(h).toBeLessThan(2 ** 31);
    }
  });
});

describe('partitionForKey', () => {
  it('masks the sign bit rather than taking the absolute value', () => {
    // 2^31 - 973932308 = 1173551340; Math.abs would give 973932308 instead.
    expect(toPositive(-973932308)).toBe(1173551340);
    expect(toPositive(479470107)).toBe(479470107);
  });

  it('picks toPositive(murmur2(key)) % partitions', () => {
    // 1173551340 = 3 * 391183780 -> 0; 1173551340 % 4 = 0; % 7 = 1173551340 - 7*167650191 = 3
    expect(partitionForKey(utf8('21'), 3)).toBe(0);
    expect(partitionForKey(utf8('21'), 4)).toBe(0);
    expect(partitionForKey(utf8('21'), 7)).toBe(3);
    // "abc": 479470107 % 4 = 3 (…107 ends in binary 11); % 10 = 7
    expect(partitionForKey(utf8('abc'), 4)).toBe(3);
    expect(partitionForKey(utf8('abc'), 10)).toBe(7);
    // "foobar": 2147483648 - 790332482 = 1357151166; % 10 = 6; % 2 = 0
    expect(partitionForKey(utf8('foobar'), 10)).toBe(6);
    expect(partitionForKey(utf8('foobar'), 2)).toBe(0);
    expect(partitionForKey(utf8('foobar'), 1)).toBe(0);
  });
});
