/**
 * A Debezium user's topic.creation.* settings (Kafka Connect's topic creation groups) shape the
 * topics the connector's events create: the first matching group's partitions and topic configs,
 * else the default group's; a config missing the default group's required keys is refused.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbeddedLog } from '../../runtime/log/embedded/log.js';
import type { TopicDescription } from '../../runtime/log/log.js';
import { readTopic } from '../harness/read-topic.js';
import { eventually } from '../harness/worker-process.js';
import { cdcTestEnv, sql } from './pg-helpers.js';

const env = cdcTestEnv('tcr');

async function describeTopic(topic: string): Promise<TopicDescription | null> {
  const log = openEmbeddedLog(join(env.dir, 'log'), { autoCreateTopics: false, cleanerIntervalMs: 0 });
  try {
    return await log.admin().describeTopic(topic);
  } finally {
    await log.close();
  }
}

describe('Postgres CDC topics made by topic.creation groups', () => {
  it('creates each table topic with its group settings and the others with the default group', { timeout: 60_000 }, async () => {
    const id = env.newId();
    await sql(env.cluster, `CREATE TABLE ${id}_orders (id int PRIMARY KEY, v text)`);
    await sql(env.cluster, `CREATE TABLE ${id}_items (id int PRIMARY KEY, v text)`);
    await sql(env.cluster, `INSERT INTO ${id}_orders SELECT g, 'o' || g FROM generate_series(1, 30) g`);
    await sql(env.cluster, `INSERT INTO ${id}_items VALUES (1, 'i1')`);
    await env.deploy(id, {
      'table.include.list': `public\\.${id}_.*`,
      'topic.creation.default.replication.factor': '1',
      'topic.creation.default.partitions': '1',
      'topic.creation.default.cleanup.policy': 'compact',
      'topic.creation.default.compression.type': 'lz4',
      'topic.creation.groups': 'orders',
      'topic.creation.orders.include': `${id}\\.public\\.${id}_orders`,
      'topic.creation.orders.partitions': '3',
      'topic.creation.orders.retention.ms': '86400000',
    });
    const orders = `${id}.public.${id}_orders`;
    const items = `${id}.public.${id}_items`;
    const records = await eventually(async () => {
      const r = await readTopic(env.dir, orders);
      return r.length >= 30 ? r : null;
    }, 20_000, '30 snapshot events of orders');
    await eventually(async () => (await readTopic(env.dir, items)).length >= 1, 20_000, 'the items event');

    // The orders group: its partitions and its own configs only (no compaction from the default).
    const o = await describeTopic(orders);
    expect(o).toMatchObject({ partitions: 3, replicationFactor: 1 });
    expect(o!.configs).toMatchObject({ 'retention.ms': '86400000', 'cleanup.policy': 'delete' });
    // Keyed events spread over the three partitions, none lost.
    expect(new Set(records.map((r) => r.partition)).size).toBe(3);
    expect(records.map((r) => JSON.parse(Buffer.from(r.key!).toString()).payload.id).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));

    const i = await describeTopic(items);
    expect(i).toMatchObject({ partitions: 1, replicationFactor: 1 });
    expect(i!.configs).toMatchObject({ 'cleanup.policy': 'compact', 'compression.type': 'lz4' });
  });

  it('refuses a config without the default group replication factor, naming the key', async () => {
    const id = env.newId();
    const res = await env.post(id, { 'topic.creation.default.partitions': '3' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('topic.creation.default.replication.factor: Missing required configuration "topic.creation.default.replication.factor" which has no default value.');
  });
});
