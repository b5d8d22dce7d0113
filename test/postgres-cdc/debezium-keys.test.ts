/**
 * Debezium keys beyond the core: the snapshot's table list and delays, skip.messages.without.change,
 * and keys tsconnect does not implement, which are refused (when they would change the output) or
 * warned about (when they only tune Debezium's internals), never ignored silently.
 */
import { describe, expect, it } from 'vitest';
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
    const bad = { converters: 'boolean', 'boolean.type': 'io.debezium.connector.mysql.converters.TinyIntOneToBooleanConverter', 'table.exclude.list': 'public\\.x', 'signal.enabled.channels': 'source,kafka' };
    const config = { name: id, 'connector.class': 'io.debezium.connector.postgresql.PostgresConnector', ...connectorConfig(env.cluster, id, bad) };
    const res = await http('PUT', `${env.worker.url}/connector-plugins/PostgresConnector/config/validate`, config);
    expect(res.status).toBe(200);
    const errors = Object.fromEntries((res.body.configs as Array<{ value: { name: string; errors: string[] } }>).filter((c) => c.value.errors.length).map((c) => [c.value.name, c.value.errors]));
    expect(errors).toEqual({
      converters: ['converters=boolean is not supported: custom converters are Java classes (io.debezium.spi.converter); tsconnect cannot load them'],
      'table.exclude.list': ['"table.include.list" is already specified'],
      'signal.enabled.channels': ["signal.enabled.channels=source,kafka is not supported: only the 'source' (signal.data.collection) and 'file' (signal.file) channels are supported: 'kafka' needs the Kafka backend, not in this build, and 'jmx' is Java's"],
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
});
