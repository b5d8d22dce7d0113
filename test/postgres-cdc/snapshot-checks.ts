/**
 * What the snapshot tests check on a topic: replayed in order it ends at the table's state, and no
 * row ever goes back to an older version. Rows carry `n`, a version from one sequence that only
 * grows (re-inserted keys get a new one).
 */
import pg from 'pg';
import type { PostgresCluster } from '../harness/postgres.js';
import { changeEvents, sql, type ChangeEvent } from './pg-helpers.js';

export type Row = { id: number; v: string; n: number };

export async function tableRows(cluster: PostgresCluster, table: string): Promise<Map<number, string>> {
  const rows = (await sql(cluster, `SELECT id, v, n::int AS n FROM ${table}`)).rows as Row[];
  return new Map(rows.map((r) => [r.id, JSON.stringify({ id: r.id, v: r.v, n: r.n })]));
}

export interface Replay {
  events: ChangeEvent[];
  rebuilt: Map<number, string>;
  /** Keys whose version went down, with the two versions. */
  regressions: Array<{ id: number; from: number; to: number }>;
  reads: number;
}

export async function replay(dir: string, topic: string): Promise<Replay> {
  const events = await changeEvents(dir, topic);
  const rebuilt = new Map<number, string>();
  const version = new Map<number, number>();
  const regressions: Replay['regressions'] = [];
  let reads = 0;
  for (const e of events) {
    if (!e.value) continue;
    const { op, before, after } = e.value;
    if (op === 'r') reads++;
    if (op === 'd') {
      rebuilt.delete((before as { id: number }).id);
      continue;
    }
    const row = after as Row;
    const prev = version.get(row.id);
    if (prev !== undefined && row.n < prev) regressions.push({ id: row.id, from: prev, to: row.n });
    version.set(row.id, row.n);
    rebuilt.set(row.id, JSON.stringify({ id: row.id, v: row.v, n: row.n }));
  }
  return { events, rebuilt, regressions, reads };
}

export function differences(want: Map<number, string>, got: Map<number, string>): string[] {
  const out: string[] = [];
  for (const [id, row] of want) if (got.get(id) !== row) out.push(`${id}: want ${row}, got ${got.get(id) ?? 'missing'}`);
  for (const id of got.keys()) if (!want.has(id)) out.push(`${id}: deleted, still there`);
  return out;
}

/**
 * Writes to the given tables until stopped, one transaction per statement: version bumps (of ids
 * that are multiples of 3; 3, 6 and 9 in every round), inserts, deletes of low ids (snapshotted early), and deletes followed by
 * a re-insert of the key (never updated again: see the README on re-inserted keys).
 */
export function startWriter(cluster: PostgresCluster, seq: string, tables: Array<{ name: string; rows: number }>): { stop(): Promise<number> } {
  let stopping = false;
  let writes = 0;
  const client = new pg.Client({ connectionString: cluster.url('postgres') });
  const done = (async () => {
    await client.connect();
    for (let i = 0; !stopping; i++) {
      for (const t of tables) {
        await client.query(`UPDATE ${t.name} SET n = nextval('${seq}'), v = v || '+' WHERE id % 1500 = ${(3 * i) % 1500} AND id <= ${t.rows}`);
        // Hot rows change in every round: a stream replayed over their snapshot rows would go back.
        await client.query(`UPDATE ${t.name} SET n = nextval('${seq}') WHERE id IN (3, 6, 9)`);
        await client.query(`INSERT INTO ${t.name} VALUES (${t.rows + 1 + i}, 'new', nextval('${seq}'))`);
        await client.query(`DELETE FROM ${t.name} WHERE id = ${3 * i + 1}`);
        if (i % 5 === 0) {
          await client.query(`DELETE FROM ${t.name} WHERE id = ${3 * i + 2}`);
          await client.query(`INSERT INTO ${t.name} VALUES (${3 * i + 2}, 'back', nextval('${seq}'))`);
        }
        writes += 6;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await client.end();
  })();
  return {
    stop: async () => {
      stopping = true;
      await done;
      return writes;
    },
  };
}
