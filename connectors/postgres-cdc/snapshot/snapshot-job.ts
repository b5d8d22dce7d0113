/**
 * What an initial snapshot is to do at this start: which tables to read (all, or those an
 * interrupted attempt left), on how many readers sharing which snapshot, and the stream filter
 * that goes with it. task.ts opens it before the replication connection's next command, so the
 * slot's exported snapshot is still there to import.
 */
import type pg from 'pg';
import { getLogger } from '../../../runtime/api/index.js';
import type { TableInfo as CatalogTable } from '../catalog.js';
import { lsnNumber, type PgOffset } from '../offsets.js';
import type { SlotState } from '../slot.js';
import { planResume } from './resume-plan.js';
import type { SnapshotPolicy } from './snapshot-policy.js';
import { openReaders, type SnapshotReader } from './snapshot-reader.js';
import { StreamFilter, parseWindows, tableName, type FilterWindow } from './stream-filter.js';

const log = getLogger('connectors.postgres-cdc');

export interface SnapshotJob {
  readers: SnapshotReader[];
  /** The snapshot's xmin, the txId of snapshot events. */
  txId: number;
  /** The snapshot transaction's start, µs since the epoch: the source time of its events. */
  startedUs: bigint;
  tables: CatalogTable[];
  completed: Set<string>;
  started: Set<string>;
  /** Null when the snapshot is the slot's own (nothing to drop from the stream). */
  filter: StreamFilter | null;
}

export interface SnapshotJobInput {
  clientConfig: pg.ClientConfig;
  policy: SnapshotPolicy;
  slotName: string;
  stored: PgOffset | null;
  /** The slot as found at start (null: just created). */
  slot: SlotState | null;
  /** The slot's exported snapshot, when it was just created. */
  exportedSnapshot: string | null;
  /** The captured tables, in snapshot order. */
  tables: CatalogTable[];
  threads: number;
}

export async function openSnapshotJob(input: SnapshotJobInput): Promise<SnapshotJob> {
  const { plan, reason } = planResume(input.policy, input.slotName, input.stored, input.slot);
  if (reason) log.info(`the interrupted snapshot starts over: ${reason}`);
  const completed = plan?.completed ?? new Set<string>();
  const started = plan?.started ?? new Set<string>();
  const tables = input.tables.filter((t) => !completed.has(tableName(t)));
  if (plan) {
    const skipped = input.tables.filter((t) => completed.has(tableName(t))).map(tableName);
    log.info(`resuming the interrupted snapshot: skipping ${skipped.length} table(s) already done${skipped.length ? ` (${skipped.join(', ')})` : ''}; reading ${tables.length}${tables.length ? ` (${tables.map(tableName).join(', ')})` : ''}${started.size ? `, of which ${[...started].join(', ')} again from the start` : ''}`);
  }
  const { readers, point } = await openReaders(input.clientConfig, input.exportedSnapshot, Math.max(1, Math.min(input.threads, tables.length)));
  const windows: FilterWindow[] = [...(plan?.windows ?? [])];
  if (!input.exportedSnapshot && tables.length > 0) {
    const names = new Set(tables.map(tableName));
    windows.push({ tables: [...names], reopened: [...started].filter((t) => names.has(t)), snapshot: point.xids, until: lsnNumber(point.walLsn) });
  }
  return { readers, txId: point.txId, startedUs: point.startedUs, tables, completed, started, filter: windows.length > 0 ? new StreamFilter(windows) : null };
}

/** The filter a stored offset carries (a snapshot whose stream has not passed its end yet). */
export function storedFilter(stored: PgOffset | null): StreamFilter | null {
  const windows = parseWindows(stored?.snapshot_stream_filter);
  return windows.length > 0 ? new StreamFilter(windows) : null;
}
