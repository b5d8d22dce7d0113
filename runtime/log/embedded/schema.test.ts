import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE } from './schema.js';
import { TempLogs } from './test-support.js';

const logs = new TempLogs();
afterEach(() => logs.cleanup());

describe('embedded log schema', () => {
  it('refuses a file of another schema version and leaves it as it was', () => {
    const dir = logs.dir();
    const old = new Database(join(dir, DB_FILE));
    old.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '1')");
    old.close();
    expect(() => logs.open(dir)).toThrow(/schema version 1; this build reads version 2/);
    const reopened = new Database(join(dir, DB_FILE));
    const tables = reopened.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    reopened.close();
    expect(tables).toEqual(['meta']);
  });
});
