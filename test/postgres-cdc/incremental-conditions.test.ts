/**
 * Incremental snapshots with Debezium's `additional-conditions` and `surrogate-key`, against a
 * real Postgres: only the rows the filter selects are read, in chunks by the surrogate column,
 * deduplicated against the stream by the event key; both ride in the stored offset.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, sql, type ChangeEvent } from './pg-helpers.js';

const env = cdcTestEnv('icond');
const ROWS = 15000;

const keyId = (e: ChangeEvent) => (e.key as { id: number }).id;

describe('Postgres CDC incremental snapshots with conditions', () => {
  it('reads only the filtered rows, chunked by the surrogate key, and replays to the table', { timeout: 120_000 }, async () => {
    const id = env.newId();
    const table = `${id}_orders`;
    const signals = `${id}sig`;
    // code runs against id, so chunks by code go from the highest id down.
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, code int UNIQUE NOT NULL, status text NOT NULL, n int NOT NULL)`);
    await sql(env.cluster, `INSERT INTO ${table} SELECT g, ${ROWS} - g, CASE WHEN g % 3 = 0 THEN 'open' ELSE 'closed' END, 0 FROM generate_series(1, ${ROWS}) g`);
    await sql(env.cluster, `CREATE TABLE ${signals} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'signal.data.collection': `public.${signals}`, 'incremental.snapshot.chunk.size': '10' });
    const topic = `${id}.public.${table}`;
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s1', 'execute-snapshot', $1)`, [JSON.stringify({
      'data-collections': [`public.${table}`],
      type: 'incremental',
      // Two conditions for the table (the second by regex) are AND-ed.
      'additional-conditions': [{ 'data-collection': `public.${table}`, filter: "status = 'open'" }, { 'data-collection': `PUBLIC\\.${table}`, filter: 'n >= 0' }],
      'surrogate-key': 'code',
    })]);
    // Paused part way: the offset carries the condition and the surrogate key, the progress is in code values.
    await eventually(async () => (await changeEvents(env.dir, topic)).length >= 30, 20_000, 'some chunks');
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('p', 'pause-snapshot', NULL)`);
    const offset = await eventually(async () => {
      const o = (await http('GET', `${env.worker.url}/connectors/${id}/offsets`)).body.offsets?.[0]?.offset as Record<string, string> | undefined;
      return o?.incremental_snapshot_primary_key ? o : null;
    }, 20_000, 'a stored offset with snapshot progress');
    expect(JSON.parse(offset.incremental_snapshot_collections!)).toEqual([{
      incremental_snapshot_collections_id: `public.${table}`,
      incremental_snapshot_collections_additional_condition: "(status = 'open') AND (n >= 0)",
      incremental_snapshot_collections_surrogate_key: 'code',
    }]);
    // The largest code of an open row: id 3 has code ROWS - 3.
    expect(JSON.parse(offset.incremental_snapshot_maximum_key!)).toEqual([String(ROWS - 3)]);
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('r', 'resume-snapshot', NULL)`);

    // Changes across the table while the chunks are read (status kept, so the filter's rows stay the same).
    let done = false;
    const hot = (async () => {
      const client = new pg.Client({ connectionString: env.cluster.url('postgres') });
      await client.connect();
      try {
        for (let k = 0; !done && k < 1500; k++) await client.query(`UPDATE ${table} SET n = n + 1 WHERE id % 50 = $1 AND id > 3`, [k % 50]);
      } finally {
        await client.end();
      }
    })();
    // id 3 (the smallest open id, hence the last chunk) is never updated: its r event ends the snapshot.
    await eventually(async () => (await changeEvents(env.dir, topic)).some((e) => e.value?.op === 'r' && keyId(e) === 3), 60_000, 'the last chunk').finally(() => {
      done = true;
    });
    await hot;
    await sql(env.cluster, `INSERT INTO ${table} VALUES (999999, -1, 'marker', 0)`);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, topic);
      return e.some((x) => x.value?.op === 'c') ? e : null;
    }, 20_000, 'the marker');

    const reads = events.filter((e) => e.value?.op === 'r');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((e) => e.value!.after!.status === 'open' && e.value!.source.snapshot === 'incremental')).toBe(true);
    // By code ascending: ids descending.
    const readIds = reads.map(keyId);
    expect([...readIds].sort((x, y) => y - x)).toEqual(readIds);
    const streamed = new Set(events.filter((e) => e.value?.op === 'u').map(keyId));
    const open = Array.from({ length: ROWS / 3 }, (_, i) => 3 * (i + 1));
    expect(open.filter((k) => !readIds.includes(k) && !streamed.has(k))).toEqual([]);

    const replayed = new Map<number, Record<string, unknown>>();
    for (const e of events) if (e.value?.after) replayed.set(keyId(e), e.value.after);
    const final = (await sql(env.cluster, `SELECT id, code, status, n FROM ${table} WHERE status = 'open' ORDER BY id`)).rows as Array<Record<string, unknown>>;
    expect([...replayed.values()].filter((r) => r.status === 'open').sort((x, y) => (x.id as number) - (y.id as number))).toEqual(final);
  });
});
