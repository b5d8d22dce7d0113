/**
 * ChangeEvents: decoded pgoutput messages -> change events on the task's queue, in commit order.
 * Keeps the open transaction, the relations, the stream filter and the end of the last transaction
 * wholly queued, which every offset carries as `lsn_flushable` (README: the acknowledgement rule).
 * ChangeStream feeds it one message at a time and never two at once.
 */
import { getLogger, type ParsedConfig, type SourceMap, type SourceRecord } from '../../runtime/api/index.js';
import { parseMessageKeyColumns, readTables, type TableInfo as CatalogTable } from './catalog.js';
import type { ChangeStreamHost } from './change-stream.js';
import { regexKey } from './config.js';
import { transactionRecord, type EventBuilder, type SourceInfo, type TableInfo, type TupleValue } from './events.js';
import { heartbeatRecord, heartbeatTopic } from './heartbeat.js';
import type { IncrementalSnapshot, PositionAt } from './incremental/incremental-snapshot.js';
import type { SignalLine } from './incremental/signal-file.js';
import { logSignal, parseSignal } from './incremental/signals.js';
import { alreadyStored, justBefore, lsnNumber, type PgOffset } from './offsets.js';
import { formatLsn, maxLsn, type Lsn } from './replication/lsn.js';
import type { PgOutputMessage } from './replication/pgoutput.js';
import type { StreamFilter } from './snapshot/stream-filter.js';

const log = getLogger('connectors.postgres-cdc');
const PG_EPOCH_US = 946_684_800_000_000n;
/** The END record's data collection for logical messages: Debezium's class name, without the object hash it appends. */
const MESSAGE_COLLECTION = 'io.debezium.connector.postgresql.LogicalDecodingMessageMonitor$LogicalDecodingMessageId';

type RowMessage = Extract<PgOutputMessage, { tag: 'insert' | 'update' | 'delete' | 'truncate' }>;

interface OpenTx {
  xid: number;
  finalLsn: Lsn;
  commitTimeUs: bigint;
  /** provide.transaction.metadata: events so far, per table, and whether BEGIN went out. */
  events: number;
  perTable: Map<string, number>;
  begun: boolean;
  /** The last change's LSN and how many changes had it (a COPY's rows share one WAL record's LSN). */
  atLsn: Lsn;
  atLsnCount: number;
}

export class ChangeEvents {
  /** End LSN of the last transaction whose events were all queued. */
  lastCompletedEnd: Lsn = 0n;
  /** `sequence`'s first member: the last commit's end, or a later message sent outside any transaction (Debezium commits there). */
  private sequenceCommit: Lsn = 0n;
  /** Commit time (µs) of the last transaction: what a message outside a transaction reports as its time. */
  private lastCommitTimeUs: bigint | null = null;
  /** Drops streamed changes a snapshot not taken at the slot's position already holds (snapshot/stream-filter.ts); null once the stream is past it. */
  streamFilter: StreamFilter | null = null;
  private tx: OpenTx | null = null;
  /** Changes at or before it are skipped: the stored offset, after a reconnect the last one queued. */
  private stored: PgOffset | null;
  /** relation id -> table as the events see it; null for relations not captured. */
  private readonly relations = new Map<number, TableInfo | null>();
  /** message.prefix.include/exclude.list (and the logical.decoding.… aliases), compiled once. */
  private readonly messagePrefixes: { include: RegExp[]; exclude: RegExp[] };
  private readonly config: ParsedConfig;
  /** provide.transaction.metadata, read once. */
  private readonly provideTx: boolean;
  private readonly builder: EventBuilder;
  private readonly partition: SourceMap;
  private readonly incremental: IncrementalSnapshot | null;

  constructor(private readonly host: ChangeStreamHost) {
    this.config = host.config;
    this.provideTx = host.config.getBoolean('provide.transaction.metadata');
    this.builder = host.builder;
    this.partition = host.partition;
    this.incremental = host.incremental;
    this.stored = host.stored;
    if (this.stored?.lsn_flushable) this.lastCompletedEnd = BigInt(this.stored.lsn_flushable);
    // An offset Debezium stored has no lsn_flushable; its lsn_commit is the same last commit.
    this.sequenceCommit = this.lastCompletedEnd || BigInt(this.stored?.lsn_commit ?? 0);
    this.messagePrefixes = {
      include: [...regexKey(host.config, 'message.prefix.include.list'), ...regexKey(host.config, 'logical.decoding.message.prefix.include.list')],
      exclude: [...regexKey(host.config, 'message.prefix.exclude.list'), ...regexKey(host.config, 'logical.decoding.message.prefix.exclude.list')],
    };
  }

  /** Between BEGIN and COMMIT. */
  get inTransaction(): boolean {
    return this.tx !== null;
  }

  /** A new connection: the server sends again from the confirmed position, and its relations. */
  restart(lastQueued: PgOffset | null): void {
    this.tx = null;
    this.relations.clear();
    this.stored = lastQueued ?? this.stored;
  }

  /** Any message; a relation reads the catalog, so this is async. */
  async handle(msg: PgOutputMessage, lsn: Lsn): Promise<void> {
    if (msg.tag === 'relation') {
      this.relations.set(msg.relationId, await this.relationTable(msg.relationId, msg.columns.map((c) => c.name)));
      return;
    }
    this.handleNow(msg, lsn);
  }

  /**
   * Every message but a relation, synchronously: the hot path creates no promise per change
   * (two per change, with the logger's async context hooks on each, showed in profiles).
   */
  handleNow(msg: PgOutputMessage, lsn: Lsn): void {
    switch (msg.tag) {
      case 'begin':
        // Read-only incremental snapshot: a transaction committed at or past a chunk's position; the chunk goes first.
        if (this.incremental?.awaitsStream) this.incremental.onStreamReached(msg.finalLsn, () => this.positionBetween());
        this.tx = { xid: msg.xid, finalLsn: msg.finalLsn, commitTimeUs: msg.commitTime + PG_EPOCH_US, events: 0, perTable: new Map(), begun: false, atLsn: 0n, atLsnCount: 0 };
        return;
      case 'commit': {
        const tx = this.tx;
        this.tx = null;
        this.lastCompletedEnd = maxLsn(this.lastCompletedEnd, msg.endLsn);
        this.sequenceCommit = this.lastCompletedEnd;
        if (tx) this.lastCommitTimeUs = tx.commitTimeUs;
        // END says the transaction is complete: its offset lets the slot move to the commit's end.
        if (tx?.begun) {
          const { offset } = this.position(tx, msg.commitLsn, 'COMMIT');
          this.host.push([transactionRecord(this.transactionTopic(), 'END', txId(tx, lsn), Number(tx.commitTimeUs / 1000n), tx.perTable, { sourcePartition: this.partition, sourceOffset: { ...offset } })], offset);
        }
        return;
      }
      case 'relation':
        throw new Error('a relation message goes through handle(): it reads the catalog');
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

  /**
   * heartbeat.interval.ms, nothing open: a heartbeat whose offset says every transaction up to the
   * position reached (`idleLsn` or the last commit) is done, so the stored offset and the slot move on.
   */
  async heartbeat(idleLsn: Lsn): Promise<void> {
    const reached = maxLsn(this.lastCompletedEnd, idleLsn);
    const base = this.host.lastQueued() ?? this.stored;
    if (base && BigInt(base.lsn_flushable ?? 0) >= reached) return;
    const offset: PgOffset = { ...this.offsetBetween(base, reached), lsn_flushable: lsnNumber(reached), messageType: 'HEARTBEAT' };
    const prefix = this.config.requireString('topic.prefix');
    await this.host.enqueue([heartbeatRecord(heartbeatTopic(this.config), prefix, this.partition, { ...offset })], offset, false);
  }

  /** `<topic.prefix>.<topic.transaction>`, as Debezium's default topic naming makes it. */
  private transactionTopic(): string {
    return `${this.config.requireString('topic.prefix')}.${this.config.requireString('topic.transaction')}`;
  }

  /** A signal from the file channel, between two stream messages. */
  externalSignal(line: SignalLine): void {
    if (this.incremental) {
      this.incremental.onExternalSignal(line, () => this.positionBetween());
      return;
    }
    const signal = parseSignal(line);
    if (signal.kind === 'log') logSignal(signal.message, this.positionBetween().offset);
    else log.warn(`signal ${line.id} (${line.type}) from ${this.config.getString('signal.file')} ignored: snapshots need signal.data.collection, the table their window markers are written to`);
  }

  /**
   * The read-only snapshot's chunk: the server says everything committed before `lsn` was sent and
   * nothing is open or waiting here.
   */
  streamIdleAt(lsn: Lsn): void {
    if (this.tx === null && this.incremental?.awaitsStream) this.incremental.onStreamReached(lsn, () => this.positionBetween());
  }

  /**
   * An offset between stream messages (a heartbeat, a file signal, a read-only chunk): the last
   * queued record's offset (the stored one before any), without snapshot markers, with the stream filter
   * and the incremental snapshot's progress as they stand now (after a resume, the base has old ones).
   */
  private offsetBetween(base: PgOffset | null, reached: Lsn): PgOffset {
    const offset: PgOffset = { ...(base ?? { lsn: lsnNumber(reached), lsn_flushable: lsnNumber(reached) }) };
    delete offset.snapshot;
    delete offset.last_snapshot_record;
    delete offset.snapshot_completed;
    delete offset.snapshot_stream_filter;
    delete offset.incremental_snapshot_collections;
    delete offset.incremental_snapshot_primary_key;
    delete offset.incremental_snapshot_maximum_key;
    Object.assign(offset, this.streamFilter?.offsetFields(reached), this.incremental?.offsetFields());
    return offset;
  }

  /** A record's position between stream messages (a file signal, a read-only chunk). */
  private positionBetween(): { source: SourceInfo; offset: PgOffset; pos: { sourcePartition: SourceMap; sourceOffset: SourceMap } } {
    const offset = this.offsetBetween(this.host.lastQueued() ?? this.stored, this.lastCompletedEnd);
    const source: SourceInfo = { lsn: BigInt(offset.lsn), lsnCommit: null, txId: offset.txId ?? null, tsUs: BigInt(offset.ts_usec ?? Date.now() * 1000), snapshot: 'false' };
    return { source, offset, pos: { sourcePartition: this.partition, sourceOffset: { ...offset } } };
  }

  private change(msg: RowMessage, lsn: Lsn): void {
    const tx = this.tx;
    if (!tx) return;
    const tables = msg.tag === 'truncate' ? msg.relationIds.map((id) => this.relations.get(id)) : [this.relations.get(msg.relationId)];
    // Before the stored check: the filter keeps track of keys across the changes a restart replays.
    const dropped = this.snapshotHolds(msg, tables, tx);
    // Counted before the stored check and whether or not an event comes of it, so a replay counts
    // alike. A truncate counts one change per captured table, as Debezium splits it.
    if (lsn !== tx.atLsn) {
      tx.atLsn = lsn;
      tx.atLsnCount = 0;
    }
    let counted = tx.atLsnCount;
    tx.atLsnCount += msg.tag === 'truncate' ? tables.filter((t) => t).length : 1;
    if (alreadyStored(this.stored, tx.xid, tx.finalLsn, lsn, tx.atLsnCount)) return;
    const at = this.position(tx, lsn, msg.tag.toUpperCase(), tx.atLsnCount);
    const { source } = at;
    let { offset, pos } = at;
    const records: SourceRecord[] = [];
    for (const table of tables) {
      if (!table) continue;
      // The first tables of a truncate an offset taken part way through it holds.
      if (msg.tag === 'truncate' && alreadyStored(this.stored, tx.xid, tx.finalLsn, lsn, ++counted)) continue;
      if (dropped?.has(table)) continue;
      if (this.signalOrWindow(msg, table, tx, lsn)) {
        // The signal started a blocking snapshot: its own event must not store a position past
        // it, or a restart before the snapshot is stored would skip the signal (blocking-snapshot.ts).
        offset = justBefore(offset);
        pos = { sourcePartition: pos.sourcePartition, sourceOffset: { ...offset } };
      }
      const src = this.withTransaction(tx, source, table, records, pos);
      if (msg.tag === 'truncate') records.push(...this.builder.truncate(table, src, pos));
      // pgoutput's tuples are the events' TupleValue already: no copy per change.
      else if (msg.tag === 'insert') records.push(...this.builder.create(table, msg.newTuple, src, pos));
      // A key change's create takes its own place in the transaction (only counted with metadata on).
      else if (msg.tag === 'update') records.push(...this.builder.update(table, msg.oldTuple, msg.newTuple, src, pos, this.provideTx ? () => this.withTransaction(tx, source, table, records, pos) : undefined));
      else records.push(...this.builder.delete(table, msg.oldTuple, src, pos));
    }
    if (records.length > 0) this.host.push(records, offset);
  }

  /** The tables whose change here the snapshot already holds (streamFilter), or null once the filter is behind. */
  private snapshotHolds(msg: RowMessage, tables: Array<TableInfo | null | undefined>, tx: OpenTx): Set<TableInfo> | null {
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
   * With signal.data.collection: a signal row goes to the incremental snapshot first, then becomes
   * an event of its own like any captured change (Debezium adds the signal table to the captured
   * ones: its rows, window markers included, reach `<prefix>.<schema>.<signal table>`); a captured
   * table's change is shown to the open window, if any. True when the row started a blocking snapshot.
   */
  private signalOrWindow(msg: RowMessage, table: TableInfo, tx: OpenTx, lsn: Lsn): boolean {
    const incremental = this.incremental;
    if (!incremental) return false;
    if (incremental.isSignalTable(table)) {
      if (msg.tag !== 'insert') return false;
      incremental.onSignal(table, text(msg.newTuple), () => this.position(tx, lsn, 'INSERT'));
      return incremental.blockingRequested;
    }
    if (msg.tag === 'truncate') incremental.onTruncate(table, tx.xid);
    else incremental.onChange(table, msg.tag === 'insert' ? [msg.newTuple] : msg.tag === 'update' ? [msg.oldTuple, msg.newTuple] : [msg.oldTuple], tx.xid);
    return false;
  }

  private logicalMessage(msg: Extract<PgOutputMessage, { tag: 'message' }>, lsn: Lsn): void {
    const { include, exclude } = this.messagePrefixes;
    if (include.length && !include.some((r) => r.test(msg.prefix))) return;
    if (exclude.some((r) => r.test(msg.prefix))) return;
    // A message outside a transaction carries the last commit's time (it has none), and counts as a
    // commit at its own LSN for `sequence`, as Debezium handles it.
    const tx: OpenTx = this.tx ?? { xid: 0, finalLsn: msg.lsn, commitTimeUs: this.lastCommitTimeUs ?? BigInt(Date.now()) * 1000n, events: 0, perTable: new Map(), begun: true, atLsn: 0n, atLsnCount: 0 };
    if (alreadyStored(this.stored, tx.xid, tx.finalLsn, lsn, 1)) return;
    if (!msg.transactional) this.sequenceCommit = maxLsn(this.sequenceCommit, lsn);
    const { source, offset, pos } = this.position(tx, lsn, 'MESSAGE');
    // A transactional message is an event of its transaction, with BEGIN ahead of it if it is the first.
    const records: SourceRecord[] = [];
    const src = msg.transactional && this.tx ? this.withTransaction(this.tx, source, null, records, pos) : source;
    records.push(this.builder.message(msg, src, pos));
    this.host.push(records, offset);
  }

  /**
   * provide.transaction.metadata: the event's place in its transaction, and a BEGIN record ahead of
   * the transaction's first event (added to `records`).
   */
  private withTransaction(tx: OpenTx, source: SourceInfo, table: { schema: string; name: string } | null, records: SourceRecord[], pos: { sourcePartition: SourceMap; sourceOffset: SourceMap }): SourceInfo {
    if (!this.provideTx) return source;
    // Debezium's ids are `<txId>:<the position being handled>`: the first event's for BEGIN, each
    // event's own, the commit's end for END. Only the txId part is the same across a transaction.
    const id = txId(tx, source.lsn ?? tx.finalLsn);
    if (!tx.begun) {
      tx.begun = true;
      records.push(transactionRecord(this.transactionTopic(), 'BEGIN', id, Number(tx.commitTimeUs / 1000n), null, pos));
    }
    // A logical message counts under Debezium's name for it (which it prints with a Java object hash).
    const name = table ? `${table.schema}.${table.name}` : MESSAGE_COLLECTION;
    const inTable = (tx.perTable.get(name) ?? 0) + 1;
    tx.perTable.set(name, inTable);
    const withTx: SourceInfo = Object.assign({}, source);
    withTx.transaction = { id, totalOrder: ++tx.events, dataCollectionOrder: inTable };
    return withTx;
  }

  /** A record's source block and offset; `atLsn`: a change's count at its LSN (none for BEGIN/END and messages, as in Debezium). */
  private position(tx: OpenTx, lsn: Lsn, messageType: string, atLsn = 0) {
    // lsn_commit is Debezium's last commit, not this transaction's (see PgOffset).
    const offset: PgOffset = {
      lsn: lsnNumber(lsn),
      lsn_proc: lsnNumber(lsn),
      txId: tx.xid,
      ts_usec: Number(tx.commitTimeUs),
      messageType,
      lsn_flushable: lsnNumber(this.lastCompletedEnd),
    };
    // Absent until a commit is seen (Debezium writes none either): nothing before is known done.
    if (this.sequenceCommit !== 0n) offset.lsn_commit = lsnNumber(this.sequenceCommit);
    if (atLsn > 0) offset.lsn_events_processed = atLsn;
    // Assigned, not spread into the literal: spreads there sent every change's offset down V8's
    // slow generic object path (and the runtime reads each offset again to track and store it).
    if (this.incremental) Object.assign(offset, this.incremental.offsetFields());
    if (this.streamFilter) Object.assign(offset, this.streamFilter.offsetFields(tx.finalLsn));
    // sequence's first member, as Debezium fills it: the end of the last transaction committed
    // before this one, or a later non-transactional message (null until either, since the start
    // with no stored offset).
    const lastCommit = this.sequenceCommit === 0n ? null : this.sequenceCommit;
    const source: SourceInfo = { lsn, lsnCommit: lastCommit, txId: tx.xid, tsUs: tx.commitTimeUs, snapshot: 'false' };
    return { source, offset, pos: { sourcePartition: this.partition, sourceOffset: { ...offset } } };
  }

  /** The events' view of a relation, from the catalog (types, nullability, keys) in the relation message's column order. */
  private async relationTable(oid: number, columns: string[]): Promise<TableInfo | null> {
    const [table] = await readTables(this.host.catalog()!, this.host.filter, parseMessageKeyColumns(this.config.getString('message.key.columns')), [oid]);
    if (!table) return null;
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    const ordered = columns.map((name) => byName.get(name)).filter((c): c is NonNullable<typeof c> => !!c);
    return toEventTable({ ...table, columns: ordered });
  }
}

/** A catalog table as the events see it (also the snapshots' and incremental snapshots' view). */
export function toEventTable(t: CatalogTable): TableInfo {
  return {
    schema: t.schema,
    name: t.name,
    columns: t.columns.map((c) => ({
      name: c.name,
      key: c.key,
      excluded: c.excluded,
      ...(c.sourceType ? { sourceType: c.sourceType } : {}),
      type: { name: c.typeName, oid: c.oid, typeMod: c.typeMod, optional: c.optional, ...(c.elementOid ? { elementOid: c.elementOid } : {}), ...(c.enumValues ? { enumValues: c.enumValues } : {}), ...(c.defaultExpression !== undefined ? { defaultExpression: c.defaultExpression } : {}) },
    })),
  };
}

/** Debezium's transaction id for Postgres: `<txId>:<commit lsn>`. */
function txId(tx: OpenTx, lsn: Lsn): string {
  return `${tx.xid}:${lsn}`;
}

/** pgoutput sends text tuples (binary only when asked, which we never do). */
function text(tuple: Array<{ kind: string; text?: string }>): TupleValue[] {
  return tuple.map((v) => (v.kind === 'text' ? { kind: 'text', text: v.text! } : v.kind === 'null' ? { kind: 'null' } : { kind: 'unchanged-toast' }));
}
