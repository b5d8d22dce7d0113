import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-app.js';

describe('root, health and metrics routes', () => {
  const app = useTestApp();

  it('GET / answers version, commit and kafka_cluster_id', async () => {
    const res = await app.call('GET', '/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ version: '4.0.0-tsconnect', commit: 'abc123', kafka_cluster_id: 'test-cluster' });
  });

  it('GET /health is 200 healthy when ready, 503 starting before', async () => {
    const healthy = await app.call('GET', '/health');
    expect(healthy.status).toBe(200);
    expect(healthy.body).toEqual({ status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' });
    app.herder.ready = false;
    const starting = await app.call('GET', '/health');
    expect(starting.status).toBe(503);
    expect(starting.body).toEqual({ status: 'starting', message: 'Worker is still starting up.' });
  });

  it('GET /metrics answers Prometheus text with its content type', async () => {
    const res = await app.call('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).toBe('# TYPE connect_worker_connector_count gauge\nconnect_worker_connector_count 0\n');
  });

  it('GET /openapi.json answers an OpenAPI 3 document', async () => {
    const res = await app.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ openapi: expect.stringMatching(/^3\./), paths: { '/connectors': { post: {} } } });
  });
});
