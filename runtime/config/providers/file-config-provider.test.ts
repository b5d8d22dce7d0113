import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileConfigProvider } from './file-config-provider.js';

describe('FileConfigProvider', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsconnect-fileprov-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the requested keys that the file has', async () => {
    const path = join(dir, 'db.properties');
    await writeFile(path, 'user=app\npassword=s3cr\\u00e9t\nother=x\n');
    const provider = new FileConfigProvider();
    provider.configure({});
    const values = await provider.get(path, new Set(['user', 'password', 'absent']));
    expect(Object.fromEntries(values)).toEqual({ user: 'app', password: 's3crét' });
  });

  it('names a missing file', async () => {
    const provider = new FileConfigProvider();
    const path = join(dir, 'missing.properties');
    await expect(provider.get(path, new Set(['k']))).rejects.toThrow(`${path}: file not found`);
  });

  it('needs a path', async () => {
    await expect(new FileConfigProvider().get('', new Set(['k']))).rejects.toThrow('needs a file path');
  });

  it('reads only inside allowed.paths', async () => {
    const inside = join(dir, 'inside.properties');
    await writeFile(inside, 'k=v\n');
    const provider = new FileConfigProvider();
    provider.configure({ 'allowed.paths': dir });
    expect((await provider.get(inside, new Set(['k']))).get('k')).toBe('v');
    await expect(provider.get('/etc/hostname', new Set(['k']))).rejects.toThrow('is not inside allowed.paths');
  });
});
