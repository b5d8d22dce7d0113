import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceMap, SourceRecord } from '../../runtime/api/index.js';
import { FileStreamSourceTask } from './source-task.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function taskOn(content: string, stored: SourceMap | null = null, batch = 2000) {
  const dir = await mkdtemp(join(tmpdir(), 'tsconnect-filesrc-'));
  dirs.push(dir);
  const file = join(dir, 'in.txt');
  await writeFile(file, content);
  const task = new FileStreamSourceTask();
  task.initialize({
    configs: () => ({}),
    offsetStorageReader: { offset: async () => stored, offsets: async () => new Map() },
    errantRecordReporter: () => null,
    reportProgress: () => undefined,
  });
  await task.start({ file, topic: 't', 'batch.size': String(batch) });
  return { task, file };
}

async function drain(task: FileStreamSourceTask, polls = 5): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (let i = 0; i < polls; i++) out.push(...((await task.poll()) ?? []));
  return out;
}

describe('FileStreamSourceTask', () => {
  it('reads \\n, \\r\\n and \\r lines with byte positions as offsets', async () => {
    const { task, file } = await taskOn('a\r\nbé\rc\n');
    const records = await drain(task, 2);
    expect(records.map((r) => r.value)).toEqual(['a', 'bé', 'c']);
    expect(records.map((r) => r.sourceOffset)).toEqual([{ position: 3 }, { position: 7 }, { position: 9 }]);
    expect(records[0]!.sourcePartition).toEqual({ filename: file });
    expect(records[0]!.topic).toBe('t');
    task.stop();
  });

  it('holds back a last line until its newline arrives', async () => {
    const { task, file } = await taskOn('one\ntw');
    expect((await drain(task, 2)).map((r) => r.value)).toEqual(['one']);
    await appendFile(file, 'o\n');
    expect((await drain(task, 2)).map((r) => r.value)).toEqual(['two']);
    task.stop();
  });

  it('resumes after the stored position', async () => {
    const { task } = await taskOn('a\nb\nc\n', { position: 2 });
    expect((await drain(task, 2)).map((r) => r.value)).toEqual(['b', 'c']);
    task.stop();
  });

  it('returns at most batch.size lines per poll', async () => {
    const { task } = await taskOn('1\n2\n3\n4\n5\n', null, 2);
    const first = await task.poll();
    expect(first!.map((r) => r.value)).toEqual(['1', '2']);
    task.stop();
  });
});
