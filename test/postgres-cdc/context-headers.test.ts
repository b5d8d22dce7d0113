/**
 * The headers on each kind of record, as Debezium 3.6.1 wrote them for the same operations (its
 * extended headers are on by default): every data change event and tombstone carries the four
 * `__debezium.context.*` headers after any key change header; transaction, heartbeat and logical
 * message records carry none; `extended.headers.enabled=false` leaves only the key change headers.
 */
import { describe, expect, it } from 'vitest';
import { readTopic } from '../harness/read-topic.js';
import { eventually, http } from '../harness/worker-process.js';
import { cdcTestEnv, sql } from './pg-helpers.js';

const env = cdcTestEnv('hdr');
const CONTEXT = ['connectorLogicalName', 'taskId', 'connectorName', 'runId'].map((k) => `__debezium.context.${k}`);
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function headersOf(topic: string, n: number): Promise<Array<Array<[string, string]>>> {
  const records = await eventually(async () => {
    const r = await readTopic(env.dir, topic);
    return r.length >= n ? r : null;
  }, 20_000, `${n} records on ${topic}`);
  return records.map((r) => r.headers.map((h): [string, string] => [h.key, h.value ? Buffer.from(h.value).toString() : '']));
}

describe('Postgres CDC record headers', () => {
  it("puts Debezium's context headers on data change events and tombstones only", { timeout: 60_000 }, async () => {
    const id = env.newId();
    const table = `${id}_t`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1, 'a')`);
    await env.deploy(id, { 'provide.transaction.metadata': 'true', 'heartbeat.interval.ms': '300' });
    const topic = `${id}.public.${table}`;
    await headersOf(topic, 1);
    await sql(env.cluster, `INSERT INTO ${table} VALUES (2, 'b')`);
    await sql(env.cluster, `UPDATE ${table} SET id = 3 WHERE id = 2`);
    await sql(env.cluster, `DELETE FROM ${table} WHERE id = 3`);
    await sql(env.cluster, `SELECT pg_logical_emit_message(true, 'pfx', 'hello')`);

    // r, c, d + tombstone + c (the key change), d + tombstone.
    const data = await headersOf(topic, 7);
    const keys = data.map((h) => h.map(([k]) => k));
    expect(keys).toEqual([CONTEXT, CONTEXT, ['__debezium.newkey', ...CONTEXT], ['__debezium.newkey', ...CONTEXT], ['__debezium.oldkey', ...CONTEXT], CONTEXT, CONTEXT]);
    const context = data.map((h) => Object.fromEntries(h.filter(([k]) => k.startsWith('__debezium.context.'))));
    const runId = context[0]!['__debezium.context.runId']!;
    expect(runId).toMatch(UUID_V7);
    for (const c of context) {
      expect(c).toEqual({ '__debezium.context.connectorLogicalName': id, '__debezium.context.taskId': '0', '__debezium.context.connectorName': 'postgresql', '__debezium.context.runId': runId });
    }
    expect((await headersOf(`${id}.transaction`, 2)).flat()).toEqual([]);
    expect((await headersOf(`${id}.message`, 1)).flat()).toEqual([]);
    expect((await headersOf(`__debezium-heartbeat.${id}`, 1)).flat()).toEqual([]);

    // A new run id when the task starts again.
    expect((await http('POST', `${env.worker.url}/connectors/${id}/restart?includeTasks=true`)).status).toBeLessThan(300);
    await env.waitRunning(id);
    await sql(env.cluster, `INSERT INTO ${table} VALUES (4, 'd')`);
    const after = await headersOf(topic, 8);
    const newRun = Object.fromEntries(after[7]!)['__debezium.context.runId'];
    expect(newRun).toMatch(UUID_V7);
    expect(newRun).not.toBe(runId);
  });

  it('extended.headers.enabled=false leaves only the key change headers', { timeout: 60_000 }, async () => {
    const id = env.newId();
    const table = `${id}_t`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'extended.headers.enabled': 'false' });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1, 'a')`);
    await sql(env.cluster, `UPDATE ${table} SET id = 2 WHERE id = 1`);
    const keys = (await headersOf(`${id}.public.${table}`, 4)).map((h) => h.map(([k]) => k));
    expect(keys).toEqual([[], ['__debezium.newkey'], ['__debezium.newkey'], ['__debezium.oldkey']]);
  });
});
