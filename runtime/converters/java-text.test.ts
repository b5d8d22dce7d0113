import { describe, expect, it } from 'vitest';
import { fromBase64, javaBigDecimal, javaDouble, javaFloat, jsonQuote } from './java-text.js';

describe('Java number text', () => {
  it.each([
    [1, '1.0'], [-0, '-0.0'], [0.5, '0.5'], [0.001, '0.001'], [0.0001, '1.0E-4'], [1e7, '1.0E7'],
    [123456789.5, '1.234567895E8'], [1.5e-10, '1.5E-10'], [Infinity, 'Infinity'], [NaN, 'NaN'],
  ])('Double.toString(%s) = %s', (v, s) => expect(javaDouble(v)).toBe(s));

  it.each([[0.1, '0.1'], [3.4028234663852886e38, '3.4028235E38'], [1e10, '1.0E10'], [16777216, '1.6777216E7'], [2.5, '2.5']])(
    'Float.toString(%s) = %s', (v, s) => expect(javaFloat(v)).toBe(s),
  );

  it.each([
    [123n, 2, '1.23'], [-5n, 3, '-0.005'], [1n, 8, '1E-8'], [0n, 8, '0E-8'], [123n, -2, '1.23E+4'], [5n, -1, '5E+1'],
    [42n, 0, '42'], [1n, 6, '0.000001'], [1n, 7, '1E-7'],
  ])('BigDecimal(%s, scale %s).toString() = %s', (u, scale, s) => expect(javaBigDecimal(u, scale)).toBe(s));
});

describe('Jackson string escaping', () => {
  it('escapes like JSON.stringify but with upper-case hex', () => {
    expect(jsonQuote('a"b\\c\n\u001f')).toBe('"a\\"b\\\\c\\n\\u001F"');
    expect(jsonQuote('\\u001f literal')).toBe('"\\\\u001f literal"');
    expect(jsonQuote('é/€')).toBe('"é/€"');
  });
});

describe('base64', () => {
  it('rejects text outside the alphabet', () => {
    expect(fromBase64('AAH+/w==')).toEqual(Uint8Array.from([0, 1, 254, 255]));
    expect(fromBase64('not base64!')).toBeNull();
  });
});
