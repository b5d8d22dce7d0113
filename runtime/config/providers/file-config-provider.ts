/**
 * `${file:/path/to/file.properties:key}`: the value of `key` in a `.properties` file, read with the
 * same parser as worker files. The file is read on every lookup, so an edited secret is picked up the
 * next time a task starts.
 */
import { ConfigError } from '../../api/errors.js';
import { readPropertiesFile } from '../properties.js';
import { ALLOWED_PATHS_PARAM, AllowedPaths } from './allowed-paths.js';
import type { ConfigProvider } from './types.js';

export class FileConfigProvider implements ConfigProvider {
  private allowed = AllowedPaths.parse(undefined);

  configure(params: Record<string, string>): void {
    this.allowed = AllowedPaths.parse(params[ALLOWED_PATHS_PARAM]);
  }

  async get(path: string, keys: ReadonlySet<string>): Promise<Map<string, string>> {
    if (path === '') throw new ConfigError('FileConfigProvider needs a file path: ${<alias>:/path/to/file.properties:key}');
    const props = await readPropertiesFile(this.allowed.check(path));
    const found = new Map<string, string>();
    for (const key of keys) {
      const value = props.get(key);
      if (value !== undefined) found.set(key, value);
    }
    return found;
  }

  describeMissing(path: string, key: string): string {
    return `key '${key}' not found in ${path}`;
  }
}
