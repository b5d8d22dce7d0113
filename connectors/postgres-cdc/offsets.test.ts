import { describe, expect, it } from 'vitest';
import { alreadyStored, interruptedSnapshot, readOffset, type PgOffset } from './offsets.js';

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

describe('alreadyStored', () => {
  // Two transactions as the slot sends them, in commit order. 801 began first (a change at 100)
  // but committed after 800 (changes at 200 and 300, commit 400-450). 801 commits at 450-500:
  // its commit record starts where 800's ends. 802 is a COPY: three rows in one WAL record (600).
  const t800 = { xid: 800, finalLsn: 400n };
  const t801 = { xid: 801, finalLsn: 450n };
  const t802 = { xid: 802, finalLsn: 700n };
  const stored = (o: Partial<PgOffset>): PgOffset => ({ lsn: 0, ...o });
  const check = (offset: PgOffset, tx: { xid: number; finalLsn: bigint }, lsn: bigint, atLsn = 1) => alreadyStored(offset, tx.xid, tx.finalLsn, lsn, atLsn);

  it("reads Debezium's lsn_commit, the end of the last commit before the record", () => {
    // Debezium stored 800's last change: its lsn_commit is the commit before 800 (say 50).
    const mid800 = stored({ lsn: 300, lsn_commit: 50, txId: 800 });
    expect(check(mid800, t800, 200n)).toBe(true);
    expect(check(mid800, t800, 300n)).toBe(true);
    expect(check(mid800, t801, 100n), "801's change at a lower LSN than the stored one is not stored").toBe(false);
    // Debezium stored 801's first change: 800 is done (committed before 450, the lsn_commit).
    const in801 = stored({ lsn: 100, lsn_commit: 450, txId: 801 });
    expect(check(in801, t800, 300n)).toBe(true);
    expect(check(in801, t801, 100n)).toBe(true);
    expect(check(in801, t802, 600n)).toBe(false);
  });

  it("reads earlier tsconnect offsets, whose lsn_commit is the record's own commit", () => {
    const old = stored({ lsn: 300, lsn_commit: 400, txId: 800 });
    expect(check(old, t800, 300n)).toBe(true);
    expect(check(old, t801, 100n)).toBe(false);
    expect(check(stored({ lsn: 100, lsn_commit: 450, txId: 801 }), t800, 300n)).toBe(true);
  });

  it('counts the changes sharing one LSN (a COPY) with lsn_events_processed', () => {
    const twoOfThree = stored({ lsn: 600, lsn_commit: 500, txId: 802, lsn_events_processed: 2 });
    expect([1, 2, 3].map((n) => check(twoOfThree, t802, 600n, n))).toEqual([true, true, false]);
    // Without a count (Debezium before it had one) every change at the stored LSN counts as stored.
    const noCount = stored({ lsn: 600, lsn_commit: 500, txId: 802 });
    expect([1, 2, 3].map((n) => check(noCount, t802, 600n, n))).toEqual([true, true, true]);
  });

  it('stores nothing for a snapshot offset, and nothing before the first commit is known', () => {
    expect(check(stored({ lsn: 300, snapshot: 'INITIAL' }), t800, 200n)).toBe(false);
    const first = stored({ lsn: 200, txId: 800 });
    expect(check(first, t800, 200n)).toBe(true);
    expect(check(first, t801, 100n)).toBe(false);
  });
});
