import { describe, expect, it } from 'vitest';
import { useTestApp } from '../test-app.js';

describe('logger routes', () => {
  const app = useTestApp();

  it('GET /admin/loggers and /admin/loggers/{name} answer levels; an unknown logger is 404', async () => {
    const all = await app.call('GET', '/admin/loggers');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ root: { level: 'INFO', last_modified: null } });
    expect((await app.call('GET', '/admin/loggers/root')).body).toEqual({ level: 'INFO', last_modified: null });
    const unknown = await app.call('GET', '/admin/loggers/org.nowhere');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error_code: 404, message: 'Logger org.nowhere not found.' });
  });

  it('PUT /admin/loggers/{name} sets the level (any case) and answers the changed names', async () => {
    app.herder.levels.set('org.apache.kafka.connect.runtime', { level: 'INFO', last_modified: null });
    const res = await app.call('PUT', '/admin/loggers/org.apache.kafka.connect', { level: 'debug' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(['org.apache.kafka.connect', 'org.apache.kafka.connect.runtime']);
    expect((await app.call('GET', '/admin/loggers/org.apache.kafka.connect.runtime')).body).toEqual({ level: 'DEBUG', last_modified: 1700000000000 });
  });

  it('scope=worker answers the names, scope=cluster 204, an unknown scope falls back to worker', async () => {
    expect((await app.call('PUT', '/admin/loggers/a.b?scope=worker', { level: 'WARN' })).body).toEqual(['a.b']);
    const cluster = await app.call('PUT', '/admin/loggers/a.b?scope=cluster', { level: 'ERROR' });
    expect([cluster.status, cluster.text]).toEqual([204, '']);
    expect(app.herder.calls).toContain('setLoggerLevel a.b ERROR');
    const odd = await app.call('PUT', '/admin/loggers/a.b?scope=galaxy', { level: 'INFO' });
    expect([odd.status, odd.body]).toEqual([200, ['a.b']]);
    expect(app.logs.some((l) => l.includes("invalid scope 'galaxy'"))).toBe(true);
  });

  it('a missing level is 400 and an unknown level 404 naming it, as Kafka answers', async () => {
    const missing = await app.call('PUT', '/admin/loggers/root', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error_code: 400, message: "Desired 'level' parameter was not specified in request." });
    const invalid = await app.call('PUT', '/admin/loggers/root', { level: 'LOUD' });
    expect(invalid.status).toBe(404);
    expect(invalid.body).toMatchObject({ error_code: 404, message: expect.stringContaining("'LOUD'") });
    expect(app.herder.calls.filter((c) => c.startsWith('setLoggerLevel'))).toEqual([]);
  });
});
