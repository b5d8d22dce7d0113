/**
 * ChangeStream: the replication connection of a PostgresConnectorTask once it streams. Decodes each
 * message and hands it to ChangeEvents in order (right away, or behind a slow one on a promise
 * chain), pauses the socket while the queue is full or a blocking snapshot holds the stream, sends
 * status updates that only repeat what the task confirmed, emits heartbeats and reconnects after a
 * lost connection. The task keeps the acknowledgement rule (commit()) and reads back here what it
 * needs for it.
 */
import { resolve } from 'node:path';
import type pg from 'pg';
import { getLogger, type ParsedConfig, type SourceMap, type SourceRecord } from '../../runtime/api/index.js';
import { ChangeEvents } from './change-events.js';
import type { TableFilter } from './config.js';
import { clientConfig } from './connection.js';
import type { EventBuilder } from './events.js';
import type { IncrementalSnapshot } from './incremental/incremental-snapshot.js';
import { SignalFile } from './incremental/signal-file.js';
import type { PgOffset } from './offsets.js';
import type { RecordQueue } from './record-queue.js';
import { gaveUp, isConnectionLoss, maxRetries } from './retry.js';
import { formatLsn, maxLsn, type Lsn } from './replication/lsn.js';
import { decodePgOutput } from './replication/pgoutput.js';
import { ReplicationStream } from './replication/stream.js';
import { quoteIdent } from './snapshot/snapshot-reader.js';
import type { StreamFilter } from './snapshot/stream-filter.js';

const log = getLogger('connectors.postgres-cdc');

/** What the stream needs from the task that owns it. The fields are fixed once the task started. */
export interface ChangeStreamHost {
  readonly config: ParsedConfig;
  readonly builder: EventBuilder;
  readonly queue: RecordQueue;
  readonly partition: SourceMap;
  /** The captured tables and the signal table: what a relation message is read with. */
  readonly filter: TableFilter;
  readonly slot: string;
  /** signal.data.collection: signals, incremental and blocking snapshots. */
  readonly incremental: IncrementalSnapshot | null;
  /** The offset stored when the task started: changes up to it are skipped. */
  readonly stored: PgOffset | null;
  /** Queues records with their offset; `wait` awaits room (the stream pauses its socket instead). */
  enqueue(records: SourceRecord[], offset: PgOffset, wait: boolean): Promise<void>;
  /** Queues records at once, synchronously (the stream pauses its socket when the queue is full). */
  push(records: SourceRecord[], offset: PgOffset): void;
  /** Fails the task (poll() throws). */
  fail(e: Error): void;
  isStopping(): boolean;
  /** The highest flush position sent to the server: status updates repeat it. */
  confirmed(): Lsn;
  /** The offset of the last streamed record queued: after a reconnect, changes up to it are skipped. */
  lastQueued(): PgOffset | null;
  /** The regular connection: relation messages read the catalog on it, heartbeat.action.query runs on it. */
  catalog(): pg.Client | null;
  /** Replaces the regular connection (the server went away). */
  reconnectCatalog(): Promise<void>;
}

export class ChangeStream {
  private stream: ReplicationStream | null = null;
  private readonly events: ChangeEvents;
  private processing: Promise<void> = Promise.resolve();
  /** Messages waiting on the chain behind a slow one (a relation's catalog read, a blocking snapshot). */
  private pending = 0;
  /** A keepalive position reached with nothing open or unprocessed: safe once everything queued is stored. */
  private idle: Lsn = 0n;
  private started = false;
  private reconnecting = false;
  private statusTimer: NodeJS.Timeout | null = null;
  /** When the server was last heard from (any message), and whether we stopped reading the socket. */
  private lastHeard = Date.now();
  private paused = false;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private signalTimer: NodeJS.Timeout | null = null;
  private readonly queue: RecordQueue;
  private readonly incremental: IncrementalSnapshot | null;

  constructor(private readonly host: ChangeStreamHost) {
    this.queue = host.queue;
    this.incremental = host.incremental;
    this.events = new ChangeEvents(host);
  }

  /** Connected and streaming: only then may commit() confirm. */
  get streaming(): boolean {
    return this.stream !== null && this.started;
  }

  /** End LSN of the last transaction whose events were all queued. */
  get lastCompletedEnd(): Lsn {
    return this.events.lastCompletedEnd;
  }

  get idleLsn(): Lsn {
    return this.idle;
  }

  get inTransaction(): boolean {
    return this.events.inTransaction;
  }

  get pendingMessages(): number {
    return this.pending;
  }

  /** A stream filter still drops changes: the slot must replay them after a restart. */
  get filtering(): boolean {
    return this.events.streamFilter !== null;
  }

  /** Connects the replication connection (the task creates the slot on it before streaming). */
  async open(): Promise<ReplicationStream> {
    const stream = await ReplicationStream.connect(clientConfig(this.host.config, true));
    stream.on('error', (e) => {
      if (this.host.isStopping() || stream !== this.stream) return;
      if (isConnectionLoss(e) && this.started) void this.reconnect(e);
      else this.host.fail(e);
    });
    this.stream = stream;
    return stream;
  }

  /** Streams from `startLsn`; `filter`: what the snapshot (or the stored offset) says to drop. */
  async start(startLsn: Lsn, filter: StreamFilter | null): Promise<void> {
    this.events.streamFilter = filter;
    await this.startStreaming(startLsn);
  }

  /** Reads the socket again (poll() made room). */
  resume(): void {
    this.unpause();
  }

  /** A status update; the connection may be gone (the stream's error handler reports that). */
  sendStatus(lsn: Lsn, replyRequested = false): void {
    try {
      this.stream?.sendStatus(lsn, replyRequested);
    } catch (e) {
      log.debug(`status update not sent: ${(e as Error).message}`);
    }
  }

  /** A connection other than the stream's was lost (a blocking snapshot's): start over on new ones. */
  connectionLost(cause: Error): void {
    if (this.started) void this.reconnect(cause);
  }

  async stop(): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.signalTimer) clearInterval(this.signalTimer);
    await this.stream?.end().catch(() => undefined);
  }

  private async startStreaming(startLsn: Lsn): Promise<void> {
    const stream = this.stream!;
    const config = this.host.config;
    const publication = config.requireString('publication.name');
    this.started = true;
    const interval = config.getInt('status.update.interval.ms');
    // Regular status updates keep the server from dropping the connection (wal_sender_timeout);
    // they repeat the confirmed position and never move it.
    // Each asks for a reply, so a live server is heard from at least once an interval: silence for
    // three intervals while reading is a lost network (no reset ever came), and we reconnect
    // rather than wait out TCP's retransmissions (~15 minutes).
    this.lastHeard = Date.now();
    this.paused = false;
    this.statusTimer = setInterval(() => {
      const silent = Date.now() - this.lastHeard;
      if (!this.paused && silent > 3 * interval) {
        void this.reconnect(new Error(`nothing heard from the server for ${silent} ms`));
        return;
      }
      this.sendStatus(this.host.confirmed(), true);
    }, interval);
    const heartbeatMs = config.getInt('heartbeat.interval.ms');
    if (heartbeatMs > 0 && !this.heartbeatTimer) this.heartbeatTimer = setInterval(() => void this.heartbeat().catch((e: unknown) => log.warn('heartbeat failed', e)), heartbeatMs);
    // The file channel is read once streaming runs, as Debezium starts its signal processor then.
    if (!this.signalTimer && config.getList('signal.enabled.channels').some((c) => c.toLowerCase() === 'file')) this.startSignalFile(new SignalFile(config.requireString('signal.file')), config.getNumber('signal.poll.interval.ms')!);
    log.info(`streaming from slot '${this.host.slot}' at ${formatLsn(startLsn)}, publication '${publication}'`);
    await stream.start(this.host.slot, startLsn, { proto_version: '1', publication_names: quoteIdent(publication), messages: 'true' }, (walStart, _walEnd, data) => {
      this.lastHeard = Date.now();
      const msg = decodePgOutput(data);
      if (this.pending === 0 && msg.tag !== 'relation') {
        // Everything but a relation (which reads the catalog) is handled right here, in order:
        // no promise per change on the hot path.
        try {
          this.events.handleNow(msg, walStart);
        } catch (e) {
          this.host.fail(e as Error);
        }
        // A blocking snapshot signal: every later message waits until the snapshot is done.
        const hold = this.incremental?.takeHold();
        if (hold) {
          this.pending++;
          this.processing = hold.finally(() => {
            this.pending--;
            this.resumeReading();
          });
        }
      } else {
        this.pending++;
        this.processing = this.processing.then(async () => {
          // Lost while this waited (a blocking snapshot, a relation): the new stream sends it again.
          if (stream !== this.stream) return;
          await this.events.handle(msg, walStart);
          const hold = this.incremental?.takeHold();
          if (hold) {
            await hold;
            this.resumeReading();
          }
        }).catch((e: unknown) => this.host.fail(e as Error)).finally(() => {
          if (--this.pending === 0) this.resumeReading();
        });
      }
      // Behind a slow message (a relation's catalog read) stop reading: messages read meanwhile
      // would wait in memory (a 200k-change backlog once piled up 220 MB of them), and decoding
      // them held up the catalog query's own answer (150 ms instead of 3 before the first event).
      if (this.queue.full || this.incremental?.holding || this.pending > 0) {
        stream.pause();
        this.paused = true;
      }
    }, (walEnd, replyRequested) => {
      this.lastHeard = Date.now();
      if (!this.events.inTransaction && this.pending === 0) {
        this.idle = maxLsn(this.idle, walEnd);
        this.events.streamIdleAt(this.idle);
      }
      if (replyRequested) this.sendStatus(this.host.confirmed());
    });
  }

  /**
   * Reads the signal file every `intervalMs`; each signal takes its turn on the message chain, so
   * it is handled between two stream messages, and a blocking snapshot it starts holds the stream
   * as one from the signal table does.
   */
  private startSignalFile(file: SignalFile, intervalMs: number): void {
    log.info(`file signal channel: reading signals from '${resolve(file.path)}' every ${intervalMs} ms`);
    let reading = false;
    this.signalTimer = setInterval(() => {
      if (reading || this.host.isStopping()) return;
      reading = true;
      file.read().then((lines) => {
        for (const line of lines) {
          log.info(`signal ${line.id} (${line.type}) read from ${file.path}`);
          this.pending++;
          this.processing = this.processing.then(async () => {
            this.events.externalSignal(line);
            const hold = this.incremental?.takeHold();
            if (hold) {
              this.stream?.pause();
              this.paused = true;
              await hold;
            }
          }).catch((e: unknown) => this.host.fail(e as Error)).finally(() => {
            if (--this.pending === 0) this.resumeReading();
          });
        }
      }, (e: unknown) => log.warn(`file signal channel: ${(e as Error).message}`)).finally(() => {
        reading = false;
      });
    }, intervalMs);
  }

  /** Messages waiting or a blocking snapshot ended: read the stream again unless the queue is full (poll() resumes then). */
  private resumeReading(): void {
    if (!this.incremental?.holding && !this.queue.full) this.unpause();
  }

  /** Reads the socket again; the silence watchdog counts from now. */
  private unpause(): void {
    if (this.paused) this.lastHeard = Date.now();
    this.paused = false;
    this.stream?.resume();
  }

  /**
   * The server went away (restart, network): reconnect with backoff and stream again from the
   * confirmed position. What was queued before stays queued; the server sends those changes again
   * and they are skipped up to the last queued position, so nothing is lost or doubled.
   */
  private async reconnect(cause: Error): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    this.started = false;
    if (this.statusTimer) clearInterval(this.statusTimer);
    log.warn(`lost the replication connection (${cause.message}); reconnecting`);
    const old = this.stream;
    this.stream = null;
    await old?.end().catch(() => undefined);
    await this.processing;
    let delay = 500;
    const retries = maxRetries(this.host.config);
    let lastError = cause;
    for (let attempt = 1; !this.host.isStopping(); attempt++) {
      if (attempt > retries) {
        this.reconnecting = false;
        this.host.fail(gaveUp('the replication connection', retries, lastError));
        return;
      }
      try {
        await this.host.reconnectCatalog();
        await this.open();
        this.events.restart(this.host.lastQueued());
        await this.startStreaming(this.host.confirmed());
        log.info(`replication connection re-established after ${attempt} attempt(s)`);
        this.reconnecting = false;
        return;
      } catch (e) {
        // After a silent loss the server's walsender may hold the slot until wal_sender_timeout.
        const slotBusy = (e as { code?: string }).code === '55006';
        if (!isConnectionLoss(e as Error) && !slotBusy) {
          this.reconnecting = false;
          this.host.fail(e as Error);
          return;
        }
        lastError = e as Error;
        log.warn(`reconnect attempt ${attempt} failed (${(e as Error).message}); next in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  /**
   * heartbeat.interval.ms: runs heartbeat.action.query (which makes a quiet captured database
   * produce a change) and, when nothing is open, emits a heartbeat (ChangeEvents.heartbeat).
   */
  private async heartbeat(): Promise<void> {
    if (this.host.isStopping() || !this.started) return;
    const query = this.host.config.getString('heartbeat.action.query');
    if (query) await this.host.catalog()?.query(query);
    if (this.events.inTransaction || this.pending > 0) return;
    await this.events.heartbeat(this.idle);
  }
}
