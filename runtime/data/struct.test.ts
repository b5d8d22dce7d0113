import { describe, expect, it } from 'vitest';
import { DataError } from '../api/errors.js';
import { SchemaBuilder, Schemas } from './schema-builder.js';
import { Struct } from './struct.js';

const schema = SchemaBuilder.struct().name('com.example.Row')
  .field('id', Schemas.INT32)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('level', SchemaBuilder.int8().defaultValue(1).build())
  .build();

describe('Struct', () => {
  it('fromValues takes values in field order, equal to the same struct built by put', () => {
    const s = Struct.fromValues(schema, [5, 'five', null]);
    expect(s.get('name')).toBe('five');
    expect(s.valueAt(0)).toBe(5);
    expect(s.get('level')).toBe(1);
    expect(s.equals(new Struct(schema).put('id', 5).put('name', 'five'))).toBe(true);
    expect(() => Struct.fromValues(schema, [5])).toThrow(/3 fields, got 1 values/);
  });

  it('gets what was put, and the default for unset fields', () => {
    const s = new Struct(schema).put('id', 5);
    expect(s.get('id')).toBe(5);
    expect(s.get('name')).toBeNull();
    expect(s.get('level')).toBe(1);
    expect(s.getWithoutDefault('level')).toBeNull();
  });

  it('rejects a value of the wrong type, naming the field', () => {
    expect(() => new Struct(schema).put('id', 'x')).toThrow(DataError);
    expect(() => new Struct(schema).put('id', 'x')).toThrow(/field 'id'.*string 'x'.*int32/);
    expect(() => new Struct(schema).put('id', 2 ** 31)).toThrow(/field 'id'/);
    expect(() => new Struct(schema).put('level', 1000)).toThrow(/field 'level'.*int8/);
  });

  it('rejects an unknown field by name', () => {
    expect(() => new Struct(schema).put('nope', 1)).toThrow("'nope' is not a field of struct com.example.Row");
  });

  it('validate() reports a missing required field by name; defaults and optionals pass', () => {
    expect(() => new Struct(schema).validate()).toThrow(/field 'id': a null value is not allowed/);
    expect(() => new Struct(schema).put('id', 1).validate()).not.toThrow();
  });

  it('needs a struct schema, and a nested struct of the same schema', () => {
    expect(() => new Struct(Schemas.INT32)).toThrow(/struct schema/);
    const outer = SchemaBuilder.struct().field('inner', schema).build();
    const other = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    expect(() => new Struct(outer).put('inner', new Struct(other))).toThrow(/not the struct com.example.Row schema/);
  });

  it('compares by schema and values, and prints set fields as Kafka does', () => {
    const a = new Struct(schema).put('id', 1).put('name', 'x');
    expect(a.equals(new Struct(schema).put('id', 1).put('name', 'x'))).toBe(true);
    expect(a.equals(new Struct(schema).put('id', 2).put('name', 'x'))).toBe(false);
    expect(a.toString()).toBe('Struct{id=1,name=x}');
  });

  it('a deferred struct builds its values once, when first read, and is then an ordinary struct', () => {
    let built = 0;
    const source = { values: () => (built++, [7, 'seven', null]) };
    const s = Struct.deferred(schema, source);
    expect(s.source).toBe(source);
    expect(built).toBe(0);
    expect(s.get('name')).toBe('seven');
    expect(s.get('level')).toBe(1);
    expect(s.valueAt(0)).toBe(7);
    expect(built).toBe(1);
    expect(s.source).toBeNull();
    expect(s.equals(new Struct(schema).put('id', 7).put('name', 'seven'))).toBe(true);
    // A put builds first, so the change is kept and no source writes the old values.
    const t = Struct.deferred(schema, { values: () => [1, 'one', null] }).put('name', 'uno');
    expect(t.toString()).toBe('Struct{id=1,name=uno}');
    const short = Struct.deferred(schema, { values: () => [1] });
    expect(() => short.valueAt(0)).toThrow(/3 fields, got 1 values/);
    // A source that cannot build its values fails every read, never reads as nulls.
    expect(() => short.get('id')).toThrow(/3 fields, got 1 values/);
    const failing = Struct.deferred(schema, { values: () => { throw new Error('column 2 came in binary form'); } });
    expect(() => failing.valueAt(0)).toThrow('binary form');
    expect(() => failing.toString()).toThrow('binary form');
  });
});
