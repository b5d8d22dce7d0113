import { describe, expect, it } from 'vitest';
import { DataError } from '../api/errors.js';
import { Schema, schemaEquals, valuesEqual } from './schema.js';
import { SchemaBuilder, Schemas } from './schema-builder.js';

describe('SchemaBuilder', () => {
  it('builds every property', () => {
    const s = SchemaBuilder.int64().name('n').version(3).doc('d').parameter('a', '1').parameters({ b: '2' }).optional().defaultValue(7).build();
    expect(s).toMatchObject({ type: 'int64', name: 'n', version: 3, doc: 'd', optional: true, defaultValue: 7 });
    expect(s.parameters).toEqual({ a: '1', b: '2' });
  });

  it('builds structs with ordered fields, arrays and maps', () => {
    const s = SchemaBuilder.struct().field('a', Schemas.STRING).field('b', SchemaBuilder.array(Schemas.INT8).build()).build();
    expect(s.fields().map((f) => [f.name, f.index])).toEqual([['a', 0], ['b', 1]]);
    expect(s.field('b')!.schema.valueSchema).toBe(Schemas.INT8);
    expect(s.field('zz')).toBeNull();
    const m = SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build();
    expect(m.keySchema).toBe(Schemas.STRING);
    expect(m.valueSchema).toBe(Schemas.INT32);
  });

  it('rejects bad fields and defaults', () => {
    expect(() => SchemaBuilder.int32().field('a', Schemas.INT32)).toThrow(/non-struct/);
    expect(() => SchemaBuilder.struct().field('a', Schemas.INT32).field('a', Schemas.STRING)).toThrow(/twice/);
    expect(() => SchemaBuilder.int8().defaultValue(500)).toThrow(/default value/);
    expect(() => SchemaBuilder.string().defaultValue(1)).toThrow(DataError);
    expect(() => new Schema({ type: 'array' })).toThrow(/value schema/);
    expect(() => Schemas.INT32.fields()).toThrow(/non-struct/);
  });

  it('copies a schema with from(), and compares schemas deeply', () => {
    const s = SchemaBuilder.struct().name('r').field('a', Schemas.OPTIONAL_STRING).build();
    const copy = SchemaBuilder.from(s).build();
    expect(copy).not.toBe(s);
    expect(copy.equals(s)).toBe(true);
    expect(SchemaBuilder.from(s).optional().build().equals(s)).toBe(false);
    expect(schemaEquals(Schemas.INT32, Schemas.OPTIONAL_INT32)).toBe(false);
  });
});

describe('valuesEqual', () => {
  it('compares bytes, bigints, maps and arrays by content', () => {
    expect(valuesEqual(Uint8Array.from([1, 2]), Uint8Array.from([1, 2]))).toBe(true);
    expect(valuesEqual(5n, 5)).toBe(true);
    expect(valuesEqual(5n, 5.5)).toBe(false);
    expect(valuesEqual(new Map([['a', [1]]]), new Map([['a', [1]]]))).toBe(true);
    expect(valuesEqual(NaN, NaN)).toBe(true);
    expect(valuesEqual({ a: 1 }, { a: 2 })).toBe(false);
  });
});
