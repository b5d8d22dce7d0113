/**
 * The file pipeline end to end, in a separate worker process, as the README tells a user to run
 * it: lines of a file go through a topic of the embedded log into another file.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, http, startWorker, tempDir, type WorkerProcess } from '../harness/worker-process.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function linesOf(path: string): Promise<string[]> {
  try {
    const text = await readFile(path, 'utf8');
    return text === '' ? [] : text.replace(/\n$/, '').split('\n');
  } catch {
    return [];
  }
}

function fileConnectors(dir: string, topic: string): Array<Record<string, string>> {
  return [
    { name: 'local-file-source', 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: join(dir, 'in.txt'), topic },
    { name: 'local-file-sink', 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', 'tasks.max': '1', file: join(dir, 'out.txt'), topics: topic },
  ];
}

async function start(dir: string, topic: string): Promise<WorkerProcess> {
  const w = await startWorker({ dir, connectors: fileConnectors(dir, topic) });
  cleanups.push(() => w.stop());
  return w;
}

describe('file source -> embedded log -> file sink', () => {
  it('copies every line, in order, and shows both connectors RUNNING', async () => {
    const tmp = await tempDir('pipeline');
    cleanups.push(tmp.remove);
    const input = Array.from({ length: 5000 }, (_, i) => `line ${i} ünïcode ✓`);
    await writeFile(join(tmp.path, 'in.txt'), `${input.join('\n')}\n`);
    const w = await start(tmp.path, 'pipeline-test');

    await eventually(async () => (await linesOf(join(tmp.path, 'out.txt'))).length >= input.length, 20000, 'sink file');
    expect(await linesOf(join(tmp.path, 'out.txt'))).toEqual(input);

    const res = await http('GET', `${w.url}/connectors?expand=status`);
    expect(res.status).toBe(200);
    expect(res.body['local-file-source'].status.connector.state).toBe('RUNNING');
    expect(res.body['local-file-source'].status.tasks).toEqual([expect.objectContaining({ id: 0, state: 'RUNNING' })]);
    expect(res.body['local-file-sink'].status.type).toBe('sink');
    expect(res.body['local-file-sink'].status.tasks[0].state).toBe('RUNNING');
  });

  it('resumes after a restart: lines appended meanwhile arrive once, none twice', async () => {
    const tmp = await tempDir('resume');
    cleanups.push(tmp.remove);
    await writeFile(join(tmp.path, 'in.txt'), 'a\nb\nc\n');
    const first = await start(tmp.path, 'resume-test');
    await eventually(async () => (await linesOf(join(tmp.path, 'out.txt'))).length === 3, 15000, 'first lines');
    expect(await first.stop()).toBe(0);

    await appendFile(join(tmp.path, 'in.txt'), 'd\ne\n');
    await start(tmp.path, 'resume-test');
    await eventually(async () => (await linesOf(join(tmp.path, 'out.txt'))).length >= 5, 15000, 'appended lines');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await linesOf(join(tmp.path, 'out.txt'))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('tails the file: a line appended while running arrives', async () => {
    const tmp = await tempDir('tail');
    cleanups.push(tmp.remove);
    await writeFile(join(tmp.path, 'in.txt'), 'first\n');
    await start(tmp.path, 'tail-test');
    await eventually(async () => (await linesOf(join(tmp.path, 'out.txt'))).length === 1, 15000, 'first line');
    await appendFile(join(tmp.path, 'in.txt'), 'second\n');
    await eventually(async () => (await linesOf(join(tmp.path, 'out.txt'))).length === 2, 15000, 'appended line');
    expect(await linesOf(join(tmp.path, 'out.txt'))).toEqual(['first', 'second']);
  });
});
