/**
 * Appends records: one BEGIN IMMEDIATE transaction per send() call, so a call is stored entirely
 * or not at all, and the next offset of each partition is read under the write lock (correct when
 * another process appends to the same file). The records a call sends to one partition become one
 * batch row. The promise resolves after COMMIT, i.e. once the records are in the WAL file and would
 * survive the process being killed.
 */
import { LogError, type ProduceRecord, type Producer, type RecordMetadata } from '../log.js';
import { partitionForKey } from '../partitioner.js';
import { BatchBuilder } from './batch-codec.js';
import { compressBatch } from './batch-compression.js';
import { encodeHeaders } from './headers-codec.js';
import type { Store, TopicRow } from './store.js';
import { validateTopicName } from './topic-configs.js';
import { closedError, toLogError } from './errors.js';

export interface ProducerHost {
  readonly store: Store;
  readonly autoCreateTopics: boolean;
  /** Called after a commit: which topics got records and whether a topic was created. */
  appended(topics: Set<string>, createdTopic: boolean): void;
  ensureOpen(): void;
}

interface TopicState {
  topic: TopicRow;
  /** The batch of each partition touched in this call. */
  batches: Map<number, BatchBuilder>;
  /** The partition unkeyed records of this call go to (Kafka's sticky partitioner, per call). */
  sticky: number;
}

/** Round-robin position of unkeyed records per topic, shared by the producers of one log. */
export class StickyPartitions {
  private readonly counters = new Map<string, number>();

  next(topic: string, partitions: number): number {
    const n = this.counters.get(topic) ?? 0;
    this.counters.set(topic, n + 1);
    return n % partitions;
  }
}

/**
 * A builder whose buffer grew past this is not kept for the next call. A poll of 2048 CDC events
 * with schemas is ~5 MB: under a 4 MB cap every call grew a new buffer from 64 KB to 8 MB, and
 * the dropped ones waited for a full GC (a 10M-row snapshot peaked at 268 MB RSS; 209 MB kept).
 */
const MAX_KEPT_BUILDER_BYTES = 16 * 1024 * 1024;

export class EmbeddedProducer implements Producer {
  private closed = false;
  /** Batch builders (and their buffers) kept between calls. */
  private readonly spareBuilders: BatchBuilder[] = [];

  constructor(
    private readonly host: ProducerHost,
    private readonly sticky: StickyPartitions,
  ) {}

  send(records: ProduceRecord[]): Promise<RecordMetadata[]> {
    try {
      if (this.closed) throw closedError('producer');
      this.host.ensureOpen();
      return Promise.resolve(this.append(records));
    } catch (err) {
      return Promise.reject(toLogError(err));
    }
  }

  flush(): Promise<void> {
    // send() resolves only after its commit, so nothing is ever pending here.
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private append(records: ProduceRecord[]): RecordMetadata[] {
    if (records.length === 0) return [];
    const store = this.host.store;
    let created = false;
    const touched = new Set<string>();
    const result = store.write(() => {
      const states = new Map<string, TopicState>();
      const stateOf = (name: string): TopicState => {
        let state = states.get(name);
        if (state) return state;
        let topic = store.readTopic(name);
        if (!topic) {
          if (!this.host.autoCreateTopics) {
            throw new LogError(`topic '${name}' does not exist and auto creation is off`, 'UNKNOWN_TOPIC_OR_PARTITION', true);
          }
          validateTopicName(name);
          topic = store.insertTopic(name, 1, 1, {});
          created = true;
        }
        state = { topic, batches: new Map(), sticky: this.sticky.next(name, topic.partitions) };
        states.set(name, state);
        return state;
      };

      const now = Date.now();
      const metadata: RecordMetadata[] = new Array(records.length);
      try {
        for (let i = 0; i < records.length; i++) {
          const r = records[i]!;
          const state = stateOf(r.topic);
          const { topic } = state;
          const partition = this.partitionOf(r, state);
          if (r.key === null && topic.policy.compact) {
            throw new LogError(`topic '${topic.name}' is compacted and cannot take a record without a key`, 'INVALID_RECORD', false);
          }
          let batch = state.batches.get(partition);
          if (batch === undefined) {
            batch = this.spareBuilders.pop() ?? new BatchBuilder();
            batch.reset(store.nextOffset(topic.id, partition));
            state.batches.set(partition, batch);
          }
          const offset = batch.nextOffset;
          // Like Kafka's producer, a record without a timestamp gets the send time as its CreateTime.
          const timestamp = topic.policy.logAppendTime ? now : (r.timestamp ?? now);
          if (!Number.isSafeInteger(timestamp)) {
            throw new LogError(`record timestamp ${timestamp} is not a whole number of milliseconds`, 'INVALID_TIMESTAMP', false);
          }
          batch.append(offset, timestamp, topic.policy.logAppendTime, r.key, r.value, encodeHeaders(r.headers));
          metadata[i] = { topic: topic.name, partition, offset, timestamp };
        }
        for (const state of states.values()) {
          for (const [partition, batch] of state.batches) {
            const encoded = batch.finish();
            store.insertBatch(state.topic.id, partition, state.topic.policy.compress ? { ...encoded, data: compressBatch(encoded.data) } : encoded);
            store.setNextOffset(state.topic.id, partition, encoded.lastOffset + 1);
          }
          touched.add(state.topic.name);
        }
      } finally {
        for (const state of states.values()) {
          for (const batch of state.batches.values()) if (batch.capacity <= MAX_KEPT_BUILDER_BYTES) this.spareBuilders.push(batch);
        }
      }
      return metadata;
    });
    this.host.appended(touched, created);
    return result;
  }

  private partitionOf(record: ProduceRecord, state: TopicState): number {
    const count = state.topic.partitions;
    if (record.partition !== undefined) {
      if (!Number.isInteger(record.partition) || record.partition < 0 || record.partition >= count) {
        throw new LogError(
          `partition ${record.partition} of topic '${state.topic.name}' does not exist (it has ${count})`,
          'UNKNOWN_TOPIC_OR_PARTITION',
          false,
        );
      }
      return record.partition;
    }
    if (record.key !== null) return partitionForKey(record.key, count);
    return state.sticky;
  }
}
