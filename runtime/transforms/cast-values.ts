/**
 * Value conversions for Cast, with Java's results where a user would see them: narrowing integers
 * wraps, doubles narrow through a saturating int, `1.0` prints as `1.0`, bytes print as base64.
 */
import { BigDecimal, DataError, Struct, type Schema, type SchemaType } from '../api/index.js';
import { typeName } from './support.js';

const MS_PER_DAY = 86_400_000;
const INT_BITS: Partial<Record<SchemaType, number>> = { int8: 8, int16: 16, int32: 32, int64: 64 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Java's Double.toString: plain between 1e-3 and 1e7, `1.0E10` style outside, always a fraction digit. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = d.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exp.replace('+', '')}`;
}

/** Java's Float.toString: the fewest digits that read back as the same float. */
export function javaFloatToString(f: number): string {
  if (!Number.isFinite(f) || f === 0) return javaDoubleToString(f);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return javaDoubleToString(candidate);
  }
  return javaDoubleToString(f);
}

/** How Connect's Values prints a java.util.Date: a time, a date, or an ISO instant, in UTC. */
export function formatDate(d: Date): string {
  const iso = d.toISOString();
  const ms = d.getTime();
  if (ms >= 0 && ms < MS_PER_DAY) return `${iso.slice(11, 23)}Z`;
  if (ms % MS_PER_DAY === 0) return iso.slice(0, 10);
  return iso;
}

function outOfRange(value: unknown): DataError {
  return new DataError(`Value (${String(value)}) was out of range for requested data type`);
}

function unexpected(value: unknown): DataError {
  return new DataError(`Unexpected type in Cast transformation: ${typeName(value)}`);
}

/** Whether a number is read as a Java double (narrowed through int) rather than a long (wrapped). */
function isFloating(value: number, sourceType: SchemaType | null): boolean {
  return sourceType === 'float32' || sourceType === 'float64' || (sourceType === null && !Number.isInteger(value));
}

function toInteger(value: unknown, target: SchemaType, sourceType: SchemaType | null): number | bigint {
  const bits = INT_BITS[target]!;
  let wide: bigint;
  if (typeof value === 'number') {
    if (isFloating(value, sourceType)) {
      const t = Number.isNaN(value) ? 0 : Math.trunc(value);
      wide = bits === 64
        ? clamp(BigInt(Number.isFinite(t) ? t : t > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE), INT64_MIN, INT64_MAX)
        : BigInt(Math.max(-2147483648, Math.min(2147483647, t)));
    } else {
      wide = BigInt(value);
    }
  } else if (typeof value === 'bigint') {
    wide = value;
  } else if (typeof value === 'boolean') {
    wide = value ? 1n : 0n;
  } else if (typeof value === 'string') {
    if (!/^[+-]?\d+$/.test(value)) throw outOfRange(value);
    wide = BigInt(value);
    if (wide !== BigInt.asIntN(bits, wide)) throw outOfRange(value);
  } else if (value instanceof BigDecimal) {
    wide = truncated(value);
  } else {
    throw unexpected(value);
  }
  const narrowed = BigInt.asIntN(bits, wide);
  return bits === 64 && (narrowed > BigInt(Number.MAX_SAFE_INTEGER) || narrowed < BigInt(Number.MIN_SAFE_INTEGER)) ? narrowed : Number(narrowed);
}

function clamp(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}

const JAVA_FLOAT = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?$/;

function toFloat(value: unknown, single: boolean): number {
  let d: number;
  if (typeof value === 'number') d = value;
  else if (typeof value === 'bigint') d = Number(value);
  else if (typeof value === 'boolean') d = value ? 1 : 0;
  else if (typeof value === 'string') {
    const t = value.trim();
    if (!JAVA_FLOAT.test(t)) throw outOfRange(value);
    d = Number(t.replace(/[fFdD]$/, ''));
  } else if (value instanceof BigDecimal) d = value.toNumber();
  else throw unexpected(value);
  return single ? Math.fround(d) : d;
}

function toBoolean(value: unknown): boolean {
  if (typeof value === 'number') return Math.trunc(value) !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  if (value instanceof BigDecimal) return truncated(value) !== 0n;
  throw unexpected(value);
}

function truncated(value: BigDecimal): bigint {
  return value.scale >= 0 ? value.unscaled / 10n ** BigInt(value.scale) : value.unscaled * 10n ** BigInt(-value.scale);
}

function toText(value: unknown, sourceType: SchemaType | null): string {
  if (value instanceof Date) return formatDate(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof BigDecimal || value instanceof Struct) return value.toString();
  if (typeof value === 'number') {
    if (sourceType === 'float32') return javaFloatToString(value);
    if (isFloating(value, sourceType)) return javaDoubleToString(value);
    return String(value);
  }
  return String(value);
}

/** The Connect type of a schemaless value, or null when it has none Cast can name. */
export function inferType(value: unknown): SchemaType | null {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'bigint') return 'int64';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Struct) return 'struct';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype)) return 'map';
  return null;
}

/**
 * Converts an already-encoded value (logical Date/Time/Timestamp as epoch numbers unless the target
 * is string) to the target type. `sourceType` is the schema type, or null for schemaless data.
 */
export function castTo(value: unknown, target: SchemaType, sourceType: SchemaType | null, source: Schema | null): unknown {
  switch (target) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return toInteger(value, target, sourceType);
    case 'float32':
      return toFloat(value, true);
    case 'float64':
      return toFloat(value, false);
    case 'boolean':
      return toBoolean(value);
    case 'string':
      return toText(value, source?.name ? null : sourceType);
    default:
      throw new DataError(`${target.toUpperCase()} is not supported in the Cast transformation.`);
  }
}
