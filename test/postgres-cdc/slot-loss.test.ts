/**
 * A replication slot that can no longer serve the stored offset, against a real Postgres: dropped
 * while the connector was stopped, or invalidated (`wal_status=lost`) because WAL past
 * max_slot_wal_keep_size was removed. The task fails at once naming the slot and what to do, or,
 * under snapshot.mode=when_needed, takes a new snapshot on a new slot.
 */
import { describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, sql } from './pg-helpers.js';

// Small WAL segments and a small keep size, so a few MB of writes invalidate an idle slot.
const env = cdcTestEnv('lost', { conf: ['max_slot_wal_keep_size = 1MB', 'min_wal_size = 32MB', 'max_wal_size = 64MB'] });

async function streamOneRow(id: string, extra: Record<string, string>): Promise<Record<string, string>> {
  await sql(env.cluster, `CREATE TABLE ${id}_t (id int PRIMARY KEY, v text)`);
  const config = await env.deploy(id, extra);
  await sql(env.cluster, `INSERT INTO ${id}_t VALUES (1, 'before')`);
  await eventually(async () => (await changeEvents(env.dir, `${id}.public.${id}_t`)).some((e) => e.value?.op === 'c'), 20_000, 'the insert');
  // The offset flush (1 s in the harness) stores the streamed position; then the task goes away.
  await new Promise((r) => setTimeout(r, 1500));
  expect((await http('PUT', `${env.worker.url}/connectors/${id}/stop`)).status).toBe(204);
  await eventually(async () => (await sql(env.cluster, 'SELECT active FROM pg_replication_slots WHERE slot_name = $1', [config['slot.name']])).rows[0]?.active === false, 20_000, 'the slot idle');
  return config;
}

/** Writes and switches WAL until checkpoints have removed what the idle slot needs. */
async function invalidate(id: string, slot: string): Promise<void> {
  await sql(env.cluster, `CREATE TABLE ${id}_filler (id serial PRIMARY KEY, pad text)`);
  await eventually(async () => {
    await sql(env.cluster, `INSERT INTO ${id}_filler (pad) SELECT repeat('x', 1000) FROM generate_series(1, 5000)`);
    await sql(env.cluster, 'SELECT pg_switch_wal()');
    await sql(env.cluster, 'CHECKPOINT');
    return (await sql(env.cluster, 'SELECT wal_status FROM pg_replication_slots WHERE slot_name = $1', [slot])).rows[0]?.wal_status === 'lost';
  }, 30_000, `slot ${slot} lost`);
}

async function taskState(id: string): Promise<{ state: string; trace?: string }> {
  return (await http('GET', `${env.worker.url}/connectors/${id}/status`)).body.tasks[0] ?? { state: 'none' };
}

describe('Postgres CDC with a slot that cannot serve the stored offset', () => {
  it('an invalidated slot (wal_status=lost) fails the task at once, saying what to do', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const config = await streamOneRow(id, {});
    await invalidate(id, config['slot.name']!);
    await http('PUT', `${env.worker.url}/connectors/${id}/resume`);
    const task = await eventually(async () => {
      const t = await taskState(id);
      return t.state === 'FAILED' ? t : null;
    }, 20_000, 'the task FAILED');
    expect(task.trace).toContain(`replication slot '${config['slot.name']}' is invalidated (wal_status=lost)`);
    expect(task.trace).toMatch(/pg_drop_replication_slot|when_needed/);
  });

  it('a dropped slot fails the task naming it and the stored offset', { timeout: 60_000 }, async () => {
    const id = env.newId();
    const config = await streamOneRow(id, {});
    await sql(env.cluster, 'SELECT pg_drop_replication_slot($1)', [config['slot.name']]);
    await http('PUT', `${env.worker.url}/connectors/${id}/resume`);
    const task = await eventually(async () => {
      const t = await taskState(id);
      return t.state === 'FAILED' ? t : null;
    }, 20_000, 'the task FAILED');
    expect(task.trace).toContain(`the replication slot '${config['slot.name']}' does not exist`);
    expect(task.trace).toContain('snapshot.mode=when_needed');
  });

  it('under snapshot.mode=when_needed an invalidated slot is replaced and the table snapshotted again', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const config = await streamOneRow(id, { 'snapshot.mode': 'when_needed' });
    await invalidate(id, config['slot.name']!);
    await sql(env.cluster, `INSERT INTO ${id}_t VALUES (2, 'while lost')`);
    await http('PUT', `${env.worker.url}/connectors/${id}/resume`);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${id}_t`);
      return e.filter((x) => x.value?.op === 'r').length >= 2 ? e : null;
    }, 30_000, 'the new snapshot');
    // The row written while the slot was lost comes with the new snapshot.
    expect(events.filter((e) => e.value?.op === 'r').map((e) => e.value!.after!.v).sort()).toEqual(['before', 'while lost']);
    expect((await taskState(id)).state).toBe('RUNNING');
    const { rows } = await sql(env.cluster, 'SELECT wal_status FROM pg_replication_slots WHERE slot_name = $1', [config['slot.name']]);
    expect(rows[0]?.wal_status).not.toBe('lost');
    await sql(env.cluster, `INSERT INTO ${id}_t VALUES (3, 'after')`);
    await eventually(async () => (await changeEvents(env.dir, `${id}.public.${id}_t`)).some((e) => e.value?.op === 'c' && e.value.after!.v === 'after'), 20_000, 'streaming again');
  });
});
