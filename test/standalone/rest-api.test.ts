/**
 * Every REST endpoint against a real standalone worker process, with the status codes and bodies
 * a curl user of Kafka Connect would see.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, startWorker, tempDir, type WorkerProcess } from '../harness/worker-process.js';

let w: WorkerProcess;
let tmp: { path: string; remove(): Promise<void> };

beforeAll(async () => {
  tmp = await tempDir('rest');
  w = await startWorker({ dir: tmp.path });
});

afterAll(async () => {
  await w?.stop();
  await tmp?.remove();
});

function source(name: string, extra: Record<string, string> = {}) {
  return { 'connector.class': 'FileStreamSource', file: join(tmp.path, `${name}.in`), topic: `${name}-topic`, ...extra };
}

function sink(name: string, topic: string, extra: Record<string, string> = {}) {
  return { 'connector.class': 'FileStreamSink', file: join(tmp.path, `${name}.out`), topics: topic, ...extra };
}

async function state(name: string): Promise<string> {
  return (await http('GET', `${w.url}/connectors/${name}/status`)).body.connector.state;
}

describe('REST API of a standalone worker', () => {
  it('GET / and /health', async () => {
    const root = await http('GET', `${w.url}/`);
    expect(root.status).toBe(200);
    expect(root.body).toEqual({ version: expect.any(String), commit: expect.any(String), kafka_cluster_id: expect.any(String) });
    const health = await http('GET', `${w.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('healthy');
  });

  it('creates a connector with 201 and Location, and refuses a duplicate with 409', async () => {
    const created = await http('POST', `${w.url}/connectors`, { name: 'create-me', config: source('create-me') });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(/\/connectors\/create-me$/);
    expect(created.body).toMatchObject({ name: 'create-me', type: 'source', config: { name: 'create-me', topic: 'create-me-topic' } });
    expect(created.body.tasks).toEqual([{ connector: 'create-me', task: 0 }]);

    const dup = await http('POST', `${w.url}/connectors`, { name: 'create-me', config: source('create-me') });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ error_code: 409, message: expect.stringContaining('already exists') });

    const list = await http('GET', `${w.url}/connectors`);
    expect(list.body).toContain('create-me');
    const info = await http('GET', `${w.url}/connectors?expand=info&expand=status`);
    expect(info.body['create-me'].info.name).toBe('create-me');
    expect(info.body['create-me'].status.connector.state).toBe('RUNNING');
  });

  it('answers 400 listing every config error, and lists plugins for an unknown class', async () => {
    const bad = await http('POST', `${w.url}/connectors`, { name: 'bad', config: { 'connector.class': 'FileStreamSource', 'tasks.max': 'many', 'batch.size': '-1' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe(400);
    expect(bad.body.message).toContain('tasks.max');
    expect(bad.body.message).toContain('batch.size');
    expect(bad.body.message).toContain('topic');

    const unknown = await http('POST', `${w.url}/connectors`, { name: 'bad2', config: { 'connector.class': 'com.example.Nope' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('org.apache.kafka.connect.file.FileStreamSourceConnector');

    const notJson = await http('POST', `${w.url}/connectors`, '{"name": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error_code).toBe(400);
  });

  it('404 for unknown connectors and tasks', async () => {
    for (const path of ['/connectors/nope', '/connectors/nope/status', '/connectors/nope/config', '/connectors/nope/tasks']) {
      const res = await http('GET', `${w.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body.error_code).toBe(404);
    }
    await http('PUT', `${w.url}/connectors/has-tasks/config`, source('has-tasks'));
    expect((await http('GET', `${w.url}/connectors/has-tasks/tasks/7/status`)).status).toBe(404);
  });

  it('PUT config creates (201) then updates (200); PATCH merges; GET config and tasks', async () => {
    const first = await http('PUT', `${w.url}/connectors/put-me/config`, source('put-me'));
    expect(first.status).toBe(201);
    const second = await http('PUT', `${w.url}/connectors/put-me/config`, source('put-me', { 'batch.size': '10' }));
    expect(second.status).toBe(200);
    expect(second.body.config['batch.size']).toBe('10');
    const patched = await http('PATCH', `${w.url}/connectors/put-me/config`, { 'batch.size': '20' });
    expect(patched.status).toBe(200);
    expect((await http('GET', `${w.url}/connectors/put-me/config`)).body['batch.size']).toBe('20');
    const tasks = await http('GET', `${w.url}/connectors/put-me/tasks`);
    expect(tasks.body).toEqual([{ id: { connector: 'put-me', task: 0 }, config: expect.objectContaining({ topic: 'put-me-topic', 'batch.size': '20' }) }]);
    const task = await http('GET', `${w.url}/connectors/put-me/tasks/0/status`);
    expect(task.body).toMatchObject({ id: 0, state: 'RUNNING' });
  });

  it('pause (202), resume (202), stop (204), restart (204/202) and task restart (204)', async () => {
    await http('PUT', `${w.url}/connectors/lifecycle/config`, source('lifecycle'));
    await eventually(async () => (await state('lifecycle')) === 'RUNNING');
    expect((await http('PUT', `${w.url}/connectors/lifecycle/pause`)).status).toBe(202);
    await eventually(async () => (await http('GET', `${w.url}/connectors/lifecycle/status`)).body.tasks[0]?.state === 'PAUSED', 5000, 'task PAUSED');
    expect(await state('lifecycle')).toBe('PAUSED');
    expect((await http('PUT', `${w.url}/connectors/lifecycle/resume`)).status).toBe(202);
    await eventually(async () => (await http('GET', `${w.url}/connectors/lifecycle/status`)).body.tasks[0]?.state === 'RUNNING', 5000, 'task RUNNING');

    expect((await http('POST', `${w.url}/connectors/lifecycle/restart`)).status).toBe(204);
    const all = await http('POST', `${w.url}/connectors/lifecycle/restart?includeTasks=true`);
    expect(all.status).toBe(202);
    expect(all.body.connector.state).toBe('RESTARTING');
    expect(all.body.tasks[0].state).toBe('RESTARTING');
    await eventually(async () => (await http('GET', `${w.url}/connectors/lifecycle/status`)).body.tasks[0]?.state === 'RUNNING', 5000, 'running after restart');
    expect((await http('POST', `${w.url}/connectors/lifecycle/tasks/0/restart`)).status).toBe(204);

    expect((await http('PUT', `${w.url}/connectors/lifecycle/stop`)).status).toBe(204);
    await eventually(async () => (await state('lifecycle')) === 'STOPPED');
    const stopped = await http('GET', `${w.url}/connectors/lifecycle/status`);
    expect(stopped.body.tasks).toEqual([]);
    expect((await http('PUT', `${w.url}/connectors/lifecycle/resume`)).status).toBe(202);
    await eventually(async () => (await http('GET', `${w.url}/connectors/lifecycle/status`)).body.tasks[0]?.state === 'RUNNING', 5000, 'running after resume from STOPPED');
  });

  it('offsets: GET, then PATCH and DELETE only when STOPPED', async () => {
    const file = join(tmp.path, 'offsets.in');
    await writeFile(file, 'one\ntwo\n');
    await http('PUT', `${w.url}/connectors/offsets/config`, source('offsets', { file }));
    const expected = { offsets: [{ partition: { filename: file }, offset: { position: 8 } }] };
    await eventually(async () => JSON.stringify((await http('GET', `${w.url}/connectors/offsets/offsets`)).body) === JSON.stringify(expected), 10000, 'offset flushed');

    const refused = await http('PATCH', `${w.url}/connectors/offsets/offsets`, { offsets: [{ partition: { filename: file }, offset: { position: 4 } }] });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('STOPPED');

    await http('PUT', `${w.url}/connectors/offsets/stop`);
    const altered = await http('PATCH', `${w.url}/connectors/offsets/offsets`, { offsets: [{ partition: { filename: file }, offset: { position: 4 } }] });
    expect(altered.status).toBe(200);
    expect(altered.body.message).toContain('altered successfully');
    expect((await http('GET', `${w.url}/connectors/offsets/offsets`)).body.offsets[0].offset).toEqual({ position: 4 });

    const reset = await http('DELETE', `${w.url}/connectors/offsets/offsets`);
    expect(reset.status).toBe(200);
    expect(reset.body.message).toContain('reset successfully');
    expect((await http('GET', `${w.url}/connectors/offsets/offsets`)).body).toEqual({ offsets: [] });
  });

  it('sink offsets and active topics', async () => {
    const file = join(tmp.path, 'sinkoff.in');
    await writeFile(file, 'x\ny\nz\n');
    await http('PUT', `${w.url}/connectors/sinkoff-src/config`, source('sinkoff-src', { file, topic: 'sinkoff-topic' }));
    await http('PUT', `${w.url}/connectors/sinkoff/config`, sink('sinkoff', 'sinkoff-topic'));
    await eventually(async () => (await readFile(join(tmp.path, 'sinkoff.out'), 'utf8').catch(() => '')).split('\n').length === 4, 10000, 'sink lines');
    await http('PUT', `${w.url}/connectors/sinkoff/stop`);
    const offsets = await http('GET', `${w.url}/connectors/sinkoff/offsets`);
    expect(offsets.body).toEqual({ offsets: [{ partition: { kafka_topic: 'sinkoff-topic', kafka_partition: 0 }, offset: { kafka_offset: 3 } }] });
    const topics = await http('GET', `${w.url}/connectors/sinkoff/topics`);
    expect(topics.body).toEqual({ sinkoff: { topics: ['sinkoff-topic'] } });
    const srcTopics = await http('GET', `${w.url}/connectors/sinkoff-src/topics`);
    expect(srcTopics.body).toEqual({ 'sinkoff-src': { topics: ['sinkoff-topic'] } });
    expect([200, 202]).toContain((await http('PUT', `${w.url}/connectors/sinkoff-src/topics/reset`)).status);
    expect((await http('GET', `${w.url}/connectors/sinkoff-src/topics`)).body).toEqual({ 'sinkoff-src': { topics: [] } });
  });

  it('DELETE removes a connector (204) and it is gone', async () => {
    await http('PUT', `${w.url}/connectors/delete-me/config`, source('delete-me'));
    expect((await http('DELETE', `${w.url}/connectors/delete-me`)).status).toBe(204);
    expect((await http('GET', `${w.url}/connectors/delete-me`)).status).toBe(404);
  });

  it('connector plugins, their config and validate', async () => {
    const connectors = await http('GET', `${w.url}/connector-plugins`);
    expect(connectors.body).toEqual(expect.arrayContaining([
      { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: expect.any(String) },
      { class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: expect.any(String) },
    ]));
    const all = await http('GET', `${w.url}/connector-plugins?connectorsOnly=false`);
    const types = new Set((all.body as Array<{ type: string }>).map((p) => p.type));
    expect([...types].sort()).toEqual(['converter', 'header_converter', 'predicate', 'sink', 'source', 'transformation']);

    const config = await http('GET', `${w.url}/connector-plugins/FileStreamSource/config`);
    expect(config.body.map((k: { name: string }) => k.name)).toEqual(['file', 'topic', 'batch.size']);

    const valid = await http('PUT', `${w.url}/connector-plugins/FileStreamSourceConnector/config/validate`, { 'connector.class': 'FileStreamSourceConnector', name: 'v', topic: 't' });
    expect(valid.status).toBe(200);
    expect(valid.body.error_count).toBe(0);
    const invalid = await http('PUT', `${w.url}/connector-plugins/FileStreamSinkConnector/config/validate`, { 'connector.class': 'FileStreamSinkConnector', name: 'v' });
    expect(invalid.body.error_count).toBeGreaterThan(0);
    const topicsEntry = invalid.body.configs.find((c: { value: { name: string } }) => c.value.name === 'topics');
    expect(topicsEntry.value.errors[0]).toContain('Must configure one of topics or topics.regex');
  });

  it('admin/loggers: GET and PUT a level at runtime', async () => {
    const put = await http('PUT', `${w.url}/admin/loggers/worker`, { level: 'DEBUG' });
    expect(put.status).toBe(200);
    expect(put.body).toContain('worker');
    const one = await http('GET', `${w.url}/admin/loggers/worker`);
    expect(one.body.level).toBe('DEBUG');
    const all = await http('GET', `${w.url}/admin/loggers`);
    expect(all.body.root.level).toBeDefined();
  });

  it('metrics in Prometheus format', async () => {
    await http('PUT', `${w.url}/connectors/metered/config`, source('metered'));
    await eventually(async () => (await http('GET', `${w.url}/metrics`)).body.includes('connector="metered"'), 5000, 'metrics');
    const res = await fetch(`${w.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('kafka_connect_source_task_metrics_source_record_poll_total{connector="metered",task="0"}');
    expect(text).toContain('kafka_connect_connect_worker_metrics_connector_count');
  });

  it('serves an OpenAPI document', async () => {
    const res = await http('GET', `${w.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
  });
});
