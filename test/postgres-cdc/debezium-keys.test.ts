/**
 * Debezium keys beyond the core: the snapshot's table list and delays, skip.messages.without.change,
 * and keys tsconnect does not implement, which are refused (when they would change the output) or
 * warned about (when they only tune Debezium's internals), never ignored silently.
 */
import { describe, expect, it } from 'vitest';
import { readJsonPayloads, readTopic } from '../harness/read-topic.js';
import { eventually, http } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, connectorConfig, sql } from './pg-helpers.js';

const env = cdcTestEnv('dbzk');

const events = (id: string, table: string, n: number) => eventually(async () => {
  const e = await changeEvents(env.dir, `${id}.public.${table}`);
  return e.length >= n ? e : null;
}, 20000, `${n} events of ${table}`);

describe('Postgres CDC: more of Debezium\'s keys', () => {
  it('refuses keys that would change the output, naming each, in validate and on create', async () => {
    const id = env.newId();
    const bad = {
      converters: 'boolean', 'boolean.type': 'io.debezium.connector.mysql.converters.TinyIntOneToBooleanConverter', 'table.exclude.list': 'public\\.x', 'signal.enabled.channels': 'source,kafka',
      'slot.failover': 'true', 'offset.mismatch.strategy': 'trust_slot', 'replica.identity.autoset.values': 'public.a:FULL,public.b:SOMETIMES',
      'connection.factory.class': 'com.example.Factory',
    };
    const config = { name: id, 'connector.class': 'io.debezium.connector.postgresql.PostgresConnector', ...connectorConfig(env.cluster, id, bad) };
    const res = await http('PUT', `${env.worker.url}/connector-plugins/PostgresConnector/config/validate`, config);
    expect(res.status).toBe(200);
    const errors = Object.fromEntries((res.body.configs as Array<{ value: { name: string; errors: string[] } }>).filter((c) => c.value.errors.length).map((c) => [c.value.name, c.value.errors]));
    expect(errors).toEqual({
      converters: ['converters=boolean is not supported: custom converters are Java classes (io.debezium.spi.converter); tsconnect cannot load them'],
      'table.exclude.list': ['"table.include.list" is already specified'],
      'signal.enabled.channels': ["signal.enabled.channels=source,kafka is not supported: only the 'source' (signal.data.collection) and 'file' (signal.file) channels are supported: 'kafka' needs the Kafka backend, not in this build, and 'jmx' is Java's"],
      'slot.failover': [expect.stringMatching(/^slot\.failover=true is not supported: tsconnect creates ordinary slots; create the failover slot yourself/)],
      'offset.mismatch.strategy': [expect.stringMatching(/^offset\.mismatch\.strategy=trust_slot is not supported: tsconnect streams from the later of the stored offset and the slot's confirmed position/)],
      'replica.identity.autoset.values': ["Invalid value public.a:FULL,public.b:SOMETIMES for configuration replica.identity.autoset.values: public.b:SOMETIMES has an invalid format (expecting '<table regex>:<DEFAULT|FULL|NOTHING|INDEX index_name>')"],
      'connection.factory.class': ['connection.factory.class=com.example.Factory is not supported: it names a Java class that opens the JDBC connections; tsconnect connects with the database.* keys'],
    });
    const created = await env.post(id, bad);
    expect(created.status).toBe(400);
    expect(created.body.message).toContain('converters=boolean is not supported');
  });

  it('snapshot.include.collection.list: the other tables are only streamed; snapshot.delay.ms and a warned key', async () => {
    const id = env.newId();
    for (const t of ['a', 'b']) {
      await sql(env.cluster, `CREATE TABLE ${id}_${t} (id int PRIMARY KEY)`);
      await sql(env.cluster, `INSERT INTO ${id}_${t} VALUES (1)`);
    }
    await env.deploy(id, { 'snapshot.include.collection.list': `PUBLIC\\.${id.toUpperCase()}_A`, 'snapshot.delay.ms': '1500', 'snapshot.locking.mode': 'none' });
    const running = Date.now();
    await events(id, `${id}_a`, 1);
    expect(Date.now() - running).toBeGreaterThanOrEqual(1400);
    for (const t of ['a', 'b']) await sql(env.cluster, `INSERT INTO ${id}_${t} VALUES (2)`);
    const a = await events(id, `${id}_a`, 2);
    const b = await events(id, `${id}_b`, 1);
    expect(a.map((e) => `${e.value!.op}${(e.key as { id: number }).id}`)).toEqual(['r1', 'c2']);
    expect(b.map((e) => `${e.value!.op}${(e.key as { id: number }).id}`)).toEqual(['c2']);
    expect(env.worker.output()).toContain('snapshot.locking.mode is accepted but has no effect in tsconnect');
  });

  it('skip.messages.without.change drops updates of left-out columns only', async () => {
    const id = env.newId();
    const table = `${id}_s`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, name text, touched timestamptz)`);
    await sql(env.cluster, `ALTER TABLE ${table} REPLICA IDENTITY FULL`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'skip.messages.without.change': 'true', 'column.exclude.list': `public\\.${table}\\.touched` });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1, 'a', now())`);
    await sql(env.cluster, `UPDATE ${table} SET touched = now() + interval '1 day'`);
    await sql(env.cluster, `UPDATE ${table} SET name = 'b'`);
    const e = await events(id, table, 2);
    await new Promise((r) => setTimeout(r, 500));
    const all = await changeEvents(env.dir, `${id}.public.${table}`);
    expect(all.map((x) => [x.value!.op, x.value!.after])).toEqual([['c', { id: 1, name: 'a' }], ['u', { id: 1, name: 'b' }]]);
    expect(e).toHaveLength(2);
  });

  it('replica.identity.autoset.values sets REPLICA IDENTITY on the captured tables it names, as Debezium does', async () => {
    const id = env.newId();
    await sql(env.cluster, `CREATE TABLE ${id}_full (id int PRIMARY KEY, v text, w text)`);
    await sql(env.cluster, `CREATE TABLE ${id}_idx (id int PRIMARY KEY, code text NOT NULL)`);
    await sql(env.cluster, `CREATE UNIQUE INDEX ${id}_idx_code ON ${id}_idx (code)`);
    await sql(env.cluster, `CREATE TABLE ${id}_left (id int PRIMARY KEY)`);
    await sql(env.cluster, `INSERT INTO ${id}_full VALUES (1, 'a', 'b')`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'replica.identity.autoset.values': `PUBLIC\\.${id}_FULL:FULL, public\\.${id}_idx:INDEX ${id}_idx_code` });
    const identities = await sql(env.cluster, `SELECT c.relname, c.relreplident FROM pg_class c WHERE c.relname IN ($1, $2, $3) ORDER BY 1`, [`${id}_full`, `${id}_idx`, `${id}_left`]);
    expect(identities.rows).toEqual([{ relname: `${id}_full`, relreplident: 'f' }, { relname: `${id}_idx`, relreplident: 'i' }, { relname: `${id}_left`, relreplident: 'd' }]);
    const index = await sql(env.cluster, `SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indisreplident AND x.indrelid = $1::regclass`, [`${id}_idx`]);
    expect(index.rows).toEqual([{ relname: `${id}_idx_code` }]);
    // FULL: an update's before holds the whole old row.
    await sql(env.cluster, `UPDATE ${id}_full SET v = 'c'`);
    const [update] = await events(id, `${id}_full`, 1);
    expect(update!.value!.before).toEqual({ id: 1, v: 'a', w: 'b' });
    expect(env.worker.output()).toContain(`Replica identity set to FULL for table 'public.${id}_full'`);
    expect(env.worker.output()).toContain(`Replica identity set to USING INDEX ${id}_idx_code for table 'public.${id}_idx'`);
  });

  it('guardrail.collections.max warns, or fails the task with limit.action=fail, when more tables are captured', async () => {
    const id = env.newId();
    for (const t of ['a', 'b']) await sql(env.cluster, `CREATE TABLE ${id}_${t} (id int PRIMARY KEY)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'guardrail.collections.max': '1' });
    expect(env.worker.output()).toContain('Guardrail limit exceeded: 2 tables/collections configured for capture, but maximum allowed is 1.');
    await http('DELETE', `${env.worker.url}/connectors/${id}`);
    const res = await env.post(id, { 'snapshot.mode': 'no_data', 'guardrail.collections.max': '1', 'guardrail.collections.limit.action': 'fail' });
    expect(res.status).toBe(201);
    const task = await eventually(async () => {
      const t = (await http('GET', `${env.worker.url}/connectors/${id}/status`)).body.tasks[0];
      return t?.state === 'FAILED' ? t : null;
    }, 20000, 'the task FAILED');
    expect(task.trace).toContain('Guardrail limit exceeded: 2 tables/collections configured for capture, but maximum allowed is 1. (guardrail.collections.limit.action=fail)');
  });

  it('topic.transaction and topic.heartbeat.name name those topics; errors.max.retries=0 fails the task at the first lost connection', async () => {
    const id = env.newId();
    await sql(env.cluster, `CREATE TABLE ${id}_t (id int PRIMARY KEY)`);
    // Not captured (table.include.list is public.<id>_.*): moves the WAL so a heartbeat is due.
    await sql(env.cluster, `CREATE TABLE other_${id} (id int)`);
    const config = await env.deploy(id, {
      'snapshot.mode': 'no_data', 'provide.transaction.metadata': 'true', 'topic.transaction': 'tx_meta',
      'heartbeat.interval.ms': '200', 'topic.heartbeat.name': `${id}-beats`, 'errors.max.retries': '0',
      'topic.cache.size': '100', 'database.query.timeout.ms': '5000', 'openlineage.integration.enabled': 'true',
    });
    for (const key of ['topic.cache.size', 'database.query.timeout.ms', 'openlineage.integration.enabled']) {
      expect(env.worker.output()).toContain(`${key} is accepted but has no effect in tsconnect`);
    }
    await sql(env.cluster, `INSERT INTO ${id}_t VALUES (1)`);
    const tx = await eventually(async () => {
      const p = (await readJsonPayloads(env.dir, `${id}.tx_meta`).catch(() => [])) as Array<{ status: string }>;
      return p.length >= 2 ? p : null;
    }, 20000, `BEGIN and END on ${id}.tx_meta`);
    expect(tx.map((p) => p.status)).toEqual(['BEGIN', 'END']);
    await sql(env.cluster, `INSERT INTO other_${id} VALUES (1)`);
    const beats = await eventually(async () => {
      const r = await readTopic(env.dir, `${id}-beats`).catch(() => []);
      return r.length > 0 ? r : null;
    }, 20000, `a heartbeat on ${id}-beats`);
    expect(JSON.parse(Buffer.from(beats[0]!.key!).toString()).payload).toEqual({ serverName: id });

    await sql(env.cluster, 'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL', [config['slot.name']]);
    const task = await eventually(async () => {
      const t = (await http('GET', `${env.worker.url}/connectors/${id}/status`)).body.tasks[0];
      return t?.state === 'FAILED' ? t : null;
    }, 20000, 'the task FAILED');
    expect(task.trace).toContain('the replication connection: connection lost (terminating connection due to administrator command) and not retried more than errors.max.retries=0 time(s)');
    await sql(env.cluster, `DROP TABLE other_${id}`);
  });

  it('snapshot.mode=configuration_based: its snapshot.data and start.stream keys decide', async () => {
    const id = env.newId();
    await sql(env.cluster, `CREATE TABLE ${id}_t (id int PRIMARY KEY)`);
    await sql(env.cluster, `INSERT INTO ${id}_t VALUES (1), (2)`);
    const cb = 'snapshot.mode.configuration.based.';
    // Snapshot, no streaming: the two rows, then nothing of the insert that follows.
    const snapOnly = `${id}s`;
    await env.deploy(snapOnly, { 'snapshot.mode': 'configuration_based', [`${cb}snapshot.data`]: 'true', 'table.include.list': `public\\.${id}_t` });
    const read = await events(snapOnly, `${id}_t`, 2);
    expect(read.map((e) => `${e.value!.op}${(e.key as { id: number }).id}`)).toEqual(['r1', 'r2']);
    // Streaming, no snapshot.
    const streamOnly = `${id}c`;
    await env.deploy(streamOnly, { 'snapshot.mode': 'configuration_based', [`${cb}start.stream`]: 'true', 'table.include.list': `public\\.${id}_t` });
    await sql(env.cluster, `INSERT INTO ${id}_t VALUES (3)`);
    const streamed = await events(streamOnly, `${id}_t`, 1);
    expect(streamed.map((e) => `${e.value!.op}${(e.key as { id: number }).id}`)).toEqual(['c3']);
    expect(env.worker.output()).toContain('snapshot.mode=configuration_based with snapshot.mode.configuration.based.start.stream=false: snapshot done, not streaming');
    await new Promise((r) => setTimeout(r, 500));
    expect((await changeEvents(env.dir, `${snapOnly}.public.${id}_t`)).length).toBe(2);
    // snapshot.data snapshots at every start, as Debezium's configuration_based snapshotter does.
    await http('POST', `${env.worker.url}/connectors/${snapOnly}/restart?includeTasks=true`);
    const again = await events(snapOnly, `${id}_t`, 5);
    expect(again.slice(2).map((e) => `${e.value!.op}${(e.key as { id: number }).id}`)).toEqual(['r1', 'r2', 'r3']);
  });
});
