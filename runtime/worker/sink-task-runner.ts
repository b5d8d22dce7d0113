/**
 * Runs a SinkTask: consumer (group connect-<name>) -> converters -> transforms -> put, and commits
 * consumer offsets only for what `preCommit` says is durable. A retriable error from put pauses the
 * partitions and delivers the same batch again after the task's timeout; any other error fails
 * the task with nothing of the failed batch committed.
 */
import { isRetriable } from '../api/errors.js';
import { ConnectHeaders } from '../api/headers.js';
import { SinkRecord } from '../api/records.js';
import type { SinkTask } from '../api/task.js';
import { tpKey, type Consumer, type LogRecord, type TopicPartition } from '../log/log.js';
import type { ConnectorTaskId, TargetState } from '../herder/herder.js';
import type { DeadLetterQueue } from './dead-letter-queue.js';
import { ErrorHandler, SKIP, sleep, type ErrorSettings } from './error-handler.js';
import type { TaskConverters } from './task-converters.js';
import type { TaskMetrics } from './task-metrics.js';
import type { RecordTransformer } from './transformer.js';
import { WorkerTask, type TaskStatusListener } from './worker-task.js';

export interface SinkRunnerDeps {
  task: SinkTask;
  taskConfig: Record<string, string>;
  converters: TaskConverters;
  transformer: RecordTransformer;
  consumer: Consumer;
  topics: string[] | RegExp;
  dlq: DeadLetterQueue | null;
  errors: ErrorSettings;
  metrics: TaskMetrics;
  offsetFlushIntervalMs: number;
}

const POLL_TIMEOUT_MS = 500;

export class SinkTaskRunner extends WorkerTask {
  private readonly handler: ErrorHandler;
  /** Next offset to read per partition, for everything delivered to put (or skipped). */
  private readonly currentOffsets = new Map<string, number>();
  private assigned: TopicPartition[] = [];
  private commitRequested = false;
  private lastCommit = Date.now();
  private retryTimeoutMs = -1;
  /** The record being handled, for the dead letter queue. */
  private current: LogRecord | null = null;
  private readonly seenTopics = new Set<string>();
  /** Partitions the task itself paused through its context; a connector resume leaves them paused. */
  private readonly pausedByTask = new Set<string>();
  private pausedForTargetState = false;

  constructor(id: ConnectorTaskId, listener: TaskStatusListener, initialState: TargetState, private readonly deps: SinkRunnerDeps) {
    super(id, listener, initialState, deps.metrics);
    this.handler = new ErrorHandler(deps.errors, this.log, async (ctx) => {
      deps.metrics.recordsSkipped++;
      if (deps.dlq && this.current) {
        await deps.dlq.report(this.current, ctx.stage, ctx.error, deps.task.constructor.name);
        deps.metrics.dlqProduced++;
      }
    }, () => this.stopping);
  }

  protected async initialize(): Promise<void> {
    const { task, consumer } = this.deps;
    task.initialize({
      configs: () => this.deps.taskConfig,
      offset: (offsets) => {
        for (const [k, off] of offsets) {
          const at = k.lastIndexOf(':');
          consumer.seek({ topic: k.slice(0, at), partition: Number(k.slice(at + 1)) }, off);
          this.currentOffsets.set(k, off);
        }
      },
      timeout: (ms) => {
        this.retryTimeoutMs = ms;
      },
      assignment: () => [...this.assigned],
      pause: (tps) => {
        for (const tp of tps) this.pausedByTask.add(tpKey(tp));
        consumer.pause(tps);
      },
      resume: (tps) => {
        for (const tp of tps) this.pausedByTask.delete(tpKey(tp));
        if (!this.isPaused) consumer.resume(tps);
      },
      requestCommit: () => {
        this.commitRequested = true;
      },
      errantRecordReporter: () =>
        this.deps.errors.toleranceAll
          ? async (record, error) => {
              const raw = this.rawOf(record as SinkRecord);
              if (this.deps.dlq && raw) await this.deps.dlq.report(raw, 'TASK_PUT', error, task.constructor.name);
              this.deps.metrics.recordsSkipped++;
            }
          : null,
      reportProgress: (progress) => this.reportProgress(progress),
    });
    await task.start(this.deps.taskConfig);
    await consumer.subscribe(this.deps.topics, {
      onPartitionsAssigned: async (tps) => {
        this.assigned.push(...tps);
        for (const tp of tps) {
          if (!this.seenTopics.has(tp.topic)) {
            this.seenTopics.add(tp.topic);
            this.listener.onTopic(this.id, tp.topic);
          }
          this.currentOffsets.set(tpKey(tp), await consumer.position(tp));
        }
        await task.open(tps);
      },
      onPartitionsRevoked: async (tps) => {
        await this.commit(tps);
        await task.close(tps);
        const gone = new Set(tps.map(tpKey));
        this.assigned = this.assigned.filter((tp) => !gone.has(tpKey(tp)));
        for (const k of gone) this.currentOffsets.delete(k);
      },
    });
    this.deps.metrics.status = 'running';
  }

  /** The last batch's raw records, kept so an errant record can go to the DLQ as it was read. */
  private batchRaw = new Map<string, LogRecord>();

  private rawOf(record: SinkRecord): LogRecord | null {
    return this.batchRaw.get(`${record.originalTopic}:${record.originalKafkaPartition}:${record.originalKafkaOffset}`) ?? null;
  }

  protected async execute(): Promise<void> {
    const { consumer } = this.deps;
    while (!this.stopping) {
      // A paused connector keeps polling with every partition paused, as Kafka Connect does, so the
      // consumer stays in its group and rebalances still reach the task.
      if (this.isPaused) {
        consumer.pause(this.assigned);
        this.pausedForTargetState = true;
      } else if (this.pausedForTargetState) {
        consumer.resume(this.assigned.filter((tp) => !this.pausedByTask.has(tpKey(tp))));
        this.pausedForTargetState = false;
      }
      const raw = await consumer.poll(Math.min(POLL_TIMEOUT_MS, this.deps.offsetFlushIntervalMs));
      if (raw.length > 0) {
        this.deps.metrics.readTotal += raw.length;
        const batch = await this.convert(raw);
        await this.deliver(batch, raw);
      }
      if (this.commitRequested || Date.now() - this.lastCommit >= this.deps.offsetFlushIntervalMs) await this.commit(this.assigned);
    }
  }

  private async convert(raw: LogRecord[]): Promise<SinkRecord[]> {
    const { converters, transformer } = this.deps;
    const out: SinkRecord[] = [];
    this.batchRaw.clear();
    for (const r of raw) {
      this.current = r;
      const describe = () => `topic '${r.topic}' partition ${r.partition} offset ${r.offset}`;
      let key = this.handler.runSync('KEY_CONVERTER', () => converters.key.toConnectData(r.topic, null, r.key), describe);
      if (key instanceof Promise) key = await key;
      let value = key === SKIP ? SKIP : this.handler.runSync('VALUE_CONVERTER', () => converters.value.toConnectData(r.topic, null, r.value), describe);
      if (value instanceof Promise) value = await value;
      let headers = value === SKIP ? SKIP : this.handler.runSync('HEADER_CONVERTER', () => toConnectHeaders(converters, r), describe);
      if (headers instanceof Promise) headers = await headers;
      if (key === SKIP || value === SKIP || headers === SKIP) {
        this.deps.metrics.recordErrors++;
        continue;
      }
      const record = new SinkRecord({
        topic: r.topic,
        kafkaPartition: r.partition,
        kafkaOffset: r.offset,
        keySchema: key.schema,
        key: key.value,
        valueSchema: value.schema,
        value: value.value,
        timestamp: r.timestamp,
        timestampType: r.timestampType,
        headers,
      });
      let t = this.handler.runSync('TRANSFORMATION', () => transformer.apply(record), describe);
      if (t instanceof Promise) t = await t;
      if (t === SKIP || t === null) continue;
      this.batchRaw.set(`${r.topic}:${r.partition}:${r.offset}`, r);
      out.push(t);
    }
    this.current = null;
    return out;
  }

  private async deliver(batch: SinkRecord[], raw: LogRecord[]): Promise<void> {
    const { task, consumer, metrics } = this.deps;
    for (;;) {
      const started = Date.now();
      try {
        if (batch.length > 0) await task.put(batch);
        metrics.putBatchTime.record(Date.now() - started);
        metrics.batchSize.record(batch.length);
        metrics.sendTotal += batch.length;
        break;
      } catch (e) {
        if (!isRetriable(e) || this.stopping) throw e;
        this.log.warn(`[${this.label}] retriable error from put; pausing and delivering the same ${batch.length} records again`, e);
        consumer.pause(this.assigned);
        await sleep(this.retryTimeoutMs >= 0 ? this.retryTimeoutMs : 0);
        this.retryTimeoutMs = -1;
        if (!this.isPaused) consumer.resume(this.assigned.filter((tp) => !this.pausedByTask.has(tpKey(tp))));
      }
    }
    // Offsets move over every record read, delivered or skipped: all of them are dealt with.
    for (const r of raw) this.currentOffsets.set(tpKey(r), r.offset + 1);
  }

  private async commit(partitions: TopicPartition[]): Promise<void> {
    this.commitRequested = false;
    this.lastCommit = Date.now();
    if (partitions.length === 0) return;
    const keys = new Set(partitions.map(tpKey));
    const current = new Map([...this.currentOffsets].filter(([k]) => keys.has(k)));
    const started = Date.now();
    try {
      const safe = await this.deps.task.preCommit(current);
      const toCommit = new Map([...safe].filter(([k]) => keys.has(k)));
      if (toCommit.size > 0) await this.deps.consumer.commit(toCommit);
      this.deps.metrics.offsetCommitSuccess++;
      this.deps.metrics.offsetCommitTime.record(Date.now() - started);
    } catch (e) {
      this.deps.metrics.offsetCommitFailure++;
      this.log.error(`[${this.label}] offset commit failed; offsets will be committed at the next interval`, e);
    }
  }

  protected wakeup(): void {
    this.deps.consumer.wakeup();
  }

  protected override onPausing(): void {
    this.deps.consumer.wakeup();
  }

  protected async close(): Promise<void> {
    const { task, consumer, metrics, transformer } = this.deps;
    try {
      if (this.assigned.length > 0) {
        await this.commit(this.assigned);
        await task.close(this.assigned);
      }
      await task.stop();
    } finally {
      await consumer.close();
      metrics.status = 'unassigned';
      metrics.close();
      transformer.close();
    }
  }
}

function toConnectHeaders(converters: TaskConverters, r: LogRecord): ConnectHeaders {
  const headers = new ConnectHeaders();
  for (const h of r.headers) {
    const sv = converters.header.toConnectHeader(r.topic, h.key, h.value);
    headers.add(h.key, sv.value, sv.schema);
  }
  return headers;
}
