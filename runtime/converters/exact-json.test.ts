import { describe, expect, it } from 'vitest';
import { JsonDecimal, needsExactParse, parseJson, parseJsonExact } from './exact-json.js';

describe('exact JSON parsing', () => {
  it('keeps integers beyond 2^53 as bigint and small ones as numbers', () => {
    expect(parseJson('{"a":9007199254740993,"b":12,"c":[-9223372036854775808]}')).toEqual({ a: 9007199254740993n, b: 12, c: [-9223372036854775808n] });
    expect(parseJson('1234567890123456')).toBe(1234567890123456);
  });

  it('keeps long decimals as their text', () => {
    expect(parseJson('[1.23456789012345678]')).toEqual([new JsonDecimal('1.23456789012345678')]);
    expect(parseJson('[1.5, 2e3]')).toEqual([1.5, 2000]);
  });

  it('takes the native path unless a long digit run appears', () => {
    expect(needsExactParse('{"id":123,"t":1700000000000}')).toBe(false);
    expect(needsExactParse('{"id":12345678901234567}')).toBe(true);
  });

  it('parses what JSON.parse parses', () => {
    const text = '{"s":"a\\"b\\u00e9\\n","t":true,"f":false,"n":null,"o":{},"l":[],"__proto__":1,"x":-0.5e-3}';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
  });

  it('reports where the text is wrong', () => {
    expect(() => parseJsonExact('{"a":12345678901234567,}')).toThrow(/position 23/);
    expect(() => parseJsonExact('[1] x')).toThrow(SyntaxError);
    expect(() => parseJsonExact('"abc')).toThrow(/Unterminated/);
  });
});
