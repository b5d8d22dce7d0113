/**
 * Starts the REST app on the worker's `listeners` (Kafka's key: a comma-separated list such as
 * `http://:8083,http://127.0.0.1:9083`; an empty host means every interface, port 0 an ephemeral port).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, ConnectError } from '../runtime/api/errors.js';
import { getLogger } from '../runtime/api/logger.js';
import type { Herder } from '../runtime/herder/herder.js';
import { createRestApp } from './app.js';

export interface RestServerOptions {
  /** Kafka's `listeners` worker key; only `http://` listeners are supported so far. */
  listeners: string;
  /** Base of `Location` headers (Kafka's `rest.advertised.*`); by default the request's own Host. */
  advertisedUrl?: string;
}

export interface RestServer {
  /** The first listener's URL with its real port; `localhost` when it listens on every interface. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface Listener {
  protocol: 'http';
  /** Empty for every interface. */
  host: string;
  port: number;
}

export function parseListeners(value: string): Listener[] {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new ConfigError('listeners is empty: expected e.g. http://:8083', { listeners: ['must not be empty'] });
  return parts.map((text) => {
    const match = /^([A-Za-z]+):\/\/(\[[^\]]*\]|[^:/]*):(\d+)\/?$/.exec(text);
    if (!match) throw new ConfigError(`Invalid listener '${text}' in listeners: expected PROTOCOL://[host]:port`, { listeners: [`invalid listener '${text}'`] });
    const protocol = match[1]!.toLowerCase();
    if (protocol !== 'http') throw new ConfigError(`Listener '${text}' uses ${protocol}: only http listeners are supported`, { listeners: [`unsupported protocol ${protocol}`] });
    const port = Number(match[3]);
    if (port > 65535) throw new ConfigError(`Invalid port ${port} in listener '${text}'`, { listeners: [`invalid port ${port}`] });
    return { protocol: 'http', host: match[2]!.replace(/^\[(.*)\]$/, '$1'), port };
  });
}

export async function startRestServer(herder: Herder, options: RestServerOptions): Promise<RestServer> {
  const log = getLogger('rest');
  const listeners = parseListeners(options.listeners);
  const app = createRestApp(herder, options.advertisedUrl === undefined ? {} : { advertisedUrl: options.advertisedUrl });
  const servers: Server[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    })));
  };
  try {
    for (const listener of listeners) {
      const server = createServer(app);
      servers.push(server);
      server.listen(listener.port, listener.host === '' ? undefined : listener.host);
      try {
        await once(server, 'listening');
      } catch (err) {
        throw new ConnectError(`Cannot listen on ${listener.protocol}://${listener.host}:${listener.port}: ${(err as Error).message}`, { cause: err });
      }
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  const first = listeners[0]!;
  const port = (servers[0]!.address() as AddressInfo).port;
  const host = first.host === '' ? 'localhost' : first.host.includes(':') ? `[${first.host}]` : first.host;
  const url = `http://${host}:${port}`;
  log.info(`REST server listening on ${servers.map((s, i) => `${listeners[i]!.host || '*'}:${(s.address() as AddressInfo).port}`).join(', ')}`);
  let closing: Promise<void> | undefined;
  return { url, port, close: () => (closing ??= closeAll()) };
}
