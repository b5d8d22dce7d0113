import { describe, expect, it } from 'vitest';
import { UsageError, helpText, intOption, keyValues, parseOptions, type OptionSpec } from './args.js';

const SPECS: OptionSpec[] = [
  { name: 'list', kind: 'flag', doc: 'a flag' },
  { name: 'topic', kind: 'value', arg: '<name>', doc: 'a value' },
  { name: 'partitions', kind: 'value', arg: '<n>', doc: 'a number' },
  { name: 'config', kind: 'list', arg: '<k=v>', doc: 'repeatable' },
];

describe('parseOptions', () => {
  it('reads flags, values in both spellings and repeated options', () => {
    const p = parseOptions(['--list', '--topic', 't1', '--partitions=3', '--config', 'a=1', '--config=b=x=y'], SPECS, 'cmd');
    expect(p.flags.has('list')).toBe(true);
    expect(p.values.get('topic')).toBe('t1');
    expect(intOption(p, 'partitions', 'cmd', 1)).toBe(3);
    expect(keyValues(p, 'config', 'cmd')).toEqual(new Map([['a', '1'], ['b', 'x=y']]));
  });

  it('names the unknown option, a missing value and a stray argument', () => {
    expect(() => parseOptions(['--lsit'], SPECS, 'cmd')).toThrow(new UsageError('cmd: unknown option --lsit (see cmd --help)'));
    expect(() => parseOptions(['--topic'], SPECS, 'cmd')).toThrow(/--topic needs a value <name>/);
    expect(() => parseOptions(['t1'], SPECS, 'cmd')).toThrow(/unexpected argument 't1'/);
    expect(() => parseOptions(['--list=yes'], SPECS, 'cmd')).toThrow(/--list takes no value/);
    expect(() => parseOptions(['--topic', 'a', '--topic', 'b'], SPECS, 'cmd')).toThrow(/--topic given twice/);
  });

  it('refuses numbers that are not whole or too small, and pairs without =', () => {
    expect(() => intOption(parseOptions(['--partitions', '0'], SPECS, 'cmd'), 'partitions', 'cmd', 1)).toThrow(/at least 1, not '0'/);
    expect(() => intOption(parseOptions(['--partitions', '2.5'], SPECS, 'cmd'), 'partitions', 'cmd', 1)).toThrow(UsageError);
    expect(() => keyValues(parseOptions(['--config', 'novalue'], SPECS, 'cmd'), 'config', 'cmd')).toThrow(/expects key=value/);
  });

  it('lists every option in the help text', () => {
    const text = helpText('cmd [options]', 'does things', SPECS);
    for (const s of SPECS) expect(text).toContain(`--${s.name}`);
    expect(text).toContain('--topic <name>');
  });
});
