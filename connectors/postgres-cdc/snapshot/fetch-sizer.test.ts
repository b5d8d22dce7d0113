import { describe, expect, it } from 'vitest';
import { FETCH_BUDGET_BYTES, FetchSizer } from './fetch-sizer.js';

const rows = (n: number, width: number) => Array.from({ length: n }, (_, i) => [String(i), 'x'.repeat(width), null]);

describe('FetchSizer', () => {
  it('starts small, then asks for about the budget of rows, never more than snapshot.fetch.size', () => {
    const s = new FetchSizer(10_240);
    expect(s.rows).toBe(64);
    s.observe(rows(64, 30));
    // Narrow rows: about 500 a fetch (the bench's optimum), below snapshot.fetch.size.
    expect(s.rows).toBeGreaterThan(400);
    expect(s.rows).toBeLessThan(600);
    const capped = new FetchSizer(100);
    capped.observe(rows(64, 10));
    expect(capped.rows).toBe(100);
  });

  it('asks for few rows when they are wide, and at least one', () => {
    const s = new FetchSizer(10_240);
    s.observe(rows(64, 100 * 1024));
    // 100 KB documents: five of them fill the 512 KB budget.
    expect(FETCH_BUDGET_BYTES).toBe(512 * 1024);
    expect(s.rows).toBe(5);
    s.observe(rows(4, 4 * 1024 * 1024));
    expect(s.rows).toBe(1);
  });

  it('keeps its size after an empty fetch', () => {
    const s = new FetchSizer(10_240);
    s.observe(rows(64, 1024));
    const before = s.rows;
    s.observe([]);
    expect(s.rows).toBe(before);
  });
});
