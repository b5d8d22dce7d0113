/**
 * Records a converter cannot read: with errors.tolerance=all they go to the dead letter queue
 * with __connect.errors.* headers and the rest flows on; with none the task fails with a clear
 * trace and its offsets do not move past the bad record.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTopic } from '../harness/read-topic.js';
import { eventually, http, startWorker, tempDir } from '../harness/worker-process.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const LINES = ['{"n":1}', '{"n":2}', 'not json', '{"n":3}'];

async function setup(prefix: string, sinkExtra: Record<string, string>) {
  const tmp = await tempDir(prefix);
  cleanups.push(tmp.remove);
  await writeFile(join(tmp.path, 'in.txt'), `${LINES.join('\n')}\n`);
  const w = await startWorker({
    dir: tmp.path,
    connectors: [
      // The source writes the lines as plain strings, so one of them is not JSON.
      { name: 'raw-source', 'connector.class': 'FileStreamSource', file: join(tmp.path, 'in.txt'), topic: 'mixed', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' },
      {
        name: 'json-sink', 'connector.class': 'FileStreamSink', file: join(tmp.path, 'out.txt'), topics: 'mixed',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'false',
        ...sinkExtra,
      },
    ],
  });
  cleanups.push(() => w.stop());
  return { tmp, w };
}

describe('error handling of a sink', () => {
  it('errors.tolerance=all: the bad record goes to the dead letter queue with context headers', async () => {
    const { tmp, w } = await setup('dlq', {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': 'mixed-dlq',
      'errors.deadletterqueue.context.headers.enable': 'true',
      'errors.log.enable': 'true',
      'errors.log.include.messages': 'true',
    });
    await eventually(async () => (await readFile(join(tmp.path, 'out.txt'), 'utf8').catch(() => '')).split('\n').length === 4, 15000, 'three good lines');
    expect(await readFile(join(tmp.path, 'out.txt'), 'utf8')).toBe('{n=1}\n{n=2}\n{n=3}\n');
    const dlq = await eventually(async () => {
      const r = await readTopic(tmp.path, 'mixed-dlq');
      return r.length === 1 ? r : null;
    }, 10000, 'dead letter record');
    expect(Buffer.from(dlq[0]!.value!).toString()).toBe('not json');
    const headers = Object.fromEntries(dlq[0]!.headers.map((h) => [h.key, Buffer.from(h.value!).toString()]));
    expect(headers).toMatchObject({
      '__connect.errors.topic': 'mixed',
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '2',
      '__connect.errors.connector.name': 'json-sink',
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'VALUE_CONVERTER',
    });
    expect(headers['__connect.errors.exception.message']).toMatch(/JSON/i);
    const status = await http('GET', `${w.url}/connectors/json-sink/status`);
    expect(status.body.tasks[0].state).toBe('RUNNING');
    expect(w.output()).toContain("Error encountered in task. Executing stage 'VALUE_CONVERTER'");
  });

  it('errors.tolerance=none: the task fails with the trace and commits nothing past the bad record', async () => {
    const { tmp, w } = await setup('fail', {});
    const failed = await eventually(async () => {
      const s = await http('GET', `${w.url}/connectors/json-sink/status`);
      return s.body.tasks[0]?.state === 'FAILED' ? s.body.tasks[0] : null;
    }, 15000, 'task FAILED');
    expect(failed.trace).toContain('Tolerance exceeded in error handler');
    expect(failed.trace).toMatch(/JSON/i);
    // Stop the connector so its offsets can be read as a user would.
    await http('PUT', `${w.url}/connectors/json-sink/stop`);
    const offsets = await http('GET', `${w.url}/connectors/json-sink/offsets`);
    for (const o of offsets.body.offsets) expect(o.offset.kafka_offset).toBeLessThanOrEqual(2);
    const written = await readFile(join(tmp.path, 'out.txt'), 'utf8').catch(() => '');
    expect(written.includes('{n=3}')).toBe(false);
  });
});
