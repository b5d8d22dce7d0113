/**
 * Kafka's `allowed.paths` provider param (KIP-993): a comma list of absolute, existing directories
 * or files. When set, a provider reads only paths inside one of them, compared after normalising
 * `.` and `..` and component by component (`/secrets` admits `/secrets/db` but not `/secrets-old`).
 * Like Kafka, symlinks are not resolved.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, normalize, sep } from 'node:path';
import { ConfigError } from '../../api/errors.js';

export const ALLOWED_PATHS_PARAM = 'allowed.paths';

function clean(path: string): string {
  const normal = normalize(path);
  return normal.length > 1 && normal.endsWith(sep) ? normal.slice(0, -1) : normal;
}

export class AllowedPaths {
  private constructor(private readonly roots: string[] | undefined) {}

  /** Reads the param value; unset or empty allows every path. */
  static parse(value: string | undefined): AllowedPaths {
    if (value === undefined || value.trim() === '') return new AllowedPaths(undefined);
    const roots = value.split(',').map((entry) => {
      const root = clean(entry.trim());
      if (!isAbsolute(root)) throw new ConfigError(`${ALLOWED_PATHS_PARAM}: path '${root}' is not absolute`);
      if (!existsSync(root)) throw new ConfigError(`${ALLOWED_PATHS_PARAM}: path '${root}' does not exist`);
      return root;
    });
    return new AllowedPaths(roots);
  }

  /** The normalised path to read, or a ConfigError when it lies outside every allowed root. */
  check(path: string): string {
    if (this.roots === undefined) return path;
    const target = clean(path);
    const inside = isAbsolute(target) && this.roots.some((root) => target === root || target.startsWith(root === sep ? root : root + sep));
    if (!inside) {
      throw new ConfigError(`path '${path}' is not inside ${ALLOWED_PATHS_PARAM} (${this.roots.join(', ')})`);
    }
    return target;
  }
}
