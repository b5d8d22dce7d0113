/**
 * Reads captured tables inside one REPEATABLE READ transaction, optionally on the replication
 * slot's exported snapshot, so the rows are exactly the state at the slot's consistent point:
 * nothing changed between snapshot and stream is missed or read twice.
 *
 * Rows come as Postgres text, the same form pgoutput streams, through a cursor fetched
 * `snapshot.fetch.size` rows at a time.
 */
import type pg from 'pg';
import { newClient } from '../pg-client.js';
import type { TableInfo } from '../catalog.js';
import { textTypes } from '../connection.js';

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

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export class SnapshotReader {
  private readonly client: pg.Client;

  constructor(config: pg.ClientConfig) {
    this.client = newClient({ ...config, types: textTypes() });
    // Errors surface on the running query; the listener keeps an idle drop from ending the process.
    this.client.on('error', () => undefined);
  }

  /** Opens the snapshot transaction; with a name, on that exported snapshot. Returns the snapshot's txid. */
  async begin(snapshotName: string | null): Promise<number> {
    await this.client.connect();
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (snapshotName) await this.client.query(`SET TRANSACTION SNAPSHOT '${snapshotName.replace(/'/g, "''")}'`);
    // The snapshot's xmin identifies it (a read-only transaction has no txid of its own).
    const { rows } = await this.client.query<{ txid: string }>('SELECT txid_snapshot_xmin(txid_current_snapshot()) AS txid');
    return Number(rows[0]?.txid ?? 0);
  }

  /** Calls `onRows` for each batch of rows of each table, in table order; resolves when all are read. */
  async read(tables: TableInfo[], options: SnapshotOptions, onRows: (table: TableInfo, rows: Array<Array<string | null>>, last: boolean) => Promise<void>): Promise<void> {
    for (const [i, table] of tables.entries()) {
      if (options.isStopping()) return;
      const full = `${table.schema}.${table.name}`;
      const estimate = await this.client.query<{ n: string }>('SELECT GREATEST(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = $1', [table.oid]);
      const rowsEstimated = Number(estimate.rows[0]?.n ?? 0);
      const columns = table.columns.map((c) => quoteIdent(c.name)).join(', ');
      const select = options.overrides.get(full) ?? `SELECT ${columns} FROM ${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
      const cursor = `tsconnect_snapshot_${i}`;
      await this.client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${select}`);
      let done = 0;
      for (;;) {
        if (options.isStopping()) return;
        const res = await this.client.query<Array<string | null>>({ text: `FETCH FORWARD ${options.fetchSize} FROM ${cursor}`, rowMode: 'array' });
        const rows = res.rows as unknown as Array<Array<string | null>>;
        done += rows.length;
        const finished = rows.length < options.fetchSize;
        if (rows.length > 0 || finished) await onRows(table, rows, finished);
        options.onProgress?.({ table: full, rowsDone: done, rowsEstimated: Math.max(rowsEstimated, done) });
        if (finished) break;
      }
      await this.client.query(`CLOSE ${cursor}`);
    }
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
