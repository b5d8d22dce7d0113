/**
 * Text forms that Java code writes and downstream readers compare byte for byte: Double.toString,
 * Float.toString, BigDecimal.toString, and Jackson's string escaping. Kafka's JsonConverter and its
 * `Values` class produce these, so tsconnect must too.
 */

/** Java's Double.toString: `1.0`, `0.001`, `1.0E-4`, `1.2345E7`, `NaN`, `Infinity`. */
export function javaDouble(v: number): string {
  if (Number.isInteger(v) && v < 1e7 && v > -1e7) return Object.is(v, -0) ? '-0.0' : `${v}.0`;
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  const a = v < 0 ? -v : v;
  // JavaScript prints shortest round-trip digits, as Java 19+ does; only the notation differs.
  if (a >= 1e-3 && a < 1e7) return String(v);
  return scientific(v.toExponential());
}

/** Java's Float.toString of `v` narrowed to 32 bits: `0.1` stays `0.1`, not `0.10000000149011612`. */
export function javaFloat(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f) || (Number.isInteger(f) && f < 1e7 && f > -1e7)) return javaDouble(f);
  for (let p = 1; p < 10; p++) {
    const s = f.toPrecision(p);
    const n = Number(s);
    if (Math.fround(n) === f) return javaDouble(n);
  }
  return javaDouble(f);
}

function scientific(exp: string): string {
  const i = exp.indexOf('e');
  const mantissa = exp.slice(0, i);
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exp.slice(i + 1))}`;
}

/**
 * Java's BigDecimal.toString: plain when the scale is >= 0 and the adjusted exponent >= -6,
 * otherwise scientific with a signed exponent (`1E-8`, `0E-8`, `1.23E+5`).
 */
export function javaBigDecimal(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString();
  const adjusted = -scale + (digits.length - 1);
  const sign = neg ? '-' : '';
  if (scale === 0) return sign + digits;
  if (scale > 0 && adjusted >= -6) {
    const padded = digits.padStart(scale + 1, '0');
    const cut = padded.length - scale;
    return `${sign}${padded.slice(0, cut)}.${padded.slice(cut)}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}E${adjusted > 0 ? '+' : ''}${adjusted}`;
}

// Matches an escaped backslash (kept as is) or a \u00XX escape (hex made upper case).
const LOWER_HEX_ESCAPE = /\\(\\|u00[0-9a-f]{2})/g;

/** A JSON string literal as Jackson writes it: like JSON.stringify, but `\u001F` in upper-case hex. */
export function jsonQuote(s: string): string {
  const q = JSON.stringify(s);
  if (q.indexOf('\\u') === -1) return q;
  return q.replace(LOWER_HEX_ESCAPE, (m: string, g: string) => (g === '\\' ? m : `\\u${g.slice(1).toUpperCase()}`));
}

/** Standard base64 with padding, as Jackson writes byte arrays and java.util.Base64 encodes. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes base64 text, rejecting characters outside the alphabet (Node's decoder would skip them). */
export function fromBase64(text: string): Uint8Array | null {
  if (!BASE64_TEXT.test(text) || text.length % 4 === 1) return null;
  const buf = Buffer.from(text, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** UTF-8 text of bytes without copying them. */
export function utf8Text(bytes: Uint8Array): string {
  if (Buffer.isBuffer(bytes)) return bytes.toString('utf8');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
