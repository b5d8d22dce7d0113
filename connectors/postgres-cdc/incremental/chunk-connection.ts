/**
 * The connection incremental chunks are read on and their window signals inserted by, opened on
 * first use and again after a loss.
 */
import type pg from 'pg';
import { getLogger, type ParsedConfig } from '../../../runtime/api/index.js';
import { clientConfig } from '../connection.js';
import { newClient } from '../pg-client.js';
import { quoteIdent } from '../snapshot/snapshot-reader.js';

const log = getLogger('connectors.postgres-cdc');

export class ChunkConnection {
  private client: pg.Client | null = null;

  constructor(private readonly config: ParsedConfig, private readonly signalSchema: string, private readonly signalName: string) {}

  async get(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = newClient(clientConfig(this.config));
    client.on('error', (e) => {
      log.warn(`incremental snapshot connection lost: ${e.message}`);
      if (this.client === client) this.client = null;
    });
    try {
      await client.connect();
      // The stream sees only flushed WAL: with synchronous_commit=off on the server, each window
      // signal would wait for the WAL writer (200 ms by default), and every chunk with it.
      await client.query('SET synchronous_commit = on');
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    this.client = client;
    return client;
  }

  /** A window signal row on `client`, the connection the chunk was read on (never a new one). */
  async insertSignal(client: pg.Client, id: string, type: string, data: string): Promise<void> {
    await client.query(`INSERT INTO ${quoteIdent(this.signalSchema)}.${quoteIdent(this.signalName)} (id, type, data) VALUES ($1, $2, $3)`, [id, type, data]);
  }

  /** A lost connection: forget it, so the next chunk opens a new one. */
  async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  async end(): Promise<void> {
    await this.client?.end().catch(() => undefined);
  }
}
