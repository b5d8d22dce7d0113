/**
 * tsconnect's events beside Debezium's own for the same table and row: fixtures/debezium-types.json
 * holds what Debezium 3.6.1's Postgres connector wrote for fixtures/debezium-types.sql (extension
 * types, ranges, arrays, infinities, NaN, zero-precision times...), from its snapshot and its stream.
 * Every field schema and value must match, except the few where Debezium is wrong or disagrees with
 * itself, listed below with what tsconnect writes instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cdcTestEnv, sql, topicRecords } from './pg-helpers.js';

const env = cdcTestEnv('dbzt');
const FIXTURES = join(import.meta.dirname, 'fixtures');

interface Field { field: string; [k: string]: unknown }
interface Phase { fields: Field[]; after: Record<string, unknown> }
interface Reference { config: Record<string, string>; snapshot: Phase; stream: Phase }
const load = (file: string) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Reference;

/**
 * Where tsconnect writes something else than Debezium 3.6.1, on purpose: phase -> column -> tsconnect's value.
 * - A 2-D array: Debezium writes Java object names ("[Ljava.lang.String;@..."); tsconnect null elements.
 * - A `name` column: Debezium's stream loses it (null); tsconnect keeps the text.
 * - Date 'infinity': Debezium's JDBC snapshot reads another day than its own stream; tsconnect writes
 *   the streamed value in both. With time.precision.mode=connect its stand-ins for infinity are
 *   beyond a JavaScript Date: null (Debezium: -2147472692 days, -9223372036832400 ms).
 */
const DEVIATIONS: Record<string, Record<'snapshot' | 'stream', Record<string, unknown>>> = {
  'debezium-types.json': {
    snapshot: { c_date_inf: -2147472692, c_text_arr2d: [null, null] },
    stream: { c_text_arr2d: [null, null], c_name: 'nm' },
  },
  'debezium-types-modes.json': {
    snapshot: { c_date_inf: null, c_ts_inf: null, c_text_arr2d: [null, null] },
    stream: { c_date_inf: null, c_ts_inf: null, c_text_arr2d: [null, null], c_name: 'nm' },
  },
};

describe('Postgres CDC beside Debezium 3.6.1', () => {
  it.each(Object.keys(DEVIATIONS))('writes the schemas and values Debezium wrote for the same table, snapshot and stream (%s)', async (file) => {
    const reference = load(file);
    const id = env.newId();
    const table = `${id}_tt`;
    const statements = readFileSync(join(FIXTURES, 'debezium-types.sql'), 'utf8').split(';\n').filter((s) => s.trim()).map((s) => s.replace(/public\.tt/g, `public.${table}`));
    for (const s of statements) await sql(env.cluster, s);
    await env.deploy(id, reference.config);
    const topic = `${id}.public.${table}`;
    await topicRecords(env.dir, topic, 1);
    await sql(env.cluster, statements.at(-1)!.replace('VALUES (1,', 'VALUES (2,'));
    const records = await topicRecords(env.dir, topic, 2);
    for (const [i, phase] of (['snapshot', 'stream'] as const).entries()) {
      const value = JSON.parse(Buffer.from(records[i]!.value!).toString()) as { schema: { fields: Field[] }; payload: { after: Record<string, unknown> } };
      const fields = value.schema.fields.find((f) => f.field === 'after')!.fields as Field[];
      expect(fields, `${phase}: field schemas`).toEqual(reference[phase].fields);
      const want = { ...reference[phase].after, ...DEVIATIONS[file]![phase] };
      for (const [column, v] of Object.entries(want)) expect(value.payload.after[column], `${phase}: ${column}`).toEqual(v);
      expect(Object.keys(value.payload.after)).toEqual(Object.keys(reference[phase].after));
      // The source block of Debezium 3.5+, origin fields included.
      const source = value.schema.fields.find((f) => f.field === 'source')!.fields as Field[];
      expect(source.map((f) => f.field)).toEqual(['version', 'connector', 'name', 'ts_ms', 'snapshot', 'db', 'sequence', 'ts_us', 'ts_ns', 'schema', 'table', 'txId', 'lsn', 'xmin', 'origin', 'origin_lsn']);
    }
  });
});
