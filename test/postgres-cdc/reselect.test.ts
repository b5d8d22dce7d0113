/**
 * Debezium's reselect post-processor against a real Postgres: an update that leaves a TOASTed
 * column unchanged carries the placeholder; with post.processors=reselector the column is read
 * again by key and the event carries the value (column mappers applied, as to any value).
 */
import { describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, connectorConfig, sql } from './pg-helpers.js';

const env = cdcTestEnv('resel');

const RESELECT = {
  'post.processors': 'reselector',
  'reselector.type': 'io.debezium.processors.reselect.ReselectColumnsPostProcessor',
};

/** A row whose doc and doc2 are stored out of line (TOAST): random hex, 12,800 characters each. */
async function toastedTable(table: string): Promise<string> {
  await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, n int, doc text, doc2 text)`);
  const big = (await sql(env.cluster, `SELECT string_agg(md5(g::text || random()::text), '') AS v FROM generate_series(1, 400) g`)).rows[0].v as string;
  await sql(env.cluster, `INSERT INTO ${table} VALUES (1, 0, $1, $1)`, [big]);
  return big;
}

async function updateEvent(id: string, table: string): Promise<Record<string, unknown>> {
  await sql(env.cluster, `UPDATE ${table} SET n = 1 WHERE id = 1`);
  const events = await eventually(async () => {
    const e = await changeEvents(env.dir, `${id}.public.${table}`);
    return e.some((x) => x.value?.op === 'u') ? e : null;
  }, 20000, 'the update event');
  return events.find((x) => x.value?.op === 'u')!.value!.after!;
}

describe('Postgres CDC reselect post-processor', () => {
  it('without it, an unchanged TOAST column is the placeholder', async () => {
    const id = env.newId();
    const table = `${id}_t`;
    await toastedTable(table);
    await env.deploy(id, { 'snapshot.mode': 'no_data' });
    const after = await updateEvent(id, table);
    expect(after).toMatchObject({ id: 1, n: 1, doc: '__debezium_unavailable_value', doc2: '__debezium_unavailable_value' });
  });

  it('reads the unchanged TOAST columns again by key, through the column mappers, only those it selects', async () => {
    const id = env.newId();
    const table = `${id}_t`;
    const big = await toastedTable(table);
    await env.deploy(id, {
      'snapshot.mode': 'no_data', ...RESELECT,
      'reselector.reselect.columns.include.list': `PUBLIC\\.${table}:doc,public\\.${table}:doc2`,
      // Longer than the 28-character placeholder: a mapper that changes the placeholder hides it
      // from the reselector, in Debezium as here.
      'column.truncate.to.40.chars': `public\\.${table}\\.doc2`,
    });
    const after = await updateEvent(id, table);
    expect(after).toEqual({ id: 1, n: 1, doc: big, doc2: big.slice(0, 40) });

    const id2 = env.newId();
    const table2 = `${id2}_t`;
    await toastedTable(table2);
    await env.deploy(id2, { 'snapshot.mode': 'no_data', ...RESELECT, 'reselector.reselect.columns.exclude.list': `public\\.${table2}:doc2` });
    const after2 = await updateEvent(id2, table2);
    expect(after2.doc).not.toBe('__debezium_unavailable_value');
    expect(after2.doc2).toBe('__debezium_unavailable_value');
  });

  it('refuses a post processor it does not have, naming the key', async () => {
    const id = env.newId();
    const config = { name: id, 'connector.class': 'io.debezium.connector.postgresql.PostgresConnector', ...connectorConfig(env.cluster, id, { 'post.processors': 'mine', 'mine.type': 'com.example.Mine' }) };
    const res = await http('PUT', `${env.worker.url}/connector-plugins/PostgresConnector/config/validate`, config);
    const errors = (res.body.configs as Array<{ value: { name: string; errors: string[] } }>).filter((c) => c.value.errors.length).map((c) => [c.value.name, c.value.errors]);
    expect(errors).toEqual([['mine.type', ['mine.type: only io.debezium.processors.reselect.ReselectColumnsPostProcessor is supported']]]);
  });
});
