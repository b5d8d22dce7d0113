import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../events.js';
import { parseSignal, signalRow, splitCollection } from './signals.js';

const snapshot = (data: unknown) => ({ id: 'x', type: 'execute-snapshot', data: JSON.stringify(data) });

describe('signals', () => {
  it('reads execute-snapshot with type incremental, INCREMENTAL or none', () => {
    for (const type of ['incremental', 'INCREMENTAL', undefined]) {
      expect(parseSignal(snapshot({ 'data-collections': ['public.t1', ' s.t2 '], type }))).toEqual({ kind: 'execute-snapshot', id: 'x', collections: ['public.t1', 's.t2'] });
    }
  });

  it('ignores blocking snapshots, missing collections and data that is not JSON, saying why', () => {
    expect(parseSignal(snapshot({ 'data-collections': ['public.t1'], type: 'blocking' }))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('blocking') });
    expect(parseSignal(snapshot({ type: 'incremental' }))).toMatchObject({ kind: 'ignored' });
    expect(parseSignal({ id: 'x', type: 'execute-snapshot', data: '{nope' })).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('not JSON') });
    expect(parseSignal({ id: 'x', type: 'log', data: null })).toMatchObject({ kind: 'ignored', reason: expect.stringContaining("'log'") });
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
