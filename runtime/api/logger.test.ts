import { afterEach, describe, expect, it } from 'vitest';
import { getLogger, setLogSink, withLogContext } from './logger.js';

afterEach(() => setLogSink((line) => process.stderr.write(`${line}\n`)));

describe('log lines', () => {
  it('carry the task context once, whether or not the message names it', () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    const log = getLogger('test.logger');
    withLogContext('orders|task-0', () => {
      log.info('plain');
      log.info('[orders|task-0] named');
    });
    log.info('[orders|task-0] outside');
    expect(lines.map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'INFO  [orders|task-0] plain (test.logger)',
      'INFO  [orders|task-0] named (test.logger)',
      'INFO  [orders|task-0] outside (test.logger)',
    ]);
  });
});
