/**
 * A consumer of the embedded log: assigned or group-subscribed partitions, positions kept in
 * memory, committed offsets in the database. poll() reads batches straight from SQLite, from the
 * one holding the position, and hands out views of their bytes; when nothing
 * is there, waits for an in-process append signal or re-checks every RECHECK_MS for appends made
 * by other processes.
 */
import {
  LogError,
  tpKey,
  parseTpKey,
  type Consumer,
  type ConsumerOptions,
  type LogRecord,
  type RebalanceListener,
  type TopicPartition,
} from '../log.js';
import { closedError, toLogError } from './errors.js';
import type { GroupCoordinator, GroupMember } from './group-coordinator.js';
import { BatchReader } from './batch-codec.js';
import { RECHECK_MS, type Notifier } from './notifier.js';
import type { Store } from './store.js';

export interface ConsumerHost {
  readonly store: Store;
  readonly coordinator: GroupCoordinator;
  readonly notifier: Notifier;
  /** Picks up topics made or grown by other processes (throttled by the host). */
  maybeRefreshMetadata(): void;
  ensureOpen(): void;
  forget(consumer: EmbeddedConsumer): void;
}

export class EmbeddedConsumer implements Consumer {
  private assigned: TopicPartition[] = [];
  private readonly positions = new Map<string, number>();
  private readonly pausedKeys = new Set<string>();
  /** Per partition, the batch the last poll stopped inside (with the id of its topic). */
  private readonly openBatches = new Map<string, { topicId: number; batch: BatchReader }>();
  private member: GroupMember | undefined;
  private listener: RebalanceListener | undefined;
  private manual = false;
  private rotation = 0;
  private wakeRequested = false;
  private closed = false;
  private readonly groupId: string | undefined;
  private readonly clientId: string;
  private readonly autoOffsetReset: 'earliest' | 'latest';
  private readonly maxPollRecords: number;

  constructor(
    private readonly host: ConsumerHost,
    options: ConsumerOptions,
  ) {
    this.groupId = options.groupId;
    this.clientId = options.clientId ?? 'consumer';
    this.autoOffsetReset = options.autoOffsetReset ?? 'earliest';
    this.maxPollRecords = options.maxPollRecords ?? 500;
  }

  async subscribe(topics: string[] | RegExp, listener?: RebalanceListener): Promise<void> {
    this.ensureOpen();
    if (this.groupId === undefined) throw new LogError('subscribe needs a consumer with a groupId', 'INVALID_GROUP_ID', false);
    if (this.manual) throw new LogError('this consumer uses assign(); it cannot also subscribe', 'ILLEGAL_STATE', false);
    this.listener = listener;
    this.host.maybeRefreshMetadata();
    if (this.member) this.host.coordinator.resubscribe(this.member, topics);
    else this.member = this.host.coordinator.join(this.groupId, this.clientId, topics, () => this.host.notifier.notify());
  }

  async assign(partitions: TopicPartition[]): Promise<void> {
    this.ensureOpen();
    if (this.member) throw new LogError('this consumer is subscribed; it cannot also assign', 'ILLEGAL_STATE', false);
    this.manual = true;
    this.setAssignment(partitions);
  }

  assignment(): TopicPartition[] {
    return this.assigned.map((tp) => ({ ...tp }));
  }

  async poll(timeoutMs: number): Promise<LogRecord[]> {
    this.ensureOpen();
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        this.host.maybeRefreshMetadata();
        if (this.member) await this.rebalance();
        if (this.closed || this.consumeWakeup()) return [];
        const records = this.fetch();
        if (records.length > 0) return records;
        const remaining = deadline - Date.now();
        if (remaining <= 0) return [];
        await this.host.notifier.wait(Math.min(remaining, RECHECK_MS));
        if (this.closed || this.consumeWakeup()) return [];
      }
    } catch (err) {
      throw toLogError(err);
    }
  }

  seek(partition: TopicPartition, offset: number): void {
    this.requireAssigned(partition);
    if (!Number.isInteger(offset) || offset < 0) throw new LogError(`cannot seek to offset ${offset}`, 'INVALID_OFFSET', false);
    this.positions.set(tpKey(partition), offset);
  }

  async seekToBeginning(partitions: TopicPartition[]): Promise<void> {
    for (const tp of partitions) this.positions.set(tpKey(this.requireAssigned(tp)), this.boundary(tp, 'earliest'));
  }

  async seekToEnd(partitions: TopicPartition[]): Promise<void> {
    for (const tp of partitions) this.positions.set(tpKey(this.requireAssigned(tp)), this.boundary(tp, 'latest'));
  }

  async position(partition: TopicPartition): Promise<number> {
    this.requireAssigned(partition);
    return this.positionOf(partition);
  }

  pause(partitions: TopicPartition[]): void {
    for (const tp of partitions) this.pausedKeys.add(tpKey(this.requireAssigned(tp)));
  }

  resume(partitions: TopicPartition[]): void {
    for (const tp of partitions) this.pausedKeys.delete(tpKey(tp));
  }

  paused(): TopicPartition[] {
    return [...this.pausedKeys].map(parseTpKey);
  }

  async commit(offsets: Map<string, number>): Promise<void> {
    this.ensureOpen();
    const groupId = this.requireGroup();
    try {
      const store = this.host.store;
      store.write(() => {
        for (const [key, offset] of offsets) {
          const tp = parseTpKey(key);
          store.commit(groupId, tp.topic, tp.partition, offset);
        }
      });
    } catch (err) {
      throw toLogError(err);
    }
  }

  async committed(partitions: TopicPartition[]): Promise<Map<string, number>> {
    this.ensureOpen();
    const groupId = this.requireGroup();
    const result = new Map<string, number>();
    for (const tp of partitions) {
      const offset = this.host.store.committed(groupId, tp.topic, tp.partition);
      if (offset !== undefined) result.set(tpKey(tp), offset);
    }
    return result;
  }

  wakeup(): void {
    this.wakeRequested = true;
    this.host.notifier.notify();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      // As Kafka's consumer does, a member gives its partitions back through the listener on close.
      if (this.member?.holds && this.assigned.length > 0) await this.listener?.onPartitionsRevoked?.(this.assignment());
    } finally {
      this.shutdown();
    }
  }

  /** Closes without calling listeners: used when the whole log closes. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.member) this.host.coordinator.leave(this.member);
    this.member = undefined;
    this.assigned = [];
    this.host.forget(this);
    this.host.notifier.notify();
  }

  private async rebalance(): Promise<void> {
    const coordinator = this.host.coordinator;
    const member = this.member!;
    if (coordinator.mustRevoke(member)) {
      const revoked = this.assignment();
      this.setAssignment([]);
      try {
        if (revoked.length > 0) await this.listener?.onPartitionsRevoked?.(revoked);
      } finally {
        coordinator.revoked(member);
      }
    }
    const pending = coordinator.pendingAssignment(member);
    if (pending) {
      member.generation = pending.generation;
      member.holds = true;
      this.setAssignment(pending.partitions);
      await this.listener?.onPartitionsAssigned?.(this.assignment());
    }
  }

  private setAssignment(partitions: TopicPartition[]): void {
    const keep = new Set(partitions.map(tpKey));
    for (const key of [...this.positions.keys()]) if (!keep.has(key)) this.positions.delete(key);
    for (const key of [...this.pausedKeys]) if (!keep.has(key)) this.pausedKeys.delete(key);
    for (const key of [...this.openBatches.keys()]) if (!keep.has(key)) this.openBatches.delete(key);
    this.assigned = partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition }));
  }

  private fetch(): LogRecord[] {
    const active = this.assigned.filter((tp) => !this.pausedKeys.has(tpKey(tp)));
    if (active.length === 0) return [];
    const store = this.host.store;
    const out: LogRecord[] = [];
    // Start at a different partition each poll so a busy partition cannot starve the others.
    const start = this.rotation++ % active.length;
    for (let i = 0; i < active.length && out.length < this.maxPollRecords; i++) {
      const tp = active[(start + i) % active.length]!;
      // A topic missing from the cache may have just been made by another process.
      const topic = store.cachedTopic(tp.topic) ?? store.readTopic(tp.topic);
      if (!topic || tp.partition >= topic.partitions) continue;
      const key = tpKey(tp);
      const from = this.positionOf(tp);
      const before = out.length;
      // A poll that stopped inside a batch kept it; carry on there without going back to SQLite.
      // (Should the cleaner have rewritten it since, this returns records as they were when read.)
      const open = this.openBatches.get(key);
      this.openBatches.delete(key);
      let next = from;
      if (open && open.topicId === topic.id && open.batch.covers(from)) {
        open.batch.read(tp.topic, tp.partition, from, this.maxPollRecords - out.length, out);
        if (!open.batch.exhausted) this.openBatches.set(key, open);
        next = open.batch.header.lastOffset + 1;
      }
      if (out.length < this.maxPollRecords) {
        for (const data of store.batchesFrom(topic.id, tp.partition, next)) {
          const batch = new BatchReader(data);
          batch.read(tp.topic, tp.partition, next, this.maxPollRecords - out.length, out);
          if (out.length >= this.maxPollRecords) {
            if (!batch.exhausted) this.openBatches.set(key, { topicId: topic.id, batch });
            break;
          }
        }
      }
      if (out.length > before) this.positions.set(key, out[out.length - 1]!.offset + 1);
    }
    return out;
  }

  private positionOf(tp: TopicPartition): number {
    const key = tpKey(tp);
    let position = this.positions.get(key);
    if (position === undefined) {
      const committed = this.groupId === undefined ? undefined : this.host.store.committed(this.groupId, tp.topic, tp.partition);
      position = committed ?? this.boundary(tp, this.autoOffsetReset);
      this.positions.set(key, position);
    }
    return position;
  }

  private boundary(tp: TopicPartition, which: 'earliest' | 'latest'): number {
    const store = this.host.store;
    const topic = store.cachedTopic(tp.topic) ?? store.readTopic(tp.topic);
    if (!topic || tp.partition >= topic.partitions) return 0;
    return which === 'earliest' ? store.earliestOffset(topic.id, tp.partition) : store.nextOffset(topic.id, tp.partition);
  }

  private consumeWakeup(): boolean {
    const requested = this.wakeRequested;
    this.wakeRequested = false;
    return requested;
  }

  private requireAssigned(tp: TopicPartition): TopicPartition {
    const key = tpKey(tp);
    if (!this.assigned.some((a) => tpKey(a) === key)) {
      throw new LogError(`partition ${key} is not assigned to this consumer`, 'ILLEGAL_STATE', false);
    }
    return tp;
  }

  private requireGroup(): string {
    if (this.groupId === undefined) throw new LogError('this consumer has no groupId', 'INVALID_GROUP_ID', false);
    return this.groupId;
  }

  private ensureOpen(): void {
    if (this.closed) throw closedError('consumer');
    this.host.ensureOpen();
  }
}
