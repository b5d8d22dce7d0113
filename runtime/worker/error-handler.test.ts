import { describe, expect, it } from 'vitest';
import { DataError, RetriableError } from '../api/errors.js';
import { getLogger } from '../api/logger.js';
import { ErrorHandler, SKIP, ToleranceExceededError, type ErrorSettings } from './error-handler.js';

const base: ErrorSettings = { retryTimeoutMs: 0, retryDelayMaxMs: 50, toleranceAll: false, logEnable: false, logIncludeMessages: false };
const log = getLogger('test.error-handler');

describe('ErrorHandler', () => {
  it('retries a retriable failure until it succeeds within errors.retry.timeout', async () => {
    let calls = 0;
    const handler = new ErrorHandler({ ...base, retryTimeoutMs: 5000 }, log);
    const result = await handler.run('TASK_PUT', () => {
      if (++calls < 3) throw new RetriableError('not yet');
      return 'done';
    }, () => 'record');
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up after errors.retry.timeout and fails without tolerance', async () => {
    const handler = new ErrorHandler({ ...base, retryTimeoutMs: 400 }, log);
    const started = Date.now();
    await expect(handler.run('VALUE_CONVERTER', () => { throw new RetriableError('still away'); }, () => 'r')).rejects.toBeInstanceOf(ToleranceExceededError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('does not retry a non-retriable failure, and skips it under errors.tolerance=all', async () => {
    const tolerated: string[] = [];
    let calls = 0;
    const handler = new ErrorHandler({ ...base, retryTimeoutMs: 5000, toleranceAll: true }, log, async (ctx) => {
      tolerated.push(`${ctx.stage}: ${ctx.error.message}`);
    });
    const result = await handler.run('VALUE_CONVERTER', () => {
      calls++;
      throw new DataError('not JSON');
    }, () => 'r');
    expect(result).toBe(SKIP);
    expect(calls).toBe(1);
    expect(tolerated).toEqual(['VALUE_CONVERTER: not JSON']);
    expect(handler.skipped).toBe(1);
  });

  it('names the stage in the error that fails the task', async () => {
    const handler = new ErrorHandler(base, log);
    await expect(Promise.resolve(handler.runSync('KEY_CONVERTER', () => { throw new DataError('bad key'); }, () => 'r'))).rejects.toThrow(/stage KEY_CONVERTER.*bad key/);
  });
});
