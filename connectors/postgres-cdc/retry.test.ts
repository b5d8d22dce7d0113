import { describe, expect, it } from 'vitest';
import { isConnectionLoss, withReconnect } from './retry.js';

const lost = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('withReconnect', () => {
  it('tells a lost connection from an error about the statement', () => {
    expect(isConnectionLoss(lost())).toBe(true);
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('syntax error at or near "x"'), { code: '42601' }))).toBe(false);
  });

  it('retries a lost connection after cleaning up, and returns what the attempt returns', async () => {
    const seen: string[] = [];
    let n = 0;
    const result = await withReconnect(async () => {
      if (++n < 3) throw lost();
      return 'ok';
    }, { what: 't', warn: (m) => seen.push(m), isStopping: () => false, onLoss: () => void seen.push('cleanup') });
    expect(result).toBe('ok');
    expect(seen.filter((s) => s === 'cleanup')).toHaveLength(2);
    expect(seen.find((s) => s !== 'cleanup')).toMatch(/attempt 2 in 500 ms/);
  }, 10_000);

  it('does not retry other errors, and gives up quietly when stopping', async () => {
    await expect(withReconnect(async () => {
      throw new Error('column "x" does not exist');
    }, { what: 't', warn: () => undefined, isStopping: () => false })).rejects.toThrow('column "x"');
    expect(await withReconnect(async () => {
      throw lost();
    }, { what: 't', warn: () => undefined, isStopping: () => true })).toBeNull();
  });
});
