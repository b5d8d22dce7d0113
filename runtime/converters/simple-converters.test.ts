import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../api/errors.js';
import { BigDecimal } from '../data/big-decimal.js';
import { SchemaBuilder, Schemas } from '../data/schema-builder.js';
import { Struct } from '../data/struct.js';
import { ByteArrayConverter } from './byte-array-converter.js';
import { BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from './number-converters.js';
import { StringConverter } from './string-converter.js';

const TOPIC = 'simple-test';
const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));

describe('StringConverter', () => {
  it('writes any value as UTF-8 text and reads an optional string', () => {
    const c = new StringConverter();
    c.configure({}, false);
    expect(hex(c.fromConnectData(TOPIC, null, Schemas.STRING, 'é'))).toBe('c3a9');
    expect(Buffer.from(c.fromConnectData(TOPIC, null, null, 42)!).toString()).toBe('42');
    expect(Buffer.from(c.fromConnectData(TOPIC, null, null, BigDecimal.parse('0.00000001'))!).toString()).toBe('1E-8');
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.OPTIONAL_STRING).build();
    expect(Buffer.from(c.fromConnectData(TOPIC, null, schema, new Struct(schema).put('a', 1))!).toString()).toBe('Struct{a=1}');
    expect(c.fromConnectData(TOPIC, null, null, null)).toBeNull();
    const got = c.toConnectData(TOPIC, null, Buffer.from('héllo'));
    expect(got.schema).toBe(Schemas.OPTIONAL_STRING);
    expect(got.value).toBe('héllo');
    expect(c.toConnectData(TOPIC, null, null).value).toBeNull();
  });

  it('uses converter.encoding', () => {
    const c = new StringConverter();
    c.configure({ 'converter.encoding': 'UTF-16BE' }, true);
    expect(hex(c.fromConnectData(TOPIC, null, null, 'Aé'))).toBe('004100e9');
    expect(c.toConnectData(TOPIC, null, Buffer.from('004100e9', 'hex')).value).toBe('Aé');
    const latin = new StringConverter();
    latin.configure({ 'converter.encoding': 'ISO-8859-1' }, false);
    expect(hex(latin.fromConnectData(TOPIC, null, null, 'é€'))).toBe('e93f');
    expect(() => new StringConverter().configure({ 'converter.encoding': 'EBCDIC' }, false)).toThrow(ConfigError);
  });

  it('works as a header converter', () => {
    const c = new StringConverter();
    c.configure({});
    expect(c.toConnectHeader(TOPIC, 'h', c.fromConnectHeader(TOPIC, 'h', null, 'v')).value).toBe('v');
  });
});

describe('ByteArrayConverter', () => {
  it('passes bytes through and rejects anything else', () => {
    const c = new ByteArrayConverter();
    c.configure({});
    const bytes = Uint8Array.from([1, 2, 3]);
    expect(c.fromConnectData(TOPIC, null, Schemas.BYTES, bytes)).toBe(bytes);
    expect(c.toConnectData(TOPIC, null, bytes)).toMatchObject({ schema: Schemas.OPTIONAL_BYTES, value: bytes });
    expect(c.fromConnectData(TOPIC, null, null, null)).toBeNull();
    expect(() => c.fromConnectData(TOPIC, null, null, 'text')).toThrow(/not compatible with objects of type string/);
    expect(() => c.fromConnectData(TOPIC, null, Schemas.STRING, bytes)).toThrow('Invalid schema type for ByteArrayConverter: string');
  });
});

describe('number and boolean converters', () => {
  it.each([
    ['short', new ShortConverter(), -2, 'fffe', Schemas.OPTIONAL_INT16],
    ['integer', new IntegerConverter(), 258, '00000102', Schemas.OPTIONAL_INT32],
    ['long', new LongConverter(), -1, 'ffffffffffffffff', Schemas.OPTIONAL_INT64],
    ['long > 2^53', new LongConverter(), 9007199254740993n, '0020000000000001', Schemas.OPTIONAL_INT64],
    ['float', new FloatConverter(), 1.5, '3fc00000', Schemas.OPTIONAL_FLOAT32],
    ['double', new DoubleConverter(), -2.25, 'c002000000000000', Schemas.OPTIONAL_FLOAT64],
    ['boolean', new BooleanConverter(), true, '01', Schemas.OPTIONAL_BOOLEAN],
  ])('%s: big-endian bytes and back', (_name, c, value, bytes, schema) => {
    c.configure({}, false);
    const written = c.fromConnectData(TOPIC, null, null, value);
    expect(hex(written)).toBe(bytes);
    const got = c.toConnectData(TOPIC, null, written);
    expect(got.schema).toBe(schema);
    expect(got.value).toBe(value);
    expect(c.fromConnectData(TOPIC, null, null, null)).toBeNull();
    expect(c.toConnectData(TOPIC, null, null).value).toBeNull();
  });

  it('rejects values that do not fit and bytes of the wrong size', () => {
    const c = new IntegerConverter();
    expect(() => c.fromConnectData(TOPIC, null, null, 'x')).toThrow(/Failed to serialize to integer/);
    expect(() => c.fromConnectData(TOPIC, null, null, 2 ** 31)).toThrow(DataError);
    expect(() => c.toConnectData(TOPIC, null, Uint8Array.from([1, 2]))).toThrow('Size of data received by IntegerDeserializer is not 4');
    expect(() => new BooleanConverter().toConnectData(TOPIC, null, Uint8Array.from([2]))).toThrow(/Unexpected byte/);
    expect(() => new BooleanConverter().fromConnectData(TOPIC, null, Schemas.INT8, true)).toThrow(/Invalid schema type/);
  });
});
