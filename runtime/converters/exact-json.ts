/**
 * JSON parsing that keeps int64 and long decimals exact. JSON.parse turns every number into a
 * double and silently loses digits past 2^53, so text that holds a run of 16+ digits goes through
 * a parser that gives bigint for large integers and JsonDecimal (the digits as written) for long
 * non-integers. Everything else takes the fast native path.
 */

/** A non-integer number with more digits than a double holds, kept as its JSON text. */
export class JsonDecimal {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | number | bigint | string | JsonDecimal | JsonValue[] | { [key: string]: JsonValue };

// 16 characters of digits and points: any number a double may not hold exactly (false hits only cost speed).
const LONG_NUMBER = /[0-9][0-9.]{15}/;

export function needsExactParse(text: string): boolean {
  return LONG_NUMBER.test(text);
}

/** Parses JSON; throws SyntaxError with a position on bad input. */
export function parseJson(text: string): JsonValue {
  return needsExactParse(text) ? parseJsonExact(text) : (JSON.parse(text) as JsonValue);
}

export function parseJsonExact(text: string): JsonValue {
  const p = new ExactParser(text);
  const v = p.value();
  p.end();
  return v;
}

/** A parsed value with JsonDecimal turned into a double: what schemaless readers get. */
export function toPlain(v: JsonValue): unknown {
  if (v instanceof JsonDecimal) return Number(v.text);
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) v[k] = toPlain(v[k]!) as JsonValue;
  }
  return v;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

class ExactParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  end(): void {
    this.ws();
    if (this.pos < this.text.length) this.fail('Unexpected non-whitespace character after JSON');
  }

  value(): JsonValue {
    this.ws();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: return this.object();
      case 0x5b: return this.array();
      case 0x22: return this.string();
      case 0x74: return this.literal('true', true);
      case 0x66: return this.literal('false', false);
      case 0x6e: return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail(Number.isNaN(c) ? 'Unexpected end of JSON input' : 'Unexpected token');
    }
  }

  private object(): JsonValue {
    const out: { [key: string]: JsonValue } = {};
    this.pos++;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('Expected a property name');
      const key = this.string();
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail("Expected ':' after a property name");
      this.pos++;
      const v = this.value();
      // As JSON.parse: "__proto__" is an own property, never the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) return out;
      if (c !== 0x2c) this.fail("Expected ',' or '}' in an object", -1);
    }
  }

  private array(): JsonValue {
    const out: JsonValue[] = [];
    this.pos++;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) this.fail("Expected ',' or ']' in an array", -1);
    }
  }

  private string(): string {
    const start = this.pos;
    let escaped = false;
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i++;
      } else if (c === 0x22) {
        this.pos = i + 1;
        const raw = this.text.slice(start, i + 1);
        // JSON.parse decodes escapes and rejects raw control characters, exactly as JSON requires.
        if (escaped || /[\u0000-\u001f]/.test(raw)) {
          try {
            return JSON.parse(raw) as string;
          } catch {
            this.pos = start;
            return this.fail('Bad string');
          }
        }
        return raw.slice(1, -1);
      }
    }
    this.pos = start;
    return this.fail('Unterminated string');
  }

  private number(): number | bigint | JsonDecimal {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) return this.fail('Bad number');
    const tok = m[0];
    this.pos += tok.length;
    let integer = true;
    let digits = 0;
    for (let i = 0; i < tok.length; i++) {
      const c = tok.charCodeAt(i);
      if (c === 0x2e || c === 0x65 || c === 0x45) {
        integer = false;
        if (c !== 0x2e) break;
      } else if (c >= 0x30 && c <= 0x39) digits++;
    }
    if (digits < 16) return Number(tok);
    if (integer) {
      const b = BigInt(tok);
      return b <= MAX_SAFE && b >= -MAX_SAFE ? Number(b) : b;
    }
    return new JsonDecimal(tok);
  }

  private literal<T>(word: string, v: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('Unexpected token');
    this.pos += word.length;
    return v;
  }

  private ws(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else return;
    }
  }

  private fail(what: string, back = 0): never {
    const at = this.pos + back;
    const near = this.text.slice(at, at + 10);
    throw new SyntaxError(`${what} at position ${at}${near ? ` (near '${near}')` : ''}`);
  }
}
