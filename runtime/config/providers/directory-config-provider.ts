/**
 * `${directory:/path/to/dir:filename}`: the whole content (UTF-8, not trimmed) of a regular file in a
 * directory, the way Kubernetes and Docker mount secrets. Only direct entries of the directory count,
 * so a key with `/` or `..` never reaches outside it; symlinked entries are followed.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../api/errors.js';
import { ALLOWED_PATHS_PARAM, AllowedPaths } from './allowed-paths.js';
import type { ConfigProvider } from './types.js';

export class DirectoryConfigProvider implements ConfigProvider {
  private allowed = AllowedPaths.parse(undefined);

  configure(params: Record<string, string>): void {
    this.allowed = AllowedPaths.parse(params[ALLOWED_PATHS_PARAM]);
  }

  async get(path: string, keys: ReadonlySet<string>): Promise<Map<string, string>> {
    if (path === '') throw new ConfigError('DirectoryConfigProvider needs a directory: ${<alias>:/path/to/dir:filename}');
    const dir = this.allowed.check(path);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const detail = code === 'ENOENT' ? 'directory not found' : code === 'ENOTDIR' ? 'not a directory' : String(error);
      throw new ConfigError(`${path}: ${detail}`, {}, { cause: error });
    }
    const found = new Map<string, string>();
    for (const name of names) {
      if (!keys.has(name)) continue;
      const file = join(dir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      found.set(name, await readFile(file, 'utf8'));
    }
    return found;
  }

  describeMissing(path: string, key: string): string {
    return `no regular file named '${key}' in ${path}`;
  }
}
