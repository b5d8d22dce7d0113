/**
 * A network path that dies silently (no reset, no close: a TCP proxy drops every byte of the open
 * connections): the task hears nothing for three status intervals, reconnects (through the proxy,
 * which forwards new connections), waits for the server to let go of the slot, and streams on
 * with nothing lost or doubled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.js';
import { cdcTestEnv, changeEvents, sql } from './pg-helpers.js';

// wal_sender_timeout=10s (cdcTestEnv): the server ends the silent walsender and frees the slot.
const env = cdcTestEnv('net');
let proxy: TcpProxy;

beforeAll(async () => {
  proxy = await startTcpProxy(env.cluster.port);
});
afterAll(async () => {
  await proxy?.close();
});

describe('Postgres CDC across a silent network loss', () => {
  it('reconnects when the server goes silent and streams on, nothing lost or doubled', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const table = `${id}_t`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    await env.deploy(id, { 'database.port': String(proxy.port), 'snapshot.mode': 'no_data', 'status.update.interval.ms': '500' });
    const topic = `${id}.public.${table}`;
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1, 'before')`);
    await eventually(async () => (await changeEvents(env.dir, topic)).length === 1, 20_000, 'the first row');

    proxy.blackhole();
    for (let i = 2; i <= 20; i++) await sql(env.cluster, `INSERT INTO ${table} VALUES ($1, 'during')`, [i]);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, topic);
      return e.length >= 20 ? e : null;
    }, 60_000, 'the rows written while the network was down');
    await new Promise((r) => setTimeout(r, 1000));
    const all = await changeEvents(env.dir, topic);
    expect(all.map((e) => (e.key as { id: number }).id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(events.every((e) => e.value?.op === 'c')).toBe(true);
    expect(env.worker.output()).toMatch(/nothing heard from the server for \d+ ms/);
    expect(env.worker.output()).toMatch(/replication connection re-established/);
    expect((await http('GET', `${env.worker.url}/connectors/${id}/status`)).body.tasks[0].state).toBe('RUNNING');
  });
});
