import { describe, expect, it } from 'vitest';
import { ConfigError, SchemaBuilder, Schemas, SourceRecord, Struct } from '../api/index.js';
import { ExtractField } from './extract-field.js';
import { FieldPath } from './field-path.js';

function extract(props: Record<string, string>, side: 'key' | 'value' = 'value'): ExtractField {
  const t = new ExtractField(side);
  t.configure(props);
  return t;
}

describe('ExtractField', () => {
  const inner = SchemaBuilder.struct().field('id', Schemas.INT64).build();
  const schema = SchemaBuilder.struct().field('after', inner).field('op', Schemas.STRING).field('a.b', Schemas.STRING).build();
  const value = new Struct(schema).put('after', new Struct(inner).put('id', 7)).put('op', 'c').put('a.b', 'dotted');

  it('extracts a top-level struct field with its schema', () => {
    const out = extract({ field: 'op' }).apply(new SourceRecord({ topic: 't', valueSchema: schema, value }))!;
    expect(out.value).toBe('c');
    expect(out.valueSchema).toBe(Schemas.STRING);
  });

  it('reads dotted paths only with field.syntax.version=V2', () => {
    const rec = new SourceRecord({ topic: 't', valueSchema: schema, value });
    expect(extract({ field: 'after.id', 'field.syntax.version': 'v2' }).apply(rec)!.value).toBe(7);
    expect(extract({ field: 'a.b' }).apply(rec)!.value).toBe('dotted');
    expect(extract({ field: '`a.b`', 'field.syntax.version': 'V2' }).apply(rec)!.value).toBe('dotted');
    expect(() => extract({ field: 'after.id' }).apply(rec)).toThrow('Unknown field: after.id');
  });

  it('extracts from schemaless maps and keys; missing fields give null', () => {
    expect(extract({ field: 'id' }, 'key').apply(new SourceRecord({ topic: 't', key: { id: 3 } }))!.key).toBe(3);
    expect(extract({ field: 'x.y', 'field.syntax.version': 'V2' }).apply(new SourceRecord({ topic: 't', value: { x: { y: [1] } } }))!.value).toEqual([1]);
    expect(extract({ field: 'nope' }).apply(new SourceRecord({ topic: 't', value: { id: 3 } }))!.value).toBeNull();
  });

  it('rejects an unclosed backtick and a bad syntax version together', () => {
    try {
      extract({ field: '`a.b', 'field.syntax.version': 'V3' });
      expect.unreachable();
    } catch (e) {
      expect(Object.keys((e as ConfigError).errors)).toEqual(['field.syntax.version']);
    }
    expect(() => extract({ field: '`a.b', 'field.syntax.version': 'V2' })).toThrow(/Incomplete backtick pair/);
  });
});

describe('FieldPath V2', () => {
  it('splits on dots, honours backticks and escaped backticks', () => {
    expect(new FieldPath('a.b.c', 'V2').steps).toEqual(['a', 'b', 'c']);
    expect(new FieldPath('`a.b`.c', 'V2').steps).toEqual(['a.b', 'c']);
    expect(new FieldPath('`a\\`.b`.c', 'V2').steps).toEqual(['a`.b', 'c']);
    expect(new FieldPath('a.', 'V2').steps).toEqual(['a', '']);
    expect(new FieldPath('a.b', 'V1').steps).toEqual(['a.b']);
  });
});
