/**
 * Starts connect-standalone as a separate process, as a user would, on a throwaway embedded log
 * directory and an ephemeral REST port, and tells the test its URL. Needs `npm run build` first
 * (the `npm test` script does it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { launcherNodeArgs } from './launcher-args.js';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/connect-standalone.js');

export interface WorkerProcess {
  url: string;
  dir: string;
  child: ChildProcess;
  /** Everything the worker wrote to stderr so far. */
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `tsconnect-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

function propsText(props: Record<string, string>): string {
  return Object.entries(props).map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`).join('\n') + '\n';
}

export interface StartOptions {
  dir: string;
  workerProps?: Record<string, string>;
  connectors?: Array<Record<string, string>>;
  /** Connector files passed as they are (after those written from `connectors`). */
  connectorFiles?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function startWorker(options: StartOptions): Promise<WorkerProcess> {
  if (!existsSync(join(ROOT, 'dist/bin/src/connect-standalone.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the integration tests');
  }
  const workerFile = join(options.dir, 'worker.properties');
  await writeFile(workerFile, propsText({
    'embedded.log.dir': join(options.dir, 'log'),
    listeners: 'http://127.0.0.1:0',
    'offset.flush.interval.ms': '1000',
    ...options.workerProps,
  }));
  const files: string[] = [];
  for (const [i, c] of (options.connectors ?? []).entries()) {
    const f = join(options.dir, `connector-${i}.properties`);
    await writeFile(f, propsText(c));
    files.push(f);
  }
  files.push(...(options.connectorFiles ?? []));
  const child = spawn(process.execPath, [...launcherNodeArgs(BIN), BIN, workerFile, ...files], {
    cwd: options.dir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within ${options.timeoutMs ?? 20000} ms:\n${out}`)), options.timeoutMs ?? 20000);
    const check = () => {
      const m = /REST API at (http:\/\/\S+?),/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it started:\n${out}`));
    });
  });
  return {
    url,
    dir: options.dir,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `fn` until it returns a truthy value or the time is up. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 15000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** fetch with JSON in and out; returns status, headers and the parsed body (or text). */
export async function http(method: string, url: string, body?: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  // A connection per request: a pooled one idle past the worker's 5 s keep-alive while the test
  // process was busy (decoding 100,000 events) was closed under a request ("other side closed").
  const res = await fetch(url, {
    method,
    headers: body === undefined ? { connection: 'close' } : { connection: 'close', 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
