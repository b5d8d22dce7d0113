/** Shared bits of the Postgres CDC integration tests. */
import pg from 'pg';
import type { PostgresCluster } from '../harness/postgres.js';
import { readTopic } from '../harness/read-topic.js';

export async function sql(cluster: PostgresCluster, text: string, params: unknown[] = [], database = 'postgres'): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: cluster.url(database) });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

export function connectorConfig(cluster: PostgresCluster, id: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': cluster.host,
    'database.port': String(cluster.port),
    'database.user': cluster.user,
    'database.password': cluster.password,
    'database.dbname': 'postgres',
    'topic.prefix': id,
    'slot.name': `slot_${id}`.toLowerCase().replace(/[^a-z0-9_]/g, '_'),
    'publication.name': `pub_${id}`.toLowerCase().replace(/[^a-z0-9_]/g, '_'),
    'publication.autocreate.mode': 'filtered',
    'table.include.list': `public\\.${id}_.*`,
    'value.converter.schemas.enable': 'true',
    ...extra,
  };
}

export interface ChangeEvent {
  key: unknown;
  value: { before: Record<string, unknown> | null; after: Record<string, unknown> | null; op: string; source: Record<string, unknown> } | null;
  headers: Record<string, string>;
}

/** The change events of a topic, JSON payloads decoded (JsonConverter envelopes). */
export async function changeEvents(workerDir: string, topic: string): Promise<ChangeEvent[]> {
  return (await readTopic(workerDir, topic)).map((r) => ({
    key: r.key ? (JSON.parse(Buffer.from(r.key).toString()) as { payload: unknown }).payload : null,
    value: r.value ? (JSON.parse(Buffer.from(r.value).toString()) as { payload: ChangeEvent['value'] }).payload : null,
    headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value ? Buffer.from(h.value).toString() : ''])),
  }));
}

export async function dropSlot(cluster: PostgresCluster, slot: string): Promise<void> {
  await sql(cluster, 'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [slot]).catch(() => undefined);
}
