/**
 * The stream filter after a snapshot that was not taken at the slot's position (a resumed snapshot,
 * or one on an existing slot): the stream starts at the slot, before the snapshot, so the changes of
 * transactions the snapshot already saw come again. For the tables read in that snapshot, those
 * changes are dropped, so every row shows its snapshot row, then only later changes.
 *
 * A transaction visible in the snapshot committed before `until` (the WAL insert position read just
 * after the snapshot was taken); past `until` the window has nothing left to drop and leaves the
 * offsets. Until then each record's offset carries the windows (`snapshot_stream_filter`), so a
 * crash in between restores them.
 *
 * Tables with rows already emitted by an interrupted attempt (`reopened`) were emitted at an older
 * state: a row deleted since then is absent from the new read, so its visible delete passes, and so
 * do later visible changes of that key (it was deleted and inserted again). Those keys are kept in
 * memory while the window lasts.
 */
import type { TableInfo } from '../events.js';
import type { PgOffset } from '../offsets.js';
import { parseXidSnapshot, visibleIn, type XidSnapshot } from './visibility.js';

export interface FilterWindow {
  /** `schema.table` of the tables read in the snapshot. */
  tables: string[];
  /** Those of them with rows emitted before, by an interrupted attempt. */
  reopened: string[];
  /** The snapshot, `xmin:xmax:xip`. */
  snapshot: string;
  /** The WAL insert position right after the snapshot was taken. */
  until: number;
}

/** A tuple as pgoutput or the events see it: only text values can be key values. */
type Tuple = ReadonlyArray<{ kind: string; text?: string }>;

export type FilteredChange =
  | { tag: 'insert'; newTuple: Tuple }
  | { tag: 'update'; oldTuple: Tuple | null; newTuple: Tuple }
  | { tag: 'delete'; oldTuple: Tuple }
  | { tag: 'truncate' };

interface Compiled {
  window: FilterWindow;
  snapshot: XidSnapshot;
  until: bigint;
  reopened: Set<string>;
}

export function tableName(t: { schema: string; name: string }): string {
  return `${t.schema}.${t.name}`;
}

export function parseWindows(text: string | undefined): FilterWindow[] {
  if (!text) return [];
  const parsed = JSON.parse(text) as FilterWindow[];
  if (!Array.isArray(parsed)) throw new Error(`snapshot_stream_filter is not a list: ${text}`);
  return parsed.map((w) => ({ tables: w.tables ?? [], reopened: w.reopened ?? [], snapshot: w.snapshot, until: w.until }));
}

/** Windows narrowed to `tables` (the others are read again under a newer snapshot); empty ones go. */
export function restrictWindows(windows: FilterWindow[], tables: Set<string>): FilterWindow[] {
  return windows
    .map((w) => ({ ...w, tables: w.tables.filter((t) => tables.has(t)), reopened: w.reopened.filter((t) => tables.has(t)) }))
    .filter((w) => w.tables.length > 0);
}

export class StreamFilter {
  private readonly byTable = new Map<string, Compiled>();
  private readonly compiled: Compiled[];
  private readonly end: bigint;
  /** Keys (JSON of their text) of reopened tables whose visible delete passed. */
  private readonly deletedKeys = new Map<string, Set<string>>();
  /** Offset fields by the set of windows still open (a bit each): records share one string. */
  private readonly fieldsCache = new Map<number, Partial<PgOffset>>();

  constructor(readonly windows: FilterWindow[]) {
    this.compiled = windows.map((w) => ({ window: w, snapshot: parseXidSnapshot(w.snapshot), until: BigInt(w.until), reopened: new Set(w.reopened) }));
    for (const c of this.compiled) {
      for (const t of c.window.tables) {
        const prev = this.byTable.get(t);
        // A table read again under a newer snapshot follows the newer one.
        if (!prev || prev.until < c.until) this.byTable.set(t, c);
      }
    }
    this.end = this.compiled.reduce((m, c) => (c.until > m ? c.until : m), 0n);
  }

  /** Nothing left to drop for transactions committed at or after `commitLsn`. */
  expired(commitLsn: bigint): boolean {
    return commitLsn >= this.end;
  }

  /**
   * Whether to drop this change of `table` in transaction `xid` committed at `commitLsn`. Call it
   * for every change while the filter lasts, already stored ones included: it keeps track of keys.
   */
  drops(table: TableInfo, xid: number, commitLsn: bigint, change: FilteredChange): boolean {
    if (commitLsn >= this.end) return false;
    const name = tableName(table);
    const c = this.byTable.get(name);
    if (!c || commitLsn >= c.until || !visibleIn(c.snapshot, xid)) return false;
    if (!c.reopened.has(name) || change.tag === 'truncate') return true;
    const deleted = this.deletedKeys.get(name) ?? new Set<string>();
    this.deletedKeys.set(name, deleted);
    if (change.tag === 'delete') {
      const key = keyOf(table, change.oldTuple);
      if (key !== null) deleted.add(key);
      return false;
    }
    const newKey = keyOf(table, change.newTuple);
    const oldKey = change.tag === 'update' && change.oldTuple ? keyOf(table, change.oldTuple) : null;
    return !((newKey !== null && deleted.has(newKey)) || (oldKey !== null && deleted.has(oldKey)));
  }

  /** The windows a record of a transaction committed at `commitLsn` must carry in its offset. */
  offsetFields(commitLsn: bigint): Partial<PgOffset> {
    if (commitLsn >= this.end) return {};
    let open = 0;
    for (const [i, c] of this.compiled.entries()) if (c.until > commitLsn) open |= 1 << i;
    let fields = this.fieldsCache.get(open);
    if (!fields) {
      fields = { snapshot_stream_filter: JSON.stringify(this.compiled.filter((c) => c.until > commitLsn).map((c) => c.window)) };
      this.fieldsCache.set(open, fields);
    }
    return fields;
  }

  /** For the snapshot records' offsets: every window. */
  allFields(): Partial<PgOffset> {
    return this.windows.length > 0 ? { snapshot_stream_filter: JSON.stringify(this.windows) } : {};
  }
}

/** The key columns' values as JSON, or null for a table without a key. */
function keyOf(table: TableInfo, tuple: Tuple): string | null {
  const names = table.keyColumns ?? table.columns.filter((c) => c.key).map((c) => c.name);
  if (names.length === 0) return null;
  return JSON.stringify(names.map((n) => {
    const v = tuple[table.columns.findIndex((c) => c.name === n)];
    return v?.kind === 'text' ? (v.text ?? null) : null;
  }));
}
