import { describe, expect, it } from 'vitest';
import { sourceConfig, useTestApp } from '../test-app.js';

describe('task routes', () => {
  const app = useTestApp();

  it('GET /connectors/{name}/tasks lists task ids and configs', async () => {
    await app.call('POST', '/connectors', { name: 'tk', config: sourceConfig() });
    const res = await app.call('GET', '/connectors/tk/tasks');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: { connector: 'tk', task: 0 }, config: { 'task.class': 'TestTask', topic: 'lines' } },
      { id: { connector: 'tk', task: 1 }, config: { 'task.class': 'TestTask', topic: 'lines' } },
    ]);
  });

  it('GET /connectors/{name}/tasks/{id}/status answers the task state, FAILED with its trace', async () => {
    await app.call('POST', '/connectors', { name: 'tk', config: sourceConfig() });
    app.herder.stored.get('tk')!.failedTasks.add(1);
    expect((await app.call('GET', '/connectors/tk/tasks/0/status')).body).toEqual({ id: 0, state: 'RUNNING', worker_id: '127.0.0.1:8083' });
    const failed = await app.call('GET', '/connectors/tk/tasks/1/status');
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ id: 1, state: 'FAILED', trace: expect.stringContaining('boom') });
  });

  it('POST /connectors/{name}/tasks/{id}/restart is 204', async () => {
    await app.call('POST', '/connectors', { name: 'tk', config: sourceConfig() });
    app.herder.stored.get('tk')!.failedTasks.add(0);
    const res = await app.call('POST', '/connectors/tk/tasks/0/restart');
    expect([res.status, res.text]).toEqual([204, '']);
    expect((await app.call('GET', '/connectors/tk/tasks/0/status')).body).toMatchObject({ state: 'RUNNING' });
  });

  it('an unknown task or connector, or a task id that is not a number, is 404', async () => {
    await app.call('POST', '/connectors', { name: 'tk', config: sourceConfig() });
    const missingTask = await app.call('GET', '/connectors/tk/tasks/7/status');
    expect(missingTask.status).toBe(404);
    expect(missingTask.body).toEqual({ error_code: 404, message: 'No status found for task tk-7' });
    expect((await app.call('POST', '/connectors/tk/tasks/7/restart')).status).toBe(404);
    expect((await app.call('GET', '/connectors/none/tasks')).body).toEqual({ error_code: 404, message: 'Connector none not found' });
    const notNumber = await app.call('GET', '/connectors/tk/tasks/abc/status');
    expect(notNumber.status).toBe(404);
    expect(notNumber.body).toMatchObject({ error_code: 404, message: expect.stringContaining('abc') });
    expect(app.herder.calls.some((c) => c.startsWith('taskStatus tk abc'))).toBe(false);
  });
});
