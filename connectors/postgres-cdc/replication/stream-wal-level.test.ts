/** A cluster with wal_level=replica: creating a logical slot fails with the server's reason, and validate says why on the key to fix. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cdcConnectionConfig, startPostgres, type PostgresCluster } from '../../../test/harness/postgres.js';
import { PostgresConnector } from '../connector.js';
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

it("validate puts wal_level's value on database.hostname", async () => {
  const values = await new PostgresConnector().validate({ ...cdcConnectionConfig(cluster), 'connector.class': 'PostgresConnector', 'topic.prefix': 'wal' });
  const errors = Object.fromEntries(values.filter((v) => v.errors.length > 0).map((v) => [v.name, v.errors]));
  expect(errors).toEqual({ 'database.hostname': ["Postgres server wal_level property must be 'logical' but is: 'replica'"] });
});
