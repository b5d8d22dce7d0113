/**
 * Change events a user relies on, against a real Postgres with the connector deployed over REST:
 * replica identity and `before`, unchanged TOAST values, truncates, logical decoding messages, a
 * large transaction, and a snapshot taken while the table is being written.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbeddedLog } from '../../runtime/log/embedded/log.js';
import { readTopic } from '../harness/read-topic.js';
import { eventually, http } from '../harness/worker-process.js';
import { changeEvents, connectorConfig, sql, type ChangeEvent, cdcTestEnv } from './pg-helpers.js';

const env = cdcTestEnv('chg');

async function eventsAtLeast(topic: string, n: number, timeoutMs = 20000): Promise<ChangeEvent[]> {
  return eventually(async () => {
    const e = await changeEvents(env.dir, topic);
    return e.length >= n ? e : null;
  }, timeoutMs, `${n} events on ${topic}`);
}

/** Records in a topic, from the log's offsets: cheap enough to poll while 100,000 records arrive. */
async function topicSize(topic: string): Promise<number> {
  const log = openEmbeddedLog(join(env.dir, 'log'), { autoCreateTopics: false, cleanerIntervalMs: 0 });
  try {
    const admin = log.admin();
    if (!(await admin.describeTopic(topic))) return 0;
    return (await admin.offsets(topic)).reduce((n, e) => n + (e.latest - e.earliest), 0);
  } finally {
    await log.close();
  }
}

const ops = (events: ChangeEvent[]) => events.map((e) => e.value?.op ?? 'tombstone');

describe('Postgres CDC change events', () => {
  it('REPLICA IDENTITY FULL: update and delete carry the whole old row in before', async () => {
    const id = env.newId();
    const table = `${id}_full`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, name text, qty int)`);
    await sql(env.cluster, `ALTER TABLE ${table} REPLICA IDENTITY FULL`);
    await env.deploy(id, { 'snapshot.mode': 'no_data' });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1, 'one', 10)`);
    await sql(env.cluster, `UPDATE ${table} SET qty = 11 WHERE id = 1`);
    await sql(env.cluster, `DELETE FROM ${table} WHERE id = 1`);
    const events = await eventsAtLeast(`${id}.public.${table}`, 4);
    expect(ops(events)).toEqual(['c', 'u', 'd', 'tombstone']);
    expect(events[1]!.value).toMatchObject({ before: { id: 1, name: 'one', qty: 10 }, after: { id: 1, name: 'one', qty: 11 } });
    expect(events[2]!.value).toMatchObject({ before: { id: 1, name: 'one', qty: 11 }, after: null });
    expect(events[2]!.key).toEqual({ id: 1 });

    // Without a primary key the events have no key, and before is still the whole row.
    const nokey = `${id}_nokey`;
    await sql(env.cluster, `CREATE TABLE ${nokey} (a int, b text)`);
    await sql(env.cluster, `ALTER TABLE ${nokey} REPLICA IDENTITY FULL`);
    await http('PUT', `${env.worker.url}/connectors/${id}/config`, connectorConfig(env.cluster, id, { 'snapshot.mode': 'no_data' }));
    await eventually(async () => {
      const pub = await sql(env.cluster, 'SELECT 1 FROM pg_publication_tables WHERE tablename = $1', [nokey]);
      return (pub.rowCount ?? 0) > 0;
    }, 20000, 'the new table in the publication');
    await sql(env.cluster, `INSERT INTO ${nokey} VALUES (1, 'x')`);
    await sql(env.cluster, `UPDATE ${nokey} SET b = 'y'`);
    await sql(env.cluster, `DELETE FROM ${nokey}`);
    const nk = await eventsAtLeast(`${id}.public.${nokey}`, 4);
    expect(ops(nk)).toEqual(['c', 'u', 'd', 'tombstone']);
    expect(nk.map((e) => e.key)).toEqual([null, null, null, null]);
    expect(nk[1]!.value).toMatchObject({ before: { a: 1, b: 'x' }, after: { a: 1, b: 'y' } });
    expect(nk[2]!.value).toMatchObject({ before: { a: 1, b: 'y' }, after: null });
  });

  it('default replica identity: an update has no before, a delete carries only the key', async () => {
    const id = env.newId();
    const table = `${id}_dflt`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, name text, qty int)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data' });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (7, 'seven', 70)`);
    await sql(env.cluster, `UPDATE ${table} SET qty = 71 WHERE id = 7`);
    await sql(env.cluster, `DELETE FROM ${table} WHERE id = 7`);
    const events = await eventsAtLeast(`${id}.public.${table}`, 4);
    expect(ops(events)).toEqual(['c', 'u', 'd', 'tombstone']);
    expect(events[1]!.value).toMatchObject({ before: null, after: { id: 7, name: 'seven', qty: 71 } });
    expect(events[2]!.value!.before).toEqual({ id: 7, name: null, qty: null });
    expect(events[2]!.value!.after).toBeNull();
    expect(events[2]!.key).toEqual({ id: 7 });
    expect(events[3]).toMatchObject({ key: { id: 7 }, value: null });
  });

  it('an unchanged TOAST column reads as the unavailable placeholder, never null', async () => {
    const id = env.newId();
    const table = `${id}_toast`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, big text, bin bytea, doc jsonb, tags text[], n int)`);
    // Stored out of line uncompressed, so an update that leaves them alone sends them as unchanged.
    for (const c of ['big', 'bin', 'doc', 'tags']) await sql(env.cluster, `ALTER TABLE ${table} ALTER COLUMN ${c} SET STORAGE EXTERNAL`);
    await env.deploy(id, { 'snapshot.mode': 'no_data' });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1, repeat('x', 100000), decode(repeat('ab', 50000), 'hex'),
      jsonb_build_object('k', repeat('y', 50000)), array_fill('z'::text, ARRAY[20000]), 1)`);
    await sql(env.cluster, `UPDATE ${table} SET n = 2 WHERE id = 1`);
    await sql(env.cluster, `UPDATE ${table} SET big = 'small', n = 3 WHERE id = 1`);
    const events = await eventsAtLeast(`${id}.public.${table}`, 3);
    expect(ops(events)).toEqual(['c', 'u', 'u']);
    const created = events[0]!.value!.after!;
    expect((created.big as string).length).toBe(100000);
    expect(Buffer.from(created.bin as string, 'base64').length).toBe(50000);
    expect((created.tags as string[]).length).toBe(20000);
    const placeholder = '__debezium_unavailable_value';
    // Debezium's placeholder in each column's shape: the text, its bytes (base64 in JSON), a one-element array.
    expect(events[1]!.value!.after).toEqual({
      id: 1, big: placeholder, bin: Buffer.from(placeholder).toString('base64'), doc: placeholder, tags: [placeholder], n: 2,
    });
    expect(events[2]!.value!.after).toMatchObject({ id: 1, big: 'small', bin: Buffer.from(placeholder).toString('base64'), doc: placeholder, n: 3 });
  });

  it('TRUNCATE with skipped.operations=none is an op t event', async () => {
    const id = env.newId();
    const table = `${id}_trunc`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'skipped.operations': 'none' });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1)`);
    await sql(env.cluster, `TRUNCATE ${table}`);
    const events = await eventsAtLeast(`${id}.public.${table}`, 2);
    expect(ops(events)).toEqual(['c', 't']);
    expect(events[1]!.key).toBeNull();
    expect(events[1]!.value).toMatchObject({ op: 't', before: null, after: null, source: { table, schema: 'public', db: 'postgres' } });
  });

  it('pg_logical_emit_message is an op m event on <prefix>.message', async () => {
    const id = env.newId();
    await sql(env.cluster, `CREATE TABLE ${id}_msg (id int PRIMARY KEY)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data' });
    await sql(env.cluster, `SELECT pg_logical_emit_message(true, 'audit', 'hello')`);
    const records = await eventually(async () => {
      const r = await readTopic(env.dir, `${id}.message`);
      return r.length >= 1 ? r : null;
    }, 20000, 'the message event');
    const key = JSON.parse(Buffer.from(records[0]!.key!).toString()) as { payload: unknown; schema: { name: string } };
    const value = JSON.parse(Buffer.from(records[0]!.value!).toString()) as { payload: Record<string, unknown>; schema: { name: string } };
    expect(key.payload).toEqual({ prefix: 'audit' });
    expect(key.schema.name).toBe('io.debezium.connector.postgresql.MessageKey');
    expect(value.schema.name).toBe('io.debezium.connector.postgresql.MessageValue');
    // content: the bytes of 'hello', base64 in JSON.
    expect(value.payload).toMatchObject({ op: 'm', message: { prefix: 'audit', content: 'aGVsbG8=' }, source: { db: 'postgres', name: id } });
    expect(typeof (value.payload.source as { txId: unknown }).txId).toBe('number');

    // Outside a transaction, as Debezium 3.6.1 writes it beside the same WAL: no txId, the last
    // commit's time, and a commit at its own LSN for `sequence` (its own and the next change's).
    await sql(env.cluster, `INSERT INTO ${id}_msg VALUES (1)`);
    await sql(env.cluster, `SELECT pg_logical_emit_message(false, 'nt', 'x')`);
    await sql(env.cluster, `INSERT INTO ${id}_msg VALUES (2)`);
    const rows = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${id}_msg`);
      return e.length >= 2 ? e : null;
    }, 20000, 'the inserts');
    const [, nt] = await changeEvents(env.dir, `${id}.message`);
    const src = nt!.value!.source;
    expect(src.txId).toBeNull();
    expect(JSON.parse(src.sequence as string)).toEqual([String(src.lsn), String(src.lsn)]);
    expect(src.ts_us).toBe(rows[0]!.value!.source.ts_us);
    expect(JSON.parse(rows[1]!.value!.source.sequence as string)[0]).toBe(String(src.lsn));
  });

  it('a table name Kafka would refuse as a topic is sanitized as Debezium does it, "Order Items" -> Order_Items', async () => {
    const id = env.newId();
    const table = `${id}_Order Items`;
    await sql(env.cluster, `CREATE TABLE "${table}" ("Id" int PRIMARY KEY, "Unit Price" int)`);
    await sql(env.cluster, `INSERT INTO "${table}" VALUES (1, 5)`);
    await env.deploy(id);
    const topic = `${id}.public.${id}_Order_Items`;
    const records = await eventually(async () => {
      const r = await readTopic(env.dir, topic);
      return r.length >= 1 ? r : null;
    }, 20000, 'the snapshot event');
    const key = JSON.parse(Buffer.from(records[0]!.key!).toString()) as { schema: { name: string }; payload: unknown };
    const value = JSON.parse(Buffer.from(records[0]!.value!).toString()) as { schema: { name: string }; payload: { after: unknown; source: { table: string } } };
    expect(key).toMatchObject({ schema: { name: `${topic}.Key` }, payload: { Id: 1 } });
    expect(value.schema.name).toBe(`${topic}.Envelope`);
    // Field names and the source block keep the table's own names.
    expect(value.payload.after).toEqual({ Id: 1, 'Unit Price': 5 });
    expect(value.payload.source.table).toBe(table);
    expect(env.worker.output()).toContain(`Topic '${id}.public.${table}' name isn't a valid topic name, replacing it with '${topic}'.`);
  });

  it('message.prefix.include.list and the logical.decoding.… exclude alias choose the messages, case-insensitively', async () => {
    const id = env.newId();
    await sql(env.cluster, `CREATE TABLE ${id}_msg (id int PRIMARY KEY)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'message.prefix.include.list': 'AUDIT.*', 'logical.decoding.message.prefix.exclude.list': 'audit-skip' });
    for (const prefix of ['other', 'audit', 'Audit-Skip', 'audit-end']) await sql(env.cluster, `SELECT pg_logical_emit_message(true, $1, 'x')`, [prefix]);
    const records = await eventually(async () => {
      const r = await readTopic(env.dir, `${id}.message`);
      return r.some((m) => Buffer.from(m.key!).toString().includes('audit-end')) ? r : null;
    }, 20000, 'the audit-end message');
    expect(records.map((r) => (JSON.parse(Buffer.from(r.key!).toString()) as { payload: { prefix: string } }).payload.prefix)).toEqual(['audit', 'audit-end']);
  });

  it('a 100,000-row transaction arrives complete and in order', { timeout: 60_000 }, async () => {
    const id = env.newId();
    const table = `${id}_bulk`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data' });
    await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(1, 100000) g`);
    const topic = `${id}.public.${table}`;
    await eventually(async () => (await topicSize(topic)) >= 100000, 40000, '100000 events');
    const events = await changeEvents(env.dir, topic);
    expect(events.length).toBe(100000);
    const ids = events.map((e) => (e.value!.after as { id: number }).id);
    expect(ids[0]).toBe(1);
    expect(ids[99999]).toBe(100000);
    expect(ids.every((v, i) => v === i + 1), 'ids 1..100000 in commit order').toBe(true);
    expect(new Set(events.map((e) => e.value!.source.txId)).size, 'one transaction').toBe(1);
  });

  it('a snapshot under concurrent writes plus the stream rebuild the final table exactly', { timeout: 60_000 }, async () => {
    const id = env.newId();
    const table = `${id}_busy`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text, n int NOT NULL)`);
    await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g, 0 FROM generate_series(1, 20000) g`);
    // Small fetches make the snapshot long enough for the writes below to land while it runs.
    const res = await env.post(id, { 'snapshot.fetch.size': '200' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const topic = `${id}.public.${table}`;
    // Sizes of the topic as each batch of writes starts: some must fall inside the snapshot.
    const sizesAtWrite: number[] = [];
    for (let batch = 0; batch < 40; batch++) {
      sizesAtWrite.push(await topicSize(topic));
      const from = 20001 + batch * 50;
      await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g, 0 FROM generate_series(${from}, ${from + 49}) g`);
      await sql(env.cluster, `UPDATE ${table} SET n = n + 1, v = v || '+' WHERE id % 40 = ${batch} AND id <= 20000`);
      if (batch % 10 === 9) await sql(env.cluster, `DELETE FROM ${table} WHERE id = ${batch * 300 + 7}`);
    }
    await env.waitRunning(id);
    const final = new Map<number, string>();
    for (const row of (await sql(env.cluster, `SELECT id, v, n FROM ${table}`)).rows as Array<{ id: number; v: string; n: number }>) {
      final.set(row.id, JSON.stringify({ id: row.id, v: row.v, n: row.n }));
    }
    expect(final.size).toBe(22000 - 4);

    // Replayed in topic order, snapshot rows then changes rebuild the table; wait until they settle.
    let snapshotRows = 0;
    let rebuilt = new Map<number, string>();
    const settled = await eventually(async () => {
      snapshotRows = 0;
      rebuilt = new Map();
      for (const e of await changeEvents(env.dir, topic)) {
        if (!e.value) continue;
        const { op, before, after } = e.value;
        if (op === 'r') snapshotRows++;
        if (op === 'd') rebuilt.delete((before as { id: number }).id);
        else rebuilt.set((after as { id: number }).id, JSON.stringify(after));
      }
      return [...final].every(([rowId, row]) => rebuilt.get(rowId) === row) && rebuilt.size === final.size;
    }, 40000, 'the stream to settle').catch(() => false);
    const wrong = [...final].filter(([rowId, row]) => rebuilt.get(rowId) !== row);
    expect(wrong.slice(0, 3).map(([rowId, row]) => ({ want: row, got: rebuilt.get(rowId) ?? 'missing' })), `${wrong.length} rows differ`).toEqual([]);
    expect(settled).toBe(true);
    expect(snapshotRows).toBeGreaterThanOrEqual(20000);
    expect(sizesAtWrite.some((n) => n > 0 && n < snapshotRows), `writes while the snapshot was being emitted (topic sizes ${sizesAtWrite.join(',')})`).toBe(true);
  });
});
