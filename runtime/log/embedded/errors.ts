/** Maps SQLite failures to LogErrors, so callers see one error tree with a `retriable` flag. */
import Database from 'better-sqlite3';
import { LogError } from '../log.js';

const RETRIABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT']);

export function toLogError(err: unknown): LogError {
  if (err instanceof LogError) return err;
  if (err instanceof Database.SqliteError) {
    if (RETRIABLE.has(err.code)) {
      return new LogError(`the embedded log is busy (another process holds its write lock): ${err.message}`, 'LOG_BUSY', true, { cause: err });
    }
    return new LogError(`embedded log storage error ${err.code}: ${err.message}`, 'LOG_STORAGE_ERROR', false, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new LogError(message, 'LOG_ERROR', false, { cause: err });
}

export function closedError(what: string): LogError {
  return new LogError(`the ${what} is closed`, `${what.toUpperCase()}_CLOSED`, false);
}
