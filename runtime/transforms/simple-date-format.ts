/**
 * The part of Java's SimpleDateFormat that timestamp transforms need, always in UTC: the letters
 * y M d H h m s S E a Z X z, quoted literals ('T', '' for a quote) and other characters as themselves.
 * Parsing is lenient the way Java's is: out-of-range fields roll over and trailing text is ignored.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SUPPORTED = 'yMdHhmsSEaZXz';
const JAVA_LETTERS = 'GyYMLwWDdFEuaHkKhmsSzZX';
const NUMERIC = 'yMdHhmsS';

type Token = { letter: string; count: number } | { literal: string };

export class SimpleDateFormat {
  private readonly tokens: Token[];
  private parser: { re: RegExp; fields: Array<{ letter: string; count: number }> } | null = null;

  /** Throws an Error naming the bad letter when the pattern cannot be used. */
  constructor(readonly pattern: string) {
    this.tokens = tokenize(pattern);
  }

  format(ms: number): string {
    const d = new Date(ms);
    return this.tokens.map((t) => ('literal' in t ? t.literal : formatField(d, t.letter, t.count))).join('');
  }

  /** Milliseconds since the epoch; throws when the text does not start with a match of the pattern. */
  parse(text: string): number {
    this.parser ??= buildParser(this.tokens);
    const m = this.parser.re.exec(text);
    if (!m) throw new Error(`Unparseable date: "${text}"`);
    let year = 1970, month = 0, day = 1, hour = 0, minute = 0, second = 0, milli = 0, offsetMin = 0;
    let pm: boolean | null = null;
    let hour12: number | null = null;
    this.parser.fields.forEach((f, i) => {
      const s = m[i + 1]!;
      switch (f.letter) {
        case 'y': year = f.count === 2 && /^\d{2}$/.test(s) ? twoDigitYear(Number(s)) : Number(s); break;
        case 'M': month = f.count >= 3 ? monthIndex(s) : Number(s) - 1; break;
        case 'd': day = Number(s); break;
        case 'H': hour = Number(s); break;
        case 'h': hour12 = Number(s) % 12; break;
        case 'm': minute = Number(s); break;
        case 's': second = Number(s); break;
        case 'S': milli = Number(s); break;
        case 'a': pm = s.toUpperCase() === 'PM'; break;
        case 'Z': case 'X': case 'z': offsetMin = parseOffset(s); break;
      }
    });
    if (hour12 !== null) hour = hour12 + (pm ? 12 : 0);
    else if (pm && hour < 12) hour += 12;
    const utc = Date.UTC(year, month, day, hour, minute, second, milli);
    // Date.UTC maps years 0-99 to 1900-1999; a four-digit pattern means the year as written.
    const fixed = year >= 0 && year < 100 ? new Date(utc).setUTCFullYear(year) : utc;
    return fixed - offsetMin * 60_000;
  }
}

/** The error for a pattern, or null when SimpleDateFormat accepts it. */
export function patternError(pattern: string): string | null {
  try {
    tokenize(pattern);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const pushLiteral = (s: string) => {
    const last = tokens[tokens.length - 1];
    if (last && 'literal' in last) last.literal += s;
    else tokens.push({ literal: s });
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        pushLiteral("'");
        i += 2;
        continue;
      }
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= pattern.length) throw new Error(`Unterminated quote in pattern '${pattern}'`);
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += pattern[j++];
      }
      pushLiteral(text);
      i = j + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!JAVA_LETTERS.includes(c)) throw new Error(`Illegal pattern character '${c}'`);
      if (!SUPPORTED.includes(c)) throw new Error(`Pattern character '${c}' is not supported (supported: ${SUPPORTED.split('').join(' ')})`);
      let j = i;
      while (pattern[j] === c) j++;
      tokens.push({ letter: c, count: j - i });
      i = j;
    } else {
      pushLiteral(c);
      i++;
    }
  }
  return tokens;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

function formatField(d: Date, letter: string, count: number): string {
  switch (letter) {
    case 'y': {
      const y = d.getUTCFullYear();
      return count === 2 ? pad(((y % 100) + 100) % 100, 2) : pad(y, count);
    }
    case 'M': {
      const m = d.getUTCMonth();
      return count >= 4 ? MONTHS[m]! : count === 3 ? MONTHS[m]!.slice(0, 3) : pad(m + 1, count);
    }
    case 'd': return pad(d.getUTCDate(), count);
    case 'H': return pad(d.getUTCHours(), count);
    case 'h': return pad(d.getUTCHours() % 12 || 12, count);
    case 'm': return pad(d.getUTCMinutes(), count);
    case 's': return pad(d.getUTCSeconds(), count);
    case 'S': return pad(d.getUTCMilliseconds(), count);
    case 'E': return count >= 4 ? DAYS[d.getUTCDay()]! : DAYS[d.getUTCDay()]!.slice(0, 3);
    case 'a': return d.getUTCHours() < 12 ? 'AM' : 'PM';
    case 'Z': return '+0000';
    case 'X': return 'Z';
    case 'z': return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    default: throw new Error(`Illegal pattern character '${letter}'`);
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function buildParser(tokens: Token[]): { re: RegExp; fields: Array<{ letter: string; count: number }> } {
  const fields: Array<{ letter: string; count: number }> = [];
  let src = '^';
  tokens.forEach((t, i) => {
    if ('literal' in t) {
      src += escapeRegex(t.literal);
      return;
    }
    fields.push(t);
    const next = tokens[i + 1];
    // Java reads abutting numeric fields (yyyyMMdd) by their pattern width, others greedily.
    const abutting = next !== undefined && 'letter' in next && NUMERIC.includes(next.letter);
    if (NUMERIC.includes(t.letter) && !(t.letter === 'M' && t.count >= 3)) {
      const digits = abutting ? `\\d{${t.count}}` : '\\d+';
      src += t.letter === 'y' ? `([+-]?${digits})` : `(${digits})`;
    } else if (t.letter === 'M') {
      src += `(${MONTHS.map((m) => (t.count >= 4 ? `${m}|${m.slice(0, 3)}` : m.slice(0, 3))).join('|')})`;
    } else if (t.letter === 'E') {
      src += `(${DAYS.map((d) => `${d}|${d.slice(0, 3)}`).join('|')})`;
    } else if (t.letter === 'a') {
      src += '(AM|PM)';
    } else {
      src += '(Z|[+-]\\d{2}:?\\d{2}|[+-]\\d{2}|UTC|GMT|Coordinated Universal Time)';
    }
  });
  return { re: new RegExp(src, 'i'), fields };
}

function monthIndex(s: string): number {
  const prefix = s.slice(0, 3).toLowerCase();
  return MONTHS.findIndex((m) => m.slice(0, 3).toLowerCase() === prefix);
}

function parseOffset(s: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(s);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** Java resolves a two-digit year into the century that puts it within 80 years before and 20 after now. */
function twoDigitYear(yy: number): number {
  const now = new Date().getUTCFullYear();
  const start = now - 80;
  let year = Math.floor(start / 100) * 100 + yy;
  if (year < start) year += 100;
  return year;
}
