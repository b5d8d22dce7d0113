/**
 * A compacted topic read into memory: the building block of the config, offset and status stores
 * (Kafka calls it KafkaBasedLog). `start()` creates the topic if needed and reads it to the end;
 * `write()` resolves once the log has acknowledged the record and the in-memory view has it.
 *
 * In standalone mode this process is the only writer, so the view is kept up to date by its own
 * writes. `refresh()` reads what others appended (the distributed herder will call it).
 */
import type { Consumer, Log, Producer, TopicPartition } from '../log/log.js';

export interface CompactedTopicOptions {
  topic: string;
  partitions: number;
  replicationFactor?: number;
  /** Called for every record read or written, in log order, with the decoded key. */
  onRecord?: (key: string, value: Uint8Array | null) => void;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class CompactedTopic {
  private producer: Producer | null = null;
  private consumer: Consumer | null = null;
  private partitions: TopicPartition[] = [];

  constructor(
    private readonly log: Log,
    readonly options: CompactedTopicOptions,
  ) {}

  async start(): Promise<void> {
    const admin = this.log.admin();
    const existing = await admin.describeTopic(this.options.topic);
    if (!existing) {
      await admin.createTopic({
        name: this.options.topic,
        partitions: this.options.partitions,
        replicationFactor: this.options.replicationFactor ?? 1,
        configs: { 'cleanup.policy': 'compact' },
      });
    } else if (!existing.configs['cleanup.policy']?.includes('compact')) {
      // Kafka Connect refuses to run on a non-compacted internal topic: old configs would expire.
      throw new Error(`internal topic '${this.options.topic}' must have cleanup.policy=compact, it has '${existing.configs['cleanup.policy'] ?? 'delete'}'`);
    }
    const described = existing ?? (await admin.describeTopic(this.options.topic));
    const count = described?.partitions ?? this.options.partitions;
    this.partitions = Array.from({ length: count }, (_, partition) => ({ topic: this.options.topic, partition }));
    this.producer = this.log.producer({ clientId: `tsconnect-${this.options.topic}` });
    this.consumer = this.log.consumer({ clientId: `tsconnect-${this.options.topic}-reader`, maxPollRecords: 5000 });
    await this.consumer.assign(this.partitions);
    await this.consumer.seekToBeginning(this.partitions);
    await this.refresh();
  }

  /** Reads every record appended since the last read, up to the current end of each partition. */
  async refresh(): Promise<void> {
    const consumer = this.mustConsumer();
    const ends = new Map((await this.log.admin().offsets(this.options.topic)).map((o) => [o.partition, o.latest]));
    for (;;) {
      let behind = false;
      for (const tp of this.partitions) if ((await consumer.position(tp)) < (ends.get(tp.partition) ?? 0)) behind = true;
      if (!behind) return;
      const records = await consumer.poll(200);
      for (const r of records) this.options.onRecord?.(r.key ? decoder.decode(r.key) : '', r.value);
    }
  }

  /** Appends and waits for the acknowledgement; the record is then applied to the view. */
  async write(key: string, value: unknown, partition?: number): Promise<void> {
    await this.writeMany([{ key, value, partition }]);
  }

  /** Appends several records in one batch (one acknowledgement), in order. */
  async writeMany(entries: Array<{ key: string; value: unknown; partition?: number }>): Promise<void> {
    if (entries.length === 0) return;
    const producer = this.mustProducer();
    const records = entries.map((e) => ({
      topic: this.options.topic,
      partition: e.partition,
      key: encoder.encode(e.key),
      value: e.value === null ? null : encoder.encode(JSON.stringify(e.value)),
    }));
    await producer.send(records);
    // Our own writes are applied by reading them back, so the view always follows log order.
    await this.refresh();
  }

  async stop(): Promise<void> {
    await this.producer?.close();
    await this.consumer?.close();
    this.producer = null;
    this.consumer = null;
  }

  private mustProducer(): Producer {
    if (!this.producer) throw new Error(`store on '${this.options.topic}' is not started`);
    return this.producer;
  }

  private mustConsumer(): Consumer {
    if (!this.consumer) throw new Error(`store on '${this.options.topic}' is not started`);
    return this.consumer;
  }
}

/** A store whose state is a compacted topic read into memory; subclasses apply each record. */
export abstract class TopicBackedStore {
  protected readonly topic: CompactedTopic;

  constructor(log: Log, topic: string, partitions: number) {
    this.topic = new CompactedTopic(log, { topic, partitions, onRecord: (k, v) => this.apply(k, v) });
  }

  start(): Promise<void> {
    return this.topic.start();
  }

  stop(): Promise<void> {
    return this.topic.stop();
  }

  protected abstract apply(key: string, value: Uint8Array | null): void;
}

/** Parses a JSON record value; a value that is not JSON is reported and skipped rather than crash startup. */
export function parseJsonValue(value: Uint8Array | null, where: string, onBad: (msg: string) => void): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(decoder.decode(value));
  } catch (e) {
    onBad(`${where}: value is not JSON (${(e as Error).message}); skipped`);
    return undefined;
  }
}
