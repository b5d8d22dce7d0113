import { describe, expect, it } from 'vitest';
import { ConfigError, ConnectHeaders, SchemaBuilder, Schemas, SourceRecord, Struct } from '../api/index.js';
import { DropHeaders } from './drop-headers.js';
import { HeaderFrom } from './header-from.js';
import { InsertHeader } from './insert-header.js';

describe('DropHeaders', () => {
  it('removes every header with a listed key and leaves the input record alone', () => {
    const rec = new SourceRecord({ topic: 't', headers: new ConnectHeaders().addString('a', '1').addString('b', '2').addString('a', '3') });
    const t = new DropHeaders();
    t.configure({ headers: 'a' });
    expect(t.apply(rec)!.headers.toArray().map((h) => h.key)).toEqual(['b']);
    expect(rec.headers.size).toBe(3);
    expect(() => new DropHeaders().configure({ headers: '' })).toThrow(/Empty list/);
  });
});

describe('InsertHeader', () => {
  it('adds a typed literal header', () => {
    const t = new InsertHeader();
    t.configure({ header: 'source', 'value.literal': 'pg-prod' });
    const h = t.apply(new SourceRecord({ topic: 't' }))!.headers.lastWithName('source')!;
    expect([h.value, h.schema]).toEqual(['pg-prod', Schemas.STRING]);
    const n = new InsertHeader();
    n.configure({ header: 'n', 'value.literal': '42' });
    expect(n.apply(new SourceRecord({ topic: 't' }))!.headers.lastWithName('n')!.schema).toBe(Schemas.INT8);
  });
});

describe('HeaderFrom', () => {
  const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('trace', Schemas.STRING).build();

  it('moves a struct field to a header with its schema', () => {
    const t = new HeaderFrom('value');
    t.configure({ fields: 'trace', headers: 'trace-id', operation: 'move' });
    const out = t.apply(new SourceRecord({ topic: 't', valueSchema: schema, value: new Struct(schema).put('id', 1).put('trace', 'abc') }))!;
    expect(out.valueSchema!.fields().map((f) => f.name)).toEqual(['id']);
    expect(out.headers.lastWithName('trace-id')).toEqual({ key: 'trace-id', schema: Schemas.STRING, value: 'abc' });
  });

  it('copies schemaless fields and keeps them in the value', () => {
    const t = new HeaderFrom('key');
    t.configure({ fields: 'id', headers: 'key-id', operation: 'copy' });
    const out = t.apply(new SourceRecord({ topic: 't', key: { id: 9 } }))!;
    expect(out.key).toEqual({ id: 9 });
    expect(out.headers.lastWithName('key-id')!.value).toBe(9);
  });

  it('reports mismatched lists and a bad operation together', () => {
    try {
      new HeaderFrom('value').configure({ fields: 'a,b', headers: 'x', operation: 'cut' });
      expect.unreachable();
    } catch (e) {
      expect(Object.keys((e as ConfigError).errors).sort()).toEqual(['fields', 'operation']);
    }
  });
});
