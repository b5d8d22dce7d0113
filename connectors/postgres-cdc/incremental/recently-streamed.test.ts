import { describe, expect, it } from 'vitest';
import { TxSnapshot } from './chunk-window.js';
import { RecentlyStreamed } from './recently-streamed.js';

describe('TxSnapshot', () => {
  it('sees what committed before it, not what was in progress or started after', () => {
    const s = new TxSnapshot('700:710:702,705');
    expect([699, 700, 701, 702, 705, 709, 710, 800].map((x) => s.sees(x))).toEqual([true, true, true, false, false, true, false, false]);
  });

  it('places 32-bit ids beside a 64-bit snapshot across an epoch', () => {
    const epoch1 = 1n << 32n;
    const s = new TxSnapshot(`${epoch1 - 5n}:${epoch1 + 5n}:${epoch1 + 1n}`);
    expect(s.sees(0xfffffffd)).toBe(true); // epoch 0, before xmin
    expect(s.sees(1)).toBe(false); // epoch 1, in progress
    expect(s.sees(3)).toBe(true);
    expect(s.sees(6)).toBe(false); // after xmax
  });
});

describe('RecentlyStreamed', () => {
  it('finds a transaction streamed before the mark, on the table, that the read cannot see', () => {
    const r = new RecentlyStreamed();
    r.add(702, 'public.t');
    r.add(703, 'public.other');
    const mark = r.mark();
    r.add(705, 'public.t'); // after the window opened: the window handles it
    const s = new TxSnapshot('700:710:702,703,705');
    expect(r.unseen('public.t', mark, s)).toBe(702);
    expect(r.unseen('public.other', mark, s)).toBe(703);
    // Once a read sees them they are forgotten.
    r.prune(new TxSnapshot('706:706:'));
    expect(r.unseen('public.t', r.mark(), s)).toBeNull();
  });
});
