import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord } from '../log.js';
import { Cleaner } from './cleaner.js';
import type { EmbeddedLog } from './log.js';
import { TempLogs, bytes, text } from './test-support.js';

const logs = new TempLogs();
afterEach(() => logs.cleanup());

const DAY = 86_400_000;

async function readAll(log: EmbeddedLog, topic: string): Promise<LogRecord[]> {
  const consumer = log.consumer();
  await consumer.assign([{ topic, partition: 0 }]);
  const out: LogRecord[] = [];
  for (let batch = await consumer.poll(20); batch.length > 0; batch = await consumer.poll(20)) out.push(...batch);
  await consumer.close();
  return out;
}

describe('cleaner: delete policy', () => {
  it('drops records older than retention.ms and moves the earliest offset', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'ret', configs: { 'retention.ms': String(DAY) } });
    const now = Date.now();
    const producer = log.producer();
    for (const [value, age] of [
      ['old-0', 3 * DAY],
      ['old-1', 2 * DAY],
      ['new-2', 0],
      ['old-but-after-new', 5 * DAY],
    ] as const) {
      await producer.send([{ topic: 'ret', key: null, value: bytes(value), timestamp: now - age }]);
    }
    expect(log.runCleaner().deleted).toBe(2);
    expect(await log.admin().offsets('ret')).toEqual([{ partition: 0, earliest: 2, latest: 4 }]);
    expect((await readAll(log, 'ret')).map((r) => r.offset)).toEqual([2, 3]);
  });

  it('drops the records of one send() together, once all of them are expired', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'ret-batch', configs: { 'retention.ms': String(DAY) } });
    const now = Date.now();
    const producer = log.producer();
    await producer.send([
      { topic: 'ret-batch', key: null, value: bytes('old-0'), timestamp: now - 3 * DAY },
      { topic: 'ret-batch', key: null, value: bytes('old-1'), timestamp: now - 2 * DAY },
    ]);
    await producer.send([
      { topic: 'ret-batch', key: null, value: bytes('old-2'), timestamp: now - 3 * DAY },
      { topic: 'ret-batch', key: null, value: bytes('new-3'), timestamp: now },
    ]);
    expect(log.runCleaner().deleted).toBe(2);
    expect((await readAll(log, 'ret-batch')).map((r) => text(r.value))).toEqual(['old-2', 'new-3']);
  });

  it('keeps records forever with retention.ms=-1 and keeps the end offset when all expire', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'forever', configs: { 'retention.ms': '-1' } });
    await log.admin().createTopic({ name: 'expired', configs: { 'retention.ms': '1000' } });
    const old = Date.now() - 10 * DAY;
    for (const topic of ['forever', 'expired']) {
      await log.producer().send([1, 2, 3].map(() => ({ topic, key: null, value: bytes('x'), timestamp: old })));
    }
    log.runCleaner();
    expect(await log.admin().offsets('forever')).toEqual([{ partition: 0, earliest: 0, latest: 3 }]);
    expect(await log.admin().offsets('expired')).toEqual([{ partition: 0, earliest: 3, latest: 3 }]);
    const [next] = await log.producer().send([{ topic: 'expired', key: null, value: bytes('y') }]);
    expect(next!.offset).toBe(3);
  });

  it('drops the oldest records beyond retention.bytes, never going below it', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'size', configs: { 'retention.bytes': '250' } });
    const producer = log.producer();
    for (let i = 0; i < 10; i++) await producer.send([{ topic: 'size', key: null, value: new Uint8Array(100) }]);
    expect(log.runCleaner().deleted).toBe(7);
    expect(await log.admin().offsets('size')).toEqual([{ partition: 0, earliest: 7, latest: 10 }]);
  });
});

describe('cleaner: compact policy', () => {
  it('keeps only the newest record of each key, at its original offset', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'cmp', configs: { 'cleanup.policy': 'compact' } });
    const keys = ['a', 'b', 'a', 'c', 'b', 'a'];
    await log.producer().send(keys.map((k, i) => ({ topic: 'cmp', key: bytes(k), value: bytes(`${k}${i}`) })));
    expect(log.runCleaner().deleted).toBe(3);
    const left = await readAll(log, 'cmp');
    expect(left.map((r) => [r.offset, text(r.key), text(r.value)])).toEqual([
      [3, 'c', 'c3'],
      [4, 'b', 'b4'],
      [5, 'a', 'a5'],
    ]);
    expect(log.runCleaner().deleted).toBe(0);
  });

  it('removes tombstones only after delete.retention.ms', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'tomb', configs: { 'cleanup.policy': 'compact', 'delete.retention.ms': String(DAY) } });
    const now = Date.now();
    await log.producer().send([
      { topic: 'tomb', key: bytes('old'), value: bytes('v'), timestamp: now - 3 * DAY },
      { topic: 'tomb', key: bytes('old'), value: null, timestamp: now - 2 * DAY },
      { topic: 'tomb', key: bytes('recent'), value: bytes('v'), timestamp: now - 3 * DAY },
      { topic: 'tomb', key: bytes('recent'), value: null, timestamp: now },
    ]);
    log.runCleaner();
    const left = await readAll(log, 'tomb');
    expect(left.map((r) => [r.offset, text(r.key), r.value])).toEqual([[3, 'recent', null]]);
  });

  it('leaves records younger than min.compaction.lag.ms alone', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'lag', configs: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': String(DAY) } });
    const now = Date.now();
    await log.producer().send([
      { topic: 'lag', key: bytes('k'), value: bytes('1'), timestamp: now - 3 * DAY },
      { topic: 'lag', key: bytes('k'), value: bytes('2'), timestamp: now - 2 * DAY },
      { topic: 'lag', key: bytes('k'), value: bytes('3'), timestamp: now },
    ]);
    log.runCleaner();
    expect((await readAll(log, 'lag')).map((r) => text(r.value))).toEqual(['2', '3']);
  });

  it('compacts records written before the topic was switched to compact', async () => {
    const log = logs.open();
    await log.producer().send(['x', 'x', 'y'].map((k, i) => ({ topic: 'switch', key: bytes(k), value: bytes(String(i)) })));
    await log.admin().alterTopicConfigs('switch', { 'cleanup.policy': 'compact,delete' });
    log.runCleaner();
    expect((await readAll(log, 'switch')).map((r) => r.offset)).toEqual([1, 2]);
  });
});

describe('cleaner: compaction across batches and passes', () => {
  it('dedupes new appends against records an earlier pass kept, keeping the earliest offset', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'passes', configs: { 'cleanup.policy': 'compact' } });
    const producer = log.producer();
    const send = (pairs: Array<[string, string | null]>) =>
      producer.send(pairs.map(([k, v]) => ({ topic: 'passes', key: bytes(k), value: v === null ? null : bytes(v) })));
    await send([['a', 'a0'], ['b', 'b1'], ['c', 'c2']]);
    await send([['a', 'a3'], ['d', 'd4']]);
    expect(log.runCleaner().deleted).toBe(1);
    await send([['b', 'b5'], ['d', 'd6'], ['e', 'e7']]);
    expect(log.runCleaner().deleted).toBe(2);
    expect(log.runCleaner().deleted).toBe(0);
    const left = await readAll(log, 'passes');
    expect(left.map((r) => [r.offset, text(r.key), text(r.value)])).toEqual([
      [2, 'c', 'c2'],
      [3, 'a', 'a3'],
      [5, 'b', 'b5'],
      [6, 'd', 'd6'],
      [7, 'e', 'e7'],
    ]);
    // Compaction leaves the log start offset where it was, as Kafka's does.
    expect(await log.admin().offsets('passes')).toEqual([{ partition: 0, earliest: 0, latest: 8 }]);
  });

  it('reads from a position inside a compacted batch and carries on to the next batch', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'gaps', configs: { 'cleanup.policy': 'compact' } });
    const producer = log.producer();
    await producer.send(['x', 'y', 'x', 'y', 'z'].map((k, i) => ({ topic: 'gaps', key: bytes(k), value: bytes(`${k}${i}`) })));
    await producer.send([{ topic: 'gaps', key: bytes('w'), value: bytes('w5') }]);
    log.runCleaner();
    const consumer = log.consumer({ maxPollRecords: 1 });
    await consumer.assign([{ topic: 'gaps', partition: 0 }]);
    consumer.seek({ topic: 'gaps', partition: 0 }, 1);
    const offsets: number[] = [];
    for (let batch = await consumer.poll(20); batch.length > 0; batch = await consumer.poll(20)) offsets.push(...batch.map((r) => r.offset));
    expect(offsets).toEqual([2, 3, 4, 5]);
    await consumer.close();
  });

  it('removes due tombstones in a pass with no new records', async () => {
    let now = Date.now();
    const log = logs.open();
    await log.admin().createTopic({ name: 'late-tomb', configs: { 'cleanup.policy': 'compact', 'delete.retention.ms': String(DAY) } });
    await log.producer().send([
      { topic: 'late-tomb', key: bytes('k'), value: bytes('v'), timestamp: now },
      { topic: 'late-tomb', key: bytes('k'), value: null, timestamp: now },
      { topic: 'late-tomb', key: bytes('j'), value: bytes('v'), timestamp: now },
    ]);
    expect(log.runCleaner().deleted).toBe(1);
    now += 2 * DAY;
    expect(new Cleaner(log.store, () => now).run().deleted).toBe(1);
    expect((await readAll(log, 'late-tomb')).map((r) => [r.offset, text(r.key)])).toEqual([[2, 'j']]);
  });
});

describe('cleaner timer', () => {
  it('runs on its own every cleanerIntervalMs', async () => {
    const log = logs.open(undefined, { cleanerIntervalMs: 50 });
    await log.admin().createTopic({ name: 'timed', configs: { 'retention.ms': '1000' } });
    await log.producer().send([{ topic: 'timed', key: null, value: bytes('x'), timestamp: Date.now() - DAY }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await log.admin().offsets('timed')).toEqual([{ partition: 0, earliest: 1, latest: 1 }]);
  });
});
