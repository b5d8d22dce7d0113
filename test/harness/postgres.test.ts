/** The harness itself: a cluster starts with wal_level=logical and answers queries. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from './postgres.js';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
});

describe('postgres harness', () => {
  it('starts a logical-replication-ready cluster on loopback', async () => {
    const client = new pg.Client({ connectionString: cluster.url() });
    await client.connect();
    try {
      const { rows } = await client.query('SHOW wal_level');
      expect(rows[0].wal_level).toBe('logical');
    } finally {
      await client.end();
    }
  });
});
