/**
 * Whether an interrupted initial snapshot can carry on at the table where it stopped, and with what.
 *
 * It can when the slot still stands where the snapshot began: the slot is not confirmed while a
 * snapshot runs, so every change since is still in it and the stream can start there, dropping
 * (stream-filter.ts) what the new read of the remaining tables already holds. Otherwise the
 * snapshot starts over.
 */
import { interruptedSnapshot, type PgOffset } from '../offsets.js';
import { formatLsn } from '../replication/lsn.js';
import type { SlotState } from '../slot.js';
import type { SnapshotPolicy } from './snapshot-policy.js';
import { parseWindows, restrictWindows, type FilterWindow } from './stream-filter.js';

export interface ResumePlan {
  /** `schema.table` wholly emitted before: not read again. */
  completed: Set<string>;
  /** Tables with some rows emitted but not all: read again from their start. */
  started: Set<string>;
  /** Filter windows of earlier snapshots, kept for the completed tables. */
  windows: FilterWindow[];
}


function tableList(text: string | undefined, key: string): string[] {
  if (!text) return [];
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((t) => typeof t === 'string')) throw new Error(`offset key ${key} is not a list of table names: ${text}`);
  return parsed as string[];
}

/**
 * A plan, or why not (null `plan` and null `reason`: the stored offset is no interrupted snapshot).
 * Call it only when a snapshot is to be taken.
 */
export function planResume(policy: SnapshotPolicy, slotName: string, stored: PgOffset | null, slot: SlotState | null): { plan: ResumePlan | null; reason: string | null } {
  if (!stored || !interruptedSnapshot(stored)) return { plan: null, reason: null };
  // Under `always` (and a configuration_based snapshot) every start snapshots anew.
  if (!policy.resumes) return { plan: null, reason: `snapshot.mode=${policy.mode} takes a new snapshot at every start` };
  if (!slot) return { plan: null, reason: `the replication slot '${slotName}' is gone` };
  if (slot.walStatus === 'lost') return { plan: null, reason: `the replication slot '${slotName}' is invalidated` };
  if (slot.confirmedFlush === null || slot.confirmedFlush !== BigInt(stored.lsn)) {
    return { plan: null, reason: `the replication slot '${slotName}' stands at ${slot.confirmedFlush === null ? 'no position' : formatLsn(slot.confirmedFlush)}, not at the snapshot's position ${formatLsn(BigInt(stored.lsn))}` };
  }
  const completed = new Set(tableList(stored.snapshot_completed_tables, 'snapshot_completed_tables'));
  const started = new Set(tableList(stored.snapshot_started_tables, 'snapshot_started_tables').filter((t) => !completed.has(t)));
  return { plan: { completed, started, windows: restrictWindows(parseWindows(stored.snapshot_stream_filter), completed) }, reason: null };
}
