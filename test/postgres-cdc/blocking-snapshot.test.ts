/**
 * Blocking snapshots through the signal table, against a real Postgres: streaming waits while the
 * listed tables are read (no streamed change between the first and the last `r` event), the
 * records carry Debezium's snapshot markers, additional-conditions and select overrides shape the
 * reads, and a crash before the snapshot is stored runs it again.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { eventually, http, startWorker } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, sql, type ChangeEvent } from './pg-helpers.js';

const env = cdcTestEnv('blk');

const keyId = (e: ChangeEvent) => (e.key as { id: number }).id;
const ops = (events: ChangeEvent[]) => events.filter((e) => e.value).map((e) => e.value!.op).join('');

async function setUp(id: string, rows: number): Promise<{ a: string; b: string; signals: string }> {
  const a = `${id}_a`;
  const b = `${id}_b`;
  const signals = `${id}sig`;
  for (const t of [a, b]) {
    await sql(env.cluster, `CREATE TABLE ${t} (id int PRIMARY KEY, v text NOT NULL)`);
    await sql(env.cluster, `INSERT INTO ${t} SELECT g, 'v' || g FROM generate_series(1, ${rows}) g`);
  }
  await sql(env.cluster, `CREATE TABLE ${signals} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))`);
  return { a, b, signals };
}

/**
 * Deploys with the signal table, signals a blocking snapshot of `a` slowed by pg_sleep per row (so
 * a crash or restart comes in the middle of it), updates row 1 behind the signal, and waits until
 * 500 records are out. Returns the topic.
 */
async function slowBlockingSnapshotUnderWay(id: string, a: string, signals: string): Promise<string> {
  await env.deploy(id, { 'snapshot.mode': 'no_data', 'signal.data.collection': `public.${signals}`, 'snapshot.fetch.size': '50' });
  const topic = `${id}.public.${a}`;
  await sql(env.cluster, `INSERT INTO ${signals} VALUES ('b1', 'execute-snapshot', $1)`, [JSON.stringify({
    'data-collections': [`public.${a}`], type: 'blocking',
    'additional-conditions': [{ 'data-collection': `public.${a}`, filter: "pg_sleep(0.001)::text = ''" }],
  })]);
  await sql(env.cluster, `UPDATE ${a} SET v = 'after' WHERE id = 1`);
  await eventually(async () => (await changeEvents(env.dir, topic)).length >= 500, 30_000, 'part of the snapshot');
  return topic;
}

describe('Postgres CDC blocking snapshots', () => {
  it('pauses streaming while the tables are read, with markers, conditions and overrides', { timeout: 120_000 }, async () => {
    const id = env.newId();
    const ROWS = 3000;
    const { a, b, signals } = await setUp(id, ROWS);
    await env.deploy(id, {
      'snapshot.mode': 'no_data',
      'signal.data.collection': `public.${signals}`,
      'snapshot.fetch.size': '100',
      'snapshot.select.statement.overrides': `public.${a}`,
      [`snapshot.select.statement.overrides.public.${a}`]: `SELECT id, v FROM public.${a} WHERE id % 2 = 0`,
    });
    const [topicA, topicB] = [`${id}.public.${a}`, `${id}.public.${b}`];
    await sql(env.cluster, `UPDATE ${a} SET v = 'before' WHERE id = 1`);
    await eventually(async () => (await changeEvents(env.dir, topicA)).length === 1, 20_000, 'the change before the signal');
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('b1', 'execute-snapshot', $1)`, [JSON.stringify({
      'data-collections': [`public.${a}`, `public.${b}`],
      type: 'blocking',
      'additional-conditions': [{ 'data-collection': `public.${b}`, filter: 'id <= 50' }],
    })]);
    // Changes right behind the signal, and while the snapshot runs: all must come after it.
    const client = new pg.Client({ connectionString: env.cluster.url('postgres') });
    await client.connect();
    try {
      for (let i = 0; i < 200; i++) await client.query(`UPDATE ${i % 2 ? a : b} SET v = 'after' || $1::int WHERE id = $2`, [i, 1 + ((i * 7) % 40)]);
    } finally {
      await client.end();
    }
    await sql(env.cluster, `INSERT INTO ${a} VALUES (999999, 'marker')`);
    const eventsA = await eventually(async () => {
      const e = await changeEvents(env.dir, topicA);
      return e.some((x) => x.value?.op === 'c' && keyId(x) === 999999) ? e : null;
    }, 60_000, 'the marker');
    const eventsB = await changeEvents(env.dir, topicB);

    // A: the update before, the override's rows (even ids), then the streamed updates.
    const readsA = eventsA.filter((e) => e.value?.op === 'r');
    const readsB = eventsB.filter((e) => e.value?.op === 'r');
    // Updated rows move on disk, so a scan without ORDER BY need not give them in key order.
    const sorted = (reads: ChangeEvent[]) => reads.map(keyId).sort((x, y) => x - y);
    expect(sorted(readsA)).toEqual(Array.from({ length: ROWS / 2 }, (_, i) => 2 * (i + 1)));
    expect(sorted(readsB)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(ops(eventsA)).toMatch(/^ur+u+c$/);
    expect(ops(eventsB)).toMatch(/^r+u+$/);
    expect(eventsA.filter((e) => e.value?.op === 'u').length + eventsB.filter((e) => e.value?.op === 'u').length).toBe(201);

    // Debezium's markers across the whole snapshot: first, true..., last_in_data_collection, first_in_data_collection, true..., last.
    const markers = [...readsA, ...readsB].map((e) => e.value!.source.snapshot);
    expect(markers[0]).toBe('first');
    expect(markers[ROWS / 2 - 1]).toBe('last_in_data_collection');
    expect(markers[ROWS / 2]).toBe('first_in_data_collection');
    expect(markers[markers.length - 1]).toBe('last');
    expect(new Set(markers.slice(1, ROWS / 2 - 1))).toEqual(new Set(['true']));
    expect(new Set(markers.slice(ROWS / 2 + 1, -1))).toEqual(new Set(['true']));
    expect(readsA[0]!.value!.source).toMatchObject({ lsn: expect.any(Number), txId: expect.any(Number) });
    // The signal row is an event of the signal table's topic, as in Debezium.
    expect((await changeEvents(env.dir, `${id}.public.${signals}`)).map((e) => [e.value?.op, e.key])).toEqual([['c', { id: 'b1' }]]);

    // The stored offset is past the signal: a restart does not run the snapshot again.
    await env.worker.stop();
    env.worker = await startWorker({ dir: env.dir });
    await env.waitRunning(id);
    await sql(env.cluster, `INSERT INTO ${a} VALUES (1000000, 'marker2')`);
    const again = await eventually(async () => {
      const e = await changeEvents(env.dir, topicA);
      return e.some((x) => keyId(x) === 1000000) ? e : null;
    }, 30_000, 'the marker after the restart');
    expect(again.filter((e) => e.value?.op === 'r').length).toBe(ROWS / 2);
  });

  it('a crash before the snapshot is stored runs it again, then streaming goes on', { timeout: 120_000 }, async () => {
    const id = env.newId();
    const ROWS = 6000;
    const { a, signals } = await setUp(id, ROWS);
    const topic = await slowBlockingSnapshotUnderWay(id, a, signals);
    await env.worker.kill();
    const atCrash = await changeEvents(env.dir, topic);
    expect(atCrash.length).toBeLessThan(ROWS);
    expect(ops(atCrash)).toMatch(/^r+$/);

    env.worker = await startWorker({ dir: env.dir });
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, topic);
      return e.some((x) => x.value?.op === 'u') ? e : null;
    }, 90_000, 'the update after the snapshot');
    // The whole snapshot again after the partial one, then the update behind the signal.
    const rerun = events.slice(atCrash.length);
    expect(rerun.length).toBeGreaterThanOrEqual(ROWS + 1);
    expect(ops(events)).toMatch(/^r+u$/);
    expect(rerun.filter((e) => e.value?.op === 'r').map(keyId).slice(-ROWS).sort((x, y) => x - y)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    expect(events[events.length - 2]!.value!.source.snapshot).toBe('last');
  });

  it('a Postgres restart mid-snapshot reads it again once reconnected, then streaming goes on', { timeout: 120_000 }, async () => {
    const id = env.newId();
    const ROWS = 4000;
    const { a, signals } = await setUp(id, ROWS);
    const topic = await slowBlockingSnapshotUnderWay(id, a, signals);
    await env.cluster.restart();
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, topic);
      return e.some((x) => x.value?.op === 'u') ? e : null;
    }, 90_000, 'the update after the snapshot');
    expect(ops(events)).toMatch(/^r+u$/);
    const reads = events.filter((e) => e.value?.op === 'r');
    expect(reads.length).toBeGreaterThan(ROWS);
    expect(reads.slice(-ROWS).map(keyId).sort((x, y) => x - y)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    expect(reads[reads.length - 1]!.value!.source.snapshot).toBe('last');
    expect(events[events.length - 1]!.value!.after!.v).toBe('after');
    expect(env.worker.output()).toMatch(/blocking snapshot b1: connection lost/);
    expect((await http('GET', `${env.worker.url}/connectors/${id}/status`)).body.tasks[0].state).toBe('RUNNING');
  });
});
