/**
 * One chunk and its window: between its `snapshot-window-open` and `snapshot-window-close` in the
 * stream, every streamed change of a row of the chunk wins over the row read, so at the close only
 * the rows nobody changed go out. Rows are matched by the event key (what a streamed change
 * carries), never by a surrogate key.
 *
 * Read-only (read.only=true, no window rows): the window is open from before the read and closes
 * once the stream is past `closeAt`, the WAL position read after the rows (chunked-snapshot.ts).
 */
import { randomUUID } from 'node:crypto';
import type { TableInfo, TupleValue } from '../events.js';
import type { CurrentTable } from './chunk-table.js';
import type { Key } from './progress.js';

export class ChunkWindow {
  /** Fresh per chunk: a chunk abandoned on a lost connection never matches its window's signals again. */
  readonly id = randomUUID();
  /** The rows read, in chunk-key order; null until the read returns. */
  rows: Key[] | null = null;
  open = false;
  /** Keys of rows the stream changed while the window was open. */
  private readonly changed = new Set<string>();
  private truncated = false;
  /** Read-only: the WAL insert position read after the rows; null until then. */
  closeAt: bigint | null = null;
  /** The read's snapshot (txid_current_snapshot); null until the read returns. */
  snapshot: TxSnapshot | null = null;
  /** RecentlyStreamed's mark when the window opened: transactions seen before it are checked against `snapshot`. */
  streamedMark = 0;

  /** `limit`: the rows the chunk asked for; fewer back means the table is done. */
  constructor(readonly table: CurrentTable, readonly limit: number) {}

  get openId(): string {
    return `${this.id}-open`;
  }

  get closeId(): string {
    return `${this.id}-close`;
  }

  /** A streamed change of a captured table (old and new tuples); counts only inside the open window. */
  onChange(table: TableInfo, tuples: Array<ReadonlyArray<{ kind: string; text?: string }> | null>): void {
    if (!this.open || `${table.schema}.${table.name}` !== this.table.name) return;
    const indexes = this.table.keyNames.map((n) => table.columns.findIndex((c) => c.name === n));
    for (const tuple of tuples) {
      if (!tuple) continue;
      this.changed.add(keyText(indexes.map((i) => tuple[i]?.text ?? null)));
    }
  }

  onTruncate(table: TableInfo): void {
    if (this.open && `${table.schema}.${table.name}` === this.table.name) this.truncated = true;
  }

  /** The rows read that the stream left alone while the window was open: these go out at its close. */
  unchangedRows(): Key[] {
    if (this.truncated) return [];
    return (this.rows ?? []).filter((r) => !this.changed.has(keyText(this.table.keyIndexes.map((i) => r[i] ?? null))));
  }
}

/** What a transaction snapshot sees, from `txid_current_snapshot()`'s text `xmin:xmax:xip,...` (64-bit ids). */
export class TxSnapshot {
  private readonly xmin: bigint;
  private readonly xmax: bigint;
  private readonly inProgress: Set<bigint>;

  constructor(text: string) {
    const [xmin, xmax, xip] = text.split(':');
    if (xmin === undefined || xmax === undefined) throw new Error(`not a transaction snapshot: ${text}`);
    this.xmin = BigInt(xmin);
    this.xmax = BigInt(xmax);
    this.inProgress = new Set((xip ?? '').split(',').filter(Boolean).map((x) => BigInt(x)));
  }

  /** Whether a committed transaction's 32-bit id (as pgoutput gives it) is visible to this snapshot. */
  sees(xid32: number): boolean {
    // The 64-bit id nearest the snapshot's xmax with these low 32 bits: ids in flight are never 2^31 apart.
    let xid = (this.xmax & ~0xffffffffn) | BigInt(xid32 >>> 0);
    if (xid > this.xmax + 0x80000000n) xid -= 0x100000000n;
    else if (xid < this.xmax - 0x80000000n) xid += 0x100000000n;
    return xid < this.xmin || (xid < this.xmax && !this.inProgress.has(xid));
  }
}

/** A row read as text, in the form the event builder takes from pgoutput. */
export function rowTuple(row: Key): TupleValue[] {
  return row.map((v): TupleValue => (v === null ? { kind: 'null' } : { kind: 'text', text: v }));
}

function keyText(key: Key): string {
  return JSON.stringify(key);
}
