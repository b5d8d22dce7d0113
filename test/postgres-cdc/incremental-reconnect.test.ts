/**
 * An incremental snapshot across a Postgres restart: the snapshot's own connection and the
 * replication connection are both lost while chunks are read and the table changes; both come
 * back (with backoff), the chunk under way is read again in a new window, and the topic replayed
 * in order still ends at exactly the table's state.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, sql, replayedAndFinal, type ChangeEvent } from './pg-helpers.js';

const env = cdcTestEnv('irec');
const ROWS = 5000;

const keyId = (e: ChangeEvent) => (e.key as { id: number }).id;

/** Changes row after row until `done()`, riding out the restart (failed statements are retried on a new connection). */
async function churn(table: string, done: () => boolean): Promise<number> {
  let applied = 0;
  let client: pg.Client | null = null;
  for (let i = 1; !done() && i < 100_000; i++) {
    try {
      if (!client) {
        client = new pg.Client({ connectionString: env.cluster.url('postgres') });
        client.on('error', () => undefined);
        await client.connect();
      }
      const row = ((i * 37) % (ROWS - 1)) + 1;
      if (i % 25 === 0) await client.query(`DELETE FROM ${table} WHERE id = $1`, [row]);
      else if (i % 10 === 0) await client.query(`INSERT INTO ${table} VALUES ($1, 'new', $2) ON CONFLICT (id) DO NOTHING`, [ROWS + i, i]);
      else await client.query(`UPDATE ${table} SET v = 'u' || $2::int, n = n + 1 WHERE id = $1`, [row, i]);
      applied++;
    } catch {
      await client?.end().catch(() => undefined);
      client = null;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await client?.end().catch(() => undefined);
  return applied;
}

describe('Postgres CDC incremental snapshot across a Postgres restart', () => {
  it('reconnects, reads the lost chunk again and replays to the final table', { timeout: 180_000 }, async () => {
    const id = env.newId();
    const table = `${id}_items`;
    const signals = `${id}sig`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text NOT NULL, n int)`);
    await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g, g FROM generate_series(1, ${ROWS}) g`);
    await sql(env.cluster, `CREATE TABLE ${signals} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'signal.data.collection': `public.${signals}`, 'incremental.snapshot.chunk.size': '100' });
    const topic = `${id}.public.${table}`;

    let done = false;
    const changes = churn(table, () => done);
    // A condition that holds for every row but makes each chunk's query take 100 ms, so the
    // restart most likely lands while one runs.
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s1', 'execute-snapshot', $1)`, [JSON.stringify({
      'data-collections': [`public.${table}`],
      'additional-conditions': [{ 'data-collection': `public.${table}`, filter: "(SELECT pg_sleep(0.1))::text = ''" }],
    })]);
    await eventually(async () => (await changeEvents(env.dir, topic)).filter((e) => e.value?.op === 'r').length >= 1000, 60_000, 'a fifth of the snapshot');
    await env.cluster.restart();
    // Row ROWS is never changed: its r event says the last chunk went out.
    await eventually(async () => (await changeEvents(env.dir, topic)).some((e) => e.value?.op === 'r' && keyId(e) === ROWS), 120_000, 'the last chunk').finally(() => {
      done = true;
    });
    expect(await changes).toBeGreaterThan(0);
    await sql(env.cluster, `INSERT INTO ${table} VALUES (999999, 'marker', 0)`);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, topic);
      return e.some((x) => x.value?.op === 'c' && keyId(x) === 999999) ? e : null;
    }, 30_000, 'the marker');

    const status = (await http('GET', `${env.worker.url}/connectors/${id}/status`)).body;
    expect(status.tasks[0].state).toBe('RUNNING');
    const log = env.worker.output();
    expect(log).toMatch(/replication connection re-established/);
    expect(log).toMatch(/incremental snapshot (chunk: connection lost|connection lost)/);

    const reads = new Set(events.filter((e) => e.value?.op === 'r').map(keyId));
    const streamed = new Set(events.filter((e) => e.value && e.value.op !== 'r').map(keyId));
    expect(Array.from({ length: ROWS }, (_, i) => i + 1).filter((k) => !reads.has(k) && !streamed.has(k))).toEqual([]);
    const { replayed, final } = await replayedAndFinal(env.cluster, events, table);
    expect(replayed).toEqual(final);
  });
});
