/**
 * Debezium's heartbeat records: `<topic.heartbeat.prefix>.<topic.prefix>` (or topic.heartbeat.name), key
 * `{serverName}` (io.debezium.connector.common.ServerNameKey), value `{ts_ms}`
 * (io.debezium.connector.common.Heartbeat). Their offsets carry the position reached while the
 * captured tables were quiet, so the stored offset, and with it the slot, moves on.
 */
import { SchemaBuilder, Schemas, SourceRecord, Struct, type ParsedConfig, type SourceMap } from '../../runtime/api/index.js';

// Version 1 of each, as Debezium 3.6.1 writes them (bench/debezium).
const KEY_SCHEMA = SchemaBuilder.struct().name('io.debezium.connector.common.ServerNameKey').version(1).field('serverName', Schemas.STRING).build();
const VALUE_SCHEMA = SchemaBuilder.struct().name('io.debezium.connector.common.Heartbeat').version(1).field('ts_ms', Schemas.INT64).build();

/** The heartbeat topic as Debezium's default topic naming makes it. */
export function heartbeatTopic(config: ParsedConfig): string {
  const name = config.getString('topic.heartbeat.name');
  return name ? name : `${config.requireString('topic.heartbeat.prefix')}.${config.requireString('topic.prefix')}`;
}

export function heartbeatRecord(topic: string, topicPrefix: string, partition: SourceMap, offset: SourceMap): SourceRecord {
  return new SourceRecord({
    topic,
    sourcePartition: partition,
    sourceOffset: offset,
    keySchema: KEY_SCHEMA,
    key: new Struct(KEY_SCHEMA).put('serverName', topicPrefix),
    valueSchema: VALUE_SCHEMA,
    value: new Struct(VALUE_SCHEMA).put('ts_ms', Date.now()),
    timestamp: Date.now(),
  });
}
