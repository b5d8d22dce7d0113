/**
 * Every SQL statement of the embedded log, prepared once. Methods are synchronous: better-sqlite3
 * runs a statement to completion on the calling thread, which keeps each transaction atomic with
 * respect to this process's other work. Cross-process atomicity comes from SQLite's write lock.
 */
import type Database from 'better-sqlite3';
import type { EncodedBatch } from './batch-codec.js';
import type { Db } from './schema.js';
import { topicPolicy, type TopicPolicy } from './topic-configs.js';

export interface TopicRow {
  id: number;
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
  policy: TopicPolicy;
}

interface TopicSqlRow {
  id: number;
  name: string;
  partitions: number;
  replication_factor: number;
  configs: string;
}

function toTopic(row: TopicSqlRow): TopicRow {
  const configs = JSON.parse(row.configs) as Record<string, string>;
  return {
    id: row.id,
    name: row.name,
    partitions: row.partitions,
    replicationFactor: row.replication_factor,
    configs,
    policy: topicPolicy(configs),
  };
}

function prepareStatements(db: Db) {
  const p = (sql: string): Database.Statement => db.prepare(sql);
  return {
    topic: p('SELECT id, name, partitions, replication_factor, configs FROM topics WHERE name = ?'),
    topics: p('SELECT id, name, partitions, replication_factor, configs FROM topics ORDER BY name'),
    insertTopic: p('INSERT INTO topics (name, partitions, replication_factor, configs, created_at) VALUES (?, ?, ?, ?, ?)'),
    insertPartition: p('INSERT INTO partitions (topic_id, partition, next_offset, start_offset, cleaned_offset) VALUES (?, ?, 0, 0, 0)'),
    setPartitionCount: p('UPDATE topics SET partitions = ? WHERE id = ?'),
    setConfigs: p('UPDATE topics SET configs = ? WHERE id = ?'),
    deleteTopicRow: p('DELETE FROM topics WHERE id = ?'),
    deleteTopicPartitions: p('DELETE FROM partitions WHERE topic_id = ?'),
    deleteTopicBatches: p('DELETE FROM batches WHERE topic_id = ?'),
    deleteTopicOffsets: p('DELETE FROM group_offsets WHERE topic = ?'),
    nextOffset: p('SELECT next_offset FROM partitions WHERE topic_id = ? AND partition = ?').pluck(),
    setNextOffset: p('UPDATE partitions SET next_offset = ? WHERE topic_id = ? AND partition = ?'),
    startOffset: p('SELECT start_offset FROM partitions WHERE topic_id = ? AND partition = ?').pluck(),
    insertBatch: p(
      'INSERT INTO batches (topic_id, partition, base_offset, last_offset, record_count, max_timestamp, tombstone_timestamp, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    // From the batch holding `position` (the last one starting at or before it) onwards. The
    // last_offset test drops that batch when it ends before the position (a consumer that has read
    // everything) before its data is read.
    batchesFrom: p(`
      SELECT data FROM batches
      WHERE topic_id = ? AND partition = ? AND base_offset >= COALESCE(
        (SELECT max(base_offset) FROM batches WHERE topic_id = ? AND partition = ? AND base_offset <= ?), ?)
        AND last_offset >= ?
      ORDER BY base_offset`).pluck(),
    groupOffsets: p('SELECT topic, partition, offset FROM group_offsets WHERE group_id = ?'),
    committed: p('SELECT offset FROM group_offsets WHERE group_id = ? AND topic = ? AND partition = ?').pluck(),
    upsertOffset: p(
      'INSERT INTO group_offsets (group_id, topic, partition, offset) VALUES (?, ?, ?, ?) ON CONFLICT (group_id, topic, partition) DO UPDATE SET offset = excluded.offset',
    ),
    deleteOffset: p('DELETE FROM group_offsets WHERE group_id = ? AND topic = ? AND partition = ?'),
    deleteGroup: p('DELETE FROM group_offsets WHERE group_id = ?'),
    groups: p('SELECT DISTINCT group_id FROM group_offsets ORDER BY group_id').pluck(),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

export class Store {
  private readonly byName = new Map<string, TopicRow>();
  private readonly s: Statements;

  constructor(readonly db: Db) {
    this.s = prepareStatements(db);
  }

  /** Reads a topic from the database (not the cache): use inside write transactions. */
  readTopic(name: string): TopicRow | undefined {
    const row = this.s.topic.get(name) as TopicSqlRow | undefined;
    const topic = row ? toTopic(row) : undefined;
    if (topic) this.byName.set(name, topic);
    else this.byName.delete(name);
    return topic;
  }

  /** The topic as last read; consumers use this on the hot path and refresh it periodically. */
  cachedTopic(name: string): TopicRow | undefined {
    return this.byName.get(name);
  }

  /** Re-reads every topic, replacing the cache (topics made or changed by other processes). */
  refreshTopics(): TopicRow[] {
    const topics = (this.s.topics.all() as TopicSqlRow[]).map(toTopic);
    this.byName.clear();
    for (const t of topics) this.byName.set(t.name, t);
    return topics;
  }

  cachedTopics(): TopicRow[] {
    return [...this.byName.values()];
  }

  /** Inserts a topic with its partitions; call inside an immediate transaction after readTopic. */
  insertTopic(name: string, partitions: number, replicationFactor: number, configs: Record<string, string>): TopicRow {
    const id = Number(this.s.insertTopic.run(name, partitions, replicationFactor, JSON.stringify(configs), Date.now()).lastInsertRowid);
    for (let p = 0; p < partitions; p++) this.s.insertPartition.run(id, p);
    return this.readTopic(name)!;
  }

  addPartitions(topic: TopicRow, total: number): void {
    for (let p = topic.partitions; p < total; p++) this.s.insertPartition.run(topic.id, p);
    this.s.setPartitionCount.run(total, topic.id);
    this.readTopic(topic.name);
  }

  setConfigs(topic: TopicRow, configs: Record<string, string>): void {
    this.s.setConfigs.run(JSON.stringify(configs), topic.id);
    this.readTopic(topic.name);
  }

  deleteTopic(topic: TopicRow): void {
    this.s.deleteTopicBatches.run(topic.id);
    this.s.deleteTopicPartitions.run(topic.id);
    this.s.deleteTopicRow.run(topic.id);
    this.s.deleteTopicOffsets.run(topic.name);
    this.byName.delete(topic.name);
  }

  nextOffset(topicId: number, partition: number): number {
    return this.s.nextOffset.get(topicId, partition) as number;
  }

  setNextOffset(topicId: number, partition: number, next: number): void {
    this.s.setNextOffset.run(next, topicId, partition);
  }

  /** The log start offset: moved forward by retention, never by compaction (as Kafka's). */
  earliestOffset(topicId: number, partition: number): number {
    return this.s.startOffset.get(topicId, partition) as number;
  }

  insertBatch(topicId: number, partition: number, batch: EncodedBatch): void {
    this.s.insertBatch.run(topicId, partition, batch.baseOffset, batch.lastOffset, batch.count, batch.maxTimestamp, batch.tombstoneTimestamp, batch.data);
  }

  /**
   * The encoded batches from the one holding `position` on, in offset order. Read lazily: stop
   * iterating as soon as enough records are decoded (the connection runs no other statement meanwhile).
   */
  batchesFrom(topicId: number, partition: number, position: number): IterableIterator<Buffer> {
    return this.s.batchesFrom.iterate(topicId, partition, topicId, partition, position, position, position) as IterableIterator<Buffer>;
  }

  groupOffsets(groupId: string): Array<{ topic: string; partition: number; offset: number }> {
    return this.s.groupOffsets.all(groupId) as Array<{ topic: string; partition: number; offset: number }>;
  }

  committed(groupId: string, topic: string, partition: number): number | undefined {
    return this.s.committed.get(groupId, topic, partition) as number | undefined;
  }

  commit(groupId: string, topic: string, partition: number, offset: number | null): void {
    if (offset === null) this.s.deleteOffset.run(groupId, topic, partition);
    else this.s.upsertOffset.run(groupId, topic, partition, offset);
  }

  deleteGroup(groupId: string): void {
    this.s.deleteGroup.run(groupId);
  }

  groups(): string[] {
    return this.s.groups.all() as string[];
  }

  /** Runs `fn` in a BEGIN IMMEDIATE transaction: takes the write lock first, so reads inside it are current. */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}
