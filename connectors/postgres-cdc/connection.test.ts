import { describe, expect, it } from 'vitest';
import { postgresConfigSpec } from './config.js';
import { clientConfig } from './connection.js';

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
});
