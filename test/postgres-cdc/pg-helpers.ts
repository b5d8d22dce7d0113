/** Shared bits of the Postgres CDC integration tests. */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { cdcConnectionConfig, startPostgres, type PostgresCluster } from '../harness/postgres.js';
import { readTopic } from '../harness/read-topic.js';
import { eventually, http, startWorker, tempDir, type WorkerProcess } from '../harness/worker-process.js';

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
    ...cdcConnectionConfig(cluster),
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

/** The topic's records once it holds at least `n` (raw: key and value bytes as written). */
export function topicRecords(workerDir: string, topic: string, n: number, timeoutMs = 20000): Promise<Awaited<ReturnType<typeof readTopic>>> {
  return eventually(async () => {
    const records = await readTopic(workerDir, topic);
    return records.length >= n ? records : null;
  }, timeoutMs, `${n} records on ${topic}`);
}

export async function dropSlot(cluster: PostgresCluster, slot: string): Promise<void> {
  await sql(cluster, 'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [slot]).catch(() => undefined);
}

/**
 * One Postgres cluster and one worker process for a test file, with the hooks that start and stop
 * them and remove every connector after each test. Tests read `env.cluster`, `env.worker`, `env.dir`.
 */
export interface CdcTestEnv {
  cluster: PostgresCluster;
  worker: WorkerProcess;
  dir: string;
  newId(): string;
  /** POSTs the connector (the harness config plus `extra`) and returns the answer. */
  post(id: string, extra?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** POSTs it, expects 201 and waits for its task to run; returns the config. */
  deploy(id: string, extra?: Record<string, string>): Promise<Record<string, string>>;
  waitRunning(id: string): Promise<void>;
}

export function cdcTestEnv(prefix: string, options: { tls?: boolean; conf?: string[] } = {}): CdcTestEnv {
  let tmp: { path: string; remove(): Promise<void> };
  const slots: string[] = [];
  let seq = 0;
  const env = {
    dir: '',
    newId: () => `${prefix}${++seq}${Date.now().toString(36).slice(-4)}`,
    post: (id: string, extra: Record<string, string> = {}) => {
      const config = connectorConfig(env.cluster, id, extra);
      slots.push(config['slot.name']!);
      return http('POST', `${env.worker.url}/connectors`, { name: id, config });
    },
    waitRunning: async (id: string) => {
      await eventually(async () => (await http('GET', `${env.worker.url}/connectors/${id}/status`)).body.tasks[0]?.state === 'RUNNING', 20000, `${id} RUNNING`).catch(async (e: Error) => {
        // Say why: a failed task's trace is in its status.
        const status = (await http('GET', `${env.worker.url}/connectors/${id}/status`)).body;
        throw new Error(`${e.message}; status: ${JSON.stringify(status).slice(0, 2000)}`);
      });
    },
    deploy: async (id: string, extra: Record<string, string> = {}) => {
      const res = await env.post(id, extra);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      await env.waitRunning(id);
      return connectorConfig(env.cluster, id, extra);
    },
  } as unknown as CdcTestEnv;
  beforeAll(async () => {
    env.cluster = await startPostgres({ ...options, conf: ['wal_sender_timeout = 10s', ...(options.conf ?? [])] });
    tmp = await tempDir(`pgcdc-${prefix}`);
    env.dir = tmp.path;
    env.worker = await startWorker({ dir: tmp.path });
  });
  afterAll(async () => {
    await env.worker?.stop();
    for (const s of slots) await dropSlot(env.cluster, s);
    await env.cluster?.stop();
    await tmp?.remove();
  });
  afterEach(async () => {
    for (const name of (await http('GET', `${env.worker.url}/connectors`)).body as string[]) await http('DELETE', `${env.worker.url}/connectors/${name}`);
  });
  return env;
}

/** An LSN's text ('16/B374D848') as a number, to compare with offsets' LSNs. */
export function lsnValue(text: string): number {
  const [hi, lo] = text.split('/').map((h) => parseInt(h, 16));
  return hi! * 2 ** 32 + lo!;
}

/**
 * The rows a topic's events replay to, in order (an `r`/`c`/`u` sets the row, a `d` removes it),
 * sorted by `id`, beside the table's rows now: a test expects the two equal.
 */
export async function replayedAndFinal(cluster: PostgresCluster, events: ChangeEvent[], table: string, columns = 'id, v, n'): Promise<{ replayed: Array<Record<string, unknown>>; final: Array<Record<string, unknown>> }> {
  const rows = new Map<number, Record<string, unknown>>();
  for (const e of events) {
    if (!e.value) continue;
    const id = (e.key as { id: number }).id;
    if (e.value.op === 'd') rows.delete(id);
    else rows.set(id, e.value.after!);
  }
  const final = (await sql(cluster, `SELECT ${columns} FROM ${table} ORDER BY id`)).rows as Array<Record<string, unknown>>;
  return { replayed: [...rows.values()].sort((a, b) => (a.id as number) - (b.id as number)), final };
}
