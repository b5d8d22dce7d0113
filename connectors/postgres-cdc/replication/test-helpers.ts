/** Test helpers for this folder's integration tests: a stream that records what it decodes. */
import pg from 'pg';
import type { PostgresCluster } from '../../../test/harness/postgres.js';
import type { Lsn } from './lsn.js';
import { decodePgOutput, type PgOutputMessage } from './pgoutput.js';
import { ReplicationStream } from './stream.js';

export function config(cluster: PostgresCluster): pg.ClientConfig {
  return { host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: cluster.database };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A started stream that decodes every XLogData and answers requested keepalives with `ackLsn`. */
export interface Recorder {
  stream: ReplicationStream;
  messages: PgOutputMessage[];
  keepalives: { walEnd: Lsn; replyRequested: boolean }[];
  errors: Error[];
  /** What requested keepalives are answered with; the test moves it. */
  ackLsn: Lsn;
  /** Waits until `n` messages have been decoded and returns them. */
  take(n: number): Promise<PgOutputMessage[]>;
}

/** With ackWalEnd, requested keepalives are answered with their own walEnd (a caught-up caller). */
export async function record(cluster: PostgresCluster, slot: string, startLsn: Lsn, publication: string, ackWalEnd = false): Promise<Recorder> {
  const stream = await ReplicationStream.connect(config(cluster));
  const rec: Recorder = {
    stream,
    messages: [],
    keepalives: [],
    errors: [],
    ackLsn: startLsn,
    take: (n) => waitFor(`${n} pgoutput messages (have ${rec.messages.length})`, () => (rec.messages.length >= n ? rec.messages.slice(0, n) : undefined)),
  };
  stream.on('error', (e) => rec.errors.push(e));
  await stream.start(
    slot,
    startLsn,
    { proto_version: '1', publication_names: publication, messages: 'true' },
    (_walStart, _walEnd, data) => rec.messages.push(decodePgOutput(data)),
    (walEnd, replyRequested) => {
      rec.keepalives.push({ walEnd, replyRequested });
      if (ackWalEnd) rec.ackLsn = walEnd;
      if (replyRequested) stream.sendStatus(rec.ackLsn);
    },
  );
  return rec;
}

/** A normal (non-replication) connection for DDL, DML and catalog checks. */
export async function sql(cluster: PostgresCluster): Promise<pg.Client> {
  const client = new pg.Client(config(cluster));
  await client.connect();
  return client;
}

export async function confirmedFlush(db: pg.Client, slot: string): Promise<string | null> {
  const { rows } = await db.query<{ confirmed_flush_lsn: string | null }>('SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  if (!rows[0]) throw new Error(`slot ${slot} does not exist`);
  return rows[0].confirmed_flush_lsn;
}

export async function dropSlotIfExists(db: pg.Client, slot: string): Promise<void> {
  await db.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
}
