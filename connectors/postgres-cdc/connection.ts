/** Regular (non-replication) connections from the connector's config. */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { newClient } from './pg-client.js';
import { getLogger, type ParsedConfig } from '../../runtime/api/index.js';

const log = getLogger('connectors.postgres-cdc');

/**
 * What `prefer` and `allow` found a server to want, per host:port: `prefer` tries TLS first and falls
 * back to plaintext when the server has no TLS; `allow` tries plaintext first and takes TLS when the
 * server refuses plaintext (libpq's and pgjdbc's meanings). connect() finds out on a task's first
 * connection; the others (replication, snapshot readers) follow what it found.
 */
const tlsWanted = new Map<string, boolean>();

/** Per server and mode: `allow` finding plaintext fine says nothing about whether `prefer` gets TLS. */
const serverKey = (config: ParsedConfig) => `${config.getString('database.hostname')}:${config.getInt('database.port')}:${config.getString('database.sslmode') ?? 'prefer'}`;

/** A TLS file or key password that cannot be used, on the config key a user would fix. */
export class TlsConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

function tlsFile(config: ParsedConfig, key: string): string | undefined {
  const path = config.getString(key);
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new TlsConfigError(key, `cannot read ${key} '${path}': ${(e as Error).message}`);
  }
}

/**
 * The client key, checked against database.sslpassword here: left to the TLS handshake, a wrong
 * password surfaced as an OpenSSL 'bad decrypt' under the host name.
 */
function clientKey(config: ParsedConfig, passphrase: string | undefined): string | undefined {
  const key = tlsFile(config, 'database.sslkey');
  if (key === undefined) return undefined;
  const path = config.getString('database.sslkey');
  // PKCS#8 and legacy OpenSSL PEM mark an encrypted key; without a password OpenSSL only says 'interrupted or cancelled'.
  if (passphrase === undefined && /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(key)) {
    throw new TlsConfigError('database.sslpassword', `database.sslkey '${path}' is encrypted: set database.sslpassword to its password`);
  }
  try {
    createPrivateKey(passphrase === undefined ? key : { key, passphrase });
  } catch (e) {
    const err = e as Error;
    if (passphrase !== undefined) throw new TlsConfigError('database.sslpassword', `database.sslpassword does not decrypt database.sslkey '${path}': ${err.message}`);
    throw new TlsConfigError('database.sslkey', `database.sslkey '${path}' is not a private key in PEM form: ${err.message}`);
  }
  return key;
}

export function clientConfig(config: ParsedConfig, replication = false): pg.ClientConfig {
  const sslmode = config.getString('database.sslmode') ?? 'prefer';
  const file = (key: string) => tlsFile(config, key);
  // Encryption without verification: what prefer/allow/require promise.
  const passphrase = config.getPassword('database.sslpassword')?.value;
  // The client certificate and key are read (and the key checked) only when TLS may be used.
  const tls = sslmode !== 'disable';
  const cert = tls ? file('database.sslcert') : undefined;
  const key = tls ? clientKey(config, passphrase) : undefined;
  const unverified = { rejectUnauthorized: false, cert, key, passphrase };
  const known = tlsWanted.get(serverKey(config));
  let ssl: pg.ClientConfig['ssl'];
  switch (sslmode) {
    case 'disable':
      ssl = false;
      break;
    case 'allow':
      ssl = known === true ? unverified : false;
      break;
    case 'prefer':
      ssl = known === false ? false : unverified;
      break;
    case 'require':
      ssl = unverified;
      break;
    default: // verify-ca, verify-full
      ssl = { rejectUnauthorized: true, ca: file('database.sslrootcert'), cert, key, passphrase, ...(sslmode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}) };
  }
  return {
    host: config.requireString('database.hostname'),
    port: config.getInt('database.port'),
    user: config.requireString('database.user'),
    password: config.getPassword('database.password')?.value,
    database: config.requireString('database.dbname'),
    connectionTimeoutMillis: config.getInt('connect.timeout.ms'),
    keepAlive: config.getBoolean('database.tcpKeepAlive'),
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
  const client = await connectTls(config);
  const initial = config.getString('database.initial.statements');
  if (initial) for (const stmt of initial.split(';').map((s) => s.trim()).filter(Boolean)) await client.query(stmt);
  return client;
}

/** Connects, settling what prefer/allow use with this server (tlsWanted) on the way. */
async function connectTls(config: ParsedConfig): Promise<pg.Client> {
  const sslmode = config.getString('database.sslmode') ?? 'prefer';
  const key = serverKey(config);
  let usedTls = false;
  const attempt = async (): Promise<pg.Client> => {
    const cfg = clientConfig(config);
    usedTls = !!cfg.ssl;
    const client = newClient(cfg);
    // An idle connection the server drops (restart, network) emits 'error'; without a listener
    // Node ends the whole worker. The next query on it fails and the caller reconnects.
    client.on('error', (e) => log.warn(`connection to ${config.getString('database.hostname')} lost: ${e.message}`));
    await client.connect();
    return client;
  };
  try {
    const client = await attempt();
    if ((sslmode === 'prefer' || sslmode === 'allow') && !tlsWanted.has(key)) tlsWanted.set(key, sslmode === 'prefer');
    return client;
  } catch (e) {
    const message = (e as Error).message;
    // Decided on what this attempt used: other tasks may have settled the server meanwhile.
    if (sslmode === 'prefer' && usedTls && /does not support SSL/i.test(message)) {
      tlsWanted.set(key, false);
      return attempt();
    }
    // pg_hba has only hostssl lines for us: "no pg_hba.conf entry ... no encryption".
    if (sslmode === 'allow' && !usedTls && /no encryption/i.test(message)) {
      tlsWanted.set(key, true);
      return attempt();
    }
    throw e;
  }
}

/** A client that returns every value as Postgres's text, the same form pgoutput streams. */
export function textTypes(): pg.CustomTypesConfig {
  return { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;
}
