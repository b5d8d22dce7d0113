/** What a task can ask of the runtime while it runs. */
import type { TaskProgress } from './progress.js';
import type { SinkRecord, SourceMap, AnyRecord } from './records.js';

/** A partition of a topic; the same shape as the log's. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface OffsetStorageReader {
  /** The last committed offset of a source partition, or null. */
  offset(partition: SourceMap): Promise<SourceMap | null>;
  offsets(partitions: SourceMap[]): Promise<Map<SourceMap, SourceMap | null>>;
}

/** Reports a record that failed inside a task; under errors.tolerance=all it goes to the dead letter queue. */
export type ErrantRecordReporter = (record: AnyRecord, error: Error) => Promise<void>;

export interface SourceTaskContext {
  configs(): Record<string, string>;
  offsetStorageReader: OffsetStorageReader;
  errantRecordReporter(): ErrantRecordReporter | null;
  /**
   * Shows how far a long job got: the latest report appears as `progress` in the task's REST
   * status and in /metrics until the task stops; null clears it. Cheap enough to call per batch.
   */
  reportProgress(progress: TaskProgress | null): void;
}

export interface SinkTaskContext {
  configs(): Record<string, string>;
  /** Rewinds (or skips) partitions: the runtime seeks there before the next put. */
  offset(offsets: Map<string, number>): void;
  /** After a RetriableError from put, wait this long before delivering the same batch again. */
  timeout(ms: number): void;
  assignment(): TopicPartition[];
  pause(partitions: TopicPartition[]): void;
  resume(partitions: TopicPartition[]): void;
  /** Asks for an offset commit (preCommit) as soon as possible. */
  requestCommit(): void;
  errantRecordReporter(): ErrantRecordReporter | null;
  /** As SourceTaskContext.reportProgress. */
  reportProgress(progress: TaskProgress | null): void;
}

export type { SinkRecord };
