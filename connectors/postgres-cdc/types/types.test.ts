import { describe, expect, it } from 'vitest';
import { JsonConverter } from '../../../runtime/converters/json-converter.js';
import type { Schema } from '../../../runtime/api/index.js';
import { columnConverter, columnSchema, columnValue, DEFAULT_TYPE_MODES, includesColumn, parseArrayLiteral, type ColumnType, type TypeModes } from './index.js';

const converter = new JsonConverter();
converter.configure({}, false);

/** The JSON a downstream reader sees for one column value: the field schema and the payload. */
function json(schema: Schema, value: unknown): { schema: unknown; payload: unknown } {
  const bytes = converter.fromConnectData('types-test', null, schema, value);
  return JSON.parse(Buffer.from(bytes!).toString('utf8'));
}

function col(name: string, typeMod = -1, extra: Partial<ColumnType> = {}): ColumnType {
  return { name, oid: 0, typeMod, optional: true, ...extra };
}

function check(c: ColumnType, text: string | null, modes: TypeModes = DEFAULT_TYPE_MODES) {
  const conv = columnConverter(c, modes);
  return json(conv.schema, conv.convert(text));
}

/** numeric(p,s) typmod */
const numericMod = (p: number, s: number) => ((p << 16) | s) + 4;

describe('basic types', () => {
  it('bool, int2, int4, int8, oid', () => {
    expect(check(col('bool'), 't')).toEqual({ schema: { type: 'boolean', optional: true }, payload: true });
    expect(check(col('int2'), '-32768')).toEqual({ schema: { type: 'int16', optional: true }, payload: -32768 });
    expect(check(col('int4'), '42')).toEqual({ schema: { type: 'int32', optional: true }, payload: 42 });
    expect(check(col('oid'), '16384')).toEqual({ schema: { type: 'int64', optional: true }, payload: 16384 });
  });

  it('int8 keeps every digit beyond 2^53', () => {
    const c = columnConverter(col('int8'), DEFAULT_TYPE_MODES);
    expect(c.convert('9223372036854775807')).toBe(9223372036854775807n);
    const bytes = converter.fromConnectData('t', null, c.schema, c.convert('9007199254740993'));
    expect(Buffer.from(bytes!).toString()).toBe('{"schema":{"type":"int64","optional":true},"payload":9007199254740993}');
    expect(c.convert('-9223372036854775808')).toBe(-9223372036854775808n);
    // Short texts are read as numbers directly, longer ones through BigInt: the same values either way.
    for (const t of ['0', '-5', '999999999999999', '-99999999999999', '-999999999999999', '1000000000000000', '9007199254740991', '-9007199254740991']) {
      expect(c.convert(t)).toBe(Number(t));
    }
    expect(c.convert('9007199254740992')).toBe(9007199254740992n);
  });

  it('float4 and float8 with NaN and Infinity', () => {
    expect(check(col('float8'), '1.5')).toEqual({ schema: { type: 'double', optional: true }, payload: 1.5 });
    expect(check(col('float4'), 'NaN').payload).toBe('NaN');
    expect(check(col('float8'), '-Infinity').payload).toBe('-Infinity');
  });

  it('character types are strings, bpchar keeps its padding', () => {
    for (const t of ['varchar', 'text', 'name', 'char', 'citext', 'inet', 'cidr', 'macaddr', 'int4range']) {
      expect(check(col(t), 'x').schema).toEqual({ type: 'string', optional: true });
    }
    expect(check(col('bpchar', 9), 'ab   ').payload).toBe('ab   ');
  });

  it('uuid, json, jsonb, xml carry Debezium names', () => {
    expect(check(col('uuid'), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.data.Uuid', version: 1 },
      payload: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    });
    expect(check(col('jsonb'), '{"a": 1}').schema).toEqual({ type: 'string', optional: true, name: 'io.debezium.data.Json', version: 1 });
    expect(check(col('xml'), '<a/>').schema).toEqual({ type: 'string', optional: true, name: 'io.debezium.data.Xml', version: 1 });
  });

  it('enum with its allowed values', () => {
    expect(check(col('mood', -1, { enumValues: ['sad', 'ok', 'happy'] }), 'ok')).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'sad,ok,happy' } },
      payload: 'ok',
    });
  });

  it('a required column that came as null gets Debezium fallback, an optional one null', () => {
    expect(columnValue({ ...col('text'), optional: false }, null, DEFAULT_TYPE_MODES)).toBe('');
    expect(columnValue({ ...col('int4'), optional: false }, null, DEFAULT_TYPE_MODES)).toBe(0);
    expect(columnValue(col('int4'), null, DEFAULT_TYPE_MODES)).toBeNull();
    expect(columnSchema({ ...col('int4'), optional: false }, DEFAULT_TYPE_MODES).optional).toBe(false);
  });
});

describe('numeric, decimal and money', () => {
  it('numeric(10,2) precise: Decimal with scale and precision parameters', () => {
    expect(check(col('numeric', numericMod(10, 2)), '12.34')).toEqual({
      schema: { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '10' } },
      payload: 'BNI=',
    });
  });

  it('numeric without typmod precise: VariableScaleDecimal struct', () => {
    expect(check(col('numeric'), '1.2300')).toEqual({
      schema: {
        type: 'struct',
        fields: [{ type: 'int32', optional: false, field: 'scale' }, { type: 'bytes', optional: false, field: 'value' }],
        optional: true, name: 'io.debezium.data.VariableScaleDecimal', version: 1, doc: 'Variable scaled decimal',
      },
      payload: { scale: 2, value: 'ew==' },
    });
  });

  it('double and string modes, NaN in each', () => {
    const dbl = { ...DEFAULT_TYPE_MODES, decimal: 'double' as const };
    const str = { ...DEFAULT_TYPE_MODES, decimal: 'string' as const };
    expect(check(col('numeric', numericMod(10, 2)), '12.34', dbl)).toEqual({ schema: { type: 'double', optional: true }, payload: 12.34 });
    expect(check(col('numeric', numericMod(10, 2)), '12.34', str)).toEqual({ schema: { type: 'string', optional: true }, payload: '12.34' });
    expect(check(col('numeric'), 'NaN', str).payload).toBe('NAN');
    expect(check(col('numeric'), 'NaN', dbl).payload).toBe('NaN');
    // precise: no decimal for NaN/Infinity; null as Debezium 3.6.1 writes it, the fallback where the column is required.
    expect(check(col('numeric', numericMod(10, 2)), 'NaN').payload).toBeNull();
    expect(check(col('numeric'), 'Infinity').payload).toBeNull();
    expect(check({ ...col('numeric', numericMod(10, 2)), optional: false }, 'NaN').payload).toBe('AA==');
  });

  it('money: Decimal scale 2 from the locale text', () => {
    const c = columnConverter(col('money'), DEFAULT_TYPE_MODES);
    expect(json(c.schema, c.convert('-$1,234.50'))).toEqual({
      schema: { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } },
      payload: Buffer.from([0xfe, 0x1d, 0xc6]).toString('base64'),
    });
  });
});

describe('binary types', () => {
  it('bytea in each binary.handling.mode', () => {
    const modes = (binary: TypeModes['binary']) => ({ ...DEFAULT_TYPE_MODES, binary });
    expect(check(col('bytea'), '\\x01fbff')).toEqual({ schema: { type: 'bytes', optional: true }, payload: 'Afv/' });
    expect(check(col('bytea'), '\\x01fbff', modes('base64'))).toEqual({ schema: { type: 'string', optional: true }, payload: 'Afv/' });
    expect(check(col('bytea'), '\\x01fbff', modes('base64-url-safe')).payload).toBe('Afv_');
    expect(check(col('bytea'), '\\x01fbff', modes('hex')).payload).toBe('01fbff');
  });

  it('bit(1) is a boolean, bit(n)/varbit are io.debezium.data.Bits little-endian', () => {
    expect(check(col('bit', 1), '1')).toEqual({ schema: { type: 'boolean', optional: true }, payload: true });
    expect(check(col('bit', 10), '1000000001')).toEqual({
      schema: { type: 'bytes', optional: true, name: 'io.debezium.data.Bits', version: 1, parameters: { length: '10' } },
      payload: Buffer.from([0x01, 0x02]).toString('base64'),
    });
    expect(columnSchema(col('varbit'), DEFAULT_TYPE_MODES).parameters).toEqual({ length: '2147483647' });
  });
});

describe('temporal types (adaptive)', () => {
  it('date as days since the epoch, infinity as Debezium encodes it', () => {
    expect(check(col('date'), '2024-01-02')).toEqual({ schema: { type: 'int32', optional: true, name: 'io.debezium.time.Date', version: 1 }, payload: 19724 });
    expect(check(col('date'), '1969-12-31').payload).toBe(-1);
    expect(check(col('date'), '0001-01-01 BC').payload).toBe(-719528);
    // LocalDate -5877611-06-21 and -22, as Debezium's PostgresValueConverter has them.
    expect(check(col('date'), 'infinity').payload).toBe(-2147472692);
    expect(check(col('date'), '-infinity').payload).toBe(-2147472691);
  });

  it('time.precision.mode=connect: infinity, beyond a JavaScript Date, is null (never a failed converter)', () => {
    const connect = { ...DEFAULT_TYPE_MODES, time: 'connect' as const };
    expect(check(col('date'), '2024-01-02', connect).payload).toBe(19724);
    expect(check(col('date'), 'infinity', connect).payload).toBeNull();
    expect(check(col('timestamp'), '-infinity', connect).payload).toBeNull();
    expect(check({ ...col('timestamp'), optional: false }, 'infinity', connect).payload).toBe(0);
  });

  it('time: MicroTime for precision 6, Time (ms) for precision <= 3', () => {
    expect(check(col('time'), '04:05:06.789012')).toEqual({ schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTime', version: 1 }, payload: 14706789012 });
    expect(check(col('time', 3), '04:05:06.789')).toEqual({ schema: { type: 'int32', optional: true, name: 'io.debezium.time.Time', version: 1 }, payload: 14706789 });
    expect(check(col('time'), '24:00:00').payload).toBe(86_400_000_000);
  });

  it('timestamp: MicroTimestamp exact to the microsecond, Timestamp (ms) for precision <= 3', () => {
    expect(check(col('timestamp'), '2024-01-02 03:04:05.123456')).toEqual({
      schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', version: 1 }, payload: 1704164645123456,
    });
    expect(check(col('timestamp', 3), '2024-01-02 03:04:05.123')).toEqual({
      schema: { type: 'int64', optional: true, name: 'io.debezium.time.Timestamp', version: 1 }, payload: 1704164645123,
    });
    expect(check(col('timestamp'), '1969-12-31 23:59:59.999999').payload).toBe(-1);
    expect(columnValue(col('timestamp'), 'infinity', DEFAULT_TYPE_MODES)).toBe(9223372036825200000n);
  });

  it('timestamptz: ZonedTimestamp in UTC with the column precision as fraction width', () => {
    expect(check(col('timestamptz'), '2024-01-02 05:04:05.123456+02')).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.time.ZonedTimestamp', version: 1 }, payload: '2024-01-02T03:04:05.123456Z',
    });
    expect(check(col('timestamptz'), '2024-01-02 03:04:05+00').payload).toBe('2024-01-02T03:04:05.000000Z');
    expect(check(col('timestamptz', 3), '2024-01-02 03:04:05.1+05:30').payload).toBe('2024-01-01T21:34:05.100Z');
    expect(check(col('timestamptz', 0), '2024-01-02 03:04:05+00').payload).toBe('2024-01-02T03:04:05Z');
    expect(check(col('timestamptz'), 'infinity').payload).toBe('infinity');
  });

  it('timestamptz: a value printed in UTC formats as the same instant printed at another offset', () => {
    // The +00 text takes a shortcut; the +05:30 text of the same instant takes the general path.
    const pgText = (ms: number, micros: number, offsetMin: number) => {
      const d = new Date(ms + offsetMin * 60_000);
      const frac = micros === 0 ? '' : `.${String(micros).padStart(6, '0').replace(/0+$/, '')}`;
      const off = offsetMin === 0 ? '+00' : `+${String(Math.floor(offsetMin / 60)).padStart(2, '0')}:${String(offsetMin % 60).padStart(2, '0')}`;
      return `${d.toISOString().slice(0, 19).replace('T', ' ')}${frac}${off}`;
    };
    for (let i = 0; i < 5_000; i++) {
      // 1000-01-01 to 9999-12-30 (the +05:30 text stays within four-digit years), whole seconds,
      // plus a fraction of 0-6 significant digits.
      const ms = Math.floor(-30_610_224_000 + Math.random() * (253_402_128_000 + 30_610_224_000)) * 1000;
      const micros = i % 7 === 0 ? 0 : Math.floor(Math.random() * 1_000_000);
      for (const typeMod of [-1, 0, 3, 6]) {
        const c = col('timestamptz', typeMod);
        const utc = pgText(ms, micros, 0);
        expect(check(c, utc).payload, utc).toBe(check(c, pgText(ms, micros, 330)).payload);
      }
    }
  });

  it('timetz: ZonedTime in UTC', () => {
    expect(check(col('timetz'), '04:05:06.789-08')).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.time.ZonedTime', version: 1 }, payload: '12:05:06.789Z',
    });
    expect(check(col('timetz'), '23:00:00-02').payload).toBe('01:00:00Z');
  });

  it('interval: MicroDuration with 365.25/12 day months, or ISO string', () => {
    expect(check(col('interval'), '1 year 2 mons 3 days 04:05:06.5')).toEqual({
      schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroDuration', version: 1 },
      payload: Math.trunc(((((14 * (365.25 / 12) + 3) * 24 + 4) * 60 + 5) * 60 + 6.5) * 1e6),
    });
    expect(check(col('interval'), '-00:00:01.5').payload).toBe(-1500000);
    const str = { ...DEFAULT_TYPE_MODES, interval: 'string' as const };
    expect(check(col('interval'), '1 year 2 mons 3 days 04:05:06.50', str)).toEqual({
      schema: { type: 'string', optional: true, name: 'io.debezium.time.Interval', version: 1 }, payload: 'P1Y2M3DT4H5M6.5S',
    });
    expect(check(col('interval'), '00:00:00', str).payload).toBe('P0Y0M0DT0H0M0S');
  });

  it('connect mode: Connect Date/Time/Timestamp in milliseconds', () => {
    const connect = { ...DEFAULT_TYPE_MODES, time: 'connect' as const };
    expect(check(col('date'), '2024-01-02', connect)).toEqual({ schema: { type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Date', version: 1 }, payload: 19724 });
    expect(check(col('time'), '04:05:06.789012', connect).payload).toBe(14706789);
    expect(check(col('timestamp'), '2024-01-02 03:04:05.123456', connect)).toEqual({
      schema: { type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 }, payload: 1704164645123,
    });
  });

  it('adaptive_time_microseconds: time is always MicroTime', () => {
    const modes = { ...DEFAULT_TYPE_MODES, time: 'adaptive_time_microseconds' as const };
    expect(columnSchema(col('time', 0), modes).name).toBe('io.debezium.time.MicroTime');
  });
});

describe('arrays', () => {
  it('parses quotes, escapes, NULL, nesting and bounds', () => {
    expect(parseArrayLiteral('{1,2,NULL}')).toEqual(['1', '2', null]);
    expect(parseArrayLiteral('{"a \\"b\\"",c,"NULL",""}')).toEqual(['a "b"', 'c', 'NULL', '']);
    expect(parseArrayLiteral('{{1,2},{3,4}}')).toEqual([['1', '2'], ['3', '4']]);
    expect(parseArrayLiteral('[0:1]={x,y}')).toEqual(['x', 'y']);
    expect(parseArrayLiteral('{}')).toEqual([]);
  });

  it('int4[] and text[] as arrays of optional elements', () => {
    expect(check(col('_int4', -1, { elementOid: 23 }), '{1,NULL,3}')).toEqual({
      schema: { type: 'array', items: { type: 'int32', optional: true }, optional: true }, payload: [1, null, 3],
    });
    expect(check(col('_text'), '{a,"b,c"}').payload).toEqual(['a', 'b,c']);
    expect(check(col('_timestamptz'), '{"2024-01-02 03:04:05+00"}').payload).toEqual(['2024-01-02T03:04:05.000000Z']);
  });

  it('enum arrays', () => {
    const s = check(col('_mood', -1, { elementOid: 1, enumValues: ['a', 'b'] }), '{a,b}');
    expect(s.schema).toEqual({ type: 'array', items: { type: 'string', optional: true, name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'a,b' } }, optional: true });
    expect(s.payload).toEqual(['a', 'b']);
  });
});

describe('other types', () => {
  it('point as io.debezium.data.geometry.Point with WKB', () => {
    const out = check(col('point'), '(1.5,2)');
    expect(out.payload).toEqual({ x: 1.5, y: 2, wkb: 'AQEAAAAAAAAAAAD4PwAAAAAAAABA', srid: null });
    expect((out.schema as { name: string }).name).toBe('io.debezium.data.geometry.Point');
  });

  it('hstore as Json by default', () => {
    expect(check(col('hstore'), '"a"=>"1", "b"=>NULL').payload).toBe('{"a":"1","b":null}');
  });

  it('unknown types: the text bytes (include.unknown.datatypes), never a throw', () => {
    expect(check(col('tsquery'), "'a' & 'b'")).toEqual({ schema: { type: 'bytes', optional: true }, payload: Buffer.from("'a' & 'b'").toString('base64') });
    expect(includesColumn(col('tsquery'), false)).toBe(false);
    expect(includesColumn(col('tsquery'), true)).toBe(true);
    expect(includesColumn(col('_money'), true)).toBe(false);
    expect(includesColumn(col('int4'), false)).toBe(true);
  });

  it('unreadable text gives null for an optional column instead of throwing', () => {
    expect(columnValue(col('date'), 'garbage', DEFAULT_TYPE_MODES)).toBeNull();
  });
});

describe('unchanged TOAST placeholders', () => {
  const p = DEFAULT_TYPE_MODES.unavailablePlaceholder;
  it('text, json, bytea, arrays', () => {
    expect(columnConverter(col('text'), DEFAULT_TYPE_MODES).placeholder()).toBe(p);
    expect(columnConverter(col('jsonb'), DEFAULT_TYPE_MODES).placeholder()).toBe(p);
    expect(Buffer.from(columnConverter(col('bytea'), DEFAULT_TYPE_MODES).placeholder() as Uint8Array).toString()).toBe(p);
    expect(columnConverter(col('bytea'), { ...DEFAULT_TYPE_MODES, binary: 'hex' }).placeholder()).toBe(p);
    expect(columnConverter(col('_text'), DEFAULT_TYPE_MODES).placeholder()).toEqual([p]);
    expect(columnConverter(col('_int4'), DEFAULT_TYPE_MODES).placeholder()).toEqual([...Buffer.from(p)]);
    expect(columnConverter(col('_uuid'), DEFAULT_TYPE_MODES).placeholder()).toEqual([expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-3/)]);
  });
});
