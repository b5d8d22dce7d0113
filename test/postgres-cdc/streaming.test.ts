/**
 * The Postgres CDC connector against a real Postgres started by the harness, deployed over REST on
 * a env.worker process as a user deploys it: snapshot then stream, the change events Debezium writes,
 * the acknowledgement rule across a kill -9, and validation errors.
 */
import { describe, expect, it } from 'vitest';
import { readTopic } from '../harness/read-topic.js';
import { eventually, http, startWorker } from '../harness/worker-process.js';
import { changeEvents, connectorConfig, sql, cdcTestEnv, lsnValue } from './pg-helpers.js';

const env = cdcTestEnv('cdc');

describe('Postgres CDC', () => {
  it('snapshots existing rows as r events, then streams c/u/d with tombstones', async () => {
    const id = env.newId();
    const table = `${id}_orders`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, name text NOT NULL, qty int)`);
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1, 'one', 10), (2, 'two', NULL)`);
    await env.deploy(id);
    const topic = `${id}.public.${table}`;
    await eventually(async () => (await changeEvents(env.dir, topic)).length >= 2, 20000, 'snapshot events');
    await sql(env.cluster, `INSERT INTO ${table} VALUES (3, 'three', 30)`);
    await sql(env.cluster, `UPDATE ${table} SET qty = 11 WHERE id = 1`);
    await sql(env.cluster, `DELETE FROM ${table} WHERE id = 2`);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, topic);
      return e.length >= 6 ? e : null;
    }, 20000, 'streamed events');
    expect(events.map((e) => e.value?.op ?? 'tombstone')).toEqual(['r', 'r', 'c', 'u', 'd', 'tombstone']);
    expect(events[0]!.key).toEqual({ id: 1 });
    expect(events[0]!.value!.after).toEqual({ id: 1, name: 'one', qty: 10 });
    expect(events[1]!.value!.after).toEqual({ id: 2, name: 'two', qty: null });
    expect(events[1]!.value!.source).toMatchObject({ connector: 'postgresql', name: id, db: 'postgres', schema: 'public', table, snapshot: 'last' });
    // Snapshot events carry the snapshot transaction's start as their source time, as Debezium's do.
    expect(events[0]!.value!.source.ts_us).toBe(events[1]!.value!.source.ts_us);
    expect(events[0]!.value!.source.ts_us as number).toBeLessThan((events[0]!.value as unknown as { ts_us: number }).ts_us);
    expect(events[2]!.value).toMatchObject({ op: 'c', before: null, after: { id: 3, name: 'three', qty: 30 } });
    expect(events[2]!.value!.source).toMatchObject({ snapshot: 'false', table });
    expect(typeof events[2]!.value!.source.lsn).toBe('number');
    expect(events[3]!.value).toMatchObject({ op: 'u', after: { id: 1, name: 'one', qty: 11 } });
    // sequence as Debezium fills it: [end of the last commit before this change, this change's LSN].
    const [lastCommit, own] = (JSON.parse(events[3]!.value!.source.sequence as string) as string[]).map(Number);
    expect(own).toBe(events[3]!.value!.source.lsn);
    expect(lastCommit).toBeGreaterThan(events[2]!.value!.source.lsn as number);
    expect(lastCommit).toBeLessThanOrEqual(own!);
    expect(events[4]!.value).toMatchObject({ op: 'd', before: { id: 2 }, after: null });
    expect(events[5]!.key).toEqual({ id: 2 });
    expect(events[5]!.value).toBeNull();
  });

  it('a primary key change is a delete, a tombstone and a create with __debezium headers', async () => {
    const id = env.newId();
    const table = `${id}_pk`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data' });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1, 'a')`);
    await sql(env.cluster, `UPDATE ${table} SET id = 5 WHERE id = 1`);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${table}`);
      return e.length >= 4 ? e : null;
    }, 20000, 'events');
    expect(events.map((e) => e.value?.op ?? 'tombstone')).toEqual(['c', 'd', 'tombstone', 'c']);
    expect(events[1]!.key).toEqual({ id: 1 });
    expect(events[1]!.headers['__debezium.newkey']).toBeDefined();
    expect(events[3]!.key).toEqual({ id: 5 });
    expect(events[3]!.headers['__debezium.oldkey']).toBeDefined();
  });

  it('never confirms the slot past what is stored, and loses nothing across a kill -9', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const table = `${id}_acks`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    const config = await env.deploy(id, { 'snapshot.mode': 'no_data' });
    // WAL position right after each batch's commit: an upper bound of that transaction's end.
    const batchEnds = new Map<number, number>();
    const insertBatch = async (batch: number) => {
      await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(${batch * 500 + 1}, ${(batch + 1) * 500}) g`);
      batchEnds.set(batch, lsnValue((await sql(env.cluster, 'SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn));
    };
    for (let batch = 0; batch < 10; batch++) await insertBatch(batch);
    // Wait for a stored offset, then crash while more changes are arriving.
    await eventually(async () => (await http('GET', `${env.worker.url}/connectors/${id}/offsets`)).body.offsets?.length > 0, 20000, 'a stored offset');
    const more = (async () => {
      for (let batch = 10; batch < 20; batch++) await insertBatch(batch);
    })();
    await eventually(async () => (await changeEvents(env.dir, `${id}.public.${table}`)).length > 5200, 20000, 'events of the second half');
    await env.worker.kill();
    await more;
    const slot = (await sql(env.cluster, 'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [config['slot.name']])).rows[0];
    expect(slot?.lsn, 'the slot exists').toBeDefined();
    const confirmed = lsnValue(slot!.lsn);
    // The acknowledgement rule, checked from outside: every transaction the slot confirmed is
    // wholly in the topic (stored) at the moment of the crash.
    const atCrash = await changeEvents(env.dir, `${id}.public.${table}`);
    const storedIds = new Set(atCrash.map((e) => (e.value?.after as { id: number } | null)?.id));
    let confirmedBatches = 0;
    for (const [batch, end] of batchEnds) {
      if (end > confirmed) continue;
      confirmedBatches++;
      for (let rowId = batch * 500 + 1; rowId <= (batch + 1) * 500; rowId++) expect(storedIds.has(rowId), `row ${rowId} of confirmed batch ${batch}`).toBe(true);
    }
    expect(confirmedBatches, 'the slot moved at all').toBeGreaterThan(0);
    env.worker = await startWorker({ dir: env.dir });
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${table}`);
      const ids = new Set(e.map((x) => (x.value?.after as { id: number } | null)?.id));
      return ids.size >= 10000 ? e : null;
    }, 60000, 'all 10000 rows after restart');
    // In order per key and every row present (duplicates allowed: at least once).
    const firstSeen: number[] = [];
    const seen = new Set<number>();
    for (const e of events) {
      const rowId = (e.value!.after as { id: number }).id;
      if (!seen.has(rowId)) {
        seen.add(rowId);
        firstSeen.push(rowId);
      }
    }
    expect(firstSeen).toEqual(Array.from({ length: 10000 }, (_, i) => i + 1));
  });

  it('loses no row of a COPY across a kill -9 inside it (its rows share LSNs)', { timeout: 120_000 }, async () => {
    // A COPY logs a page of rows per WAL record, so hundreds of changes share each LSN: a crash
    // stores an offset part way through one, and the restart must emit the rest of that page.
    const id = env.newId();
    const table = `${id}_copy`;
    const rows = 300_000;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data' });
    await sql(env.cluster, `COPY ${table} FROM PROGRAM 'seq 1 ${rows} | sed s/$/,copied/' WITH (FORMAT csv)`);
    await eventually(async () => (await http('GET', `${env.worker.url}/connectors/${id}/offsets`)).body.offsets?.[0]?.offset?.messageType === 'INSERT', 30_000, 'an offset stored inside the COPY');
    await env.worker.kill();
    // What was stored at the crash: the records, and the last offset in the worker's offsets topic.
    const rowsOf = (records: Awaited<ReturnType<typeof readTopic>>) => records.map((r) => JSON.parse(Buffer.from(r.value!).toString()).payload as { after: { id: number }; source: { lsn: number } });
    const before = rowsOf(await readTopic(env.dir, `${id}.public.${table}`));
    const offsets = (await readTopic(env.dir, 'connect-offsets')).filter((r) => Buffer.from(r.key!).toString() === JSON.stringify([id, { server: id }]));
    const atCrash = JSON.parse(Buffer.from(offsets.at(-1)!.value!).toString()) as { lsn: number; lsn_events_processed: number };
    expect(before.length, 'the crash came before the COPY was all stored').toBeLessThan(rows);
    // The row the offset names: the lsn_events_processed-th with its LSN.
    const lastStored = before.filter((e) => e.source.lsn === atCrash.lsn)[atCrash.lsn_events_processed - 1]!.after.id;
    env.worker = await startWorker({ dir: env.dir });
    const after = await eventually(async () => {
      const all = rowsOf(await readTopic(env.dir, `${id}.public.${table}`));
      return all.length - before.length >= rows - lastStored ? all.slice(before.length) : null;
    }, 90_000, `the rows after ${lastStored} once restarted`);
    // The restart goes on from the row after the stored one, inside its WAL record: the rows after
    // it come once each, in COPY order, and nothing is missing.
    expect(after.length).toBe(rows - lastStored);
    expect(after.every((e, i) => e.after.id === lastStored + 1 + i)).toBe(true);
  });

  it('acknowledges an idle database once everything is stored, so WAL does not pile up', { timeout: 60_000 }, async () => {
    const id = env.newId();
    const table = `${id}_idle`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY)`);
    const config = await env.deploy(id, { 'snapshot.mode': 'no_data', 'status.update.interval.ms': '1000' });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1), (2)`);
    await eventually(async () => (await changeEvents(env.dir, `${id}.public.${table}`)).length === 2, 20000, 'events');
    // Writes to a table that is not captured move the WAL on; the slot must follow once idle.
    await sql(env.cluster, 'CREATE TABLE IF NOT EXISTS not_captured_noise (n int)');
    await sql(env.cluster, 'INSERT INTO not_captured_noise SELECT generate_series(1, 1000)');
    const target = lsnValue((await sql(env.cluster, 'SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn);
    await eventually(async () => {
      const row = (await sql(env.cluster, 'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [config['slot.name']])).rows[0];
      return row && lsnValue(row.lsn) >= target;
    }, 40000, 'slot confirmed past the idle WAL');
  });

  it('keeps streaming across a Postgres restart, nothing lost or doubled', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const table = `${id}_restart`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data' });
    await sql(env.cluster, `INSERT INTO ${table} SELECT generate_series(1, 100)`);
    await eventually(async () => (await changeEvents(env.dir, `${id}.public.${table}`)).length === 100, 20000, 'first 100');
    await env.cluster.restart();
    await sql(env.cluster, `INSERT INTO ${table} SELECT generate_series(101, 200)`);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${table}`);
      return e.length >= 200 ? e : null;
    }, 60000, 'rows inserted after the restart');
    expect(events.map((e) => (e.value!.after as { id: number }).id)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await http('GET', `${env.worker.url}/connectors/${id}/status`)).body.tasks[0].state).toBe('RUNNING');
  });

  it('emits heartbeats whose stored offsets follow the WAL while captured tables are quiet', { timeout: 60_000 }, async () => {
    const id = env.newId();
    await sql(env.cluster, `CREATE TABLE ${id}_quiet (id int PRIMARY KEY)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'heartbeat.interval.ms': '300', 'heartbeat.action.query': 'SELECT 1' });
    await sql(env.cluster, 'CREATE TABLE IF NOT EXISTS not_captured_noise (n int)');
    await sql(env.cluster, 'INSERT INTO not_captured_noise SELECT generate_series(1, 100)');
    const target = lsnValue((await sql(env.cluster, 'SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn);
    const beats = await eventually(async () => {
      const e = await changeEvents(env.dir, `__debezium-heartbeat.${id}`);
      return e.length > 0 ? e : null;
    }, 30000, 'heartbeat records');
    expect(beats[0]!.key).toEqual({ serverName: id });
    expect(typeof (beats[0]!.value as unknown as { ts_ms: number }).ts_ms).toBe('number');
    // Schemas as Debezium 3.6.1 writes them, version 1 each.
    const raw = (await readTopic(env.dir, `__debezium-heartbeat.${id}`))[0]!;
    expect(JSON.parse(Buffer.from(raw.key!).toString()).schema).toMatchObject({ name: 'io.debezium.connector.common.ServerNameKey', version: 1 });
    expect(JSON.parse(Buffer.from(raw.value!).toString()).schema).toMatchObject({ name: 'io.debezium.connector.common.Heartbeat', version: 1 });
    await eventually(async () => {
      const offsets = (await http('GET', `${env.worker.url}/connectors/${id}/offsets`)).body.offsets;
      return offsets?.[0]?.offset?.lsn_flushable >= target;
    }, 30000, 'stored offset past the quiet WAL');
  });

  it('leaves columns out with column.exclude.list, keeping them in the key; lists match case-insensitively, as in Debezium', async () => {
    const id = env.newId();
    const table = `${id}_cols`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, name text, secret text)`);
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1, 'snap', 's1')`);
    await env.deploy(id, { 'table.include.list': `PUBLIC\\.${table.toUpperCase()}`, 'column.exclude.list': `public\\.${table}\\.(SECRET|id)` });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (2, 'stream', 's2')`);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${table}`);
      return e.length >= 2 ? e : null;
    }, 20000, 'events');
    expect(events.map((e) => e.value!.after)).toEqual([{ name: 'snap' }, { name: 'stream' }]);
    expect(events.map((e) => e.key)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('provide.transaction.metadata: BEGIN and END events and the transaction block', async () => {
    const id = env.newId();
    const table = `${id}_tx`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'provide.transaction.metadata': 'true' });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1), (2), (3)`);
    const tx = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.transaction`);
      return e.length >= 2 ? e : null;
    }, 20000, 'transaction events');
    const [begin, end] = tx.map((e) => e.value as unknown as { status: string; id: string; event_count: number | null; data_collections: Array<{ data_collection: string; event_count: number }> | null });
    expect(begin).toMatchObject({ status: 'BEGIN', event_count: null, data_collections: null });
    expect(end).toMatchObject({ status: 'END', event_count: 3, data_collections: [{ data_collection: `public.${table}`, event_count: 3 }] });
    // Ids as Debezium 3.6.1 writes them: `<txId>:<position>`, where the position is the first
    // event's LSN for BEGIN, each event's own, and the commit's end for END.
    const events = await changeEvents(env.dir, `${id}.public.${table}`);
    const xid = events[0]!.value!.source.txId as number;
    const lsns = events.map((e) => e.value!.source.lsn as number);
    expect(begin!.id).toBe(`${xid}:${lsns[0]}`);
    expect(events.map((e) => (e.value as unknown as { transaction: unknown }).transaction)).toEqual(
      lsns.map((lsn, i) => ({ id: `${xid}:${lsn}`, total_order: i + 1, data_collection_order: i + 1 })),
    );
    const [endXid, endLsn] = end!.id.split(':').map(Number);
    expect(endXid).toBe(xid);
    expect(endLsn).toBeGreaterThan(lsns[2]!);
    // Schemas as Debezium 3.6.1 writes them: versioned key and value, an optional collection struct.
    const raw = (await readTopic(env.dir, `${id}.transaction`))[1]!;
    const keySchema = (JSON.parse(Buffer.from(raw.key!).toString()) as { schema: unknown }).schema;
    const valueSchema = (JSON.parse(Buffer.from(raw.value!).toString()) as { schema: { version: number; fields: Array<{ field: string; items?: { optional: boolean } }> } }).schema;
    expect(keySchema).toMatchObject({ name: 'io.debezium.connector.common.TransactionMetadataKey', version: 1 });
    expect(valueSchema.version).toBe(1);
    expect(valueSchema.fields.find((f) => f.field === 'data_collections')!.items!.optional).toBe(true);

    // A key change is two events of the transaction (a delete and a create), as Debezium counts them.
    await sql(env.cluster, `UPDATE ${table} SET id = 10 WHERE id = 1`);
    const tx2 = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.transaction`);
      return e.length >= 4 ? e : null;
    }, 20000, 'the second transaction');
    expect(tx2[3]!.value).toMatchObject({ status: 'END', event_count: 2, data_collections: [{ data_collection: `public.${table}`, event_count: 2 }] });
    const moved = (await changeEvents(env.dir, `${id}.public.${table}`)).slice(3).filter((e) => e.value);
    expect(moved.map((e) => [e.value!.op, (e.value as unknown as { transaction: { total_order: number } }).transaction.total_order])).toEqual([['d', 1], ['c', 2]]);

    // A transactional logical message is an event of its transaction, as in Debezium: BEGIN, the
    // message with its transaction block, END counting it (under Debezium's class name for it).
    await sql(env.cluster, `SELECT pg_logical_emit_message(true, 'pfx', 'hello')`);
    const tx3 = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.transaction`);
      return e.length >= 6 ? e : null;
    }, 20000, 'the message\'s transaction');
    const [message] = await changeEvents(env.dir, `${id}.message`);
    const block = (message!.value as unknown as { transaction: { id: string; total_order: number; data_collection_order: number } }).transaction;
    expect(block).toEqual({ id: `${message!.value!.source.txId}:${message!.value!.source.lsn}`, total_order: 1, data_collection_order: 1 });
    expect(tx3[4]!.value).toMatchObject({ status: 'BEGIN', id: block.id });
    expect(tx3[5]!.value).toMatchObject({ status: 'END', event_count: 1, data_collections: [{ data_collection: 'io.debezium.connector.postgresql.LogicalDecodingMessageMonitor$LogicalDecodingMessageId', event_count: 1 }] });
  });

  it('validate names what is wrong: bad password, missing publication', async () => {
    const id = env.newId();
    const bad = await http('PUT', `${env.worker.url}/connector-plugins/PostgresConnector/config/validate`, { ...connectorConfig(env.cluster, id), 'database.password': 'wrong' });
    const password = bad.body.configs.find((c: { value: { name: string } }) => c.value.name === 'database.password');
    expect(password.value.errors[0]).toMatch(/password authentication failed/);
    const noPub = await http('POST', `${env.worker.url}/connectors`, { name: id, config: { ...connectorConfig(env.cluster, id), 'publication.autocreate.mode': 'disabled' } });
    expect(noPub.status).toBe(400);
    expect(noPub.body.message).toContain(`publication.name: Publication '${connectorConfig(env.cluster, id)['publication.name']}' does not exist and publication.autocreate.mode is 'disabled'`);

    // A role that may log in but not replicate: the key to fix and the statement that fixes it.
    const role = `${id}_norepl`;
    await sql(env.cluster, `CREATE ROLE ${role} LOGIN PASSWORD 'pw' NOREPLICATION NOSUPERUSER`);
    try {
      const noRepl = await http('PUT', `${env.worker.url}/connector-plugins/PostgresConnector/config/validate`, { ...connectorConfig(env.cluster, id), name: id, 'database.user': role, 'database.password': 'pw' });
      const errors = noRepl.body.configs.filter((c: { value: { errors: string[] } }) => c.value.errors.length > 0).map((c: { value: { name: string; errors: string[] } }) => [c.value.name, c.value.errors]);
      expect(errors).toEqual([['database.user', [`User '${role}' has no REPLICATION privilege: ALTER ROLE ${role} WITH REPLICATION`]]]);
    } finally {
      await sql(env.cluster, `DROP ROLE ${role}`);
    }
  });
});
