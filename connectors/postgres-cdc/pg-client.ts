/**
 * `pg` is loaded on the first connection, not when the worker loads its plugins: a worker that
 * runs no Postgres connector does not pay its start-up time and memory (~9 MB).
 */
import { createRequire } from 'node:module';
import type pg from 'pg';

let loaded: typeof pg | null = null;

export function newClient(config: pg.ClientConfig): pg.Client {
  loaded ??= createRequire(import.meta.url)('pg') as typeof pg;
  return new loaded.Client(config);
}
