import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresConfigSpec } from './config.js';
import { clientConfig, TlsConfigError } from './connection.js';

const BASE = { 'topic.prefix': 'p', 'database.hostname': 'h', 'database.user': 'u', 'database.dbname': 'd' };

describe('clientConfig', () => {
  it('passes database.sslpassword as the key passphrase and database.tcpKeepAlive through', () => {
    const on = clientConfig(postgresConfigSpec().parse({ ...BASE, 'database.sslmode': 'require', 'database.sslpassword': 'k3y' }));
    expect(on.keepAlive).toBe(true);
    expect(on.ssl).toMatchObject({ passphrase: 'k3y', rejectUnauthorized: false });
    const off = clientConfig(postgresConfigSpec().parse({ ...BASE, 'database.sslmode': 'require', 'database.tcpKeepAlive': 'false' }));
    expect(off.keepAlive).toBe(false);
    expect(off.ssl).toMatchObject({ passphrase: undefined });
  });

  it('names the key and the file of a client key it cannot use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsconnect-sslkey-'));
    try {
      const problem = (props: Record<string, string>) => {
        try {
          clientConfig(postgresConfigSpec().parse({ ...BASE, 'database.sslmode': 'require', ...props }));
          return null;
        } catch (e) {
          return e instanceof TlsConfigError ? [e.key, e.message] : e;
        }
      };
      const missing = join(dir, 'missing.key');
      expect(problem({ 'database.sslkey': missing })).toEqual(['database.sslkey', expect.stringContaining(`cannot read database.sslkey '${missing}': ENOENT`)]);
      const garbage = join(dir, 'garbage.key');
      writeFileSync(garbage, 'not a key');
      expect(problem({ 'database.sslkey': garbage })).toEqual(['database.sslkey', expect.stringContaining(`database.sslkey '${garbage}' is not a private key in PEM form`)]);
      // Encrypted keys, wrong and missing passwords: test/postgres-cdc/tls.test.ts, against a server.
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
