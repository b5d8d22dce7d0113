/**
 * `${env:VAR}`: an environment variable of the worker process, read once when the provider is
 * created. The `allowlist.pattern` param limits which variables may be read; as in Kafka, the pattern
 * needs to match somewhere in the name (anchor it with `^...$` to match the whole name). Patterns are
 * JavaScript regular expressions, which agree with Java's for ordinary patterns.
 */
import { ConfigError } from '../../api/errors.js';
import type { ConfigProvider } from './types.js';

export const ALLOWLIST_PATTERN_PARAM = 'allowlist.pattern';

export class EnvVarConfigProvider implements ConfigProvider {
  private readonly env: ReadonlyMap<string, string>;
  private allowlist: RegExp | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.env = new Map(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  }

  configure(params: Record<string, string>): void {
    const pattern = params[ALLOWLIST_PATTERN_PARAM];
    if (pattern === undefined) return;
    try {
      this.allowlist = new RegExp(pattern);
    } catch (error) {
      throw new ConfigError(`${ALLOWLIST_PATTERN_PARAM}: invalid regular expression '${pattern}'`, {}, { cause: error });
    }
  }

  async get(path: string, keys: ReadonlySet<string>): Promise<Map<string, string>> {
    if (path !== '') throw new ConfigError(`EnvVarConfigProvider takes no path, got '${path}': use \${<alias>:VAR}`);
    const found = new Map<string, string>();
    for (const key of keys) {
      const value = this.env.get(key);
      if (value !== undefined && this.allows(key)) found.set(key, value);
    }
    return found;
  }

  describeMissing(_path: string, key: string): string {
    if (this.env.has(key) && !this.allows(key)) {
      return `environment variable '${key}' is not allowed by ${ALLOWLIST_PATTERN_PARAM} '${this.allowlist?.source}'`;
    }
    return `environment variable '${key}' is not set`;
  }

  private allows(name: string): boolean {
    return this.allowlist === undefined || this.allowlist.test(name);
  }
}
