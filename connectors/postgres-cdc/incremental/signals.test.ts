import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../events.js';
import { filtersFor, matchesCollection, parseSignal, signalRow, splitCollection } from './signals.js';

const snapshot = (data: unknown) => ({ id: 'x', type: 'execute-snapshot', data: JSON.stringify(data) });

describe('signals', () => {
  it('reads execute-snapshot with type incremental, INCREMENTAL or none', () => {
    for (const type of ['incremental', 'INCREMENTAL', undefined]) {
      expect(parseSignal(snapshot({ 'data-collections': ['public.t1', ' s.t2 '], type }))).toEqual({ kind: 'execute-snapshot', id: 'x', type: 'incremental', collections: ['public.t1', 's.t2'], conditions: [], surrogateKey: null });
    }
  });

  it('reads blocking snapshots, additional-conditions and surrogate-key as Debezium writes them', () => {
    const data = {
      'data-collections': ['public.orders', 'public.items'],
      type: 'BLOCKING',
      'additional-conditions': [{ 'data-collection': 'public.orders', filter: "status = 'open'" }, { 'data-collection': 'public\\.it.*', filter: 'n > 2' }],
      'surrogate-key': ' code ',
    };
    expect(parseSignal(snapshot(data))).toEqual({
      kind: 'execute-snapshot', id: 'x', type: 'blocking', collections: ['public.orders', 'public.items'],
      conditions: [{ dataCollection: 'public.orders', filter: "status = 'open'" }, { dataCollection: 'public\\.it.*', filter: 'n > 2' }],
      surrogateKey: 'code',
    });
  });

  it("accepts Debezium's older additional-condition, for every collection", () => {
    const s = parseSignal(snapshot({ 'data-collections': ['a', 'public.b'], 'additional-condition': 'id > 10' }));
    expect(s).toMatchObject({ kind: 'execute-snapshot', conditions: [{ dataCollection: '.*', filter: 'id > 10' }] });
    const conditions = s.kind === 'execute-snapshot' ? s.conditions : [];
    expect(filtersFor(conditions, 'public.a')).toEqual(['id > 10']);
    expect(filtersFor(conditions, 'public.b')).toEqual(['id > 10']);
  });

  it('matches conditions to tables by exact name (a bare name is in public) or anchored case-insensitive regex', () => {
    const conditions = [{ dataCollection: 'orders', filter: 'a' }, { dataCollection: 'PUBLIC.ORDERS', filter: 'b' }, { dataCollection: 'public\\.ord', filter: 'c' }, { dataCollection: 'inv\\..*', filter: 'd' }];
    expect(filtersFor(conditions, 'public.orders')).toEqual(['a', 'b']);
    expect(filtersFor(conditions, 'inv.orders')).toEqual(['d']);
    expect(matchesCollection('public.(', 'public.x')).toBe(false);
  });

  it('ignores other snapshot types, missing collections, bad conditions and data that is not JSON, saying why', () => {
    expect(parseSignal(snapshot({ 'data-collections': ['public.t1'], type: 'parallel' }))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('parallel') });
    expect(parseSignal(snapshot({ 'data-collections': ['public.t1'], 'additional-conditions': [{ filter: 'x' }] }))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('data-collection') });
    expect(parseSignal(snapshot({ 'data-collections': ['public.t1'], 'additional-conditions': 'x > 1' }))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('not a list') });
    expect(parseSignal(snapshot({ type: 'incremental' }))).toMatchObject({ kind: 'ignored' });
    expect(parseSignal({ id: 'x', type: 'execute-snapshot', data: '{nope' })).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('not JSON') });
    expect(parseSignal({ id: 'x', type: 'schema-changes', data: null })).toMatchObject({ kind: 'ignored', reason: expect.stringContaining("'schema-changes'") });
    expect(parseSignal({ id: 'x', type: 'log', data: null })).toMatchObject({ kind: 'ignored', reason: 'log without a message' });
  });

  it("reads Debezium's log signal", () => {
    expect(parseSignal({ id: 'x', type: 'log', data: '{"message":"at {}"}' })).toEqual({ kind: 'log', id: 'x', message: 'at {}' });
  });

  it('stop-snapshot without collections stops them all', () => {
    expect(parseSignal({ id: 's', type: 'stop-snapshot', data: '{"type":"incremental"}' })).toEqual({ kind: 'stop-snapshot', id: 's', collections: null });
    expect(parseSignal({ id: 's', type: 'stop-snapshot', data: null })).toEqual({ kind: 'stop-snapshot', id: 's', collections: null });
    expect(parseSignal({ id: 's', type: 'stop-snapshot', data: '{"data-collections":["public.a"]}' })).toEqual({ kind: 'stop-snapshot', id: 's', collections: ['public.a'] });
  });

  it('pause, resume and the window signals', () => {
    expect(parseSignal({ id: 'p', type: 'pause-snapshot', data: null }).kind).toBe('pause-snapshot');
    expect(parseSignal({ id: 'r', type: 'resume-snapshot', data: '' }).kind).toBe('resume-snapshot');
    expect(parseSignal({ id: 'c-open', type: 'snapshot-window-open', data: '{}' })).toEqual({ kind: 'window-open', id: 'c-open' });
    expect(parseSignal({ id: 'c-close', type: 'snapshot-window-close', data: null })).toEqual({ kind: 'window-close', id: 'c-close' });
  });

  it('takes the columns by name from a streamed row, and names from schema.table', () => {
    const col = (name: string) => ({ name, key: name === 'id', type: { name: 'varchar', oid: 1043, typeMod: -1, optional: true } });
    const table: TableInfo = { schema: 'public', name: 'sig', columns: [col('type'), col('id'), col('data')] };
    expect(signalRow(table, [{ kind: 'text', text: 'pause-snapshot' }, { kind: 'text', text: 'a' }, { kind: 'null' }])).toEqual({ id: 'a', type: 'pause-snapshot', data: null });
    expect(splitCollection('inv.orders')).toEqual(['inv', 'orders']);
    expect(splitCollection('orders')).toEqual(['public', 'orders']);
  });
});
