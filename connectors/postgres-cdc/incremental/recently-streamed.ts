/**
 * Transactions the stream sent, by id, with the tables they changed, kept until a chunk read's
 * snapshot sees them. Postgres sends a commit once it is in the WAL; it becomes visible to other
 * sessions a moment later, and under synchronous replication only once a standby confirms it,
 * which can be long after the stream sent it (and before an incremental snapshot even started).
 * A chunk read that cannot see such a transaction returns rows older than its streamed changes, and
 * no window catches them: the chunk is read again (chunked-snapshot.ts).
 */
import { visibleIn, type XidSnapshot } from '../snapshot/visibility.js';

/** Transactions remembered at most (the oldest are forgotten first): about 10 MB. */
const MAX_TRANSACTIONS = 100_000;

export class RecentlyStreamed {
  /** xid -> when it was first seen (a counter) and the tables it changed, in arrival order. */
  private readonly byXid = new Map<number, { seq: number; tables: Set<string> }>();
  private seq = 0;

  /** The counter now: transactions seen before this mark are "streamed before" it. */
  mark(): number {
    return this.seq;
  }

  add(xid: number, table: string): void {
    const entry = this.byXid.get(xid);
    if (entry) {
      entry.tables.add(table);
      return;
    }
    this.byXid.set(xid, { seq: this.seq++, tables: new Set([table]) });
    if (this.byXid.size > MAX_TRANSACTIONS) this.byXid.delete(this.byXid.keys().next().value!);
  }

  /** A transaction seen before `mark` that changed `table` and that `snapshot` cannot see; null if none. */
  unseen(table: string, mark: number, snapshot: XidSnapshot): number | null {
    for (const [xid, e] of this.byXid) {
      if (e.seq >= mark) break;
      if (e.tables.has(table) && !visibleIn(snapshot, xid)) return xid;
    }
    return null;
  }

  /** Forgets the transactions `snapshot` sees: every later snapshot sees them too. */
  prune(snapshot: XidSnapshot): void {
    for (const xid of this.byXid.keys()) if (visibleIn(snapshot, xid)) this.byXid.delete(xid);
  }
}
