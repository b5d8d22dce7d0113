import { afterEach, describe, expect, it } from 'vitest';
import { LogError, type LogRecord } from '../log.js';
import { partitionForKey } from '../partitioner.js';
import { TempLogs, bytes, text } from './test-support.js';
import type { EmbeddedLog } from './log.js';

const logs = new TempLogs();
afterEach(() => logs.cleanup());

async function readAll(log: EmbeddedLog, topic: string, partitions: number): Promise<LogRecord[]> {
  const consumer = log.consumer();
  await consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  const out: LogRecord[] = [];
  for (;;) {
    const batch = await consumer.poll(50);
    if (batch.length === 0) break;
    out.push(...batch);
  }
  await consumer.close();
  return out;
}

describe('EmbeddedProducer', () => {
  it('round-trips keys, values, tombstones, headers and timestamps', async () => {
    const log = logs.open();
    const producer = log.producer();
    const before = Date.now();
    const meta = await producer.send([
      {
        topic: 'orders',
        key: bytes('k1'),
        value: bytes('v1'),
        timestamp: 1_700_000_000_000,
        headers: [
          { key: 'h', value: bytes('1') },
          { key: 'h', value: null },
          { key: 'empty', value: bytes('') },
        ],
      },
      { topic: 'orders', key: null, value: null },
      { topic: 'orders', key: bytes('k1'), value: null },
    ]);
    expect(meta.map((m) => [m.topic, m.partition, m.offset])).toEqual([
      ['orders', 0, 0],
      ['orders', 0, 1],
      ['orders', 0, 2],
    ]);
    expect(meta[0]!.timestamp).toBe(1_700_000_000_000);
    expect(meta[1]!.timestamp).toBeGreaterThanOrEqual(before);

    const records = await readAll(log, 'orders', 1);
    expect(records).toHaveLength(3);
    const [first, second, third] = records as [LogRecord, LogRecord, LogRecord];
    expect(text(first.key)).toBe('k1');
    expect(text(first.value)).toBe('v1');
    expect(first.timestamp).toBe(1_700_000_000_000);
    expect(first.timestampType).toBe('CreateTime');
    expect(first.headers.map((h) => [h.key, text(h.value)])).toEqual([
      ['h', '1'],
      ['h', null],
      ['empty', ''],
    ]);
    expect(second.key).toBeNull();
    expect(second.value).toBeNull();
    expect(second.headers).toEqual([]);
    expect(second.timestamp).toBe(meta[1]!.timestamp);
    expect(text(third.key)).toBe('k1');
    expect(third.value).toBeNull();
  });

  it('partitions keyed records with murmur2 and spreads unkeyed ones over the partitions', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'keyed', partitions: 4 });
    const producer = log.producer();
    const keys = ['21', 'abc', 'foobar', 'user-1', 'user-2', 'user-3'];
    const meta = await producer.send(keys.map((k) => ({ topic: 'keyed', key: bytes(k), value: bytes(k) })));
    expect(meta.map((m) => m.partition)).toEqual(keys.map((k) => partitionForKey(bytes(k), 4)));
    expect(meta[0]!.partition).toBe(0); // toPositive(murmur2("21")) = 1173551340, % 4 = 0
    expect(meta[1]!.partition).toBe(3); // murmur2("abc") = 479470107, % 4 = 3
    const again = await producer.send([{ topic: 'keyed', key: bytes('abc'), value: null }]);
    expect(again[0]!.partition).toBe(3);

    const unkeyed = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const m = await producer.send([{ topic: 'keyed', key: null, value: bytes(`u${i}`) }]);
      unkeyed.add(m[0]!.partition);
    }
    expect([...unkeyed].sort()).toEqual([0, 1, 2, 3]);
  });

  it('gives contiguous offsets per partition across calls, in call order', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'two', partitions: 2 });
    const producer = log.producer();
    const offsets: Record<number, number[]> = { 0: [], 1: [] };
    for (let i = 0; i < 10; i++) {
      const meta = await producer.send([
        { topic: 'two', partition: 0, key: null, value: bytes(`a${i}`) },
        { topic: 'two', partition: 1, key: null, value: bytes(`b${i}`) },
        { topic: 'two', partition: 0, key: null, value: bytes(`c${i}`) },
      ]);
      for (const m of meta) offsets[m.partition]!.push(m.offset);
    }
    expect(offsets[0]).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(offsets[1]).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('auto-creates a topic with one partition on first produce', async () => {
    const log = logs.open();
    await log.producer().send([{ topic: 'auto', key: bytes('x'), value: bytes('y') }]);
    const described = await log.admin().describeTopic('auto');
    expect(described?.partitions).toBe(1);
    expect(described?.configs['cleanup.policy']).toBe('delete');
  });

  it('refuses unknown topics when auto creation is off', async () => {
    const log = logs.open(undefined, { autoCreateTopics: false });
    const error = await log
      .producer()
      .send([{ topic: 'missing', key: null, value: bytes('x') }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogError);
    expect((error as LogError).code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(await log.admin().listTopics()).toEqual([]);
  });

  it('stores nothing of a call that fails part-way', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'atomic', partitions: 2 });
    const send = log.producer().send([
      { topic: 'atomic', partition: 0, key: null, value: bytes('ok') },
      { topic: 'atomic', partition: 5, key: null, value: bytes('no such partition') },
    ]);
    await expect(send).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(await log.admin().offsets('atomic')).toEqual([
      { partition: 0, earliest: 0, latest: 0 },
      { partition: 1, earliest: 0, latest: 0 },
    ]);
  });

  it('refuses a timestamp that is not a whole number of milliseconds', async () => {
    const log = logs.open();
    await expect(log.producer().send([{ topic: 'ts', key: null, value: bytes('x'), timestamp: 1.5 }])).rejects.toMatchObject({
      code: 'INVALID_TIMESTAMP',
    });
  });

  it('refuses records without a key on a compacted topic, as Kafka does', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'compacted', configs: { 'cleanup.policy': 'compact' } });
    await expect(log.producer().send([{ topic: 'compacted', key: null, value: bytes('x') }])).rejects.toMatchObject({
      code: 'INVALID_RECORD',
    });
  });

  it('stamps LogAppendTime when the topic asks for it', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'appendtime', configs: { 'message.timestamp.type': 'LogAppendTime' } });
    const before = Date.now();
    const [meta] = await log.producer().send([{ topic: 'appendtime', key: null, value: bytes('x'), timestamp: 1000 }]);
    expect(meta!.timestamp).toBeGreaterThanOrEqual(before);
    const [record] = await readAll(log, 'appendtime', 1);
    expect(record!.timestampType).toBe('LogAppendTime');
  });

  it('keeps offsets contiguous when two connections append to the same file', async () => {
    const dir = logs.dir();
    const a = logs.open(dir);
    const b = logs.open(dir);
    await a.admin().createTopic({ name: 'shared' });
    const pa = a.producer();
    const pb = b.producer();
    const all: number[] = [];
    for (let i = 0; i < 50; i++) {
      const [ma, mb] = await Promise.all([
        pa.send([{ topic: 'shared', key: null, value: bytes(`a${i}`) }]),
        pb.send([{ topic: 'shared', key: null, value: bytes(`b${i}`) }]),
      ]);
      all.push(ma[0]!.offset, mb[0]!.offset);
    }
    expect(all.sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(await readAll(a, 'shared', 1)).toHaveLength(100);
  });

  it('rejects sends after close', async () => {
    const log = logs.open();
    const producer = log.producer();
    await producer.close();
    await expect(producer.send([{ topic: 't', key: null, value: null }])).rejects.toMatchObject({ code: 'PRODUCER_CLOSED' });
  });
});
