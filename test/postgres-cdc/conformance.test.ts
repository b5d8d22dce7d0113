/** The Postgres CDC source passes the shared connector conformance suite against a real Postgres. */
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PostgresCluster } from '../harness/postgres.js';
import { describeConformance } from '../conformance/connector-conformance.js';
import { changeEvents, connectorConfig, sql } from './pg-helpers.js';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ conf: ['wal_sender_timeout = 10s'] });
});
afterAll(async () => {
  // Slots are dropped with the cluster.
  await cluster?.stop();
});

const created = new Set<string>();

async function ensureTable(id: string): Promise<void> {
  if (created.has(id)) return;
  created.add(id);
  await sql(cluster, `CREATE TABLE IF NOT EXISTS ${id}_items (n serial PRIMARY KEY, item text NOT NULL)`);
}

describeConformance({
  title: 'Postgres CDC (PostgresConnector)',
  timeoutMs: 20000,
  // The table must exist before the connector starts, so the filtered publication includes it.
  prepare: (ctx) => ensureTable(ctx.id),
  config: (ctx) => connectorConfig(cluster, ctx.id, { 'snapshot.mode': 'initial' }),
  feed: async (ctx, items) => {
    await ensureTable(ctx.id);
    for (const item of items) await sql(cluster, `INSERT INTO ${ctx.id}_items (item) VALUES ($1)`, [item]);
  },
  delivered: async (ctx) => (await changeEvents(ctx.dir, `${ctx.id}.public.${ctx.id}_items`))
    .filter((e) => e.value?.after)
    .map((e) => (e.value!.after as { item: string }).item),
  badConfig: { config: { 'connector.class': 'io.debezium.connector.postgresql.PostgresConnector', 'database.port': 'abc' }, keysNamed: ['topic.prefix', 'database.hostname', 'database.port'] },
});
