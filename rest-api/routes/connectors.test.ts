import { describe, expect, it } from 'vitest';
import { sourceConfig, useTestApp } from '../test-app.js';

describe('connector routes', () => {
  const app = useTestApp();

  async function create(name: string, config = sourceConfig()) {
    const res = await app.call('POST', '/connectors', { name, config });
    expect(res.status).toBe(201);
    return res;
  }

  it('POST /connectors creates with 201, an absolute Location and the ConnectorInfo body', async () => {
    const res = await app.call('POST', '/connectors', { name: 'file-source', config: sourceConfig() });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${app.server.url}/connectors/file-source`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      name: 'file-source',
      config: { ...sourceConfig(), name: 'file-source' },
      tasks: [{ connector: 'file-source', task: 0 }, { connector: 'file-source', task: 1 }],
      type: 'source',
    });
  });

  it('POST /connectors trims the name, turns numbers into strings and honours initial_state', async () => {
    const res = await app.call('POST', '/connectors', {
      name: '  stopped-one ',
      config: { 'connector.class': 'FileStreamSource', 'tasks.max': 1 },
      initial_state: 'stopped',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'stopped-one', config: { 'tasks.max': '1', name: 'stopped-one' } });
    const status = await app.call('GET', '/connectors/stopped-one/status');
    expect(status.body).toMatchObject({ connector: { state: 'STOPPED' } });
  });

  it('POST /connectors rejects a missing name, a mismatched config.name, a missing config and a bad initial_state', async () => {
    const noName = await app.call('POST', '/connectors', { config: sourceConfig() });
    expect(noName.status).toBe(400);
    expect(noName.body).toEqual({ error_code: 400, message: expect.stringContaining('"name"') });

    const mismatch = await app.call('POST', '/connectors', { name: 'a', config: sourceConfig({ name: 'b' }) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toEqual({ error_code: 400, message: "Connector name configuration (b) doesn't match connector name in the URL (a)" });

    const noConfig = await app.call('POST', '/connectors', { name: 'a' });
    expect(noConfig.status).toBe(400);
    expect(noConfig.body).toMatchObject({ message: expect.stringContaining('"config"') });

    const badState = await app.call('POST', '/connectors', { name: 'a', config: sourceConfig(), initial_state: 'SLEEPING' });
    expect(badState.status).toBe(400);
    expect(badState.body).toMatchObject({ message: expect.stringContaining('SLEEPING') });
    expect(app.herder.stored.size).toBe(0);
  });

  it('POST /connectors with an existing name is 409', async () => {
    await create('dup');
    const res = await app.call('POST', '/connectors', { name: 'dup', config: sourceConfig() });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error_code: 409, message: 'Connector dup already exists' });
  });

  it('GET /connectors lists names, and expands status, info or both', async () => {
    await create('a');
    await create('b', sourceConfig({ 'tasks.max': '1' }));
    expect((await app.call('GET', '/connectors')).body).toEqual(['a', 'b']);

    const status = await app.call('GET', '/connectors?expand=status');
    expect(status.status).toBe(200);
    expect(Object.keys(status.body as object)).toEqual(['a', 'b']);
    expect((status.body as Record<string, object>).a).toEqual({
      status: {
        name: 'a',
        connector: { state: 'RUNNING', worker_id: '127.0.0.1:8083' },
        tasks: [{ id: 0, state: 'RUNNING', worker_id: '127.0.0.1:8083' }, { id: 1, state: 'RUNNING', worker_id: '127.0.0.1:8083' }],
        type: 'source',
      },
    });

    const info = await app.call('GET', '/connectors?expand=info');
    expect((info.body as Record<string, object>).b).toEqual({
      info: { name: 'b', config: { ...sourceConfig({ 'tasks.max': '1' }), name: 'b' }, tasks: [{ connector: 'b', task: 0 }], type: 'source' },
    });

    const both = await app.call('GET', '/connectors?expand=status&expand=info');
    const entry = (both.body as Record<string, Record<string, unknown>>).a!;
    expect(Object.keys(entry).sort()).toEqual(['info', 'status']);
    expect(entry.info).toMatchObject({ name: 'a' });
    expect(entry.status).toMatchObject({ name: 'a' });

    const unknown = await app.call('GET', '/connectors?expand=everything');
    expect(unknown.body).toEqual({ a: {}, b: {} });
  });

  it('GET /connectors?expand leaves out a connector deleted during the lookup', async () => {
    await create('kept');
    app.herder.vanished.add('gone');
    const res = await app.call('GET', '/connectors?expand=status');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['kept']);
  });

  it('GET /connectors/{name}, /config and /status answer the herder bodies', async () => {
    await create('c1');
    expect((await app.call('GET', '/connectors/c1')).body).toMatchObject({ name: 'c1', type: 'source' });
    expect((await app.call('GET', '/connectors/c1/config')).body).toEqual({ ...sourceConfig(), name: 'c1' });
    expect((await app.call('GET', '/connectors/c1/status')).body).toMatchObject({ name: 'c1', connector: { state: 'RUNNING' } });
  });

  it('an unknown connector is 404 with the error body on every per-connector route', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/connectors/nope'],
      ['DELETE', '/connectors/nope'],
      ['GET', '/connectors/nope/config'],
      ['PATCH', '/connectors/nope/config', { 'tasks.max': '1' }],
      ['GET', '/connectors/nope/status'],
      ['POST', '/connectors/nope/restart'],
      ['PUT', '/connectors/nope/pause'],
      ['PUT', '/connectors/nope/resume'],
      ['PUT', '/connectors/nope/stop'],
      ['GET', '/connectors/nope/topics'],
      ['PUT', '/connectors/nope/topics/reset'],
    ];
    for (const [method, path, body] of routes) {
      const res = await app.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body, `${method} ${path}`).toEqual({ error_code: 404, message: 'Connector nope not found' });
    }
  });

  it('DELETE /connectors/{name} is 204 with no body', async () => {
    await create('del');
    const res = await app.call('DELETE', '/connectors/del');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await app.call('GET', '/connectors')).body).toEqual([]);
  });

  it('PUT /connectors/{name}/config creates with 201 + Location, then updates with 200', async () => {
    const created = await app.call('PUT', '/connectors/via-put/config', sourceConfig());
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${app.server.url}/connectors/via-put`);
    expect(created.body).toMatchObject({ name: 'via-put', config: { name: 'via-put' } });

    const updated = await app.call('PUT', '/connectors/via-put/config', sourceConfig({ 'tasks.max': '3', name: 'via-put' }));
    expect(updated.status).toBe(200);
    expect(updated.headers.get('location')).toBeNull();
    expect(updated.body).toMatchObject({ tasks: [{ task: 0 }, { task: 1 }, { task: 2 }] });
  });

  it('PUT /connectors/{name}/config with a different name in the body is 400, as Kafka answers', async () => {
    const res = await app.call('PUT', '/connectors/right/config', sourceConfig({ name: 'wrong' }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 400, message: "Connector name configuration (wrong) doesn't match connector name in the URL (right)" });
  });

  it('PUT /connectors/{name}/config rejects a body that is not a config map', async () => {
    expect((await app.call('PUT', '/connectors/x/config', ['a'])).status).toBe(400);
    const nested = await app.call('PUT', '/connectors/x/config', { 'connector.class': 'FileStreamSource', deep: { a: 1 } });
    expect(nested.status).toBe(400);
    expect(nested.body).toMatchObject({ message: expect.stringContaining('"deep"') });
  });

  it('PATCH /connectors/{name}/config merges and removes keys, answering 200', async () => {
    await create('patched', sourceConfig({ file: '/tmp/a' }));
    const res = await app.call('PATCH', '/connectors/patched/config', { 'tasks.max': 1, file: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'patched', tasks: [{ task: 0 }] });
    expect((res.body as { config: Record<string, string> }).config.file).toBeUndefined();
  });

  it('POST /connectors/{name}/restart is 204 alone, 202 with the status when tasks are included', async () => {
    await create('r');
    const plain = await app.call('POST', '/connectors/r/restart');
    expect(plain.status).toBe(204);
    expect(plain.text).toBe('');
    expect(app.herder.calls).toContain('restartConnector r includeTasks=false onlyFailed=false');

    app.herder.stored.get('r')!.failedTasks.add(1);
    const withTasks = await app.call('POST', '/connectors/r/restart?includeTasks=true&onlyFailed=TRUE');
    expect(withTasks.status).toBe(202);
    expect(app.herder.calls).toContain('restartConnector r includeTasks=true onlyFailed=true');
    expect(withTasks.body).toMatchObject({
      name: 'r',
      connector: { state: 'RUNNING' },
      tasks: [{ id: 0, state: 'RUNNING' }, { id: 1, state: 'RESTARTING' }],
    });

    await app.call('POST', '/connectors/r/restart?includeTasks=yes');
    expect(app.herder.calls).toContain('restartConnector r includeTasks=false onlyFailed=false');
  });

  it('pause and resume are 202, stop is 204, all with empty bodies', async () => {
    await create('p');
    const pause = await app.call('PUT', '/connectors/p/pause');
    expect([pause.status, pause.text]).toEqual([202, '']);
    expect((await app.call('GET', '/connectors/p/status')).body).toMatchObject({ connector: { state: 'PAUSED' } });

    const resume = await app.call('PUT', '/connectors/p/resume');
    expect([resume.status, resume.text]).toEqual([202, '']);

    const stop = await app.call('PUT', '/connectors/p/stop');
    expect([stop.status, stop.text]).toEqual([204, '']);
    expect((await app.call('GET', '/connectors/p/status')).body).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
  });

  it('GET /connectors/{name}/topics is keyed by the connector; PUT topics/reset is 202', async () => {
    await create('t');
    app.herder.stored.get('t')!.topics = ['lines', 'words'];
    const topics = await app.call('GET', '/connectors/t/topics');
    expect(topics.status).toBe(200);
    expect(topics.body).toEqual({ t: { topics: ['lines', 'words'] } });

    const reset = await app.call('PUT', '/connectors/t/topics/reset');
    expect([reset.status, reset.text]).toEqual([202, '']);
    expect((await app.call('GET', '/connectors/t/topics')).body).toEqual({ t: { topics: [] } });
  });

  it('names with spaces, slashes (%2F) and other special characters round-trip', async () => {
    for (const name of ['my connector', 'team/orders', 'a%b?c#d', 'ünïcode']) {
      const res = await app.call('POST', '/connectors', { name, config: sourceConfig() });
      expect(res.status, name).toBe(201);
      const location = res.headers.get('location')!;
      expect(location).toBe(`${app.server.url}/connectors/${encodeURIComponent(name)}`);

      const info = await app.call('GET', new URL(location).pathname);
      expect(info.status, name).toBe(200);
      expect(info.body).toMatchObject({ name });
      const status = await app.call('GET', `/connectors/${encodeURIComponent(name)}/status`);
      expect(status.body, name).toMatchObject({ name });
      expect((await app.call('DELETE', `/connectors/${encodeURIComponent(name)}`)).status).toBe(204);
    }
  });

  it('a config error is 400 and lists every error', async () => {
    const res = await app.call('POST', '/connectors', { name: 'bad', config: { 'connector.class': 'NoSuchThing', 'tasks.max': '-1' } });
    expect(res.status).toBe(400);
    const { error_code, message } = res.body as { error_code: number; message: string };
    expect(error_code).toBe(400);
    expect(message).toContain('contains the following 2 error(s)');
    expect(message).toContain('connector.class: Failed to find any class that implements Connector and which name matches NoSuchThing');
    expect(message).toContain('tasks.max: Invalid value -1 for configuration tasks.max');
  });
});
