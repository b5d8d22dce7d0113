import { describe, expect, it } from 'vitest';
import type { SourceRecord, Struct } from '../../../runtime/api/index.js';
import type { TableInfo as CatalogTable } from '../catalog.js';
import { postgresConfigSpec } from '../config.js';
import { EventBuilder, type TableInfo } from '../events.js';
import type { PgOffset } from '../offsets.js';
import { DEFAULT_TYPE_MODES } from '../types/index.js';
import { readSnapshot, type SnapshotProgressEvent } from './snapshot-events.js';
import type { SnapshotOptions, TableSource } from './snapshot-reader.js';

const config = (extra: Record<string, string> = {}) => postgresConfigSpec().parse({
  'database.hostname': 'localhost', 'database.user': 'u', 'database.dbname': 'db', 'topic.prefix': 'p', 'snapshot.fetch.size': '2', ...extra,
}, 'test');

function catalog(name: string): CatalogTable {
  return { oid: name.length, schema: 'public', name, replicaIdentity: 'd', columns: [{ name: 'id', typeName: 'int4', oid: 23, typeMod: -1, optional: false, key: true, excluded: false }] };
}
const eventTable = (t: CatalogTable): TableInfo => ({ schema: t.schema, name: t.name, columns: [{ name: 'id', key: true, type: { name: 'int4', oid: 23, typeMod: -1, optional: false } }] });

/** A reader serving `rows[name]` ids, two per fetch, yielding between fetches so readers interleave. */
function fakeReader(rows: Record<string, number[]>): TableSource {
  return {
    async readTable(table: CatalogTable, options: SnapshotOptions, onRows: (rows: Array<Array<string | null>>, last: boolean) => Promise<void>) {
      const all = rows[table.name] ?? [];
      let done = 0;
      for (;;) {
        await new Promise((r) => setImmediate(r));
        const batch = all.slice(done, done + options.fetchSize);
        done += batch.length;
        const last = batch.length < options.fetchSize;
        await onRows(batch.map((id) => [String(id)]), last);
        options.onProgress?.({ table: `${table.schema}.${table.name}`, rowsDone: done, rowsEstimated: all.length });
        if (last) return;
      }
    },
  };
}

async function run(names: string[], rows: Record<string, number[]>, readers: number, extra: Partial<Parameters<typeof readSnapshot>[0]> = {}) {
  const out: Array<{ record: SourceRecord; batchOffset: PgOffset }> = [];
  const progress: SnapshotProgressEvent[] = [];
  await readSnapshot({
    readers: Array.from({ length: readers }, () => fakeReader(rows)),
    tables: names.map((n) => ({ catalog: catalog(n), table: eventTable(catalog(n)) })),
    lsn: 1000n,
    txId: 77,
    builder: new EventBuilder({ topicPrefix: 'p', database: 'db', modes: DEFAULT_TYPE_MODES, connectorVersion: '3.1.0.Final' }),
    partition: { server: 'p' },
    config: config(),
    isStopping: () => false,
    enqueue: async (records, offset) => {
      for (const record of records) out.push({ record, batchOffset: offset });
    },
    onProgress: (p) => progress.push(p),
    ...extra,
  });
  const view = out.map(({ record }) => {
    const value = record.value as Struct;
    return {
      table: (record.topic ?? '').split('.').pop()!,
      id: (value.get('after') as Struct).get('id') as number,
      marker: (value.get('source') as Struct).get('snapshot') as string,
      offset: record.sourceOffset as unknown as PgOffset,
    };
  });
  return { view, out, progress };
}

describe('readSnapshot', () => {
  it('one reader: tables in order, Debezium markers', async () => {
    const { view } = await run(['a', 'b', 'c'], { a: [1, 2, 3], b: [], c: [7, 8] }, 1);
    expect(view.map((v) => `${v.table}${v.id}:${v.marker}`)).toEqual(['a1:first', 'a2:true', 'a3:last_in_data_collection', 'c7:first_in_data_collection', 'c8:last']);
    expect(view.at(-1)!.offset.last_snapshot_record).toBe(true);
    expect(view.slice(0, -1).every((v) => v.offset.last_snapshot_record === false)).toBe(true);
    // Debezium 3's form: the snapshot's type, and snapshot_completed on the last record.
    expect(view.every((v) => v.offset.snapshot === 'INITIAL')).toBe(true);
    expect(view.at(-1)!.offset.snapshot_completed).toBe(true);
    expect(view.slice(0, -1).every((v) => v.offset.snapshot_completed === false)).toBe(true);
  });

  it('two readers: tables interleave, markers stay right, every row once', async () => {
    const rows = { a: [1, 2, 3, 4, 5], b: [11, 12, 13], c: [21], d: [31, 32, 33, 34] };
    const { view } = await run(['a', 'b', 'c', 'd'], rows, 2);
    const byTable = (t: string) => view.filter((v) => v.table === t).map((v) => v.id);
    for (const [t, ids] of Object.entries(rows)) expect(byTable(t), t).toEqual(ids);
    const tables = view.map((v) => v.table);
    expect(tables.slice(0, 4).includes('b'), `interleaved: ${tables.join('')}`).toBe(true);
    expect(view.filter((v) => v.marker === 'first').length).toBe(1);
    expect(view[0]!.marker).toBe('first');
    expect(view.at(-1)!.marker).toBe('last');
    expect(view.filter((v) => v.marker === 'last').length).toBe(1);
    for (const t of ['a', 'b', 'c', 'd']) {
      const mine = view.filter((v) => v.table === t);
      const lastOfTable = mine.at(-1)!;
      if (lastOfTable !== view.at(-1)) expect(lastOfTable.marker, `${t} ends`).toBe('last_in_data_collection');
      if (mine.length > 1) expect(['first', 'first_in_data_collection'], `${t} starts`).toContain(mine[0]!.marker);
      expect(mine.slice(1, -1).every((v) => v.marker === 'true'), `${t} inside`).toBe(true);
    }
  });

  it('offsets name the tables wholly emitted at or before each record, and those begun', async () => {
    const { view } = await run(['a', 'b'], { a: [1, 2], b: [3, 4, 5] }, 1, { completed: ['public.z'], started: ['public.a'] });
    const completed = view.map((v) => v.offset.snapshot_completed_tables && JSON.parse(v.offset.snapshot_completed_tables));
    expect(completed).toEqual([['public.z'], ['public.z', 'public.a'], ['public.z', 'public.a'], ['public.z', 'public.a'], undefined]);
    expect(view.map((v) => v.offset.snapshot_started_tables && JSON.parse(v.offset.snapshot_started_tables))).toEqual([['public.a'], undefined, ['public.b'], ['public.b'], undefined]);
  });

  it('every record carries the given offset fields, the last one too', async () => {
    const { view } = await run(['a'], { a: [1, 2, 3] }, 1, { offsetFields: { snapshot_stream_filter: '[]' } });
    expect(view.every((v) => v.offset.snapshot_stream_filter === '[]')).toBe(true);
  });

  it('reports progress per fetch, done at each table end, and skipped tables', async () => {
    const { progress } = await run(['a', 'b'], { a: [1, 2, 3], b: [] }, 2, { completed: ['public.z'] });
    expect(progress[0]).toEqual({ table: 'public.z', rowsDone: 0, rowsEstimated: 0, done: true, skipped: true });
    expect(progress.filter((p) => p.table === 'public.a')).toEqual([
      { table: 'public.a', rowsDone: 2, rowsEstimated: 3, done: false },
      { table: 'public.a', rowsDone: 3, rowsEstimated: 3, done: true },
    ]);
    expect(progress.filter((p) => p.table === 'public.b')).toEqual([{ table: 'public.b', rowsDone: 0, rowsEstimated: 0, done: true }]);
  });

  it('a failing reader fails the snapshot', async () => {
    const broken: TableSource = { readTable: async () => Promise.reject(new Error('boom')) };
    await expect(run(['a', 'b'], { a: [1], b: [2] }, 1, { readers: [fakeReader({ a: [1, 2, 3, 4] }), broken] })).rejects.toThrow('boom');
  });
});
