import { describe, expect, it } from 'vitest';
import { ConfigSpec } from '../../runtime/api/index.js';
import { isConnectionLoss, maxRetries, withReconnect } from './retry.js';

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
    }, { what: 't', warn: (m) => seen.push(m), isStopping: () => false, onLoss: () => void seen.push('cleanup'), retries: Infinity });
    expect(result).toBe('ok');
    expect(seen.filter((s) => s === 'cleanup')).toHaveLength(2);
    expect(seen.find((s) => s !== 'cleanup')).toMatch(/attempt 2 in 500 ms/);
  }, 10_000);

  it('does not retry other errors, and gives up quietly when stopping', async () => {
    await expect(withReconnect(async () => {
      throw new Error('column "x" does not exist');
    }, { what: 't', warn: () => undefined, isStopping: () => false, retries: Infinity })).rejects.toThrow('column "x"');
    expect(await withReconnect(async () => {
      throw lost();
    }, { what: 't', warn: () => undefined, isStopping: () => true, retries: Infinity })).toBeNull();
  });

  it('gives up after errors.max.retries retries, saying so', async () => {
    let n = 0;
    const attempt = async () => {
      n++;
      throw lost();
    };
    await expect(withReconnect(attempt, { what: 'chunk', warn: () => undefined, isStopping: () => false, retries: 0 })).rejects.toThrow('chunk: connection lost (terminating connection due to administrator command) and not retried more than errors.max.retries=0 time(s)');
    expect(n).toBe(1);
    n = 0;
    await expect(withReconnect(attempt, { what: 'chunk', warn: () => undefined, isStopping: () => false, retries: 2 })).rejects.toThrow(/errors.max.retries=2/);
    expect(n).toBe(3);
  }, 20_000);

  it('reads errors.max.retries: -1 has no limit, as in Debezium', () => {
    const spec = new ConfigSpec().define({ name: 'errors.max.retries', type: 'int', default: -1, importance: 'low', doc: '' });
    expect(maxRetries(spec.parse({}))).toBe(Infinity);
    expect(maxRetries(spec.parse({ 'errors.max.retries': '0' }))).toBe(0);
    expect(maxRetries(spec.parse({ 'errors.max.retries': '5' }))).toBe(5);
  });
});
