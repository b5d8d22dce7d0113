/**
 * Wide rows against a real Postgres: a snapshot of documents far larger than a fetch budget (the
 * reader asks for a few rows at a time), and streaming with max.queue.size.in.bytes bounding the
 * queue. Every row arrives once, in order, with its whole value.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { changeEvents, connectorConfig, sql, cdcTestEnv } from './pg-helpers.js';

const env = cdcTestEnv('wide');

/** A ~`kb` KB document for row g that does not compress (md5s), built by Postgres. */
const doc = (kb: number) => `(SELECT string_agg(md5(g::text || '-' || x::text), '') FROM generate_series(1, ${kb * 32}) x)`;

/** A table of `rows` documents of `kb` KB, stored out of line; their md5s in key order. */
async function docTable(table: string, rows: number, kb: number): Promise<Array<{ id: number; m: string; n: number }>> {
  await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, body text NOT NULL)`);
  await sql(env.cluster, `ALTER TABLE ${table} ALTER COLUMN body SET STORAGE EXTERNAL`);
  await sql(env.cluster, `INSERT INTO ${table} SELECT g, ${doc(kb)} FROM generate_series(1, ${rows}) g`);
  return (await sql(env.cluster, `SELECT id, md5(body) AS m, length(body) AS n FROM ${table} ORDER BY id`)).rows as Array<{ id: number; m: string; n: number }>;
}

/** The topic's events once it holds `n`. */
function eventsOf(topic: string, n: number, what: string) {
  return eventually(async () => {
    const e = await changeEvents(env.dir, topic);
    return e.length >= n ? e : null;
  }, 90_000, what);
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('Postgres CDC with wide rows', () => {
  it('snapshots 200 documents of 256 KB: each once, in table order, whole, with Debezium\'s markers', { timeout: 120_000 }, async () => {
    const id = env.newId();
    const table = `${id}_docs`;
    const digests = await docTable(table, 200, 256);
    expect(digests[0]!.n).toBe(256 * 1024);
    await env.deploy(id, { 'snapshot.mode': 'initial_only' });
    const topic = `${id}.public.${table}`;
    const events = await eventsOf(topic, 200, '200 snapshot events');
    expect(events).toHaveLength(200);
    const seen = events.map((e) => ({ id: e.value!.after!.id as number, m: md5(e.value!.after!.body as string), n: (e.value!.after!.body as string).length }));
    expect(seen).toEqual(digests);
    expect(events.map((e) => e.value!.op)).toEqual(Array(200).fill('r'));
    expect(events[0]!.value!.source.snapshot).toBe('first');
    expect(events.slice(1, -1).every((e) => e.value!.source.snapshot === 'true')).toBe(true);
    expect(events[199]!.value!.source.snapshot).toBe('last');
  });

  it('streams 1,000 changes of 16 KB rows in order with max.queue.size.in.bytes far below them', { timeout: 120_000 }, async () => {
    const id = env.newId();
    const table = `${id}_rows`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v int NOT NULL, body text NOT NULL)`);
    // 64 KB: about three records; the stream pauses and resumes many times.
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'max.queue.size.in.bytes': '65536', 'max.batch.size': '16' });
    for (let i = 0; i < 10; i++) {
      await sql(env.cluster, `INSERT INTO ${table} SELECT g, 0, ${doc(16)} FROM generate_series(${i * 50 + 1}, ${i * 50 + 50}) g`);
      await sql(env.cluster, `UPDATE ${table} SET v = v + 1 WHERE id > ${i * 50}`);
    }
    const topic = `${id}.public.${table}`;
    const events = await eventsOf(topic, 1000, '1,000 streamed events');
    expect(events).toHaveLength(1000);
    // Per transaction: 50 creates, then an update of each row so far with v one higher.
    let at = 0;
    for (let i = 0; i < 10; i++) {
      const creates = events.slice(at, at + 50);
      expect(creates.map((e) => [e.value!.op, e.value!.after!.id])).toEqual(Array.from({ length: 50 }, (_, k) => ['c', i * 50 + k + 1]));
      at += 50;
      const updates = events.slice(at, at + 50);
      expect(updates.map((e) => [e.value!.op, e.value!.after!.id, e.value!.after!.v])).toEqual(Array.from({ length: 50 }, (_, k) => ['u', i * 50 + k + 1, 1]));
      at += 50;
    }
    expect((events[0]!.value!.after!.body as string).length).toBe(16 * 1024);
  });

  it('reads 100 documents of 256 KB in an incremental snapshot: chunks shrink to their width, each row once, whole', { timeout: 120_000 }, async () => {
    const id = env.newId();
    const table = `${id}_idocs`;
    const signals = `${id}sig`;
    const digests = (await docTable(table, 100, 256)).map(({ id, m }) => ({ id, m }));
    await sql(env.cluster, `CREATE TABLE ${signals} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'signal.data.collection': `public.${signals}` });
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s1', 'execute-snapshot', $1)`, [JSON.stringify({ 'data-collections': [`public.${table}`], type: 'INCREMENTAL' })]);
    const topic = `${id}.public.${table}`;
    const events = await eventsOf(topic, 100, '100 incremental snapshot events');
    expect(events.map((e) => [e.value!.op, e.value!.source.snapshot])).toEqual(Array(100).fill(['r', 'incremental']));
    expect(events.map((e) => ({ id: e.value!.after!.id, m: md5(e.value!.after!.body as string) }))).toEqual(digests);
    // Chunks of the full incremental.snapshot.chunk.size (1,024) would have held all 25 MB at once.
    const windows = (await sql(env.cluster, `SELECT count(*)::int AS n FROM ${signals} WHERE type = 'snapshot-window-open'`)).rows[0]!.n as number;
    expect(windows).toBeGreaterThan(2);
  });

  it('rejects a negative max.queue.size.in.bytes, naming the key', async () => {
    const res = await http('PUT', `${env.worker.url}/connector-plugins/PostgresConnector/config/validate`, { ...connectorConfig(env.cluster, env.newId()), 'max.queue.size.in.bytes': '-1' });
    const entry = res.body.configs.find((c: { value: { name: string } }) => c.value.name === 'max.queue.size.in.bytes');
    expect(entry.value.errors[0]).toMatch(/at least 0/);
  });
});
