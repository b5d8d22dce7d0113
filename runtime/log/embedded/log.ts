/**
 * The embedded log: every topic, record and committed offset in one SQLite file (`log.sqlite`)
 * in a directory. See ../README.md for the schema, durability claims and multi-process caveats.
 */
import { resolve } from 'node:path';
import type { Admin, Consumer, ConsumerOptions, Log, Producer, ProducerOptions } from '../log.js';
import { EmbeddedAdmin } from './admin.js';
import { Cleaner, type CleanerResult } from './cleaner.js';
import { EmbeddedConsumer } from './consumer.js';
import { closedError } from './errors.js';
import { GroupCoordinator } from './group-coordinator.js';
import { Notifier } from './notifier.js';
import { EmbeddedProducer, StickyPartitions } from './producer.js';
import { openDatabase, readClusterId, type Db } from './schema.js';
import { Store } from './store.js';

export interface EmbeddedLogOptions {
  /** Create a topic (1 partition, default configs) on its first produce. Default true, as Kafka's auto.create.topics.enable. */
  autoCreateTopics?: boolean;
  /** How often retention and compaction run; 0 turns the timer off (runCleaner() still works). Default 30000. */
  cleanerIntervalMs?: number;
  /** How long a rebalance waits for a member that does not poll. Default 300000, as Kafka's max.poll.interval.ms. */
  rebalanceTimeoutMs?: number;
  /** How often polls re-read topic metadata for topics made or grown by other processes. Default 1000. */
  metadataRefreshMs?: number;
}

export class EmbeddedLog implements Log {
  readonly description: string;
  readonly store: Store;
  readonly coordinator: GroupCoordinator;
  readonly notifier = new Notifier();
  readonly autoCreateTopics: boolean;
  private readonly db: Db;
  private readonly cleaner: Cleaner;
  private readonly cleanerTimer: NodeJS.Timeout | undefined;
  private readonly metadataRefreshMs: number;
  private readonly sticky = new StickyPartitions();
  private readonly consumers = new Set<EmbeddedConsumer>();
  private lastMetadataRefresh = 0;
  private closed = false;
  /** The last error of a timer-driven cleaner pass (the next pass tries again). */
  lastCleanerError: unknown;

  constructor(dir: string, options: EmbeddedLogOptions = {}) {
    this.description = `embedded:${resolve(dir)}`;
    this.db = openDatabase(dir);
    this.store = new Store(this.db);
    this.store.refreshTopics();
    this.lastMetadataRefresh = Date.now();
    this.autoCreateTopics = options.autoCreateTopics ?? true;
    this.metadataRefreshMs = options.metadataRefreshMs ?? 1000;
    this.coordinator = new GroupCoordinator(() => this.store.cachedTopics(), options.rebalanceTimeoutMs ?? 300_000);
    this.cleaner = new Cleaner(this.store);
    const interval = options.cleanerIntervalMs ?? 30_000;
    if (interval > 0) {
      this.cleanerTimer = setInterval(() => {
        try {
          this.cleaner.run();
          this.lastCleanerError = undefined;
        } catch (err) {
          this.lastCleanerError = err;
        }
      }, interval);
      this.cleanerTimer.unref();
    }
  }

  async clusterId(): Promise<string> {
    this.ensureOpen();
    return readClusterId(this.db);
  }

  admin(): Admin {
    this.ensureOpen();
    return new EmbeddedAdmin(this);
  }

  producer(_options?: ProducerOptions): Producer {
    this.ensureOpen();
    return new EmbeddedProducer(this, this.sticky);
  }

  consumer(options: ConsumerOptions = {}): Consumer {
    this.ensureOpen();
    const consumer = new EmbeddedConsumer(this, options);
    this.consumers.add(consumer);
    return consumer;
  }

  /** Runs one retention and compaction pass now. */
  runCleaner(): CleanerResult {
    this.ensureOpen();
    return this.cleaner.run();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const consumer of [...this.consumers]) consumer.shutdown();
    this.closed = true;
    if (this.cleanerTimer) clearInterval(this.cleanerTimer);
    this.notifier.notify();
    this.db.close();
  }

  ensureOpen(): void {
    if (this.closed) throw closedError('log');
  }

  appended(_topics: Set<string>, createdTopic: boolean): void {
    if (createdTopic) this.metadataChanged();
    this.notifier.notify();
  }

  metadataChanged(): void {
    this.store.refreshTopics();
    this.lastMetadataRefresh = Date.now();
    this.coordinator.metadataChanged();
  }

  maybeRefreshMetadata(): void {
    if (Date.now() - this.lastMetadataRefresh >= this.metadataRefreshMs) this.metadataChanged();
    else this.coordinator.metadataChanged();
  }

  forget(consumer: EmbeddedConsumer): void {
    this.consumers.delete(consumer);
  }
}

export function openEmbeddedLog(dir: string, options?: EmbeddedLogOptions): EmbeddedLog {
  return new EmbeddedLog(dir, options);
}
