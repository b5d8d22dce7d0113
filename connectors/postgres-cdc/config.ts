/** Config keys of the Postgres CDC connector: Debezium's names, defaults and values. */
import { ConfigError, ConfigSpec, Validators, type ParsedConfig } from '../../runtime/api/index.js';
import { SNAPSHOT_MODES } from './snapshot/snapshot-policy.js';

const G_CONN = 'Postgres';
const G_CAPTURE = 'Capture';
const G_SNAP = 'Snapshot';
const G_EVENTS = 'Events';
const G_RUN = 'Connector';

export function postgresConfigSpec(): ConfigSpec {
  return new ConfigSpec()
    .define({ name: 'topic.prefix', type: 'string', importance: 'high', validator: topicName(), doc: 'Prefix of every topic name: <prefix>.<schema>.<table>. Also the source partition (server) of the offsets.', group: G_CONN })
    .define({ name: 'database.hostname', type: 'string', importance: 'high', doc: 'Host of the Postgres server.', group: G_CONN })
    .define({ name: 'database.port', type: 'int', default: 5432, validator: Validators.between(1, 65535), importance: 'high', doc: 'Port of the Postgres server.', group: G_CONN })
    .define({ name: 'database.user', type: 'string', importance: 'high', doc: 'User with the REPLICATION attribute (and SELECT on captured tables).', group: G_CONN })
    .define({ name: 'database.password', type: 'password', default: null, importance: 'high', doc: 'Password of database.user.', group: G_CONN })
    .define({ name: 'database.dbname', type: 'string', importance: 'high', doc: 'Database to capture.', group: G_CONN })
    .define({ name: 'database.sslmode', type: 'string', default: 'prefer', validator: Validators.oneOf('disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'), importance: 'medium', doc: 'Whether to use TLS to the server.', group: G_CONN })
    .define({ name: 'database.sslrootcert', type: 'string', default: null, importance: 'low', doc: 'CA certificate file for verify-ca / verify-full.', group: G_CONN })
    .define({ name: 'database.sslcert', type: 'string', default: null, importance: 'low', doc: 'Client certificate file.', group: G_CONN })
    .define({ name: 'database.sslkey', type: 'string', default: null, importance: 'low', doc: 'Client key file.', group: G_CONN })
    .define({ name: 'database.sslpassword', type: 'password', default: null, importance: 'low', doc: 'Passphrase of an encrypted database.sslkey.', group: G_CONN })
    .define({ name: 'database.tcpKeepAlive', type: 'boolean', default: true, importance: 'low', doc: 'TCP keep-alive probes on the connections.', group: G_CONN })
    .define({ name: 'database.initial.statements', type: 'string', default: null, importance: 'low', doc: 'Statements (separated by ;) run on every new regular connection.', group: G_CONN })
    .define({ name: 'connect.timeout.ms', type: 'int', default: 30000, validator: Validators.atLeast(1), importance: 'low', doc: 'How long a connection attempt may take.', group: G_CONN })
    .define({ name: 'errors.max.retries', type: 'int', default: -1, validator: Validators.atLeast(-1), importance: 'low', doc: 'Retries of a lost connection (streaming, incremental and blocking snapshots) before the task fails: -1 without limit, 0 none.', group: G_CONN })
    .define({ name: 'plugin.name', type: 'string', default: 'pgoutput', validator: Validators.oneOf('pgoutput'), importance: 'medium', doc: "Logical decoding plugin. Only 'pgoutput' (built into Postgres 10+) is supported; Debezium's decoderbufs is not.", group: G_CAPTURE })
    .define({ name: 'slot.name', type: 'string', default: 'debezium', validator: slotName(), importance: 'medium', doc: 'Name of the logical replication slot.', group: G_CAPTURE })
    .define({ name: 'slot.drop.on.stop', type: 'boolean', default: false, importance: 'low', doc: 'Drop the slot when the task stops (for tests; changes made while stopped are then lost).', group: G_CAPTURE })
    .define({ name: 'slot.max.retries', type: 'int', default: 6, validator: Validators.atLeast(0), importance: 'low', doc: 'Attempts to get the slot while another client holds it.', group: G_CAPTURE })
    .define({ name: 'slot.retry.delay.ms', type: 'long', default: 10000, validator: Validators.atLeast(0), importance: 'low', doc: 'Wait between those attempts.', group: G_CAPTURE })
    .define({ name: 'publication.name', type: 'string', default: 'dbz_publication', importance: 'medium', doc: 'Publication the slot streams.', group: G_CAPTURE })
    .define({ name: 'publish.via.partition.root', type: 'boolean', default: false, importance: 'low', doc: 'Create the publication WITH (publish_via_partition_root = true): a partitioned table\'s changes come under its own name, to <prefix>.<schema>.<root>, instead of each partition\'s. Read from an existing publication.', group: G_CAPTURE })
    .define({ name: 'publication.autocreate.mode', type: 'string', default: 'all_tables', validator: Validators.oneOf('all_tables', 'disabled', 'filtered', 'no_tables'), importance: 'medium', doc: 'all_tables: create the publication FOR ALL TABLES; filtered: for the included tables; no_tables: empty; disabled: it must exist.', group: G_CAPTURE })
    .define({ name: 'schema.include.list', type: 'list', default: [], validator: regexes(), importance: 'medium', doc: 'Regexes (anchored, case-insensitive) of schemas to capture.', group: G_CAPTURE })
    .define({ name: 'schema.exclude.list', type: 'list', default: [], validator: regexes(), importance: 'medium', doc: 'Regexes (anchored, case-insensitive) of schemas not to capture.', group: G_CAPTURE })
    .define({ name: 'table.include.list', type: 'list', default: [], validator: regexes(), importance: 'medium', doc: 'Regexes (anchored, case-insensitive) of schema.table to capture.', group: G_CAPTURE })
    .define({ name: 'table.exclude.list', type: 'list', default: [], validator: regexes(), importance: 'medium', doc: 'Regexes (anchored, case-insensitive) of schema.table not to capture.', group: G_CAPTURE })
    .define({ name: 'column.include.list', type: 'list', default: [], validator: regexes(), importance: 'low', doc: 'Regexes (anchored, case-insensitive) of schema.table.column to include.', group: G_CAPTURE })
    .define({ name: 'column.exclude.list', type: 'list', default: [], validator: regexes(), importance: 'low', doc: 'Regexes (anchored, case-insensitive) of schema.table.column to leave out.', group: G_CAPTURE })
    .define({ name: 'replica.identity.autoset.values', type: 'string', default: null, validator: replicaIdentityFormat(), importance: 'medium', doc: 'REPLICA IDENTITY set on captured tables at start, as Debezium sets it: <schema.table regex>:<DEFAULT|FULL|NOTHING|INDEX name>, comma-separated (e.g. public\\..*:FULL). Needs ownership of the tables.', group: G_CAPTURE })
    .define({ name: 'guardrail.collections.max', type: 'int', default: 0, validator: Validators.atLeast(0), importance: 'medium', doc: 'Most tables the connector may capture (0: no limit); more takes guardrail.collections.limit.action.', group: G_CAPTURE })
    .define({ name: 'guardrail.collections.limit.action', type: 'string', default: 'warn', validator: Validators.oneOf('warn', 'fail'), importance: 'medium', doc: 'warn: log it and go on; fail: the task fails.', group: G_CAPTURE })
    .define({ name: 'message.key.columns', type: 'string', default: null, importance: 'low', doc: 'Key columns for tables without a primary key: schema.table:col1,col2;schema.table2:col.', group: G_CAPTURE })
    .define({ name: 'snapshot.mode', type: 'string', default: 'initial', validator: Validators.oneOf(...SNAPSHOT_MODES), importance: 'high', doc: 'initial: snapshot once, then stream; always: snapshot at every start; initial_only: snapshot and stop; no_data/never: stream only; when_needed: snapshot when no offset or the slot cannot serve it; configuration_based: as its snapshot.mode.configuration.based.* keys say.', group: G_SNAP })
    .define({ name: 'snapshot.mode.configuration.based.snapshot.data', type: 'boolean', default: false, importance: 'low', doc: 'Under snapshot.mode=configuration_based: snapshot the tables at every start.', group: G_SNAP })
    .define({ name: 'snapshot.mode.configuration.based.start.stream', type: 'boolean', default: false, importance: 'low', doc: 'Under snapshot.mode=configuration_based: stream changes (after the snapshot, if any).', group: G_SNAP })
    .define({ name: 'snapshot.mode.configuration.based.snapshot.on.data.error', type: 'boolean', default: false, importance: 'low', doc: 'Under snapshot.mode=configuration_based: when the slot cannot serve the stored offset (missing, or invalidated and then dropped), go on (snapshotting if snapshot.data) instead of failing.', group: G_SNAP })
    .define({ name: 'snapshot.mode.configuration.based.snapshot.schema', type: 'boolean', default: false, importance: 'low', doc: 'Under snapshot.mode=configuration_based: no effect for Postgres, as in Debezium (it keeps no schema history).', group: G_SNAP })
    .define({ name: 'snapshot.mode.configuration.based.snapshot.on.schema.error', type: 'boolean', default: false, importance: 'low', doc: 'Under snapshot.mode=configuration_based: no effect for Postgres, as in Debezium (it keeps no schema history).', group: G_SNAP })
    .define({ name: 'snapshot.include.collection.list', type: 'list', default: [], validator: regexes(), importance: 'medium', doc: 'Regexes (anchored, case-insensitive) of schema.table: the captured tables the initial snapshot reads (default: all). The others are only streamed.', group: G_SNAP })
    .define({ name: 'snapshot.delay.ms', type: 'long', default: 0, validator: Validators.atLeast(0), importance: 'low', doc: 'Wait before the snapshot starts reading.', group: G_SNAP })
    .define({ name: 'streaming.delay.ms', type: 'long', default: 0, validator: Validators.atLeast(0), importance: 'low', doc: 'Wait after the snapshot before streaming starts.', group: G_SNAP })
    .define({ name: 'snapshot.fetch.size', type: 'int', default: 10240, validator: Validators.atLeast(1), importance: 'low', doc: 'Rows fetched per round trip while snapshotting.', group: G_SNAP })
    .define({ name: 'snapshot.max.threads', type: 'int', default: 1, validator: Validators.atLeast(1), importance: 'low', doc: 'Tables the initial snapshot reads at once, each on its own connection, all on one shared snapshot.', group: G_SNAP })
    .define({ name: 'snapshot.select.statement.overrides', type: 'list', default: [], importance: 'low', doc: 'Tables (schema.table) whose snapshot SELECT is given in snapshot.select.statement.overrides.<schema.table>.', group: G_SNAP })
    .define({ name: 'incremental.snapshot.chunk.size', type: 'int', default: 1024, validator: Validators.atLeast(1), importance: 'low', doc: 'Rows per chunk of an incremental snapshot.', group: G_SNAP })
    .define({ name: 'signal.data.collection', type: 'string', default: null, importance: 'low', doc: 'Signal table (schema.table) for incremental snapshots. Its rows, the connector\'s window markers included, are also events on <prefix>.<schema>.<table>, as in Debezium.', group: G_SNAP })
    .define({ name: 'read.only', type: 'boolean', default: false, importance: 'low', doc: 'Incremental snapshots write nothing to the database: no window rows in the signal table; each chunk goes out once the stream is past the WAL position read after it. Signals then come from the file channel (or a signal table others write to).', group: G_SNAP })
    .define({ name: 'signal.enabled.channels', type: 'list', default: ['source'], validator: Validators.listOf('source', 'file', 'kafka', 'jmx', 'in-process'), importance: 'low', doc: 'Where signals are read: source (rows inserted into signal.data.collection) and file (lines appended to signal.file). kafka and jmx are refused: see the README.', group: G_SNAP })
    .define({ name: 'signal.file', type: 'string', default: 'file-signals.txt', importance: 'low', doc: 'With the file channel: the file signals are appended to, one JSON object a line ({"id", "type", "data"}); emptied as it is read. A relative path is from the worker\'s working directory.', group: G_SNAP })
    .define({ name: 'signal.poll.interval.ms', type: 'long', default: 5000, validator: Validators.atLeast(1), importance: 'low', doc: 'How often the file channel is read.', group: G_SNAP })
    .define({ name: 'heartbeat.interval.ms', type: 'int', default: 0, validator: Validators.atLeast(0), importance: 'medium', doc: 'How often to emit a heartbeat record (0: never).', group: G_EVENTS })
    .define({ name: 'heartbeat.action.query', type: 'string', default: null, importance: 'low', doc: 'A statement run at each heartbeat (e.g. an update of a heartbeat table, so an idle captured database produces changes).', group: G_EVENTS })
    .define({ name: 'topic.heartbeat.prefix', type: 'string', default: '__debezium-heartbeat', validator: topicName(), importance: 'low', doc: 'Heartbeats go to <prefix>.<topic.prefix>.', group: G_EVENTS })
    .define({ name: 'topic.heartbeat.name', type: 'string', default: '', validator: topicName(true), importance: 'low', doc: 'The heartbeat topic\'s full name, instead of <topic.heartbeat.prefix>.<topic.prefix>: several connectors can share one.', group: G_EVENTS })
    .define({ name: 'skip.messages.without.change', type: 'boolean', default: false, importance: 'low', doc: 'No event for an update that changes none of the columns in the value (after column.include/exclude.list). Needs the old row: REPLICA IDENTITY FULL.', group: G_EVENTS })
    .define({ name: 'tombstones.on.delete', type: 'boolean', default: true, importance: 'medium', doc: 'Follow each delete event with a tombstone.', group: G_EVENTS })
    .define({ name: 'skipped.operations', type: 'list', default: ['t'], validator: Validators.listOf('c', 'u', 'd', 't', 'none'), importance: 'low', doc: 'Operations not emitted: c, u, d, t, or none.', group: G_EVENTS })
    .define({ name: 'extended.headers.enabled', type: 'boolean', default: true, importance: 'low', doc: 'Debezium 3.2.1+\'s context headers on every data change event and tombstone: __debezium.context.connectorLogicalName (topic.prefix), .taskId (0), .connectorName (postgresql), .runId (new at each task start).', group: G_EVENTS })
    .define({ name: 'provide.transaction.metadata', type: 'boolean', default: false, importance: 'low', doc: 'Emit BEGIN/END events on <prefix>.transaction and the transaction block in events.', group: G_EVENTS })
    .define({ name: 'topic.transaction', type: 'string', default: 'transaction', validator: topicName(), importance: 'low', doc: 'Transaction metadata events go to <topic.prefix>.<topic.transaction>.', group: G_EVENTS })
    .define({ name: 'decimal.handling.mode', type: 'string', default: 'precise', validator: Validators.oneOf('precise', 'double', 'string'), importance: 'medium', doc: 'How numeric columns are represented.', group: G_EVENTS })
    .define({ name: 'time.precision.mode', type: 'string', default: 'adaptive', validator: Validators.oneOf('adaptive', 'adaptive_time_microseconds', 'connect'), importance: 'medium', doc: 'How time and timestamp columns are represented.', group: G_EVENTS })
    .define({ name: 'binary.handling.mode', type: 'string', default: 'bytes', validator: Validators.oneOf('bytes', 'base64', 'base64-url-safe', 'hex'), importance: 'low', doc: 'How bytea columns are represented.', group: G_EVENTS })
    .define({ name: 'interval.handling.mode', type: 'string', default: 'numeric', validator: Validators.oneOf('numeric', 'string'), importance: 'low', doc: 'How interval columns are represented.', group: G_EVENTS })
    .define({ name: 'hstore.handling.mode', type: 'string', default: 'json', validator: Validators.oneOf('json', 'map'), importance: 'low', doc: 'How hstore columns are represented: json (a JSON object as text) or map (a Connect map of string to string).', group: G_EVENTS })
    .define({ name: 'money.fraction.digits', type: 'int', default: 2, validator: Validators.atLeast(0), importance: 'low', doc: 'Scale of the decimals money columns become.', group: G_EVENTS })
    .define({ name: 'include.unknown.datatypes', type: 'boolean', default: false, importance: 'low', doc: 'Columns of types the connector does not map (e.g. from extensions) are left out of events unless true; then they carry the value as Postgres prints it, as bytes under binary.handling.mode.', group: G_EVENTS })
    .define({ name: 'unavailable.value.placeholder', type: 'string', default: '__debezium_unavailable_value', importance: 'low', doc: 'Value of an unchanged TOAST column whose value Postgres did not send.', group: G_EVENTS })
    .define({ name: 'message.prefix.include.list', type: 'list', default: [], validator: regexes(), importance: 'low', doc: 'Regexes (anchored, case-insensitive) of logical decoding message prefixes to emit (default: all).', group: G_EVENTS })
    .define({ name: 'message.prefix.exclude.list', type: 'list', default: [], validator: regexes(), importance: 'low', doc: 'Regexes (anchored, case-insensitive) of logical decoding message prefixes not to emit.', group: G_EVENTS })
    .define({ name: 'logical.decoding.message.prefix.include.list', type: 'list', default: [], validator: regexes(), importance: 'low', doc: 'Same as message.prefix.include.list (Debezium\'s name); both are honoured.', group: G_EVENTS })
    .define({ name: 'logical.decoding.message.prefix.exclude.list', type: 'list', default: [], validator: regexes(), importance: 'low', doc: 'Same as message.prefix.exclude.list (Debezium\'s name); both are honoured.', group: G_EVENTS })
    .define({ name: 'max.batch.size', type: 'int', default: 2048, validator: Validators.atLeast(1), importance: 'low', doc: 'Most records one poll returns.', group: G_RUN })
    .define({ name: 'max.queue.size', type: 'int', default: 8192, validator: Validators.atLeast(1), importance: 'low', doc: 'Most records waiting between the database and the worker; streaming pauses when full.', group: G_RUN })
    .define({ name: 'max.queue.size.in.bytes', type: 'long', default: 0, validator: Validators.atLeast(0), importance: 'low', doc: 'Most bytes (records\' approximate in-memory size) waiting between the database and the worker; 0 for no byte bound. Bounds memory where rows are wide.', group: G_RUN })
    .define({ name: 'poll.interval.ms', type: 'int', default: 500, validator: Validators.atLeast(1), importance: 'low', doc: 'How long a poll waits for records.', group: G_RUN })
    .define({ name: 'status.update.interval.ms', type: 'int', default: 10000, validator: Validators.atLeast(1), importance: 'low', doc: 'How often the stored position is reported to the server even without changes.', group: G_RUN });
}

/** replica.identity.autoset.values: each entry <table regex>:<identity>, as Debezium checks them. */
function replicaIdentityFormat() {
  return Object.assign(
    (_n: string, v: unknown) => {
      if (typeof v !== 'string') return null;
      const bad = v.split(',').filter((e) => !REPLICA_IDENTITY_RULE.test(e));
      return bad.length ? `${bad.map((b) => b.trim()).join(', ')} has an invalid format (expecting '<table regex>:<DEFAULT|FULL|NOTHING|INDEX index_name>')` : null;
    },
    { describe: '<table regex>:<DEFAULT|FULL|NOTHING|INDEX index_name>,...' },
  );
}

/** One rule of replica.identity.autoset.values (Debezium's pattern). */
export const REPLICA_IDENTITY_RULE = /^\s*([^\s:]+):(DEFAULT|INDEX (\w+)|FULL|NOTHING)\s*$/i;

/** Debezium's check of topic.prefix: a name Kafka accepts as (part of) a topic. */
/** Debezium's topic name check; `orEmpty`: an empty value means the key is not set. */
function topicName(orEmpty = false) {
  return Object.assign(
    (_n: string, v: unknown) => (typeof v === 'string' && !(orEmpty && v === '') && !/^[a-zA-Z0-9._-]+$/.test(v) ? `${v} has invalid format (only the underscore, hyphen, dot and alphanumeric characters are allowed)` : null),
    { describe: '[a-zA-Z0-9._-]+' },
  );
}

function slotName() {
  return Object.assign(
    (_n: string, v: unknown) => (typeof v === 'string' && !/^[a-z0-9_]{1,63}$/.test(v) ? 'Slot names may contain only lower case letters, digits and underscores, at most 63 characters' : null),
    { describe: '[a-z0-9_]{1,63}' },
  );
}

/**
 * A regex-list key as Debezium reads it (its Predicates.includes over Strings.setOfRegex): the raw
 * value split on commas, `\\,` for a comma inside a regex, each regex matched whole and
 * case-insensitively. Read from the value as given, since the generic list parser cuts at every
 * comma (a `{1,3}` quantifier or an escaped comma).
 */
export function regexKey(config: ParsedConfig, key: string): RegExp[] {
  const raw = config.originals[key];
  return regexList(key, raw ?? config.getList(key).join(','));
}

/** The validate check of a regex-list key: each regex compiles. */
function regexes() {
  return Object.assign(
    (_n: string, v: unknown) => {
      if (!Array.isArray(v)) return null;
      for (const p of splitRegexList(v.join(','))) {
        try {
          new RegExp(p);
        } catch (e) {
          return `Invalid regular expression '${p}': ${(e as Error).message}`;
        }
      }
      return null;
    },
    { describe: 'comma-separated regular expressions' },
  );
}

/** Splits a regex list on commas, leaving escaped commas and those of {m,n} quantifiers in place. */
function splitRegexList(list: string): string[] {
  const out: string[] = [];
  let cur = '';
  let braces = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i]!;
    if (ch === '\\' && i + 1 < list.length) {
      cur += ch + list[++i];
      continue;
    }
    if (ch === '{') braces++;
    if (ch === '}' && braces > 0) braces--;
    if (ch === ',' && braces === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * A comma-separated regex list of a pattern key (column.mask..., reselector.reselect.columns...),
 * each matched whole and case-insensitively; a ConfigError names the key of a bad regex.
 */
export function regexList(key: string, list: string): RegExp[] {
  return splitRegexList(list).map((p) => {
    try {
      return new RegExp(`^(?:${p})$`, 'i');
    } catch (e) {
      const message = `Invalid regular expression '${p}' in ${key}: ${(e as Error).message}`;
      throw new ConfigError(message, { [key]: [message] });
    }
  });
}

export interface TableFilter {
  includes(schema: string, table: string): boolean;
  includesColumn(schema: string, table: string, column: string): boolean;
  /**
   * Which relations of a partitioned table are captured: 'root' when the publication publishes
   * through the root (publish_via_partition_root: changes come under the root's name), 'leaf'
   * otherwise (changes come under each partition's name, as Debezium topics them). Default 'root'.
   */
  partitions?: 'root' | 'leaf';
}

export function tableFilter(config: ParsedConfig, partitions: 'root' | 'leaf' = 'root'): TableFilter {
  const sInc = regexKey(config, 'schema.include.list');
  const sExc = regexKey(config, 'schema.exclude.list');
  const tInc = regexKey(config, 'table.include.list');
  const tExc = regexKey(config, 'table.exclude.list');
  const cInc = regexKey(config, 'column.include.list');
  const cExc = regexKey(config, 'column.exclude.list');
  const SYSTEM = new Set(['pg_catalog', 'information_schema']);
  return {
    partitions,
    includes(schema, table) {
      if (SYSTEM.has(schema) || schema.startsWith('pg_toast') || schema.startsWith('pg_temp')) return false;
      const full = `${schema}.${table}`;
      if (sInc.length && !sInc.some((r) => r.test(schema))) return false;
      if (sExc.some((r) => r.test(schema))) return false;
      if (tInc.length && !tInc.some((r) => r.test(full))) return false;
      return !tExc.some((r) => r.test(full));
    },
    includesColumn(schema, table, column) {
      const full = `${schema}.${table}.${column}`;
      if (cInc.length && !cInc.some((r) => r.test(full))) return false;
      return !cExc.some((r) => r.test(full));
    },
  };
}
