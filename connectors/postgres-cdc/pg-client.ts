/**
 * `pg` is loaded on the first connection, not when the worker loads its plugins: a worker that
 * runs no Postgres connector does not pay its start-up time and memory (~9 MB).
 */
import { createRequire } from 'node:module';
import type pg from 'pg';

let loaded: typeof pg | null = null;

export function newClient(config: pg.ClientConfig): pg.Client {
  loaded ??= loadPg();
  return new loaded.Client(config);
}

/**
 * pg asks, as it loads, whether it runs in a Cloudflare Worker. Without a global `navigator`
 * (Node 20 has none; 21 and later have one) it constructs a `Response`, which loads Node's whole
 * fetch implementation: ~25 ms of the ~45 the first connection of a worker took. For the
 * synchronous load only, a navigator answers the question as Node 21's does.
 */
function loadPg(): typeof pg {
  const require = createRequire(import.meta.url);
  const g = globalThis as { navigator?: unknown };
  if (g.navigator !== undefined) return require('pg') as typeof pg;
  g.navigator = { userAgent: `Node.js/${process.versions.node}` };
  try {
    return require('pg') as typeof pg;
  } finally {
    delete g.navigator;
  }
}
