/** Records as connectors and transforms see them, shaped like Kafka Connect's. */
import type { Schema } from '../data/schema.js';
import { ConnectHeaders } from './headers.js';

export type RecordTimestampType = 'NoTimestampType' | 'CreateTime' | 'LogAppendTime';

/** A source partition or offset: a small JSON object the connector defines, e.g. `{ filename: 'a.txt' }`. */
export type SourceMap = Record<string, unknown>;

export interface ConnectRecordFields {
  topic: string;
  kafkaPartition?: number | null;
  keySchema?: Schema | null;
  key?: unknown;
  valueSchema?: Schema | null;
  value?: unknown;
  timestamp?: number | null;
  headers?: ConnectHeaders;
}

/** What every record has. Transforms return new records through `newRecord`, never edit in place. */
export abstract class ConnectRecord<R extends ConnectRecord<R>> {
  readonly topic: string;
  readonly kafkaPartition: number | null;
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  readonly timestamp: number | null;
  readonly headers: ConnectHeaders;

  constructor(fields: ConnectRecordFields) {
    this.topic = fields.topic;
    this.kafkaPartition = fields.kafkaPartition ?? null;
    this.keySchema = fields.keySchema ?? null;
    this.key = fields.key ?? null;
    this.valueSchema = fields.valueSchema ?? null;
    this.value = fields.value ?? null;
    this.timestamp = fields.timestamp ?? null;
    this.headers = fields.headers ?? new ConnectHeaders();
  }

  /** A copy with the given fields replaced; everything not named is kept (headers are copied). */
  abstract newRecord(changes: Partial<ConnectRecordFields>): R;
}

export interface SourceRecordFields extends ConnectRecordFields {
  sourcePartition?: SourceMap | null;
  sourceOffset?: SourceMap | null;
}

export class SourceRecord extends ConnectRecord<SourceRecord> {
  readonly sourcePartition: SourceMap | null;
  readonly sourceOffset: SourceMap | null;

  constructor(fields: SourceRecordFields) {
    super(fields);
    this.sourcePartition = fields.sourcePartition ?? null;
    this.sourceOffset = fields.sourceOffset ?? null;
  }

  newRecord(changes: Partial<SourceRecordFields>): SourceRecord {
    return new SourceRecord({ ...this.fields(), ...changes, headers: changes.headers ?? this.headers.duplicate() });
  }

  private fields(): SourceRecordFields {
    return {
      topic: this.topic, kafkaPartition: this.kafkaPartition, keySchema: this.keySchema, key: this.key,
      valueSchema: this.valueSchema, value: this.value, timestamp: this.timestamp,
      sourcePartition: this.sourcePartition, sourceOffset: this.sourceOffset,
    };
  }
}

export interface SinkRecordFields extends ConnectRecordFields {
  kafkaPartition: number;
  kafkaOffset: number;
  timestampType?: RecordTimestampType;
  /** Where the record was read from, before transforms renamed the topic or partition. */
  originalTopic?: string;
  originalKafkaPartition?: number;
  originalKafkaOffset?: number;
}

export class SinkRecord extends ConnectRecord<SinkRecord> {
  override readonly kafkaPartition: number;
  readonly kafkaOffset: number;
  readonly timestampType: RecordTimestampType;
  readonly originalTopic: string;
  readonly originalKafkaPartition: number;
  readonly originalKafkaOffset: number;

  constructor(fields: SinkRecordFields) {
    super(fields);
    this.kafkaPartition = fields.kafkaPartition;
    this.kafkaOffset = fields.kafkaOffset;
    this.timestampType = fields.timestampType ?? 'NoTimestampType';
    this.originalTopic = fields.originalTopic ?? fields.topic;
    this.originalKafkaPartition = fields.originalKafkaPartition ?? fields.kafkaPartition;
    this.originalKafkaOffset = fields.originalKafkaOffset ?? fields.kafkaOffset;
  }

  newRecord(changes: Partial<SinkRecordFields>): SinkRecord {
    return new SinkRecord({
      topic: this.topic, kafkaPartition: this.kafkaPartition, keySchema: this.keySchema, key: this.key,
      valueSchema: this.valueSchema, value: this.value, timestamp: this.timestamp,
      kafkaOffset: this.kafkaOffset, timestampType: this.timestampType,
      originalTopic: this.originalTopic, originalKafkaPartition: this.originalKafkaPartition,
      originalKafkaOffset: this.originalKafkaOffset,
      ...changes,
      headers: changes.headers ?? this.headers.duplicate(),
    });
  }
}

/** Either kind of record: what transforms and predicates take. */
export type AnyRecord = SourceRecord | SinkRecord;
