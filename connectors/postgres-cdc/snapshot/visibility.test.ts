import { describe, expect, it } from 'vitest';
import { parseXidSnapshot, visibleIn, xidPrecedes } from './visibility.js';

describe('transaction visibility in a snapshot', () => {
  it('sees what finished before xmin, not what starts at xmax or was in progress', () => {
    const s = parseXidSnapshot('100:105:101,103');
    expect([99, 100, 101, 102, 103, 104, 105, 106].map((x) => visibleIn(s, x))).toEqual([true, true, false, true, false, true, false, false]);
  });

  it('an empty in-progress list', () => {
    const s = parseXidSnapshot('742:742:');
    expect(visibleIn(s, 741)).toBe(true);
    expect(visibleIn(s, 742)).toBe(false);
  });

  it('compares 64-bit snapshot ids with 32-bit stream xids across the wraparound', () => {
    // Epoch 1: xmin is 2^32 + 4294967290 (low bits 0xFFFFFFFA), xmax has wrapped to epoch 2.
    const xmin = 2n ** 32n + 4294967290n;
    const xmax = 2n * 2n ** 32n + 5n;
    const s = parseXidSnapshot(`${xmin}:${xmax}:${2n * 2n ** 32n + 1n}`);
    expect(visibleIn(s, 4294967280)).toBe(true); // before xmin, same epoch
    expect(visibleIn(s, 4294967295)).toBe(true); // between xmin and the wrap
    expect(visibleIn(s, 3)).toBe(true); // after the wrap, below xmax
    expect(visibleIn(s, 1)).toBe(false); // in progress
    expect(visibleIn(s, 5)).toBe(false); // xmax
    expect(visibleIn(s, 1000)).toBe(false);
  });

  it('orders xids circularly', () => {
    expect(xidPrecedes(4294967295, 3)).toBe(true);
    expect(xidPrecedes(3, 4294967295)).toBe(false);
    expect(xidPrecedes(10, 11)).toBe(true);
    expect(xidPrecedes(11, 11)).toBe(false);
  });

  it('rejects text that is no snapshot', () => {
    expect(() => parseXidSnapshot('12:13')).toThrow(/xmin:xmax:xip/);
    expect(() => parseXidSnapshot('a:b:')).toThrow(/transaction id/);
  });
});
