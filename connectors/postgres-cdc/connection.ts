/** Regular (non-replication) connections from the connector's config. */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { newClient } from './pg-client.js';
import { getLogger, type ParsedConfig } from '../../runtime/api/index.js';

const log = getLogger('connectors.postgres-cdc');

export function clientConfig(config: ParsedConfig, replication = false): pg.ClientConfig {
  const sslmode = config.getString('database.sslmode') ?? 'prefer';
  const file = (key: string) => {
    const path = config.getString(key);
    return path ? readFileSync(path, 'utf8') : undefined;
  };
  const ssl: pg.ClientConfig['ssl'] =
    sslmode === 'disable' || sslmode === 'allow' || sslmode === 'prefer'
      ? false
      : { rejectUnauthorized: sslmode !== 'require', ca: file('database.sslrootcert'), cert: file('database.sslcert'), key: file('database.sslkey'), checkServerIdentity: sslmode === 'verify-full' ? undefined : () => undefined };
  return {
    host: config.requireString('database.hostname'),
    port: config.getInt('database.port'),
    user: config.requireString('database.user'),
    password: config.getPassword('database.password')?.value,
    database: config.requireString('database.dbname'),
    connectionTimeoutMillis: config.getInt('connect.timeout.ms'),
    keepAlive: true,
    ssl,
    application_name: replication ? 'tsconnect-cdc-stream' : 'tsconnect-cdc',
    // Values are parsed from Postgres's text output, so its format is pinned whatever the database
    // or role sets (DateStyle=SQL or IntervalStyle=iso_8601 would otherwise read as garbage).
    options: '-c DateStyle=ISO -c IntervalStyle=postgres -c extra_float_digits=3',
    ...(replication ? { replication: 'database' } : {}),
  } as pg.ClientConfig;
}

/** A connected client with database.initial.statements run. */
export async function connect(config: ParsedConfig): Promise<pg.Client> {
  const client = newClient(clientConfig(config));
  // An idle connection the server drops (restart, network) emits 'error'; without a listener
  // Node ends the whole worker. The next query on it fails and the caller reconnects.
  client.on('error', (e) => log.warn(`connection to ${config.getString('database.hostname')} lost: ${e.message}`));
  await client.connect();
  const initial = config.getString('database.initial.statements');
  if (initial) for (const stmt of initial.split(';').map((s) => s.trim()).filter(Boolean)) await client.query(stmt);
  return client;
}

/** A client that returns every value as Postgres's text, the same form pgoutput streams. */
export function textTypes(): pg.CustomTypesConfig {
  return { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;
}
