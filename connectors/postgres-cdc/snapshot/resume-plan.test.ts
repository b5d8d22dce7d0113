import { describe, expect, it } from 'vitest';
import { planResume } from './resume-plan.js';
import { snapshotPolicy } from './snapshot-policy.js';

const interrupted = {
  lsn: 1000,
  snapshot: true,
  last_snapshot_record: false,
  snapshot_completed_tables: '["public.a","public.b"]',
  snapshot_started_tables: '["public.c"]',
};
const slotAt = (lsn: bigint | null, walStatus = 'reserved') => ({ confirmedFlush: lsn, walStatus });

describe('planResume', () => {
  it('resumes an interrupted snapshot when the slot still stands at its position', () => {
    const { plan, reason } = planResume(snapshotPolicy('initial'), 's', interrupted, slotAt(1000n));
    expect(reason).toBeNull();
    expect([...plan!.completed]).toEqual(['public.a', 'public.b']);
    expect([...plan!.started]).toEqual(['public.c']);
    expect(plan!.windows).toEqual([]);
    expect(planResume(snapshotPolicy('when_needed'), 's', interrupted, slotAt(1000n)).plan).not.toBeNull();
  });

  it('keeps earlier filter windows for the completed tables only', () => {
    const stored = { ...interrupted, snapshot_stream_filter: JSON.stringify([{ tables: ['public.a', 'public.c'], reopened: [], snapshot: '5:9:', until: 1200 }]) };
    expect(planResume(snapshotPolicy('initial'), 's', stored, slotAt(1000n)).plan!.windows).toEqual([{ tables: ['public.a'], reopened: [], snapshot: '5:9:', until: 1200 }]);
  });

  it('starts over, saying why, when the slot is gone or moved, or under always', () => {
    expect(planResume(snapshotPolicy('initial'), 'dbz', interrupted, null)).toEqual({ plan: null, reason: "the replication slot 'dbz' is gone" });
    expect(planResume(snapshotPolicy('initial'), 'dbz', interrupted, slotAt(2000n)).reason).toMatch(/stands at 0\/7D0, not at the snapshot's position 0\/3E8/);
    expect(planResume(snapshotPolicy('initial'), 'dbz', interrupted, slotAt(1000n, 'lost')).reason).toMatch(/invalidated/);
    expect(planResume(snapshotPolicy('always'), 'dbz', interrupted, slotAt(1000n)).reason).toMatch(/always/);
  });

  it('has nothing to resume without an interrupted snapshot', () => {
    expect(planResume(snapshotPolicy('initial'), 's', null, null)).toEqual({ plan: null, reason: null });
    expect(planResume(snapshotPolicy('initial'), 's', { ...interrupted, last_snapshot_record: true }, slotAt(1000n))).toEqual({ plan: null, reason: null });
    expect(planResume(snapshotPolicy('initial'), 's', { lsn: 1000, lsn_commit: 900 }, slotAt(1000n))).toEqual({ plan: null, reason: null });
  });
});
