import { describe, expect, it } from 'vitest';
import type { PgOffset } from '../offsets.js';
import { progressFields, requestedCollections, restoreProgress } from './progress.js';

describe('incremental snapshot progress', () => {
  it('writes Debezium offset keys and reads them back', () => {
    const progress = {
      collections: [{ id: 'public.orders', condition: "(status = 'open')", surrogateKey: 'code' }, { id: 's.t', condition: null, surrogateKey: null }],
      lastKey: ['10', null],
      maxKey: ['99', 'x'],
    };
    const fields = progressFields(progress);
    expect(JSON.parse(fields.incremental_snapshot_collections!)).toEqual([
      { incremental_snapshot_collections_id: 'public.orders', incremental_snapshot_collections_additional_condition: "(status = 'open')", incremental_snapshot_collections_surrogate_key: 'code' },
      { incremental_snapshot_collections_id: 's.t', incremental_snapshot_collections_additional_condition: null, incremental_snapshot_collections_surrogate_key: null },
    ]);
    expect(fields.incremental_snapshot_primary_key).toBe('["10",null]');
    expect(restoreProgress({ lsn: 1, ...fields } as PgOffset)).toEqual(progress);
  });

  it('writes nothing when no snapshot runs, and restores none from an offset without one', () => {
    expect(progressFields({ collections: [], lastKey: ['1'], maxKey: ['2'] })).toEqual({});
    expect(restoreProgress({ lsn: 1 })).toEqual({ collections: [], lastKey: null, maxKey: null });
    expect(restoreProgress(null).collections).toEqual([]);
  });

  it('reads an older offset without condition and surrogate key', () => {
    const stored: PgOffset = { lsn: 1, incremental_snapshot_collections: '[{"incremental_snapshot_collections_id":"public.a"}]' };
    expect(restoreProgress(stored)).toEqual({ collections: [{ id: 'public.a', condition: null, surrogateKey: null }], lastKey: null, maxKey: null });
  });

  it('takes each requested table once, in the public schema by default, with its conditions AND-ed', () => {
    const collections = requestedCollections({
      type: 'incremental',
      collections: ['orders', 'public.orders', 'public.items'],
      conditions: [{ dataCollection: 'public.orders', filter: 'a = 1' }, { dataCollection: 'public\\.ord.*', filter: 'b = 2' }],
      surrogateKey: null,
    });
    expect(collections).toEqual([
      { id: 'public.orders', condition: '(a = 1) AND (b = 2)', surrogateKey: null },
      { id: 'public.items', condition: null, surrogateKey: null },
    ]);
  });
});
