/**
 * TLS to Postgres with Debezium's database.sslmode meanings, against a cluster that accepts only
 * TLS (pg_hba `hostssl`): `allow` and the default `prefer` encrypt, `require` and `verify-full` (with the
 * server's certificate as database.sslrootcert) too, `disable` is refused with the server's reason.
 * A role that logs in with a client certificate (pg_hba `cert`) only, whose key is encrypted, gets in
 * with database.sslcert, database.sslkey and database.sslpassword; a wrong password is named.
 * Every other test file runs `prefer` against a plaintext cluster, which falls back.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, connectorConfig, sql } from './pg-helpers.js';

const env = cdcTestEnv('tls', { tls: true });

/** Deploys with `extra` on a table of one row, inserts a second, and expects both: r then c. */
async function snapshotsAndStreams(id: string, extra: Record<string, string>): Promise<Record<string, string>> {
  await sql(env.cluster, `CREATE TABLE ${id}_t (id int PRIMARY KEY, v text)`);
  await sql(env.cluster, `INSERT INTO ${id}_t VALUES (1, 'snap')`);
  const config = await env.deploy(id, extra);
  await sql(env.cluster, `INSERT INTO ${id}_t VALUES (2, 'stream')`);
  const events = await eventually(async () => {
    const e = await changeEvents(env.dir, `${id}.public.${id}_t`);
    return e.length >= 2 ? e : null;
  }, 20_000, 'both rows');
  expect(events.map((e) => [e.value!.op, e.value!.after!.v])).toEqual([['r', 'snap'], ['c', 'stream']]);
  return config;
}

describe('Postgres CDC over TLS', () => {
  // `allow` first: it tries plaintext, is refused, and settles on TLS for this server.
  for (const mode of ['allow', 'prefer', 'require', 'verify-full'] as const) {
    it(`sslmode=${mode} streams changes over an encrypted connection`, { timeout: 60_000 }, async () => {
      const extra: Record<string, string> = mode === 'prefer' ? {} : { 'database.sslmode': mode };
      if (mode === 'verify-full') extra['database.sslrootcert'] = env.cluster.certFile!;
      const config = await snapshotsAndStreams(env.newId(), extra);
      // The replication connection itself is encrypted.
      const { rows } = await sql(env.cluster, `SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_replication r ON r.pid = s.pid WHERE r.application_name = 'tsconnect-cdc-stream' AND EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active_pid = r.pid)`, [config['slot.name']]);
      expect(rows).toEqual([{ ssl: true }]);
    });
  }

  it('sslmode=disable is refused by a TLS-only server, and validate says why', { timeout: 30_000 }, async () => {
    const id = env.newId();
    const res = await http('PUT', `${env.worker.url}/connector-plugins/PostgresConnector/config/validate`, { ...connectorConfig(env.cluster, id, { 'database.sslmode': 'disable' }), name: id });
    const errors = (res.body.configs as Array<{ value: { name: string; errors: string[] } }>).flatMap((c) => c.value.errors.map((e) => `${c.value.name}: ${e}`));
    expect(errors.join('\n')).toMatch(/no encryption/);
  });

  describe('with a client certificate whose key is encrypted (pg_hba cert)', () => {
    // Readable by the server (it runs as postgres when the tests run as root).
    const certDir = mkdtempSync(join(tmpdir(), 'tsconnect-client-cert-'));
    chmodSync(certDir, 0o755);
    afterAll(() => rmSync(certDir, { recursive: true, force: true }));
    const openssl = (...args: string[]) => {
      const run = spawnSync('openssl', args, { cwd: certDir, encoding: 'utf8' });
      if (run.error || run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (install openssl with apt-get): ${run.error?.message ?? run.stderr}`);
    };

    /** A role that may log in only with a certificate from a CA the server now trusts; returns the connector keys for it. */
    async function certificateRole(role: string): Promise<Record<string, string>> {
      openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=tsconnect-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
      openssl('req', '-newkey', 'rsa:2048', '-subj', `/CN=${role}`, '-passout', 'pass:k3y-phrase', '-keyout', `${role}.key`, '-out', `${role}.csr`);
      openssl('x509', '-req', '-in', `${role}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', `${role}.crt`);
      chmodSync(join(certDir, 'ca.crt'), 0o644);
      await sql(env.cluster, `CREATE ROLE ${role} LOGIN REPLICATION SUPERUSER`);
      const hbaFile = (await sql(env.cluster, 'SHOW hba_file')).rows[0].hba_file as string;
      // First lines win: this role gets in by certificate only, everyone else as before.
      writeFileSync(hbaFile, `hostssl all ${role} 127.0.0.1/32 cert\nhostssl replication ${role} 127.0.0.1/32 cert\n${readFileSync(hbaFile, 'utf8')}`);
      await sql(env.cluster, `ALTER SYSTEM SET ssl_ca_file = '${join(certDir, 'ca.crt')}'`);
      await sql(env.cluster, 'SELECT pg_reload_conf()');
      await eventually(async () => (await sql(env.cluster, 'SHOW ssl_ca_file')).rows[0].ssl_ca_file === join(certDir, 'ca.crt'), 10_000, 'the server to load its CA file');
      return {
        'database.user': role,
        'database.password': '',
        'database.sslmode': 'verify-full',
        'database.sslrootcert': env.cluster.certFile!,
        'database.sslcert': join(certDir, `${role}.crt`),
        'database.sslkey': join(certDir, `${role}.key`),
        'database.sslpassword': 'k3y-phrase',
      };
    }

    it('logs in with database.sslcert, database.sslkey and database.sslpassword and streams', { timeout: 60_000 }, async () => {
      const id = env.newId();
      const role = `cert_${id}`.toLowerCase();
      const keys = await certificateRole(role);
      const config = await snapshotsAndStreams(id, keys);
      // The replication connection is the role's, authenticated by its certificate.
      const { rows } = await sql(env.cluster, `SELECT r.usename, s.client_dn FROM pg_stat_ssl s JOIN pg_stat_replication r ON r.pid = s.pid WHERE EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active_pid = r.pid)`, [config['slot.name']]);
      expect(rows).toEqual([{ usename: role, client_dn: `/CN=${role}` }]);

      // A wrong or missing password for the key: validate says so on database.sslpassword, naming the key file.
      const validate = async (password: Record<string, string>) => {
        const config: Record<string, string> = { ...connectorConfig(env.cluster, id, keys), ...password, name: id };
        if (password['database.sslpassword'] === undefined) delete config['database.sslpassword'];
        const res = await http('PUT', `${env.worker.url}/connector-plugins/PostgresConnector/config/validate`, config);
        return (res.body.configs as Array<{ value: { name: string; errors: string[] } }>).flatMap((c) => c.value.errors.map((e) => `${c.value.name}: ${e}`));
      };
      const keyFile = keys['database.sslkey'];
      expect(await validate({ 'database.sslpassword': 'wrong' })).toEqual([expect.stringContaining(`database.sslpassword: database.sslpassword does not decrypt database.sslkey '${keyFile}'`)]);
      expect(await validate({})).toEqual([`database.sslpassword: database.sslkey '${keyFile}' is encrypted: set database.sslpassword to its password`]);
    });
  });
});
