/**
 * Whether a transaction is visible in a Postgres snapshot, from the snapshot's text form
 * (`pg_current_snapshot()` / `txid_current_snapshot()`: `xmin:xmax:xip,xip,...`) and the 32-bit xid
 * pgoutput sends in Begin.
 *
 * The snapshot's ids are 64-bit (epoch and xid); the stream's are the low 32 bits. Both are compared
 * modulo 2^32 as Postgres compares xids (a precedes b when (a - b) mod 2^32 is negative as int32),
 * which is exact for transactions within 2^31 of each other: the stream between the slot's position
 * and the snapshot is far closer than that.
 */

export interface XidSnapshot {
  /** Every transaction before it is finished. */
  xmin: number;
  /** Every transaction from it on is unfinished (invisible). */
  xmax: number;
  /** In progress when the snapshot was taken. */
  xip: Set<number>;
}

/** The low 32 bits of a 64-bit xid given as decimal text. */
function xid32(text: string): number {
  const s = text.trim();
  if (!/^\d+$/.test(s)) throw new Error(`not a transaction id: '${text}'`);
  return Number(BigInt(s) & 0xffffffffn);
}

export function parseXidSnapshot(text: string): XidSnapshot {
  const parts = text.trim().split(':');
  if (parts.length !== 3) throw new Error(`not a snapshot (xmin:xmax:xip): '${text}'`);
  const [xmin, xmax, xip] = parts as [string, string, string];
  return { xmin: xid32(xmin), xmax: xid32(xmax), xip: new Set(xip ? xip.split(',').map(xid32) : []) };
}

/** a < b in Postgres's circular xid order. */
export function xidPrecedes(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/**
 * Whether the (committed) transaction `xid` is visible in the snapshot: finished before it was
 * taken. Subtransactions follow their top-level xid, which is the one the stream reports.
 */
export function visibleIn(snapshot: XidSnapshot, xid: number): boolean {
  const x = xid >>> 0;
  if (xidPrecedes(x, snapshot.xmin)) return true;
  if (!xidPrecedes(x, snapshot.xmax)) return false;
  return !snapshot.xip.has(x);
}
