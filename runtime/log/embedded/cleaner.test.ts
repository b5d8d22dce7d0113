import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord } from '../log.js';
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
    await log.producer().send([
      { topic: 'ret', key: null, value: bytes('old-0'), timestamp: now - 3 * DAY },
      { topic: 'ret', key: null, value: bytes('old-1'), timestamp: now - 2 * DAY },
      { topic: 'ret', key: null, value: bytes('new-2'), timestamp: now },
      { topic: 'ret', key: null, value: bytes('old-but-after-new'), timestamp: now - 5 * DAY },
    ]);
    expect(log.runCleaner().deleted).toBe(2);
    expect(await log.admin().offsets('ret')).toEqual([{ partition: 0, earliest: 2, latest: 4 }]);
    expect((await readAll(log, 'ret')).map((r) => r.offset)).toEqual([2, 3]);
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
    await log.producer().send(Array.from({ length: 10 }, () => ({ topic: 'size', key: null, value: new Uint8Array(100) })));
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

describe('cleaner timer', () => {
  it('runs on its own every cleanerIntervalMs', async () => {
    const log = logs.open(undefined, { cleanerIntervalMs: 50 });
    await log.admin().createTopic({ name: 'timed', configs: { 'retention.ms': '1000' } });
    await log.producer().send([{ topic: 'timed', key: null, value: bytes('x'), timestamp: Date.now() - DAY }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await log.admin().offsets('timed')).toEqual([{ partition: 0, earliest: 1, latest: 1 }]);
  });
});
