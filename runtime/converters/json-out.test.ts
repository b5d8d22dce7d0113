import { describe, expect, it } from 'vitest';
import { jsonQuote } from './java-text.js';
import { JsonOut } from './json-out.js';

/** Writes one record with `fn` and returns its text. */
function written(fn: (out: JsonOut) => void, out = new JsonOut()): string {
  out.begin();
  fn(out);
  return out.finish().toString('utf8');
}

// A small deterministic generator: the same cases every run.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('JsonOut', () => {
  it('writes integers as String() does, across the safe range', () => {
    const r = rng(7);
    const cases = [0, -0, 1, -1, 9, 10, 99999999, 100000000, 100000001, -100000000, 1e15, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1_733_460_000_123_456];
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + Math.floor(r() * 16);
      const v = Math.floor(r() * 10 ** digits) * (r() < 0.3 ? -1 : 1);
      if (Number.isSafeInteger(v)) cases.push(v);
    }
    const out = new JsonOut();
    for (const v of cases) expect(written((o) => o.integer(v), out)).toBe(String(v));
  });

  it('quotes strings as jsonQuote does: plain ASCII, escapes, controls, non-ASCII, lone surrogates, short and long', () => {
    const r = rng(11);
    const alphabet = ['a', 'Z', '0', ' ', '~', '\x7f', '"', '\\', '/', '\n', '\t', '\x00', '\x1f', 'é', '€', '😀', '\ud800', '\udc00'];
    const cases = ['', 'x', 'public', 'a'.repeat(48), 'a'.repeat(49), 'b'.repeat(5000), `${'c'.repeat(100)}"`, `${'d'.repeat(100)}é`];
    for (let i = 0; i < 5_000; i++) {
      const len = Math.floor(r() * 120);
      const plain = r() < 0.5;
      let s = '';
      for (let j = 0; j < len; j++) s += plain ? String.fromCharCode(0x20 + Math.floor(r() * 95)) : alphabet[Math.floor(r() * alphabet.length)]!;
      cases.push(s);
    }
    const out = new JsonOut();
    for (const s of cases) expect(written((o) => o.string(s), out)).toBe(jsonQuote(s));
  });

  it('keeps every earlier record intact when a record moves to a new slab, and gives a big record its own buffer', () => {
    const out = new JsonOut(256);
    const records: Array<{ bytes: Buffer; text: string }> = [];
    for (let i = 0; i < 200; i++) {
      const text = `{"i":${i},"s":"${'x'.repeat((i * 37) % 300)}"}`;
      const bytes = (() => {
        out.begin();
        out.ascii(`{"i":`);
        out.integer(i);
        out.ascii(`,"s":`);
        out.string('x'.repeat((i * 37) % 300));
        out.byte(0x7d);
        return out.finish();
      })();
      records.push({ bytes, text });
    }
    for (const { bytes, text } of records) expect(bytes.toString('utf8')).toBe(text);
  });

  it('drops an abandoned record: the next one starts where it started', () => {
    const out = new JsonOut();
    out.begin();
    out.ascii('partial');
    out.abandon();
    expect(written((o) => o.ascii('whole'), out)).toBe('whole');
  });
});
