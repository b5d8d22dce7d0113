/**
 * Read-only incremental snapshots (read.only=true) against a real Postgres, as a user who may
 * write nothing: a role with REPLICATION and SELECT only, every transaction read-only by default,
 * no signal table, the snapshot asked for through the signal file. The table is read in chunks
 * while it changes, and its topic replayed in order ends at exactly the table's final state.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../harness/worker-process.js';
import { expectIncrementalConsistent, snapshotUnderChanges } from './incremental-churn.js';
import { cdcTestEnv, changeEvents, sql, type ChangeEvent } from './pg-helpers.js';

const env = cdcTestEnv('ro');

const keyId = (e: ChangeEvent) => (e.key as { id: number }).id;

/** The table, a role that can only read it and replicate, and a publication made for it by the superuser. */
async function setUp(id: string, rows: number): Promise<{ table: string; extra: Record<string, string>; signalFile: string }> {
  const table = `${id}_items`;
  const role = `${id}_reader`;
  await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text NOT NULL, n int)`);
  await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g, g FROM generate_series(1, ${rows}) g`);
  await sql(env.cluster, `CREATE ROLE ${role} LOGIN REPLICATION PASSWORD 'ro-secret'`);
  await sql(env.cluster, `GRANT SELECT ON ${table} TO ${role}`);
  await sql(env.cluster, `ALTER ROLE ${role} SET default_transaction_read_only = on`);
  await sql(env.cluster, `CREATE PUBLICATION ${id}_pub FOR TABLE ${table}`);
  const signalFile = join(env.dir, `${id}-signals.txt`);
  return {
    table,
    signalFile,
    extra: {
      'database.user': role,
      'database.password': 'ro-secret',
      'publication.name': `${id}_pub`,
      'publication.autocreate.mode': 'disabled',
      'snapshot.mode': 'no_data',
      'read.only': 'true',
      'signal.enabled.channels': 'file',
      'signal.file': signalFile,
      'signal.poll.interval.ms': '200',
      'incremental.snapshot.chunk.size': '100',
    },
  };
}

async function requestSnapshot(file: string, table: string): Promise<void> {
  await appendFile(file, `${JSON.stringify({ id: 'ro-1', type: 'execute-snapshot', data: { 'data-collections': [`public.${table}`], type: 'INCREMENTAL' } })}\n`);
}

describe('Postgres CDC read-only incremental snapshots', () => {
  it('reads a table in chunks while it changes, writing nothing; replaying the topic gives the final table', { timeout: 120_000 }, async () => {
    const id = env.newId();
    const ROWS = 5000;
    const { table, extra, signalFile } = await setUp(id, ROWS);
    await env.deploy(id, extra);
    await requestSnapshot(signalFile, table);
    const topic = `${id}.public.${table}`;
    const events = await snapshotUnderChanges(env, table, ROWS, topic);
    await expectIncrementalConsistent(env, events, table, ROWS);
    expect(env.worker.output()).not.toMatch(/read-only transaction/);
  });

  it('finishes on an idle database: the server is asked where the stream is', { timeout: 60_000 }, async () => {
    const id = env.newId();
    const { table, extra, signalFile } = await setUp(id, 1000);
    await env.deploy(id, extra);
    const started = Date.now();
    await requestSnapshot(signalFile, table);
    const topic = `${id}.public.${table}`;
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, topic);
      return e.length >= 1000 ? e : null;
    }, 30_000, 'every row');
    // Ten chunks, each waiting for a keepalive, not for the 10 s status interval.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(events.map(keyId)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(events.every((e) => e.value?.op === 'r' && e.value.source.snapshot === 'incremental')).toBe(true);
  });
});
