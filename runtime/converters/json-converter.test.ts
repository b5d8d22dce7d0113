import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../api/errors.js';
import { BigDecimal } from '../data/big-decimal.js';
import { Decimal, DateType, TimeType, TimestampType } from '../data/logical.js';
import type { Schema } from '../data/schema.js';
import { SchemaBuilder, Schemas } from '../data/schema-builder.js';
import { Struct } from '../data/struct.js';
import type { StructSource } from '../data/struct-source.js';
import { JsonConverter } from './json-converter.js';

const TOPIC = 'json-test';

function converter(configs: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}

function text(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('utf8');
}

function write(c: JsonConverter, schema: Schema | null, value: unknown): string | null {
  return text(c.fromConnectData(TOPIC, null, schema, value));
}

function read(c: JsonConverter, json: string) {
  return c.toConnectData(TOPIC, null, Buffer.from(json, 'utf8'));
}

function roundTrip(c: JsonConverter, schema: Schema, value: unknown) {
  return c.toConnectData(TOPIC, null, c.fromConnectData(TOPIC, null, schema, value));
}

describe('JsonConverter writes the JSON Kafka writes', () => {
  it('a struct with one int32 field', () => {
    const schema = SchemaBuilder.struct().name('r').field('id', Schemas.INT32).build();
    expect(write(converter(), schema, new Struct(schema).put('id', 1))).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"r"},"payload":{"id":1}}',
    );
  });

  it('a struct with int32, string and optional fields, version and doc', () => {
    const schema = SchemaBuilder.struct().name('com.example.Row').version(2).doc('a row')
      .field('id', Schemas.INT32)
      .field('name', Schemas.STRING)
      .field('note', Schemas.OPTIONAL_STRING)
      .field('score', SchemaBuilder.float64().optional().defaultValue(1.5).build())
      .build();
    const row = new Struct(schema).put('id', 7).put('name', 'a "b"\n');
    expect(write(converter(), schema, row)).toBe(
      '{"schema":{"type":"struct","fields":[' +
        '{"type":"int32","optional":false,"field":"id"},' +
        '{"type":"string","optional":false,"field":"name"},' +
        '{"type":"string","optional":true,"field":"note"},' +
        '{"type":"double","optional":true,"default":1.5,"field":"score"}' +
        '],"optional":false,"name":"com.example.Row","version":2,"doc":"a row"},' +
        '"payload":{"id":7,"name":"a \\"b\\"\\n","note":null,"score":1.5}}',
    );
  });

  it('arrays, maps with string keys as objects and other keys as pairs', () => {
    const arr = SchemaBuilder.array(Schemas.INT16).build();
    expect(write(converter(), arr, [1, 2])).toBe('{"schema":{"type":"array","items":{"type":"int16","optional":false},"optional":false},"payload":[1,2]}');
    const strMap = SchemaBuilder.map(Schemas.STRING, Schemas.BOOLEAN).build();
    expect(write(converter({ 'schemas.enable': 'false' }), strMap, new Map([['a', true]]))).toBe('{"a":true}');
    const intMap = SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build();
    expect(write(converter(), intMap, new Map([[1, 'x'], [2, 'y']]))).toBe(
      '{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":false},"optional":false},"payload":[[1,"x"],[2,"y"]]}',
    );
  });

  it('logical types: Decimal as base64, Date/Time/Timestamp as integers', () => {
    const c = converter({ 'schemas.enable': 'false' });
    expect(write(converter(), Decimal.schema(2), BigDecimal.parse('1.56'))).toBe(
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AJw="}',
    );
    expect(write(c, DateType.SCHEMA, new Date(Date.UTC(2024, 0, 2)))).toBe('19724');
    expect(write(c, TimeType.SCHEMA, new Date(3_600_000))).toBe('3600000');
    expect(write(c, TimestampType.SCHEMA, new Date(1_700_000_000_123))).toBe('1700000000123');
  });

  it('floats and doubles as Java prints them', () => {
    const c = converter({ 'schemas.enable': 'false' });
    expect(write(c, Schemas.FLOAT64, 1)).toBe('1.0');
    expect(write(c, Schemas.FLOAT64, 1e21)).toBe('1.0E21');
    expect(write(c, Schemas.FLOAT64, 0.0001)).toBe('1.0E-4');
    expect(write(c, Schemas.FLOAT32, 0.1)).toBe('0.1');
    expect(write(c, Schemas.FLOAT64, NaN)).toBe('"NaN"');
  });

  it('bytes as base64 and int64 beyond 2^53 exactly', () => {
    const c = converter({ 'schemas.enable': 'false' });
    expect(write(c, Schemas.BYTES, Uint8Array.from([0, 1, 254, 255]))).toBe('"AAH+/w=="');
    expect(write(c, Schemas.INT64, 9223372036854775807n)).toBe('9223372036854775807');
    expect(write(c, Schemas.INT64, -9007199254740993n)).toBe('-9007199254740993');
  });

  it('a null value without a schema is a tombstone; with a schema the envelope says null', () => {
    expect(converter().fromConnectData(TOPIC, null, null, null)).toBeNull();
    expect(write(converter(), Schemas.OPTIONAL_STRING, null)).toBe('{"schema":{"type":"string","optional":true},"payload":null}');
    expect(read(converter(), '{"schema":null,"payload":null}').value).toBeNull();
    expect(converter().toConnectData(TOPIC, null, null)).toMatchObject({ schema: null, value: null });
  });
});

describe('JsonConverter round trips', () => {
  const c = converter();

  it.each([
    ['int8', Schemas.INT8, -128],
    ['int16', Schemas.INT16, 32767],
    ['int32', Schemas.INT32, -2147483648],
    ['int64', Schemas.INT64, 1234567890123],
    ['int64 > 2^53', Schemas.INT64, 9007199254740993n],
    ['int64 min', Schemas.INT64, -9223372036854775808n],
    ['float32', Schemas.FLOAT32, 0.5],
    ['float64', Schemas.FLOAT64, 3.141592653589793],
    ['boolean', Schemas.BOOLEAN, true],
    ['string', Schemas.STRING, 'héllo \u0001 "x"'],
    ['bytes', Schemas.BYTES, Uint8Array.from([1, 2, 3, 250])],
    ['optional null', Schemas.OPTIONAL_INT32, null],
    ['date', DateType.SCHEMA, new Date(Date.UTC(1999, 11, 31))],
    ['time', TimeType.SCHEMA, new Date(45_296_789)],
    ['timestamp', TimestampType.SCHEMA, new Date(1_700_000_000_123)],
  ])('%s', (_name, schema, value) => {
    const got = roundTrip(c, schema, value);
    expect(got.schema!.equals(schema)).toBe(true);
    expect(got.value).toEqual(value);
  });

  it('a nested struct with arrays, maps and defaults', () => {
    const address = SchemaBuilder.struct().name('Address').field('city', Schemas.STRING).field('zip', Schemas.OPTIONAL_INT32).build();
    const schema = SchemaBuilder.struct().name('Person')
      .field('id', Schemas.INT64)
      .field('address', address)
      .field('tags', SchemaBuilder.array(Schemas.STRING).build())
      .field('scores', SchemaBuilder.map(Schemas.STRING, Schemas.FLOAT64).build())
      .field('byId', SchemaBuilder.map(Schemas.INT64, address).optional().build())
      .field('level', SchemaBuilder.int16().defaultValue(3).build())
      .build();
    const home = new Struct(address).put('city', 'Oslo');
    const person = new Struct(schema)
      .put('id', 12345678901234567n)
      .put('address', home)
      .put('tags', ['a', 'b'])
      .put('scores', new Map([['x', 1.25]]))
      .put('byId', new Map([[1, home]]));
    const got = roundTrip(c, schema, person);
    expect(got.schema!.equals(schema)).toBe(true);
    const s = got.value as Struct;
    expect(s.get('id')).toBe(12345678901234567n);
    expect((s.get('address') as Struct).get('city')).toBe('Oslo');
    expect(s.get('tags')).toEqual(['a', 'b']);
    expect(s.get('scores')).toEqual(new Map([['x', 1.25]]));
    expect(((s.get('byId') as Map<number, Struct>).get(1))!.get('city')).toBe('Oslo');
    expect(s.get('level')).toBe(3);
  });

  it('decimals, BASE64 and NUMERIC, keep every digit', () => {
    const schema = Decimal.schema(20);
    const value = BigDecimal.parse('12345678901234567890.12345678901234567890');
    for (const format of ['BASE64', 'NUMERIC']) {
      const got = roundTrip(converter({ 'decimal.format': format }), schema, value);
      expect((got.value as BigDecimal).equals(value)).toBe(true);
    }
    const numeric = converter({ 'decimal.format': 'numeric', 'schemas.enable': 'false' });
    expect(write(numeric, schema, value)).toBe('12345678901234567890.12345678901234567890');
    expect(write(numeric, Decimal.schema(8), new BigDecimal(1n, 8))).toBe('1E-8');
  });

  it('reads a NUMERIC decimal at the schema scale', () => {
    const got = read(c, '{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"4"}},"payload":1.56}');
    expect((got.value as BigDecimal).toString()).toBe('1.5600');
  });

  it('a default value in the schema survives the trip', () => {
    const schema = SchemaBuilder.struct().field('d', Decimal.builder(2).optional().defaultValue(BigDecimal.parse('9.99')).build()).build();
    const got = roundTrip(c, schema, new Struct(schema));
    expect(got.schema!.equals(schema)).toBe(true);
    expect(((got.value as Struct).get('d') as BigDecimal).toString()).toBe('9.99');
  });

  it('replace.null.with.default=false keeps nulls', () => {
    const schema = SchemaBuilder.struct().field('n', SchemaBuilder.int32().optional().defaultValue(5).build()).build();
    const keep = converter({ 'replace.null.with.default': 'false' });
    expect(write(keep, schema, new Struct(schema))).toContain('"payload":{"n":null}');
    expect(write(converter(), schema, new Struct(schema))).toContain('"payload":{"n":5}');
    expect((read(keep, '{"schema":{"type":"struct","fields":[{"type":"int32","optional":true,"default":5,"field":"n"}]},"payload":{"n":null}}').value as Struct).getWithoutDefault('n')).toBeNull();
  });

  it('reads envelopes with other spacing and key order', () => {
    expect(read(c, '{ "payload": 12.34, "schema": { "type": "double" } }').value).toBe(12.34);
    expect(read(c, '{ "schema": { "type": "int64" }, "payload": 9223372036854775807 }').value).toBe(9223372036854775807n);
  });

  it('reuses one schema object for records with the same schema', () => {
    const a = read(c, '{"schema":{"type":"int32","optional":false},"payload":1}');
    const b = read(c, '{"schema":{"type":"int32","optional":false},"payload":2}');
    expect(a.schema).toBe(b.schema);
    expect(b.value).toBe(2);
  });
});

describe('JsonConverter without schemas', () => {
  const c = converter({ 'schemas.enable': 'false' });

  it('writes plain JSON and reads plain values', () => {
    expect(write(c, null, { a: 1, b: [true, null, 'x'], big: 2n ** 60n })).toBe('{"a":1,"b":[true,null,"x"],"big":1152921504606846976}');
    const got = read(c, '{"a":1,"b":[1.5,"x"],"big":1152921504606846976,"n":null}');
    expect(got.schema).toBeNull();
    expect(got.value).toEqual({ a: 1, b: [1.5, 'x'], big: 1152921504606846976n, n: null });
  });

  it('writes a Struct with its own schema and a Map with non-string keys as pairs', () => {
    const schema = SchemaBuilder.struct().field('x', Schemas.INT32).build();
    expect(write(c, null, new Struct(schema).put('x', 3))).toBe('{"x":3}');
    expect(write(c, null, new Map([[1, 'a']]))).toBe('[[1,"a"]]');
  });

  it('reads empty bytes as null', () => {
    expect(c.toConnectData(TOPIC, null, new Uint8Array(0)).value).toBeNull();
  });
});

describe('JsonConverter errors', () => {
  const c = converter();

  it('rejects text that is not JSON', () => {
    expect(() => read(c, '{"schema":')).toThrow(DataError);
    expect(() => read(converter({ 'schemas.enable': 'false' }), 'not json')).toThrow(/serialization error.*json-test/);
  });

  it('rejects plain JSON when schemas.enable=true, saying how to fix it', () => {
    expect(() => read(c, '{"a":1}')).toThrow(/requires "schema" and "payload".*schemas.enable=false/);
    expect(() => read(c, '{"schema":null,"payload":1,"extra":2}')).toThrow(/"extra"/);
    expect(() => read(c, '[1,2]')).toThrow(/JSON array/);
  });

  it('names the field whose value does not fit', () => {
    const schema = SchemaBuilder.struct().field('inner', SchemaBuilder.struct().field('n', Schemas.INT8).build()).build();
    const envelope = (payload: string) => `{"schema":{"type":"struct","fields":[{"type":"struct","fields":[{"type":"int8","optional":false,"field":"n"}],"optional":false,"field":"inner"}],"optional":false},"payload":${payload}}`;
    expect(() => read(c, envelope('{"inner":{"n":"x"}}'))).toThrow(/inner\.n/);
    expect(() => read(c, envelope('{"inner":{"n":300}}'))).toThrow(/int8.*inner\.n/);
    expect(() => read(c, envelope('{"inner":{}}'))).toThrow(/null value for required int8 field 'inner.n'/);
    expect(() => write(c, schema, new Struct(schema))).toThrow(/inner/);
  });

  it('rejects bad schemas with Kafka\'s messages', () => {
    expect(() => read(c, '{"schema":{"optional":true},"payload":1}')).toThrow("Schema must contain 'type' field");
    expect(() => read(c, '{"schema":{"type":"int128"},"payload":1}')).toThrow('Unknown schema type: int128');
    expect(() => read(c, '{"schema":{"type":"array"},"payload":[]}')).toThrow('Array schema did not specify the element type');
  });

  it('rejects values of the wrong type on write', () => {
    expect(() => write(c, Schemas.INT32, 'x')).toThrow(DataError);
    expect(() => write(c, Schemas.INT32, 2 ** 31)).toThrow(/int32/);
    expect(() => write(c, Decimal.schema(2), 1.5)).toThrow(/BigDecimal/);
    expect(() => write(c, Schemas.STRING, null)).toThrow(/required/);
  });

  it('rejects bad configs', () => {
    expect(() => converter({ 'decimal.format': 'HEX' })).toThrow(ConfigError);
    expect(() => converter({ 'schemas.enable': 'yes' })).toThrow(/schemas.enable/);
  });
});

describe('JsonConverter and deferred structs (Struct.deferred)', () => {
  const row = SchemaBuilder.struct().name('row').field('id', Schemas.INT64).field('tag', Schemas.OPTIONAL_STRING)
    .field('level', SchemaBuilder.int8().defaultValue(1).optional().build()).build();
  const built = (id: number, tag: string | null, level: number | null) => Struct.fromValues(row, [id, tag, level]);

  it('lets the source write the JSON, with the converter\'s own pieces, and never builds the values', () => {
    let values = 0;
    const source: StructSource = {
      values: () => (values++, [5, 'x', null]),
      writeJson(out, dialect) {
        const prefixes = dialect.fieldPrefixes(row);
        const fields = row.fields();
        out.bytes(prefixes[0]!);
        dialect.valueWriter(fields[0]!.schema)(5, out);
        out.bytes(prefixes[1]!);
        out.bytes(dialect.render(fields[1]!.schema, 'x'));
        out.bytes(prefixes[2]!);
        dialect.valueWriter(fields[2]!.schema)(null, out);
        out.bytes(Buffer.from('}'));
        return true;
      },
    };
    const c = converter();
    const expected = text(c.fromConnectData(TOPIC, null, row, built(5, 'x', null)));
    // replace.null.with.default: the null level is written as its default, 1, as for the built struct.
    expect(expected).toContain('"payload":{"id":5,"tag":"x","level":1}');
    // With TSCONNECT_CHECK_DEFERRED_JSON (set for the tests) the converter also builds and compares.
    const checking = process.env.TSCONNECT_CHECK_DEFERRED_JSON === '1';
    expect(text(c.fromConnectData(TOPIC, null, row, Struct.deferred(row, source)))).toBe(expected);
    expect(values).toBe(checking ? 1 : 0);
    const plain = converter({ 'replace.null.with.default': 'false' });
    expect(text(plain.fromConnectData(TOPIC, null, row, Struct.deferred(row, source)))).toContain('"payload":{"id":5,"tag":"x","level":null}');
  });

  it('writes from the values when the source declines or throws, so errors still name the field', () => {
    const c = converter();
    const declines: StructSource = { values: () => [6, 'y', 2], writeJson: () => false };
    expect(text(c.fromConnectData(TOPIC, null, row, Struct.deferred(row, declines)))).toBe(text(c.fromConnectData(TOPIC, null, row, built(6, 'y', 2))));
    const throws: StructSource = {
      values: () => ['not a number', null, null],
      writeJson(out) {
        out.bytes(Buffer.from('{"id":'));
        throw new Error('cannot');
      },
    };
    expect(() => c.fromConnectData(TOPIC, null, row, Struct.deferred(row, throws))).toThrow(/field 'id'/);
    // Nothing of the failed attempt is left in the next record.
    expect(text(c.fromConnectData(TOPIC, null, row, built(1, null, null)))).toContain('"payload":{"id":1,"tag":null,"level":1}}');
  });

  it('fails a record whose source writes other JSON than its values, under TSCONNECT_CHECK_DEFERRED_JSON', () => {
    expect(process.env.TSCONNECT_CHECK_DEFERRED_JSON, 'vitest.config.ts sets it for every test').toBe('1');
    const wrong: StructSource = {
      values: () => [5, 'x', 1],
      writeJson(out) {
        out.bytes(Buffer.from('{"id":5,"tag":"x","level":2}'));
        return true;
      },
    };
    expect(() => converter().fromConnectData(TOPIC, null, row, Struct.deferred(row, wrong))).toThrow(/differs from its built values/);
  });
});

describe('JsonConverter as a header converter', () => {
  it('writes and reads a header value with its schema', () => {
    const c = new JsonConverter();
    c.configure({});
    const bytes = c.fromConnectHeader(TOPIC, 'h', Schemas.INT32, 42);
    expect(text(bytes)).toBe('{"schema":{"type":"int32","optional":false},"payload":42}');
    expect(c.toConnectHeader(TOPIC, 'h', bytes).value).toBe(42);
  });
});

describe('JsonConverter speed', () => {
  it('converts 1M small records each way quickly', () => {
    const schema = SchemaBuilder.struct().name('r').field('id', Schemas.INT64).field('name', Schemas.STRING).field('ok', Schemas.OPTIONAL_BOOLEAN).build();
    const c = converter();
    const n = 1_000_000;
    const records = Array.from({ length: 1000 }, (_, i) => new Struct(schema).put('id', i).put('name', `name-${i}`).put('ok', i % 2 === 0));
    const bytes: Uint8Array[] = new Array(1000);
    let t = performance.now();
    for (let i = 0; i < n; i++) bytes[i % 1000] = c.fromConnectData(TOPIC, null, schema, records[i % 1000])!;
    const writeMs = performance.now() - t;
    t = performance.now();
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (c.toConnectData(TOPIC, null, bytes[i % 1000]!).value as Struct).get('id') as number;
    const readMs = performance.now() - t;
    console.log(`JsonConverter 1M records: write ${writeMs.toFixed(0)} ms, read ${readMs.toFixed(0)} ms`);
    expect(sum).toBe(499500 * 1000);
    // A loose guard against regressions on a shared machine; the figure itself is logged above.
    expect(writeMs).toBeLessThan(4000);
    expect(readMs).toBeLessThan(4000);
  });
});

describe('JsonConverter output buffers', () => {
  it('every value stays intact while later ones are converted (shared slabs), multi-byte text and large values included', () => {
    const c = converter();
    const schema = SchemaBuilder.struct().name('row').field('id', Schemas.INT32).field('text', Schemas.STRING).build();
    const texts = Array.from({ length: 3000 }, (_, i) => (i % 500 === 7 ? 'é€😀'.repeat(9000) : `row ${i} ${'ü'.repeat(i % 40)}${'x'.repeat((i * 37) % 3000)}`));
    const values = texts.map((t, i) => c.fromConnectData(TOPIC, null, schema, new Struct(schema).put('id', i).put('text', t))!);
    for (let i = 0; i < texts.length; i++) {
      const parsed = JSON.parse(text(values[i]!)!);
      expect(parsed.payload).toEqual({ id: i, text: texts[i] });
      expect(Buffer.byteLength(text(values[i]!)!, 'utf8')).toBe(values[i]!.byteLength);
    }
  });
});
