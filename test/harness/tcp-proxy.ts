/**
 * A TCP proxy on loopback for network-loss tests: forwards each connection to a target port until
 * `blackhole()`, after which the connections open then go silent (bytes are dropped both ways,
 * nothing is closed or reset), as when a network path dies. Connections made afterwards work.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Silences every connection open now. */
  blackhole(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<{ client: Socket; server: Socket; silent: boolean }>();
  // Half-open allowed: a silenced connection must not answer a FIN either (a dead path carries none).
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = createConnection({ port: targetPort, host: targetHost, allowHalfOpen: true });
    const pair = { client, server: upstream, silent: false };
    open.add(pair);
    client.on('data', (b) => {
      if (!pair.silent) upstream.write(b);
    });
    upstream.on('data', (b) => {
      if (!pair.silent) client.write(b);
    });
    client.on('end', () => {
      if (!pair.silent) upstream.end();
    });
    upstream.on('end', () => {
      if (!pair.silent) client.end();
    });
    const end = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    blackhole: () => {
      for (const pair of open) pair.silent = true;
    },
    close: async () => {
      for (const pair of open) {
        pair.client.destroy();
        pair.server.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
