/**
 * PostgresConnectorTask: snapshot (on the slot's exported snapshot) then streaming from the slot.
 * Readers push change events into a bounded queue that poll() drains; the slot is acknowledged in
 * commit() only up to what the stored offset says is durable (see README: the acknowledgement rule).
 */
import type pg from 'pg';
import { SourceTask, canonicalJson, getLogger, type ParsedConfig, type SourceMap, type SourceRecord } from '../../runtime/api/index.js';
import { parseMessageKeyColumns, readTables, type TableInfo as CatalogTable } from './catalog.js';
import { anchored, postgresConfigSpec, tableFilter, type TableFilter } from './config.js';
import { clientConfig, connect } from './connection.js';
import { EventBuilder, transactionRecord, type SourceInfo, type TableInfo, type TupleValue } from './events.js';
import { heartbeatRecord } from './heartbeat.js';
import { IncrementalSnapshot } from './incremental/incremental-snapshot.js';
import { alreadyStored, lsnNumber, readOffset, sourcePartition, type PgOffset } from './offsets.js';
import { ensurePublication } from './publication.js';
import { RecordQueue } from './record-queue.js';
import { MAX_ATTEMPTS, isConnectionLoss } from './retry.js';
import { decideSnapshot, slotState } from './slot.js';
import { formatLsn, maxLsn, type Lsn } from './replication/lsn.js';
import { decodePgOutput, type PgOutputMessage } from './replication/pgoutput.js';
import { ReplicationStream } from './replication/stream.js';
import { quoteIdent } from './snapshot/snapshot-reader.js';
import { readSnapshot } from './snapshot/snapshot-events.js';
import { openSnapshotJob, storedFilter, type SnapshotJob } from './snapshot/snapshot-job.js';
import type { StreamFilter } from './snapshot/stream-filter.js';
import { SnapshotProgress } from './snapshot/snapshot-progress.js';
import type { Operation } from './events.js';
import type { TypeModes } from './types/index.js';
import { VERSION } from './version.js';

const log = getLogger('connectors.postgres-cdc');
const PG_EPOCH_US = 946_684_800_000_000n;

interface OpenTx {
  xid: number;
  finalLsn: Lsn;
  commitTimeUs: bigint;
  /** provide.transaction.metadata: events so far, per table, and whether BEGIN went out. */
  events: number;
  perTable: Map<string, number>;
  begun: boolean;
}

export class PostgresConnectorTask extends SourceTask {
  private config!: ParsedConfig;
  private filter!: TableFilter;
  /** logical.decoding.message.prefix.include/exclude.list, compiled once. */
  private messagePrefixes: { include: RegExp[]; exclude: RegExp[] } = { include: [], exclude: [] };
  private builder!: EventBuilder;
  private queue!: RecordQueue;
  private partition!: SourceMap;
  private regular: pg.Client | null = null;
  private stream: ReplicationStream | null = null;
  private failure: Error | null = null;
  private stopping = false;
  private slot = '';
  /** relation id -> table as the events see it; null for relations not captured. */
  private readonly relations = new Map<number, TableInfo | null>();
  private stored: PgOffset | null = null;
  private tx: OpenTx | null = null;
  /** End LSN of the last transaction whose events were all queued. */
  private lastCompletedEnd: Lsn = 0n;
  /** A keepalive position reached with nothing open or unprocessed: safe once everything queued is stored. */
  private idleLsn: Lsn = 0n;
  /** The highest flush position sent to the server: it never moves backwards. */
  private confirmed: Lsn = 0n;
  /** The offset of the last record queued (snapshot ones included), compared with the stored one in commit(). */
  private lastQueuedOffset: PgOffset | null = null;
  private processing: Promise<void> = Promise.resolve();
  private pendingMessages = 0;
  private statusTimer: NodeJS.Timeout | null = null;
  private streamingStarted = false;
  private reconnecting = false;
  /** Drops streamed changes a snapshot not taken at the slot's position already holds (snapshot/stream-filter.ts). */
  private streamFilter: StreamFilter | null = null;
  private snapshotProgress: SnapshotProgress | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** The offset of the last record queued: after a reconnect, changes up to it are skipped. */
  private lastQueued: PgOffset | null = null;
  /** signal.data.collection: signals and incremental snapshots (incremental/). */
  private incremental: IncrementalSnapshot | null = null;

  version(): string {
    return VERSION;
  }

  async start(props: Record<string, string>): Promise<void> {
    this.config = postgresConfigSpec().parse(props, 'PostgresConnectorTask');
    const c = this.config;
    this.filter = tableFilter(c);
    this.messagePrefixes = {
      include: anchored(c.getList('logical.decoding.message.prefix.include.list')),
      exclude: anchored(c.getList('logical.decoding.message.prefix.exclude.list')),
    };
    this.partition = sourcePartition(c.requireString('topic.prefix'));
    this.slot = c.requireString('slot.name');
    this.queue = new RecordQueue(c.getInt('max.queue.size'));
    const modes: TypeModes = {
      decimal: c.getString('decimal.handling.mode') as TypeModes['decimal'],
      time: c.getString('time.precision.mode') as TypeModes['time'],
      binary: c.getString('binary.handling.mode') as TypeModes['binary'],
      unavailablePlaceholder: c.requireString('unavailable.value.placeholder'),
      interval: c.getString('interval.handling.mode') as TypeModes['interval'],
    };
    const skipped = c.getList('skipped.operations').filter((o): o is Operation => ['c', 'u', 'd', 't'].includes(o));
    this.builder = new EventBuilder({
      topicPrefix: c.requireString('topic.prefix'),
      database: c.requireString('database.dbname'),
      modes,
      connectorVersion: VERSION,
      tombstonesOnDelete: c.getBoolean('tombstones.on.delete'),
      skippedOps: skipped,
      includeUnknownDatatypes: c.getBoolean('include.unknown.datatypes'),
    });

    const signalTable = c.getString('signal.data.collection');
    // The signal table's changes must reach the stream (publication, relations), never the topics.
    if (signalTable) this.filter = IncrementalSnapshot.withSignalTable(this.filter, signalTable);
    this.regular = await connect(c);
    const tables = await readTables(this.regular, this.filter, parseMessageKeyColumns(c.getString('message.key.columns')));
    await ensurePublication(this.regular, c, tables);
    this.stored = readOffset(await this.context.offsetStorageReader.offset(this.partition));
    if (signalTable) {
      this.incremental = new IncrementalSnapshot({
        config: c, filter: tableFilter(c), builder: this.builder, toEventTable,
        emit: (records, offset) => void this.enqueue(records, offset, false),
        emitWait: (records, offset) => this.enqueue(records, offset, true),
        keepalive: () => this.sendStatus(this.confirmed),
        onConnectionLoss: () => {
          if (this.streamingStarted) void this.reconnect(new Error('a blocking snapshot lost its connection'));
        },
        fail: (e) => this.fail(e),
      }, this.stored);
      if (!tables.some((t) => this.incremental!.isSignalTable(t))) log.warn(`signal.data.collection ${signalTable} is not a table in database ${c.requireString('database.dbname')}: signals will not be seen`);
    }
    const slot = await slotState(this.regular, this.slot);
    const mode = c.getString('snapshot.mode') ?? 'initial';
    const snapshot = decideSnapshot(mode, this.slot, this.stored, slot);
    this.stream = await this.openStream();

    let startLsn: Lsn = slot?.confirmedFlush ?? 0n;
    let exportedSnapshot: string | null = null;
    if (!slot) {
      const created = await this.stream.createSlot(this.slot);
      startLsn = created.consistentPoint;
      this.confirmed = created.consistentPoint;
      exportedSnapshot = created.snapshotName || null;
      log.info(`created replication slot '${this.slot}' at ${formatLsn(created.consistentPoint)}`);
    } else {
      this.confirmed = slot.confirmedFlush ?? 0n;
    }
    // The exported snapshot lives only until the next command on the replication connection:
    // every reader imports it here, before streaming starts.
    const job = snapshot
      ? await openSnapshotJob({ clientConfig: clientConfig(c), mode, slotName: this.slot, stored: this.stored, slot, exportedSnapshot, tables: tables.filter((t) => !this.incremental?.isSignalTable(t)), threads: c.getInt('snapshot.max.threads') })
      : null;
    this.streamFilter = job ? job.filter : storedFilter(this.stored);
    if (this.stored?.lsn_flushable) this.lastCompletedEnd = BigInt(this.stored.lsn_flushable);
    void this.run(job, startLsn).catch((e: unknown) => this.fail(e as Error));
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.failure) throw this.failure;
    const records = await this.queue.take(this.config.getInt('max.batch.size'), this.config.getInt('poll.interval.ms'));
    if (this.failure) throw this.failure;
    // During a blocking snapshot the socket stays paused: messages read now would only pile up.
    if (this.queue.size < this.config.getInt('max.queue.size') / 2 && !this.incremental?.holding) this.stream?.resume();
    return records;
  }

  /** Messages waiting or a blocking snapshot ended: read the stream again unless the queue is full (poll() resumes then). */
  private resumeReading(): void {
    if (!this.incremental?.holding && !this.queue.full) this.stream?.resume();
  }

  /** Called after the runtime stored offsets: confirm to the slot what the stored offset makes safe. */
  override async commit(): Promise<void> {
    if (!this.stream || this.stopping || !this.streamingStarted) return;
    const stored = readOffset(await this.context.offsetStorageReader.offset(this.partition));
    let safe: Lsn = stored?.lsn_flushable ? BigInt(stored.lsn_flushable) : 0n;
    const everythingStored = this.queue.size === 0 && (this.lastQueuedOffset === null || (stored !== null && canonicalJson(stored) === canonicalJson(this.lastQueuedOffset)));
    // While a stream filter is on, the slot moves only with stored offsets (which carry the filter):
    // a restart must replay the changes the filter tracks keys from.
    if (everythingStored && !this.tx && this.pendingMessages === 0 && !this.streamFilter) safe = maxLsn(safe, maxLsn(this.lastCompletedEnd, this.idleLsn));
    if (safe > this.confirmed) {
      this.confirmed = safe;
      this.sendStatus(safe);
      log.debug(`confirmed ${formatLsn(safe)} to slot '${this.slot}'`);
    }
  }

  /** A status update; the connection may be gone (the stream's error handler reports that). */
  private sendStatus(lsn: Lsn): void {
    try {
      this.stream?.sendStatus(lsn);
    } catch (e) {
      log.debug(`status update not sent: ${(e as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.queue?.close();
    if (this.statusTimer) clearInterval(this.statusTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.stream?.end().catch(() => undefined);
    await this.incremental?.stop();
    if (this.config?.getBoolean('slot.drop.on.stop') && this.regular) {
      await this.regular.query('SELECT pg_drop_replication_slot($1)', [this.slot]).catch((e: Error) => log.warn(`could not drop slot ${this.slot}: ${e.message}`));
    }
    await this.regular?.end().catch(() => undefined);
  }

  private async openStream(): Promise<ReplicationStream> {
    const stream = await ReplicationStream.connect(clientConfig(this.config, true));
    stream.on('error', (e) => {
      if (this.stopping || stream !== this.stream) return;
      if (isConnectionLoss(e) && this.streamingStarted) void this.reconnect(e);
      else this.fail(e);
    });
    return stream;
  }

  /**
   * The server went away (restart, network): reconnect with backoff and stream again from the
   * confirmed position. What was queued before stays queued; the server sends those changes again
   * and they are skipped up to the last queued position, so nothing is lost or doubled.
   */
  private async reconnect(cause: Error): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    this.streamingStarted = false;
    if (this.statusTimer) clearInterval(this.statusTimer);
    log.warn(`lost the replication connection (${cause.message}); reconnecting`);
    const old = this.stream;
    this.stream = null;
    await old?.end().catch(() => undefined);
    await this.processing;
    let delay = 500;
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.regular?.end().catch(() => undefined);
        this.regular = await connect(this.config);
        this.stream = await this.openStream();
        this.tx = null;
        this.relations.clear();
        this.stored = this.lastQueued ?? this.stored;
        await this.startStreaming(this.confirmed);
        log.info(`replication connection re-established after ${attempt} attempt(s)`);
        this.reconnecting = false;
        return;
      } catch (e) {
        if (!isConnectionLoss(e as Error) || attempt >= MAX_ATTEMPTS) {
          this.reconnecting = false;
          this.fail(e as Error);
          return;
        }
        log.warn(`reconnect attempt ${attempt} failed (${(e as Error).message}); next in ${delay} ms`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  private fail(e: Error): void {
    if (this.stopping) return;
    log.error('capture failed', e);
    this.failure ??= e;
    this.queue?.close();
  }

  private async run(job: SnapshotJob | null, startLsn: Lsn): Promise<void> {
    if (job) {
      try {
        await this.snapshot(job, startLsn);
      } finally {
        await Promise.all(job.readers.map((r) => r.end()));
      }
    }
    if (this.stopping) return;
    this.snapshotProgress?.finished(this.config.getString('snapshot.mode') !== 'initial_only');
    if (this.config.getString('snapshot.mode') === 'initial_only') {
      log.info('snapshot.mode=initial_only: snapshot done, not streaming');
      return;
    }
    await this.startStreaming(startLsn);
    this.incremental?.resume();
  }

  private async snapshot(job: SnapshotJob, lsn: Lsn): Promise<void> {
    const names = [...job.completed, ...job.tables.map((t) => `${t.schema}.${t.name}`)];
    // Shown as `progress` on the task in the REST status (rows done and estimated, per table).
    this.snapshotProgress = new SnapshotProgress((p) => this.context.reportProgress(p), names);
    await readSnapshot({
      onProgress: (p) => this.snapshotProgress?.update(p),
      readers: job.readers,
      tables: job.tables.map((t) => ({ catalog: t, table: toEventTable(t) })),
      completed: job.completed,
      started: job.started,
      lsn,
      txId: job.txId,
      builder: this.builder,
      partition: this.partition,
      config: this.config,
      isStopping: () => this.stopping,
      enqueue: (records, offset) => this.enqueue(records, offset, true),
      offsetFields: job.filter?.allFields(),
    });
  }

  private async startStreaming(startLsn: Lsn): Promise<void> {
    const stream = this.stream!;
    const publication = this.config.requireString('publication.name');
    this.streamingStarted = true;
    const interval = this.config.getInt('status.update.interval.ms');
    // Regular status updates keep the server from dropping the connection (wal_sender_timeout);
    // they repeat the confirmed position and never move it.
    this.statusTimer = setInterval(() => this.sendStatus(this.confirmed), interval);
    const heartbeatMs = this.config.getInt('heartbeat.interval.ms');
    if (heartbeatMs > 0 && !this.heartbeatTimer) this.heartbeatTimer = setInterval(() => void this.heartbeat().catch((e: unknown) => log.warn('heartbeat failed', e)), heartbeatMs);
    log.info(`streaming from slot '${this.slot}' at ${formatLsn(startLsn)}, publication '${publication}'`);
    await stream.start(this.slot, startLsn, { proto_version: '1', publication_names: quoteIdent(publication), messages: 'true' }, (walStart, _walEnd, data) => {
      const msg = decodePgOutput(data);
      if (this.pendingMessages === 0 && msg.tag !== 'relation') {
        // Everything but a relation (which reads the catalog) is handled right here, in order:
        // no promise per change on the hot path.
        const handled = this.handle(msg, walStart).catch((e: unknown) => this.fail(e as Error));
        // A blocking snapshot signal: every later message waits until the snapshot is done.
        const hold = this.incremental?.takeHold();
        if (hold) {
          this.pendingMessages++;
          this.processing = handled.then(() => hold).finally(() => {
            this.pendingMessages--;
            this.resumeReading();
          });
        }
      } else {
        this.pendingMessages++;
        this.processing = this.processing.then(async () => {
          // Lost while this waited (a blocking snapshot, a relation): the new stream sends it again.
          if (stream !== this.stream) return;
          await this.handle(msg, walStart);
          const hold = this.incremental?.takeHold();
          if (hold) {
            await hold;
            this.resumeReading();
          }
        }).catch((e: unknown) => this.fail(e as Error)).finally(() => {
          if (--this.pendingMessages === 0) this.resumeReading();
        });
      }
      // Messages chained behind a slow one (a relation's catalog read) wait in memory: past a
      // queue's worth, stop reading (a 200k-change backlog once piled up 220 MB of them).
      if (this.queue.full || this.incremental?.holding || this.pendingMessages >= this.queue.capacity) stream.pause();
    }, (walEnd, replyRequested) => {
      if (!this.tx && this.pendingMessages === 0) this.idleLsn = maxLsn(this.idleLsn, walEnd);
      if (replyRequested) this.sendStatus(this.confirmed);
    });
  }

  private async handle(msg: PgOutputMessage, lsn: Lsn): Promise<void> {
    switch (msg.tag) {
      case 'begin':
        this.tx = { xid: msg.xid, finalLsn: msg.finalLsn, commitTimeUs: msg.commitTime + PG_EPOCH_US, events: 0, perTable: new Map(), begun: false };
        return;
      case 'commit': {
        const tx = this.tx;
        this.tx = null;
        this.lastCompletedEnd = maxLsn(this.lastCompletedEnd, msg.endLsn);
        // END says the transaction is complete: its offset lets the slot move to the commit's end.
        if (tx?.begun) {
          const { offset } = this.position(tx, msg.commitLsn, 'COMMIT');
          await this.enqueue([transactionRecord(this.config.requireString('topic.prefix'), 'END', txId(tx), Number(tx.commitTimeUs / 1000n), tx.perTable, { sourcePartition: this.partition, sourceOffset: { ...offset } })], offset, false);
        }
        return;
      }
      case 'relation':
        this.relations.set(msg.relationId, await this.relationTable(msg.relationId, msg.columns.map((c) => c.name)));
        return;
      case 'insert':
      case 'update':
      case 'delete':
      case 'truncate':
        return this.change(msg, lsn);
      case 'message':
        return this.logicalMessage(msg, lsn);
      default:
        return;
    }
  }

  private async change(msg: Extract<PgOutputMessage, { tag: 'insert' | 'update' | 'delete' | 'truncate' }>, lsn: Lsn): Promise<void> {
    const tx = this.tx;
    if (!tx) return;
    const tables = msg.tag === 'truncate' ? msg.relationIds.map((id) => this.relations.get(id)) : [this.relations.get(msg.relationId)];
    // Before the stored check: the filter keeps track of keys across the changes a restart replays.
    const dropped = this.snapshotHolds(msg, tables, tx);
    if (alreadyStored(this.stored, tx.finalLsn, lsn)) return;
    const { source, offset, pos } = this.position(tx, lsn, msg.tag.toUpperCase());
    const records: SourceRecord[] = [];
    for (const table of tables) {
      if (table && dropped?.has(table)) continue;
      if (!table || this.signalOrWindow(msg, table, tx, lsn)) continue;
      const src = this.withTransaction(tx, source, table, records, pos);
      if (msg.tag === 'truncate') records.push(...this.builder.truncate(table, src, pos));
      // pgoutput's tuples are the events' TupleValue already: no copy per change.
      else if (msg.tag === 'insert') records.push(...this.builder.create(table, msg.newTuple, src, pos));
      else if (msg.tag === 'update') records.push(...this.builder.update(table, msg.oldTuple, msg.newTuple, src, pos));
      else records.push(...this.builder.delete(table, msg.oldTuple, src, pos));
    }
    if (records.length > 0) await this.enqueue(records, offset, false);
  }

  /** The tables whose change here the snapshot already holds (streamFilter), or null once the filter is behind. */
  private snapshotHolds(msg: Extract<PgOutputMessage, { tag: 'insert' | 'update' | 'delete' | 'truncate' }>, tables: Array<TableInfo | null | undefined>, tx: OpenTx): Set<TableInfo> | null {
    const filter = this.streamFilter;
    if (!filter) return null;
    if (filter.expired(tx.finalLsn)) {
      this.streamFilter = null;
      log.info(`the stream is past the snapshot (${formatLsn(tx.finalLsn)}): no more changes dropped`);
      return null;
    }
    const dropped = new Set<TableInfo>();
    for (const table of tables) if (table && filter.drops(table, tx.xid, tx.finalLsn, msg)) dropped.add(table);
    return dropped;
  }

  /**
   * With signal.data.collection: a signal row goes to the incremental snapshot (and is not an
   * event, returns true); a captured table's change is shown to the open window, if any.
   */
  private signalOrWindow(msg: Extract<PgOutputMessage, { tag: 'insert' | 'update' | 'delete' | 'truncate' }>, table: TableInfo, tx: OpenTx, lsn: Lsn): boolean {
    const incremental = this.incremental;
    if (!incremental) return false;
    if (incremental.isSignalTable(table)) {
      if (msg.tag === 'insert') incremental.onSignal(table, text(msg.newTuple), () => this.position(tx, lsn, 'INSERT'));
      return true;
    }
    if (msg.tag === 'truncate') incremental.onTruncate(table);
    else incremental.onChange(table, msg.tag === 'insert' ? [msg.newTuple] : msg.tag === 'update' ? [msg.oldTuple, msg.newTuple] : [msg.oldTuple]);
    return false;
  }

  private async logicalMessage(msg: Extract<PgOutputMessage, { tag: 'message' }>, lsn: Lsn): Promise<void> {
    const { include, exclude } = this.messagePrefixes;
    if (include.length && !include.some((r) => r.test(msg.prefix))) return;
    if (exclude.some((r) => r.test(msg.prefix))) return;
    const tx: OpenTx = this.tx ?? { xid: 0, finalLsn: msg.lsn, commitTimeUs: BigInt(Date.now()) * 1000n, events: 0, perTable: new Map(), begun: true };
    if (msg.transactional && alreadyStored(this.stored, tx.finalLsn, lsn)) return;
    const { source, offset, pos } = this.position(tx, lsn, 'MESSAGE');
    await this.enqueue([this.builder.message(msg, source, pos)], offset, false);
  }

  /**
   * provide.transaction.metadata: the event's place in its transaction, and a BEGIN record ahead of
   * the transaction's first event (added to `records`).
   */
  private withTransaction(tx: OpenTx, source: SourceInfo, table: TableInfo, records: SourceRecord[], pos: { sourcePartition: SourceMap; sourceOffset: SourceMap }): SourceInfo {
    if (!this.config.getBoolean('provide.transaction.metadata')) return source;
    if (!tx.begun) {
      tx.begun = true;
      records.push(transactionRecord(this.config.requireString('topic.prefix'), 'BEGIN', txId(tx), Number(tx.commitTimeUs / 1000n), null, pos));
    }
    const name = `${table.schema}.${table.name}`;
    const inTable = (tx.perTable.get(name) ?? 0) + 1;
    tx.perTable.set(name, inTable);
    return { ...source, transaction: { id: txId(tx), totalOrder: ++tx.events, dataCollectionOrder: inTable } };
  }

  private position(tx: OpenTx, lsn: Lsn, messageType: string) {
    const offset: PgOffset = {
      lsn: lsnNumber(lsn),
      lsn_proc: lsnNumber(lsn),
      lsn_commit: lsnNumber(tx.finalLsn),
      txId: tx.xid,
      ts_usec: Number(tx.commitTimeUs),
      messageType,
      lsn_flushable: lsnNumber(this.lastCompletedEnd),
    };
    // Assigned, not spread into the literal: spreads there sent every change's offset down V8's
    // slow generic object path (and the runtime reads each offset again to track and store it).
    if (this.incremental) Object.assign(offset, this.incremental.offsetFields());
    if (this.streamFilter) Object.assign(offset, this.streamFilter.offsetFields(tx.finalLsn));
    const source: SourceInfo = { lsn, lsnCommit: tx.finalLsn, txId: tx.xid, tsUs: tx.commitTimeUs, snapshot: 'false' };
    return { source, offset, pos: { sourcePartition: this.partition, sourceOffset: { ...offset } } };
  }

  /**
   * heartbeat.interval.ms: runs heartbeat.action.query (which makes a quiet captured database
   * produce a change) and, when nothing is open, emits a heartbeat whose offset says every
   * transaction up to the position reached is done, so the stored offset and the slot move on.
   */
  private async heartbeat(): Promise<void> {
    if (this.stopping || !this.streamingStarted) return;
    const query = this.config.getString('heartbeat.action.query');
    if (query) await this.regular?.query(query);
    if (this.tx || this.pendingMessages > 0) return;
    const reached = maxLsn(this.lastCompletedEnd, this.idleLsn);
    const base = this.lastQueued ?? this.stored;
    if (base && BigInt(base.lsn_flushable ?? 0) >= reached) return;
    const offset: PgOffset = { ...(base ?? { lsn: lsnNumber(reached) }), lsn_flushable: lsnNumber(reached), messageType: 'HEARTBEAT' };
    delete offset.snapshot;
    delete offset.last_snapshot_record;
    // The stream filter as it stands now, not as the base offset had it (after a resume, the old one).
    delete offset.snapshot_stream_filter;
    Object.assign(offset, this.streamFilter?.offsetFields(reached));
    const prefix = this.config.requireString('topic.prefix');
    await this.enqueue([heartbeatRecord(prefix, this.config.requireString('topic.heartbeat.prefix'), this.partition, { ...offset })], offset, false);
  }

  private async enqueue(records: SourceRecord[], offset: PgOffset, wait: boolean): Promise<void> {
    this.lastQueuedOffset = offset;
    if (!offset.snapshot) this.lastQueued = offset;
    if (wait) await this.queue.put(records);
    else this.queue.push(records);
  }

  /** The events' view of a relation, from the catalog (types, nullability, keys) in the relation message's column order. */
  private async relationTable(oid: number, columns: string[]): Promise<TableInfo | null> {
    const [table] = await readTables(this.regular!, this.filter, parseMessageKeyColumns(this.config.getString('message.key.columns')), [oid]);
    if (!table) return null;
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    const ordered = columns.map((name) => byName.get(name)).filter((c): c is NonNullable<typeof c> => !!c);
    return toEventTable({ ...table, columns: ordered });
  }

}

/** Debezium's transaction id for Postgres: `<txId>:<commit lsn>`. */
function txId(tx: OpenTx): string {
  return `${tx.xid}:${tx.finalLsn}`;
}

function toEventTable(t: CatalogTable): TableInfo {
  return {
    schema: t.schema,
    name: t.name,
    columns: t.columns.map((c) => ({
      name: c.name,
      key: c.key,
      excluded: c.excluded,
      type: { name: c.typeName, oid: c.oid, typeMod: c.typeMod, optional: c.optional, ...(c.elementOid ? { elementOid: c.elementOid } : {}), ...(c.enumValues ? { enumValues: c.enumValues } : {}) },
    })),
  };
}


/** pgoutput sends text tuples (binary only when asked, which we never do). */
function text(tuple: Array<{ kind: string; text?: string }>): TupleValue[] {
  return tuple.map((v) => (v.kind === 'text' ? { kind: 'text', text: v.text! } : v.kind === 'null' ? { kind: 'null' } : { kind: 'unchanged-toast' }));
}
