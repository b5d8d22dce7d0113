import { describe, expect, it } from 'vitest';
import { EnvVarConfigProvider } from './env-var-config-provider.js';

describe('EnvVarConfigProvider', () => {
  const env = { DB_PASSWORD: 'pw', DB_USER: 'app', HOME: '/root', EMPTY: '' };

  it('returns the requested variables that are set', async () => {
    const provider = new EnvVarConfigProvider(env);
    provider.configure({});
    const values = await provider.get('', new Set(['DB_PASSWORD', 'EMPTY', 'UNSET']));
    expect(Object.fromEntries(values)).toEqual({ DB_PASSWORD: 'pw', EMPTY: '' });
    expect(provider.describeMissing('', 'UNSET')).toBe("environment variable 'UNSET' is not set");
  });

  it('reads only variables that allowlist.pattern matches', async () => {
    const provider = new EnvVarConfigProvider(env);
    provider.configure({ 'allowlist.pattern': '^DB_' });
    const values = await provider.get('', new Set(['DB_USER', 'HOME']));
    expect(Object.fromEntries(values)).toEqual({ DB_USER: 'app' });
    expect(provider.describeMissing('', 'HOME')).toBe(
      "environment variable 'HOME' is not allowed by allowlist.pattern '^DB_'",
    );
  });

  it('matches the pattern anywhere in the name, as Kafka does', async () => {
    const provider = new EnvVarConfigProvider(env);
    provider.configure({ 'allowlist.pattern': 'PASS' });
    expect((await provider.get('', new Set(['DB_PASSWORD']))).get('DB_PASSWORD')).toBe('pw');
  });

  it('rejects an invalid pattern and a path', async () => {
    expect(() => new EnvVarConfigProvider(env).configure({ 'allowlist.pattern': '(' })).toThrow(
      "allowlist.pattern: invalid regular expression '('",
    );
    await expect(new EnvVarConfigProvider(env).get('/x', new Set(['HOME']))).rejects.toThrow('takes no path');
  });

  it('reads the process environment by default', async () => {
    const name = `TSCONNECT_TEST_${process.pid}_DEFAULT`;
    process.env[name] = 'from-process';
    try {
      expect((await new EnvVarConfigProvider().get('', new Set([name]))).get(name)).toBe('from-process');
    } finally {
      delete process.env[name];
    }
  });
});
