import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, SinkRecord, SourceRecord, Struct } from '../api/index.js';
import { InsertField } from './insert-field.js';

function insert(props: Record<string, string>, side: 'key' | 'value' = 'value'): InsertField {
  const t = new InsertField(side);
  t.configure(props);
  return t;
}

describe('InsertField', () => {
  const schema = SchemaBuilder.struct().field('id', Schemas.INT32).build();

  it('adds topic and offset to a struct value of a sink record', () => {
    const rec = new SinkRecord({ topic: 'orders', kafkaPartition: 2, kafkaOffset: 42, valueSchema: schema, value: new Struct(schema).put('id', 1), timestamp: 1_700_000_000_000 });
    const out = insert({ 'topic.field': 'topic!', 'offset.field': 'offset', 'timestamp.field': 'ts', 'static.field': 'src', 'static.value': 'pg' }).apply(rec)!;
    const v = out.value as Struct;
    expect(v.get('id')).toBe(1);
    expect(v.get('topic')).toBe('orders');
    expect(v.get('offset')).toBe(42);
    expect(v.get('ts')).toEqual(new Date(1_700_000_000_000));
    expect(v.get('src')).toBe('pg');
    expect(out.valueSchema!.field('topic')!.schema.optional).toBe(false);
    expect(out.valueSchema!.field('offset')!.schema.optional).toBe(true);
  });

  it('adds fields to schemaless maps, keys included', () => {
    const rec = new SinkRecord({ topic: 'orders', kafkaPartition: 2, kafkaOffset: 7, key: { id: 1 }, timestamp: 5 });
    const out = insert({ 'partition.field': 'p', 'timestamp.field': 'ts' }, 'key').apply(rec)!;
    expect(out.key).toEqual({ id: 1, p: 2, ts: 5 });
  });

  it('refuses offsets on source records and passes tombstones through', () => {
    const t = insert({ 'offset.field': 'offset' });
    expect(() => t.apply(new SourceRecord({ topic: 't', value: { a: 1 } }))).toThrow(/only supported for sink connectors/);
    const tomb = new SourceRecord({ topic: 't', value: null });
    expect(t.apply(tomb)).toBe(tomb);
  });

  it('keeps a null field null when replace.null.with.default=false', () => {
    const withDefault = SchemaBuilder.struct().field('n', SchemaBuilder.int32().optional().defaultValue(5).build()).build();
    const rec = new SourceRecord({ topic: 't', valueSchema: withDefault, value: new Struct(withDefault) });
    expect((insert({ 'topic.field': 't' }).apply(rec)!.value as Struct).getWithoutDefault('n')).toBe(5);
    expect((insert({ 'topic.field': 't', 'replace.null.with.default': 'false' }).apply(rec)!.value as Struct).getWithoutDefault('n')).toBeNull();
  });
});
