/**
 * Logging with runtime-adjustable levels (the `/admin/loggers` endpoint changes them) and the
 * connector context on every line: the worker runs task calls inside `withLogContext`, so a plugin's
 * plain `log.info(...)` comes out as `[my-connector|task-0]`, as Kafka Connect's MDC does.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'OFF';
export const LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF'];
const RANK: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, OFF: 5 };

const context = new AsyncLocalStorage<string>();
/** Levels set per logger name (a dotted or slashed prefix applies to everything below it). */
const levels = new Map<string, { level: LogLevel; lastModified: number }>([['root', { level: 'INFO', lastModified: 0 }]]);
let sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

export function withLogContext<T>(label: string, fn: () => T): T {
  return context.run(label, fn);
}

/** Where log lines go (stderr by default); tests and the CLI may redirect. */
export function setLogSink(fn: (line: string) => void): void {
  sink = fn;
}

export function effectiveLevel(name: string): LogLevel {
  let n = name;
  for (;;) {
    const hit = levels.get(n);
    if (hit) return hit.level;
    const cut = Math.max(n.lastIndexOf('.'), n.lastIndexOf('/'));
    if (cut <= 0) return levels.get('root')!.level;
    n = n.slice(0, cut);
  }
}

/** Sets the level of a logger (and so of every logger below it); returns the names affected. */
export function setLevel(name: string, level: LogLevel): string[] {
  const now = Date.now();
  levels.set(name, { level, lastModified: now });
  const affected = [name];
  if (name === 'root') {
    for (const key of levels.keys()) if (key !== 'root') levels.delete(key), affected.push(key);
    return affected;
  }
  for (const key of [...levels.keys()]) {
    if (key.startsWith(`${name}.`) || key.startsWith(`${name}/`)) {
      levels.set(key, { level, lastModified: now });
      affected.push(key);
    }
  }
  return affected;
}

const known = new Set<string>();

/** Every logger name created so far and every name with a level, with its level. */
export function listLoggers(): Array<{ name: string; level: LogLevel; lastModified: number | null }> {
  const names = new Set([...known, ...levels.keys()]);
  return [...names].sort().map((name) => ({
    name,
    level: effectiveLevel(name),
    lastModified: levels.get(name)?.lastModified || null,
  }));
}

export class Logger {
  constructor(readonly name: string) {
    known.add(name);
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[effectiveLevel(this.name)];
  }

  trace(msg: string, err?: unknown): void { this.log('TRACE', msg, err); }
  debug(msg: string, err?: unknown): void { this.log('DEBUG', msg, err); }
  info(msg: string, err?: unknown): void { this.log('INFO', msg, err); }
  warn(msg: string, err?: unknown): void { this.log('WARN', msg, err); }
  error(msg: string, err?: unknown): void { this.log('ERROR', msg, err); }

  private log(level: LogLevel, msg: string, err?: unknown): void {
    if (!this.enabled(level)) return;
    const ctx = context.getStore();
    const trail = err instanceof Error ? `\n${err.stack ?? err.message}` : err === undefined ? '' : ` ${String(err)}`;
    // A message that names its task itself (it may be logged outside the task's context too) keeps one label.
    const label = ctx && !msg.startsWith(`[${ctx}]`) ? `[${ctx}] ` : '';
    sink(`[${new Date().toISOString()}] ${level.padEnd(5)} ${label}${msg} (${this.name})${trail}`);
  }
}

export function getLogger(name: string): Logger {
  return new Logger(name);
}
