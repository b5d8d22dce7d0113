/**
 * Debezium's column mappers (column.truncate.to.N.chars, column.mask.with.N.chars,
 * column.mask.hash[.v2].<algorithm>.with.salt.<salt>, column.propagate.source.type,
 * datatype.propagate.source.type) on a real Postgres, from the snapshot and from the stream.
 *
 * The expected values and schema parameters are what Debezium 3.6.1's Postgres connector wrote for
 * the same table, row and config (run once with bench/debezium), except two places where Debezium
 * is not consistent with itself and tsconnect writes its streamed form in both phases: a serial
 * column's type (3.6.1 says BIGSERIAL in the snapshot, INT8 streamed; later Debezium says BIGSERIAL
 * in both) and numeric without precision (snapshot: length 0 and no scale; streamed: 131089 and 0).
 */
import { describe, expect, it } from 'vitest';
import { http } from '../harness/worker-process.js';
import { cdcTestEnv, sql, topicRecords } from './pg-helpers.js';

const env = cdcTestEnv('cmap');

const COLUMNS = `
  id serial PRIMARY KEY,
  c_mask text, c_mask_int int4, c_hash varchar(10), c_hash_text text, c_hash2 text, c_hash2_short varchar(8),
  c_trunc text, c_trunc_vc varchar(5), c_trunc_vc20 varchar(20), c_trunc_bytea bytea, c_trunc_char char(6),
  c_null_mask text, c_null_hash text, c_null_trunc text,
  p_int4 int4, p_int8 int8 NOT NULL DEFAULT 7, p_num numeric(10,2), p_numx numeric, p_text text, p_vc varchar(30), p_char char(4),
  p_ts timestamptz(3), p_ts6 timestamp, p_date date, p_time time, p_bool bool, p_f4 float4, p_f8 float8, p_json jsonb,
  p_uuid uuid, p_arr int4[], p_bytea bytea, p_int2 int2, p_big bigserial,
  d_text text, d_vc varchar(12), d_num numeric(6,3)`;

const INSERT = `(c_mask, c_mask_int, c_hash, c_hash_text, c_hash2, c_hash2_short, c_trunc, c_trunc_vc, c_trunc_vc20, c_trunc_bytea, c_trunc_char,
  p_int4, p_num, p_numx, p_text, p_vc, p_char, p_ts, p_ts6, p_date, p_time, p_bool, p_f4, p_f8, p_json, p_uuid, p_arr, p_bytea, p_int2, d_text, d_vc, d_num) VALUES
  ('secret', 42, 'héllo€𝄞x', 'hello', 'hello', 'hello', 'abcdefgh', 'abcde', 'abcdefghijklmnop', '\\x0102030405060708', 'abcdef',
   1, 12.34, 5.5, 'txt', 'vc', 'ch', '2024-01-02 03:04:05.678+00', '2024-01-02 03:04:05', '2024-01-02', '03:04:05', true, 1.5, 2.5, '{"a":1}',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,2}', '\\x00ff', 3, 'dt', 'dvc', 1.234)`;

/** The row as it is when no mapper touches it (JsonConverter payload, Debezium's default modes). */
const PLAIN = {
  c_mask: 'secret', c_mask_int: 42, c_hash: 'héllo€𝄞x', c_hash_text: 'hello', c_hash2: 'hello', c_hash2_short: 'hello',
  c_trunc: 'abcdefgh', c_trunc_vc: 'abcde', c_trunc_vc20: 'abcdefghijklmnop', c_trunc_bytea: 'AQIDBAUGBwg=', c_trunc_char: 'abcdef',
  c_null_mask: null, c_null_hash: null, c_null_trunc: null,
  p_int4: 1, p_int8: 7, p_num: 'BNI=', p_numx: { scale: 1, value: 'Nw==' }, p_text: 'txt', p_vc: 'vc', p_char: 'ch  ',
  p_ts: '2024-01-02T03:04:05.678Z', p_ts6: 1704164645000000, p_date: 19724, p_time: 11045000000, p_bool: true, p_f4: 1.5, p_f8: 2.5,
  p_json: '{"a": 1}', p_uuid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', p_arr: [1, 2], p_bytea: 'AP8=', p_int2: 3,
  d_text: 'dt', d_vc: 'dvc', d_num: 'BNI=',
};

const TRUNCATED = ['id', 'c_trunc', 'c_trunc_vc', 'c_trunc_vc20', 'c_trunc_bytea', 'c_trunc_char', 'c_null_trunc'];
const TRUNCATE = { 'column.truncate.to.3.chars': 'public.%T.c_trunc,public.%T.c_trunc_vc,public.%T.c_trunc_vc20,public.%T.c_trunc_bytea,public.%T.c_trunc_char,public.%T.c_null_trunc,public.%T.id' };
const MASK = { 'column.mask.with.4.chars': 'public.%T.c_mask,public.%T.c_mask_int,public.%T.c_null_mask' };
const HASH = {
  'column.mask.hash.SHA-256.with.salt.CzQMA0cB5K': 'public.%T.c_hash,public.%T.c_hash_text,public.%T.c_null_hash',
  'column.mask.hash.v2.SHA-256.with.salt.CzQMA0cB5K': 'public.%T.c_hash2,public.%T.c_hash2_short',
};
const TRUNCATED_AND_MASKED = { c_mask: '****', c_trunc: 'abc', c_trunc_vc: 'abc', c_trunc_vc20: 'abc', c_trunc_bytea: 'AQID', c_trunc_char: 'abc', c_null_mask: '****' };
const DECIMALS = { p_num: { scale: '2', 'connect.decimal.precision': '10' }, d_num: { scale: '3', 'connect.decimal.precision': '6' } };

/** Debezium's source-type parameters: [type, length, scale] by column. */
const SOURCE_TYPES: Record<string, [string, number, number]> = {
  c_hash: ['VARCHAR', 10, 0], c_hash_text: ['TEXT', 2147483647, 0], c_hash2: ['TEXT', 2147483647, 0], c_hash2_short: ['VARCHAR', 8, 0],
  c_null_hash: ['TEXT', 2147483647, 0],
  p_int4: ['INT4', 10, 0], p_int8: ['INT8', 19, 0], p_num: ['NUMERIC', 10, 2], p_numx: ['NUMERIC', 131089, 0], p_text: ['TEXT', 2147483647, 0],
  p_vc: ['VARCHAR', 30, 0], p_char: ['BPCHAR', 4, 0], p_ts: ['TIMESTAMPTZ', 32, 3], p_ts6: ['TIMESTAMP', 29, 6], p_date: ['DATE', 13, 0],
  p_time: ['TIME', 15, 6], p_bool: ['BOOL', 1, 0], p_f4: ['FLOAT4', 8, 8], p_f8: ['FLOAT8', 17, 17], p_json: ['JSONB', 2147483647, 0],
  p_uuid: ['UUID', 2147483647, 0], p_arr: ['_INT4', 10, 0], p_bytea: ['BYTEA', 2147483647, 0], p_int2: ['INT2', 5, 0], p_big: ['BIGSERIAL', 19, 0],
  d_text: ['TEXT', 2147483647, 0], d_vc: ['VARCHAR', 12, 0], d_num: ['NUMERIC', 6, 3],
};

function sourceTypeParams(column: string): Record<string, string> {
  const [type, length, scale] = SOURCE_TYPES[column]!;
  return {
    ...(DECIMALS as Record<string, Record<string, string>>)[column],
    '__debezium.source.column.type': type, '__debezium.source.column.length': String(length),
    '__debezium.source.column.scale': String(scale), '__debezium.source.column.name': column,
  };
}

interface FieldSchema { field: string; parameters?: Record<string, string> }
interface Event { key: { schema: { fields: FieldSchema[] }; payload: { id: number } }; value: { schema: { fields: Array<{ field: string; fields?: FieldSchema[] }> }; payload: { op: string; after: Record<string, unknown> } } }

/** Deploys a connector with `mappers` over a fresh table; returns its snapshot event and a streamed one. */
async function snapshotAndStream(mappers: Record<string, string>): Promise<Event[]> {
  const id = env.newId();
  const table = `${id}_m`;
  await sql(env.cluster, `CREATE TABLE ${table} (${COLUMNS})`);
  await sql(env.cluster, `INSERT INTO ${table} ${INSERT}`);
  const config = Object.fromEntries(Object.entries(mappers).map(([k, v]) => [k.replace(/%T/g, table), v.replace(/%T/g, table)]));
  await env.deploy(id, config);
  const topic = `${id}.public.${table}`;
  const read = (n: number) => topicRecords(env.dir, topic, n);
  await read(1);
  await sql(env.cluster, `INSERT INTO ${table} ${INSERT}`);
  const records = await read(2);
  return records.map((r) => ({ key: JSON.parse(Buffer.from(r.key!).toString()), value: JSON.parse(Buffer.from(r.value!).toString()) }) as Event);
}

function afterParameters(e: Event): Record<string, Record<string, string>> {
  const after = e.value.schema.fields.find((f) => f.field === 'after')!;
  return Object.fromEntries(after.fields!.filter((f) => f.parameters).map((f) => [f.field, f.parameters!]));
}

describe('Postgres CDC column mappers', () => {
  it('truncates, masks and propagates source types as Debezium does, the first matching rule per column', async () => {
    const events = await snapshotAndStream({
      ...TRUNCATE, ...MASK, ...HASH,
      'column.propagate.source.type': 'public\\.%T\\.p_.*',
      'datatype.propagate.source.type': '.+\\.text,.+\\.varchar,.+\\.NUMERIC',
    });
    expect(events.map((e) => e.value.payload.op)).toEqual(['r', 'c']);
    for (const [i, e] of events.entries()) {
      // The hashed columns matched the datatype rule first, so they keep their values and get its parameters.
      expect(e.value.payload.after, e.value.payload.op).toEqual({ ...PLAIN, ...TRUNCATED_AND_MASKED, id: i + 1, p_big: i + 1 });
      const params: Record<string, Record<string, string>> = Object.fromEntries(TRUNCATED.map((c) => [c, { truncateLength: '3' }]));
      for (const c of ['c_mask', 'c_mask_int', 'c_null_mask']) params[c] = { masked: 'true' };
      for (const c of Object.keys(SOURCE_TYPES)) params[c] = sourceTypeParams(c);
      expect(afterParameters(e)).toEqual(params);
      // The key is never mapped.
      expect(e.key.payload).toEqual({ id: i + 1 });
      expect(e.key.schema.fields.map((f) => f.parameters)).toEqual([undefined]);
    }
  });

  it('hashes character columns with Debezium\'s v1 and v2 bytes, cut to the column length', async () => {
    const events = await snapshotAndStream({
      ...TRUNCATE, ...MASK, ...HASH,
      // Matched case-insensitively; a non-character column keeps its value but is marked.
      'column.mask.hash.sha-512.with.salt.pepper': 'PUBLIC.%T.P_TEXT,public.%T.p_char,public.%T.p_int4,public.%T.p_bytea',
      'column.mask.hash.MD5.with.salt.x': 'public.%T.d_vc',
      'column.mask.hash.v2.SHA-1.with.salt.x': 'public.%T.d_text',
    });
    for (const [i, e] of events.entries()) {
      expect(e.value.payload.after, e.value.payload.op).toEqual({
        ...PLAIN, ...TRUNCATED_AND_MASKED, id: i + 1, p_big: i + 1,
        c_hash: 'c1f948dc53',
        c_hash_text: 'b4d39ab0d198fb4cac8b2f023da74f670bcaf192dcc79b5d6361b7ae6b2fafdf',
        c_hash2: 'c4bf2f9ebc99b7f64add45103e81eb4ca483649064e3e1398b21f41786360c7b',
        c_hash2_short: 'c4bf2f9e',
        p_text: 'f5fb96b094affc728ac01e69edf0440084881c5bf1859b33dfb5996dbe36efc15ba3a77b109c3e9f95d0b998f24970b45c88336e57ec879ddb5b5757be5b08eb',
        p_char: 'f082',
        d_text: '7ee0256a66bff7d9093ee06aa2a3392b7dee82b6',
        d_vc: '4b74f6c6e738',
      });
      const params: Record<string, Record<string, string>> = { ...DECIMALS, ...Object.fromEntries(TRUNCATED.map((c) => [c, { truncateLength: '3' }])) };
      for (const c of ['c_mask', 'c_mask_int', 'c_null_mask', 'c_hash', 'c_hash_text', 'c_hash2', 'c_hash2_short', 'c_null_hash', 'p_text', 'p_char', 'p_int4', 'p_bytea', 'd_vc', 'd_text']) params[c] = { masked: 'true' };
      expect(afterParameters(e)).toEqual(params);
    }
  });

  it('rejects a hash algorithm it does not know, naming the key, in validate and on create', async () => {
    const id = env.newId();
    const key = 'column.mask.hash.SHA-999.with.salt.x';
    const config = { 'connector.class': 'io.debezium.connector.postgresql.PostgresConnector', 'topic.prefix': id, 'database.hostname': env.cluster.host, 'database.user': env.cluster.user, 'database.dbname': env.cluster.database, [key]: 'public.t.c' };
    const res = await http('PUT', `${env.worker.url}/connector-plugins/PostgresConnector/config/validate`, config);
    expect(res.status).toBe(200);
    const entry = (res.body.configs as Array<{ value: { name: string; errors: string[] } }>).find((c) => c.value.name === key);
    expect(entry?.value.errors[0]).toMatch(/Invalid hash algorithm 'SHA-999' in key column\.mask\.hash\.SHA-999\.with\.salt\.x/);
    const created = await env.post(id, { [key]: 'public.t.c' });
    expect(created.status).toBe(400);
    expect(JSON.stringify(created.body)).toContain("Invalid hash algorithm 'SHA-999'");
  });
});
