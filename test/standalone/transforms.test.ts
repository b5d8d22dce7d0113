/** Transforms and predicates configured the Kafka way, in a running pipeline, and a sink with several tasks. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJsonPayloads, readTopic } from '../harness/read-topic.js';
import { eventually, http, startWorker, tempDir } from '../harness/worker-process.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('transforms in a pipeline', () => {
  it('routes, wraps and filters records with Kafka class names and predicates', async () => {
    const tmp = await tempDir('smt');
    cleanups.push(tmp.remove);
    await writeFile(join(tmp.path, 'in.txt'), 'keep me\ndrop me\nkeep too\n');
    const w = await startWorker({ dir: tmp.path });
    cleanups.push(() => w.stop());
    const res = await http('POST', `${w.url}/connectors`, {
      name: 'smt-source',
      config: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        file: join(tmp.path, 'in.txt'),
        topic: 'orders',
        transforms: 'route,hoist,insert',
        'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
        'transforms.route.regex': '(.*)',
        'transforms.route.replacement': 'prod-$1',
        'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
        'transforms.hoist.field': 'line',
        'transforms.insert.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
        'transforms.insert.static.field': 'source',
        'transforms.insert.static.value': 'file',
      },
    });
    expect(res.status).toBe(201);
    const values = await eventually(async () => {
      const v = await readJsonPayloads(tmp.path, 'prod-orders');
      return v.length === 3 ? v : null;
    }, 15000, 'three records in prod-orders');
    expect(values).toEqual([
      { line: 'keep me', source: 'file' },
      { line: 'drop me', source: 'file' },
      { line: 'keep too', source: 'file' },
    ]);
    expect(await readTopic(tmp.path, 'orders')).toEqual([]);

    await http('POST', `${w.url}/connectors`, {
      name: 'smt-sink',
      config: {
        'connector.class': 'FileStreamSink',
        file: join(tmp.path, 'out.txt'),
        'topics.regex': 'prod-.*',
        transforms: 'extract,drop',
        'transforms.extract.type': 'org.apache.kafka.connect.transforms.ExtractField$Value',
        'transforms.extract.field': 'line',
        'transforms.drop.type': 'org.apache.kafka.connect.transforms.Filter',
        'transforms.drop.predicate': 'isKeep',
        'transforms.drop.negate': 'false',
        predicates: 'isKeep',
        'predicates.isKeep.type': 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
        'predicates.isKeep.name': 'never-set',
      },
    });
    // HasHeaderKey never matches, so Filter (applied only where the predicate holds) drops nothing.
    await eventually(async () => (await readFile(join(tmp.path, 'out.txt'), 'utf8').catch(() => '')).split('\n').length === 4, 15000, 'sink lines');
    expect(await readFile(join(tmp.path, 'out.txt'), 'utf8')).toBe('keep me\ndrop me\nkeep too\n');

    // With negate=true the Filter applies to every record: a second sink on the same topic gets nothing.
    await http('POST', `${w.url}/connectors`, {
      name: 'smt-drop-all',
      config: {
        'connector.class': 'FileStreamSink', file: join(tmp.path, 'none.txt'), topics: 'prod-orders',
        transforms: 'drop', 'transforms.drop.type': 'Filter', 'transforms.drop.predicate': 'isKeep', 'transforms.drop.negate': 'true',
        predicates: 'isKeep', 'predicates.isKeep.type': 'HasHeaderKey', 'predicates.isKeep.name': 'never-set',
      },
    });
    await new Promise((r) => setTimeout(r, 1500));
    // Stopping commits what was consumed: all three records were read, and every one dropped.
    await http('PUT', `${w.url}/connectors/smt-drop-all/stop`);
    const offsets = await http('GET', `${w.url}/connectors/smt-drop-all/offsets`);
    expect(offsets.body.offsets).toEqual([{ partition: { kafka_topic: 'prod-orders', kafka_partition: 0 }, offset: { kafka_offset: 3 } }]);
    expect(await readFile(join(tmp.path, 'none.txt'), 'utf8').catch(() => '')).toBe('');
  });

  it('rejects an unknown transform and a bad regex with 400 listing both', async () => {
    const tmp = await tempDir('smt-bad');
    cleanups.push(tmp.remove);
    const w = await startWorker({ dir: tmp.path });
    cleanups.push(() => w.stop());
    const res = await http('POST', `${w.url}/connectors`, {
      name: 'bad-smt',
      config: {
        'connector.class': 'FileStreamSink', topics: 't', transforms: 'a,b',
        'transforms.a.type': 'com.example.NoSuchTransform',
        'transforms.b.type': 'RegexRouter', 'transforms.b.regex': '([', 'transforms.b.replacement': 'x',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('transforms.a.type');
    expect(res.body.message).toContain('transforms.b.regex');
  });
});

describe('a sink with several tasks', () => {
  it('shares the partitions of a topic between its tasks and writes every record once', async () => {
    const tmp = await tempDir('tasks');
    cleanups.push(tmp.remove);
    const w = await startWorker({ dir: tmp.path });
    cleanups.push(() => w.stop());
    const lines = Array.from({ length: 300 }, (_, i) => `l${i}`);
    await writeFile(join(tmp.path, 'in.txt'), `${lines.join('\n')}\n`);
    await http('POST', `${w.url}/connectors`, {
      name: 'multi-source',
      config: { 'connector.class': 'FileStreamSource', file: join(tmp.path, 'in.txt'), topic: 'wide', 'topic.creation.default.partitions': '4', 'topic.creation.default.replication.factor': '1' },
    });
    const sinks = [0, 1].map((i) => join(tmp.path, `out-${i}.txt`));
    await http('POST', `${w.url}/connectors`, { name: 'multi-sink', config: { 'connector.class': 'FileStreamSink', file: sinks[0], topics: 'wide', 'tasks.max': '2' } });
    const status = await eventually(async () => {
      const s = (await http('GET', `${w.url}/connectors/multi-sink/status`)).body;
      return s.tasks.length === 2 && s.tasks.every((t: { state: string }) => t.state === 'RUNNING') ? s : null;
    }, 15000, 'two RUNNING tasks');
    expect(status.tasks.map((t: { id: number }) => t.id)).toEqual([0, 1]);
    await eventually(async () => (await readFile(sinks[0]!, 'utf8').catch(() => '')).split('\n').length === 301, 15000, 'all lines');
    const written = (await readFile(sinks[0]!, 'utf8')).trim().split('\n');
    expect([...written].sort()).toEqual([...lines].sort());
  });
});
