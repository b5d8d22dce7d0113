/**
 * Turns the rows of a snapshot into `r` events, marked as Debezium marks them: `first` on the first
 * record, `last_in_data_collection` at the end of each table, `last` on the very last record (in
 * that order of precedence), `true` otherwise.
 *
 * Up to one table per reader is read at once, so records of different tables interleave. Each
 * table's newest row is held back until the next one (or the table's end) says whether it is the
 * table's last, and every record passes a one-record delay so the overall last can be marked.
 * Records go to the queue in one serialized chain, one batch per fetch.
 *
 * Each record's offset says which tables are wholly emitted at or before it, and which have rows
 * emitted, so an interrupted snapshot resumes at the tables left (resume-plan.ts).
 */
import { getLogger, type ParsedConfig, type SourceMap, type SourceRecord } from '../../../runtime/api/index.js';
import type { TableInfo as CatalogTable } from '../catalog.js';
import { snapshotMarker, type EventBuilder, type SourceInfo, type TableInfo, type TupleValue } from '../events.js';
import { lsnNumber, type PgOffset } from '../offsets.js';
import type { Lsn } from '../replication/lsn.js';
import type { TableSource } from './snapshot-reader.js';

const log = getLogger('connectors.postgres-cdc');
/** A table's progress line at most this often (and once at its end). */
const PROGRESS_LOG_MS = 5000;

export interface SnapshotProgressEvent {
  /** `schema.table` */
  table: string;
  rowsDone: number;
  /** From the planner's statistics; never below rowsDone. */
  rowsEstimated: number;
  /** The table is wholly read. */
  done: boolean;
  /** Wholly emitted by an interrupted attempt: not read again. */
  skipped?: boolean;
}

export interface SnapshotEventsInput {
  /** The snapshot transaction's start, µs since the epoch (SnapshotPoint.startedUs); default: now. */
  startedUs?: bigint;
  /** One table at a time each; all on one snapshot. */
  readers: TableSource[];
  /** The tables to read, in order. */
  tables: Array<{ catalog: CatalogTable; table: TableInfo }>;
  /** `schema.table` wholly emitted by an interrupted attempt (reported as skipped, kept in offsets). */
  completed?: Iterable<string>;
  /** Tables an interrupted attempt emitted some rows of (kept in offsets until done). */
  started?: Iterable<string>;
  /** The slot's position: the one every snapshot event reports. */
  lsn: Lsn;
  txId: number;
  builder: EventBuilder;
  partition: SourceMap;
  config: ParsedConfig;
  isStopping: () => boolean;
  /** Waits while the queue is full. */
  enqueue: (records: SourceRecord[], offset: PgOffset) => Promise<void>;
  /** Carried by every snapshot record's offset (the stream filter). */
  offsetFields?: Partial<PgOffset>;
  /** Per table, after each fetch and at its end. */
  onProgress?: (p: SnapshotProgressEvent) => void;
}

interface Item {
  table: TableInfo;
  row: TupleValue[];
  tableLast: boolean;
  tableFirst: boolean;
  first: boolean;
  completed: string;
  started: string;
}

const toTuple = (row: Array<string | null>): TupleValue[] => row.map((v) => (v === null ? { kind: 'null' } : { kind: 'text', text: v }));

export async function readSnapshot(input: SnapshotEventsInput): Promise<void> {
  const { tables, lsn, txId, builder, partition, config } = input;
  const startedAt = Date.now();
  // The source time of every event: the snapshot transaction's start (Debezium reads CURRENT_TIMESTAMP in it).
  const sourceUs = input.startedUs ?? BigInt(startedAt) * 1000n;
  const overrides = new Map(config.getList('snapshot.select.statement.overrides').map((t) => [t, config.originals[`snapshot.select.statement.overrides.${t}`] ?? '']));
  const completed = new Set(input.completed ?? []);
  const started = new Set([...(input.started ?? [])].filter((t) => !completed.has(t)));
  let completedJson = JSON.stringify([...completed]);
  let startedJson = JSON.stringify([...started]);
  for (const t of completed) input.onProgress?.({ table: t, rowsDone: 0, rowsEstimated: 0, done: true, skipped: true });

  let pending: Item | null = null;
  let anyPushed = false;
  let batch: SourceRecord[] = [];
  let batchOffset: PgOffset | null = null;
  let chain: Promise<void> = Promise.resolve();
  let total = 0;

  const commit = (item: Item, last: boolean) => {
    const marker = snapshotMarker(item.first, last, item.tableFirst, item.tableLast);
    const source: SourceInfo = { lsn, txId, tsUs: sourceUs, snapshot: marker };
    const offset: PgOffset = {
      lsn: lsnNumber(lsn),
      txId,
      ts_usec: Number(sourceUs),
      snapshot: 'INITIAL',
      last_snapshot_record: last,
      snapshot_completed: last,
    };
    // Assigned rather than spread into the literal (spreads there took V8's slow generic path per row).
    if (!last) {
      offset.snapshot_completed_tables = item.completed;
      if (item.started !== '[]') offset.snapshot_started_tables = item.started;
    }
    if (input.offsetFields) Object.assign(offset, input.offsetFields);
    batch.push(...builder.read(item.table, item.row, source, { sourcePartition: partition, sourceOffset: { ...offset } }));
    batchOffset = offset;
  };
  const seenTables = new Set<TableInfo>();
  const push = (table: TableInfo, row: TupleValue[], tableLast: boolean) => {
    if (pending) commit(pending, false);
    const tableFirst = !seenTables.has(table);
    if (tableFirst) seenTables.add(table);
    pending = { table, row, tableLast, tableFirst, first: !anyPushed, completed: completedJson, started: startedJson };
    anyPushed = true;
    total++;
  };
  const flush = (): Promise<void> => {
    if (batch.length > 0 && batchOffset) {
      const records = batch;
      const offset = batchOffset;
      batch = [];
      chain = chain.then(() => input.enqueue(records, offset));
    }
    return chain;
  };

  let failure: unknown = null;
  const stopped = () => failure !== null || input.isStopping();
  const options = { fetchSize: config.getInt('snapshot.fetch.size'), overrides, isStopping: stopped };

  const readOne = async (source: TableSource, entry: { catalog: CatalogTable; table: TableInfo }) => {
    const { table } = entry;
    const name = `${table.schema}.${table.name}`;
    let held: TupleValue[] | null = null;
    let loggedAt = Date.now();
    await source.readTable(entry.catalog, {
      ...options,
      onProgress: (p) => {
        const done = completed.has(name);
        input.onProgress?.({ ...p, done });
        if (done || Date.now() - loggedAt >= PROGRESS_LOG_MS) {
          loggedAt = Date.now();
          log.info(`snapshot of ${name}: ${p.rowsDone} of about ${p.rowsEstimated} rows${done ? ', done' : ''}`);
        }
      },
    }, async (rows, last) => {
      if (rows.length > 0 && !started.has(name)) {
        started.add(name);
        startedJson = JSON.stringify([...started]);
      }
      for (const row of rows) {
        if (held) push(table, held, false);
        held = toTuple(row);
      }
      if (last) {
        completed.add(name);
        completedJson = JSON.stringify([...completed]);
        if (started.delete(name)) startedJson = JSON.stringify([...started]);
        if (held) push(table, held, true);
        held = null;
      }
      await flush();
    });
  };

  let next = 0;
  const work = async (source: TableSource) => {
    while (!stopped() && next < tables.length) await readOne(source, tables[next++]!);
  };
  const readers = input.readers.slice(0, Math.max(1, Math.min(input.readers.length, tables.length)));
  await Promise.all(readers.map((r) => work(r).catch((e: unknown) => {
    failure ??= e;
  })));
  if (failure !== null) throw failure;
  if (input.isStopping()) return;
  const last = pending as Item | null;
  if (last) commit(last, true);
  await flush();
  log.info(`snapshot of ${tables.length} table(s) done${completed.size > tables.length ? ` (${completed.size - tables.length} done before)` : ''}: ${total} rows in ${Date.now() - startedAt} ms`);
}
