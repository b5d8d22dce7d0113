/**
 * Column types through the whole path a user sees: a real Postgres table, the connector deployed
 * over REST, and the JsonConverter envelope in the topic. Values and schema names are the ones
 * Debezium's Postgres connector documents for its default modes (decimal precise, time adaptive,
 * binary bytes), the same from the snapshot (op r) and from the stream (op c).
 */
import { describe, expect, it } from 'vitest';
import { readTopic } from '../harness/read-topic.js';
import { eventually } from '../harness/worker-process.js';
import { sql, cdcTestEnv } from './pg-helpers.js';

const env = cdcTestEnv('typ');

interface JsonSchema {
  type: string;
  optional: boolean;
  field?: string;
  name?: string;
  version?: number;
  parameters?: Record<string, string>;
  doc?: string;
  fields?: JsonSchema[];
  items?: JsonSchema;
}

interface Envelope {
  schema: JsonSchema;
  payload: { op: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
}

/** The topic's values as the raw JSON text the converter wrote and as parsed envelopes. */
async function envelopes(topic: string, atLeast: number): Promise<Array<{ text: string; json: Envelope }>> {
  return eventually(async () => {
    const records = await readTopic(env.dir, topic);
    if (records.length < atLeast) return null;
    return records.map((r) => {
      const text = Buffer.from(r.value!).toString('utf8');
      return { text, json: JSON.parse(text) as Envelope };
    });
  }, 20000, `${atLeast} events on ${topic}`);
}

/** The schema of each column in the envelope's `after` struct, by column name. */
function afterFieldSchemas(env: Envelope): Record<string, JsonSchema> {
  const after = env.schema.fields!.find((f) => f.field === 'after')!;
  return Object.fromEntries(after.fields!.map((f) => [f.field!, f]));
}

const COLUMNS = `
  id int PRIMARY KEY,
  c_bool bool, c_int2 int2, c_int4 int4, c_int8 int8,
  c_float4 float4, c_float8 float8, c_f8_nan float8, c_f8_inf float8, c_f8_ninf float8,
  c_num numeric(10,2), c_num_any numeric, c_money money, c_num_nan numeric(10,2),
  c_char char(3), c_varchar varchar(20), c_text text, c_bytea bytea,
  c_date date, c_time6 time(6), c_time3 time(3), c_timetz timetz,
  c_ts6 timestamp(6), c_ts3 timestamp(3), c_tstz timestamptz, c_interval interval,
  c_uuid uuid, c_json json, c_jsonb jsonb, c_xml xml, c_enum %ENUM%,
  c_int4arr int4[], c_textarr text[],
  c_inet inet, c_cidr cidr, c_macaddr macaddr, c_bit4 bit(4), c_varbit varbit`;

const TEXT_VALUE = 'line1\nline2 "quoted" \\ tab\t end';

function rowValues(id: number): string {
  return `(${id},
    true, 32767, 2147483647, 9007199254740993,
    1.5, 3.141592653589793, 'NaN', 'Infinity', '-Infinity',
    12.30, 123.4500, 12.34, 'NaN',
    'ab', 'héllo wörld', E'line1\\nline2 "quoted" \\\\ tab\\t end', '\\x00ff10',
    '2024-01-02', '03:04:05.123456', '03:04:05.123', '03:04:05.123+02',
    '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123', '2024-01-02 03:04:05.123456+02', '1 year 2 mons 3 days 04:05:06.5',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b": 1, "a": [1, 2]}', '{"b": 1, "a": [1, 2]}', '<a x="1">t</a>', 'happy',
    '{1,NULL,-3}', ARRAY['a"b', NULL, 'c,d', 'back\\slash', 'NULL'],
    '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', B'1010', B'100000001')`;
}

/** What Debezium writes for rowValues() (JSON payload values; c_int8 is checked on the raw text). */
const EXPECTED_AFTER = {
  c_bool: true, c_int2: 32767, c_int4: 2147483647,
  c_float4: 1.5, c_float8: 3.141592653589793, c_f8_nan: 'NaN', c_f8_inf: 'Infinity', c_f8_ninf: '-Infinity',
  // Decimal: base64 of the big-endian unscaled value, 1230 = 0x04CE at scale 2.
  c_num: 'BM4=',
  // VariableScaleDecimal: trailing zeros stripped, 12345 = 0x3039 at scale 2.
  c_num_any: { scale: 2, value: 'MDk=' },
  // money: Decimal at money.fraction.digits (2), 1234 = 0x04D2.
  c_money: 'BNI=',
  // NaN has no decimal: null, as Debezium 3.6.1 writes it (it logs a conversion error).
  c_num_nan: null,
  c_char: 'ab ', c_varchar: 'héllo wörld', c_text: TEXT_VALUE,
  c_bytea: 'AP8Q',
  // Days since the epoch; µs and ms since midnight; µs and ms since the epoch (the timestamp read as UTC).
  c_date: 19724, c_time6: 11045123456, c_time3: 11045123, c_timetz: '01:04:05.123Z',
  c_ts6: 1704164645123456, c_ts3: 1704164645123, c_tstz: '2024-01-02T01:04:05.123456Z',
  // (14 months * 30.4375 + 3) days + 04:05:06.5, in µs.
  c_interval: 37091106500000,
  c_uuid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  c_json: '{"b": 1, "a": [1, 2]}', c_jsonb: '{"a": [1, 2], "b": 1}', c_xml: '<a x="1">t</a>', c_enum: 'happy',
  c_int4arr: [1, null, -3], c_textarr: ['a"b', null, 'c,d', 'back\\slash', 'NULL'],
  c_inet: '192.168.0.1/24', c_cidr: '10.0.0.0/8', c_macaddr: '08:00:2b:01:02:03',
  // Bits: little-endian bytes of the bit string read as a number: 1010 -> 0x0A, 100000001 -> 0x01 0x01.
  c_bit4: 'Cg==', c_varbit: 'AQE=',
};

function opt(type: string, extra: Partial<JsonSchema> = {}): Omit<JsonSchema, 'field'> {
  return { type, optional: true, ...extra };
}
function named(type: string, name: string, extra: Partial<JsonSchema> = {}): Omit<JsonSchema, 'field'> {
  return opt(type, { name, version: 1, ...extra });
}

const EXPECTED_SCHEMAS: Record<string, Omit<JsonSchema, 'field'>> = {
  id: { type: 'int32', optional: false },
  c_bool: opt('boolean'), c_int2: opt('int16'), c_int4: opt('int32'), c_int8: opt('int64'),
  c_float4: opt('float'), c_float8: opt('double'), c_f8_nan: opt('double'), c_f8_inf: opt('double'), c_f8_ninf: opt('double'),
  c_num: named('bytes', 'org.apache.kafka.connect.data.Decimal', { parameters: { scale: '2', 'connect.decimal.precision': '10' } }),
  c_num_any: named('struct', 'io.debezium.data.VariableScaleDecimal', {
    doc: 'Variable scaled decimal',
    fields: [{ type: 'int32', optional: false, field: 'scale' }, { type: 'bytes', optional: false, field: 'value' }],
  }),
  c_money: named('bytes', 'org.apache.kafka.connect.data.Decimal', { parameters: { scale: '2' } }),
  c_num_nan: named('bytes', 'org.apache.kafka.connect.data.Decimal', { parameters: { scale: '2', 'connect.decimal.precision': '10' } }),
  c_char: opt('string'), c_varchar: opt('string'), c_text: opt('string'), c_bytea: opt('bytes'),
  c_date: named('int32', 'io.debezium.time.Date'),
  c_time6: named('int64', 'io.debezium.time.MicroTime'),
  c_time3: named('int32', 'io.debezium.time.Time'),
  c_timetz: named('string', 'io.debezium.time.ZonedTime'),
  c_ts6: named('int64', 'io.debezium.time.MicroTimestamp'),
  c_ts3: named('int64', 'io.debezium.time.Timestamp'),
  c_tstz: named('string', 'io.debezium.time.ZonedTimestamp'),
  c_interval: named('int64', 'io.debezium.time.MicroDuration'),
  c_uuid: named('string', 'io.debezium.data.Uuid'),
  c_json: named('string', 'io.debezium.data.Json'),
  c_jsonb: named('string', 'io.debezium.data.Json'),
  c_xml: named('string', 'io.debezium.data.Xml'),
  c_enum: named('string', 'io.debezium.data.Enum', { parameters: { allowed: 'sad,ok,happy' } }),
  c_int4arr: opt('array', { items: { type: 'int32', optional: true } }),
  c_textarr: opt('array', { items: { type: 'string', optional: true } }),
  c_inet: opt('string'), c_cidr: opt('string'), c_macaddr: opt('string'),
  c_bit4: named('bytes', 'io.debezium.data.Bits', { parameters: { length: '4' } }),
  c_varbit: named('bytes', 'io.debezium.data.Bits', { parameters: { length: '2147483647' } }),
};

describe('Postgres CDC column types', () => {
  it('every common type, from the snapshot and from the stream, as Debezium writes it', async () => {
    const id = env.newId();
    const table = `${id}_types`;
    await sql(env.cluster, `CREATE TYPE ${id}_mood AS ENUM ('sad', 'ok', 'happy')`);
    await sql(env.cluster, `CREATE TABLE ${table} (${COLUMNS.replace('%ENUM%', `${id}_mood`)})`);
    await sql(env.cluster, `INSERT INTO ${table} VALUES ${rowValues(1)}`);
    await env.deploy(id);
    const topic = `${id}.public.${table}`;
    await envelopes(topic, 1);
    await sql(env.cluster, `INSERT INTO ${table} VALUES ${rowValues(2)}`);
    await sql(env.cluster, `INSERT INTO ${table} (id) VALUES (3)`);
    const events = await envelopes(topic, 3);
    expect(events.map((e) => e.json.payload.op)).toEqual(['r', 'c', 'c']);

    for (const [i, e] of events.slice(0, 2).entries()) {
      const rowId = i + 1;
      const { c_int8: int8, ...after } = e.json.payload.after!;
      expect(after, `row ${rowId} (${e.json.payload.op})`).toEqual({ id: rowId, ...EXPECTED_AFTER });
      // Beyond 2^53: the JSON text carries every digit (JSON.parse rounds it, so the text is checked).
      expect(e.text).toContain('"c_int8":9007199254740993');
      expect(typeof int8).toBe('number');

      const schemas = afterFieldSchemas(e.json);
      expect(Object.keys(schemas)).toEqual(Object.keys(EXPECTED_SCHEMAS));
      for (const [column, want] of Object.entries(EXPECTED_SCHEMAS)) {
        expect(schemas[column], `schema of ${column}`).toEqual({ ...want, field: column });
      }
      expect(e.json.schema).toMatchObject({ type: 'struct', name: `${topic}.Envelope`, version: 2 });
    }
    // A row of nulls stays nulls: no fallback values in optional columns.
    const nulls = events[2]!.json.payload.after!;
    expect(nulls).toEqual(Object.fromEntries(Object.keys(EXPECTED_SCHEMAS).map((c) => [c, c === 'id' ? 3 : null])));
  });

  it('decimal.handling.mode=string and time.precision.mode=connect', async () => {
    const id = env.newId();
    const table = `${id}_modes`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, c_num numeric(10,2), c_num_any numeric, c_money money,
      c_date date, c_time6 time(6), c_ts6 timestamp(6), c_ts3 timestamp(3), c_tstz timestamptz)`);
    const values = (rowId: number) => `(${rowId}, 12.30, 123.4500, 12.34, '2024-01-02', '03:04:05.123456',
      '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123', '2024-01-02 03:04:05.123456+02')`;
    await sql(env.cluster, `INSERT INTO ${table} VALUES ${values(1)}`);
    await env.deploy(id, { 'decimal.handling.mode': 'string', 'time.precision.mode': 'connect' });
    const topic = `${id}.public.${table}`;
    await envelopes(topic, 1);
    await sql(env.cluster, `INSERT INTO ${table} VALUES ${values(2)}`);
    const events = await envelopes(topic, 2);
    expect(events.map((e) => e.json.payload.op)).toEqual(['r', 'c']);
    for (const [i, e] of events.entries()) {
      expect(e.json.payload.after, e.json.payload.op).toEqual({
        id: i + 1,
        // Plain decimal text at the value's own scale.
        c_num: '12.30', c_num_any: '123.4500', c_money: '12.34',
        // Kafka Connect's logical types: millisecond precision whatever the column's.
        c_date: 19724, c_time6: 11045123, c_ts6: 1704164645123, c_ts3: 1704164645123,
        c_tstz: '2024-01-02T01:04:05.123456Z',
      });
      const schemas = afterFieldSchemas(e.json);
      expect(schemas.c_num).toEqual({ type: 'string', optional: true, field: 'c_num' });
      expect(schemas.c_num_any).toEqual({ type: 'string', optional: true, field: 'c_num_any' });
      expect(schemas.c_money).toEqual({ type: 'string', optional: true, field: 'c_money' });
      expect(schemas.c_date).toEqual({ type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Date', version: 1, field: 'c_date' });
      expect(schemas.c_time6).toEqual({ type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Time', version: 1, field: 'c_time6' });
      expect(schemas.c_ts6).toEqual({ type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1, field: 'c_ts6' });
      expect(schemas.c_ts3).toEqual({ type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1, field: 'c_ts3' });
      expect(schemas.c_tstz).toEqual({ type: 'string', optional: true, name: 'io.debezium.time.ZonedTimestamp', version: 1, field: 'c_tstz' });
    }
  });
  // Known bug (connection.ts, not types/): the connections take the database's DateStyle,
  // IntervalStyle and extra_float_digits, so Postgres sends text the type parsers do not expect:
  // dates and timestamps come out null, intervals 0, doubles rounded to 15 digits. Debezium's JDBC
  // driver pins DateStyle=ISO and extra_float_digits=3 at connect. Flip to `it` once fixed.
  it('a database with its own DateStyle, IntervalStyle and extra_float_digits gives the same values', async () => {
    const id = env.newId();
    const db = `${id}db`;
    await sql(env.cluster, `CREATE DATABASE ${db}`);
    for (const setting of [`DateStyle = 'SQL, DMY'`, `IntervalStyle = 'iso_8601'`, 'extra_float_digits = 0']) {
      await sql(env.cluster, `ALTER DATABASE ${db} SET ${setting}`);
    }
    const table = `${id}_styles`;
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, c_date date, c_ts6 timestamp(6), c_tstz timestamptz, c_interval interval, c_float8 float8)`, [], db);
    const values = (rowId: number) => `(${rowId}, '2024-01-02', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.123456+02',
      '1 year 2 mons 3 days 04:05:06.5', 3.141592653589793)`;
    await sql(env.cluster, `INSERT INTO ${table} VALUES ${values(1)}`, [], db);
    await env.deploy(id, { 'database.dbname': db });
    const topic = `${id}.public.${table}`;
    await envelopes(topic, 1);
    await sql(env.cluster, `INSERT INTO ${table} VALUES ${values(2)}`, [], db);
    const events = await envelopes(topic, 2);
    for (const [i, e] of events.entries()) {
      expect(e.json.payload.after, e.json.payload.op).toEqual({
        id: i + 1, c_date: 19724, c_ts6: 1704164645123456, c_tstz: '2024-01-02T01:04:05.123456Z',
        c_interval: 37091106500000, c_float8: 3.141592653589793,
      });
    }
  });
  it('an enum array is an array of io.debezium.data.Enum', async () => {
    const id = env.newId();
    const table = `${id}_enumarr`;
    await sql(env.cluster, `CREATE TYPE ${id}_mood AS ENUM ('sad', 'ok', 'happy')`);
    await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, moods ${id}_mood[])`);
    await env.deploy(id, { 'snapshot.mode': 'no_data' });
    await sql(env.cluster, `INSERT INTO ${table} VALUES (1, '{happy,sad}')`);
    const [e] = await envelopes(`${id}.public.${table}`, 1);
    expect(e!.json.payload.after).toEqual({ id: 1, moods: ['happy', 'sad'] });
    expect(afterFieldSchemas(e!.json).moods).toMatchObject({
      type: 'array', optional: true, items: { type: 'string', name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'sad,ok,happy' } },
    });
  });
  it('a column of a type Debezium does not map is left out, or with include.unknown.datatypes its text as bytes', async () => {
    for (const include of [false, true]) {
      const id = env.newId();
      const table = `${id}_unknown`;
      await sql(env.cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, c_lsn pg_lsn, c_box box)`);
      await env.deploy(id, { 'snapshot.mode': 'no_data', 'include.unknown.datatypes': String(include) });
      await sql(env.cluster, `INSERT INTO ${table} VALUES (1, '16/B374D848', '((0,0),(1,1))')`);
      const [e] = await envelopes(`${id}.public.${table}`, 1);
      if (!include) {
        expect(e!.json.payload.after).toEqual({ id: 1 });
        continue;
      }
      const after = e!.json.payload.after as Record<string, string>;
      expect(Buffer.from(after.c_lsn!, 'base64').toString()).toBe('16/B374D848');
      expect(Buffer.from(after.c_box!, 'base64').toString()).toBe('(1,1),(0,0)');
      expect(afterFieldSchemas(e!.json).c_lsn).toMatchObject({ type: 'bytes', optional: true });
    }
  });
});
