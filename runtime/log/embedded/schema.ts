/**
 * The embedded log's SQLite file: pragmas, tables and the cluster id.
 *
 * `batches` holds one row per record batch (the records one send() call appended to one partition,
 * encoded as batch-codec.ts describes), found through the unique index on (topic_id, partition,
 * base_offset): a partition's batches sit together in offset order in the index, an append adds one
 * entry at the right edge of that range and a fetch is one range scan from the batch holding the
 * position. It is a rowid table, not WITHOUT ROWID, because its rows are large (~100 KB): SQLite
 * advises WITHOUT ROWID only for small rows, and with these a key lookup measured ~120 us there
 * against ~1 us here. The columns beside `data` repeat facts of its header so that fetch, retention
 * and the cleaner can pick batches without reading `data` (stored last, mostly in overflow pages).
 *
 * `partitions` keeps the log end offset (`next_offset`, which survives retention deleting every
 * record, as Kafka's does), the log start offset (`start_offset`, moved only by retention) and the
 * cleaner's checkpoint (`cleaned_offset`: records before it are compacted; after it is the dirty
 * section the next compaction pass reads its keys from).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const DB_FILE = 'log.sqlite';
const SCHEMA_VERSION = '2';

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
  start_offset INTEGER NOT NULL,
  cleaned_offset INTEGER NOT NULL,
  PRIMARY KEY (topic_id, partition)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS batches (
  id INTEGER PRIMARY KEY,
  topic_id INTEGER NOT NULL,
  partition INTEGER NOT NULL,
  base_offset INTEGER NOT NULL,
  last_offset INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  max_timestamp INTEGER NOT NULL,
  tombstone_timestamp INTEGER, -- smallest timestamp of a tombstone in the batch; NULL when it has none
  data BLOB NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS batches_by_offset ON batches (topic_id, partition, base_offset);

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
  // 4 MiB of page cache: appends touch the right edge of the index and fetches read one batch row
  // (hundreds of records) per page walk, so more cache bought no throughput in bench/embedded-log.ts
  // or the file pipeline, while 16 MiB added ~15 MB to the worker's peak RSS.
  db.pragma('cache_size = -4096');
  db.pragma('temp_store = MEMORY');
  try {
    db.transaction(() => {
      // Checked before the DDL runs, so a file of another version is left as it was.
      const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
      const version = hasMeta ? (db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as string | undefined) : undefined;
      if (version !== undefined && version !== SCHEMA_VERSION) {
        throw new Error(
          `${join(dir, DB_FILE)} has schema version ${version}; this build reads version ${SCHEMA_VERSION} ` +
            '(version 1 stored a row per record; move the directory away to start a new log)',
        );
      }
      db.exec(DDL);
      const insertMeta = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
      insertMeta.run('schema_version', SCHEMA_VERSION);
      insertMeta.run('cluster_id', newClusterId());
    }).immediate();
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function readClusterId(db: Db): string {
  return (db.prepare("SELECT value FROM meta WHERE key = 'cluster_id'").get() as { value: string }).value;
}
