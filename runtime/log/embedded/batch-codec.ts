/**
 * The stored form of a record batch: the records one send() call appended to one partition, in
 * one SQLite row (as Kafka keeps record batches in its segment files). Per-record SQLite rows cost
 * a B-tree insert and a Buffer per column per record; a batch costs one of each per ~2000 records.
 *
 *   magic:u8 (1)
 *   baseOffset:varint  lastOffsetDelta:varint  baseTimestamp:zigzag  maxTimestampDelta:zigzag  count:varint
 *   count records, each:
 *     attributes:u8 (bit 0: LogAppendTime)  offsetDelta:varint  timestampDelta:zigzag
 *     keyLength+1:varint key  valueLength+1:varint value   (0 = null)
 *     headersLength:varint headers                          (0 = none; headers-codec.ts format)
 *
 * Deltas are from baseOffset and baseTimestamp (the first record's). Offsets inside a batch are
 * increasing but need not be contiguous: the cleaner rewrites batches without the records compaction
 * removed and keeps the others at their offsets, and keeps the batch's base and last offset.
 */
import type { LogRecord } from '../log.js';
import { openBatch } from './batch-compression.js';
import { decodeHeaders } from './headers-codec.js';
import { ByteReader, varintSize, writeVarint, zigzag } from './varint.js';

const MAGIC = 1;
const LOG_APPEND_TIME = 1;
/** Room reserved before the records for the header, which is written last: 1 + 4 varints of <= 8 bytes + count. */
const HEADER_ROOM = 40;
/** Most bytes a record takes besides its key, value and headers. */
const RECORD_OVERHEAD = 1 + 8 + 8 + 3 * 5;

/** A record as the cleaner handles it: headers stay encoded. */
export interface BatchRecord {
  offset: number;
  timestamp: number;
  logAppendTime: boolean;
  key: Buffer | null;
  value: Buffer | null;
  headers: Buffer | null;
}

export interface BatchHeader {
  baseOffset: number;
  lastOffset: number;
  baseTimestamp: number;
  maxTimestamp: number;
  count: number;
}

/** A finished batch and the facts its row stores beside it. */
export interface EncodedBatch extends BatchHeader {
  /** Smallest timestamp of a tombstone in the batch, or null: lets the cleaner find due tombstones without decoding. */
  tombstoneTimestamp: number | null;
  /** A view of the builder's buffer: valid until the builder's next reset(). */
  data: Buffer;
}

/**
 * Encodes one batch into a buffer it reuses across batches. Usage: reset(baseOffset), append(...)
 * per record in offset order, finish().
 */
export class BatchBuilder {
  private buf: Buffer;
  private pos = HEADER_ROOM;
  private baseOffset = 0;
  private lastOffset = 0;
  private baseTimestamp = 0;
  private maxTimestamp = 0;
  private tombstoneTimestamp: number | null = null;
  private records = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(initialBytes, HEADER_ROOM + RECORD_OVERHEAD));
  }

  get count(): number {
    return this.records;
  }

  /** The offset a contiguous next record gets. */
  get nextOffset(): number {
    return this.records === 0 ? this.baseOffset : this.lastOffset + 1;
  }

  get capacity(): number {
    return this.buf.length;
  }

  reset(baseOffset: number): void {
    this.pos = HEADER_ROOM;
    this.baseOffset = baseOffset;
    this.lastOffset = baseOffset;
    this.records = 0;
    this.tombstoneTimestamp = null;
  }

  append(
    offset: number,
    timestamp: number,
    logAppendTime: boolean,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers: Uint8Array | null,
  ): void {
    if (offset < this.nextOffset) throw new Error(`batch offsets must increase: ${offset} after ${this.lastOffset}`);
    if (this.records === 0) {
      this.baseTimestamp = timestamp;
      this.maxTimestamp = timestamp;
    } else if (timestamp > this.maxTimestamp) {
      this.maxTimestamp = timestamp;
    }
    if (value === null && (this.tombstoneTimestamp === null || timestamp < this.tombstoneTimestamp)) this.tombstoneTimestamp = timestamp;
    const keyLength = key === null ? 0 : key.length;
    const valueLength = value === null ? 0 : value.length;
    const headersLength = headers === null ? 0 : headers.length;
    this.ensure(RECORD_OVERHEAD + keyLength + valueLength + headersLength);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = logAppendTime ? LOG_APPEND_TIME : 0;
    pos = writeVarint(buf, pos, offset - this.baseOffset);
    pos = writeVarint(buf, pos, zigzag(timestamp - this.baseTimestamp));
    pos = writeNullableBytes(buf, pos, key);
    pos = writeNullableBytes(buf, pos, value);
    pos = writeVarint(buf, pos, headersLength);
    if (headers !== null) {
      buf.set(headers, pos);
      pos += headersLength;
    }
    this.pos = pos;
    this.lastOffset = offset;
    this.records++;
  }

  /**
   * Writes the header in front of the records. `lastOffset` lets a rewritten batch keep the last
   * offset of the original when compaction removed its last records.
   */
  finish(lastOffset = this.lastOffset): EncodedBatch {
    if (lastOffset < this.lastOffset) throw new Error(`last offset ${lastOffset} is before the batch's last record ${this.lastOffset}`);
    const header: BatchHeader = {
      baseOffset: this.baseOffset,
      lastOffset,
      baseTimestamp: this.records === 0 ? 0 : this.baseTimestamp,
      maxTimestamp: this.records === 0 ? 0 : this.maxTimestamp,
      count: this.records,
    };
    const size =
      1 +
      varintSize(header.baseOffset) +
      varintSize(lastOffset - header.baseOffset) +
      varintSize(zigzag(header.baseTimestamp)) +
      varintSize(zigzag(header.maxTimestamp - header.baseTimestamp)) +
      varintSize(header.count);
    const start = HEADER_ROOM - size;
    const buf = this.buf;
    buf[start] = MAGIC;
    let pos = writeVarint(buf, start + 1, header.baseOffset);
    pos = writeVarint(buf, pos, lastOffset - header.baseOffset);
    pos = writeVarint(buf, pos, zigzag(header.baseTimestamp));
    pos = writeVarint(buf, pos, zigzag(header.maxTimestamp - header.baseTimestamp));
    writeVarint(buf, pos, header.count);
    return { ...header, tombstoneTimestamp: this.tombstoneTimestamp, data: buf.subarray(start, this.pos) };
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}

function readHeader(reader: ByteReader): BatchHeader {
  const magic = reader.byte();
  if (magic !== MAGIC) throw new Error(`corrupt batch: unknown format ${magic}`);
  const baseOffset = reader.varint();
  const lastOffset = baseOffset + reader.varint();
  const baseTimestamp = reader.zigzag();
  const maxTimestamp = baseTimestamp + reader.zigzag();
  return { baseOffset, lastOffset, baseTimestamp, maxTimestamp, count: reader.varint() };
}

export function decodeBatchHeader(stored: Buffer): BatchHeader {
  return readHeader(new ByteReader(openBatch(stored), 0, 'batch'));
}

/** Every record of a stored batch; keys, values and headers are views of its (inflated) bytes. */
export function decodeBatch(stored: Buffer): { header: BatchHeader; records: BatchRecord[] } {
  const data = openBatch(stored);
  const reader = new ByteReader(data, 0, 'batch');
  const header = readHeader(reader);
  const records: BatchRecord[] = new Array(header.count);
  for (let i = 0; i < header.count; i++) {
    const attributes = reader.byte();
    const offset = header.baseOffset + reader.varint();
    const timestamp = header.baseTimestamp + reader.zigzag();
    const keyTag = reader.varint();
    const keyStart = reader.skip(keyTag === 0 ? 0 : keyTag - 1);
    const valueTag = reader.varint();
    const valueStart = reader.skip(valueTag === 0 ? 0 : valueTag - 1);
    const headersLength = reader.varint();
    const headersStart = reader.skip(headersLength);
    records[i] = {
      offset,
      timestamp,
      logAppendTime: (attributes & LOG_APPEND_TIME) !== 0,
      key: keyTag === 0 ? null : data.subarray(keyStart, keyStart + keyTag - 1),
      value: valueTag === 0 ? null : data.subarray(valueStart, valueStart + valueTag - 1),
      headers: headersLength === 0 ? null : data.subarray(headersStart, headersStart + headersLength),
    };
  }
  return { header, records };
}

/**
 * The consumer's read of one batch, resumable: a poll that stops inside the batch keeps it, and the
 * next poll carries on from the byte where the last one stopped instead of fetching the row again
 * and skipping what it already returned. Keys and values are views of `data` (no copies).
 */
export class BatchReader {
  readonly header: BatchHeader;
  readonly data: Buffer;
  private readonly reader: ByteReader;
  private readonly recordsStart: number;
  /** Records before `reader.pos`, and the offset of the last of them (-1 before the first). */
  private index = 0;
  private lastRead = -1;

  constructor(stored: Buffer) {
    this.data = openBatch(stored);
    this.reader = new ByteReader(this.data, 0, 'batch');
    this.header = readHeader(this.reader);
    this.recordsStart = this.reader.pos;
  }

  /** Whether records at or after `from` can be in this batch. */
  covers(from: number): boolean {
    return from >= this.header.baseOffset && from <= this.header.lastOffset;
  }

  /** Appends to `out` at most `max` records at offsets >= `from`; returns how many. */
  read(topic: string, partition: number, from: number, max: number, out: LogRecord[]): number {
    const { header, data, reader } = this;
    if (header.lastOffset < from || max <= 0) return 0;
    if (from <= this.lastRead) {
      reader.pos = this.recordsStart;
      this.index = 0;
      this.lastRead = -1;
    }
    let added = 0;
    while (this.index < header.count && added < max) {
      const attributes = reader.byte();
      const offset = header.baseOffset + reader.varint();
      const timestampDelta = reader.zigzag();
      const keyTag = reader.varint();
      const keyStart = reader.skip(keyTag === 0 ? 0 : keyTag - 1);
      const valueTag = reader.varint();
      const valueStart = reader.skip(valueTag === 0 ? 0 : valueTag - 1);
      const headersLength = reader.varint();
      const headersStart = reader.skip(headersLength);
      this.index++;
      this.lastRead = offset;
      if (offset < from) continue;
      out.push({
        topic,
        partition,
        offset,
        timestamp: header.baseTimestamp + timestampDelta,
        timestampType: (attributes & LOG_APPEND_TIME) !== 0 ? 'LogAppendTime' : 'CreateTime',
        key: keyTag === 0 ? null : data.subarray(keyStart, keyStart + keyTag - 1),
        value: valueTag === 0 ? null : data.subarray(valueStart, valueStart + valueTag - 1),
        headers: headersLength === 0 ? [] : decodeHeaders(data.subarray(headersStart, headersStart + headersLength)),
      });
      added++;
    }
    return added;
  }

  /** Whether every record has been read. */
  get exhausted(): boolean {
    return this.index >= this.header.count;
  }
}

/** Length + 1 as a varint (0 for null), then the bytes: keeps null apart from empty. */
function writeNullableBytes(buf: Uint8Array, pos: number, bytes: Uint8Array | null): number {
  if (bytes === null) {
    buf[pos] = 0;
    return pos + 1;
  }
  pos = writeVarint(buf, pos, bytes.length + 1);
  buf.set(bytes, pos);
  return pos + bytes.length;
}
