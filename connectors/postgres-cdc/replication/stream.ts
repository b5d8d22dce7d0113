/**
 * One logical replication connection (`replication=database`) on node-postgres: replication
 * commands, then START_REPLICATION's CopyBoth stream of XLogData and keepalives.
 *
 * The stream never acknowledges anything by itself: no timers, no automatic replies. The only
 * standby status updates the server ever gets are the caller's sendStatus() calls, so the slot's
 * confirmed_flush_lsn can never pass what the caller says is durable.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import { newClient } from '../pg-client.js';
import { formatLsn, parseLsn, type Lsn } from './lsn.js';

export interface SystemIdentity {
  systemId: string;
  timeline: number;
  xLogPos: Lsn;
  dbName: string;
}

export interface CreatedSlot {
  slotName: string;
  consistentPoint: Lsn;
  /** Name for `SET TRANSACTION SNAPSHOT` on another connection; '' if the server exported none. */
  snapshotName: string;
  outputPlugin: string;
}

/** Called once per XLogData message. `data` is valid only during the call: copy it to keep it. */
export type DataHandler = (walStart: Lsn, walEnd: Lsn, data: Buffer, serverTime: bigint) => void;
/** Called once per primary keepalive. When replyRequested, answer soon with sendStatus(). */
export type KeepaliveHandler = (walEnd: Lsn, replyRequested: boolean, serverTime: bigint) => void;

export interface ReplicationStreamEvents {
  /** The server's error (streaming ended by it), a lost connection, or a handler that threw. */
  error: [Error];
  /** The connection is closed, for whatever reason. */
  end: [];
}

type State = 'idle' | 'starting' | 'streaming' | 'ending' | 'closed';

/** What this file uses of node-postgres's Connection that @types/pg does not declare. */
interface CopyConnection {
  stream: Duplex;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  on(event: 'copyData', listener: (msg: { chunk: Buffer }) => void): void;
  off(event: 'copyData', listener: (msg: { chunk: Buffer }) => void): void;
  once(event: 'replicationStart', listener: () => void): void;
  off(event: 'replicationStart', listener: () => void): void;
}

/** µs between the Unix epoch and Postgres's epoch, 2000-01-01T00:00:00Z. */
const PG_EPOCH_OFFSET_US = 946_684_800_000_000n;
const SLOT_NAME = /^[a-z0-9_]{1,63}$/;
const END_TIMEOUT_MS = 10_000;

export function pgNowMicros(): bigint {
  return BigInt(Date.now()) * 1000n - PG_EPOCH_OFFSET_US;
}

function checkSlotName(name: string): string {
  if (!SLOT_NAME.test(name)) throw new Error(`Invalid replication slot name '${name}': use 1 to 63 lower-case letters, digits and underscores`);
  return name;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export class ReplicationStream extends EventEmitter<ReplicationStreamEvents> {
  private state: State = 'idle';
  private readonly connection: CopyConnection;
  /** START_REPLICATION's query: it settles when COPY ends (cleanly or with the server's error). */
  private copyQuery: Promise<unknown> | null = null;
  private onCopyData: ((msg: { chunk: Buffer }) => void) | null = null;
  /** One failure reaches the caller once, not once per symptom (server error, then socket close). */
  private failed = false;

  private constructor(private readonly client: pg.Client) {
    super();
    this.connection = client.connection as unknown as CopyConnection;
    client.on('error', (err) => this.fail(err));
    client.on('end', () => {
      this.state = 'closed';
      this.detach();
      this.emit('end');
    });
  }

  /** Opens a connection with `replication: 'database'` (whatever the config says about it). */
  static async connect(config: pg.ClientConfig): Promise<ReplicationStream> {
    const client = newClient({ ...config, replication: 'database' } as pg.ClientConfig);
    await client.connect();
    return new ReplicationStream(client);
  }

  async identifySystem(): Promise<SystemIdentity> {
    const row = await this.command<{ systemid: string; timeline: number | string; xlogpos: string; dbname: string | null }>('IDENTIFY_SYSTEM');
    return { systemId: String(row.systemid), timeline: Number(row.timeline), xLogPos: parseLsn(row.xlogpos), dbName: row.dbname ?? '' };
  }

  /**
   * CREATE_REPLICATION_SLOT .. LOGICAL pgoutput EXPORT_SNAPSHOT. The exported snapshot stays valid
   * only until the next command on this connection: import it elsewhere (`SET TRANSACTION
   * SNAPSHOT`) before calling anything else here, start() included.
   */
  async createSlot(name: string, options: { temporary?: boolean } = {}): Promise<CreatedSlot> {
    const temp = options.temporary ? ' TEMPORARY' : '';
    const row = await this.command<{ slot_name: string; consistent_point: string; snapshot_name: string | null; output_plugin: string }>(
      `CREATE_REPLICATION_SLOT ${quoteIdent(checkSlotName(name))}${temp} LOGICAL pgoutput EXPORT_SNAPSHOT`,
    );
    return { slotName: row.slot_name, consistentPoint: parseLsn(row.consistent_point), snapshotName: row.snapshot_name ?? '', outputPlugin: row.output_plugin };
  }

  /** DROP_REPLICATION_SLOT; with wait, waits for a slot active elsewhere instead of failing. */
  async dropSlot(name: string, options: { wait?: boolean } = {}): Promise<void> {
    await this.command(`DROP_REPLICATION_SLOT ${quoteIdent(checkSlotName(name))}${options.wait ? ' WAIT' : ''}`);
  }

  /**
   * START_REPLICATION SLOT .. LOGICAL startLsn (options). Resolves once the server answered with
   * CopyBothResponse; rejects with the server's error (slot missing or in use, bad publication...).
   * Handlers run synchronously from the socket's data events; if one throws, the stream stops
   * delivering, pauses and emits 'error': the caller then calls end().
   */
  async start(slot: string, startLsn: Lsn, pluginOptions: Record<string, string>, onData: DataHandler, onKeepalive: KeepaliveHandler): Promise<void> {
    this.requireState('idle', 'start');
    const opts = Object.entries(pluginOptions).map(([k, v]) => `${quoteIdent(k)} ${quoteLiteral(v)}`).join(', ');
    const sql = `START_REPLICATION SLOT ${quoteIdent(checkSlotName(slot))} LOGICAL ${formatLsn(startLsn)}${opts ? ` (${opts})` : ''}`;
    this.state = 'starting';
    this.failed = false;
    this.onCopyData = ({ chunk }) => this.dispatch(chunk, onData, onKeepalive);
    this.connection.on('copyData', this.onCopyData);
    await new Promise<void>((resolve, reject) => {
      const started = () => {
        this.state = 'streaming';
        resolve();
      };
      this.connection.once('replicationStart', started);
      this.copyQuery = this.client.query(sql).then(
        () => this.copyEnded(null),
        (err: Error) => {
          this.connection.off('replicationStart', started);
          if (this.state === 'starting') {
            this.copyEnded(null);
            reject(err);
          } else {
            this.copyEnded(err);
          }
        },
      );
    });
  }

  /**
   * Standby status update: write = flush = apply = flushLsn, exactly as given. Postgres reads the
   * flush position as "everything before this LSN is durable", so pass the END lsn of the last
   * durable transaction (pgoutput Commit's endLsn), never a commit's start.
   */
  sendStatus(flushLsn: Lsn, replyRequested = false): void {
    // Not while ending either: CopyData after our CopyDone would break the protocol.
    if (this.state !== 'streaming') throw new Error(`Cannot send a status update: the replication stream is ${this.state}, not streaming`);
    const msg = Buffer.allocUnsafe(34);
    msg.write('r', 0, 'latin1');
    msg.writeBigUInt64BE(flushLsn, 1);
    msg.writeBigUInt64BE(flushLsn, 9);
    msg.writeBigUInt64BE(flushLsn, 17);
    msg.writeBigInt64BE(pgNowMicros(), 25);
    msg.writeUInt8(replyRequested ? 1 : 0, 33);
    this.connection.sendCopyFromChunk(msg);
  }

  /** Stops reading the socket; messages already read from the current chunk are still delivered. */
  pause(): void {
    this.connection.stream.pause();
  }

  resume(): void {
    this.connection.stream.resume();
  }

  /**
   * Ends COPY with CopyDone, waits (at most 10 s) for the server to finish it, then closes the
   * connection. No handler runs after end() is called. Safe to call more than once, and after
   * the connection was lost.
   */
  async end(): Promise<void> {
    if (this.state === 'closed') return;
    if (this.state === 'streaming' || this.state === 'starting') {
      this.state = 'ending';
      this.detach();
      this.connection.endCopyFrom();
      // The server's CopyDone and ReadyForQuery must be read for the query to settle.
      this.resume();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.copyQuery, new Promise((resolve) => (timer = setTimeout(resolve, END_TIMEOUT_MS)))]);
      clearTimeout(timer);
    }
    this.state = 'closed';
    // With START_REPLICATION still active (timeout), node-postgres destroys the socket: still closed.
    await this.client.end();
  }

  private dispatch(chunk: Buffer, onData: DataHandler, onKeepalive: KeepaliveHandler): void {
    if (this.state !== 'streaming' && this.state !== 'starting') return;
    try {
      const kind = chunk[0];
      if (kind === 0x77) { // 'w' XLogData
        onData(chunk.readBigUInt64BE(1), chunk.readBigUInt64BE(9), chunk.subarray(25), chunk.readBigInt64BE(17));
      } else if (kind === 0x6b) { // 'k' primary keepalive
        onKeepalive(chunk.readBigUInt64BE(1), chunk[17] === 1, chunk.readBigInt64BE(9));
      } else {
        throw new Error(`Unexpected CopyData message '${String.fromCharCode(kind ?? 0)}' from the server during logical replication`);
      }
    } catch (err) {
      this.detach();
      this.pause();
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private copyEnded(err: Error | null): void {
    this.detach();
    if (this.state !== 'closed') this.state = this.state === 'ending' ? 'ending' : 'idle';
    if (err) this.fail(err);
  }

  private detach(): void {
    if (this.onCopyData) this.connection.off('copyData', this.onCopyData);
    this.onCopyData = null;
  }

  private fail(err: Error): void {
    // An error after end() was asked for is the expected tail of closing, not news.
    if (this.state === 'ending' || this.state === 'closed' || this.failed) return;
    this.failed = true;
    this.emit('error', err);
  }

  private requireState(state: State, what: string): void {
    if (this.state !== state) throw new Error(`Cannot ${what}: the replication stream is ${this.state}`);
  }

  private async command<R extends Record<string, unknown>>(sql: string): Promise<R> {
    this.requireState('idle', `run ${sql.split(' ')[0]}`);
    const res = await this.client.query<R>(sql);
    return res.rows[0] as R;
  }
}
