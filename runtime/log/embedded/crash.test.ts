/**
 * kill -9 while writing: every record the child saw acknowledged must be there, whole, at the
 * offset it was told, and each partition's offsets must run from 0 without a gap.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord } from '../log.js';
import { CRASH_TOPIC, crashValue } from './crash-child.js';
import type { EmbeddedLog } from './log.js';
import { TempLogs, text } from './test-support.js';

const logs = new TempLogs();
afterEach(() => logs.cleanup());

const viteNode = createRequire(import.meta.url).resolve('vite-node/vite-node.mjs');
const childScript = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

interface Ack {
  seq: number;
  partition: number;
  offset: number;
}

/** Runs the child until it has acknowledged `minAcks` records, then SIGKILLs it. */
function runAndKill(dir: string, minAcks: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [viteNode, childScript, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!; // an unfinished line was not fully printed: not counted as acked
      for (const line of lines) {
        const [, seq, partition, offset] = line.split(' ');
        acks.push({ seq: Number(seq), partition: Number(partition), offset: Number(offset) });
      }
      if (acks.length >= minAcks && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

async function readPartition(log: EmbeddedLog, partition: number): Promise<LogRecord[]> {
  const consumer = log.consumer({ maxPollRecords: 5000 });
  await consumer.assign([{ topic: CRASH_TOPIC, partition }]);
  const out: LogRecord[] = [];
  for (let batch = await consumer.poll(10); batch.length > 0; batch = await consumer.poll(10)) out.push(...batch);
  await consumer.close();
  return out;
}

describe('embedded log crash safety', () => {
  it('keeps every acknowledged record, whole and in place, across kill -9', async () => {
    const dir = logs.dir();
    const acked: Ack[] = [];
    for (let round = 0; round < 2; round++) acked.push(...(await runAndKill(dir, 3000)));
    expect(acked.length).toBeGreaterThanOrEqual(6000);

    const log = logs.open(dir);
    const offsets = await log.admin().offsets(CRASH_TOPIC);
    const stored = new Map<string, number>();
    for (const { partition, latest } of offsets) {
      const records = await readPartition(log, partition);
      // Contiguous from 0 up to the log end offset: no hole and nothing past the end.
      expect(records.map((r) => r.offset)).toEqual(Array.from({ length: latest }, (_, i) => i));
      for (const r of records) {
        const seq = Number(text(r.headers[0]!.value));
        expect(text(r.value)).toBe(crashValue(seq));
        expect(text(r.key)).toBe(`k${seq}`);
        stored.set(`${partition}:${r.offset}`, seq);
      }
    }
    for (const ack of acked) expect(stored.get(`${ack.partition}:${ack.offset}`)).toBe(ack.seq);
  }, 60_000);
});
