/**
 * A transaction the stream has sent but a chunk's read cannot see yet. Postgres writes a commit to
 * the WAL (which logical decoding sends) before the transaction becomes visible to other sessions;
 * with synchronous replication it stays invisible until the standby confirms. Streamed before the
 * chunk's window opened, such a change is not in the window, and the read returns the row as it
 * was before it: a stale `r` event after the newer change. The harness holds that state open with
 * a synchronous standby that never comes (releasing every other commit), then lets the transaction go.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { eventually } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, sql, type ChangeEvent } from './pg-helpers.js';

const env = cdcTestEnv('incvis');
const ROWS = 50;
const HELD = 25;
const keyId = (e: ChangeEvent) => (e.key as { id: number }).id;

describe('Postgres CDC incremental snapshots and commits not yet visible', () => {
  for (const mode of ['incremental', 'incremental, read.only=true', 'blocking'] as const) {
    const readOnly = mode === 'incremental, read.only=true';
    it(`never reads a row older than a change already streamed (${mode})`, { timeout: 90_000 }, async () => {
      const id = env.newId();
      const table = `${id}_items`;
      const signals = `${id}sig`;
      const signalFile = join(env.dir, `${id}-signals.txt`);
      await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text NOT NULL, n int)`);
      await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g, g FROM generate_series(1, ${ROWS}) g`);
      await sql(env.cluster, `CREATE TABLE ${signals} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))`);
      await env.deploy(id, {
        'snapshot.mode': 'no_data',
        'incremental.snapshot.chunk.size': '100',
        ...(readOnly
          ? { 'read.only': 'true', 'signal.enabled.channels': 'file', 'signal.file': signalFile, 'signal.poll.interval.ms': '200' }
          : { 'signal.data.collection': `public.${signals}` }),
      });
      const topic = `${id}.public.${table}`;
      // Commits wait for a synchronous standby that never connects: written to the WAL, streamed, invisible.
      await sql(env.cluster, "ALTER SYSTEM SET synchronous_standby_names = 'tsconnect_absent_standby'");
      await sql(env.cluster, 'SELECT pg_reload_conf()');
      const held = new pg.Client({ connectionString: env.cluster.url('postgres') });
      await held.connect();
      try {
        const pid = (await held.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
        await held.query('SET synchronous_commit = on');
        // A reload reaches each session on its own time: wait until this one has it.
        await eventually(async () => (await held.query('SHOW synchronous_standby_names')).rows[0].synchronous_standby_names === 'tsconnect_absent_standby', 10_000, 'the held session to see synchronous_standby_names');
        const update = held.query(`UPDATE ${table} SET n = n + 100 WHERE id = ${HELD}`).catch(() => undefined);
        await eventually(async () => (await sql(env.cluster, 'SELECT wait_event FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]?.wait_event === 'SyncRep', 10_000, 'the update waiting for the standby');
        await eventually(async () => (await changeEvents(env.dir, topic)).some((e) => e.value?.op === 'u' && keyId(e) === HELD), 20_000, 'the held update streamed');
        // The snapshot starts while the update is streamed but not visible to any read.
        const request = { 'data-collections': [`public.${table}`], type: mode === 'blocking' ? 'BLOCKING' : 'INCREMENTAL' };
        if (readOnly) await writeFile(signalFile, `${JSON.stringify({ id: 's1', type: 'execute-snapshot', data: request })}\n`);
        else await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s1', 'execute-snapshot', $1)`, [JSON.stringify(request)]);
        // The connector's own window rows wait for the standby too (it commits them with
        // synchronous_commit=on): let every commit but the held one go, for 3 s.
        const until = Date.now() + 3000;
        while (Date.now() < until) {
          await sql(env.cluster, "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE wait_event = 'SyncRep' AND pid <> $1", [pid]);
          await new Promise((r) => setTimeout(r, 50));
        }
        // Let it go: the commit stands (the wait is cancelled, not the transaction) and becomes visible.
        await sql(env.cluster, 'SELECT pg_cancel_backend($1)', [pid]);
        await update;
      } finally {
        await held.end();
        await sql(env.cluster, 'ALTER SYSTEM RESET synchronous_standby_names');
        await sql(env.cluster, 'SELECT pg_reload_conf()');
      }
      const events = await eventually(async () => {
        const e = await changeEvents(env.dir, topic);
        return e.some((x) => x.value?.op === 'r' && keyId(x) === ROWS) ? e : null;
      }, 30_000, 'the chunk read');
      // Every row once; the held row, if read, as the update left it: never n = 25 after n = 125.
      const reads = events.filter((e) => e.value?.op === 'r');
      expect(reads.map(keyId).sort((a, b) => a - b)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1).filter((k) => k !== HELD || reads.some((r) => keyId(r) === HELD)));
      const heldValues = events.filter((e) => keyId(e) === HELD).map((e) => `${e.value!.op}:${(e.value!.after as { n: number }).n}`);
      expect(heldValues).not.toContain(`r:${HELD}`);
      expect(heldValues[0]).toBe(`u:${HELD + 100}`);
      // It got there by reading again once the update was visible.
      expect(env.worker.output()).toMatch(mode === 'blocking'
        ? /blocking snapshot s1: transaction \d+ was streamed but is not visible yet/
        : new RegExp(`incremental snapshot of public\\.${table}: transaction \\d+ was streamed before the chunk's window opened but its read could not see it yet`));
    });
  }
});
