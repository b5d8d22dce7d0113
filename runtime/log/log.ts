/**
 * The Log: topics of partitions of records, with consumer groups and admin calls.
 *
 * Everything above this file (worker, stores, CLI) is written once against these interfaces. Two
 * implementations sit below: `embedded/` (SQLite on local disk, the default when
 * `bootstrap.servers` is absent) and `kafka/` (a real Kafka cluster).
 *
 * Offsets are plain numbers: 2^53 records in one partition is out of reach, and numbers keep the
 * hot path free of bigint arithmetic.
 */

/** Bytes as they are stored; a null value is a tombstone. */
export type Bytes = Uint8Array;

export interface LogHeader {
  key: string;
  value: Bytes | null;
}

/** What a producer hands to the log. */
export interface ProduceRecord {
  topic: string;
  /** An explicit partition; when absent the log picks one (murmur2 of the key, or round robin). */
  partition?: number;
  key: Bytes | null;
  value: Bytes | null;
  headers?: LogHeader[];
  /** Milliseconds since the epoch; the log stamps the append time when absent. */
  timestamp?: number;
}

export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
}

export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** A record read back from the log. */
export interface LogRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: TimestampType;
  key: Bytes | null;
  value: Bytes | null;
  headers: LogHeader[];
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface NewTopic {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  /** Kafka topic configs: `cleanup.policy`, `retention.ms`, `retention.bytes`, ... */
  configs?: Record<string, string>;
}

export interface TopicDescription {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface Admin {
  /** Creates the topic; resolves false (not an error) when it exists already. */
  createTopic(topic: NewTopic): Promise<boolean>;
  /** Resolves null for a topic that does not exist. */
  describeTopic(name: string): Promise<TopicDescription | null>;
  listTopics(): Promise<string[]>;
  deleteTopic(name: string): Promise<void>;
  /** Adds partitions to a topic, as kafka-topics --alter --partitions does. */
  createPartitions(name: string, totalCount: number): Promise<void>;
  alterTopicConfigs(name: string, configs: Record<string, string>): Promise<void>;
  /** First and next offset of each partition of a topic. */
  offsets(topic: string): Promise<Array<{ partition: number; earliest: number; latest: number }>>;
  /** Committed offsets of a group; an empty map when the group has none. */
  groupOffsets(groupId: string): Promise<Map<string, number>>;
  /** Overwrites (or with null, deletes) committed offsets of a group. Keys are `topic:partition`. */
  alterGroupOffsets(groupId: string, offsets: Map<string, number | null>): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  listGroups(): Promise<string[]>;
}

export interface ProducerOptions {
  /** For logs with transactions; ignored by the embedded log, whose batches are atomic. */
  clientId?: string;
}

export interface Producer {
  /**
   * Appends the records. The promise resolves once every record of the call is durable (the
   * record's acknowledgement) with their metadata in the same order, or rejects with a LogError
   * and then none of them is guaranteed stored. Calls are ordered: records of an earlier call to a
   * partition get lower offsets than those of a later call.
   */
  send(records: ProduceRecord[]): Promise<RecordMetadata[]>;
  /** Resolves once everything sent so far is acknowledged. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Called by a subscribed consumer when the group moves partitions to or from it. */
export interface RebalanceListener {
  onPartitionsRevoked?(partitions: TopicPartition[]): Promise<void> | void;
  onPartitionsAssigned?(partitions: TopicPartition[]): Promise<void> | void;
}

export interface ConsumerOptions {
  /** A consumer with a group id can subscribe and commit; without one it can only assign. */
  groupId?: string;
  clientId?: string;
  /** Where to start a partition with no committed offset. Default `earliest`. */
  autoOffsetReset?: 'earliest' | 'latest';
  /** Upper bound of records one `poll` returns. Default 500, as Kafka's max.poll.records. */
  maxPollRecords?: number;
}

export interface Consumer {
  /**
   * Joins the group for these topics (or every topic matching the regex, including topics created
   * later) and gets a share of their partitions. Members of one group in one process share the
   * partitions between them, as Kafka's range assignor does.
   */
  subscribe(topics: string[] | RegExp, listener?: RebalanceListener): Promise<void>;
  /** Reads exactly these partitions, with no group membership. */
  assign(partitions: TopicPartition[]): Promise<void>;
  assignment(): TopicPartition[];
  /**
   * Returns the next records of the assigned, unpaused partitions (at most maxPollRecords), waiting
   * up to `timeoutMs` for one to arrive. Resolves an empty array on timeout or after `wakeup()`.
   * Rebalance listeners run inside poll, as in Kafka.
   */
  poll(timeoutMs: number): Promise<LogRecord[]>;
  /** Sets the position of a partition: the offset of the next record poll returns. */
  seek(partition: TopicPartition, offset: number): void;
  seekToBeginning(partitions: TopicPartition[]): Promise<void>;
  seekToEnd(partitions: TopicPartition[]): Promise<void>;
  position(partition: TopicPartition): Promise<number>;
  pause(partitions: TopicPartition[]): void;
  resume(partitions: TopicPartition[]): void;
  paused(): TopicPartition[];
  /** Commits, for the group, the offset of the next record to read per partition. */
  commit(offsets: Map<string, number>): Promise<void>;
  committed(partitions: TopicPartition[]): Promise<Map<string, number>>;
  /** Makes a pending poll resolve at once. */
  wakeup(): void;
  close(): Promise<void>;
}

export interface Log {
  /** A human-readable description for logs and `GET /`: `embedded:/path` or `kafka:host:port`. */
  readonly description: string;
  /** A stable id of the cluster (Kafka's cluster id; for the embedded log, one made on creation). */
  clusterId(): Promise<string>;
  admin(): Admin;
  producer(options?: ProducerOptions): Producer;
  consumer(options?: ConsumerOptions): Consumer;
  close(): Promise<void>;
}

/** The key of a partition in offset maps: `topic:partition` (topic names cannot contain ':'). */
export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}:${tp.partition}`;
}

export function parseTpKey(key: string): TopicPartition {
  const at = key.lastIndexOf(':');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

/** An error from a log; `retriable` says whether trying the same call again can succeed. */
export class LogError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LogError';
  }
}
