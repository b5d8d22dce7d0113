/**
 * Runs the built bin/ scripts as a user would (`node bin/tsconnect.js ...`), as child processes,
 * and gives the test their exit code and output. The scripts import dist/, so `ensureBuilt()`
 * compiles once when dist/bin/src/tsconnect.js is missing (npm test builds first anyway).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'dist/bin/src/tsconnect.js')) && existsSync(join(ROOT, 'dist/bin/src/connect-distributed.js'))) return;
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to stdin, which is then closed (EOF). Default: stdin closed at once. */
  input?: string;
  timeoutMs?: number;
}

/** Starts `node bin/<script> ...args`; the caller owns the child. */
export function startCli(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'bin', script), ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function runCli(script: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  const child = startCli(script, args);
  return collect(child, options);
}

export function collect(child: ChildProcess, options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (options.input !== undefined) child.stdin!.end(options.input);
  else if (!child.stdin!.writableEnded) child.stdin!.end();
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${child.spawnargs.join(' ')} did not exit in ${options.timeoutMs ?? 20000} ms; stderr: ${stderr}`));
    }, options.timeoutMs ?? 20000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** `tsconnect <args> --log-dir dir` */
export function tsconnect(dir: string, args: string[], options?: RunOptions): Promise<CliResult> {
  return runCli('tsconnect.js', [...args, '--log-dir', dir], options);
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `tsconnect-cli-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
