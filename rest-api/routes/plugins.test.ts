import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-app.js';

describe('connector plugin routes', () => {
  const app = useTestApp();

  it('GET /connector-plugins lists connectors only unless connectorsOnly=false', async () => {
    const only = await app.call('GET', '/connector-plugins');
    expect(only.status).toBe(200);
    expect((only.body as Array<{ type: string }>).map((p) => p.type)).toEqual(['sink', 'source']);
    expect(only.body).toContainEqual({ class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '4.0.0' });

    const all = await app.call('GET', '/connector-plugins?connectorsOnly=false');
    expect((all.body as unknown[]).length).toBe(3);
    expect(all.body).toContainEqual(expect.objectContaining({ type: 'transformation' }));
  });

  it('GET /connector-plugins/{plugin}/config answers the config keys; an unknown plugin is 404', async () => {
    const res = await app.call('GET', '/connector-plugins/FileStreamSource/config');
    expect(res.status).toBe(200);
    expect((res.body as Array<{ name: string }>).map((k) => k.name)).toEqual(['connector.class', 'tasks.max']);
    expect(res.body).toContainEqual(expect.objectContaining({ name: 'tasks.max', type: 'INT', default_value: '1', required: false }));
    const unknown = await app.call('GET', '/connector-plugins/Nope/config');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error_code: 404, message: 'Unknown plugin Nope' });
  });

  it('PUT /connector-plugins/{plugin}/config/validate answers ConfigInfos with per-key errors', async () => {
    const res = await app.call('PUT', '/connector-plugins/FileStreamSource/config/validate', { 'tasks.max': 'x' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      error_count: 1,
      groups: ['Common'],
      configs: [
        { definition: { name: 'connector.class' }, value: { name: 'connector.class', value: 'FileStreamSource', errors: [] } },
        { definition: { name: 'tasks.max' }, value: { value: 'x', errors: [expect.stringContaining('Invalid value x')] } },
      ],
    });
  });

  it('validate accepts a connector.class that names the same plugin, in full or as an alias', async () => {
    for (const cls of ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStreamSource', 'FileStreamSourceConnector']) {
      const res = await app.call('PUT', '/connector-plugins/FileStreamSourceConnector/config/validate', { 'connector.class': cls });
      expect(res.status, cls).toBe(200);
      expect(res.body).toMatchObject({ error_count: 0 });
    }
  });

  it('validate with a connector.class that disagrees with the path is 400, as Kafka answers', async () => {
    const res = await app.call('PUT', '/connector-plugins/FileStreamSource/config/validate', {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error_code: 400,
      message: 'Included connector type org.apache.kafka.connect.file.FileStreamSinkConnector does not match request type FileStreamSource',
    });
  });
});
