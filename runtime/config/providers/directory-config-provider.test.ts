import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryConfigProvider } from './directory-config-provider.js';

describe('DirectoryConfigProvider', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsconnect-dirprov-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns whole file contents by file name, untrimmed', async () => {
    await writeFile(join(dir, 'password'), 'hunter2\n');
    await writeFile(join(dir, 'user'), 'app');
    const provider = new DirectoryConfigProvider();
    provider.configure({});
    const values = await provider.get(dir, new Set(['password', 'user', 'absent']));
    expect(Object.fromEntries(values)).toEqual({ password: 'hunter2\n', user: 'app' });
  });

  it('follows symlinked entries, as Kubernetes secret mounts use them', async () => {
    await mkdir(join(dir, '..data'));
    await writeFile(join(dir, '..data', 'token'), 'abc');
    await symlink(join('..data', 'token'), join(dir, 'token'));
    const values = await new DirectoryConfigProvider().get(dir, new Set(['token']));
    expect(values.get('token')).toBe('abc');
  });

  it('ignores subdirectories and keys that reach outside the directory', async () => {
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'x'), 'nested');
    const values = await new DirectoryConfigProvider().get(dir, new Set(['sub', 'sub/x', '../x']));
    expect(values.size).toBe(0);
  });

  it('names a missing directory and a path that is a file', async () => {
    const provider = new DirectoryConfigProvider();
    await expect(provider.get(join(dir, 'nope'), new Set(['k']))).rejects.toThrow('nope: directory not found');
    await writeFile(join(dir, 'file'), 'x');
    await expect(provider.get(join(dir, 'file'), new Set(['k']))).rejects.toThrow('file: not a directory');
  });

  it('reads only inside allowed.paths', async () => {
    const secrets = join(dir, 'secrets');
    await mkdir(secrets);
    await writeFile(join(secrets, 'k'), 'v');
    const provider = new DirectoryConfigProvider();
    provider.configure({ 'allowed.paths': secrets });
    expect((await provider.get(secrets, new Set(['k']))).get('k')).toBe('v');
    await expect(provider.get(dir, new Set(['k']))).rejects.toThrow('is not inside allowed.paths');
  });
});
