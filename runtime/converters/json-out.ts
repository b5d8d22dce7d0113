/**
 * JSON written as UTF-8 bytes straight into 64 KB slabs, one record after another. The compiled
 * writers of `json-codec.ts` put each field name, number and string here instead of building a
 * text and encoding it afterwards: a CDC event's payload made ~100 short strings, then a flat copy,
 * then the UTF-8 bytes, about half of all it allocated (bench:events, 2026-12-06).
 *
 * A slab lives while any record cut from it does: values go to the log in batches and are dropped
 * together. A record that outgrows the slab's rest moves to a new one (its bytes so far copied).
 */
import { jsonQuote } from './java-text.js';

const SLAB_BYTES = 64 * 1024;
// A short string is checked and copied char by char; a longer one by a regex and one native write.
const SHORT = 48;
const NEEDS_QUOTING = /["\\\u0000-\u001f\u0080-\uffff]/;
/** "00" to "99" as char codes, two a pair. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 0x30 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10));

export class JsonOut {
  private buf = Buffer.allocUnsafe(0);
  private pos = 0;
  private start = 0;

  constructor(private readonly slabBytes = SLAB_BYTES) {}

  /** Starts a record; everything written until `finish()` is its bytes. */
  begin(): void {
    this.start = this.pos;
  }

  /** The record's bytes, a view of the slab (not copied). */
  finish(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    if (this.buf.length > this.slabBytes) {
      // A big record's own buffer: the next record starts a normal slab.
      this.buf = Buffer.allocUnsafe(0);
      this.pos = 0;
    } else this.pos = (this.pos + 7) & ~7;
    this.start = this.pos;
    return out;
  }

  /** The record's bytes as text, its room reused by the next record (for callers that want a string). */
  finishText(): string {
    const text = this.buf.toString('utf8', this.start, this.pos);
    this.pos = this.start;
    return text;
  }

  /** How many bytes the record has so far: a mark to `truncate` back to. */
  written(): number {
    return this.pos - this.start;
  }

  /** Drops the record's bytes after its first `n` (a part that failed). */
  truncate(n: number): void {
    this.pos = this.start + n;
  }

  /** A copy of the record's bytes after its first `n`. */
  copyFrom(n: number): Buffer {
    return Buffer.from(this.buf.subarray(this.start + n, this.pos));
  }

  /** Drops what was written since `begin()` (after an error). */
  abandon(): void {
    this.pos = this.start;
  }

  /** Room for `n` more bytes. */
  private room(n: number): Buffer {
    if (this.pos + n <= this.buf.length) return this.buf;
    const written = this.pos - this.start;
    const size = Math.max(this.slabBytes, (written + n) * 2);
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = written;
    return next;
  }

  byte(c: number): void {
    const buf = this.room(1);
    buf[this.pos++] = c;
  }

  /** Text known to be ASCII (numbers, literals, base64). */
  ascii(s: string): void {
    const n = s.length;
    const buf = this.room(n);
    let p = this.pos;
    if (n <= SHORT) for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    else p += buf.write(s, p, n, 'latin1');
    this.pos = p;
  }

  /** Bytes as they are (pre-encoded field names, a schema part). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    const buf = this.room(n);
    let p = this.pos;
    if (n <= SHORT) for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    else {
      buf.set(b, p);
      p += n;
    }
    this.pos = p;
  }

  /** Any text as UTF-8, unquoted. */
  utf8(s: string): void {
    const buf = this.room(s.length * 3);
    this.pos += buf.write(s, this.pos, 'utf8');
  }

  /** A JSON string literal as Jackson writes it (`jsonQuote`), without making the literal for plain ASCII. */
  string(s: string): void {
    const n = s.length;
    if (n > SHORT) {
      if (NEEDS_QUOTING.test(s)) return this.utf8(jsonQuote(s));
      const buf = this.room(n + 2);
      buf[this.pos] = 0x22;
      this.pos += 1 + buf.write(s, this.pos + 1, n, 'latin1');
      buf[this.pos++] = 0x22;
      return;
    }
    // Room for every char escaped as \" or \\.
    const buf = this.room(2 * n + 2);
    let p = this.pos;
    buf[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x22 || c === 0x5c) {
        // A quote or a backslash (a CDC event's sequence, ["lsn","lsn"], has four).
        buf[p++] = 0x5c;
        buf[p++] = c;
      } else if (c < 0x20 || c > 0x7f) {
        // Controls and non-ASCII take the general path from the start.
        return this.utf8(jsonQuote(s));
      } else buf[p++] = c;
    }
    buf[p++] = 0x22;
    this.pos = p;
  }

  /** A safe integer (callers check), as its decimal digits. */
  integer(v: number): void {
    if (v < 0) {
      this.byte(0x2d);
      v = -v;
    }
    if (v < 1e8) return this.digits(v, 0);
    // Two parts below 1e8 (safe integers stay below 1e16): digit arithmetic on each stays exact
    // in int32. v / 1e8 may round across an integer; the remainder says which way.
    let hi = Math.floor(v / 1e8);
    let lo = v - hi * 1e8;
    if (lo < 0) {
      hi--;
      lo += 1e8;
    } else if (lo >= 1e8) {
      hi++;
      lo -= 1e8;
    }
    this.digits(hi, 0);
    this.digits(lo, 8);
  }

  /** `v` (0 <= v < 1e8, an integer) in decimal, left-padded with zeros to `width`. */
  private digits(v: number, width: number): void {
    // Counted by comparisons and written two digits a step: divisions were most of a number's cost.
    let n = v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : 8;
    if (n < width) n = width;
    const buf = this.room(n);
    let p = this.pos + n;
    this.pos = p;
    while (v >= 100) {
      const q = (v / 100) | 0;
      const r = (v - q * 100) * 2;
      buf[--p] = PAIRS[r + 1]!;
      buf[--p] = PAIRS[r]!;
      v = q;
    }
    if (v >= 10) {
      buf[--p] = PAIRS[v * 2 + 1]!;
      buf[--p] = PAIRS[v * 2]!;
    } else buf[--p] = 0x30 + v;
    while (p > this.pos - n) buf[--p] = 0x30;
  }
}
