import { describe, expect, it } from 'vitest';
import { LineFormatError, lineReaderConfig, readLine } from './line-reader.js';

const text = (b: Uint8Array | null | undefined) => (b == null ? b : new TextDecoder().decode(b));
const config = (props: Record<string, string>) => lineReaderConfig(new Map(Object.entries(props)), 'produce');

describe('readLine', () => {
  it('takes the whole line as the value by default', () => {
    const r = readLine('a:b\tc', 1, 't', config({}));
    expect([r.topic, text(r.key), text(r.value), r.headers]).toEqual(['t', null, 'a:b\tc', []]);
  });

  it('splits the key at the first key.separator (tab by default)', () => {
    expect(text(readLine('k\tv\tw', 1, 't', config({ 'parse.key': 'true' })).value)).toBe('v\tw');
    const r = readLine('user-1:{"a":1}', 1, 't', config({ 'parse.key': 'true', 'key.separator': ':' }));
    expect([text(r.key), text(r.value)]).toEqual(['user-1', '{"a":1}']);
  });

  it('reads headers before the key with the default delimiters', () => {
    const r = readLine('h1:v1,h2:v:2\tk\tvalue', 1, 't', config({ 'parse.key': 'true', 'parse.headers': 'true' }));
    expect(r.headers!.map((h) => [h.key, text(h.value)])).toEqual([['h1', 'v1'], ['h2', 'v:2']]);
    expect([text(r.key), text(r.value)]).toEqual(['k', 'value']);
  });

  it('honours custom header separators and the null marker', () => {
    const c = config({ 'parse.headers': 'true', 'headers.delimiter': '|', 'headers.separator': ';', 'headers.key.separator': '=', 'parse.key': 'true', 'key.separator': ':', 'null.marker': 'NULL' });
    const r = readLine('a=1;b=NULL|NULL:NULL', 1, 't', c);
    expect(r.headers!.map((h) => [h.key, text(h.value)])).toEqual([['a', '1'], ['b', null]]);
    expect([r.key, r.value]).toEqual([null, null]);
  });

  it('names the line when a separator is missing, unless ignore.error', () => {
    expect(() => readLine('no-separator', 7, 't', config({ 'parse.key': 'true' }))).toThrow(new LineFormatError(`no key separator "\\t" on line 7: 'no-separator'`));
    expect(() => readLine('h1\tv', 3, 't', config({ 'parse.headers': 'true' }))).toThrow(/no header key separator ":" in 'h1' on line 3/);
    const r = readLine('no-separator', 7, 't', config({ 'parse.key': 'true', 'ignore.error': 'true' }));
    expect([r.key, text(r.value)]).toEqual([null, 'no-separator']);
  });

  it('refuses unknown properties and bad booleans', () => {
    expect(() => config({ 'parse.kye': 'true' })).toThrow(/unknown --property parse.kye/);
    expect(() => config({ 'parse.key': 'yes' })).toThrow(/must be true or false/);
  });
});
