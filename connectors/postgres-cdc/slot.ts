/** The replication slot's state, and what it means for a start: snapshot or not, or fail. */
import type pg from 'pg';
import { interruptedSnapshot, type PgOffset } from './offsets.js';
import { parseLsn, type Lsn } from './replication/lsn.js';
import type { SnapshotPolicy } from './snapshot/snapshot-policy.js';

export interface SlotState {
  confirmedFlush: Lsn | null;
  walStatus: string | null;
}

export async function slotState(client: pg.Client, slot: string): Promise<SlotState | null> {
  const { rows } = await client.query<{ confirmed_flush_lsn: string | null; wal_status: string | null; plugin: string }>(
    'SELECT confirmed_flush_lsn::text, wal_status, plugin FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.plugin !== 'pgoutput') throw new Error(`replication slot '${slot}' uses plugin '${row.plugin}', not pgoutput: drop it or choose another slot.name`);
  return { confirmedFlush: row.confirmed_flush_lsn ? parseLsn(row.confirmed_flush_lsn) : null, walStatus: row.wal_status };
}

/** Whether to snapshot, per snapshot.mode, the stored offset and the slot; throws when the slot cannot serve the offset. */
export function decideSnapshot(policy: SnapshotPolicy, slotName: string, stored: PgOffset | null, slot: SlotState | null): boolean {
  const incomplete = interruptedSnapshot(stored);
  const lost = slot?.walStatus === 'lost';
  // A slot confirmed past the stored offset is normal: idle keepalives are confirmed once
  // everything queued is stored, and such positions carry no captured change.
  const cannotServe = !!stored && !stored.snapshot && (!slot || lost);
  if (cannotServe && !policy.onDataError) {
    const why = !slot ? `the replication slot '${slotName}' does not exist` : `the replication slot '${slotName}' is invalidated (wal_status=lost)`;
    throw new Error(`${why}, so changes after the stored offset (lsn ${stored!.lsn}) cannot be streamed; set snapshot.mode=when_needed to take a new snapshot, or reset the connector's offsets`);
  }
  if (lost && slot) throw new Error(`the replication slot '${slotName}' is invalidated (wal_status=lost): drop it (SELECT pg_drop_replication_slot('${slotName}')) and restart`);
  switch (policy.data) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'initial':
      return !stored || incomplete || cannotServe;
  }
}
