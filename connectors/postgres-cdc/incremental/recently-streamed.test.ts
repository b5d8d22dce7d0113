import { describe, expect, it } from 'vitest';
import { parseXidSnapshot } from '../snapshot/visibility.js';
import { RecentlyStreamed } from './recently-streamed.js';

describe('RecentlyStreamed', () => {
  it('finds a transaction streamed before the mark, on the table, that the read cannot see', () => {
    const r = new RecentlyStreamed();
    r.add(702, 'public.t');
    r.add(703, 'public.other');
    const mark = r.mark();
    r.add(705, 'public.t'); // after the window opened: the window handles it
    const s = parseXidSnapshot('700:710:702,703,705');
    expect(r.unseen('public.t', mark, s)).toBe(702);
    expect(r.unseen('public.other', mark, s)).toBe(703);
    // Once a read sees them they are forgotten.
    r.prune(parseXidSnapshot('706:706:'));
    expect(r.unseen('public.t', r.mark(), s)).toBeNull();
  });
});
