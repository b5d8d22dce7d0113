import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../api/errors.js';
import { ConfigFileError, formatProperties, parseProperties, readPropertiesFile } from './properties.js';

function parse(text: string): Record<string, string> {
  return Object.fromEntries(parseProperties(text, 'test.properties'));
}

describe('parseProperties: comments and blank lines', () => {
  it('skips # and ! comment lines, also after leading whitespace', () => {
    expect(parse('# one\n! two\n   # three\n\t! four\na=1\n')).toEqual({ a: '1' });
  });

  it('keeps # and ! inside a value', () => {
    expect(parse('a=b # not a comment\nc=!x\n')).toEqual({ a: 'b # not a comment', c: '!x' });
  });

  it('does not continue a comment that ends in a backslash', () => {
    expect(parse('# comment \\\na=1\n')).toEqual({ a: '1' });
  });

  it('skips blank and whitespace-only lines', () => {
    expect(parse('\n   \n\t\f\na=1\n\n')).toEqual({ a: '1' });
  });
});

describe('parseProperties: separators', () => {
  it('splits at =, : or whitespace', () => {
    expect(parse('a=1\nb:2\nc 3\nd\t4\ne\f5\n')).toEqual({ a: '1', b: '2', c: '3', d: '4', e: '5' });
  });

  it('skips whitespace around the separator', () => {
    expect(parse('a = 1\nb   :   2\nc \t 3\n')).toEqual({ a: '1', b: '2', c: '3' });
  });

  it('uses only the first separator; later ones belong to the value', () => {
    expect(parse('url=jdbc:postgresql://h:5432/db?x=y\nk : = v\n')).toEqual({
      url: 'jdbc:postgresql://h:5432/db?x=y',
      k: '= v',
    });
  });

  it('takes = after whitespace as the separator, but only once', () => {
    expect(parse('a  =  = b\n')).toEqual({ a: '= b' });
  });

  it('keeps trailing whitespace of a value', () => {
    expect(parse('a=1  \n')).toEqual({ a: '1  ' });
  });

  it('reads a key alone, or with a separator, as an empty value', () => {
    expect(parse('alone\nempty=\ncolon:\nspaced   \n')).toEqual({ alone: '', empty: '', colon: '', spaced: '' });
  });

  it('accepts an empty key', () => {
    expect(parse('=value\n')).toEqual({ '': 'value' });
  });

  it('reads escaped separators as part of the key', () => {
    expect(parse('a\\=b=c\nx\\:y:z\nwith\\ space=1\n')).toEqual({ 'a=b': 'c', 'x:y': 'z', 'with space': '1' });
  });

  it('treats an escaped backslash before = as a plain backslash in the key', () => {
    expect(parse('a\\\\=b\n')).toEqual({ 'a\\': 'b' });
  });
});

describe('parseProperties: escapes', () => {
  it('decodes \\t \\n \\r \\f and \\\\', () => {
    expect(parse('a=x\\ty\\nz\\rw\\fv\\\\u\n')).toEqual({ a: 'x\ty\nz\rw\fv\\u' });
  });

  it('decodes \\uXXXX in keys and values, upper and lower case hex', () => {
    expect(parse('caf\\u00e9=\\u00C9t\\u00e9\n')).toEqual({ café: 'Été' });
  });

  it('decodes surrogate pairs written as two escapes', () => {
    expect(parse('smile=\\ud83d\\ude00\n')).toEqual({ smile: '😀' });
  });

  it('drops a backslash before any other character', () => {
    expect(parse('a=\\q\\#\\!\\ \\"\\b\n')).toEqual({ a: 'q#! "b' });
  });

  it('keeps a leading space of a value when escaped', () => {
    expect(parse('a=\\  x\n')).toEqual({ a: '  x' });
  });

  it('reads non-ASCII text as UTF-8', () => {
    expect(parse('name=Zoë 東京\n')).toEqual({ name: 'Zoë 東京' });
  });
});

describe('parseProperties: continuations', () => {
  it('joins a line ending in one backslash with the next, dropping its leading whitespace', () => {
    expect(parse('list=a,\\\n    b,\\\n\t c\n')).toEqual({ list: 'a,b,c' });
  });

  it('does not continue on an even number of backslashes', () => {
    expect(parse('a=x\\\\\nb=y\n')).toEqual({ a: 'x\\', b: 'y' });
  });

  it('continues on an odd number greater than one', () => {
    expect(parse('a=x\\\\\\\nb=y\n')).toEqual({ a: 'x\\b=y' });
  });

  it('continues a key across lines', () => {
    expect(parse('long\\\n  key=v\n')).toEqual({ longkey: 'v' });
  });

  it('does not treat # on a continuation line as a comment', () => {
    expect(parse('a=1\\\n  # 2\n')).toEqual({ a: '1# 2' });
  });

  it('ends the logical line at an empty continuation line', () => {
    expect(parse('a=1\\\n\nb=2\n')).toEqual({ a: '1', b: '2' });
  });

  it('drops a final backslash at end of input', () => {
    expect(parse('a=1\\')).toEqual({ a: '1' });
  });

  it('continues across CRLF and CR line ends', () => {
    expect(parse('a=1\\\r\n  2\r\nb=3\\\r  4\r')).toEqual({ a: '12', b: '34' });
  });
});

describe('parseProperties: files', () => {
  it('reads LF, CRLF and CR line ends alike', () => {
    const expected = { a: '1', b: '2', c: '3' };
    expect(parse('a=1\nb=2\nc=3')).toEqual(expected);
    expect(parse('a=1\r\nb=2\r\nc=3\r\n')).toEqual(expected);
    expect(parse('a=1\rb=2\rc=3\r')).toEqual(expected);
    expect(parse('a=1\r\nb=2\rc=3\n')).toEqual(expected);
  });

  it('ignores a byte order mark at the start', () => {
    expect(parse('\ufeffa=1\n')).toEqual({ a: '1' });
    expect(parse('\ufeff# comment\nb=2\n')).toEqual({ b: '2' });
  });

  it('keeps the last value of a duplicate key, at its first position', () => {
    const props = parseProperties('a=1\nb=2\na=3\n', 'dup.properties');
    expect([...props]).toEqual([
      ['a', '3'],
      ['b', '2'],
    ]);
  });

  it('keeps keys in file order', () => {
    expect([...parseProperties('z=1\na=2\nm=3\n', 'order.properties').keys()]).toEqual(['z', 'a', 'm']);
  });

  it('reads an empty file as an empty map', () => {
    expect(parseProperties('', 'empty.properties').size).toBe(0);
  });
});

describe('parseProperties: errors', () => {
  it('names the file and line of a malformed \\uXXXX escape', () => {
    const text = 'a=1\n\n# c\nb=\\u12G4\n';
    expect(() => parseProperties(text, 'config/x.properties')).toThrow(
      'config/x.properties:4: malformed \\uXXXX escape',
    );
  });

  it('rejects a \\u cut short by the end of the line', () => {
    expect(() => parseProperties('a=\\u12\nb=2\n', 'short.properties')).toThrow('short.properties:1:');
  });

  it('reports the natural line of an escape inside a continuation', () => {
    expect(() => parseProperties('a=1\nb=x,\\\n  y,\\\n  \\uzzzz\n', 'cont.properties')).toThrow(
      'cont.properties:4: malformed',
    );
  });

  it('throws a ConfigFileError that is a ConfigError with the file and line', () => {
    try {
      parseProperties('\\u=1', 'k.properties');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigFileError);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigFileError).file).toBe('k.properties');
      expect((error as ConfigFileError).line).toBe(1);
    }
  });
});

describe('formatProperties', () => {
  const tricky = new Map<string, string>([
    ['plain', 'value'],
    ['key with spaces', ' leading and trailing '],
    ['a=b:c', 'x=y:z'],
    ['#not-comment', '!bang'],
    ['tabs\tand\nlines', 'line1\nline2\r\n\tend\f'],
    ['back\\slash', 'C:\\dir\\'],
    ['unicode', 'café 東京 😀 \u0001'],
    ['', ''],
  ]);

  it('round trips every kind of character through parseProperties', () => {
    const text = formatProperties(tricky);
    expect([...parseProperties(text, 'round.properties')]).toEqual([...tricky]);
  });

  it('writes ASCII only, one key=value line each', () => {
    const text = formatProperties(tricky);
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
    expect(text.split('\n').filter(Boolean)).toHaveLength(tricky.size);
  });

  it('escapes as Java does', () => {
    expect(formatProperties({ 'a b': ' x y', 'k=': 'é#' })).toBe('a\\ b=\\ x y\nk\\==\\u00E9\\#\n');
  });

  it('writes comments as # lines that the parser skips', () => {
    const text = formatProperties({ a: '1' }, ['written by a test', 'second\nthird']);
    expect(text).toBe('#written by a test\n#second\n#third\na=1\n');
    expect(parse(text)).toEqual({ a: '1' });
  });
});

describe('readPropertiesFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsconnect-props-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a worker file', async () => {
    const path = join(dir, 'worker.properties');
    await writeFile(path, '\ufeffbootstrap.servers=localhost:9092\r\nplugin.path=/opt/a,\\\r\n  /opt/b\r\n');
    const props = await readPropertiesFile(path);
    expect(Object.fromEntries(props)).toEqual({
      'bootstrap.servers': 'localhost:9092',
      'plugin.path': '/opt/a,/opt/b',
    });
  });

  it('names the file when it is missing', async () => {
    const path = join(dir, 'missing.properties');
    await expect(readPropertiesFile(path)).rejects.toThrow(`${path}: file not found`);
  });

  it('names the file and line of a malformed escape', async () => {
    const path = join(dir, 'bad.properties');
    await writeFile(path, 'a=1\nb=\\u00\n');
    await expect(readPropertiesFile(path)).rejects.toThrow(`${path}:2: malformed \\uXXXX escape`);
  });
});
