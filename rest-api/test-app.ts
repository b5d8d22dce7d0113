/** Starts the REST API over a TestHerder on 127.0.0.1, an ephemeral port, for the route tests. */
import { afterEach, beforeEach } from 'vitest';
import { setLogSink } from '../runtime/api/logger.js';
import { startRestServer, type RestServer } from './server.js';
import { TestHerder } from './test-herder.js';

export interface Answer {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  text: string;
}

export interface TestApp {
  herder: TestHerder;
  server: RestServer;
  /** Log lines written while the test ran (kept off stderr). */
  logs: string[];
  /** `body` is sent as JSON; a string is sent as it is (for malformed-body tests). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

/** Registers hooks that give each test its own herder and server, closed after the test. */
export function useTestApp(): TestApp {
  const app = {} as TestApp;
  beforeEach(async () => {
    app.logs = [];
    setLogSink((line) => app.logs.push(line));
    app.herder = new TestHerder();
    app.server = await startRestServer(app.herder, { listeners: 'http://127.0.0.1:0' });
    app.call = (method, path, body, headers) => call(app.server.url, method, path, body, headers);
  });
  afterEach(async () => {
    await app.server.close();
    setLogSink((line) => process.stderr.write(`${line}\n`));
  });
  return app;
}

export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'Content-Type': 'application/json', ...headers };
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** A connector config the TestHerder accepts. */
export function sourceConfig(extra: Record<string, string> = {}): Record<string, string> {
  return { 'connector.class': 'FileStreamSource', 'tasks.max': '2', topic: 'lines', file: '/tmp/in.txt', ...extra };
}
