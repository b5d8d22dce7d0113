import { describe, expect, it } from 'vitest';
import { decideSnapshot } from './slot.js';

const streamed = { lsn: 100, lsn_commit: 90, lsn_flushable: 80 };
const healthy = { confirmedFlush: 80n, walStatus: 'reserved' };

describe('decideSnapshot', () => {
  it('initial: snapshots without an offset or after an interrupted snapshot, streams otherwise', () => {
    expect(decideSnapshot('initial', 's', null, null)).toBe(true);
    expect(decideSnapshot('initial', 's', { lsn: 5, snapshot: true, last_snapshot_record: false }, healthy)).toBe(true);
    expect(decideSnapshot('initial', 's', { lsn: 5, snapshot: true, last_snapshot_record: true }, healthy)).toBe(false);
    expect(decideSnapshot('initial', 's', streamed, healthy)).toBe(false);
  });

  it('fails with the reason when the slot cannot serve the stored offset, unless when_needed', () => {
    expect(() => decideSnapshot('initial', 'dbz', streamed, null)).toThrow(/slot 'dbz' does not exist.*when_needed/);
    expect(() => decideSnapshot('no_data', 'dbz', streamed, { confirmedFlush: 80n, walStatus: 'lost' })).toThrow(/invalidated \(wal_status=lost\)/);
    expect(decideSnapshot('when_needed', 'dbz', streamed, null)).toBe(true);
  });

  it('always snapshots under always, never under no_data / never', () => {
    expect(decideSnapshot('always', 's', streamed, healthy)).toBe(true);
    expect(decideSnapshot('no_data', 's', null, null)).toBe(false);
    expect(decideSnapshot('never', 's', null, null)).toBe(false);
  });
});
