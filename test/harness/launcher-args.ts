/**
 * The Node flags a bin script's shebang gives (`#!/usr/bin/env -S node --max-semi-space-size=8`):
 * harnesses and benchmarks that spawn `node <bin>` pass them too, so they run the worker exactly
 * as `npx connect-standalone` does.
 */
import { readFileSync } from 'node:fs';

export function launcherNodeArgs(bin: string): string[] {
  const first = readFileSync(bin, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\S*env\s+(?:-S\s+)?node\s*(.*)$/.exec(first) ?? /^#!\S*node\s*(.*)$/.exec(first);
  return m?.[1] ? m[1].trim().split(/\s+/) : [];
}
