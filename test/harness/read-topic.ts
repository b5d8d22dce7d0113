/**
 * Reads a whole topic of a worker's embedded log from the test process, as a second process
 * may while the worker runs (SQLite in WAL mode serves concurrent readers).
 */
import { join } from 'node:path';
import { openEmbeddedLog } from '../../runtime/log/embedded/log.js';
import type { LogRecord } from '../../runtime/log/log.js';

export async function readTopic(workerDir: string, topic: string): Promise<LogRecord[]> {
  const log = openEmbeddedLog(join(workerDir, 'log'), { autoCreateTopics: false, cleanerIntervalMs: 0 });
  try {
    const admin = log.admin();
    if (!(await admin.describeTopic(topic))) return [];
    const ends = await admin.offsets(topic);
    const consumer = log.consumer({ maxPollRecords: 10000 });
    const tps = ends.map((e) => ({ topic, partition: e.partition }));
    await consumer.assign(tps);
    await consumer.seekToBeginning(tps);
    const out: LogRecord[] = [];
    const want = ends.reduce((n, e) => n + (e.latest - e.earliest), 0);
    while (out.length < want) {
      const batch = await consumer.poll(200);
      if (batch.length === 0) break;
      out.push(...batch);
    }
    await consumer.close();
    return out;
  } finally {
    await log.close();
  }
}

/** The payloads of JsonConverter envelopes (schemas.enable=true) of a topic's values. */
export async function readJsonPayloads(workerDir: string, topic: string): Promise<unknown[]> {
  return (await readTopic(workerDir, topic)).map((r) => (JSON.parse(Buffer.from(r.value!).toString('utf8')) as { payload: unknown }).payload);
}
