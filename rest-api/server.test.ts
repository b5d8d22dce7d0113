import { describe, expect, it } from 'vitest';
import { ConfigError } from '../runtime/api/errors.js';
import { setLogSink } from '../runtime/api/logger.js';
import { parseListeners, startRestServer } from './server.js';
import { TestHerder } from './test-herder.js';

setLogSink(() => {});

describe('parseListeners', () => {
  it('reads Kafka listeners: empty host, hostnames, IPv6, lists', () => {
    expect(parseListeners('http://:8083')).toEqual([{ protocol: 'http', host: '', port: 8083 }]);
    expect(parseListeners('HTTP://127.0.0.1:0/, http://[::1]:9083')).toEqual([
      { protocol: 'http', host: '127.0.0.1', port: 0 },
      { protocol: 'http', host: '::1', port: 9083 },
    ]);
  });

  it('rejects a listener without port, a non-http protocol and an empty list with a ConfigError naming it', () => {
    expect(() => parseListeners('http://localhost')).toThrow(/Invalid listener 'http:\/\/localhost'/);
    expect(() => parseListeners('https://:8443')).toThrow(/only http listeners/);
    expect(() => parseListeners(' ')).toThrow(ConfigError);
  });
});

describe('startRestServer', () => {
  it('listens on an ephemeral port and reports the real one', async () => {
    const server = await startRestServer(new TestHerder(), { listeners: 'http://127.0.0.1:0' });
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect((await fetch(`${server.url}/`)).status).toBe(200);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/`)).rejects.toThrow();
  });

  it('an empty host listens on every interface and reports localhost', async () => {
    const server = await startRestServer(new TestHerder(), { listeners: 'http://:0' });
    try {
      expect(server.url).toBe(`http://localhost:${server.port}`);
      expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('uses advertisedUrl for Location headers', async () => {
    const server = await startRestServer(new TestHerder(), { listeners: 'http://127.0.0.1:0', advertisedUrl: 'http://worker-1:8083' });
    try {
      const res = await fetch(`${server.url}/connectors`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'adv', config: { 'connector.class': 'FileStreamSink' } }),
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe('http://worker-1:8083/connectors/adv');
    } finally {
      await server.close();
    }
  });

  it('close() ends idle keep-alive connections and can be called twice', async () => {
    const server = await startRestServer(new TestHerder(), { listeners: 'http://127.0.0.1:0' });
    await fetch(`${server.url}/`, { keepalive: true });
    const started = Date.now();
    await Promise.all([server.close(), server.close()]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a port in use fails with a message naming the listener', async () => {
    const first = await startRestServer(new TestHerder(), { listeners: 'http://127.0.0.1:0' });
    try {
      await expect(startRestServer(new TestHerder(), { listeners: `http://127.0.0.1:${first.port}` }))
        .rejects.toThrow(`Cannot listen on http://127.0.0.1:${first.port}: listen EADDRINUSE`);
    } finally {
      await first.close();
    }
  });
});
