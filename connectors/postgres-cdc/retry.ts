/**
 * Reconnects after a lost connection: the replication stream's (change-stream.ts `reconnect()`) and the
 * ad-hoc snapshots' own connections. A lost connection is retried with backoff from 500 ms
 * doubling to 10 s, as often as errors.max.retries allows (Debezium's default, -1: without end);
 * any other error is not retried.
 */
import type { ParsedConfig } from '../../runtime/api/index.js';

/** errors.max.retries: how many times a lost connection is retried; -1 (no limit) is Infinity. */
export function maxRetries(config: ParsedConfig): number {
  const retries = config.getInt('errors.max.retries');
  return retries < 0 ? Infinity : retries;
}

/** The error a task fails with when the retries ran out. */
export function gaveUp(what: string, retries: number, cause: Error): Error {
  return new Error(`${what}: connection lost (${cause.message}) and not retried more than errors.max.retries=${retries} time(s)`, { cause });
}

/** A lost connection (server restart, network) rather than an error the server reported about what we asked. */
export function isConnectionLoss(e: Error & { code?: string }): boolean {
  if (e.code && ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(e.code)) return true;
  return /Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery mode)|connect ECONNREFUSED|Client has encountered a connection error|not queryable|timeout/i.test(e.message);
}

export interface RetryOptions {
  /** What is being done, for the log lines. */
  what: string;
  warn: (message: string) => void;
  isStopping: () => boolean;
  /** Called after each lost attempt, before the wait: drop the broken connection, forget half-done work. */
  onLoss?: (e: Error) => Promise<void> | void;
  /** Retries after the first attempt (maxRetries()). */
  retries: number;
}

/**
 * Runs `attempt` until it succeeds, retrying lost connections with backoff. Resolves to null
 * when stopping cut the retries short.
 */
export async function withReconnect<T>(attempt: () => Promise<T>, opts: RetryOptions): Promise<T | null> {
  let delay = 500;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      const err = e as Error;
      if (opts.isStopping()) return null;
      if (!isConnectionLoss(err)) throw err;
      if (n > opts.retries) throw gaveUp(opts.what, opts.retries, err);
      await opts.onLoss?.(err);
      opts.warn(`${opts.what}: connection lost (${err.message}); attempt ${n + 1} in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
      if (opts.isStopping()) return null;
    }
  }
}
