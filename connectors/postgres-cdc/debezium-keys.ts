/**
 * Debezium keys tsconnect does not implement, so that none is ignored silently. A key that would
 * change what is written (other topics or fields, other events, another acknowledgement) is an
 * error on that key in validate and on create; one that only tunes how Debezium works is a
 * warning in the task's log. Also Debezium's own rule that an include list and its exclude list
 * are not set together.
 */
import { ConfigError } from '../../runtime/api/index.js';
import { reselectConfig } from './reselect.js';

export interface KeyProblem {
  key: string;
  message: string;
}

const set = (v: string | undefined): boolean => v !== undefined && v.trim() !== '';

/** Keys whose non-default value changes the output: refused. */
const REFUSED: Array<{ key: string; applies(v: string): boolean; why: string }> = [
  { key: 'converters', applies: set, why: 'custom converters are Java classes (io.debezium.spi.converter); tsconnect cannot load them' },
  { key: 'topic.naming.strategy', applies: (v) => set(v) && !/^io\.debezium\.schema\.(Schema|Default)TopicNamingStrategy$/.test(v.trim()), why: 'only the default topic names (<topic.prefix>.<schema>.<table>) are supported' },
  { key: 'topic.delimiter', applies: (v) => v !== '.', why: "only '.' is supported" },
  { key: 'schema.name.adjustment.mode', applies: (v) => v.trim() !== 'none', why: "only 'none' is supported: schema names are not adjusted" },
  { key: 'field.name.adjustment.mode', applies: (v) => v.trim() !== 'none', why: "only 'none' is supported: field names are not adjusted" },
  { key: 'flush.lsn.source', applies: (v) => v.trim().toLowerCase() === 'false', why: 'tsconnect always confirms the slot itself, up to what the worker stored' },
  { key: 'lsn.flush.mode', applies: (v) => v.trim() !== 'connector', why: "only 'connector' is supported: tsconnect confirms the slot up to what the worker stored" },
  { key: 'slot.failover', applies: (v) => v.trim().toLowerCase() === 'true', why: "tsconnect creates ordinary slots; create the failover slot yourself (Postgres 17+: SELECT pg_create_logical_replication_slot('<slot.name>', 'pgoutput', false, false, true)) and leave this key out: an existing slot is used as it is" },
  { key: 'offset.mismatch.strategy', applies: (v) => ['trust_offset', 'trust_slot'].includes(v.trim().toLowerCase()), why: "tsconnect streams from the later of the stored offset and the slot's confirmed position (trust_greater_lsn, which no_validation also gets here) and fails when the slot is missing or lost" },
  { key: 'connection.factory.class', applies: set, why: 'it names a Java class that opens the JDBC connections; tsconnect connects with the database.* keys' },
  { key: 'database.sslfactory', applies: set, why: 'it names a Java SSLSocketFactory class; use database.sslmode, database.sslrootcert, database.sslcert and database.sslkey' },
  { key: 'sourceinfo.struct.maker', applies: (v) => set(v) && !/PostgresSourceInfoStructMaker$/.test(v.trim()), why: "it names a Java class; the source block is Debezium's default" },
  { key: 'transaction.metadata.factory', applies: (v) => set(v) && !/DefaultTransactionMetadataFactory$/.test(v.trim()), why: "it names a Java class; transaction metadata is Debezium's default" },
  { key: 'queue.provider.type', applies: (v) => set(v) && v.trim() !== 'default', why: 'it names a Java queue provider; events wait in tsconnect\'s own in-memory queue' },
  { key: 'signal.enabled.channels', applies: (v) => v.split(',').some((c) => !['', 'source', 'file'].includes(c.trim().toLowerCase())), why: "only the 'source' (signal.data.collection) and 'file' (signal.file) channels are supported: 'kafka' needs the Kafka backend, not in this build, and 'jmx' is Java's" },
];

/** Keys that tune Debezium's internals: accepted, with a warning that they change nothing here. */
const IGNORED: Record<string, string> = {
  'snapshot.locking.mode': 'the snapshot reads the slot\'s exported snapshot and takes no table locks',
  'snapshot.isolation.mode': 'the snapshot reads the slot\'s exported snapshot (REPEATABLE READ)',
  'snapshot.query.mode': 'snapshot queries are SELECT * or snapshot.select.statement.overrides',
  'snapshot.tables.order.by.row.count': 'tables are read in catalog order',
  'notification.enabled.channels': 'notifications are not sent; snapshot progress is in the task\'s REST status',
  'include.schema.comments': 'no comments are put in schemas, as Debezium 3.6.1\'s Postgres connector puts none with it either',
  'xmin.fetch.interval.ms': 'source.xmin stays null',
  'slot.stream.params': 'pgoutput is started with the connector\'s own options',
  'event.processing.failure.handling.mode': 'a value that cannot be converted takes its fallback; events never fail',
  'incremental.snapshot.watermarking.strategy': 'incremental snapshots use insert_insert watermarks',
  'heartbeat.topics.prefix': 'Debezium\'s default topic naming reads topic.heartbeat.prefix, and so does tsconnect',
  'include.schema.changes': 'the Postgres connector has no schema change topic, in Debezium either',
  'table.ignore.builtin': 'system schemas (pg_catalog, information_schema, pg_toast) are never captured',
  'event.converting.failure.handling.mode': 'a value that cannot be converted takes its fallback (include.unknown.datatypes, the type modes)',
  'schema.refresh.mode': 'a table\'s schema is read again with each relation message Postgres sends (after any change to it)',
  'lsn.flush.timeout.ms': 'the slot is confirmed with status updates, which do not wait for an answer',
  'lsn.flush.timeout.action': 'the slot is confirmed with status updates, which do not wait for an answer',
  'connection.validation.timeout.ms': 'connections are checked by use, with connect.timeout.ms',
  'query.fetch.size': 'catalog queries are small; the snapshot uses snapshot.fetch.size',
  'snapshot.lock.timeout.ms': 'the snapshot takes no table locks',
  'snapshot.max.threads.multiplier': 'snapshot.max.threads reads whole tables at once',
  'legacy.snapshot.max.threads': 'snapshot.max.threads reads whole tables at once',
  'incremental.snapshot.allow.schema.changes': 'a chunk is not selected again when its table\'s schema changes',
  'signal.emit.failure.backoff.ms': 'window markers are inserted on a connection reopened with the stream\'s backoff',
  'signal.emit.failure.max.retries': 'window markers are inserted on a connection reopened with the stream\'s backoff',
  'poll.dispatch.interval.ms': 'poll() returns what is queued at once',
  'retriable.restart.connector.wait.ms': 'lost connections are retried in the task with backoff',
  'executor.shutdown.timeout.ms': 'the task stops its connections directly',
  'statistics.metrics.enabled': 'metrics are the worker\'s (/metrics) and the task\'s progress',
  'custom.metric.tags': 'metrics are the worker\'s (/metrics), without JMX tags',
  'topic.cache.size': 'a table\'s topic name is made once, with its schemas',
  'database.query.timeout.ms': 'queries run without a client-side timeout (connect.timeout.ms bounds connecting)',
  'openlineage.integration.enabled': 'tsconnect emits no OpenLineage events',
  'snapshot.locking.mode.custom.name': 'the snapshot takes no table locks',
  'snapshot.query.mode.custom.name': 'snapshot queries are SELECT * or snapshot.select.statement.overrides',
  'notification.sink.topic.name': 'notifications are not sent; snapshot progress is in the task\'s REST status',
};

const EXCLUSIVE: Array<[string, string]> = [
  ['schema.include.list', 'schema.exclude.list'],
  ['table.include.list', 'table.exclude.list'],
  ['column.include.list', 'column.exclude.list'],
  ['message.prefix.include.list', 'message.prefix.exclude.list'],
];

export function debeziumKeyProblems(props: Record<string, string>): KeyProblem[] {
  const problems: KeyProblem[] = [];
  // post.processors: the reselector only (reselect.ts).
  try {
    reselectConfig(props);
  } catch (e) {
    const errors = e instanceof ConfigError && Object.keys(e.errors).length ? e.errors : { 'post.processors': [(e as Error).message] };
    for (const [key, messages] of Object.entries(errors)) for (const message of messages) problems.push({ key, message: `${key}: ${message}` });
  }
  for (const r of REFUSED) {
    const v = props[r.key];
    if (v !== undefined && r.applies(v)) problems.push({ key: r.key, message: `${r.key}=${v} is not supported: ${r.why}` });
  }
  for (const [include, exclude] of EXCLUSIVE) {
    if (set(props[include]) && set(props[exclude])) problems.push({ key: exclude, message: `"${include}" is already specified` });
  }
  return problems;
}

export function debeziumKeyWarnings(props: Record<string, string>): string[] {
  return Object.entries(IGNORED).filter(([key]) => set(props[key])).map(([key, why]) => `${key} is accepted but has no effect in tsconnect: ${why}`);
}
