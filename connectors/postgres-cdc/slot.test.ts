import { describe, expect, it } from 'vitest';
import { decideSnapshot } from './slot.js';
import { snapshotPolicy } from './snapshot/snapshot-policy.js';

const streamed = { lsn: 100, lsn_commit: 90, lsn_flushable: 80 };
const healthy = { confirmedFlush: 80n, walStatus: 'reserved' };

describe('decideSnapshot', () => {
  it('initial: snapshots without an offset or after an interrupted snapshot, streams otherwise', () => {
    expect(decideSnapshot(snapshotPolicy('initial'), 's', null, null)).toBe(true);
    expect(decideSnapshot(snapshotPolicy('initial'), 's', { lsn: 5, snapshot: true, last_snapshot_record: false }, healthy)).toBe(true);
    expect(decideSnapshot(snapshotPolicy('initial'), 's', { lsn: 5, snapshot: true, last_snapshot_record: true }, healthy)).toBe(false);
    expect(decideSnapshot(snapshotPolicy('initial'), 's', streamed, healthy)).toBe(false);
  });

  it('fails with the reason when the slot cannot serve the stored offset, unless when_needed', () => {
    expect(() => decideSnapshot(snapshotPolicy('initial'), 'dbz', streamed, null)).toThrow(/slot 'dbz' does not exist.*when_needed/);
    expect(() => decideSnapshot(snapshotPolicy('no_data'), 'dbz', streamed, { confirmedFlush: 80n, walStatus: 'lost' })).toThrow(/invalidated \(wal_status=lost\)/);
    expect(decideSnapshot(snapshotPolicy('when_needed'), 'dbz', streamed, null)).toBe(true);
  });

  it('always snapshots under always, never under no_data / never', () => {
    expect(decideSnapshot(snapshotPolicy('always'), 's', streamed, healthy)).toBe(true);
    expect(decideSnapshot(snapshotPolicy('no_data'), 's', null, null)).toBe(false);
    expect(decideSnapshot(snapshotPolicy('never'), 's', null, null)).toBe(false);
  });

  it('configuration_based: its keys decide, as Debezium\'s ConfigurationBasedSnapshotter', () => {
    const cb = (data: boolean, stream: boolean, onDataError: boolean) => snapshotPolicy('configuration_based', { data, stream, onDataError });
    // snapshot.data=true snapshots at every start, with an offset or not; false never.
    expect(decideSnapshot(cb(true, true, false), 's', streamed, healthy)).toBe(true);
    expect(decideSnapshot(cb(true, false, false), 's', null, null)).toBe(true);
    expect(decideSnapshot(cb(false, true, false), 's', null, null)).toBe(false);
    expect(cb(true, false, false)).toMatchObject({ stream: false, resumes: false });
    // snapshot.on.data.error: a slot that cannot serve the offset is no error; without it, it is.
    expect(() => decideSnapshot(cb(false, true, false), 'dbz', streamed, null)).toThrow(/slot 'dbz' does not exist/);
    expect(decideSnapshot(cb(true, true, true), 'dbz', streamed, null)).toBe(true);
    expect(decideSnapshot(cb(false, true, true), 'dbz', streamed, null)).toBe(false);
    expect(() => snapshotPolicy('custom')).toThrow(/not one of initial, initial_only, when_needed, always, no_data, never, configuration_based/);
  });
});
