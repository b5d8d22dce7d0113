import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../log.js';
import { BatchBuilder, BatchReader, decodeBatch, decodeBatchHeader } from './batch-codec.js';
import { encodeHeaders } from './headers-codec.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
const text = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('utf8'));

/** A copy of the builder's output, as SQLite hands a row back. */
function build(baseOffset: number, fill: (b: BatchBuilder) => void, lastOffset?: number): Buffer {
  const builder = new BatchBuilder(64);
  builder.reset(baseOffset);
  fill(builder);
  return Buffer.from(builder.finish(lastOffset).data);
}

function readAll(data: Buffer, from: number, max = 1000): LogRecord[] {
  const out: LogRecord[] = [];
  new BatchReader(data).read('t', 3, from, max, out);
  return out;
}

describe('batch codec', () => {
  it('round-trips offsets, timestamps, timestamp types, null and empty keys and values, headers', () => {
    const ts = 1_700_000_000_000;
    const data = build(1000, (b) => {
      b.append(1000, ts, false, bytes('k'), bytes('v'), encodeHeaders([{ key: 'h', value: bytes('1') }, { key: 'h', value: null }]));
      b.append(1001, ts - 5000, true, null, null, null);
      b.append(1002, ts + 7, false, bytes(''), bytes(''), null);
    });
    const records = readAll(data, 0);
    expect(records.map((r) => [r.topic, r.partition, r.offset, r.timestamp, r.timestampType])).toEqual([
      ['t', 3, 1000, ts, 'CreateTime'],
      ['t', 3, 1001, ts - 5000, 'LogAppendTime'],
      ['t', 3, 1002, ts + 7, 'CreateTime'],
    ]);
    expect(records.map((r) => [text(r.key), text(r.value)])).toEqual([
      ['k', 'v'],
      [null, null],
      ['', ''],
    ]);
    expect(records[0]!.headers.map((h) => [h.key, text(h.value)])).toEqual([
      ['h', '1'],
      ['h', null],
    ]);
    expect(records[1]!.headers).toEqual([]);
    expect(decodeBatchHeader(data)).toEqual({ baseOffset: 1000, lastOffset: 1002, baseTimestamp: ts, maxTimestamp: ts + 7, count: 3 });
  });

  it('hands out keys and values as views of the row buffer, not copies', () => {
    const data = build(0, (b) => b.append(0, 1, false, bytes('key'), bytes('value'), null));
    const [record] = readAll(data, 0);
    expect(record!.value!.buffer).toBe(data.buffer);
    expect(record!.key!.buffer).toBe(data.buffer);
  });

  it('keeps gaps between offsets and the original last offset, as a compacted batch has', () => {
    const data = build(10, (b) => {
      b.append(12, 5, false, bytes('a'), bytes('1'), null);
      b.append(15, 6, false, bytes('b'), null, null);
    }, 19);
    expect(decodeBatchHeader(data)).toMatchObject({ baseOffset: 10, lastOffset: 19, count: 2 });
    expect(readAll(data, 0).map((r) => r.offset)).toEqual([12, 15]);
    expect(readAll(data, 13).map((r) => r.offset)).toEqual([15]);
    expect(readAll(data, 16)).toEqual([]);
    const { records } = decodeBatch(data);
    expect(records.map((r) => [r.offset, text(r.key), text(r.value)])).toEqual([
      [12, 'a', '1'],
      [15, 'b', null],
    ]);
  });

  it('reports the oldest tombstone so the cleaner can find due tombstones without decoding', () => {
    const builder = new BatchBuilder();
    builder.reset(0);
    builder.append(0, 50, false, bytes('a'), bytes('1'), null);
    expect(builder.finish().tombstoneTimestamp).toBeNull();
    builder.reset(0);
    builder.append(0, 50, false, bytes('a'), null, null);
    builder.append(1, 40, false, bytes('b'), null, null);
    builder.append(2, 30, false, bytes('c'), bytes('3'), null);
    expect(builder.finish().tombstoneTimestamp).toBe(40);
  });

  it('reads a batch in steps, resuming where the last read stopped, and rewinds for an earlier offset', () => {
    const data = build(0, (b) => {
      for (let i = 0; i < 10; i++) b.append(i, i, false, null, bytes(`v${i}`), null);
    });
    const reader = new BatchReader(data);
    const out: LogRecord[] = [];
    expect(reader.read('t', 0, 0, 4, out)).toBe(4);
    expect(reader.read('t', 0, 4, 4, out)).toBe(4);
    expect(reader.exhausted).toBe(false);
    expect(reader.read('t', 0, 8, 4, out)).toBe(2);
    expect(reader.exhausted).toBe(true);
    expect(out.map((r) => text(r.value))).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    const again: LogRecord[] = [];
    expect(reader.read('t', 0, 3, 2, again)).toBe(2);
    expect(again.map((r) => r.offset)).toEqual([3, 4]);
    expect(reader.covers(9)).toBe(true);
    expect(reader.covers(10)).toBe(false);
  });

  it('grows its buffer for large records and offsets past 2^32', () => {
    const big = Buffer.alloc(200_000, 7);
    const base = 2 ** 40;
    const data = build(base, (b) => {
      b.append(base, 1, false, null, big, null);
      b.append(base + 1, 2, false, null, big, null);
    });
    const records = readAll(data, base + 1);
    expect(records.map((r) => [r.offset, r.value!.length])).toEqual([[base + 1, 200_000]]);
  });

  it('refuses offsets that do not increase, and rejects truncated or unknown data', () => {
    const builder = new BatchBuilder();
    builder.reset(5);
    expect(() => builder.append(4, 0, false, null, null, null)).toThrow(/must increase/);
    const data = build(0, (b) => b.append(0, 1, false, bytes('key'), bytes('value'), null));
    expect(() => readAll(data.subarray(0, data.length - 3), 0)).toThrow(/corrupt batch/);
    const unknown = Buffer.from(data);
    unknown[0] = 9;
    expect(() => decodeBatchHeader(unknown)).toThrow(/unknown format 9/);
  });
});
