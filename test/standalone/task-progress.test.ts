/**
 * A task's reported progress (SourceTaskContext.reportProgress) in the REST status answers and in
 * /metrics of a real standalone worker, and gone once the task stops or restarts. The plugin is a
 * plain JavaScript module in a `plugin.path` directory, as a user's own plugin would be.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, eventually, http, startWorker, tempDir, type WorkerProcess } from '../harness/worker-process.js';

// Each poll reports whatever JSON the test left in `progress.file`; no file, no report.
const PLUGIN = (apiUrl: string) => `
import { readFileSync } from 'node:fs';
import { ConfigSpec, SourceConnector, SourceTask } from '${apiUrl}';

const spec = () => new ConfigSpec().define({ name: 'progress.file', type: 'string', importance: 'high', doc: 'JSON to report' });

class ProgressTask extends SourceTask {
  version() { return '1'; }
  start(props) { this.file = props['progress.file']; this.stopped = false; }
  async poll() {
    await new Promise((r) => setTimeout(r, 50));
    let text = null;
    try { text = readFileSync(this.file, 'utf8'); } catch { /* no report */ }
    if (text !== null && !this.stopped) this.context.reportProgress(JSON.parse(text));
    return null;
  }
  stop() { this.stopped = true; }
}

class ProgressConnector extends SourceConnector {
  version() { return '1'; }
  config() { return spec(); }
  start(props) { this.props = props; }
  taskClass() { return ProgressTask; }
  taskConfigs() { return [{ ...this.props }]; }
  stop() {}
}

export const plugins = [{ kind: 'source', className: 'com.example.ProgressSource', aliases: ['ProgressSource'], version: '1', create: () => new ProgressConnector() }];
`;

/**
 * The report file, replaced whole: the task reads it every 50 ms, and a writeFile in place can be
 * read half written (an empty file fails JSON.parse in the task's poll, and the task with it).
 */
async function writeReport(json: string): Promise<void> {
  await writeFile(`${progressFile}.tmp`, json);
  await rename(`${progressFile}.tmp`, progressFile);
}

let w: WorkerProcess;
let tmp: { path: string; remove(): Promise<void> };
let progressFile: string;

const snapshot = (done: number) => ({
  phase: 'snapshot',
  unit: 'rows',
  done,
  estimated: 5000,
  detail: { tables: [{ table: 'public.orders', done, estimated: 5000, complete: false }] },
});

beforeAll(async () => {
  tmp = await tempDir('progress');
  const pluginDir = join(tmp.path, 'plugins');
  await mkdir(pluginDir);
  await writeFile(join(pluginDir, 'progress-source.mjs'), PLUGIN(pathToFileURL(join(ROOT, 'dist/runtime/api/index.js')).href));
  progressFile = join(tmp.path, 'progress.json');
  w = await startWorker({ dir: tmp.path, workerProps: { 'plugin.path': pluginDir } });
});

afterAll(async () => {
  await w?.stop();
  await tmp?.remove();
});

async function task0(name: string) {
  return (await http('GET', `${w.url}/connectors/${name}/tasks/0/status`)).body;
}

describe('task progress in a standalone worker', () => {
  it('is shown on the task in every status answer and in /metrics, and only while reported', async () => {
    const name = 'progress-shown';
    const created = await http('POST', `${w.url}/connectors`, { name, config: { 'connector.class': 'ProgressSource', 'progress.file': progressFile } });
    expect(created.status).toBe(201);

    // Nothing reported: exactly Kafka Connect's fields.
    await eventually(async () => (await task0(name)).state === 'RUNNING', 15000, 'task running');
    await new Promise((r) => setTimeout(r, 200));
    expect(await task0(name)).toEqual({ id: 0, state: 'RUNNING', worker_id: expect.any(String) });

    await writeReport(JSON.stringify(snapshot(1200)));
    const shown = await eventually(async () => {
      const t = await task0(name);
      return t.progress ? t : null;
    }, 15000, 'progress on the task status');
    expect(shown).toEqual({ id: 0, state: 'RUNNING', worker_id: expect.any(String), progress: snapshot(1200) });

    const status = (await http('GET', `${w.url}/connectors/${name}/status`)).body;
    expect(status.tasks[0].progress).toEqual(snapshot(1200));
    expect(status.connector).toEqual({ state: 'RUNNING', worker_id: expect.any(String) });
    const expanded = (await http('GET', `${w.url}/connectors?expand=status`)).body;
    expect(expanded[name].status.tasks[0].progress).toEqual(snapshot(1200));

    const metrics = await (await fetch(`${w.url}/metrics`)).text();
    expect(metrics).toContain(`kafka_connect_connector_task_metrics_progress_done{connector="${name}",task="0",phase="snapshot"} 1200`);
    expect(metrics).toContain(`kafka_connect_connector_task_metrics_progress_estimated{connector="${name}",task="0",phase="snapshot"} 5000`);
    expect(w.output()).toContain('progress: snapshot 1200/5000 rows (24%)');

    await writeReport(JSON.stringify(snapshot(2400)));
    await eventually(async () => (await task0(name)).progress?.done === 2400, 15000, 'newer progress');

    // The report stays until the task goes: a restarted task has reported nothing yet.
    await rm(progressFile);
    await new Promise((r) => setTimeout(r, 200));
    expect((await task0(name)).progress?.done).toBe(2400);
    expect((await http('POST', `${w.url}/connectors/${name}/tasks/0/restart`)).status).toBe(204);
    const restarted = await eventually(async () => {
      const t = await task0(name);
      return t.state === 'RUNNING' ? t : null;
    }, 15000, 'task running again');
    expect(restarted.progress).toBeUndefined();
    expect(await (await fetch(`${w.url}/metrics`)).text()).not.toContain(`progress_done{connector="${name}"`);

    await http('DELETE', `${w.url}/connectors/${name}`);
  });

  it('is gone once the connector is stopped, and not back after a resume until reported again', async () => {
    const name = 'progress-stopped';
    await writeReport(JSON.stringify(snapshot(10)));
    await http('POST', `${w.url}/connectors`, { name, config: { 'connector.class': 'ProgressSource', 'progress.file': progressFile } });
    await eventually(async () => (await task0(name)).progress?.done === 10, 15000, 'progress on the task status');

    // Paused, the task keeps what it reported.
    expect((await http('PUT', `${w.url}/connectors/${name}/pause`)).status).toBe(202);
    await eventually(async () => (await task0(name)).state === 'PAUSED', 15000, 'task paused');
    expect((await task0(name)).progress?.done).toBe(10);

    expect((await http('PUT', `${w.url}/connectors/${name}/stop`)).status).toBe(204);
    await rm(progressFile);
    const stopped = (await http('GET', `${w.url}/connectors/${name}/status`)).body;
    expect(stopped.connector.state).toBe('STOPPED');
    expect(stopped.tasks).toEqual([]);
    expect(await (await fetch(`${w.url}/metrics`)).text()).not.toContain(`progress_done{connector="${name}"`);

    expect((await http('PUT', `${w.url}/connectors/${name}/resume`)).status).toBe(202);
    const resumed = await eventually(async () => {
      const t = (await http('GET', `${w.url}/connectors/${name}/status`)).body.tasks[0];
      return t?.state === 'RUNNING' ? t : null;
    }, 15000, 'task running after resume');
    expect(resumed).toEqual({ id: 0, state: 'RUNNING', worker_id: expect.any(String) });

    await http('DELETE', `${w.url}/connectors/${name}`);
  });
});
