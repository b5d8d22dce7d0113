/**
 * Postgres date/time text (DateStyle ISO, IntervalStyle postgres: what pgoutput and COPY send) parsed
 * exactly, without JS Date: Date only carries milliseconds and a narrow year range.
 */

export const MICROS_PER_DAY = 86_400_000_000n;

/** Debezium's stand-ins for 'infinity' / '-infinity' (pgjdbc's DATE_POSITIVE/NEGATIVE_INFINITY as µs). */
export const POSITIVE_INFINITY_MICROS = 9223372036825200000n;
export const NEGATIVE_INFINITY_MICROS = -9223372036832400000n;

/** Days since 1970-01-01 of a proleptic Gregorian date (year 0 = 1 BC). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Debezium maps date 'infinity' to LocalDate -5877611-06-21 and '-infinity' to -5877611-06-22. */
export const POSITIVE_INFINITY_DAYS = daysFromCivil(-5877611, 6, 21);
export const NEGATIVE_INFINITY_DAYS = daysFromCivil(-5877611, 6, 22);

const DATE_RE = /^(\d{4,})-(\d{2})-(\d{2})/;

function bcYear(year: number, bc: boolean): number {
  return bc ? 1 - year : year;
}

/** `2024-01-02`, `0044-03-15 BC`: days since the epoch. */
export function parseDate(text: string): number {
  if (text === 'infinity') return POSITIVE_INFINITY_DAYS;
  if (text === '-infinity') return NEGATIVE_INFINITY_DAYS;
  const m = DATE_RE.exec(text);
  if (!m) throw new Error(`'${text}' is not a Postgres date`);
  return daysFromCivil(bcYear(Number(m[1]), text.endsWith(' BC')), Number(m[2]), Number(m[3]));
}

/** Microseconds from the fraction digits after the point (`123` -> 123000). */
function fractionMicros(frac: string | undefined): number {
  if (!frac) return 0;
  return Number(frac.slice(0, 6).padEnd(6, '0'));
}

/** Nanoseconds of the fraction digits, for formatting. */
function fractionNanos(frac: string | undefined): number {
  if (!frac) return 0;
  return Number(frac.slice(0, 9).padEnd(9, '0'));
}

const TIME_RE = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/;

/** `04:05:06.789` (up to `24:00:00`): microseconds since midnight. */
export function parseTime(text: string): number {
  const m = TIME_RE.exec(text);
  if (!m) throw new Error(`'${text}' is not a Postgres time`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + fractionMicros(m[4]);
}

const TIMESTAMP_RE = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/;

interface ParsedTimestamp {
  /** µs since the epoch, the offset applied (UTC). */
  micros: bigint;
  /** nanoseconds of the second, for formatting. */
  nanos: number;
}

function parseTimestampParts(text: string): ParsedTimestamp {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) throw new Error(`'${text}' is not a Postgres timestamp`);
  const days = daysFromCivil(bcYear(Number(m[1]), m[12] !== undefined), Number(m[2]), Number(m[3]));
  const seconds = (Number(m[4]) * 60 + Number(m[5])) * 60 + Number(m[6]);
  let offsetSeconds = 0;
  if (m[8]) {
    offsetSeconds = (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) * (m[8] === '-' ? -1 : 1);
  }
  const micros = BigInt(days) * MICROS_PER_DAY + BigInt(seconds - offsetSeconds) * 1_000_000n + BigInt(fractionMicros(m[7]));
  return { micros, nanos: fractionNanos(m[7]) };
}

/** A timestamp without time zone: µs since the epoch as if it were UTC (Debezium's LocalDateTime reading). */
export function parseTimestamp(text: string): bigint {
  if (text === 'infinity') return POSITIVE_INFINITY_MICROS;
  if (text === '-infinity') return NEGATIVE_INFINITY_MICROS;
  return parseTimestampParts(text).micros;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Java's ISO year: 4 digits, a sign beyond 9999 or before year 0. */
function isoYear(year: number): string {
  if (year > 9999) return `+${year}`;
  if (year < 0) return `-${pad(-year, 4)}`;
  return pad(year, 4);
}

/** The fraction as Java's DateTimeFormatter writes it: a fixed width, or (width <= 0) trailing zeros dropped. */
function formatFraction(nanos: number, width: number): string {
  const digits = pad(nanos, 9);
  if (width > 0 && width <= 9) return `.${digits.slice(0, width)}`;
  if (nanos === 0) return '';
  return `.${digits.replace(/0+$/, '')}`;
}

/** A timestamptz Postgres printed in UTC, years 1000-9999 (Java prints those with four digits too). */
const UTC_TIMESTAMP = /^([1-9]\d{3}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?\+00$/;

/**
 * A timestamptz as io.debezium.time.ZonedTimestamp: ISO-8601 in UTC, with `fractionWidth` digits
 * (the column's precision, 6 when it has none); 'infinity' and '-infinity' pass through.
 */
export function formatZonedTimestamp(text: string, fractionWidth: number): string {
  if (text === 'infinity' || text === '-infinity') return text;
  // A session in UTC prints the value already in UTC: only the separator, the fraction and the
  // zone change (the general path below took ~2% of a 1 KB-row change with one timestamptz).
  const utc = UTC_TIMESTAMP.exec(text);
  if (utc) return `${utc[1]}T${utc[2]}${formatFraction(fractionNanos(utc[3]), fractionWidth)}Z`;
  const { micros, nanos } = parseTimestampParts(text);
  const days = Number(floorDiv(micros, MICROS_PER_DAY));
  const secondOfDay = Number(floorDiv(micros - BigInt(days) * MICROS_PER_DAY, 1_000_000n));
  const { year, month, day } = civilFromDays(days);
  const time = `${pad(Math.floor(secondOfDay / 3600), 2)}:${pad(Math.floor(secondOfDay / 60) % 60, 2)}:${pad(secondOfDay % 60, 2)}`;
  return `${isoYear(year)}-${pad(month, 2)}-${pad(day, 2)}T${time}${formatFraction(nanos, fractionWidth)}Z`;
}

const TIMETZ_RE = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

/** A timetz as io.debezium.time.ZonedTime: shifted to UTC, `HH:mm:ss[.fraction]Z` (Java's ISO_OFFSET_TIME). */
export function formatZonedTime(text: string): string {
  const m = TIMETZ_RE.exec(text);
  if (!m) throw new Error(`'${text}' is not a Postgres timetz`);
  const offset = (Number(m[6]) * 3600 + Number(m[7] ?? 0) * 60 + Number(m[8] ?? 0)) * (m[5] === '-' ? -1 : 1);
  const local = (Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3]);
  // Postgres allows 24:00:00; Debezium writes its UTC boundary as such rather than wrapping to 00:00.
  if (local - offset === 86400 && !m[4]) return '24:00:00Z';
  const utc = (((local - offset) % 86400) + 86400) % 86400;
  const time = `${pad(Math.floor(utc / 3600), 2)}:${pad(Math.floor(utc / 60) % 60, 2)}:${pad(utc % 60, 2)}`;
  return `${time}${formatFraction(fractionNanos(m[4]), 0)}Z`;
}

export interface IntervalParts {
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  /** seconds with their fraction, as exact text (`-6.5`, `0`). */
  seconds: string;
}

const UNIT_RE = /([+-]?\d+)\s+(years?|mons?|days?)/g;
const CLOCK_RE = /([+-])?(\d+):(\d{2})(?::(\d{2})(?:\.(\d+))?)?/;

/** Interval text in Postgres style (`1 year 2 mons -3 days +04:05:06.5`), split as pgjdbc's PGInterval does. */
export function parseInterval(text: string): IntervalParts {
  const parts: IntervalParts = { years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: '0' };
  for (const m of text.matchAll(UNIT_RE)) {
    const n = Number(m[1]);
    if (m[2]!.startsWith('year')) parts.years = n;
    else if (m[2]!.startsWith('mon')) parts.months = n;
    else parts.days = n;
  }
  const clock = CLOCK_RE.exec(text.replace(UNIT_RE, ''));
  if (clock) {
    const sign = clock[1] === '-' ? -1 : 1;
    parts.hours = sign * Number(clock[2]);
    parts.minutes = sign * Number(clock[3]);
    const secText = `${clock[4] ?? '0'}${clock[5] ? `.${clock[5]}` : ''}`;
    parts.seconds = sign < 0 && Number(secText) !== 0 ? `-${secText}` : secText;
  }
  if (/\bago$/.test(text)) {
    parts.years = -parts.years; parts.months = -parts.months; parts.days = -parts.days;
    parts.hours = -parts.hours; parts.minutes = -parts.minutes;
    parts.seconds = parts.seconds.startsWith('-') ? parts.seconds.slice(1) : Number(parts.seconds) === 0 ? parts.seconds : `-${parts.seconds}`;
  }
  return parts;
}

/** io.debezium.time.MicroDuration: Debezium's approximation with 365.25/12 days a month, in doubles as Java computes it. */
export function intervalMicros(p: IntervalParts): number | bigint {
  const daysPerMonth = 365.25 / 12.0;
  const numberOfDays = (p.years * 12 + p.months) * daysPerMonth + p.days;
  const numberOfSeconds = ((numberOfDays * 24 + p.hours) * 60 + p.minutes) * 60 + Number(p.seconds);
  const micros = Math.trunc(numberOfSeconds * 1e6);
  return Number.isSafeInteger(micros) ? micros : BigInt(micros);
}

/** io.debezium.time.Interval: `P<y>Y<m>M<d>DT<h>H<m>M<s>S`, seconds without trailing zeros. */
export function intervalIsoString(p: IntervalParts): string {
  let s = p.seconds;
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (/^-?0+$/.test(s)) s = '0';
  s = s.replace(/^(-?)0+(\d)/, '$1$2');
  return `P${p.years}Y${p.months}M${p.days}DT${p.hours}H${p.minutes}M${s}S`;
}
