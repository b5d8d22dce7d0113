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
import type { XidSnapshot } from '../snapshot/visibility.js';
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
  snapshot: XidSnapshot | null = null;
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

/** A row read as text, in the form the event builder takes from pgoutput. */
export function rowTuple(row: Key): TupleValue[] {
  return row.map((v): TupleValue => (v === null ? { kind: 'null' } : { kind: 'text', text: v }));
}

function keyText(key: Key): string {
  return JSON.stringify(key);
}
