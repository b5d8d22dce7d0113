/**
 * Test fixtures: temp directories and logs that a test file closes and removes in afterEach:
 *   const logs = new TempLogs(); afterEach(() => logs.cleanup());
 * (Kept free of vitest imports so the build can compile it like any module.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedLog, type EmbeddedLog, type EmbeddedLogOptions } from './log.js';

export class TempLogs {
  private readonly dirs: string[] = [];
  private readonly logs: EmbeddedLog[] = [];

  dir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'tsconnect-log-'));
    this.dirs.push(dir);
    return dir;
  }

  open(dir: string = this.dir(), options: EmbeddedLogOptions = {}): EmbeddedLog {
    const log = openEmbeddedLog(dir, { cleanerIntervalMs: 0, ...options });
    this.logs.push(log);
    return log;
  }

  async cleanup(): Promise<void> {
    for (const log of this.logs.splice(0)) await log.close();
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const bytes = (s: string): Uint8Array => encoder.encode(s);
export const text = (b: Uint8Array | null): string | null => (b === null ? null : decoder.decode(b));
