import { describe, it, expect } from 'vitest';
import { compareLsn, formatLsn, maxLsn, minLsn, parseLsn } from './lsn.js';

describe('lsn', () => {
  it('parses the text Postgres prints', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16_B374D848n);
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('0/16B3748')).toBe(0x16B3748n);
    expect(parseLsn('ffffffff/ffffffff')).toBe(0xffff_ffff_ffff_ffffn);
  });

  it('formats as Postgres does: upper-case hex, no leading zeros', () => {
    expect(formatLsn(0x16_B374D848n)).toBe('16/B374D848');
    expect(formatLsn(0n)).toBe('0/0');
    expect(formatLsn(0x16B3748n)).toBe('0/16B3748');
    expect(formatLsn(0x1_0000_0000n)).toBe('1/0');
  });

  it('round-trips', () => {
    for (const t of ['0/1', 'A/0', '16/B374D848', 'FFFFFFFF/FFFFFFFF', '1/F0000000']) {
      expect(formatLsn(parseLsn(t))).toBe(t);
    }
  });

  it('rejects text that is not an LSN, naming it', () => {
    for (const t of ['', '16', '16/', '/1', 'G/1', '1/2/3', '123456789/0', '-1/0']) {
      expect(() => parseLsn(t)).toThrow(`Invalid LSN '${t}'`);
    }
    expect(() => formatLsn(-1n)).toThrow(RangeError);
    expect(() => formatLsn(1n << 64n)).toThrow(RangeError);
  });

  it('compares positions across the 32-bit boundary', () => {
    const low = parseLsn('0/FFFFFFFF');
    const high = parseLsn('1/0');
    expect(compareLsn(low, high)).toBe(-1);
    expect(compareLsn(high, low)).toBe(1);
    expect(compareLsn(high, parseLsn('1/0'))).toBe(0);
    expect(maxLsn(low, high)).toBe(high);
    expect(minLsn(low, high)).toBe(low);
    expect([high, low].sort(compareLsn)).toEqual([low, high]);
  });
});
