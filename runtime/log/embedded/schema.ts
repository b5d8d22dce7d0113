/**
 * The embedded log's SQLite file: pragmas, tables and the cluster id.
 *
 * `records` is keyed by (topic_id, partition, offset) WITHOUT ROWID, so a partition's records sit
 * together in offset order in one B-tree: appends go to its right edge and a fetch is one range
 * scan. `partitions.next_offset` is the log end offset; it survives retention deleting every record,
 * as Kafka's does. Compacted topics mark their records (`compacted = 1`) so that only they pay for
 * the key index the cleaner needs.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const DB_FILE = 'log.sqlite';
const SCHEMA_VERSION = '1';

const DDL = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS topics (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  partitions INTEGER NOT NULL,
  replication_factor INTEGER NOT NULL,
  configs TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS partitions (
  topic_id INTEGER NOT NULL,
  partition INTEGER NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY (topic_id, partition)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS records (
  topic_id INTEGER NOT NULL,
  partition INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  timestamp INTEGER NOT NULL,
  timestamp_type INTEGER NOT NULL, -- 0 CreateTime, 1 LogAppendTime
  compacted INTEGER NOT NULL,
  key BLOB,
  value BLOB,
  headers BLOB,
  PRIMARY KEY (topic_id, partition, offset)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS records_by_key ON records (topic_id, partition, key, offset)
  WHERE compacted = 1 AND key IS NOT NULL;

CREATE INDEX IF NOT EXISTS records_tombstones ON records (topic_id, partition, offset)
  WHERE compacted = 1 AND value IS NULL;

CREATE TABLE IF NOT EXISTS group_offsets (
  group_id TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  PRIMARY KEY (group_id, topic, partition)
) WITHOUT ROWID;
`;

/** Kafka's cluster ids are a random UUID in URL-safe base64 without padding (22 characters). */
function newClusterId(): string {
  return Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
}

/** Opens (creating if missing) the log database in `dir`. */
export function openDatabase(dir: string): Db {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, DB_FILE));
  // Another process (the CLI while the worker runs) may hold the write lock for a moment.
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives the process dying (kill -9), not the machine losing power.
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.transaction(() => {
    db.exec(DDL);
    const insertMeta = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
    insertMeta.run('schema_version', SCHEMA_VERSION);
    insertMeta.run('cluster_id', newClusterId());
  }).immediate();
  const version = (db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string }).value;
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new Error(`${join(dir, DB_FILE)} has schema version ${version}; this build reads version ${SCHEMA_VERSION}`);
  }
  return db;
}

export function readClusterId(db: Db): string {
  return (db.prepare("SELECT value FROM meta WHERE key = 'cluster_id'").get() as { value: string }).value;
}
