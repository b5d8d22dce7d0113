import { describe, expect, it } from 'vitest';
import { BigDecimal, ConfigError, Decimal, SchemaBuilder, Schemas, SinkRecord, SourceRecord, Struct, TimestampType } from '../api/index.js';
import { Cast } from './cast.js';

function cast(spec: string, side: 'key' | 'value' = 'value'): Cast {
  const t = new Cast(side);
  t.configure({ spec });
  return t;
}

describe('Cast', () => {
  const schema = SchemaBuilder.struct().name('order').field('id', Schemas.INT32).field('price', Schemas.FLOAT64).field('note', Schemas.OPTIONAL_STRING).build();

  it('casts a struct field from int32 to string and keeps the others', () => {
    const value = new Struct(schema).put('id', 42).put('price', 9.5).put('note', null);
    const out = cast('id:string').apply(new SourceRecord({ topic: 'orders', valueSchema: schema, value }))!;
    const s = out.value as Struct;
    expect(out.valueSchema!.field('id')!.schema.type).toBe('string');
    expect(out.valueSchema!.name).toBe('order');
    expect(s.get('id')).toBe('42');
    expect(s.get('price')).toBe(9.5);
  });

  it('reuses the transformed schema for the same input schema', () => {
    const t = cast('price:int32');
    const a = t.apply(new SourceRecord({ topic: 't', valueSchema: schema, value: new Struct(schema).put('id', 1).put('price', 2.9) }))!;
    const b = t.apply(new SourceRecord({ topic: 't', valueSchema: schema, value: new Struct(schema).put('id', 2).put('price', -2.9) }))!;
    expect(a.valueSchema).toBe(b.valueSchema);
    expect((a.value as Struct).get('price')).toBe(2);
    expect((b.value as Struct).get('price')).toBe(-2);
  });

  it('casts schemaless map fields and whole values', () => {
    const out = cast('a:int8,b:boolean,c:float64').apply(new SourceRecord({ topic: 't', value: { a: '12', b: 1, c: '3.5', d: 'x' } }))!;
    expect(out.value).toEqual({ a: 12, b: true, c: 3.5, d: 'x' });
    expect(cast('int32', 'key').apply(new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 1, key: '7', keySchema: Schemas.STRING }))!.key).toBe(7);
  });

  it('wraps narrowing like Java and prints floats like Java', () => {
    expect(cast('int8').apply(new SourceRecord({ topic: 't', valueSchema: Schemas.INT32, value: 300 }))!.value).toBe(44);
    expect(cast('string').apply(new SourceRecord({ topic: 't', valueSchema: Schemas.FLOAT64, value: 1 }))!.value).toBe('1.0');
    expect(cast('string').apply(new SourceRecord({ topic: 't', valueSchema: Schemas.FLOAT64, value: 1e10 }))!.value).toBe('1.0E10');
    expect(cast('string').apply(new SourceRecord({ topic: 't', valueSchema: Schemas.FLOAT32, value: Math.fround(1.1) }))!.value).toBe('1.1');
  });

  it('casts bytes to base64 and logical types', () => {
    const bytes = cast('string').apply(new SourceRecord({ topic: 't', valueSchema: Schemas.BYTES, value: Buffer.from('hi') }))!;
    expect(bytes.value).toBe('aGk=');
    const ts = new Date(Date.UTC(2024, 0, 31, 12, 0, 0));
    expect(cast('int64').apply(new SourceRecord({ topic: 't', valueSchema: TimestampType.SCHEMA, value: ts }))!.value).toBe(ts.getTime());
    const asText = cast('string').apply(new SourceRecord({ topic: 't', valueSchema: TimestampType.SCHEMA, value: ts }))!;
    expect(asText.value).toBe('2024-01-31T12:00:00.000Z');
    expect(asText.valueSchema!.name).toBeNull();
    expect(cast('int32').apply(new SourceRecord({ topic: 't', valueSchema: Decimal.schema(2), value: BigDecimal.parse('12.99') }))!.value).toBe(12);
  });

  it('passes tombstones through and rejects bad input values', () => {
    const tomb = new SourceRecord({ topic: 't', valueSchema: schema, value: null });
    expect(cast('id:string').apply(tomb)).toBe(tomb);
    expect(() => cast('int32').apply(new SourceRecord({ topic: 't', valueSchema: Schemas.STRING, value: 'abc' }))).toThrow(/out of range/);
    expect(() => cast('int32').apply(new SourceRecord({ topic: 't', valueSchema: schema, value: new Struct(schema).put('id', 1).put('price', 1) }))).toThrow(/STRUCT/);
  });

  it('reports bad specs with Kafka wording', () => {
    const errorOf = (spec: string | undefined) => {
      try {
        new Cast('value').configure(spec === undefined ? {} : { spec });
      } catch (e) {
        return (e as ConfigError).errors.spec?.join(' ');
      }
      return undefined;
    };
    expect(errorOf(undefined)).toMatch(/Missing required configuration "spec"/);
    expect(errorOf('')).toMatch(/Must specify at least one field to cast/);
    expect(errorOf('a:uuid')).toMatch(/Invalid type found in casting spec: uuid/);
    expect(errorOf('a:bytes')).toMatch(/does not support casting to\/from BYTES/);
    expect(errorOf('a:b:c')).toMatch(/Invalid cast mapping: a:b:c/);
    expect(errorOf('int32,a:string')).toMatch(/may only specify a single cast/);
  });
});
