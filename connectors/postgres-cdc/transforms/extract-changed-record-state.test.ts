import { describe, expect, it } from 'vitest';
import { Struct } from '../../../runtime/api/index.js';
import { EventBuilder, type SourceInfo, type TableInfo, type TupleValue } from '../events.js';
import { DEFAULT_TYPE_MODES } from '../types/index.js';
import { ExtractChangedRecordState } from './extract-changed-record-state.js';
import { ExtractNewRecordState } from './extract-new-record-state.js';
import { plugins } from './index.js';

const table: TableInfo = {
  schema: 'public', name: 'customers',
  columns: [
    { name: 'id', key: true, type: { name: 'int4', oid: 23, typeMod: -1, optional: false } },
    { name: 'email', key: false, type: { name: 'text', oid: 25, typeMod: -1, optional: true } },
    { name: 'note', key: false, type: { name: 'text', oid: 25, typeMod: -1, optional: true } },
    { name: 'pic', key: false, type: { name: 'bytea', oid: 17, typeMod: -1, optional: true } },
  ],
};
const source: SourceInfo = { lsn: 100n, lsnCommit: 90n, txId: 7, tsUs: 1700000000123456n, snapshot: 'false' };
const pos = { sourcePartition: { server: 'srv' }, sourceOffset: { lsn: 100 } };
const events = new EventBuilder({ topicPrefix: 'srv', database: 'db', modes: DEFAULT_TYPE_MODES, connectorVersion: '3.1.0.Final' });
const t = (text: string): TupleValue => ({ kind: 'text', text });
const old = [t('1'), t('a@x'), t('hi'), t('\\x0102')];

function configured<T extends { configure(c: Record<string, string>): void }>(smt: T, configs: Record<string, string>): T {
  smt.configure(configs);
  return smt;
}

const headersOf = (r: { headers: Iterable<{ key: string; value: unknown }> }) => Object.fromEntries([...r.headers].map((h) => [h.key, h.value]));

describe('ExtractChangedRecordState', () => {
  it('is registered under the Debezium class name and alias', () => {
    const p = plugins.find((d) => d.className === 'io.debezium.transforms.ExtractChangedRecordState');
    expect(p?.aliases).toEqual(['ExtractChangedRecordState']);
  });

  it('lists the changed and unchanged fields of an update with the old row (bytes compared by content), empty lists otherwise', () => {
    const smt = configured(new ExtractChangedRecordState(), { 'header.changed.name': 'Changed', 'header.unchanged.name': 'Unchanged' });
    const [update] = events.update(table, old, [t('1'), t('b@x'), t('hi'), t('\\x0102')], source, pos);
    const out = smt.apply(update!);
    expect(headersOf(out)).toEqual({ Changed: ['email'], Unchanged: ['id', 'note', 'pic'] });
    const header = [...out.headers].find((h) => h.key === 'Changed')!;
    expect(header.schema!.name).toBe('Changed');
    expect(header.schema!.valueSchema!.optional).toBe(true);
    const [create] = events.create(table, old, source, pos);
    expect(headersOf(smt.apply(create!))).toEqual({ Changed: [], Unchanged: [] });
    // A delete's tombstone carries the delete's headers, as Debezium's shared header list does.
    const [del, tombstone] = events.delete(table, old, source, pos);
    smt.apply(del!);
    expect(headersOf(smt.apply(tombstone!))).toEqual({ Changed: [], Unchanged: [] });
  });

  it('with ExtractNewRecordState drop.fields.header.name, an update carries only what it changed (and the key)', () => {
    const changed = configured(new ExtractChangedRecordState(), { 'header.unchanged.name': 'Unchanged' });
    const unwrap = configured(new ExtractNewRecordState(), { 'drop.fields.header.name': 'Unchanged' });
    const [update] = events.update(table, old, [t('1'), t('b@x'), t('hi'), t('\\x0102')], source, pos);
    const out = unwrap.apply(changed.apply(update!))!;
    // id is required: drop.fields.keep.schema.compatible (default true) keeps it.
    expect((out.value as Struct).schema.fields().map((f) => f.name)).toEqual(['id', 'email']);
    expect((out.value as Struct).get('email')).toBe('b@x');
    const all = configured(new ExtractNewRecordState(), { 'drop.fields.header.name': 'Unchanged', 'drop.fields.keep.schema.compatible': 'false', 'drop.fields.from.key': 'true' });
    const both = all.apply(changed.apply(update!))!;
    expect((both.value as Struct).schema.fields().map((f) => f.name)).toEqual(['email']);
    expect((both.key as Struct).schema.fields()).toEqual([]);
    // Nothing listed, nothing dropped.
    const [create] = events.create(table, old, source, pos);
    expect((unwrap.apply(changed.apply(create!))!.value as Struct).schema.fields().map((f) => f.name)).toEqual(['id', 'email', 'note', 'pic']);
  });
});
