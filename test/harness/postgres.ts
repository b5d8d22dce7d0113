/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temporary directory with
 * wal_level=logical, started on a free loopback port, stopped and removed afterwards. Runs the
 * server as the `postgres` OS user when the tests run as root (initdb refuses root).
 *
 * A machine without PostgreSQL fails the test with what to install; it never skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresCluster {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  dataDir: string;
  binDir: string;
  /** `postgresql://user@127.0.0.1:port/db` (with `?sslmode=no-verify` on a TLS-only cluster) */
  url(database?: string): string;
  /** With `tls`: the server's self-signed certificate (PEM), for sslmode=verify-ca/verify-full. */
  certFile?: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const INSTALL_HINT = 'PostgreSQL server binaries (initdb, pg_ctl) were not found: install them with `apt-get install postgresql` (the tests start their own throwaway cluster)';

export function findPostgresBin(): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(base, versions[0]!, 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..');
  throw new Error(INSTALL_HINT);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]): string {
  const cmd = asRoot ? 'runuser' : bin;
  const full = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  try {
    return execFileSync(cmd, full, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${bin} ${args.join(' ')} failed: ${err.stderr || err.stdout || err.message}`);
  }
}

export interface StartOptions {
  /** Extra postgresql.conf lines. */
  conf?: string[];
  walLevel?: 'logical' | 'replica';
  /**
   * TLS only: a self-signed certificate for 127.0.0.1 (made with the `openssl` command) and every
   * pg_hba `host` line turned into `hostssl`, so a plaintext connection is refused.
   */
  tls?: boolean;
}

const OPENSSL_HINT = 'the `openssl` command was not found: install it with `apt-get install openssl` (TLS tests make a self-signed certificate)';

/** A self-signed certificate and key for 127.0.0.1 in `dir`, readable by the server. */
function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (made.error) throw new Error(OPENSSL_HINT);
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  chmodSync(key, 0o600);
  if (asRoot) execFileSync('chown', ['postgres:postgres', cert, key]);
  return { cert, key };
}

export async function startPostgres(options: StartOptions = {}): Promise<PostgresCluster> {
  const binDir = findPostgresBin();
  const root = mkdtempSync(join(tmpdir(), 'tsconnect-pg-'));
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(root, Number(ids), Number(gid));
  }
  const user = 'tsconnect';
  const password = 'tsconnect';
  const pwfile = join(root, 'pw');
  writeFileSync(pwfile, password);
  if (asRoot) execFileSync('chown', ['postgres:postgres', pwfile]);
  run(join(binDir, 'initdb'), ['-D', dataDir, '-U', user, '--pwfile', pwfile, '--auth-local=trust', '--auth-host=md5', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  appendFileSync(join(dataDir, 'postgresql.conf'), [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${root}'`,
    `wal_level = ${options.walLevel ?? 'logical'}`,
    'max_replication_slots = 20',
    'max_wal_senders = 20',
    // A throwaway cluster: durability across an OS crash is not what these tests check.
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'shared_buffers = 64MB',
    ...(options.conf ?? []),
    '',
  ].join('\n'));
  appendFileSync(join(dataDir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 md5\n');
  let certFile: string | undefined;
  if (options.tls) {
    const { cert, key } = makeCertificate(root);
    certFile = cert;
    appendFileSync(join(dataDir, 'postgresql.conf'), `ssl = on\nssl_cert_file = '${cert}'\nssl_key_file = '${key}'\n`);
    const hba = join(dataDir, 'pg_hba.conf');
    writeFileSync(hba, readFileSync(hba, 'utf8').replace(/^host(\s)/gm, 'hostssl$1'));
  }
  const logFile = join(root, 'server.log');
  const start = () => run(join(binDir, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);
  start();
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database: 'postgres',
    dataDir,
    binDir,
    url: (database = 'postgres') => `postgresql://${user}:${password}@127.0.0.1:${port}/${database}${options.tls ? '?sslmode=no-verify' : ''}`,
    ...(certFile ? { certFile } : {}),
    restart: async () => {
      run(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      start();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        run(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** The Postgres CDC connector's class and connection keys for a cluster (tests and bench:cdc add the rest). */
export function cdcConnectionConfig(cluster: PostgresCluster): Record<string, string> {
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': cluster.host,
    'database.port': String(cluster.port),
    'database.user': cluster.user,
    'database.password': cluster.password,
    'database.dbname': cluster.database,
  };
}
