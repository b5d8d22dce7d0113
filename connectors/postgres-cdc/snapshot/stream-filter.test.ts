import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../events.js';
import { StreamFilter, parseWindows, restrictWindows, type FilterWindow } from './stream-filter.js';

const table = (name: string): TableInfo => ({
  schema: 'public',
  name,
  columns: [
    { name: 'id', key: true, type: { name: 'int4', oid: 23, typeMod: -1, optional: false } },
    { name: 'v', key: false, type: { name: 'text', oid: 25, typeMod: -1, optional: true } },
  ],
});
const row = (id: number, v = 'x') => [{ kind: 'text', text: String(id) }, { kind: 'text', text: v }];
const orders = table('orders');
const customers = table('customers');
const done = table('done');
const window: FilterWindow = { tables: ['public.orders', 'public.customers'], reopened: ['public.customers'], snapshot: '100:105:102', until: 5000 };

describe('StreamFilter', () => {
  it('drops changes of re-read tables by transactions the snapshot saw, before its end', () => {
    const f = new StreamFilter([window]);
    expect(f.drops(orders, 101, 4000n, { tag: 'insert', newTuple: row(1) })).toBe(true);
    expect(f.drops(orders, 102, 4100n, { tag: 'insert', newTuple: row(2) }), 'in progress at the snapshot').toBe(false);
    expect(f.drops(orders, 106, 4200n, { tag: 'update', oldTuple: null, newTuple: row(1) }), 'after the snapshot').toBe(false);
    expect(f.drops(orders, 99, 5000n, { tag: 'insert', newTuple: row(3) }), 'committed at the end').toBe(false);
    expect(f.drops(done, 101, 4000n, { tag: 'insert', newTuple: row(1) }), 'a table not read again').toBe(false);
    expect(f.drops(orders, 101, 4000n, { tag: 'truncate' })).toBe(true);
  });

  it('lets the deletes of a table with rows emitted before through, and later changes of those keys', () => {
    const f = new StreamFilter([window]);
    expect(f.drops(customers, 101, 4000n, { tag: 'update', oldTuple: null, newTuple: row(1, 'new') })).toBe(true);
    expect(f.drops(customers, 101, 4000n, { tag: 'delete', oldTuple: row(2) })).toBe(false);
    expect(f.drops(customers, 103, 4100n, { tag: 'insert', newTuple: row(2, 'again') }), 'the deleted key came back').toBe(false);
    expect(f.drops(customers, 103, 4100n, { tag: 'update', oldTuple: null, newTuple: row(1, 'newer') })).toBe(true);
    expect(f.drops(customers, 101, 4000n, { tag: 'truncate' })).toBe(true);
  });

  it('carries the windows not yet passed in offsets, and nothing once past', () => {
    const later: FilterWindow = { tables: ['public.done'], reopened: [], snapshot: '90:95:', until: 3000 };
    const f = new StreamFilter([window, later]);
    expect(parseWindows(f.offsetFields(2000n).snapshot_stream_filter)).toEqual([window, later]);
    expect(parseWindows(f.offsetFields(3000n).snapshot_stream_filter)).toEqual([window]);
    expect(f.offsetFields(3000n)).toBe(f.offsetFields(4000n));
    expect(f.offsetFields(5000n)).toEqual({});
    expect(f.expired(4999n)).toBe(false);
    expect(f.expired(5000n)).toBe(true);
    expect(parseWindows(f.allFields().snapshot_stream_filter)).toEqual([window, later]);
  });

  it('narrows windows to the tables still covered', () => {
    expect(restrictWindows([window], new Set(['public.customers']))).toEqual([{ ...window, tables: ['public.customers'], reopened: ['public.customers'] }]);
    expect(restrictWindows([window], new Set(['public.other']))).toEqual([]);
  });

  it('a table read again under a newer snapshot follows the newer one', () => {
    const older: FilterWindow = { tables: ['public.orders'], reopened: [], snapshot: '50:60:', until: 1000 };
    const f = new StreamFilter([older, { ...window, tables: ['public.orders'], reopened: [] }]);
    expect(f.drops(orders, 101, 2000n, { tag: 'insert', newTuple: row(1) })).toBe(true);
  });
});
