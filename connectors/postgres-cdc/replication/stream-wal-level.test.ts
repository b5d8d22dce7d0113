/** A cluster with wal_level=replica: creating a logical slot fails with the server's reason. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../../../test/harness/postgres.js';
import { ReplicationStream } from './stream.js';
import { config } from './test-helpers.js';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ walLevel: 'replica' });
});
afterAll(async () => {
  await cluster?.stop();
});

it('rejects createSlot with the server message when wal_level is not logical', async () => {
  const s = await ReplicationStream.connect(config(cluster));
  try {
    await expect(s.createSlot('wal_level_slot')).rejects.toThrow('logical decoding requires wal_level >= logical');
  } finally {
    await s.end();
  }
});
