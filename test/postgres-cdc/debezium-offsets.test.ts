/**
 * Moving from Debezium with its stored offsets: Debezium 3 writes `"snapshot": "INITIAL"` with
 * `snapshot_completed`, older versions `"snapshot": true`. An initial snapshot Debezium left
 * unfinished is taken again here; a finished one is not, and streaming goes on from its position.
 * The offsets are put in place as a user would, with PATCH /connectors/{name}/offsets on a
 * connector created STOPPED.
 */
import { describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { changeEvents, connectorConfig, sql, cdcTestEnv, lsnValue } from './pg-helpers.js';

const env = cdcTestEnv('dbzoff');

/** The connector created STOPPED on a slot made beforehand, with `offset` stored, then resumed. */
async function startWithOffset(id: string, offset: (slotLsn: number) => Record<string, unknown>): Promise<void> {
  const config = connectorConfig(env.cluster, id, { 'snapshot.mode': 'initial' });
  const lsn = (await sql(env.cluster, `SELECT lsn::text FROM pg_create_logical_replication_slot($1, 'pgoutput')`, [config['slot.name']])).rows[0]!.lsn as string;
  const created = await http('POST', `${env.worker.url}/connectors`, { name: id, config, initial_state: 'STOPPED' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const patched = await http('PATCH', `${env.worker.url}/connectors/${id}/offsets`, { offsets: [{ partition: { server: id }, offset: offset(lsnValue(lsn)) }] });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  expect((await http('PUT', `${env.worker.url}/connectors/${id}/resume`)).status).toBe(202);
  await env.waitRunning(id);
}

describe('Postgres CDC on offsets Debezium stored', () => {
  it('takes the snapshot again when Debezium 3 left it unfinished ("snapshot": "INITIAL")', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const table = `${id}_t`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(1, 30) g`);
    await startWithOffset(id, (lsn) => ({ lsn, txId: 750, ts_usec: 1763800000000000, snapshot: 'INITIAL', last_snapshot_record: false, snapshot_completed: false }));
    await sql(env.cluster, `INSERT INTO ${table} VALUES (31, 'after')`);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${table}`);
      return e.length >= 31 ? e : null;
    }, 60_000, 'snapshot and streamed events');
    expect(events.slice(0, 30).map((e) => [e.value!.op, (e.key as { id: number }).id])).toEqual(Array.from({ length: 30 }, (_, i) => ['r', i + 1]));
    expect(events[30]!.value).toMatchObject({ op: 'c', after: { id: 31, v: 'after' } });
    // Then the streamed insert's position is stored, with no snapshot keys left.
    const stored = await eventually(async () => {
      const o = (await http('GET', `${env.worker.url}/connectors/${id}/offsets`)).body.offsets[0]?.offset;
      return o?.lsn_commit !== undefined ? o : null;
    }, 30_000, 'the streamed offset stored');
    expect(stored).not.toHaveProperty('snapshot');
    expect(stored).not.toHaveProperty('snapshot_completed');
  });

  it('streams on without a snapshot from a finished one, in either form', { timeout: 90_000 }, async () => {
    for (const finished of [
      { snapshot: 'INITIAL', last_snapshot_record: true, snapshot_completed: true },
      { snapshot: true, last_snapshot_record: true },
    ]) {
      const id = env.newId();
      const table = `${id}_t`;
      await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
      await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(1, 10) g`);
      await startWithOffset(id, (lsn) => ({ lsn, txId: 750, ts_usec: 1763800000000000, ...finished }));
      await sql(env.cluster, `INSERT INTO ${table} VALUES (11, 'after')`);
      const events = await eventually(async () => {
        const e = await changeEvents(env.dir, `${id}.public.${table}`);
        return e.length >= 1 ? e : null;
      }, 60_000, 'the streamed insert');
      expect(events.map((e) => [e.value!.op, (e.key as { id: number }).id])).toEqual([['c', 11]]);
    }
  });
});
