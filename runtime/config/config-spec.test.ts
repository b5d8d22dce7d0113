import { describe, expect, it } from 'vitest';
import { ConfigError } from '../api/errors.js';
import { ConfigSpec, Password } from './config-spec.js';
import { Validators } from './validators.js';

function spec(): ConfigSpec {
  return new ConfigSpec()
    .define({ name: 'topic', type: 'string', importance: 'high', doc: 'The topic.' })
    .define({ name: 'batch.size', type: 'int', default: 2000, validator: Validators.atLeast(1), importance: 'low', doc: 'Lines per poll.' })
    .define({ name: 'enabled', type: 'boolean', default: false, importance: 'low', doc: 'On or off.' })
    .define({ name: 'names', type: 'list', default: [], importance: 'low', doc: 'A list.' })
    .define({ name: 'secret', type: 'password', default: null, importance: 'high', doc: 'A secret.' })
    .define({ name: 'mode', type: 'string', default: 'a', validator: Validators.oneOf('a', 'b'), importance: 'low', doc: 'A mode.' });
}

describe('ConfigSpec', () => {
  it('parses typed values and applies defaults', () => {
    const c = spec().parse({ topic: ' t ', enabled: 'TRUE', names: 'x, y ,z', secret: 's3cret' });
    expect(c.getString('topic')).toBe('t');
    expect(c.getInt('batch.size')).toBe(2000);
    expect(c.getBoolean('enabled')).toBe(true);
    expect(c.getList('names')).toEqual(['x', 'y', 'z']);
    expect(c.getPassword('secret')?.value).toBe('s3cret');
    expect(String(c.getPassword('secret'))).toBe(Password.HIDDEN);
  });

  it('reports every error at once, naming each key', () => {
    try {
      spec().parse({ 'batch.size': '0', enabled: 'maybe', mode: 'c' }, 'connector x');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const err = e as ConfigError;
      expect(Object.keys(err.errors).sort()).toEqual(['batch.size', 'enabled', 'mode', 'topic']);
      expect(err.message).toContain('Missing required configuration "topic" which has no default value.');
      expect(err.message).toContain('Invalid value 0 for configuration batch.size: Value must be at least 1');
      expect(err.message).toContain('Invalid value maybe for configuration enabled: Expected value to be either true or false');
      expect(err.message).toContain('String must be one of: a, b');
    }
  });

  it('never shows a password in a validate answer or error', () => {
    const values = spec().validate({ topic: 't', secret: 'hunter2' });
    expect(values.find((v) => v.name === 'secret')?.value).toBe('[hidden]');
    expect(JSON.stringify(values)).not.toContain('hunter2');
  });

  it('rejects integers out of range and non-numbers', () => {
    const values = spec().validate({ topic: 't', 'batch.size': '99999999999' });
    expect(values.find((v) => v.name === 'batch.size')?.errors[0]).toContain('out of range');
    expect(spec().validate({ topic: 't', 'batch.size': '1.5' }).find((v) => v.name === 'batch.size')?.errors[0]).toContain('Not a number');
  });

  it('names unknown keys so the caller can warn', () => {
    const c = spec().parse({ topic: 't', 'typo.key': '1', 'transforms.x.type': 'y' });
    expect(c.unknownKeys(['transforms.'])).toEqual(['typo.key']);
  });

  it('writes a docs page from the spec', () => {
    const md = spec().toMarkdown('Test');
    expect(md).toContain('| `topic` | string | (required) |');
    expect(md).toContain('| `batch.size` | int | `2000` | [1,...] | low | Lines per poll. |');
  });

  it('checks regexes', () => {
    const s = new ConfigSpec().define({ name: 'r', type: 'string', default: '', validator: Validators.regex(), importance: 'low', doc: '' });
    expect(s.validate({ r: '([a-z' })[0]!.errors[0]).toContain('Invalid regular expression');
    expect(s.validate({ r: 'a.*' })[0]!.errors).toEqual([]);
  });
});
