/**
 * Retention and compaction, one partition per write transaction so a pass never holds the write
 * lock for long. Offsets never change: deleting records only leaves gaps, and deleting the oldest
 * moves the partition's earliest offset forward.
 *
 * - delete policy: records older than retention.ms go, oldest first, stopping at the first record
 *   still within it (timestamps need not be in offset order); then, while the partition is bigger
 *   than retention.bytes, the oldest records go, never taking it below that size.
 * - compact policy: of the records older than min.compaction.lag.ms, a record goes when a newer
 *   record with the same key exists among them; a tombstone goes once it is older than
 *   delete.retention.ms. The partial index `records_by_key` makes the "newer record with the same
 *   key" test a B-tree probe.
 */
import type Database from 'better-sqlite3';
import type { Db } from './schema.js';
import type { Store, TopicRow } from './store.js';

export interface CleanerResult {
  /** Records removed by this pass, all topics together. */
  deleted: number;
}

function prepareStatements(db: Db) {
  const p = (sql: string): Database.Statement => db.prepare(sql);
  return {
    firstAtOrAfter: p(
      'SELECT offset FROM records WHERE topic_id = ? AND partition = ? AND timestamp >= ? ORDER BY offset LIMIT 1',
    ).pluck(),
    firstAfter: p('SELECT offset FROM records WHERE topic_id = ? AND partition = ? AND timestamp > ? ORDER BY offset LIMIT 1').pluck(),
    deleteBefore: p('DELETE FROM records WHERE topic_id = ? AND partition = ? AND offset < ?'),
    size: p(
      'SELECT COALESCE(SUM(COALESCE(length(key), 0) + COALESCE(length(value), 0) + COALESCE(length(headers), 0)), 0) FROM records WHERE topic_id = ? AND partition = ?',
    ).pluck(),
    sizes: p(
      'SELECT offset, COALESCE(length(key), 0) + COALESCE(length(value), 0) + COALESCE(length(headers), 0) FROM records WHERE topic_id = ? AND partition = ? ORDER BY offset',
    ).raw(true),
    compact: p(`
      DELETE FROM records AS old
      WHERE old.topic_id = @topic AND old.partition = @partition AND old.compacted = 1 AND old.key IS NOT NULL AND old.offset < @end
        AND EXISTS (
          SELECT 1 FROM records AS newer INDEXED BY records_by_key
          WHERE newer.topic_id = @topic AND newer.partition = @partition AND newer.compacted = 1 AND newer.key IS NOT NULL
            AND newer.key = old.key AND newer.offset > old.offset AND newer.offset < @end)`),
    tombstones: p(`
      DELETE FROM records
      WHERE topic_id = ? AND partition = ? AND compacted = 1 AND value IS NULL AND offset < ? AND timestamp < ?`),
  };
}

export class Cleaner {
  private readonly s: ReturnType<typeof prepareStatements>;
  /** Log end offset each partition had when last compacted: no appends since means nothing new to dedupe. */
  private readonly compactedUpTo = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {
    this.s = prepareStatements(store.db);
  }

  run(): CleanerResult {
    let deleted = 0;
    for (const topic of this.store.refreshTopics()) {
      for (let partition = 0; partition < topic.partitions; partition++) {
        deleted += this.store.write(() => this.cleanPartition(topic, partition));
      }
    }
    return { deleted };
  }

  private cleanPartition(topic: TopicRow, partition: number): number {
    const { policy } = topic;
    const now = this.now();
    let deleted = 0;
    if (policy.delete && policy.retentionMs >= 0) {
      const keepFrom = this.s.firstAtOrAfter.get(topic.id, partition, now - policy.retentionMs) as number | undefined;
      deleted += this.s.deleteBefore.run(topic.id, partition, keepFrom ?? this.store.nextOffset(topic.id, partition)).changes;
    }
    if (policy.delete && policy.retentionBytes >= 0) deleted += this.applySizeRetention(topic, partition, policy.retentionBytes);
    if (policy.compact) deleted += this.compact(topic, partition, now);
    return deleted;
  }

  private applySizeRetention(topic: TopicRow, partition: number, limit: number): number {
    let excess = (this.s.size.get(topic.id, partition) as number) - limit;
    if (excess <= 0) return 0;
    let deleteBefore: number | undefined;
    for (const [offset, size] of this.s.sizes.iterate(topic.id, partition) as IterableIterator<[number, number]>) {
      if (size > excess) break;
      excess -= size;
      deleteBefore = offset + 1;
    }
    return deleteBefore === undefined ? 0 : this.s.deleteBefore.run(topic.id, partition, deleteBefore).changes;
  }

  private compact(topic: TopicRow, partition: number, now: number): number {
    const { policy } = topic;
    const next = this.store.nextOffset(topic.id, partition);
    const lagged = policy.minCompactionLagMs > 0 ? (this.s.firstAfter.get(topic.id, partition, now - policy.minCompactionLagMs) as number | undefined) : undefined;
    const cleanableEnd = lagged ?? next;
    let deleted = 0;
    const key = `${topic.id}:${partition}`;
    if (this.compactedUpTo.get(key) !== cleanableEnd) {
      deleted += this.s.compact.run({ topic: topic.id, partition, end: cleanableEnd }).changes;
      this.compactedUpTo.set(key, cleanableEnd);
    }
    deleted += this.s.tombstones.run(topic.id, partition, cleanableEnd, now - policy.deleteRetentionMs).changes;
    return deleted;
  }
}
