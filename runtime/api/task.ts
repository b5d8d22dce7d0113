/** Tasks do the copying. The runtime owns their loop, retries, batching and offsets. */
import type { Awaitable } from './connector.js';
import type { SinkTaskContext, SourceTaskContext } from './context.js';
import type { SinkRecord, SourceRecord } from './records.js';

export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
}

export abstract class SourceTask {
  protected context!: SourceTaskContext;

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Record<string, string>): Awaitable<void>;
  /**
   * The next records, or null/[] when there are none yet. It may wait a little for data, but should
   * return within about a second so the runtime can pause, stop and commit in time.
   */
  abstract poll(): Promise<SourceRecord[] | null>;
  /** Called after an offset flush: everything up to the committed offsets is stored. */
  commit(): Awaitable<void> {}
  /** Called once per record when the log has acknowledged it (metadata null if a transform dropped it). */
  commitRecord(_record: SourceRecord, _metadata: RecordMetadata | null): Awaitable<void> {}
  /** Must make a pending poll return soon. */
  abstract stop(): Awaitable<void>;
}

export abstract class SinkTask {
  protected context!: SinkTaskContext;

  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Record<string, string>): Awaitable<void>;
  /** Delivers a batch; throw a RetriableError to have the same batch delivered again later. */
  abstract put(records: SinkRecord[]): Awaitable<void>;
  /** Makes everything put so far durable. Offsets are keyed `topic:partition` (next offset to read). */
  flush(_currentOffsets: Map<string, number>): Awaitable<void> {}
  /**
   * The offsets that are safe to commit; by default flushes and returns them all. A sink that
   * writes asynchronously returns only what is durable.
   */
  async preCommit(currentOffsets: Map<string, number>): Promise<Map<string, number>> {
    await this.flush(currentOffsets);
    return currentOffsets;
  }
  open(_partitions: Array<{ topic: string; partition: number }>): Awaitable<void> {}
  close(_partitions: Array<{ topic: string; partition: number }>): Awaitable<void> {}
  abstract stop(): Awaitable<void>;
}
