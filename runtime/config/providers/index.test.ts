import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../api/errors.js';
import { type ConfigProvider, createConfigTransformer } from './index.js';

const PKG = 'org.apache.kafka.common.config.provider.';

describe('createConfigTransformer', () => {
  let dir: string;
  let envNames: string[];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsconnect-transformer-'));
    envNames = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    for (const name of envNames) delete process.env[name];
  });

  function setEnv(suffix: string, value: string): string {
    const name = `TSCONNECT_TRANSFORMER_${process.pid}_${suffix}`;
    process.env[name] = value;
    envNames.push(name);
    return name;
  }

  async function secretsFile(text: string): Promise<string> {
    const path = join(dir, 'secrets.properties');
    await writeFile(path, text);
    return path;
  }

  it('resolves file, env and directory placeholders from a worker properties map', async () => {
    const path = await secretsFile('db.user=app\ndb.password=s3cret\n');
    const secretsDir = join(dir, 'mounted');
    await mkdir(secretsDir);
    await writeFile(join(secretsDir, 'api-token'), 'tok-123');
    const host = setEnv('HOST', 'db.internal');
    const transformer = createConfigTransformer(
      new Map([
        ['config.providers', 'file, env,dir'],
        ['config.providers.file.class', `${PKG}FileConfigProvider`],
        ['config.providers.env.class', `${PKG}EnvVarConfigProvider`],
        ['config.providers.dir.class', 'DirectoryConfigProvider'],
      ]),
    );
    expect(transformer.aliases).toEqual(['file', 'env', 'dir']);
    const resolved = await transformer.transform({
      'connection.user': `\${file:${path}:db.user}`,
      'connection.password': `\${file:${path}:db.password}`,
      'database.hostname': `\${env:${host}}`,
      'http.token': `\${dir:${secretsDir}:api-token}`,
      'tasks.max': '1',
    });
    expect(resolved).toEqual({
      'connection.user': 'app',
      'connection.password': 's3cret',
      'database.hostname': 'db.internal',
      'http.token': 'tok-123',
      'tasks.max': '1',
    });
    await transformer.close();
  });

  it('replaces several placeholders in one value and keeps the text around them', async () => {
    const path = await secretsFile('user=app\npassword=pw\n');
    const host = setEnv('MULTI_HOST', 'pg');
    const transformer = createConfigTransformer({
      'config.providers': 'file,env',
      'config.providers.file.class': 'FileConfigProvider',
      'config.providers.env.class': 'EnvVarConfigProvider',
    });
    const resolved = await transformer.transform({
      'connection.url': `jdbc:postgresql://\${env:${host}}:5432/db?user=\${file:${path}:user}&password=\${file:${path}:password}`,
    });
    expect(resolved['connection.url']).toBe('jdbc:postgresql://pg:5432/db?user=app&password=pw');
  });

  it('leaves placeholders of aliases not in config.providers as written', async () => {
    const transformer = createConfigTransformer({ 'config.providers': 'env', 'config.providers.env.class': 'EnvVarConfigProvider' });
    const config = { a: '${vault:secret/db:password}', b: 'plain ${not a placeholder}' };
    expect(await transformer.transform(config)).toEqual(config);
    const none = createConfigTransformer({});
    expect(none.aliases).toEqual([]);
    expect(await none.transform({ a: '${file:/x:y}' })).toEqual({ a: '${file:/x:y}' });
  });

  it('does not change the config it is given', async () => {
    const name = setEnv('COPY', 'v');
    const transformer = createConfigTransformer({ 'config.providers': 'env', 'config.providers.env.class': 'EnvVarConfigProvider' });
    const config = { k: `\${env:${name}}` };
    await transformer.transform(config);
    expect(config.k).toBe(`\${env:${name}}`);
  });

  it('passes params to the provider: allowlist.pattern', async () => {
    const allowed = setEnv('ALLOWED', 'yes');
    const secret = setEnv('SECRET', 'no');
    const transformer = createConfigTransformer({
      'config.providers': 'env',
      'config.providers.env.class': 'EnvVarConfigProvider',
      'config.providers.env.param.allowlist.pattern': '_ALLOWED$',
    });
    expect(await transformer.transform({ a: `\${env:${allowed}}` })).toEqual({ a: 'yes' });
    await expect(transformer.transform({ b: `\${env:${secret}}` })).rejects.toThrow(
      `Cannot resolve \${env:${secret}} in 'b': environment variable '${secret}' is not allowed by allowlist.pattern '_ALLOWED$'`,
    );
  });

  it('enforces allowed.paths, naming the connector key and placeholder', async () => {
    const secrets = join(dir, 'secrets');
    await mkdir(secrets);
    await writeFile(join(secrets, 'ok.properties'), 'k=v\n');
    const outside = await secretsFile('k=leaked\n');
    const transformer = createConfigTransformer({
      'config.providers': 'file',
      'config.providers.file.class': 'FileConfigProvider',
      'config.providers.file.param.allowed.paths': secrets,
    });
    expect(await transformer.transform({ a: `\${file:${secrets}/ok.properties:k}` })).toEqual({ a: 'v' });
    await expect(transformer.transform({ 'connection.password': `\${file:${outside}:k}` })).rejects.toThrow(
      `Cannot resolve \${file:${outside}:k} in 'connection.password': path '${outside}' is not inside allowed.paths (${secrets})`,
    );
    await expect(transformer.transform({ a: `\${file:${secrets}/../secrets.properties:k}` })).rejects.toThrow(
      'is not inside allowed.paths',
    );
  });

  it('names the key and placeholder for a missing file and an absent key', async () => {
    const path = await secretsFile('present=1\n');
    const missing = join(dir, 'missing.properties');
    const transformer = createConfigTransformer({ 'config.providers': 'file', 'config.providers.file.class': 'FileConfigProvider' });
    await expect(transformer.transform({ 'db.password': `\${file:${missing}:pw}` })).rejects.toThrow(
      `Cannot resolve \${file:${missing}:pw} in 'db.password': ${missing}: file not found`,
    );
    await expect(transformer.transform({ 'db.user': `\${file:${path}:absent}` })).rejects.toThrow(
      `Cannot resolve \${file:${path}:absent} in 'db.user': key 'absent' not found in ${path}`,
    );
  });

  it('reports every unresolvable placeholder, per config key', async () => {
    const path = await secretsFile('present=1\n');
    const transformer = createConfigTransformer({ 'config.providers': 'file', 'config.providers.file.class': 'FileConfigProvider' });
    const error = await transformer
      .transform({ a: `\${file:${path}:x}-\${file:${path}:present}-\${file:${path}:y}`, b: `\${file:${path}:z}` })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('(and 2 more)');
    expect(Object.keys((error as ConfigError).errors)).toEqual(['a', 'b']);
    expect((error as ConfigError).errors.a).toHaveLength(2);
  });

  it('asks a provider once per path however many placeholders use it', async () => {
    const calls: string[] = [];
    const counting: ConfigProvider = {
      configure: () => undefined,
      get: async (path, keys) => {
        calls.push(`${path}:${[...keys].sort().join(',')}`);
        return new Map([...keys].map((k) => [k, k.toUpperCase()]));
      },
    };
    const transformer = createConfigTransformer(
      { 'config.providers': 'c', 'config.providers.c.class': 'com.example.Counting' },
      { providerClasses: { 'com.example.Counting': () => counting } },
    );
    const resolved = await transformer.transform({ a: '${c:p:x}${c:p:y}', b: '${c:p:x} ${c:q:z}' });
    expect(resolved).toEqual({ a: 'XY', b: 'X Z' });
    expect(calls.sort()).toEqual(['p:x,y', 'q:z']);
  });

  it('rejects a listed alias without a class, or with an unknown class, naming the worker key', () => {
    expect(() => createConfigTransformer({ 'config.providers': 'vault' })).toThrow(
      "config.providers lists 'vault' but config.providers.vault.class is not set",
    );
    expect(() =>
      createConfigTransformer({ 'config.providers': 'vault', 'config.providers.vault.class': 'com.example.VaultProvider' }),
    ).toThrow("config.providers.vault.class: unknown config provider class 'com.example.VaultProvider'");
  });

  it('rejects bad provider params at creation, naming the alias', () => {
    expect(() =>
      createConfigTransformer({
        'config.providers': 'file',
        'config.providers.file.class': 'FileConfigProvider',
        'config.providers.file.param.allowed.paths': 'relative/dir',
      }),
    ).toThrow("config.providers.file: allowed.paths: path 'relative/dir' is not absolute");
  });
});
