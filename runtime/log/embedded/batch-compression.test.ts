import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BatchBuilder, BatchReader, decodeBatch } from './batch-codec.js';
import { brotliCompressSync, deflateRawSync } from 'node:zlib';
import { compressBatch, openBatch } from './batch-compression.js';
import type { LogRecord } from '../log.js';

const envelope = (i: number) => Buffer.from(`{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"}],"optional":false,"name":"shop.public.orders.Value"},"payload":{"id":${i},"name":"order ${i}"}}`);

function batchOf(values: Buffer[]): Buffer {
  const builder = new BatchBuilder();
  builder.reset(100);
  values.forEach((v, i) => builder.append(100 + i, 1_700_000_000_000 + i, false, Buffer.from(`k${i}`), v, null));
  return Buffer.from(builder.finish().data);
}

describe('stored batch compression', () => {
  it('compresses repetitive records and reads them back byte for byte', () => {
    const values = Array.from({ length: 500 }, (_, i) => envelope(i));
    const encoded = batchOf(values);
    const stored = compressBatch(encoded);
    expect(stored[0]).toBe(4);
    expect(stored.length).toBeLessThan(encoded.length / 10);
    expect(openBatch(stored).equals(encoded)).toBe(true);
    const { header, records } = decodeBatch(stored);
    expect(header).toMatchObject({ baseOffset: 100, lastOffset: 599, count: 500 });
    expect(records.map((r) => r.value!.toString())).toEqual(values.map((v) => v.toString()));
    const out: LogRecord[] = [];
    new BatchReader(stored).read('t', 0, 350, 10, out);
    expect(out.map((r) => [r.offset, r.key!.toString(), r.value!.toString()])).toEqual(values.slice(250, 260).map((v, i) => [350 + i, `k${250 + i}`, v.toString()]));
  });

  it('reads batches stored deflated or Brotli-compressed by earlier versions', () => {
    const encoded = batchOf(Array.from({ length: 50 }, (_, i) => envelope(i)));
    for (const stored of [Buffer.concat([Buffer.from([2]), deflateRawSync(encoded)]), Buffer.concat([Buffer.from([3]), brotliCompressSync(encoded)])]) {
      expect(decodeBatch(stored).records.map((r) => r.value!.toString())).toEqual(Array.from({ length: 50 }, (_, i) => envelope(i).toString()));
    }
  });

  it('keeps small and incompressible batches as they are', () => {
    const small = batchOf([envelope(1)]);
    expect(compressBatch(small)).toBe(small);
    const random = batchOf(Array.from({ length: 20 }, () => randomBytes(200)));
    expect(compressBatch(random)).toBe(random);
    expect(decodeBatch(random).records).toHaveLength(20);
  });
});
