/**
 * Debezium's transforms on a real pipeline: Postgres -> connector -> ExtractChangedRecordState ->
 * ExtractNewRecordState -> JsonConverter -> the log, configured with Debezium's keys.
 */
import { describe, expect, it } from 'vitest';
import { readTopic } from '../harness/read-topic.js';
import { eventually } from '../harness/worker-process.js';
import { cdcTestEnv, sql } from './pg-helpers.js';

const env = cdcTestEnv('smt');

describe('Postgres CDC with Debezium\'s transforms', () => {
  it('unwraps rows with add.fields and rewritten deletes, and keeps only what an update changed', async () => {
    const id = env.newId();
    await sql(env.cluster, `CREATE TABLE ${id}_t (id int PRIMARY KEY, email text, note text)`);
    await sql(env.cluster, `ALTER TABLE ${id}_t REPLICA IDENTITY FULL`);
    await env.deploy(id, {
      'snapshot.mode': 'no_data',
      transforms: 'changed,unwrap',
      'transforms.changed.type': 'io.debezium.transforms.ExtractChangedRecordState',
      'transforms.changed.header.unchanged.name': 'Unchanged',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
      'transforms.unwrap.add.fields': 'op,table',
      'transforms.unwrap.delete.tombstone.handling.mode': 'rewrite',
      'transforms.unwrap.drop.fields.header.name': 'Unchanged',
    });
    await sql(env.cluster, `INSERT INTO ${id}_t VALUES (1, 'a@x', 'hi')`);
    await sql(env.cluster, `UPDATE ${id}_t SET email = 'b@x' WHERE id = 1`);
    await sql(env.cluster, `DELETE FROM ${id}_t WHERE id = 1`);
    const records = await eventually(async () => {
      const r = await readTopic(env.dir, `${id}.public.${id}_t`).catch(() => []);
      return r.length >= 3 ? r : null;
    }, 20000, 'three unwrapped records');
    const values = records.map((r) => JSON.parse(Buffer.from(r.value!).toString()).payload);
    expect(values).toEqual([
      { id: 1, email: 'a@x', note: 'hi', __deleted: 'false', __op: 'c', __table: `${id}_t` },
      // note was unchanged and is optional: dropped; id is required and stays.
      { id: 1, email: 'b@x', __deleted: 'false', __op: 'u', __table: `${id}_t` },
      { id: 1, email: 'b@x', note: 'hi', __deleted: 'true', __op: 'd', __table: `${id}_t` },
    ]);
    // The worker's default header converter (SimpleHeaderConverter) writes the lists as Kafka's Values do.
    const unchanged = records.map((r) => r.headers.find((h) => h.key === 'Unchanged'));
    expect(unchanged.map((h) => (h?.value ? Buffer.from(h.value).toString() : null))).toEqual(['[]', '["id","note"]', '[]']);
  });
});
