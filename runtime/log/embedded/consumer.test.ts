import { afterEach, describe, expect, it } from 'vitest';
import { tpKey, type Consumer, type LogRecord, type TopicPartition } from '../log.js';
import { TempLogs, bytes, text } from './test-support.js';
import type { EmbeddedLog } from './log.js';

const logs = new TempLogs();
afterEach(() => logs.cleanup());

const keysOf = (tps: TopicPartition[]): string[] => tps.map(tpKey).sort();

async function fill(log: EmbeddedLog, topic: string, partitions: number, perPartition: number): Promise<void> {
  await log.admin().createTopic({ name: topic, partitions });
  const records = [];
  for (let p = 0; p < partitions; p++) {
    for (let i = 0; i < perPartition; i++) records.push({ topic, partition: p, key: null, value: bytes(`${p}-${i}`) });
  }
  await log.producer().send(records);
}

async function drain(consumer: Consumer, timeoutMs = 50): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (;;) {
    const batch = await consumer.poll(timeoutMs);
    if (batch.length === 0) return out;
    out.push(...batch);
  }
}

describe('EmbeddedConsumer with assign', () => {
  it('starts at the committed offset, else at autoOffsetReset', async () => {
    const log = logs.open();
    await fill(log, 'pos', 1, 5);
    const tp = { topic: 'pos', partition: 0 };
    const earliest = log.consumer({ groupId: 'g-pos' });
    await earliest.assign([tp]);
    expect(await earliest.position(tp)).toBe(0);
    const latest = log.consumer({ groupId: 'g-latest', autoOffsetReset: 'latest' });
    await latest.assign([tp]);
    expect(await latest.position(tp)).toBe(5);
    await earliest.commit(new Map([['pos:0', 3]]));
    const resumed = log.consumer({ groupId: 'g-pos' });
    await resumed.assign([tp]);
    expect((await resumed.poll(100)).map((r) => r.offset)).toEqual([3, 4]);
    expect(await resumed.committed([tp])).toEqual(new Map([['pos:0', 3]]));
  });

  it('seeks, seeks to the beginning and to the end', async () => {
    const log = logs.open();
    await fill(log, 'seek', 1, 10);
    const tp = { topic: 'seek', partition: 0 };
    const consumer = log.consumer({ maxPollRecords: 3 });
    await consumer.assign([tp]);
    consumer.seek(tp, 7);
    expect((await consumer.poll(100)).map((r) => r.offset)).toEqual([7, 8, 9]);
    await consumer.seekToBeginning([tp]);
    expect((await consumer.poll(100)).map((r) => r.offset)).toEqual([0, 1, 2]);
    await consumer.seekToEnd([tp]);
    expect(await consumer.position(tp)).toBe(10);
    expect(await consumer.poll(20)).toEqual([]);
    expect(() => consumer.seek({ topic: 'seek', partition: 9 }, 0)).toThrow(/not assigned/);
  });

  it('reads sends of many records in small polls, across sends, and seeks back and forth inside one', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'steps' });
    const producer = log.producer();
    for (let call = 0; call < 3; call++) {
      await producer.send(Array.from({ length: 7 }, (_, i) => ({ topic: 'steps', key: null, value: bytes(`${call * 7 + i}`) })));
    }
    const tp = { topic: 'steps', partition: 0 };
    const consumer = log.consumer({ maxPollRecords: 3 });
    await consumer.assign([tp]);
    const all = await drain(consumer);
    expect(all.map((r) => r.offset)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(all.map((r) => text(r.value))).toEqual(Array.from({ length: 21 }, (_, i) => `${i}`));
    consumer.seek(tp, 9);
    expect((await consumer.poll(100)).map((r) => r.offset)).toEqual([9, 10, 11]);
    consumer.seek(tp, 8);
    expect((await consumer.poll(100)).map((r) => r.offset)).toEqual([8, 9, 10]);
    consumer.seek(tp, 12);
    expect((await consumer.poll(100)).map((r) => r.offset)).toEqual([12, 13, 14]);
  });

  it('returns nothing from paused partitions until resumed', async () => {
    const log = logs.open();
    await fill(log, 'pause', 2, 3);
    const p0 = { topic: 'pause', partition: 0 };
    const p1 = { topic: 'pause', partition: 1 };
    const consumer = log.consumer();
    await consumer.assign([p0, p1]);
    consumer.pause([p0]);
    expect(consumer.paused()).toEqual([p0]);
    const first = await drain(consumer);
    expect(first.map((r) => r.partition)).toEqual([1, 1, 1]);
    consumer.resume([p0]);
    expect(consumer.paused()).toEqual([]);
    expect((await drain(consumer)).map((r) => text(r.value))).toEqual(['0-0', '0-1', '0-2']);
  });

  it('wakes a waiting poll when a record is appended in this process', async () => {
    const log = logs.open();
    await log.admin().createTopic({ name: 'wait' });
    const consumer = log.consumer();
    await consumer.assign([{ topic: 'wait', partition: 0 }]);
    const started = Date.now();
    const polled = consumer.poll(5000);
    setTimeout(() => void log.producer().send([{ topic: 'wait', key: null, value: bytes('late') }]), 30);
    const records = await polled;
    expect(records.map((r) => text(r.value))).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('sees appends made through another connection to the same file', async () => {
    const dir = logs.dir();
    const reader = logs.open(dir);
    const writer = logs.open(dir);
    await writer.admin().createTopic({ name: 'other' });
    const consumer = reader.consumer();
    await consumer.assign([{ topic: 'other', partition: 0 }]);
    const polled = consumer.poll(5000);
    setTimeout(() => void writer.producer().send([{ topic: 'other', key: null, value: bytes('x') }]), 30);
    expect((await polled).map((r) => text(r.value))).toEqual(['x']);
  });

  it('resolves a pending poll with no records on wakeup', async () => {
    const log = logs.open();
    const consumer = log.consumer();
    await consumer.assign([{ topic: 'nothing', partition: 0 }]);
    const started = Date.now();
    const polled = consumer.poll(10_000);
    setTimeout(() => consumer.wakeup(), 20);
    expect(await polled).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('takes turns between partitions that all have a backlog', async () => {
    const log = logs.open();
    await fill(log, 'fair', 3, 100);
    const consumer = log.consumer({ maxPollRecords: 10 });
    await consumer.assign([0, 1, 2].map((partition) => ({ topic: 'fair', partition })));
    const seen = new Set<number>();
    for (let i = 0; i < 3; i++) for (const r of await consumer.poll(100)) seen.add(r.partition);
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it('keeps committed offsets across a reopen', async () => {
    const dir = logs.dir();
    const first = logs.open(dir);
    await fill(first, 'durable', 2, 4);
    const consumer = first.consumer({ groupId: 'g-durable' });
    await consumer.commit(new Map([
      ['durable:0', 2],
      ['durable:1', 4],
    ]));
    await first.close();
    const second = logs.open(dir);
    expect(await second.admin().groupOffsets('g-durable')).toEqual(new Map([
      ['durable:0', 2],
      ['durable:1', 4],
    ]));
    const again = second.consumer({ groupId: 'g-durable' });
    await again.subscribe(['durable']);
    expect((await drain(again, 100)).map((r) => `${r.partition}:${r.offset}`)).toEqual(['0:2', '0:3']);
  });
});

describe('EmbeddedConsumer groups', () => {
  it('shares 4 partitions between two members and gives all back when one leaves', async () => {
    const log = logs.open();
    await fill(log, 'shared', 4, 5);
    const events: string[] = [];
    const listener = (name: string) => ({
      onPartitionsRevoked: (tps: TopicPartition[]) => void events.push(`${name} revoked ${keysOf(tps).join(',')}`),
      onPartitionsAssigned: (tps: TopicPartition[]) => void events.push(`${name} assigned ${keysOf(tps).join(',')}`),
    });
    const a = log.consumer({ groupId: 'g-shared', clientId: 'a' });
    const b = log.consumer({ groupId: 'g-shared', clientId: 'b' });
    await a.subscribe(['shared'], listener('a'));
    await a.poll(0);
    expect(keysOf(a.assignment())).toEqual(['shared:0', 'shared:1', 'shared:2', 'shared:3']);

    await b.subscribe(['shared'], listener('b'));
    // b waits for a to give its partitions back; both poll, as Kafka members do.
    const [fromA, fromB] = await Promise.all([drain(a), drain(b)]);
    expect(keysOf(a.assignment())).toEqual(['shared:0', 'shared:1']);
    expect(keysOf(b.assignment())).toEqual(['shared:2', 'shared:3']);
    const aRevoked = events.indexOf('a revoked shared:0,shared:1,shared:2,shared:3');
    const bAssigned = events.indexOf('b assigned shared:2,shared:3');
    expect(aRevoked).toBeGreaterThanOrEqual(0);
    expect(bAssigned).toBeGreaterThan(aRevoked);
    // a may have read some records before the rebalance; together they read each record at least once.
    const all = new Set([...fromA, ...fromB].map((r) => `${r.partition}:${r.offset}`));
    expect(all.size).toBe(20);
    expect(fromB.every((r) => r.partition >= 2)).toBe(true);

    await b.close();
    expect(events.at(-1)).toBe('b revoked shared:2,shared:3');
    await a.poll(0);
    expect(keysOf(a.assignment())).toEqual(['shared:0', 'shared:1', 'shared:2', 'shared:3']);
  });

  it('goes on without a member that stops polling, after the rebalance timeout', async () => {
    const log = logs.open(undefined, { rebalanceTimeoutMs: 100 });
    await fill(log, 'stuck', 2, 1);
    const stuck = log.consumer({ groupId: 'g-stuck', clientId: 'a' });
    await stuck.subscribe(['stuck']);
    await stuck.poll(0);
    const fresh = log.consumer({ groupId: 'g-stuck', clientId: 'b' });
    await fresh.subscribe(['stuck']);
    expect(await fresh.poll(20)).toEqual([]);
    const records = await fresh.poll(2000);
    expect(records.map((r) => r.partition)).toEqual([1]);
  });

  it('reassigns when a subscribed topic gets more partitions', async () => {
    const log = logs.open();
    await fill(log, 'grow', 1, 1);
    const consumer = log.consumer({ groupId: 'g-grow' });
    await consumer.subscribe(['grow']);
    await consumer.poll(0);
    expect(keysOf(consumer.assignment())).toEqual(['grow:0']);
    await log.admin().createPartitions('grow', 3);
    await consumer.poll(0);
    expect(keysOf(consumer.assignment())).toEqual(['grow:0', 'grow:1', 'grow:2']);
  });

  it('picks up a new topic matching a regex subscription', async () => {
    const log = logs.open();
    await fill(log, 'metrics-a', 1, 1);
    await fill(log, 'other', 1, 1);
    const consumer = log.consumer({ groupId: 'g-regex' });
    await consumer.subscribe(/^metrics-/);
    const first = await drain(consumer);
    expect(first.map((r) => r.topic)).toEqual(['metrics-a']);
    // The rebalance that adds the new topic restarts every partition from its committed offset.
    await consumer.commit(new Map([['metrics-a:0', 1]]));
    await log.producer().send([{ topic: 'metrics-b', key: null, value: bytes('new') }]);
    const second = await drain(consumer, 200);
    expect(second.map((r) => `${r.topic}:${text(r.value)}`)).toEqual(['metrics-b:new']);
    expect(keysOf(consumer.assignment())).toEqual(['metrics-a:0', 'metrics-b:0']);
  });

  it('picks up a matching topic created by another connection', async () => {
    const dir = logs.dir();
    const log = logs.open(dir, { metadataRefreshMs: 50 });
    const other = logs.open(dir);
    const consumer = log.consumer({ groupId: 'g-remote' });
    await consumer.subscribe(/^remote-/);
    expect(await consumer.poll(0)).toEqual([]);
    await other.producer().send([{ topic: 'remote-1', key: null, value: bytes('hi') }]);
    const records = await drain(consumer, 500);
    expect(records.map((r) => r.topic)).toEqual(['remote-1']);
  });

  it('refuses to subscribe without a group id and to commit without one', async () => {
    const log = logs.open();
    const consumer = log.consumer();
    await expect(consumer.subscribe(['x'])).rejects.toMatchObject({ code: 'INVALID_GROUP_ID' });
    await expect(consumer.commit(new Map([['x:0', 1]]))).rejects.toMatchObject({ code: 'INVALID_GROUP_ID' });
  });
});
