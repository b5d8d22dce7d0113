/**
 * An exact decimal: an unscaled integer and a scale (value = unscaled * 10^-scale), the value of
 * Connect's Decimal logical type. JavaScript numbers would lose digits of NUMERIC columns.
 */
import { DataError } from '../api/errors.js';

export class BigDecimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {
    if (!Number.isInteger(scale)) throw new DataError(`a decimal scale must be an integer, got ${scale}`);
  }

  /** Parses `-12.340`, `1e-3`, `12` exactly. The scale is the count of digits after the point. */
  static parse(text: string): BigDecimal {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new DataError(`'${text}' is not a decimal number`);
    const frac = m[3] ?? '';
    const exp = m[4] ? Number(m[4]) : 0;
    const digits = BigInt(`${m[2] || '0'}${frac}` || '0');
    return new BigDecimal(m[1] === '-' ? -digits : digits, frac.length - exp);
  }

  static fromNumber(value: number): BigDecimal {
    if (!Number.isFinite(value)) throw new DataError(`${value} cannot be a decimal`);
    return BigDecimal.parse(String(value));
  }

  /** The same value at another scale; throws when digits would be lost, unless rounding is allowed (half up). */
  setScale(scale: number, round = false): BigDecimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new BigDecimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const div = 10n ** BigInt(this.scale - scale);
    const q = this.unscaled / div;
    const r = this.unscaled % div;
    if (r === 0n) return new BigDecimal(q, scale);
    if (!round) throw new DataError(`${this.toString()} does not fit scale ${scale} without rounding`);
    const half = (r < 0n ? -r : r) * 2n >= div;
    return new BigDecimal(half ? q + (this.unscaled < 0n ? -1n : 1n) : q, scale);
  }

  /** Plain notation, never exponent: `-0.0012`, `1200` (negative scales are written out). */
  toString(): string {
    if (this.scale <= 0) return (this.unscaled * 10n ** BigInt(-this.scale)).toString();
    const neg = this.unscaled < 0n;
    const digits = (neg ? -this.unscaled : this.unscaled).toString().padStart(this.scale + 1, '0');
    const cut = digits.length - this.scale;
    return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  toJSON(): string {
    return this.toString();
  }

  /** Equal in value and scale, as Java's BigDecimal.equals. */
  equals(other: unknown): boolean {
    return other instanceof BigDecimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  compareTo(other: BigDecimal): number {
    const s = Math.max(this.scale, other.scale);
    const a = this.setScale(s).unscaled;
    const b = other.setScale(s).unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }
}

const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Big-endian two's complement bytes of an integer, the shortest form (Java's BigInteger.toByteArray). */
export function bigintToBytes(value: bigint): Uint8Array {
  // Most NUMERIC values' unscaled integers are safe integers: bytes by float arithmetic instead of
  // two BigInts a byte (a 1 KB-row change's numeric spent ~1% of its main thread here).
  if (value >= SAFE_MIN && value <= SAFE_MAX) return safeIntegerBytes(Number(value));
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0xffn);
    out.unshift(byte);
    v >>= 8n;
    const signBit = (byte & 0x80) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) break;
  }
  return Uint8Array.from(out);
}

/** bigintToBytes for |n| <= 2^53 - 1: at most 8 bytes. Floor division shifts as `>>` does (-1 stays -1). */
function safeIntegerBytes(n: number): Uint8Array {
  const tmp = new Uint8Array(8);
  let i = tmp.length;
  let v = n;
  for (;;) {
    const q = Math.floor(v / 256);
    const byte = v - q * 256;
    tmp[--i] = byte;
    v = q;
    const signBit = byte >= 0x80;
    if ((v === 0 && !signBit) || (v === -1 && signBit)) break;
  }
  return tmp.slice(i);
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return (bytes[0]! & 0x80) !== 0 ? v - (1n << BigInt(bytes.length * 8)) : v;
}
