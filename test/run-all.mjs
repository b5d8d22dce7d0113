#!/usr/bin/env node
// `npm test`: runs vitest, then prints the plain closing line "N passed, N failed" that CI reads,
// and exits with vitest's code.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const out = join(tmpdir(), `tsconnect-vitest-${process.pid}.json`);
const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...process.argv.slice(2)], { stdio: 'inherit' });
let summary = 'no results';
try {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  summary = `${r.numPassedTests} passed, ${r.numFailedTests} failed${r.numPendingTests ? `, ${r.numPendingTests} skipped` : ''}`;
  rmSync(out, { force: true });
} catch {
  // vitest did not write results (it crashed): its exit code says so
}
console.log(summary);
process.exit(run.status ?? 1);
