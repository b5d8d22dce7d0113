/**
 * The workload of the incremental snapshot tests (signal table and read-only): a table of rows
 * 1..rows (`id int PRIMARY KEY, v text, n int`, n = id) read in chunks while it changes, and the
 * checks a user replaying its topic would make.
 */
import pg from 'pg';
import { expect } from 'vitest';
import { eventually } from '../harness/worker-process.js';
import { changeEvents, replayedAndFinal, sql, type CdcTestEnv, type ChangeEvent } from './pg-helpers.js';

const keyId = (e: ChangeEvent) => (e.key as { id: number }).id;

/**
 * Changes the table until the snapshot's last chunk (the r event of row `rows`, which is never
 * changed) is out, then inserts a marker row and returns the topic's events up to it: updates,
 * inserts, deletes and a key change across the table, and a row of every chunk changing all the
 * time (not a fixed count: on a loaded machine that ran out before the chunks started), so changes
 * land while chunks are read and waiting.
 */
export async function snapshotUnderChanges(env: CdcTestEnv, table: string, rows: number, topic: string): Promise<ChangeEvent[]> {
  const lastChunk = () => eventually(async () => (await changeEvents(env.dir, topic)).some((e) => e.value?.op === 'r' && keyId(e) === rows), 60_000, 'the last chunk');
  const mixed = (async () => {
    for (let i = 1; i <= 300; i++) {
      const row = ((i * 37) % (rows - 1)) + 1;
      if (i % 10 === 0) await sql(env.cluster, `DELETE FROM ${table} WHERE id = $1`, [row]);
      else if (i % 3 === 0) await sql(env.cluster, `INSERT INTO ${table} VALUES ($1, 'new', $2)`, [rows + i, i]);
      else if (i === 7) await sql(env.cluster, `UPDATE ${table} SET id = $1 WHERE id = $2`, [rows + 1000, row]);
      else await sql(env.cluster, `UPDATE ${table} SET v = 'u' || $2::int, n = n + 1 WHERE id = $1`, [row, i]);
    }
  })();
  let done = false;
  const hot = (async () => {
    const client = new pg.Client({ connectionString: env.cluster.url('postgres') });
    await client.connect();
    try {
      for (let k = 0; !done; k++) await client.query(`UPDATE ${table} SET n = n + 1 WHERE id % 100 = $1 AND id < $2`, [k % 100, rows]);
    } finally {
      await client.end();
    }
  })();
  await mixed;
  await lastChunk().finally(() => {
    done = true;
  });
  await hot;
  await sql(env.cluster, `INSERT INTO ${table} VALUES (999999, 'marker', 0)`);
  return eventually(async () => {
    const e = await changeEvents(env.dir, topic);
    return e.some((x) => x.value?.op === 'c' && keyId(x) === 999999) ? e : null;
  }, 20_000, 'the marker');
}

/**
 * What the events must show: every row read once as `incremental` or streamed; rows changed while
 * their chunk was under way not read (the change went out instead); nothing older after a row read
 * (n only grows for rows 1..rows until a delete ends a row's life, so its values in the topic never
 * go down); and the topic replayed in order equals the table.
 */
export async function expectIncrementalConsistent(env: CdcTestEnv, events: ChangeEvent[], table: string, rows: number): Promise<void> {
  const reads = events.filter((e) => e.value?.op === 'r');
  expect(reads.every((e) => e.value!.source.snapshot === 'incremental')).toBe(true);
  expect(new Set(reads.map(keyId)).size).toBe(reads.length);
  const streamed = new Set(events.filter((e) => e.value && e.value.op !== 'r').map(keyId));
  const readIds = new Set(reads.map(keyId));
  const missing = Array.from({ length: rows }, (_, i) => i + 1).filter((k) => !readIds.has(k) && !streamed.has(k));
  expect(missing).toEqual([]);
  const deleted = new Set(events.filter((e) => e.value?.op === 'd').map(keyId));
  expect([...streamed].filter((k) => k <= rows && !readIds.has(k) && !deleted.has(k)).length).toBeGreaterThan(0);
  const lastN = new Map<number, number>();
  const regressions: string[] = [];
  for (const e of events) {
    const k = keyId(e);
    if (k > rows) continue;
    if (!e.value || e.value.op === 'd') {
      lastN.delete(k);
      continue;
    }
    const n = (e.value.after as { n: number }).n;
    if (n < (lastN.get(k) ?? -Infinity)) regressions.push(`row ${k}: n ${lastN.get(k)} then ${n} (${e.value.op})`);
    lastN.set(k, n);
  }
  expect(regressions).toEqual([]);
  const { replayed, final } = await replayedAndFinal(env.cluster, events, table);
  expect(replayed).toEqual(final);
}
