/**
 * Partitioned tables. Without publish_via_partition_root, Postgres sends a partition's changes under
 * the partition's own name: Debezium (3.6.1, checked with bench/debezium) writes them to
 * `<prefix>.<schema>.<partition>` topics, and so does tsconnect. Debezium's snapshot reads the root
 * and its partitions both, so every row comes twice; tsconnect reads the partitions only, as the
 * stream will carry them. With publish.via.partition.root=true everything goes to the root's topic.
 */
import { describe, expect, it } from 'vitest';
import { readTopic } from '../harness/read-topic.js';
import { eventually } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, sql } from './pg-helpers.js';

const env = cdcTestEnv('part');

/** A table partitioned by region (eu, us) with one row in each, the id the key. */
async function partitioned(id: string): Promise<string> {
  const t = `${id}_orders`;
  await sql(env.cluster, `CREATE TABLE ${t} (id int, region text, v text, PRIMARY KEY (id, region)) PARTITION BY LIST (region)`);
  await sql(env.cluster, `CREATE TABLE ${t}_eu PARTITION OF ${t} FOR VALUES IN ('eu')`);
  await sql(env.cluster, `CREATE TABLE ${t}_us PARTITION OF ${t} FOR VALUES IN ('us')`);
  await sql(env.cluster, `INSERT INTO ${t} VALUES (1, 'eu', 'a'), (2, 'us', 'b')`);
  return t;
}

/** Snapshot, two inserts, and a row moved from eu to us (a delete there, an insert here). */
async function writeAfterSnapshot(id: string, t: string, snapshotTopic: string): Promise<void> {
  await eventually(async () => (await readTopic(env.dir, `${id}.public.${snapshotTopic}`).catch(() => [])).length >= 1, 20000, 'the snapshot');
  await sql(env.cluster, `INSERT INTO ${t} VALUES (3, 'eu', 'c'), (4, 'us', 'd')`);
  await sql(env.cluster, `UPDATE ${t} SET region = 'us' WHERE id = 3`);
}

const ops = (events: Awaited<ReturnType<typeof changeEvents>>) => events.map((e) => (e.value ? `${e.value.op}${(e.key as { id: number }).id}` : `tombstone${(e.key as { id: number }).id}`));

describe('Postgres CDC partitioned tables', () => {
  it('writes each partition\'s rows and changes to its own topic, each row once', async () => {
    const id = env.newId();
    const t = await partitioned(id);
    await env.deploy(id);
    await writeAfterSnapshot(id, t, `${t}_eu`);
    const eu = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${t}_eu`);
      return e.length >= 4 ? e : null;
    }, 20000, 'the eu partition events');
    const us = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${t}_us`);
      return e.length >= 3 ? e : null;
    }, 20000, 'the us partition events');
    expect(ops(eu)).toEqual(['r1', 'c3', 'd3', 'tombstone3']);
    expect(ops(us)).toEqual(['r2', 'c4', 'c3']);
    expect(us[2]!.value!.after).toEqual({ id: 3, region: 'us', v: 'c' });
    expect(await readTopic(env.dir, `${id}.public.${t}`).catch(() => [])).toEqual([]);
    // A partition made while the connector runs is published and captured, no restart.
    await sql(env.cluster, `CREATE TABLE ${t}_ap PARTITION OF ${t} FOR VALUES IN ('ap')`);
    await sql(env.cluster, `INSERT INTO ${t} VALUES (5, 'ap', 'e')`);
    const ap = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${t}_ap`);
      return e.length >= 1 ? e : null;
    }, 20000, 'the new partition\'s event');
    expect(ops(ap)).toEqual(['c5']);
  });

  it('with publish.via.partition.root=true, writes the whole table to the root\'s topic', async () => {
    const id = env.newId();
    const t = await partitioned(id);
    await env.deploy(id, { 'publish.via.partition.root': 'true' });
    const pub = await sql(env.cluster, 'SELECT pubviaroot FROM pg_publication WHERE pubname = $1', [`pub_${id}`]);
    expect(pub.rows[0]).toEqual({ pubviaroot: true });
    await writeAfterSnapshot(id, t, t);
    const events = await eventually(async () => {
      const e = await changeEvents(env.dir, `${id}.public.${t}`);
      return e.length >= 7 ? e : null;
    }, 20000, 'the root table events');
    // Postgres moves a row between partitions as a delete and an insert, under the root's name here.
    expect(ops(events)).toEqual(['r1', 'r2', 'c3', 'c4', 'd3', 'tombstone3', 'c3']);
    expect(events.at(-1)!.value!.after).toEqual({ id: 3, region: 'us', v: 'c' });
    for (const leaf of ['eu', 'us']) expect(await readTopic(env.dir, `${id}.public.${t}_${leaf}`).catch(() => [])).toEqual([]);
  });

  it('says so when the filter names a partitioned table but none of its partitions', async () => {
    const id = env.newId();
    const t = await partitioned(id);
    await env.deploy(id, { 'table.include.list': `public\\.${t}` });
    await eventually(async () => env.worker.output().includes(`table public.${t} is partitioned and none of its partitions is captured`), 20000, 'the warning');
  });
});
