/**
 * Appends records: one BEGIN IMMEDIATE transaction per send() call, so a call is stored entirely
 * or not at all, and the next offset of each partition is read under the write lock (correct when
 * another process appends to the same file). The promise resolves after COMMIT, i.e. once the
 * records are in the WAL file and would survive the process being killed.
 */
import { LogError, type ProduceRecord, type Producer, type RecordMetadata } from '../log.js';
import { partitionForKey } from '../partitioner.js';
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
  /** Next offset per partition touched in this call. */
  next: Map<number, number>;
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

export class EmbeddedProducer implements Producer {
  private closed = false;

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
        state = { topic, next: new Map(), sticky: this.sticky.next(name, topic.partitions) };
        states.set(name, state);
        return state;
      };

      const now = Date.now();
      const metadata: RecordMetadata[] = new Array(records.length);
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        const state = stateOf(r.topic);
        const { topic } = state;
        const partition = this.partitionOf(r, state);
        if (r.key === null && topic.policy.compact) {
          throw new LogError(`topic '${topic.name}' is compacted and cannot take a record without a key`, 'INVALID_RECORD', false);
        }
        let offset = state.next.get(partition);
        if (offset === undefined) offset = store.nextOffset(topic.id, partition);
        state.next.set(partition, offset + 1);
        // Like Kafka's producer, a record without a timestamp gets the send time as its CreateTime.
        const timestamp = topic.policy.logAppendTime ? now : (r.timestamp ?? now);
        store.insertRecord(topic.id, partition, offset, timestamp, topic.policy.logAppendTime, topic.policy.compact, r.key, r.value, encodeHeaders(r.headers));
        metadata[i] = { topic: topic.name, partition, offset, timestamp };
      }
      for (const state of states.values()) {
        for (const [partition, next] of state.next) store.setNextOffset(state.topic.id, partition, next);
        touched.add(state.topic.name);
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
