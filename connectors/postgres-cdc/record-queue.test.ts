import { describe, expect, it } from 'vitest';
import { SourceRecord } from '../../runtime/api/index.js';
import { RecordQueue } from './record-queue.js';
import { approximateRecordBytes } from './record-size.js';

const record = (text: string) => new SourceRecord({ sourcePartition: { server: 's' }, sourceOffset: { lsn: 1 }, topic: 't', valueSchema: null, value: text });

describe('RecordQueue', () => {
  it('is full at max.queue.size records when it has no byte bound', () => {
    const q = new RecordQueue(3);
    q.push([record('a'), record('b')]);
    expect(q.full).toBe(false);
    q.push([record('c')]);
    expect(q.full).toBe(true);
    expect(q.bytes).toBe(0);
  });

  it('is full at max.queue.size.in.bytes, and a put waits until a take makes room', async () => {
    const wide = record('x'.repeat(10_000));
    const size = approximateRecordBytes(wide);
    expect(size).toBeGreaterThan(10_000);
    const q = new RecordQueue(8192, 2 * size);
    q.push([wide]);
    expect(q.full).toBe(false);
    q.push([wide]);
    expect(q.full).toBe(true);
    expect(q.bytes).toBe(2 * size);
    let putDone = false;
    const put = q.put([record('y')]).then(() => (putDone = true));
    await new Promise((r) => setImmediate(r));
    expect(putDone).toBe(false);
    const taken = await q.take(1, 10);
    expect(taken).toEqual([wide]);
    await put;
    expect(putDone).toBe(true);
    expect(q.size).toBe(2);
    expect(q.bytes).toBe(size + approximateRecordBytes(record('y')));
    expect(q.halfEmpty).toBe(false);
    await q.take(10, 10);
    expect(q.bytes).toBe(0);
    expect(q.halfEmpty).toBe(true);
  });
});
