/**
 * Unsigned LEB128 varints (7 bits a byte, low bits first) and zigzag for signed values, shared by
 * the batch and header encodings. Values go up to 2^53: arithmetic is float, not 32-bit bitwise.
 */

/** Bytes a varint of n (0 <= n < 2^53) takes: at most 8. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Writes n at pos and returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

/** Maps signed to unsigned so small negatives stay short: 0, -1, 1, -2 ... -> 0, 1, 2, 3 ... */
export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** Reads varints and byte ranges from a buffer, throwing `corrupt <what>` instead of reading past its end. */
export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    private readonly what = 'data',
  ) {
    this.pos = pos;
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw this.corrupt('truncated');
    return this.buf[this.pos++]!;
  }

  varint(): number {
    const buf = this.buf;
    if (this.pos >= buf.length) throw this.corrupt('truncated varint');
    let b = buf[this.pos++]!;
    if (b < 0x80) return b;
    let n = b & 0x7f;
    let scale = 128;
    for (;;) {
      if (this.pos >= buf.length) throw this.corrupt('truncated varint');
      b = buf[this.pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 128;
    }
  }

  zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Moves past `length` bytes and returns where they start. */
  skip(length: number): number {
    const start = this.pos;
    if (start + length > this.buf.length) throw this.corrupt('field runs past the end');
    this.pos = start + length;
    return start;
  }

  private corrupt(why: string): Error {
    return new Error(`corrupt ${this.what}: ${why}`);
  }
}
