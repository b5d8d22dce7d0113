/**
 * Runs a SourceTask: poll -> transforms -> converters -> log, then commitRecord on acknowledgement.
 * Offsets: each acknowledged batch's latest offset per source partition is merged into `pending`;
 * every offset.flush.interval.ms the pending offsets are written to the offset store and then
 * `task.commit()` is called. A record's offset is never stored before the log acknowledged it (and
 * every record before it), because a batch is merged only after its send resolved.
 */
import { isRetriable } from '../api/errors.js';
import type { SourceMap, SourceRecord } from '../api/records.js';
import type { SourceTask } from '../api/task.js';
import type { Admin, NewTopic, ProduceRecord, Producer, RecordMetadata } from '../log/log.js';
import { canonical, type OffsetStore } from '../stores/offset-store.js';
import { ErrorHandler, SKIP, sleep, type ErrorSettings } from './error-handler.js';
import type { TaskConverters } from './task-converters.js';
import type { TaskMetrics } from './task-metrics.js';
import { WorkerTask, type TaskStatusListener } from './worker-task.js';
import type { TopicCreation } from './topic-creation.js';
import type { ConnectorTaskId, TargetState } from '../herder/herder.js';
import type { RecordTransformer } from './transformer.js';

export interface SourceRunnerDeps {
  task: SourceTask;
  taskConfig: Record<string, string>;
  converters: TaskConverters;
  transformer: RecordTransformer;
  producer: Producer;
  admin: Admin;
  offsetStore: OffsetStore;
  errors: ErrorSettings;
  metrics: TaskMetrics;
  offsetFlushIntervalMs: number;
  /** The connector's topic.creation.* groups; null when it creates no topics. */
  topicCreation: TopicCreation | null;
}

const MAX_SEND_BACKOFF_MS = 10_000;
/**
 * Converted records go to the log in sends of about this many bytes rather than one send per poll:
 * a poll of 2048 CDC events with schemas is 5-10 MB of JSON, and holding all of it converted (plus
 * the batch being built from it) set the worker's peak memory. As Kafka's producer bounds a request.
 */
const SEND_CHUNK_BYTES = 1024 * 1024;

export class SourceTaskRunner extends WorkerTask {
  private readonly handler: ErrorHandler;
  /** canonical partition -> [partition, offset], acknowledged but not yet stored. */
  private pending = new Map<string, [SourceMap, SourceMap]>();
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly knownTopics = new Set<string>();
  private taskStopped: Promise<void> | null = null;

  constructor(id: ConnectorTaskId, listener: TaskStatusListener, initialState: TargetState, private readonly deps: SourceRunnerDeps) {
    super(id, listener, initialState, deps.metrics);
    this.handler = new ErrorHandler(deps.errors, this.log, async () => {
      deps.metrics.recordsSkipped++;
    }, () => this.stopping);
  }

  protected async initialize(): Promise<void> {
    const { task, offsetStore } = this.deps;
    const connector = this.id.connector;
    task.initialize({
      configs: () => this.deps.taskConfig,
      offsetStorageReader: {
        offset: async (partition) => offsetStore.get(connector, partition),
        offsets: async (partitions) => new Map(partitions.map((p) => [p, offsetStore.get(connector, p)])),
      },
      errantRecordReporter: () => null,
      reportProgress: (progress) => this.reportProgress(progress),
    });
    await task.start(this.deps.taskConfig);
    this.deps.metrics.status = 'running';
    this.flushTimer = setInterval(() => void this.flushOffsets(), this.deps.offsetFlushIntervalMs);
  }

  protected async execute(): Promise<void> {
    const { task, metrics } = this.deps;
    while (await this.awaitRunnable()) {
      const started = Date.now();
      let batch: SourceRecord[] | null;
      try {
        batch = await task.poll();
      } catch (e) {
        if (!isRetriable(e)) throw e;
        this.log.warn(`[${this.label}] retriable error from poll; polling again`, e);
        await sleep(100);
        continue;
      }
      if (!batch || batch.length === 0) continue;
      // A batch polled just before a pause waits for the resume: nothing is written while PAUSED.
      if (this.isPaused && !(await this.awaitRunnable())) return;
      metrics.pollBatchTime.record(Date.now() - started);
      metrics.batchSize.record(batch.length);
      metrics.pollTotal += batch.length;
      await this.sendBatch(batch);
    }
  }

  private async sendBatch(batch: SourceRecord[]): Promise<void> {
    const { converters, transformer, metrics } = this.deps;
    let out: ProduceRecord[] = [];
    let outBytes = 0;
    const metadata: RecordMetadata[] = [];
    const sent: SourceRecord[] = [];
    const dropped: SourceRecord[] = [];
    for (const record of batch) {
      const describe = () => `topic '${record.topic}' source partition ${JSON.stringify(record.sourcePartition)} offset ${JSON.stringify(record.sourceOffset)}`;
      let r = this.handler.runSync('TRANSFORMATION', () => transformer.apply(record), describe);
      if (r instanceof Promise) r = await r;
      if (r === SKIP || r === null) {
        dropped.push(record);
        continue;
      }
      const rec = r;
      let key: Uint8Array | null;
      let value: Uint8Array | null;
      let headers: ProduceRecord['headers'];
      try {
        // Converters are pure: the three stages run bare, and only a record that fails one runs
        // them again through the error handler (retries, logging, tolerance, per stage). Three
        // closures and handler calls a record were ~3% of a CDC change's main-thread time.
        key = converters.key.fromConnectData(rec.topic, rec.headers, rec.keySchema, rec.key);
        value = converters.value.fromConnectData(rec.topic, rec.headers, rec.valueSchema, rec.value);
        headers = convertHeaders(converters, rec);
      } catch {
        const converted = await this.convertHandled(rec, describe);
        if (converted === SKIP) {
          metrics.recordErrors++;
          dropped.push(record);
          continue;
        }
        ({ key, value, headers } = converted);
      }
      if (!this.knownTopics.has(rec.topic)) await this.prepareTopic(rec.topic);
      out.push({
        topic: rec.topic,
        partition: rec.kafkaPartition ?? undefined,
        key,
        value,
        headers,
        timestamp: rec.timestamp ?? undefined,
      });
      outBytes += (key?.length ?? 0) + (value?.length ?? 0);
      sent.push(record);
      if (outBytes >= SEND_CHUNK_BYTES) {
        const written = await this.produce(out);
        if (written === null) return; // stopping: nothing of this batch is acknowledged, so no offset moves
        metadata.push(...written);
        out = [];
        outBytes = 0;
      }
    }
    if (out.length > 0) {
      const written = await this.produce(out);
      if (written === null) return;
      metadata.push(...written);
    }
    metrics.writeTotal += metadata.length;
    // A dropped record's offset may be committed only once everything polled with it is acknowledged.
    this.track(batch);
    // Awaited only when the task returns a promise: an await per record cost a microtask each.
    const { task } = this.deps;
    for (let i = 0; i < sent.length; i++) {
      const done = task.commitRecord(sent[i]!, metadata[i]!);
      if (isThenable(done)) await done;
    }
    for (const record of dropped) {
      const done = task.commitRecord(record, null);
      if (isThenable(done)) await done;
    }
  }

  /** The converter stages through the error handler, for a record whose bare conversion threw. */
  private async convertHandled(rec: SourceRecord, describe: () => string) {
    const { converters } = this.deps;
    const key = await this.handler.runSync('KEY_CONVERTER', () => converters.key.fromConnectData(rec.topic, rec.headers, rec.keySchema, rec.key), describe);
    if (key === SKIP) return SKIP;
    const value = await this.handler.runSync('VALUE_CONVERTER', () => converters.value.fromConnectData(rec.topic, rec.headers, rec.valueSchema, rec.value), describe);
    if (value === SKIP) return SKIP;
    const headers = await this.handler.runSync('HEADER_CONVERTER', () => convertHeaders(converters, rec), describe);
    if (headers === SKIP) return SKIP;
    return { key, value, headers };
  }

  /** Sends with retries while the log is unavailable; resolves null if the task stops first. */
  private async produce(records: ProduceRecord[]) {
    let backoff = 100;
    for (;;) {
      try {
        return await this.deps.producer.send(records);
      } catch (e) {
        if (!isRetriable(e)) throw e;
        if (this.stopping) return null;
        this.log.warn(`[${this.label}] failed to send ${records.length} records; retrying in ${backoff} ms`, e);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_SEND_BACKOFF_MS);
      }
    }
  }

  private async prepareTopic(topic: string): Promise<void> {
    const { admin, topicCreation } = this.deps;
    if (topicCreation && !(await admin.describeTopic(topic))) {
      const { group, topic: newTopic } = topicCreation.newTopic(topic);
      // false: another writer created it meanwhile, with its own settings (as Kafka Connect, no error).
      if (await admin.createTopic(newTopic)) this.log.info(`[${this.label}] created topic '${topic}' using creation group ${group} (${describeNewTopic(newTopic)})`);
    }
    this.knownTopics.add(topic);
    this.listener.onTopic(this.id, topic);
  }

  /** Keeps the last offset of each source partition in the batch. */
  private track(batch: SourceRecord[]): void {
    // Walk backwards so the first hit per partition is its latest offset. Connectors usually share
    // one partition object across a batch, so each object is canonicalised once.
    const seenObjects = new Set<object>();
    const seenKeys = new Set<string>();
    for (let i = batch.length - 1; i >= 0; i--) {
      const { sourcePartition, sourceOffset } = batch[i]!;
      if (!sourcePartition || !sourceOffset || seenObjects.has(sourcePartition)) continue;
      seenObjects.add(sourcePartition);
      const key = canonical(sourcePartition);
      if (seenKeys.has(key)) continue;
      seenKeys.add(key);
      this.pending.set(key, [sourcePartition, sourceOffset]);
    }
  }

  /** Stores the acknowledged offsets and tells the task; one flush at a time. */
  flushOffsets(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.size === 0) {
      // As Kafka Connect does, commit() is called even with nothing new to store: a task that
      // acknowledges upstream on commit (a replication slot on an idle database) relies on it.
      this.flushing = this.commitTask().finally(() => {
        this.flushing = null;
      });
      return this.flushing;
    }
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const started = Date.now();
    this.flushing = (async () => {
      try {
        await this.deps.offsetStore.write(this.id.connector, batch);
        this.deps.metrics.offsetCommitSuccess++;
        this.deps.metrics.offsetCommitTime.record(Date.now() - started);
        await this.deps.task.commit();
      } catch (e) {
        this.deps.metrics.offsetCommitFailure++;
        // Put them back unless newer offsets for the same partition arrived meanwhile.
        for (const [p, o] of batch) if (!this.pending.has(canonical(p))) this.pending.set(canonical(p), [p, o]);
        this.log.error(`[${this.label}] offset commit failed; will retry at the next flush`, e);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  private async commitTask(): Promise<void> {
    try {
      await this.deps.task.commit();
    } catch (e) {
      this.log.error(`[${this.label}] task commit failed`, e);
    }
  }

  /** SourceTask.stop() is how a pending poll is told to return, so it is called as soon as stop is asked. */
  protected wakeup(): void {
    void this.stopTask().catch((e: unknown) => this.log.warn(`[${this.label}] error from task stop`, e));
  }

  private stopTask(): Promise<void> {
    this.taskStopped ??= Promise.resolve(this.deps.task.stop());
    return this.taskStopped;
  }

  protected async close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    try {
      await this.stopTask();
    } finally {
      await this.flushOffsets();
      await this.flushOffsets();
      this.deps.metrics.status = 'unassigned';
      this.deps.metrics.close();
      this.deps.transformer.close();
    }
  }
}

function convertHeaders(converters: TaskConverters, rec: SourceRecord) {
  if (rec.headers.size === 0) return [];
  const out: Array<{ key: string; value: Uint8Array | null }> = [];
  for (const h of rec.headers) out.push({ key: h.key, value: converters.header.fromConnectHeader(rec.topic, h.key, h.schema, h.value) });
  return out;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';
}

function describeNewTopic(t: NewTopic): string {
  const parts = [`partitions=${t.partitions ?? 'default'}`, `replication.factor=${t.replicationFactor ?? 'default'}`];
  for (const [k, v] of Object.entries(t.configs ?? {})) parts.push(`${k}=${v}`);
  return parts.join(', ');
}
