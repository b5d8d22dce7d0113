/**
 * The Postgres side of the CDC bench: the two row shapes, server-side fill procedures, slots,
 * and the two references (`pg_recvlogical` decoding the same WAL, `COPY ... TO STDOUT` through psql).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { PostgresCluster } from '../../test/harness/postgres.js';

export type Shape = 'narrow' | 'wide' | 'doc';

/** Column list and the SELECT expressions that produce row `g` of each shape. */
const SHAPES: Record<Shape, { columns: string; values: string; label: string }> = {
  // About 40 bytes of data a row.
  narrow: {
    columns: 'id bigint PRIMARY KEY, qty int NOT NULL, label text NOT NULL',
    values: "g, (g % 1000)::int, 'item-' || g",
    label: 'narrow rows (bigint, int, short text)',
  },
  // About 1 KB a row, in the types an order table has; md5 text so the payload does not compress.
  wide: {
    columns: 'id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, payload text NOT NULL',
    values: "g, 'customer-' || (g % 10000), (g % 100000) / 100.0, timestamptz '2024-01-01' + g * interval '1 second', repeat(md5(g::text), 30)",
    label: '1 KB rows (bigint, text, numeric, timestamptz, 960-char text)',
  },
  // 100 KB documents (snapshot phase only): what a fetch of snapshot.fetch.size rows would blow up.
  doc: {
    columns: 'id bigint PRIMARY KEY, body text NOT NULL',
    values: 'g, repeat(md5(g::text), 3200)',
    label: '100 KB documents (bigint, 102,400-char text)',
  },
};

export function shapeLabel(shape: Shape): string {
  return SHAPES[shape].label;
}

export class BenchDatabase {
  private constructor(readonly cluster: PostgresCluster, private readonly client: pg.Client) {}

  static async open(cluster: PostgresCluster): Promise<BenchDatabase> {
    const client = new pg.Client({ connectionString: cluster.url() });
    await client.connect();
    // The harness turns synchronous_commit off; a walsender sends only flushed WAL, so with it off a
    // commit reaches the readers up to a few wal_writer_delay later. Production databases commit synchronously.
    await client.query('SET synchronous_commit = on');
    // Commits one transaction of `per_tx` rows at a time, so the WAL holds many ordinary transactions.
    for (const shape of Object.keys(SHAPES) as Shape[]) {
      await client.query(`CREATE OR REPLACE PROCEDURE bench_fill_${shape}(tbl text, first bigint, n bigint, per_tx int) LANGUAGE plpgsql AS $$
        DECLARE s bigint := first;
        BEGIN
          WHILE s < first + n LOOP
            EXECUTE format('INSERT INTO %I SELECT ${SHAPES[shape].values.replace(/'/g, "''").replace(/%/g, '%%')} FROM generate_series($1, $2) g', tbl) USING s, LEAST(s + per_tx, first + n) - 1;
            COMMIT;
            s := s + per_tx;
          END LOOP;
        END $$`);
    }
    return new BenchDatabase(cluster, client);
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.client.query<R>(text, params);
  }

  async createTable(name: string, shape: Shape): Promise<void> {
    await this.client.query(`DROP TABLE IF EXISTS ${name}`);
    await this.client.query(`CREATE TABLE ${name} (${SHAPES[shape].columns})`);
  }

  /** Inserts rows first..first+n-1, `perTx` rows a transaction. */
  async fill(name: string, shape: Shape, first: number, n: number, perTx: number): Promise<void> {
    await this.client.query(`CALL bench_fill_${shape}($1, $2, $3, $4)`, [name, first, n, perTx]);
  }

  /** Inserts rows first..first+n-1 in one transaction (the loader of the lag phase). */
  async insertRows(name: string, shape: Shape, first: number, n: number): Promise<void> {
    await this.client.query(`INSERT INTO ${name} SELECT ${SHAPES[shape].values} FROM generate_series($1::bigint, $2::bigint) g`, [first, first + n - 1]);
  }

  async createPublication(name: string, tables: string[]): Promise<void> {
    await this.client.query(`DROP PUBLICATION IF EXISTS ${name}`);
    await this.client.query(`CREATE PUBLICATION ${name} FOR TABLE ${tables.join(', ')}`);
  }

  async createSlot(name: string): Promise<void> {
    await this.client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [name]);
  }

  async dropSlots(): Promise<void> {
    await this.client.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active');
  }

  /** A transactional logical message: the last thing in the WAL a reference reader has to reach. */
  async emitMarker(text: string): Promise<void> {
    await this.client.query("SELECT pg_logical_emit_message(true, 'bench', $1)", [text]);
  }

  async tableBytes(name: string): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>('SELECT pg_table_size($1::regclass) AS n', [name]);
    return Number(rows[0]!.n);
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /**
   * Times `pg_recvlogical` streaming the slot with the options the connector sends, until the
   * marker message is in its output. (`--endpos` cannot be used: a keepalive carries the server's
   * read position, which runs ahead of what has been decoded, so it ends the run early.)
   */
  async timeRecvlogical(slot: string, publication: string, marker: string, outDir: string): Promise<{ ms: number; bytes: number }> {
    const out = join(outDir, `${slot}.pgoutput`);
    const args = ['-d', this.cluster.url(), `--slot=${slot}`, '--start', '--no-loop', '-F', '0', '-f', out,
      '-o', 'proto_version=1', '-o', `publication_names=${publication}`, '-o', 'messages=true'];
    const started = process.hrtime.bigint();
    const child = spawn(join(this.cluster.binDir, 'pg_recvlogical'), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const needle = Buffer.from(marker);
    const tail = Buffer.alloc(needle.length + 64);
    const deadline = Date.now() + 600_000;
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`pg_recvlogical exited with ${child.exitCode}: ${err}`);
        if (Date.now() > deadline) throw new Error('pg_recvlogical did not reach the marker in 10 minutes');
        const size = fileSize(out);
        if (size >= tail.length) {
          const fd = openSync(out, 'r');
          const n = readSync(fd, tail, 0, tail.length, size - tail.length);
          closeSync(fd);
          if (tail.subarray(0, n).includes(needle)) {
            return { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes: size };
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    }
  }

  /** Times `COPY (SELECT <columns> FROM table) TO STDOUT` through psql into /dev/null. */
  timeCopy(table: string): number {
    const started = process.hrtime.bigint();
    const res = spawnSync(join(this.cluster.binDir, 'psql'), [this.cluster.url(), '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', `COPY ${table} TO STDOUT`], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (res.status !== 0) throw new Error(`psql COPY ${table} failed: ${res.stderr}`);
    return ms;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
