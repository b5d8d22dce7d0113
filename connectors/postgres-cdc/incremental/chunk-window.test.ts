import { describe, expect, it } from 'vitest';
import type { TableInfo as CatalogTable } from '../catalog.js';
import type { TableInfo } from '../events.js';
import type { CurrentTable } from './chunk-table.js';
import { ChunkWindow, rowTuple } from './chunk-window.js';

const type = { name: 'int4', oid: 23, typeMod: -1, optional: false };
const events: TableInfo = { schema: 'public', name: 'orders', columns: [{ name: 'note', type, key: false }, { name: 'id', type, key: true }] };
const catalog: CatalogTable = {
  oid: 1, schema: 'public', name: 'orders', replicaIdentity: 'd',
  columns: events.columns.map((c) => ({ name: c.name, typeName: 'int4', oid: 23, typeMod: -1, optional: false, key: c.key, excluded: false })),
};
const table: CurrentTable = {
  name: 'public.orders', collection: { id: 'public.orders', condition: null, surrogateKey: 'note' }, catalog, table: events,
  keyNames: ['id'], keyIndexes: [1], chunkNames: ['note'], chunkIndexes: [0],
};
const text = (...values: Array<string | null>) => values.map((v) => (v === null ? { kind: 'null' } : { kind: 'text', text: v }));

describe('ChunkWindow', () => {
  it('keeps the rows the stream did not change while open, matched by the event key', () => {
    const w = new ChunkWindow(table, 100);
    w.rows = [['a', '1'], ['b', '2'], ['c', '3']];
    w.onChange(events, [text('x', '1')]);
    expect(w.unchangedRows()).toHaveLength(3);
    w.open = true;
    w.onChange(events, [null, text('y', '2')]);
    w.onChange({ ...events, name: 'other' }, [text('z', '3')]);
    expect(w.unchangedRows()).toEqual([['a', '1'], ['c', '3']]);
  });

  it('keeps nothing after a truncate of its table inside the window', () => {
    const w = new ChunkWindow(table, 100);
    w.rows = [['a', '1']];
    w.open = true;
    w.onTruncate({ ...events, name: 'other' });
    expect(w.unchangedRows()).toHaveLength(1);
    w.onTruncate(events);
    expect(w.unchangedRows()).toEqual([]);
  });

  it('has a fresh id per chunk for its window signals', () => {
    const a = new ChunkWindow(table, 100);
    const b = new ChunkWindow(table, 100);
    expect(a.openId).toBe(`${a.id}-open`);
    expect(a.closeId).toBe(`${a.id}-close`);
    expect(a.id).not.toBe(b.id);
    expect(rowTuple(['1', null])).toEqual([{ kind: 'text', text: '1' }, { kind: 'null' }]);
  });
});
