/**
 * PostgresConnectorTask: snapshot (on the slot's exported snapshot) then streaming from the slot.
 * Readers push change events into a bounded queue that poll() drains; the slot is acknowledged in
 * commit() only up to what the stored offset says is durable (see README: the acknowledgement rule).
 * Streaming itself is ChangeStream's (change-stream.ts), which reads the task through ChangeStreamHost.
 */
import type pg from 'pg';
import { SourceTask, canonicalJson, getLogger, type ParsedConfig, type SourceMap, type SourceRecord } from '../../runtime/api/index.js';
import { parseMessageKeyColumns, readTables } from './catalog.js';
import { toEventTable } from './change-events.js';
import { ChangeStream, type ChangeStreamHost } from './change-stream.js';
import { ColumnMappers } from './column-mappers.js';
import { postgresConfigSpec, regexKey, tableFilter, type TableFilter } from './config.js';
import { clientConfig, connect } from './connection.js';
import { debeziumKeyWarnings } from './debezium-keys.js';
import { EventBuilder, type Operation } from './events.js';
import { contextHeaders } from './context-headers.js';
import { IncrementalSnapshot } from './incremental/incremental-snapshot.js';
import { splitCollection } from './incremental/signals.js';
import { applyReplicaIdentities, replicaIdentityRules } from './replica-identity.js';
import { readOffset, sourcePartition, type PgOffset } from './offsets.js';
import { ensurePublication, partitionedRoots, publishesViaRoot, warnUncapturedPartitions } from './publication.js';
import { RecordQueue } from './record-queue.js';
import { reselectConfig, Reselector } from './reselect.js';
import { decideSnapshot, slotState } from './slot.js';
import { formatLsn, maxLsn, type Lsn } from './replication/lsn.js';
import { readSnapshot } from './snapshot/snapshot-events.js';
import { openSnapshotJob, storedFilter, type SnapshotJob } from './snapshot/snapshot-job.js';
import { snapshotPolicyOf, type SnapshotPolicy } from './snapshot/snapshot-policy.js';
import type { StreamFilter } from './snapshot/stream-filter.js';
import { SnapshotProgress } from './snapshot/snapshot-progress.js';
import type { TypeModes } from './types/index.js';
import { DEBEZIUM_FORMAT, VERSION } from './version.js';

const log = getLogger('connectors.postgres-cdc');

/**
 * At most this many records wait in the queue, and while streaming one poll returns at most
 * STREAM_POLL_RECORDS, however large max.queue.size and max.batch.size are (Debezium's keys are
 * upper bounds; the socket, and the server behind it, hold the rest). Decoded records are
 * young-generation objects: held past a scavenge or two (~15 ms at 75,000 changes/s) they are
 * copied and promoted, and the old generation has to collect them too; this bounds how many are
 * alive at once (at most ~2,000 with a socket read's worth, instead of ~10,000). Its effect on CPU
 * alone was within this machine's noise; the worker's --no-allocation-site-pretenuring (bin/) is
 * what made V8's scavenges cheap. A snapshot builds a fetch's records at once, so smaller polls
 * there only meant more of them (~10% more CPU a row): it polls up to max.batch.size.
 */
const READ_AHEAD_RECORDS = 1024;
const STREAM_POLL_RECORDS = 256;

export class PostgresConnectorTask extends SourceTask {
  private config!: ParsedConfig;
  private filter!: TableFilter;
  /** post.processors=reselector (reselect.ts), or null. */
  private reselector: Reselector | null = null;
  private builder!: EventBuilder;
  private queue!: RecordQueue;
  private partition!: SourceMap;
  private regular: pg.Client | null = null;
  /** The replication connection and everything streamed (change-stream.ts). */
  private changes: ChangeStream | null = null;
  private failure: Error | null = null;
  private stopping = false;
  private slot = '';
  /** The highest flush position sent to the server: it never moves backwards. */
  private confirmed: Lsn = 0n;
  /** The offset of the last record queued (snapshot ones included), compared with the stored one in commit(). */
  private lastQueuedOffset: PgOffset | null = null;
  private snapshotProgress: SnapshotProgress | null = null;
  /** The offset of the last streamed record queued: after a reconnect, changes up to it are skipped. */
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
    this.partition = sourcePartition(c.requireString('topic.prefix'));
    this.slot = c.requireString('slot.name');
    this.queue = new RecordQueue(Math.min(c.getInt('max.queue.size'), READ_AHEAD_RECORDS), c.getInt('max.queue.size.in.bytes'));
    const modes: TypeModes = {
      decimal: c.getString('decimal.handling.mode') as TypeModes['decimal'],
      time: c.getString('time.precision.mode') as TypeModes['time'],
      binary: c.getString('binary.handling.mode') as TypeModes['binary'],
      unavailablePlaceholder: c.requireString('unavailable.value.placeholder'),
      interval: c.getString('interval.handling.mode') as TypeModes['interval'],
      hstore: c.getString('hstore.handling.mode') as TypeModes['hstore'],
      moneyFractionDigits: c.getInt('money.fraction.digits'),
    };
    const skipped = c.getList('skipped.operations').filter((o): o is Operation => ['c', 'u', 'd', 't'].includes(o));
    this.builder = new EventBuilder({
      topicPrefix: c.requireString('topic.prefix'),
      database: c.requireString('database.dbname'),
      modes,
      connectorVersion: VERSION,
      debeziumFormat: DEBEZIUM_FORMAT,
      tombstonesOnDelete: c.getBoolean('tombstones.on.delete'),
      skippedOps: skipped,
      includeUnknownDatatypes: c.getBoolean('include.unknown.datatypes'),
      columnMappers: ColumnMappers.fromConfig(props),
      skipUnchanged: c.getBoolean('skip.messages.without.change'),
      contextHeaders: c.getBoolean('extended.headers.enabled') ? contextHeaders(c.requireString('topic.prefix')) : undefined,
    });
    for (const w of debeziumKeyWarnings(props)) log.warn(w);
    const reselect = reselectConfig(props);
    if (reselect) {
      this.reselector = new Reselector(reselect, {
        builder: this.builder,
        client: () => this.regular!,
        isSignalTable: (schema, name) => this.incremental?.isSignalTable({ schema, name }) ?? false,
      });
    }

    const signalTable = c.getString('signal.data.collection');
    // The signal table's changes must reach the stream (publication, relations); as in Debezium they
    // are also events on its own topic, but the initial snapshot does not read it.
    if (signalTable) this.filter = IncrementalSnapshot.withSignalTable(this.filter, signalTable);
    const [signalSchema, signalName] = signalTable ? splitCollection(signalTable) : ['', ''];
    this.regular = await connect(c);
    const partitions = (await publishesViaRoot(this.regular, c)) ? 'root' : 'leaf';
    this.filter = { ...this.filter, partitions };
    const keyColumns = parseMessageKeyColumns(c.getString('message.key.columns'));
    let tables = await readTables(this.regular, this.filter, keyColumns);
    checkGuardrail(c, tables.filter((t) => t.schema !== signalSchema || t.name !== signalName).length);
    const identities = replicaIdentityRules(c.getString('replica.identity.autoset.values'));
    if (identities.length > 0 && (await applyReplicaIdentities(this.regular, tables, identities))) tables = await readTables(this.regular, this.filter, keyColumns);
    const roots = await partitionedRoots(this.regular, this.filter);
    await ensurePublication(this.regular, c, tables, roots);
    warnUncapturedPartitions(roots, tables);
    const stored = readOffset(await this.context.offsetStorageReader.offset(this.partition));
    if (signalTable || c.getBoolean('read.only')) {
      this.incremental = new IncrementalSnapshot({
        config: c, filter: tableFilter(c, partitions), builder: this.builder, toEventTable,
        emit: (records, offset) => void this.enqueue(records, offset, false),
        emitWait: (records, offset) => this.enqueue(records, offset, true),
        keepalive: () => this.changes?.sendStatus(this.confirmed),
        requestPosition: () => this.changes?.sendStatus(this.confirmed, true),
        onConnectionLoss: () => this.changes?.connectionLost(new Error('a blocking snapshot lost its connection')),
        fail: (e) => this.fail(e),
      }, stored);
      if (signalTable && !tables.some((t) => this.incremental!.isSignalTable(t))) log.warn(`signal.data.collection ${signalTable} is not a table in database ${c.requireString('database.dbname')}: signals will not be seen`);
    }
    const policy = snapshotPolicyOf(c);
    let slot = await slotState(this.regular, this.slot);
    if (slot?.walStatus === 'lost' && policy.onDataError) {
      // The slot can serve nothing any more; these modes take a new snapshot on a new slot.
      log.warn(`replication slot '${this.slot}' is invalidated (wal_status=lost): dropping it and taking a new snapshot (snapshot.mode=${policy.mode})`);
      await this.regular.query('SELECT pg_drop_replication_slot($1)', [this.slot]);
      slot = null;
    }
    const snapshot = decideSnapshot(policy, this.slot, stored, slot);
    this.changes = new ChangeStream(this.streamHost(stored));
    const stream = await this.changes.open();

    let startLsn: Lsn = slot?.confirmedFlush ?? 0n;
    let exportedSnapshot: string | null = null;
    if (!slot) {
      const created = await stream.createSlot(this.slot);
      startLsn = created.consistentPoint;
      this.confirmed = created.consistentPoint;
      exportedSnapshot = created.snapshotName || null;
      log.info(`created replication slot '${this.slot}' at ${formatLsn(created.consistentPoint)}`);
    } else {
      this.confirmed = slot.confirmedFlush ?? 0n;
    }
    // The exported snapshot lives only until the next command on the replication connection:
    // every reader imports it here, before streaming starts.
    const onlySnapshot = regexKey(c, 'snapshot.include.collection.list');
    const snapshotTables = tables.filter((t) => !this.incremental?.isSignalTable(t) && (onlySnapshot.length === 0 || onlySnapshot.some((r) => r.test(`${t.schema}.${t.name}`))));
    const job = snapshot
      ? await openSnapshotJob({ clientConfig: clientConfig(c), policy, slotName: this.slot, stored, slot, exportedSnapshot, tables: snapshotTables, threads: c.getInt('snapshot.max.threads') })
      : null;
    void this.run(job, policy, startLsn, job ? job.filter : storedFilter(stored)).catch((e: unknown) => this.fail(e as Error));
  }

  /** What the change stream sees of the task (change-stream.ts). */
  private streamHost(stored: PgOffset | null): ChangeStreamHost {
    return {
      config: this.config,
      builder: this.builder,
      queue: this.queue,
      partition: this.partition,
      filter: this.filter,
      slot: this.slot,
      incremental: this.incremental,
      stored,
      enqueue: (records, offset, wait) => this.enqueue(records, offset, wait),
      push: (records, offset) => this.push(records, offset),
      fail: (e) => this.fail(e),
      isStopping: () => this.stopping,
      confirmed: () => this.confirmed,
      lastQueued: () => this.lastQueued,
      catalog: () => this.regular,
      reconnectCatalog: async () => {
        // Not awaited: over a dead network path the goodbye never completes (no FIN comes back)
        // until TCP gives up, minutes later.
        void this.regular?.end().catch(() => undefined);
        this.regular = await connect(this.config);
      },
    };
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.failure) throw this.failure;
    const maxBatch = this.config.getInt('max.batch.size');
    const records = await this.queue.take(this.changes?.streaming ? Math.min(maxBatch, STREAM_POLL_RECORDS) : maxBatch, this.config.getInt('poll.interval.ms'));
    if (this.failure) throw this.failure;
    // During a blocking snapshot the socket stays paused: messages read now would only pile up.
    if (this.queue.halfEmpty && !this.incremental?.holding) this.changes?.resume();
    return this.reselector && records && records.length > 0 ? this.reselector.apply(records) : records;
  }

  /** Called after the runtime stored offsets: confirm to the slot what the stored offset makes safe. */
  override async commit(): Promise<void> {
    const changes = this.changes;
    if (!changes?.streaming || this.stopping) return;
    const stored = readOffset(await this.context.offsetStorageReader.offset(this.partition));
    let safe: Lsn = stored?.lsn_flushable ? BigInt(stored.lsn_flushable) : 0n;
    const everythingStored = this.queue.size === 0 && (this.lastQueuedOffset === null || (stored !== null && canonicalJson(stored) === canonicalJson(this.lastQueuedOffset)));
    // While a stream filter is on, the slot moves only with stored offsets (which carry the filter):
    // a restart must replay the changes the filter tracks keys from.
    if (everythingStored && !changes.inTransaction && changes.pendingMessages === 0 && !changes.filtering) safe = maxLsn(safe, maxLsn(changes.lastCompletedEnd, changes.idleLsn));
    if (safe > this.confirmed) {
      this.confirmed = safe;
      changes.sendStatus(safe);
      log.debug(`confirmed ${formatLsn(safe)} to slot '${this.slot}'`);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.queue?.close();
    await this.changes?.stop();
    await this.incremental?.stop();
    if (this.config?.getBoolean('slot.drop.on.stop') && this.regular) {
      await this.regular.query('SELECT pg_drop_replication_slot($1)', [this.slot]).catch((e: Error) => log.warn(`could not drop slot ${this.slot}: ${e.message}`));
    }
    await this.regular?.end().catch(() => undefined);
  }

  private fail(e: Error): void {
    if (this.stopping) return;
    log.error('capture failed', e);
    this.failure ??= e;
    this.queue?.close();
  }

  private async run(job: SnapshotJob | null, policy: SnapshotPolicy, startLsn: Lsn, filter: StreamFilter | null): Promise<void> {
    if (job) {
      try {
        await this.delay('snapshot.delay.ms');
        if (this.stopping) return;
        await this.snapshot(job, startLsn);
      } finally {
        await Promise.all(job.readers.map((r) => r.end()));
      }
    }
    if (this.stopping) return;
    this.snapshotProgress?.finished(policy.stream);
    if (!policy.stream) {
      log.info(`snapshot.mode=${policy.mode}${policy.mode === 'configuration_based' ? ' with snapshot.mode.configuration.based.start.stream=false' : ''}: ${job ? 'snapshot done, ' : ''}not streaming`);
      return;
    }
    await this.delay('streaming.delay.ms');
    if (this.stopping) return;
    await this.changes!.start(startLsn, filter);
    this.incremental?.resume();
  }

  /** Waits the configured ms, or less when the task stops. */
  private async delay(key: 'snapshot.delay.ms' | 'streaming.delay.ms'): Promise<void> {
    const until = Date.now() + this.config.getInt(key);
    if (until > Date.now()) log.info(`${key}: waiting ${this.config.getInt(key)} ms`);
    while (!this.stopping && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
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
      startedUs: job.startedUs,
      builder: this.builder,
      partition: this.partition,
      config: this.config,
      isStopping: () => this.stopping,
      enqueue: (records, offset) => this.enqueue(records, offset, true),
      offsetFields: job.filter?.allFields(),
    });
  }

  private async enqueue(records: SourceRecord[], offset: PgOffset, wait: boolean): Promise<void> {
    if (!wait) return this.push(records, offset);
    this.lastQueuedOffset = offset;
    if (!offset.snapshot) this.lastQueued = offset;
    await this.queue.put(records);
  }

  /** Queues records at once (the stream pauses its socket when the queue is full): no promise per change. */
  private push(records: SourceRecord[], offset: PgOffset): void {
    this.lastQueuedOffset = offset;
    if (!offset.snapshot) this.lastQueued = offset;
    this.queue.push(records);
  }
}

/** guardrail.collections.max, as Debezium checks it: more captured tables than that warns or fails. */
function checkGuardrail(c: ParsedConfig, captured: number): void {
  const max = c.getInt('guardrail.collections.max');
  if (max === 0 || captured <= max) return;
  const message = `Guardrail limit exceeded: ${captured} tables/collections configured for capture, but maximum allowed is ${max}.`;
  if (c.requireString('guardrail.collections.limit.action') === 'fail') throw new Error(`${message} (guardrail.collections.limit.action=fail)`);
  log.warn(message);
}
