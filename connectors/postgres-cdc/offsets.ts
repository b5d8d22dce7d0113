/**
 * Offsets as Debezium's Postgres connector stores them, plus `lsn_flushable`: the end LSN of the
 * last transaction whose events were all emitted before this record, which is what the slot may
 * confirm once this offset is stored.
 *
 * Partition: {"server": "<topic.prefix>"}.
 */
import type { SourceMap } from '../../runtime/api/index.js';

export interface PgOffset {
  /** The record's own LSN (for END, the commit's). */
  lsn: number;
  /**
   * The end of the last transaction committed before this record (for END, its own), as Debezium
   * writes it (Debezium's WAL position search takes it as done). Earlier tsconnect versions wrote
   * the commit LSN of the record's own transaction; alreadyStored reads both.
   */
  lsn_commit?: number;
  lsn_proc?: number;
  /**
   * How many changes at this record's LSN, this one included, were emitted: a COPY or a
   * multi-row insert logs many rows in one WAL record, and all its changes share that LSN.
   */
  lsn_events_processed?: number;
  txId?: number;
  ts_usec?: number;
  messageType?: string;
  /**
   * Debezium 3 writes the snapshot's type, `INITIAL` (or `BLOCKING`), with `snapshot_completed`;
   * Debezium before 2.5 and earlier tsconnect wrote `true`. Written here: `INITIAL`. readOffset
   * gives `INITIAL` for `true`, and streaming offsets for the others.
   */
  snapshot?: 'INITIAL' | boolean;
  last_snapshot_record?: boolean;
  snapshot_completed?: boolean;
  lsn_flushable?: number;
  /** An incremental snapshot under way (incremental/): tables left, as Debezium writes them (JSON). */
  incremental_snapshot_collections?: string;
  /** The last key emitted and the table's maximum key, JSON arrays of Postgres text values. */
  incremental_snapshot_primary_key?: string;
  incremental_snapshot_maximum_key?: string;
  /**
   * An initial snapshot under way (snapshot/): tables wholly emitted at or before this record, and
   * tables with some rows emitted, JSON lists of `schema.table`. Debezium ignores unknown keys.
   */
  snapshot_completed_tables?: string;
  snapshot_started_tables?: string;
  /** Streamed changes the snapshot already holds, to drop (snapshot/stream-filter.ts): JSON. */
  snapshot_stream_filter?: string;
}

export function sourcePartition(topicPrefix: string): SourceMap {
  return { server: topicPrefix };
}

/** LSNs in offsets are JSON numbers, as Debezium writes them; 2^53 bytes of WAL is out of reach. */
export function lsnNumber(lsn: bigint): number {
  return Number(lsn);
}

/**
 * The stored offset, read as Debezium 3 reads its own and its predecessors': `snapshot` true,
 * "true" or "INITIAL" is an initial snapshot's record, done when `last_snapshot_record` or
 * `snapshot_completed` says so. A `BLOCKING` or `INCREMENTAL` one is a streaming position (Debezium
 * streams on from it too): its snapshot keys are dropped so nothing here takes it for an initial
 * snapshot.
 */
export function readOffset(raw: SourceMap | null): PgOffset | null {
  if (!raw || typeof raw.lsn !== 'number') return null;
  const snapshot = raw.snapshot;
  if (snapshot === undefined || snapshot === null || snapshot === false || snapshot === 'INITIAL') return raw as unknown as PgOffset;
  const offset = { ...raw } as unknown as PgOffset;
  if (snapshot === true || snapshot === 'true') {
    offset.snapshot = 'INITIAL';
  } else {
    delete offset.snapshot;
    delete offset.last_snapshot_record;
    delete offset.snapshot_completed;
  }
  return offset;
}

/** A stored offset inside an initial snapshot that did not finish (its last record not stored). */
export function interruptedSnapshot(stored: PgOffset | null): boolean {
  return !!stored?.snapshot && stored.last_snapshot_record !== true && stored.snapshot_completed !== true;
}

/** The offset just before a record's: a restart from it emits that record again (a signal to run again). */
export function justBefore(offset: PgOffset): PgOffset {
  const before: PgOffset = { ...offset, lsn: offset.lsn - 1 };
  if (before.lsn_proc !== undefined) before.lsn_proc -= 1;
  delete before.lsn_events_processed;
  return before;
}

/**
 * Whether a change of transaction `xid` (committed at `finalLsn`) at `lsn`, the `atLsn`-th change
 * at that LSN, is already stored, by the stored offset's own rules (Debezium's or tsconnect's):
 * - transactions come in commit order, so one committed before `lsn_commit` is wholly stored;
 * - in the stored record's own transaction, changes before its LSN are stored, and at its LSN the
 *   first `lsn_events_processed` (all of them when the offset has no count, as Debezium 3.6.1 and earlier
 *   resumed).
 * The transaction is told by its id: `lsn_commit` alone cannot, since a transaction that began
 * before the last commit has changes at lower LSNs than that commit's.
 */
export function alreadyStored(stored: PgOffset | null, xid: number, finalLsn: bigint, lsn: bigint, atLsn: number): boolean {
  if (!stored || stored.snapshot) return false;
  const lastCommit = stored.lsn_commit === undefined ? null : BigInt(stored.lsn_commit);
  if (stored.txId === xid && (lastCommit === null || finalLsn >= lastCommit)) {
    const storedLsn = BigInt(stored.lsn);
    if (lsn !== storedLsn) return lsn < storedLsn;
    return stored.lsn_events_processed === undefined || atLsn <= stored.lsn_events_processed;
  }
  return lastCommit !== null && finalLsn < lastCommit;
}
