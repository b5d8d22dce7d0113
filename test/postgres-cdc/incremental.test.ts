/**
 * Incremental snapshots through the signal table, against a real Postgres: a table read in chunks
 * while it changes, whose topic replayed in order ends at exactly the table's final state; and
 * stop-snapshot ending one.
 */
import { describe, expect, it } from 'vitest';
import { eventually, http, startWorker } from '../harness/worker-process.js';
import { expectIncrementalConsistent, snapshotUnderChanges } from './incremental-churn.js';
import { cdcTestEnv, changeEvents, sql, type ChangeEvent } from './pg-helpers.js';

const env = cdcTestEnv('inc');
const ROWS = 5000;

async function setUp(id: string): Promise<{ table: string; signals: string }> {
  const table = `${id}_items`;
  const signals = `${id}sig`;
  await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text NOT NULL, n int)`);
  await sql(env.cluster, `INSERT INTO ${table} SELECT g, 'v' || g, g FROM generate_series(1, ${ROWS}) g`);
  await sql(env.cluster, `CREATE TABLE ${signals} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))`);
  return { table, signals };
}

const keyId = (e: ChangeEvent) => (e.key as { id: number }).id;

describe('Postgres CDC incremental snapshots', () => {
  it('reads a table in chunks while it changes; replaying the topic gives the final table', { timeout: 120_000 }, async () => {
    const id = env.newId();
    const { table, signals } = await setUp(id);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'signal.data.collection': `public.${signals}`, 'incremental.snapshot.chunk.size': '100' });
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s1', 'execute-snapshot', $1)`, [JSON.stringify({ 'data-collections': [`public.${table}`], type: 'INCREMENTAL' })]);
    const topic = `${id}.public.${table}`;
    const events = await snapshotUnderChanges(env, table, ROWS, topic);
    await expectIncrementalConsistent(env, events, table, ROWS);
    // The signal and the window markers are events of the signal table's topic, as in Debezium.
    const signalRows = (await changeEvents(env.dir, `${id}.public.${signals}`)).map((e) => (e.value!.after as { type: string }).type);
    expect(signalRows[0]).toBe('execute-snapshot');
    expect(signalRows.length).toBeGreaterThanOrEqual(1 + 2 * (ROWS / 100));
    expect(new Set(signalRows.slice(1))).toEqual(new Set(['snapshot-window-open', 'snapshot-window-close']));
  });

  it('stop-snapshot ends an incremental snapshot under way', { timeout: 60_000 }, async () => {
    const id = env.newId();
    const { table, signals } = await setUp(id);
    // One row a chunk: the snapshot is still far from done when the stop comes.
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'signal.data.collection': `public.${signals}`, 'incremental.snapshot.chunk.size': '1' });
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s1', 'execute-snapshot', $1)`, [JSON.stringify({ 'data-collections': [`public.${table}`] })]);
    const topic = `${id}.public.${table}`;
    await eventually(async () => (await changeEvents(env.dir, topic)).length >= 50, 20_000, 'some chunks');
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s2', 'stop-snapshot', $1)`, [JSON.stringify({ type: 'incremental' })]);
    await sql(env.cluster, `INSERT INTO ${table} VALUES (999999, 'marker', 0)`);
    const atMarker = await eventually(async () => {
      const e = await changeEvents(env.dir, topic);
      return e.some((x) => x.value?.op === 'c') ? e : null;
    }, 20_000, 'the marker');
    await new Promise((r) => setTimeout(r, 2000));
    const after = await changeEvents(env.dir, topic);
    const readsAtMarker = atMarker.filter((e) => e.value?.op === 'r').length;
    expect(after.filter((e) => e.value?.op === 'r').length).toBe(readsAtMarker);
    expect(readsAtMarker).toBeLessThan(ROWS);
    // Nothing follows the marker: the stop was handled before it.
    expect(after[after.length - 1]!.value!.op).toBe('c');
  });

  it('carries on after a kill -9 mid-snapshot from the last chunk stored', { timeout: 90_000 }, async () => {
    const id = env.newId();
    const { table, signals } = await setUp(id);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'signal.data.collection': `public.${signals}`, 'incremental.snapshot.chunk.size': '20' });
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s1', 'execute-snapshot', $1)`, [JSON.stringify({ 'data-collections': [`public.${table}`] })]);
    const topic = `${id}.public.${table}`;
    // Paused part way, so the crash comes mid-snapshot; a pause lives in memory only.
    await eventually(async () => (await changeEvents(env.dir, topic)).length >= 200, 20_000, 'some chunks');
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s2', 'pause-snapshot', NULL)`);
    // A stored offset says how far the snapshot got: Debezium's keys, the last key a JSON array.
    const storedKey = await eventually(async () => {
      const offset = (await http('GET', `${env.worker.url}/connectors/${id}/offsets`)).body.offsets?.[0]?.offset as Record<string, string> | undefined;
      return offset?.incremental_snapshot_primary_key ? Number((JSON.parse(offset.incremental_snapshot_primary_key) as string[])[0]) : null;
    }, 20_000, 'a stored offset with snapshot progress');
    const offset = (await http('GET', `${env.worker.url}/connectors/${id}/offsets`)).body.offsets[0].offset as Record<string, string>;
    expect(JSON.parse(offset.incremental_snapshot_collections!)).toEqual([expect.objectContaining({ incremental_snapshot_collections_id: `public.${table}` })]);
    expect(JSON.parse(offset.incremental_snapshot_maximum_key!)).toEqual([String(ROWS)]);
    await env.worker.kill();
    const atCrash = (await changeEvents(env.dir, topic)).length;
    expect(atCrash).toBeLessThan(ROWS);
    env.worker = await startWorker({ dir: env.dir });
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, topic);
      return new Set(e.map(keyId)).size >= ROWS ? e : null;
    }, 60_000, 'every row after the restart');
    expect(events.every((e) => e.value?.op === 'r' && e.value.source.snapshot === 'incremental')).toBe(true);
    // At least once, from the last chunk stored: not from the start of the table.
    expect(keyId(events[atCrash]!)).toBeGreaterThan(storedKey);
    expect(keyId(events[atCrash]!)).toBeLessThanOrEqual(atCrash + 1);
  });
  it('data-collections may be regexes over the captured tables, as Debezium takes them', { timeout: 60_000 }, async () => {
    const id = env.newId();
    const { table, signals } = await setUp(id);
    await sql(env.cluster, `CREATE TABLE ${id}_other (id int PRIMARY KEY, v text)`);
    await sql(env.cluster, `INSERT INTO ${id}_other SELECT g, 'o' || g FROM generate_series(1, 300) g`);
    await sql(env.cluster, `CREATE TABLE ${id}_skip (id int PRIMARY KEY)`);
    await sql(env.cluster, `INSERT INTO ${id}_skip VALUES (1)`);
    await env.deploy(id, { 'snapshot.mode': 'no_data', 'signal.data.collection': `public.${signals}`, 'incremental.snapshot.chunk.size': '1000' });
    // Matches _items and _other (any case), not _skip.
    await sql(env.cluster, `INSERT INTO ${signals} VALUES ('s1', 'execute-snapshot', $1)`, [JSON.stringify({ 'data-collections': [`PUBLIC\\.${id}_(ITEMS|other)`], type: 'incremental' })]);
    const reads = async (t: string) => (await changeEvents(env.dir, `${id}.public.${t}`)).filter((e) => e.value?.op === 'r').length;
    await eventually(async () => (await reads(table)) === ROWS && (await reads(`${id}_other`)) === 300, 30_000, 'both tables read');
    expect(await reads(`${id}_skip`)).toBe(0);
    expect(env.worker.output()).toMatch(new RegExp(`matches public\\.${id}_items, public\\.${id}_other|matches public\\.${id}_other, public\\.${id}_items`));
  });
});
