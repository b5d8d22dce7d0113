import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLog } from './open.js';
import type { Log } from './log.js';

const opened: Log[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const log of opened.splice(0)) await log.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openLog', () => {
  it('opens the embedded log in embedded.log.dir when bootstrap.servers is absent or empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsconnect-open-'));
    dirs.push(dir);
    const log = openLog({ 'bootstrap.servers': '  ', 'embedded.log.dir': dir });
    opened.push(log);
    expect(log.description).toBe(`embedded:${dir}`);
    expect(existsSync(join(dir, 'log.sqlite'))).toBe(true);
  });

  it('says the Kafka backend is not there yet when bootstrap.servers is set', () => {
    expect(() => openLog({ 'bootstrap.servers': 'localhost:9092' })).toThrow(
      'the Kafka backend (bootstrap.servers) is not available yet in this build',
    );
  });
});
