/**
 * Turns the rows of a snapshot into `r` events, marked as Debezium marks them: `first`, `true`,
 * `last_in_data_collection` at the end of each table but the last, and `last` at the very end.
 * One row is held back to know which is last; the records of one fetch go to the queue together.
 */
import { getLogger, type ParsedConfig, type SourceMap, type SourceRecord } from '../../../runtime/api/index.js';
import type { TableInfo as CatalogTable } from '../catalog.js';
import type { EventBuilder, SnapshotMarker, SourceInfo, TableInfo, TupleValue } from '../events.js';
import { lsnNumber, type PgOffset } from '../offsets.js';
import type { Lsn } from '../replication/lsn.js';
import type { SnapshotReader } from './snapshot-reader.js';

const log = getLogger('connectors.postgres-cdc');

export interface SnapshotEventsInput {
  reader: SnapshotReader;
  tables: Array<{ catalog: CatalogTable; table: TableInfo }>;
  /** The slot's consistent point: the position every snapshot event reports. */
  lsn: Lsn;
  txId: number;
  builder: EventBuilder;
  partition: SourceMap;
  config: ParsedConfig;
  isStopping: () => boolean;
  /** Waits while the queue is full. */
  enqueue: (records: SourceRecord[], offset: PgOffset) => Promise<void>;
}

export async function readSnapshot(input: SnapshotEventsInput): Promise<void> {
  const { reader, tables, lsn, txId, builder, partition, config } = input;
  const started = Date.now();
  const overrides = new Map(config.getList('snapshot.select.statement.overrides').map((t) => [t, config.originals[`snapshot.select.statement.overrides.${t}`] ?? '']));
  let held: { table: TableInfo; row: TupleValue[] } | null = null;
  let first = true;
  let batch: SourceRecord[] = [];
  let batchOffset: PgOffset | null = null;
  const build = (marker: SnapshotMarker, last: boolean) => {
    if (!held) return;
    const source: SourceInfo = { lsn, txId, tsUs: BigInt(Date.now()) * 1000n, snapshot: marker };
    const offset: PgOffset = { lsn: lsnNumber(lsn), txId, ts_usec: Date.now() * 1000, snapshot: true, last_snapshot_record: last };
    batch.push(...builder.read(held.table, held.row, source, { sourcePartition: partition, sourceOffset: { ...offset } }));
    batchOffset = offset;
  };
  const flush = async () => {
    if (batch.length === 0 || !batchOffset) return;
    const records = batch;
    batch = [];
    await input.enqueue(records, batchOffset);
  };
  let total = 0;
  const lastTable = tables[tables.length - 1]?.catalog;
  await reader.read(tables.map((t) => t.catalog), {
    fetchSize: config.getInt('snapshot.fetch.size'),
    overrides,
    isStopping: input.isStopping,
    onProgress: (p) => log.info(`snapshot of ${p.table}: ${p.rowsDone} of about ${p.rowsEstimated} rows`),
  }, async (catalogTable, rows, tableDone) => {
    const table = tables.find((t) => t.catalog === catalogTable)!.table;
    for (const row of rows) {
      if (held) {
        build(first ? 'first' : 'true', false);
        first = false;
      }
      held = { table, row: row.map((v) => (v === null ? { kind: 'null' } : { kind: 'text', text: v })) };
      total++;
    }
    if (tableDone && held && catalogTable !== lastTable) {
      build('last_in_data_collection', false);
      first = false;
      held = null;
    }
    await flush();
  });
  if (input.isStopping()) return;
  build('last', true);
  await flush();
  log.info(`snapshot of ${tables.length} table(s) done: ${total} rows in ${Date.now() - started} ms`);
}
