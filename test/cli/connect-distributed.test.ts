import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './run-cli.js';

beforeAll(() => ensureBuilt());

describe('connect-distributed', () => {
  it('explains that distributed mode needs the Kafka backend and exits 1', async () => {
    const result = await runCli('connect-distributed.js', ['config/connect-distributed.properties']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/distributed mode needs the Kafka backend.*bootstrap\.servers/);
    expect(result.stderr).toMatch(/group\.id/);
    expect(result.stderr).toMatch(/connect-standalone worker\.properties/);
  });

  it('names a worker file that cannot be read', async () => {
    const result = await runCli('connect-distributed.js', ['no-such-worker.properties']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no-such-worker\.properties: file not found/);
  });
});
