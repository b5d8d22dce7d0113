/**
 * Retention and compaction, one partition per write transaction so a pass never holds the write
 * lock for long. Offsets never change: removing records leaves gaps, and only retention moves the
 * partition's start offset (earliest) forward, as in Kafka.
 *
 * - delete policy: works on whole batches, as Kafka's retention works on whole segments. Oldest
 *   first, a batch goes while every record in it is older than retention.ms (stopping at the first
 *   batch holding a newer one); then the oldest batches go while the partition, without them, stays
 *   at or above retention.bytes (counting stored batch bytes).
 * - compact policy: records before the first one younger than min.compaction.lag.ms are cleanable.
 *   As Kafka's cleaner, a pass maps each key of the dirty section (cleanable records from the
 *   partition's checkpoint `cleaned_offset` on) to its newest offset, then rewrites the batches of
 *   the cleanable part without the records that map supersedes and without tombstones older than
 *   delete.retention.ms, and moves the checkpoint to the end of what it mapped. A pass with no
 *   dirty records only looks at batches whose oldest tombstone is due (a column, no decoding).
 */
import type Database from 'better-sqlite3';
import { BatchBuilder, decodeBatch, type BatchRecord } from './batch-codec.js';
import { compressBatch } from './batch-compression.js';
import type { Db } from './schema.js';
import type { Store, TopicRow } from './store.js';

export interface CleanerResult {
  /** Records removed by this pass, all topics together. */
  deleted: number;
}

/** Most keys one compaction pass maps (Kafka bounds its map by memory the same way); the rest waits for the next pass. */
export const MAX_MAPPED_KEYS = 1_000_000;

type BatchMeta = [baseOffset: number, recordCount: number, maxTimestamp: number, bytes: number];

function prepareStatements(db: Db) {
  const p = (sql: string): Database.Statement => db.prepare(sql);
  return {
    partition: p('SELECT next_offset, start_offset, cleaned_offset FROM partitions WHERE topic_id = ? AND partition = ?').raw(true),
    setStart: p('UPDATE partitions SET start_offset = ? WHERE topic_id = ? AND partition = ?'),
    setCleaned: p('UPDATE partitions SET cleaned_offset = ? WHERE topic_id = ? AND partition = ?'),
    metas: p(
      'SELECT base_offset, record_count, max_timestamp, length(data) FROM batches WHERE topic_id = ? AND partition = ? ORDER BY base_offset',
    ).raw(true),
    size: p('SELECT COALESCE(SUM(length(data)), 0) FROM batches WHERE topic_id = ? AND partition = ?').pluck(),
    deleteBefore: p('DELETE FROM batches WHERE topic_id = ? AND partition = ? AND base_offset < ?'),
    // Batches holding offsets >= position (from the one holding it) whose newest record is after `cutoff`.
    newerFrom: p(`
      SELECT data FROM batches
      WHERE topic_id = ? AND partition = ? AND max_timestamp > ? AND base_offset >= COALESCE(
        (SELECT max(base_offset) FROM batches WHERE topic_id = ? AND partition = ? AND base_offset <= ?), ?)
      ORDER BY base_offset`).pluck(),
    batchesFrom: p(`
      SELECT data FROM batches
      WHERE topic_id = ? AND partition = ? AND base_offset < ? AND base_offset >= COALESCE(
        (SELECT max(base_offset) FROM batches WHERE topic_id = ? AND partition = ? AND base_offset <= ?), ?)
      ORDER BY base_offset`).pluck(),
    basesBefore: p('SELECT base_offset FROM batches WHERE topic_id = ? AND partition = ? AND base_offset < ? ORDER BY base_offset').pluck(),
    basesWithDueTombstones: p(
      'SELECT base_offset FROM batches WHERE topic_id = ? AND partition = ? AND base_offset < ? AND tombstone_timestamp < ? ORDER BY base_offset',
    ).pluck(),
    batch: p('SELECT data FROM batches WHERE topic_id = ? AND partition = ? AND base_offset = ?').pluck(),
    updateBatch: p(
      'UPDATE batches SET last_offset = ?, record_count = ?, max_timestamp = ?, tombstone_timestamp = ?, data = ? WHERE topic_id = ? AND partition = ? AND base_offset = ?',
    ),
    deleteBatch: p('DELETE FROM batches WHERE topic_id = ? AND partition = ? AND base_offset = ?'),
  };
}

export class Cleaner {
  private readonly s: ReturnType<typeof prepareStatements>;
  private readonly builder = new BatchBuilder();

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
    if (policy.delete && policy.retentionMs >= 0) deleted += this.applyTimeRetention(topic.id, partition, now - policy.retentionMs);
    if (policy.delete && policy.retentionBytes >= 0) deleted += this.applySizeRetention(topic.id, partition, policy.retentionBytes);
    if (policy.compact) deleted += this.compact(topic, partition, now);
    return deleted;
  }

  private applyTimeRetention(topicId: number, partition: number, cutoff: number): number {
    let records = 0;
    let keepFrom: number | undefined;
    for (const [base, count, maxTimestamp] of this.s.metas.iterate(topicId, partition) as IterableIterator<BatchMeta>) {
      if (maxTimestamp >= cutoff) {
        keepFrom = base;
        break;
      }
      records += count;
    }
    return records === 0 ? 0 : this.deleteBefore(topicId, partition, keepFrom, records);
  }

  private applySizeRetention(topicId: number, partition: number, limit: number): number {
    let size = this.s.size.get(topicId, partition) as number;
    if (size <= limit) return 0;
    let records = 0;
    let keepFrom: number | undefined;
    for (const [base, count, , bytes] of this.s.metas.iterate(topicId, partition) as IterableIterator<BatchMeta>) {
      if (size - bytes < limit) {
        keepFrom = base;
        break;
      }
      size -= bytes;
      records += count;
    }
    return records === 0 ? 0 : this.deleteBefore(topicId, partition, keepFrom, records);
  }

  /** Deletes the batches before `keepFrom` (all when undefined) and moves the start offset to it. */
  private deleteBefore(topicId: number, partition: number, keepFrom: number | undefined, records: number): number {
    const [next, start] = this.s.partition.get(topicId, partition) as [number, number, number];
    const newStart = keepFrom ?? next;
    this.s.deleteBefore.run(topicId, partition, newStart);
    if (newStart > start) this.s.setStart.run(newStart, topicId, partition);
    return records;
  }

  private compact(topic: TopicRow, partition: number, now: number): number {
    const { policy } = topic;
    const [next, start, cleaned] = this.s.partition.get(topic.id, partition) as [number, number, number];
    const dirtyStart = Math.max(cleaned, start);
    let end = policy.minCompactionLagMs > 0 ? this.firstNewer(topic.id, partition, dirtyStart, now - policy.minCompactionLagMs) ?? next : next;
    const horizon = now - policy.deleteRetentionMs;
    const dueTombstone = (r: BatchRecord): boolean => r.value === null && r.offset < end && r.timestamp < horizon;

    if (end <= dirtyStart) {
      const bases = this.s.basesWithDueTombstones.all(topic.id, partition, end, horizon) as number[];
      return this.rewrite(topic.id, partition, policy.compress, bases, dueTombstone);
    }
    // The key map of the dirty section: the newest offset of each key.
    const newest = new Map<string, number>();
    mapping: for (const data of this.s.batchesFrom.iterate(topic.id, partition, end, topic.id, partition, dirtyStart, dirtyStart) as IterableIterator<Buffer>) {
      for (const r of decodeBatch(data).records) {
        if (r.offset < dirtyStart || r.key === null) continue;
        if (r.offset >= end) break mapping;
        const key = r.key.toString('latin1');
        if (newest.size >= MAX_MAPPED_KEYS && !newest.has(key)) {
          end = r.offset;
          break mapping;
        }
        newest.set(key, r.offset);
      }
    }
    const superseded = (r: BatchRecord): boolean => r.key !== null && r.offset < end && (newest.get(r.key.toString('latin1')) ?? -1) > r.offset;
    const bases = this.s.basesBefore.all(topic.id, partition, end) as number[];
    const deleted = this.rewrite(topic.id, partition, policy.compress, bases, (r) => superseded(r) || dueTombstone(r));
    this.s.setCleaned.run(end, topic.id, partition);
    return deleted;
  }

  /** Offset of the first record at or after `from` with a timestamp after `cutoff`, if any. */
  private firstNewer(topicId: number, partition: number, from: number, cutoff: number): number | undefined {
    for (const data of this.s.newerFrom.iterate(topicId, partition, cutoff, topicId, partition, from, from) as IterableIterator<Buffer>) {
      for (const r of decodeBatch(data).records) if (r.offset >= from && r.timestamp > cutoff) return r.offset;
    }
    return undefined;
  }

  /** Rewrites the given batches without the records `drop` picks; returns how many it removed. */
  private rewrite(topicId: number, partition: number, compress: boolean, bases: number[], drop: (r: BatchRecord) => boolean): number {
    let removed = 0;
    for (const base of bases) {
      const data = this.s.batch.get(topicId, partition, base) as Buffer;
      const { header, records } = decodeBatch(data);
      const kept = records.filter((r) => !drop(r));
      if (kept.length === records.length) continue;
      removed += records.length - kept.length;
      if (kept.length === 0) {
        this.s.deleteBatch.run(topicId, partition, base);
        continue;
      }
      this.builder.reset(header.baseOffset);
      for (const r of kept) this.builder.append(r.offset, r.timestamp, r.logAppendTime, r.key, r.value, r.headers);
      const batch = this.builder.finish(header.lastOffset);
      this.s.updateBatch.run(batch.lastOffset, batch.count, batch.maxTimestamp, batch.tombstoneTimestamp, compress ? compressBatch(batch.data) : batch.data, topicId, partition, base);
    }
    return removed;
  }
}
