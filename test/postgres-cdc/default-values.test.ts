/**
 * Column defaults in the field schemas, as Debezium's Postgres connector writes them: the literal of
 * a constant default, a placeholder (0, '', the epoch) for a generated one (serial keys get
 * `"default": 0`), none for types it has no rule for or expressions it cannot read.
 *
 * The expected defaults are what Debezium 3.6.1 wrote for this table (snapshot and stream alike,
 * run once with bench/debezium), except d_text: for `DEFAULT 'it''s'` Debezium writes "it", its
 * own parser stopping at the doubled quote; tsconnect writes the default Postgres has, "it's".
 */
import { describe, expect, it } from 'vitest';
import { cdcTestEnv, sql, topicRecords } from './pg-helpers.js';

const env = cdcTestEnv('dflt');

const COLUMNS = `
  id serial PRIMARY KEY, big bigserial,
  d_int2 int2 DEFAULT 5, d_int4 int4 DEFAULT -7, d_int8 int8 DEFAULT 9223372036854775807, d_int8_nn int8 NOT NULL DEFAULT 7,
  d_num numeric(10,2) DEFAULT 5, d_numx numeric DEFAULT 1.5, d_f4 float4 DEFAULT 1.5, d_f8 float8 DEFAULT 'NaN', d_f8b float8 DEFAULT 2.5e3,
  d_bool bool DEFAULT true, d_boolf bool DEFAULT false, d_text text DEFAULT 'it''s', d_vc varchar(10) DEFAULT 'abc', d_char char(3) DEFAULT 'x',
  d_json jsonb DEFAULT '{"a": 1}', d_uuid uuid DEFAULT '76019d1a-ad2e-4b22-96e9-1a6d6543c818', d_uuid_gen uuid DEFAULT gen_random_uuid(),
  d_date date DEFAULT '2024-01-02', d_date_now date DEFAULT CURRENT_DATE, d_ts timestamp DEFAULT '2024-01-02 03:04:05.123456', d_ts_now timestamp DEFAULT now(),
  d_tstz timestamptz DEFAULT '2024-01-02 03:04:05+02', d_tstz_now timestamptz DEFAULT CURRENT_TIMESTAMP, d_time time DEFAULT '03:04:05', d_time3 time(3) DEFAULT now(),
  d_interval interval DEFAULT '1 day 02:00:00', d_interval_now interval DEFAULT (now() - now()),
  d_enum %ENUM% DEFAULT 'ok', d_bit bit(3) DEFAULT B'101', d_bit1 bit(1) DEFAULT B'1', d_varbit varbit DEFAULT B'11', d_bytea bytea DEFAULT '\\x01',
  d_arr int4[] DEFAULT '{1,2}', d_null text DEFAULT NULL, d_text_nn text NOT NULL DEFAULT '', d_expr int4 DEFAULT (1+2), d_xml xml DEFAULT '<a/>',
  d_ts3 timestamp(3) DEFAULT '2024-01-02 03:04:05.5', d_money money DEFAULT 12.5, d_neg numeric(6,3) DEFAULT -1.5`;

/** Debezium 3.6.1's `default` of each field (absent: no default), in JsonConverter's JSON. */
const DEFAULTS: Record<string, unknown> = {
  id: 0, big: 0, d_int2: 5, d_int4: -7, d_int8: 9223372036854775807n, d_int8_nn: 7,
  d_num: 'AfQ=', d_f4: 1.5, d_f8: 'NaN', d_f8b: 2500, d_bool: true, d_boolf: false, d_text: "it's", d_vc: 'abc', d_char: 'x',
  d_json: '{"a": 1}', d_uuid: '76019d1a-ad2e-4b22-96e9-1a6d6543c818', d_uuid_gen: '00000000-0000-0000-0000-000000000000',
  d_date: 19724, d_date_now: 0, d_ts: 1704164645123456, d_ts_now: 0, d_tstz: '2024-01-02T01:04:05.000000Z',
  d_tstz_now: '1970-01-01T00:00:00.000000Z', d_time: 11045000000, d_time3: 0, d_interval: 93600000000, d_interval_now: 0,
  d_enum: 'ok', d_bit: 'BQ==', d_bit1: true, d_varbit: 'Aw==', d_text_nn: '', d_xml: '<a/>', d_ts3: 1704164645500, d_neg: '+iQ=',
};

/** Each field's `default` (JSON.parse: an int64 beyond 2^53 is checked on the raw text as well). */
function fieldDefaults(raw: string, struct: 'after' | 'key'): Record<string, unknown> {
  const parsed = JSON.parse(raw) as { schema: { fields: Array<{ field: string; fields?: Array<{ field: string; default?: unknown }>; default?: unknown }> } };
  const fields = struct === 'key' ? parsed.schema.fields : parsed.schema.fields.find((f) => f.field === 'after')!.fields!;
  return Object.fromEntries(fields.filter((f) => 'default' in f).map((f) => [f.field, f.default]));
}

describe('Postgres CDC column defaults', () => {
  it('puts each column\'s default in its field schema as Debezium does, from the snapshot and the stream', async () => {
    const id = env.newId();
    const table = `${id}_d`;
    await sql(env.cluster, `CREATE TYPE ${id}_mood AS ENUM ('sad', 'ok', 'happy')`);
    await sql(env.cluster, `CREATE TABLE ${table} (${COLUMNS.replace('%ENUM%', `${id}_mood`)})`);
    await sql(env.cluster, `INSERT INTO ${table} DEFAULT VALUES`);
    await env.deploy(id);
    const topic = `${id}.public.${table}`;
    const read = (n: number) => topicRecords(env.dir, topic, n);
    await read(1);
    await sql(env.cluster, `INSERT INTO ${table} DEFAULT VALUES`);
    // A null where the column has a default: Kafka's JsonConverter writes the default
    // (replace.null.with.default=true, its default), as it does behind Debezium.
    await sql(env.cluster, `INSERT INTO ${table} (d_int4, d_text) VALUES (NULL, NULL)`);
    const records = await read(3);
    const expected = Object.fromEntries(Object.entries(DEFAULTS).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
    for (const r of records) {
      const raw = Buffer.from(r.value!).toString();
      expect(fieldDefaults(raw, 'after')).toEqual(expected);
      expect(raw).toContain('"default":9223372036854775807,');
      expect(fieldDefaults(Buffer.from(r.key!).toString(), 'key')).toEqual({ id: 0 });
    }
    const third = (JSON.parse(Buffer.from(records[2]!.value!).toString()) as { payload: { after: Record<string, unknown> } }).payload.after;
    expect([third.d_int4, third.d_text, third.d_null]).toEqual([-7, "it's", null]);
  });
});
