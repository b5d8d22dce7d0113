/** The version `GET /` reports; the commit is filled in by the build when git is there. */
import { readFileSync } from 'node:fs';

function readPackageVersion(): string {
  // Sources run from runtime/, the build from dist/runtime/: one of the two is the package root.
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'tsconnect') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}

export const VERSION = readPackageVersion();
export const COMMIT = process.env.TSCONNECT_COMMIT ?? 'unknown';
