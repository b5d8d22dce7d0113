/**
 * Reconnects after a lost connection: the replication stream's (change-stream.ts `reconnect()`) and the
 * ad-hoc snapshots' own connections. A lost connection is retried with backoff from 500 ms
 * doubling to 10 s, about five minutes of attempts; any other error is not retried.
 */

/** About five minutes of attempts with the backoff below (the replication side's limit). */
export const MAX_ATTEMPTS = 35;

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
      if (!isConnectionLoss(err) || n >= MAX_ATTEMPTS) throw err;
      await opts.onLoss?.(err);
      opts.warn(`${opts.what}: connection lost (${err.message}); attempt ${n + 1} in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
      if (opts.isStopping()) return null;
    }
  }
}
