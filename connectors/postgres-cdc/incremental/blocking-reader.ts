/**
 * The blocking snapshot's reads: one REPEATABLE READ transaction on a connection of its own, each
 * table through a cursor fetched `snapshot.fetch.size` rows at a time, values as Postgres text
 * (the form pgoutput streams, which the events are built from).
 */
import type pg from 'pg';
import { textTypes } from '../connection.js';
import { newClient } from '../pg-client.js';
import { parseLsn, type Lsn } from '../replication/lsn.js';

export type Row = Array<string | null>;

export class BlockingReader {
  private readonly client: pg.Client;
  private cursors = 0;

  constructor(config: pg.ClientConfig) {
    this.client = newClient({ ...config, types: textTypes() });
    // A drop surfaces on the running query; without a listener Node would end the worker.
    this.client.on('error', () => undefined);
  }

  /** Opens the transaction; returns its snapshot's xmin (the events' txId) and the WAL position then. */
  async begin(): Promise<{ txId: number; lsn: Lsn }> {
    await this.client.connect();
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await this.client.query<{ xmin: string; lsn: string }>('SELECT txid_snapshot_xmin(txid_current_snapshot())::text AS xmin, pg_current_wal_lsn()::text AS lsn');
    return { txId: Number(rows[0]!.xmin), lsn: parseLsn(rows[0]!.lsn) };
  }

  /** Runs `select`, calling `onRows` for each batch of `fetchSize` rows; stops early when `isStopping`. */
  async read(select: string, fetchSize: number, isStopping: () => boolean, onRows: (rows: Row[]) => Promise<void>): Promise<void> {
    const cursor = `tsconnect_blocking_${this.cursors++}`;
    await this.client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${select}`);
    for (;;) {
      if (isStopping()) return;
      const res = await this.client.query<Row>({ text: `FETCH FORWARD ${fetchSize} FROM ${cursor}`, rowMode: 'array' });
      const rows = res.rows as unknown as Row[];
      if (rows.length > 0) await onRows(rows);
      if (rows.length < fetchSize) break;
    }
    await this.client.query(`CLOSE ${cursor}`);
  }

  async end(): Promise<void> {
    await this.client.query('COMMIT').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
