/**
 * TLS to Postgres with Debezium's database.sslmode meanings, against a cluster that accepts only
 * TLS (pg_hba `hostssl`): `allow` and the default `prefer` encrypt, `require` and `verify-full` (with the
 * server's certificate as database.sslrootcert) too, `disable` is refused with the server's reason.
 * Every other test file runs `prefer` against a plaintext cluster, which falls back.
 */
import { describe, expect, it } from 'vitest';
import { eventually, http } from '../harness/worker-process.js';
import { cdcTestEnv, changeEvents, connectorConfig, sql } from './pg-helpers.js';

const env = cdcTestEnv('tls', { tls: true });

describe('Postgres CDC over TLS', () => {
  // `allow` first: it tries plaintext, is refused, and settles on TLS for this server.
  for (const mode of ['allow', 'prefer', 'require', 'verify-full'] as const) {
    it(`sslmode=${mode} streams changes over an encrypted connection`, { timeout: 60_000 }, async () => {
      const id = env.newId();
      await sql(env.cluster, `CREATE TABLE ${id}_t (id int PRIMARY KEY, v text)`);
      await sql(env.cluster, `INSERT INTO ${id}_t VALUES (1, 'snap')`);
      const extra: Record<string, string> = mode === 'prefer' ? {} : { 'database.sslmode': mode };
      if (mode === 'verify-full') extra['database.sslrootcert'] = env.cluster.certFile!;
      const config = await env.deploy(id, extra);
      await sql(env.cluster, `INSERT INTO ${id}_t VALUES (2, 'stream')`);
      const events = await eventually(async () => {
        const e = await changeEvents(env.dir, `${id}.public.${id}_t`);
        return e.length >= 2 ? e : null;
      }, 20_000, 'both rows');
      expect(events.map((e) => [e.value!.op, e.value!.after!.v])).toEqual([['r', 'snap'], ['c', 'stream']]);
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
});
