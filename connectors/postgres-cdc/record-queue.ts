/**
 * The bounded queue between the database readers (snapshot, stream) and poll(). Producers await
 * room (`max.queue.size`); poll takes up to `max.batch.size`, waiting at most `poll.interval.ms`.
 */
import type { SourceRecord } from '../../runtime/api/index.js';

export class RecordQueue {
  private items: SourceRecord[] = [];
  private readers: Array<() => void> = [];
  private writers: Array<() => void> = [];
  private closed = false;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  get full(): boolean {
    return this.items.length >= this.capacity;
  }

  /** Adds records, waiting while the queue is full. */
  async put(records: SourceRecord[]): Promise<void> {
    while (this.full && !this.closed) await new Promise<void>((r) => this.writers.push(r));
    this.items.push(...records);
    this.wake(this.readers);
  }

  /** Adds records without waiting (the stream pauses its socket instead). */
  push(records: SourceRecord[]): void {
    this.items.push(...records);
    this.wake(this.readers);
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
    if (!this.full) this.wake(this.writers);
    return out;
  }

  /** Wakes every waiter; later puts and takes return at once. */
  close(): void {
    this.closed = true;
    this.wake(this.readers);
    this.wake(this.writers);
  }

  private wake(list: Array<() => void>): void {
    const waiters = list.splice(0);
    for (const w of waiters) w();
  }
}
