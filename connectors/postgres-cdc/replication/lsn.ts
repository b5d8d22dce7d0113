/**
 * Log sequence numbers: a 64-bit position in the WAL, printed by Postgres as two upper-case hex
 * halves ('16/B374D848'). Kept as bigint so no position above 2^53 loses precision.
 */
export type Lsn = bigint;

const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;
const MAX_LSN = 0xffff_ffff_ffff_ffffn;

export const ZERO_LSN: Lsn = 0n;

export function parseLsn(text: string): Lsn {
  const m = LSN_TEXT.exec(text.trim());
  if (!m) throw new Error(`Invalid LSN '${text}': expected two hex numbers of up to 8 digits separated by '/', as in '16/B374D848'`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function formatLsn(lsn: Lsn): string {
  if (lsn < 0n || lsn > MAX_LSN) throw new RangeError(`LSN ${lsn} is outside 0..2^64-1`);
  const hi = Number(lsn >> 32n);
  const lo = Number(lsn & 0xffff_ffffn);
  return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
}

/** Negative, zero or positive as a is before, at or after b (usable as an Array.sort comparator). */
export function compareLsn(a: Lsn, b: Lsn): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxLsn(a: Lsn, b: Lsn): Lsn {
  return a > b ? a : b;
}

export function minLsn(a: Lsn, b: Lsn): Lsn {
  return a < b ? a : b;
}
