/**
 * The bounded queue between the database readers (snapshot, stream) and poll(). Producers await
 * room; poll takes up to `max.batch.size`, waiting at most `poll.interval.ms`. Room ends at
 * `max.queue.size` records or, when set, `max.queue.size.in.bytes` (records' approximate sizes):
 * the record bound alone lets 8,192 wide rows sit in memory.
 */
import type { SourceRecord } from '../../runtime/api/index.js';
import { approximateRecordBytes } from './record-size.js';

export class RecordQueue {
  private items: SourceRecord[] = [];
  /** Each item's approximate size, only with a byte bound (measuring costs time per record). */
  private sizes: number[] = [];
  private queuedBytes = 0;
  private readers: Array<() => void> = [];
  private writers: Array<() => void> = [];
  private closed = false;

  /** `capacityBytes` 0: no byte bound (Debezium's default). */
  constructor(readonly capacity: number, readonly capacityBytes = 0) {}

  get size(): number {
    return this.items.length;
  }

  /** Approximate bytes queued; 0 without a byte bound. */
  get bytes(): number {
    return this.queuedBytes;
  }

  get full(): boolean {
    return this.items.length >= this.capacity || (this.capacityBytes > 0 && this.queuedBytes >= this.capacityBytes);
  }

  /** Drained to half of each bound: a paused stream may read again. */
  get halfEmpty(): boolean {
    return this.items.length < this.capacity / 2 && (this.capacityBytes === 0 || this.queuedBytes < this.capacityBytes / 2);
  }

  /** Adds records, waiting while the queue is full. */
  async put(records: SourceRecord[]): Promise<void> {
    while (this.full && !this.closed) await new Promise<void>((r) => this.writers.push(r));
    this.add(records);
  }

  /** Adds records without waiting (the stream pauses its socket instead). */
  push(records: SourceRecord[]): void {
    this.add(records);
  }

  async take(max: number, waitMs: number): Promise<SourceRecord[]> {
    if (this.items.length === 0 && !this.closed) {
      await new Promise<void>((r) => {
        const timer = setTimeout(r, waitMs);
        this.readers.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
    // Records arrive one message at a time: let the readers run once more before taking, so a
    // batch holds what is already on its way instead of one record per log write.
    if (this.items.length > 0 && this.items.length < max && !this.closed) await new Promise((r) => setImmediate(r));
    const out = this.items.splice(0, max);
    if (this.capacityBytes > 0) for (const n of this.sizes.splice(0, out.length)) this.queuedBytes -= n;
    if (!this.full) this.wake(this.writers);
    return out;
  }

  /** Wakes every waiter; later puts and takes return at once. */
  close(): void {
    this.closed = true;
    this.wake(this.readers);
    this.wake(this.writers);
  }

  private add(records: SourceRecord[]): void {
    this.items.push(...records);
    if (this.capacityBytes > 0) {
      for (const r of records) {
        const n = approximateRecordBytes(r);
        this.sizes.push(n);
        this.queuedBytes += n;
      }
    }
    this.wake(this.readers);
  }

  private wake(list: Array<() => void>): void {
    const waiters = list.splice(0);
    for (const w of waiters) w();
  }
}
