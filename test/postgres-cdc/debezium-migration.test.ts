/**
 * Moving a standalone worker between Debezium and tsconnect with its offset file
 * (`offset.storage.file.filename`), both ways, against Debezium 3.6.1 itself: its embedded engine
 * (bench/debezium, built with Maven on first use) keeps offsets in Kafka's FileOffsetBackingStore,
 * the file Kafka Connect's connect-standalone keeps. Each side must go on exactly where the other
 * stopped: no snapshot again, no change missing, none twice.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDebezium, runDebezium } from '../../bench/postgres-cdc/debezium.js';
import { readByteMap } from '../../runtime/stores/java-byte-map.js';
import { startPostgres, type PostgresCluster } from '../harness/postgres.js';
import { eventually, startWorker, tempDir } from '../harness/worker-process.js';
import { changeEvents, connectorConfig, sql } from './pg-helpers.js';

let cluster: PostgresCluster;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  if (!prepareDebezium()) throw new Error('this test runs Debezium 3.6.1 itself: it needs Java 17+ and Maven (apt-get install default-jdk-headless maven); see bench/debezium/README.md');
  cluster = await startPostgres({ conf: ['wal_sender_timeout = 10s'] });
  tmp = await tempDir('dbzmove');
}, 600_000);

afterAll(async () => {
  await cluster?.stop();
  await tmp?.remove();
});

describe('Moving between Debezium and tsconnect with the offset file', () => {
  it('Debezium -> tsconnect -> Debezium -> tsconnect, each from where the other stopped', { timeout: 300_000 }, async () => {
    const id = `move${Date.now().toString(36).slice(-5)}`;
    const table = `${id}_orders`;
    const offsetsFile = join(tmp.path, 'connect.offsets');
    // One connector config for both: a Debezium user's keys, the same name (the offsets' key).
    const config: Record<string, string> = { ...connectorConfig(cluster, id, { 'snapshot.mode': 'initial', 'publication.autocreate.mode': 'disabled' }), name: id };
    const slot = config['slot.name']!;
    const publication = config['publication.name']!;
    const insert = async (from: number, to: number, perTx: number) => {
      for (let start = from; start <= to; start += perTx) {
        await sql(cluster, `INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(${start}, ${Math.min(to, start + perTx - 1)}) g`);
      }
    };
    const debezium = async (expect: number, snapshotMode: string) => {
      const run = await runDebezium(cluster, {
        slot, publication, table, snapshotMode, expect, timeoutMs: 120_000,
        extra: {
          name: id, 'topic.prefix': id, 'publication.autocreate.mode': 'disabled',
          'offset.storage': 'org.apache.kafka.connect.storage.FileOffsetBackingStore',
          'offset.storage.file.filename': offsetsFile, 'offset.flush.interval.ms': '0',
        },
        showTopics: true,
      });
      // --show-topics prints each counted record's topic and key.
      return [...run.stderr.matchAll(/^record (\S+) \{"id":(\d+)\}\}$/gm)].map((m) => ({ topic: m[1], id: Number(m[2]) }));
    };
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const topic = `${id}.public.${table}`;
    const tsconnect = () => startWorker({ dir: tmp.path, workerProps: { 'offset.storage.file.filename': offsetsFile }, connectors: [config] });

    await sql(cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
    await sql(cluster, `CREATE PUBLICATION ${publication} FOR TABLE ${table}`);
    await sql(cluster, `SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);

    // 1. Debezium streams 150 changes in 10 transactions, stores its offset in the file and stops.
    await insert(1, 150, 15);
    expect((await debezium(150, 'no_data')).map((r) => r.id)).toEqual(range(1, 150));
    expect(existsSync(offsetsFile)).toBe(true);

    // 2. tsconnect with the same worker file and connector config: no snapshot (snapshot.mode is
    //    initial), the changes made while nothing ran, and nothing Debezium had sent.
    await insert(151, 180, 10);
    let worker = await tsconnect();
    let events = await eventually(async () => {
      const e = await changeEvents(tmp.path, topic);
      return e.length >= 30 ? e : null;
    }, 60_000, 'the 30 changes made after Debezium stopped');
    expect(events.map((e) => [e.value!.op, (e.key as { id: number }).id])).toEqual(range(151, 180).map((n) => ['c', n]));
    expect(worker.output()).toMatch(/imported 1 offset\(s\) of connector/);
    // A graceful stop stores the last offsets and writes them to the file.
    await worker.stop();

    // 3. Debezium again, from the offset tsconnect wrote.
    await insert(181, 200, 5);
    expect((await debezium(20, 'initial')).map((r) => r.id)).toEqual(range(181, 200));

    // 4. tsconnect again: the file changed since it wrote it, so Debezium's newer offset wins
    //    over the one in tsconnect's own offset topic.
    await insert(201, 210, 10);
    worker = await tsconnect();
    events = await eventually(async () => {
      const e = await changeEvents(tmp.path, topic);
      return e.length >= 40 ? e : null;
    }, 60_000, 'the 10 changes made after Debezium stopped again');
    expect(events.slice(30).map((e) => (e.key as { id: number }).id)).toEqual(range(201, 210));
    await worker.stop();
    await sql(cluster, 'SELECT pg_drop_replication_slot($1)', [slot]);
  });

  it('Debezium goes on inside a transaction from the offset tsconnect stored before a kill -9', { timeout: 300_000 }, async () => {
    const id = `kill${Date.now().toString(36).slice(-5)}`;
    const table = `${id}_orders`;
    const dir = await tempDir('dbzkill');
    try {
      const offsetsFile = join(dir.path, 'connect.offsets');
      const config: Record<string, string> = { ...connectorConfig(cluster, id, { 'snapshot.mode': 'no_data', 'publication.autocreate.mode': 'disabled' }), name: id };
      const rows = 200_000;
      await sql(cluster, `CREATE TABLE ${table} (id int PRIMARY KEY, v text)`);
      await sql(cluster, `CREATE PUBLICATION ${config['publication.name']} FOR TABLE ${table}`);
      await sql(cluster, `SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [config['slot.name']]);
      const worker = await startWorker({ dir: dir.path, workerProps: { 'offset.storage.file.filename': offsetsFile }, connectors: [config] });
      await sql(cluster, `INSERT INTO ${table} VALUES (0, 'first')`);
      // One transaction of 200,000 rows (one WAL record each); the kill comes once the file holds an offset inside it.
      await sql(cluster, `INSERT INTO ${table} SELECT g, 'v' || g FROM generate_series(1, ${rows}) g`);
      const fileOffset = async () => {
        if (!existsSync(offsetsFile)) return null;
        const entry = readByteMap(await readFile(offsetsFile)).find(([k]) => Buffer.from(k!).toString() === JSON.stringify([id, { server: id }]));
        return entry?.[1] ? (JSON.parse(Buffer.from(entry[1]).toString()) as { lsn: number; messageType: string }) : null;
      };
      await eventually(async () => {
        const o = await fileOffset();
        return o?.messageType === 'INSERT' && o.lsn > 0 ? o : null;
      }, 60_000, 'an offset inside the transaction in the file');
      await worker.kill();
      const stored = (await fileOffset())!;
      // The row it names, from the records tsconnect wrote (each row has its own LSN here).
      const written = await changeEvents(dir.path, `${id}.public.${table}`);
      const lastStored = (written.find((e) => (e.value!.source as { lsn: number }).lsn === stored.lsn)!.key as { id: number }).id;
      expect(lastStored, 'the kill came inside the transaction').toBeLessThan(rows);
      const run = await runDebezium(cluster, {
        slot: config['slot.name']!, publication: config['publication.name']!, table, snapshotMode: 'initial', expect: rows - lastStored, timeoutMs: 120_000,
        extra: {
          name: id, 'topic.prefix': id, 'publication.autocreate.mode': 'disabled',
          'offset.storage': 'org.apache.kafka.connect.storage.FileOffsetBackingStore',
          'offset.storage.file.filename': offsetsFile, 'offset.flush.interval.ms': '0',
        },
        showTopics: true,
        stderrChars: 64 << 20,
      });
      const ids = [...run.stderr.matchAll(/^record \S+ \{"id":(\d+)\}\}$/gm)].map((m) => Number(m[1]));
      expect(ids.length).toBe(rows - lastStored);
      expect(ids[0]).toBe(lastStored + 1);
      expect(ids.every((n, i) => n === lastStored + 1 + i)).toBe(true);
    } finally {
      await sql(cluster, 'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [`slot_${id}`]).catch(() => undefined);
      await dir.remove();
    }
  });
});
