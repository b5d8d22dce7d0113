/**
 * kill -9 of the worker in the middle of a 1,000,000-line pipeline, then a restart: the sink file
 * must end up with every line, in order (first occurrences), nothing torn. At-least-once means
 * lines between the last offset commit and the crash may appear twice; none may be missing.
 */
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startWorker, tempDir, type WorkerProcess } from '../harness/worker-process.js';

const LINES = 1_000_000;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function writeInput(path: string): Promise<void> {
  const out = createWriteStream(path);
  let chunk = '';
  for (let i = 1; i <= LINES; i++) {
    chunk += `line-${String(i).padStart(7, '0')}\n`;
    if (i % 10000 === 0) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

async function sinkSize(path: string): Promise<number> {
  return (await stat(path).catch(() => ({ size: 0 }))).size;
}

describe('crash recovery', () => {
  it('loses no line when the worker is killed with SIGKILL mid-pipeline', { timeout: 180_000 }, async () => {
    const tmp = await tempDir('crash');
    cleanups.push(tmp.remove);
    const input = join(tmp.path, 'in.txt');
    const output = join(tmp.path, 'out.txt');
    await writeInput(input);
    const connectors: Array<Record<string, string>> = [
      { name: 'crash-source', 'connector.class': 'FileStreamSource', file: input, topic: 'crash-topic' },
      { name: 'crash-sink', 'connector.class': 'FileStreamSink', file: output, topics: 'crash-topic' },
    ];
    const expectedBytes = LINES * 'line-0000000\n'.length;
    let worker: WorkerProcess = await startWorker({ dir: tmp.path, connectors });
    cleanups.push(() => worker.stop());
    // Kill once a good part, but not all, has reached the sink.
    await eventually(async () => (await sinkSize(output)) > expectedBytes * 0.2, 60_000, '20% of the lines in the sink');
    await worker.kill();
    expect(await sinkSize(output)).toBeLessThan(expectedBytes);

    worker = await startWorker({ dir: tmp.path, connectors });
    let last = -1;
    await eventually(async () => {
      const text = await readFile(output, 'utf8');
      // Done when the last line has arrived and the file stopped growing.
      const done = text.endsWith(`line-${String(LINES).padStart(7, '0')}\n`) && text.length === last;
      last = text.length;
      return done;
    }, 90_000, 'every line in the sink after restart');

    const lines = (await readFile(output, 'utf8')).split('\n');
    lines.pop();
    let next = 1;
    let duplicates = 0;
    for (const line of lines) {
      const m = /^line-(\d{7})$/.exec(line);
      expect(m, `torn or foreign line: ${JSON.stringify(line)}`).not.toBeNull();
      const n = Number(m![1]);
      if (n === next) next++;
      else if (n < next) duplicates++;
      else throw new Error(`line ${n} arrived before line ${next}: a gap`);
    }
    expect(next - 1).toBe(LINES);
    // Replays are bounded by what was not yet committed at the crash.
    expect(duplicates).toBeLessThan(LINES);
  });
});
