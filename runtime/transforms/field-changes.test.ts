import { describe, expect, it } from 'vitest';
import { BigDecimal, ConfigError, Decimal, SchemaBuilder, Schemas, SourceRecord, Struct } from '../api/index.js';
import { HoistField } from './hoist-field.js';
import { MaskField } from './mask-field.js';
import { ReplaceField } from './replace-field.js';
import { SetSchemaMetadata } from './set-schema-metadata.js';
import { ValueToKey } from './value-to-key.js';

const schema = SchemaBuilder.struct().name('row').field('id', Schemas.INT32).field('ssn', Schemas.STRING).field('amount', Decimal.schema(2)).field('ok', Schemas.BOOLEAN).build();
const row = () => new Struct(schema).put('id', 1).put('ssn', '123-45').put('amount', BigDecimal.parse('9.99')).put('ok', true);

describe('HoistField', () => {
  it('wraps a value in a struct or map', () => {
    const t = new HoistField('value');
    t.configure({ field: 'line' });
    const out = t.apply(new SourceRecord({ topic: 't', valueSchema: Schemas.STRING, value: 'hi' }))!;
    expect((out.value as Struct).get('line')).toBe('hi');
    expect(out.valueSchema!.field('line')!.schema).toBe(Schemas.STRING);
    expect(t.apply(new SourceRecord({ topic: 't', value: 5 }))!.value).toEqual({ line: 5 });
  });
});

describe('MaskField', () => {
  it('masks with empty values of each type', () => {
    const t = new MaskField('value');
    t.configure({ fields: 'ssn,amount,ok,id' });
    const v = t.apply(new SourceRecord({ topic: 't', valueSchema: schema, value: row() }))!.value as Struct;
    expect([v.get('id'), v.get('ssn'), (v.get('amount') as BigDecimal).toString(), v.get('ok')]).toEqual([0, '', '0.00', false]);
  });

  it('masks with a replacement parsed to the field type, schemaless too', () => {
    const t = new MaskField('value');
    t.configure({ fields: 'ssn,id', replacement: '***' });
    expect(t.apply(new SourceRecord({ topic: 't', value: { ssn: 'x', other: 1 } }))!.value).toEqual({ ssn: '***', other: 1 });
    expect(() => t.apply(new SourceRecord({ topic: 't', valueSchema: schema, value: row() }))).toThrow(/Unable to convert \*\*\* \(String\) to number/);
    const n = new MaskField('value');
    n.configure({ fields: 'id', replacement: '-1' });
    expect((n.apply(new SourceRecord({ topic: 't', valueSchema: schema, value: row() }))!.value as Struct).get('id')).toBe(-1);
  });
});

describe('ReplaceField', () => {
  it('excludes, includes and renames fields', () => {
    const t = new ReplaceField('value');
    t.configure({ exclude: 'ssn', renames: 'id:order_id,ok:valid' });
    const out = t.apply(new SourceRecord({ topic: 't', valueSchema: schema, value: row() }))!;
    expect(out.valueSchema!.fields().map((f) => f.name)).toEqual(['order_id', 'amount', 'valid']);
    expect((out.value as Struct).get('order_id')).toBe(1);
    const inc = new ReplaceField('value');
    inc.configure({ include: 'id,ssn', exclude: 'ssn' });
    expect(inc.apply(new SourceRecord({ topic: 't', value: { id: 1, ssn: 's', z: 0 } }))!.value).toEqual({ id: 1 });
  });

  it('reads the deprecated blacklist/whitelist when the new keys are absent', () => {
    const t = new ReplaceField('value');
    t.configure({ blacklist: 'a', whitelist: 'a,b' });
    expect(t.apply(new SourceRecord({ topic: 't', value: { a: 1, b: 2, c: 3 } }))!.value).toEqual({ b: 2 });
  });

  it('rejects a rename without a colon', () => {
    expect(() => new ReplaceField('value').configure({ renames: 'a:b,c' })).toThrow(/Invalid rename mapping: c/);
  });
});

describe('SetSchemaMetadata', () => {
  it('sets name and version and rebuilds the struct against the new schema', () => {
    const t = new SetSchemaMetadata('value');
    t.configure({ 'schema.name': 'com.example.Row', 'schema.version': '3' });
    const out = t.apply(new SourceRecord({ topic: 't', valueSchema: schema, value: row() }))!;
    expect([out.valueSchema!.name, out.valueSchema!.version]).toEqual(['com.example.Row', 3]);
    expect((out.value as Struct).schema).toBe(out.valueSchema);
    expect(() => t.apply(new SourceRecord({ topic: 't', value: {} }))).toThrow('Schema required for [updating schema metadata]');
  });

  it('needs a name or a version, and a version that is a number', () => {
    expect(() => new SetSchemaMetadata('key').configure({})).toThrow(/Neither schema name nor version configured/);
    try {
      new SetSchemaMetadata('key').configure({ 'schema.version': 'two' });
    } catch (e) {
      expect(Object.keys((e as ConfigError).errors)).toEqual(['schema.version']);
    }
  });
});

describe('ValueToKey', () => {
  it('builds the key from value fields, with and without schema', () => {
    const t = new ValueToKey();
    t.configure({ fields: 'id' });
    const out = t.apply(new SourceRecord({ topic: 't', valueSchema: schema, value: row() }))!;
    expect((out.key as Struct).get('id')).toBe(1);
    expect(out.keySchema!.fields().map((f) => f.name)).toEqual(['id']);
    expect(t.apply(new SourceRecord({ topic: 't', value: { id: 2, x: 1 } }))!.key).toEqual({ id: 2 });
    const bad = new ValueToKey();
    bad.configure({ fields: 'nope' });
    expect(() => bad.apply(new SourceRecord({ topic: 't', valueSchema: schema, value: row() }))).toThrow('Field does not exist: nope');
  });
});
