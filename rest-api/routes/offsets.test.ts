import { describe, expect, it } from 'vitest';
import { sourceConfig, useTestApp } from '../test-app.js';

describe('offset routes', () => {
  const app = useTestApp();
  const partition = { filename: '/tmp/in.txt' };

  async function stopped(name: string) {
    await app.call('POST', '/connectors', { name, config: sourceConfig(), initial_state: 'STOPPED' });
  }

  it('GET /connectors/{name}/offsets answers {offsets: [...]}', async () => {
    await stopped('o');
    app.herder.stored.get('o')!.offsets = [{ partition, offset: { position: 42 } }];
    const res = await app.call('GET', '/connectors/o/offsets');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ offsets: [{ partition, offset: { position: 42 } }] });
  });

  it('PATCH alters offsets of a stopped connector and answers the message', async () => {
    await stopped('o');
    const res = await app.call('PATCH', '/connectors/o/offsets', { offsets: [{ partition, offset: { position: 7 } }] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'The offsets for this connector have been altered successfully' });
    expect((await app.call('GET', '/connectors/o/offsets')).body).toEqual({ offsets: [{ partition, offset: { position: 7 } }] });

    const removed = await app.call('PATCH', '/connectors/o/offsets', { offsets: [{ partition, offset: null }] });
    expect(removed.status).toBe(200);
    expect((await app.call('GET', '/connectors/o/offsets')).body).toEqual({ offsets: [] });
  });

  it('DELETE resets offsets of a stopped connector and answers the message', async () => {
    await stopped('o');
    app.herder.stored.get('o')!.offsets = [{ partition, offset: { position: 42 } }];
    const res = await app.call('DELETE', '/connectors/o/offsets');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'The offsets for this connector have been reset successfully' });
  });

  it('PATCH without offsets, or with a partition that is not an object, is 400', async () => {
    await stopped('o');
    const none = await app.call('PATCH', '/connectors/o/offsets', { offsets: [] });
    expect(none.status).toBe(400);
    expect(none.body).toEqual({ error_code: 400, message: 'Partitions / offsets need to be provided for an alter offsets request' });
    expect((await app.call('PATCH', '/connectors/o/offsets', {})).status).toBe(400);
    const bad = await app.call('PATCH', '/connectors/o/offsets', { offsets: [{ partition: 'p', offset: {} }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ message: 'offsets[0].partition must be a JSON object' });
  });

  it('altering or resetting a running connector is the herder 400', async () => {
    await app.call('POST', '/connectors', { name: 'running', config: sourceConfig() });
    const res = await app.call('DELETE', '/connectors/running/offsets');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error_code: 400, message: expect.stringContaining('STOPPED') });
    expect((await app.call('GET', '/connectors/none/offsets')).status).toBe(404);
  });
});
