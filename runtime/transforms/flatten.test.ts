import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, SourceRecord, Struct } from '../api/index.js';
import { Flatten } from './flatten.js';

function flatten(delimiter?: string): Flatten {
  const t = new Flatten('value');
  t.configure(delimiter === undefined ? {} : { delimiter });
  return t;
}

describe('Flatten', () => {
  const address = SchemaBuilder.struct().field('city', Schemas.STRING).field('zip', Schemas.OPTIONAL_STRING).build();
  const optionalAddress = SchemaBuilder.from(address).optional().build();
  const person = SchemaBuilder.struct().name('person').field('name', Schemas.STRING).field('home', address).field('work', optionalAddress).build();

  it('flattens nested structs with the delimiter', () => {
    const value = new Struct(person).put('name', 'ann').put('home', new Struct(address).put('city', 'Oslo')).put('work', null);
    const out = flatten('_').apply(new SourceRecord({ topic: 't', valueSchema: person, value }))!;
    expect(out.valueSchema!.fields().map((f) => f.name)).toEqual(['name', 'home_city', 'home_zip', 'work_city', 'work_zip']);
    expect(out.valueSchema!.name).toBe('person');
    const v = out.value as Struct;
    expect(v.get('home_city')).toBe('Oslo');
    expect(v.get('work_city')).toBeNull();
    // Fields under an optional struct become optional.
    expect(out.valueSchema!.field('work_city')!.schema.optional).toBe(true);
    expect(out.valueSchema!.field('home_city')!.schema.optional).toBe(false);
  });

  it('flattens schemaless maps with the default dot and keeps arrays', () => {
    const out = flatten().apply(new SourceRecord({ topic: 't', value: { a: { b: { c: 1 }, d: [1, 2] }, e: null } }))!;
    expect(out.value).toEqual({ 'a.b.c': 1, 'a.d': [1, 2], e: null });
  });

  it('keeps a null value null with the flattened schema', () => {
    const optionalPerson = SchemaBuilder.from(person).optional().build();
    const out = flatten().apply(new SourceRecord({ topic: 't', valueSchema: optionalPerson, value: null }))!;
    expect(out.value).toBeNull();
    expect(out.valueSchema!.field('home.city')).not.toBeNull();
  });
});
