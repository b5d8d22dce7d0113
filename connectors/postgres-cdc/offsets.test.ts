import { describe, expect, it } from 'vitest';
import { interruptedSnapshot, readOffset } from './offsets.js';

// Offsets as Debezium's Postgres connector stores them: 3.x (SnapshotType names and
// snapshot_completed) and before 2.5 (a boolean).
const base = { lsn: 24023128, txId: 555, ts_usec: 1559033904863123 };

describe('readOffset', () => {
  it("reads Debezium 3's interrupted and finished initial snapshots", () => {
    const running = readOffset({ ...base, snapshot: 'INITIAL', last_snapshot_record: false, snapshot_completed: false });
    expect(running?.snapshot).toBe('INITIAL');
    expect(interruptedSnapshot(running)).toBe(true);
    const last = readOffset({ ...base, snapshot: 'INITIAL', last_snapshot_record: true, snapshot_completed: true });
    expect(interruptedSnapshot(last)).toBe(false);
    // snapshot_completed alone also ends it.
    expect(interruptedSnapshot(readOffset({ ...base, snapshot: 'INITIAL', last_snapshot_record: false, snapshot_completed: true }))).toBe(false);
  });

  it('reads the older boolean form (and its text) as INITIAL', () => {
    expect(readOffset({ ...base, snapshot: true, last_snapshot_record: false })).toEqual({ ...base, snapshot: 'INITIAL', last_snapshot_record: false });
    expect(interruptedSnapshot(readOffset({ ...base, snapshot: 'true', last_snapshot_record: false }))).toBe(true);
    expect(interruptedSnapshot(readOffset({ ...base, snapshot: true, last_snapshot_record: true }))).toBe(false);
  });

  it('reads a blocking or incremental snapshot position as a streaming one', () => {
    const raw = { ...base, lsn_proc: 24023128, lsn_commit: 24023000, snapshot: 'BLOCKING', last_snapshot_record: false, snapshot_completed: false };
    const blocking = readOffset(raw);
    expect(blocking).toEqual({ ...base, lsn_proc: 24023128, lsn_commit: 24023000 });
    expect(interruptedSnapshot(blocking)).toBe(false);
    expect(raw.snapshot).toBe('BLOCKING'); // the stored map is not changed
    expect(readOffset({ ...base, snapshot: 'INCREMENTAL', snapshot_completed: true })).toEqual(base);
  });

  it('passes streaming offsets through and refuses a map without an lsn', () => {
    const streaming = { ...base, lsn_proc: 24023128, lsn_commit: 24023000 };
    expect(readOffset(streaming)).toBe(streaming);
    expect(interruptedSnapshot(readOffset(streaming))).toBe(false);
    expect(readOffset({ snapshot: 'INITIAL' })).toBeNull();
    expect(readOffset(null)).toBeNull();
  });
});
