/**
 * Reads captured tables inside a REPEATABLE READ transaction, on the replication slot's exported
 * snapshot when there is one, so the rows are exactly the state at the slot's consistent point:
 * nothing changed between snapshot and stream is missed or read twice. Several readers share one
 * snapshot (`snapshot.max.threads`); without the slot's, the stream filter (stream-filter.ts) makes up
 * for the distance between the snapshot and the slot.
 *
 * Rows come as Postgres text, the same form pgoutput streams, through a cursor fetched
 * `snapshot.fetch.size` rows at a time (fewer when rows are wide).
 */
import type pg from 'pg';
import { newClient } from '../pg-client.js';
import type { TableInfo } from '../catalog.js';
import { textTypes } from '../connection.js';
import { FetchSizer } from './fetch-sizer.js';
import { parseLsn, type Lsn } from '../replication/lsn.js';

export interface SnapshotProgress {
  table: string;
  rowsDone: number;
  rowsEstimated: number;
}

export interface SnapshotOptions {
  fetchSize: number;
  /** `schema.table` -> the SELECT to run instead of `SELECT * FROM schema.table`. */
  overrides: Map<string, string>;
  onProgress?: (p: SnapshotProgress) => void;
  isStopping: () => boolean;
}

/** What a snapshot transaction sees. */
export interface SnapshotPoint {
  /** The snapshot's xmin: the txId of snapshot events (a read-only transaction has no txid of its own). */
  txId: number;
  /** The snapshot as `xmin:xmax:xip`. */
  xids: string;
  /** The WAL insert position read once the snapshot was taken: every transaction it sees committed before. */
  walLsn: Lsn;
  /** The snapshot transaction's start (now()), µs since the epoch: snapshot events' source time, as Debezium reads CURRENT_TIMESTAMP in it. */
  startedUs: bigint;
}

/** Reads one table of a snapshot; snapshot-events.ts runs several at once. */
export interface TableSource {
  readTable(table: TableInfo, options: SnapshotOptions, onRows: (rows: Array<Array<string | null>>, last: boolean) => Promise<void>): Promise<void>;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export class SnapshotReader implements TableSource {
  private readonly client: pg.Client;
  private cursors = 0;

  constructor(config: pg.ClientConfig) {
    this.client = newClient({ ...config, types: textTypes() });
    // Errors surface on the running query; the listener keeps an idle drop from ending the process.
    this.client.on('error', () => undefined);
  }

  /** Opens the snapshot transaction; with a name, on that exported snapshot. */
  async open(snapshotName: string | null): Promise<SnapshotPoint> {
    await this.client.connect();
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (snapshotName) await this.client.query(`SET TRANSACTION SNAPSHOT '${snapshotName.replace(/'/g, "''")}'`);
    // The first query takes the transaction's snapshot; the WAL position is read after it.
    const { rows } = await this.client.query<{ xids: string; lsn: string; now_us: string }>(
      "SELECT txid_current_snapshot()::text AS xids, pg_current_wal_insert_lsn()::text AS lsn, (extract(epoch FROM now()) * 1000000)::int8::text AS now_us",
    );
    const xids = rows[0]!.xids;
    return { txId: Number(xids.split(':')[0]), xids, walLsn: parseLsn(rows[0]!.lsn), startedUs: BigInt(rows[0]!.now_us) };
  }

  /** Exports this transaction's snapshot for other readers to share. */
  async exportSnapshot(): Promise<string> {
    const { rows } = await this.client.query<{ name: string }>('SELECT pg_export_snapshot() AS name');
    return rows[0]!.name;
  }

  /** Calls `onRows` for each batch of the table's rows, `last` on the final one (maybe empty). */
  async readTable(table: TableInfo, options: SnapshotOptions, onRows: (rows: Array<Array<string | null>>, last: boolean) => Promise<void>): Promise<void> {
    const full = `${table.schema}.${table.name}`;
    const estimate = await this.client.query<{ n: string }>('SELECT GREATEST(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = $1', [table.oid]);
    const rowsEstimated = Number(estimate.rows[0]?.n ?? 0);
    const columns = table.columns.map((c) => quoteIdent(c.name)).join(', ');
    const select = options.overrides.get(full) ?? `SELECT ${columns} FROM ${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
    let done = 0;
    await this.readSelect(select, options.fetchSize, options.isStopping, async (rows, last) => {
      done += rows.length;
      await onRows(rows, last);
      options.onProgress?.({ table: full, rowsDone: done, rowsEstimated: Math.max(rowsEstimated, done) });
    });
  }

  /**
   * Runs `select` through a cursor, at most `fetchSize` rows a fetch (fewer for wide rows:
   * fetch-sizer.ts), calling `onRows` for each batch and `last` on the final one (maybe empty);
   * stops early when `isStopping`.
   */
  async readSelect(select: string, fetchSize: number, isStopping: () => boolean, onRows: (rows: Array<Array<string | null>>, last: boolean) => Promise<void>): Promise<void> {
    const cursor = `tsconnect_snapshot_${this.cursors++}`;
    await this.client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${select}`);
    const sizer = new FetchSizer(fetchSize);
    const fetch = (rows: number) => {
      const p = this.client.query<Array<string | null>>({ text: `FETCH FORWARD ${rows} FROM ${cursor}`, rowMode: 'array' }).then((res) => ({ rows: res.rows as unknown as Array<Array<string | null>>, asked: rows }));
      p.catch(() => undefined); // awaited below, or dropped when stopping
      return p;
    };
    // One fetch ahead: Postgres reads (and detoasts) the next rows while these become events.
    let next = fetch(sizer.rows);
    for (;;) {
      if (isStopping()) return;
      const { rows, asked } = await next;
      const finished = rows.length < asked;
      sizer.observe(rows);
      if (!finished) next = fetch(sizer.rows);
      if (rows.length > 0 || finished) await onRows(rows, finished);
      if (finished) break;
    }
    await this.client.query(`CLOSE ${cursor}`);
  }

  async end(): Promise<void> {
    try {
      await this.client.query('COMMIT');
    } catch {
      // the connection may be gone already; nothing was written
    }
    await this.client.end().catch(() => undefined);
  }
}

/**
 * `count` readers on one snapshot: the slot's exported one when given (each must import it before
 * the replication connection runs its next command), else the first reader's, exported to the others.
 */
export async function openReaders(config: pg.ClientConfig, snapshotName: string | null, count: number): Promise<{ readers: SnapshotReader[]; point: SnapshotPoint }> {
  const readers = [new SnapshotReader(config)];
  try {
    const point = await readers[0]!.open(snapshotName);
    const shared = count > 1 ? (snapshotName ?? (await readers[0]!.exportSnapshot())) : null;
    for (let i = 1; i < count; i++) {
      const reader = new SnapshotReader(config);
      readers.push(reader);
      await reader.open(shared);
    }
    return { readers, point };
  } catch (e) {
    await Promise.all(readers.map((r) => r.end()));
    throw e;
  }
}
