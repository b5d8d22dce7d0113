import { describe, expect, it } from 'vitest';
import { SourceRecord, Struct } from '../../../runtime/api/index.js';
import { EventBuilder, type SourceInfo, type TableInfo, type TupleValue } from '../events.js';
import { DEFAULT_TYPE_MODES } from '../types/index.js';
import { ExtractNewRecordState } from './extract-new-record-state.js';
import { plugins } from './index.js';

const table: TableInfo = {
  schema: 'public',
  name: 'customers',
  columns: [
    { name: 'id', key: true, type: { name: 'int4', oid: 23, typeMod: -1, optional: false } },
    { name: 'email', key: false, type: { name: 'text', oid: 25, typeMod: -1, optional: true } },
  ],
};
const source: SourceInfo = { lsn: 100n, lsnCommit: 90n, txId: 7, tsUs: 1700000000123456n, snapshot: 'false' };
const pos = { sourcePartition: { server: 'srv' }, sourceOffset: { lsn: 100 } };
const events = new EventBuilder({ topicPrefix: 'srv', database: 'db', modes: DEFAULT_TYPE_MODES, connectorVersion: '3.1.0.Final', skippedOps: [] });
const t = (text: string): TupleValue => ({ kind: 'text', text });

function smt(configs: Record<string, string> = {}): ExtractNewRecordState {
  const s = new ExtractNewRecordState();
  s.configure(configs);
  return s;
}

const [create] = events.create(table, [t('1'), t('a@x')], source, pos);
const [del, tombstone] = events.delete(table, [t('1'), t('a@x')], source, pos);
const [truncate] = events.truncate(table, source, pos);

describe('ExtractNewRecordState', () => {
  it('is registered under the Debezium class name and alias', () => {
    expect(plugins[0]!.className).toBe('io.debezium.transforms.ExtractNewRecordState');
    expect(plugins[0]!.aliases).toEqual(['ExtractNewRecordState']);
    expect(plugins[0]!.kind).toBe('transformation');
  });

  it('unwraps after of a create, keeping key and topic', () => {
    const out = smt().apply(create!)!;
    expect(out.topic).toBe('srv.public.customers');
    expect(out.valueSchema!.name).toBe('srv.public.customers.Value');
    expect((out.value as Struct).get('email')).toBe('a@x');
    expect(out.key).toBe(create!.key);
  });

  it('default (tombstone mode): delete becomes a null value, tombstones and truncates are dropped', () => {
    const s = smt();
    const out = s.apply(del!)!;
    expect(out.value).toBeNull();
    expect(out.valueSchema!.name).toBe('srv.public.customers.Value');
    expect(s.apply(tombstone!)).toBeNull();
    expect(s.apply(truncate!)).toBeNull();
  });

  it('legacy delete.handling.mode=rewrite adds __deleted and drops tombstones', () => {
    const s = smt({ 'delete.handling.mode': 'rewrite' });
    const d = s.apply(del!)!;
    expect((d.value as Struct).get('__deleted')).toBe('true');
    expect((d.value as Struct).get('id')).toBe(1);
    expect(d.valueSchema!.field('__deleted')!.schema.optional).toBe(true);
    expect((s.apply(create!)!.value as Struct).get('__deleted')).toBe('false');
    expect(s.apply(tombstone!)).toBeNull();
  });

  it('legacy delete.handling.mode=drop, drop.tombstones=false passes the tombstone', () => {
    const s = smt({ 'delete.handling.mode': 'drop', 'drop.tombstones': 'false' });
    expect(s.apply(del!)).toBeNull();
    expect(s.apply(tombstone!)).toBe(tombstone);
  });

  it('legacy delete.handling.mode=none passes a delete with a null value', () => {
    const out = smt({ 'delete.handling.mode': 'none' }).apply(del!)!;
    expect(out.value).toBeNull();
  });

  it('delete.tombstone.handling.mode=rewrite-with-tombstone keeps tombstones', () => {
    const s = smt({ 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' });
    expect((s.apply(del!)!.value as Struct).get('__deleted')).toBe('true');
    expect(s.apply(tombstone!)).toBe(tombstone);
  });

  it('add.fields with the default and a custom prefix', () => {
    const out = smt({ 'add.fields': 'op,table,lsn,source.ts_ms' }).apply(create!)!;
    const v = out.value as Struct;
    expect(out.valueSchema!.fields().map((f) => f.name)).toEqual(['id', 'email', '__op', '__table', '__lsn', '__source_ts_ms']);
    expect([v.get('__op'), v.get('__table'), v.get('__lsn'), v.get('__source_ts_ms')]).toEqual(['c', 'customers', 100, 1700000000123]);
    const renamed = smt({ 'add.fields': 'op:OPERATION', 'add.fields.prefix': '' }).apply(create!)!;
    expect((renamed.value as Struct).get('OPERATION')).toBe('c');
  });

  it('add.headers, and op=d on tombstones when they are kept', () => {
    const out = smt({ 'add.headers': 'op,db' }).apply(create!)!;
    expect(out.headers.lastWithName('__op')!.value).toBe('c');
    expect(out.headers.lastWithName('__db')!.value).toBe('db');
    expect(create!.headers.size).toBe(0);
    const kept = smt({ 'add.headers': 'op', 'drop.tombstones': 'false' }).apply(tombstone!)!;
    expect(kept.headers.lastWithName('__op')!.value).toBe('d');
  });

  it("a delete's tombstone carries the delete's added headers, then its own op, as behind Debezium 3.6.1", () => {
    const s = smt({ 'add.headers': 'op,table,lsn', 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' });
    const d = s.apply(del!)!;
    const headersOf = (r: typeof d) => [...r.headers].map((h) => [h.key, h.value, h.schema?.type ?? null]);
    expect(headersOf(d)).toEqual([['__op', 'd', 'string'], ['__table', 'customers', 'string'], ['__lsn', 100, 'int64']]);
    const ts = s.apply(tombstone!)!;
    expect(headersOf(ts)).toEqual([['__op', 'd', 'string'], ['__table', 'customers', 'string'], ['__lsn', 100, 'int64'], ['__op', 'd', 'string']]);
    // Only right after its own delete: a tombstone on its own gets just op.
    expect(headersOf(s.apply(tombstone!)!)).toEqual([['__op', 'd', 'string']]);
    expect(del!.headers.size).toBe(0);
  });

  it('records that are not change events pass through', () => {
    const plain = new SourceRecord({ topic: 'x', value: 'hello' });
    expect(smt().apply(plain)).toBe(plain);
  });

  it('rejects an unknown mode', () => {
    expect(() => smt({ 'delete.tombstone.handling.mode': 'bogus' })).toThrow(/delete.tombstone.handling.mode/);
  });
});
