import { describe, expect, it } from 'vitest';
import { BigDecimal } from '../data/big-decimal.js';
import { Decimal, DateType, TimeType, TimestampType } from '../data/logical.js';
import type { Schema } from '../data/schema.js';
import { SchemaBuilder, Schemas } from '../data/schema-builder.js';
import { Struct } from '../data/struct.js';
import { SimpleHeaderConverter } from './simple-header-converter.js';
import { parseValuesString } from './values-parser.js';
import { valuesToString } from './values-text.js';

const TOPIC = 'header-test';

describe('Values text (what SimpleHeaderConverter writes)', () => {
  it('writes strings as-is and other values as Kafka does', () => {
    expect(valuesToString(Schemas.STRING, 'a "b"')).toBe('a "b"');
    expect(valuesToString(Schemas.INT32, 42)).toBe('42');
    expect(valuesToString(Schemas.FLOAT64, 2)).toBe('2.0');
    expect(valuesToString(Schemas.FLOAT32, 0.1)).toBe('0.1');
    expect(valuesToString(Schemas.BOOLEAN, false)).toBe('false');
    expect(valuesToString(Schemas.BYTES, Uint8Array.from([1, 2]))).toBe('AQI=');
    expect(valuesToString(Decimal.schema(2), BigDecimal.parse('1.50'))).toBe('1.50');
    expect(valuesToString(null, ['a', 1, null])).toBe('["a",1,null]');
    expect(valuesToString(null, new Map<unknown, unknown>([['k', 'v"q'], ['n', 2]]))).toBe('{"k":"v\\"q","n":2}');
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('name', Schemas.OPTIONAL_STRING).build();
    expect(valuesToString(schema, new Struct(schema).put('id', 1).put('name', 'x'))).toBe('{"id":1,"name":"x"}');
    expect(valuesToString(null, null)).toBeNull();
  });

  it('writes dates by what the value holds', () => {
    expect(valuesToString(DateType.SCHEMA, new Date(Date.UTC(2024, 0, 15)))).toBe('2024-01-15');
    expect(valuesToString(TimeType.SCHEMA, new Date(45_296_789))).toBe('12:34:56.789Z');
    expect(valuesToString(TimestampType.SCHEMA, new Date(Date.UTC(2024, 0, 15, 1, 2, 3, 4)))).toBe('2024-01-15T01:02:03.004Z');
  });
});

describe('Values.parseString (what SimpleHeaderConverter reads)', () => {
  const parsed = (text: string) => parseValuesString(text);
  const is = (text: string, schema: Schema | null, value: unknown) => {
    const got = parsed(text);
    if (schema === null) expect(got.schema).toBeNull();
    else expect(got.schema!.equals(schema)).toBe(true);
    expect(got.value).toEqual(value);
  };

  it('infers booleans, the smallest int type, floats and strings', () => {
    is('true', Schemas.BOOLEAN, true);
    is('12', Schemas.INT8, 12);
    is('-300', Schemas.INT16, -300);
    is('70000', Schemas.INT32, 70000);
    is('5000000000', Schemas.INT64, 5000000000);
    is('9223372036854775807', Schemas.INT64, 9223372036854775807n);
    is('1.0', Schemas.INT8, 1);
    is('1.5', Schemas.FLOAT32, 1.5);
    is('1e300', Schemas.FLOAT64, 1e300);
    is('99999999999999999999', Decimal.schema(0), BigDecimal.parse('99999999999999999999'));
    is('hello world', Schemas.STRING, 'hello world');
    is('12,5', Schemas.STRING, '12,5');
    is('', Schemas.STRING, '');
    is('null', null, null);
  });

  it('infers dates, times and timestamps', () => {
    is('2024-01-15', DateType.SCHEMA, new Date(Date.UTC(2024, 0, 15)));
    is('12:34:56.789Z', TimeType.SCHEMA, new Date(45_296_789));
    is('2024-01-15T01:02:03.004Z', TimestampType.SCHEMA, new Date(Date.UTC(2024, 0, 15, 1, 2, 3, 4)));
    is('2024-13-45', Schemas.STRING, '2024-13-45');
  });

  it('infers arrays and maps with a common element schema', () => {
    is('[1,2,3]', SchemaBuilder.array(Schemas.INT8).build(), [1, 2, 3]);
    is('[1, 1000, 2.5]', SchemaBuilder.array(Schemas.FLOAT32).build(), [1, 1000, 2.5]);
    is('["a", null]', SchemaBuilder.array(Schemas.OPTIONAL_STRING).build(), ['a', null]);
    is('{"a":1,"b":2}', SchemaBuilder.map(Schemas.STRING, Schemas.INT8).build(), new Map([['a', 1], ['b', 2]]));
    is('[1,"a"]', null, [1, 'a']);
    is('[]', null, []);
    is('[1,2', Schemas.STRING, '[1,2');
    is('{a:1}', Schemas.STRING, '{a:1}');
  });

  it('reads back what it writes', () => {
    const values: Array<[Schema, unknown]> = [
      [SchemaBuilder.array(Schemas.STRING).build(), ['a "q"', 'b\\c', 'd,e']],
      [SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(), new Map([['x', 100000]])],
      [SchemaBuilder.array(TimestampType.SCHEMA).build(), [new Date(Date.UTC(2020, 1, 2, 3, 4, 5, 6))]],
    ];
    for (const [schema, value] of values) is(valuesToString(schema, value)!, schema, value);
  });
});

describe('SimpleHeaderConverter', () => {
  it('round trips header values through bytes', () => {
    const c = new SimpleHeaderConverter();
    c.configure();
    const bytes = c.fromConnectHeader(TOPIC, 'h', Schemas.INT32, 1234);
    expect(Buffer.from(bytes!).toString()).toBe('1234');
    const got = c.toConnectHeader(TOPIC, 'h', bytes);
    expect(got.schema).toEqual(Schemas.INT16);
    expect(got.value).toBe(1234);
    expect(c.fromConnectHeader(TOPIC, 'h', null, null)).toBeNull();
    expect(c.toConnectHeader(TOPIC, 'h', null)).toMatchObject({ schema: null, value: null });
    expect(c.toConnectHeader(TOPIC, 'h', Buffer.from('some text')).value).toBe('some text');
  });
});
