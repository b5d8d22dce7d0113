/**
 * What the stream hands to the signal table's users, in stream order: signal rows are dispatched
 * to incremental snapshots (chunked-snapshot.ts, Debezium's, after DBLog) or to a blocking snapshot
 * (blocking-snapshot.ts); captured changes go to the open window of the chunk under way.
 *
 * Incremental: each requested table is read by key in chunks between `snapshot-window-open` and
 * `snapshot-window-close` rows; inside a window a streamed change of a row of the chunk wins, so
 * at the close only rows nobody changed go out, as `r` events marked `incremental`. Progress rides
 * in every streamed record's offset (`offsetFields()`), so a restart carries on after the last chunk
 * stored.
 *
 * Blocking: while one runs, the stream's next messages wait on `takeHold()`.
 */
import { getLogger, type SourceRecord } from '../../../runtime/api/index.js';
import type { TableFilter } from '../config.js';
import type { TableInfo, TupleValue } from '../events.js';
import type { PgOffset } from '../offsets.js';
import { BlockingSnapshot, type BlockingSnapshotDeps } from './blocking-snapshot.js';
import { RecentlyStreamed } from './recently-streamed.js';
import { ChunkedSnapshot, type PositionAt } from './chunked-snapshot.js';
import { requestedCollections } from './progress.js';
import { logSignal, parseSignal, signalRow, splitCollection, type Signal } from './signals.js';

export type { PositionAt } from './chunked-snapshot.js';

const log = getLogger('connectors.postgres-cdc');

/** What a blocking snapshot needs (it stops with the incremental ones), and for the chunks: */
export interface IncrementalSnapshotDeps extends Omit<BlockingSnapshotDeps, 'isStopping' | 'streamed'> {
  /** Queues records in stream order (synchronously). */
  emit: (records: SourceRecord[], offset: PgOffset) => void;
  fail: (e: Error) => void;
  /** Read-only snapshots: asks the server for a keepalive (how far the stream got). */
  requestPosition: () => void;
}

export class IncrementalSnapshot {
  /** Streamed transactions a chunk or blocking read may not see yet (recently-streamed.ts). */
  private readonly streamed = new RecentlyStreamed();
  private readonly signalSchema: string;
  private readonly signalName: string;
  private readonly sourceChannel: boolean;
  private readonly chunked: ChunkedSnapshot;
  private readonly blocking: BlockingSnapshot;
  /** A blocking snapshot started by the message just handled: the stream's next messages wait on it. */
  private hold: Promise<void> | null = null;
  private blockingRuns = 0;

  constructor(deps: IncrementalSnapshotDeps, stored: PgOffset | null) {
    // Read-only snapshots need no signal table: signals come from the file then.
    const signalTable = deps.config.getString('signal.data.collection');
    [this.signalSchema, this.signalName] = signalTable ? splitCollection(signalTable) : ['', ''];
    this.sourceChannel = deps.config.getList('signal.enabled.channels').some((c) => c.toLowerCase() === 'source');
    this.chunked = new ChunkedSnapshot(deps, stored, this.signalSchema, this.signalName, this.streamed);
    this.blocking = new BlockingSnapshot({ ...deps, isStopping: () => this.chunked.stopped, streamed: this.streamed });
  }

  /** The captured filter plus the signal table, whose changes must reach the stream. */
  static withSignalTable(filter: TableFilter, signalCollection: string): TableFilter {
    const [schema, name] = splitCollection(signalCollection);
    return {
      partitions: filter.partitions,
      includes: (s, t) => (s === schema && t === name) || filter.includes(s, t),
      includesColumn: (s, t, c) => (s === schema && t === name) || filter.includesColumn(s, t, c),
    };
  }

  isSignalTable(table: { schema: string; name: string }): boolean {
    return table.schema === this.signalSchema && table.name === this.signalName;
  }

  /** Debezium's offset keys for an incremental snapshot in progress; none when there is none. */
  offsetFields(): Partial<PgOffset> {
    return this.chunked.offsetFields();
  }

  /** Streaming has started: carry on with a snapshot a stored offset says was under way. */
  resume(): void {
    this.chunked.resume();
  }

  async stop(): Promise<void> {
    await this.chunked.stop();
  }

  /** Whether a blocking snapshot is under way (the stream should not read ahead). */
  get holding(): boolean {
    return this.blockingRuns > 0;
  }

  /** The message just handled started a blocking snapshot (takeHold() has not taken it yet). */
  get blockingRequested(): boolean {
    return this.hold !== null;
  }

  /**
   * The blocking snapshot the message just handled started, once: the caller makes every later
   * stream message wait for it.
   */
  takeHold(): Promise<void> | null {
    const hold = this.hold;
    this.hold = null;
    return hold;
  }

  /**
   * An insert into the signal table, in stream order. Window markers always count; users' signals
   * only with the `source` channel enabled (signal.enabled.channels).
   */
  onSignal(table: TableInfo, tuple: TupleValue[], positionAt: PositionAt): void {
    const signal = parseSignal(signalRow(table, tuple));
    if (!this.sourceChannel && signal.kind !== 'window-open' && signal.kind !== 'window-close') {
      log.debug(`signal ${signal.id} in the signal table not read: the source channel is not enabled`);
      return;
    }
    this.handle(signal, positionAt);
  }

  /** A signal from the file channel; window markers belong to the signal table only. */
  onExternalSignal(line: { id: string; type: string; data: string | null }, positionAt: PositionAt): void {
    const signal = parseSignal(line);
    if (signal.kind === 'window-open' || signal.kind === 'window-close') {
      log.warn(`signal ${signal.id} ignored: ${line.type} comes from the signal table only`);
      return;
    }
    this.handle(signal, positionAt);
  }

  /** A streamed change of a captured table, by transaction `xid`: inside an open window it wins over the chunk's row. */
  onChange(table: TableInfo, tuples: Array<ReadonlyArray<{ kind: string; text?: string }> | null>, xid: number): void {
    this.streamed.add(xid, `${table.schema}.${table.name}`);
    this.chunked.window?.onChange(table, tuples);
  }

  onTruncate(table: TableInfo, xid: number): void {
    this.streamed.add(xid, `${table.schema}.${table.name}`);
    this.chunked.window?.onTruncate(table);
  }

  /**
   * Read-only snapshots: the stream reached `lsn` (a transaction committed there begins, or the
   * server said everything before it was sent); a chunk waiting for that position goes out.
   */
  onStreamReached(lsn: bigint, positionAt: PositionAt): void {
    this.chunked.streamReached(lsn, positionAt);
  }

  /** Read-only snapshots: a chunk waits for the stream to pass a position (ChangeStream asks the server where it is). */
  get awaitsStream(): boolean {
    return this.chunked.awaitsStream;
  }

  private handle(signal: Signal, positionAt: PositionAt): void {
    switch (signal.kind) {
      case 'execute-snapshot':
        if (signal.type === 'blocking') {
          log.info(`signal ${signal.id}: blocking snapshot of ${signal.collections.join(', ')}`);
          this.startBlocking(signal, positionAt);
          return;
        }
        log.info(`signal ${signal.id}: incremental snapshot of ${signal.collections.join(', ')}${signal.surrogateKey ? ` by ${signal.surrogateKey}` : ''}${signal.conditions.length ? ` where ${signal.conditions.map((c) => `${c.dataCollection}: ${c.filter}`).join('; ')}` : ''}`);
        this.chunked.add(requestedCollections(signal));
        return;
      case 'stop-snapshot': {
        const removed = (signal.collections ?? this.chunked.collectionIds()).map((c) => splitCollection(c).join('.'));
        log.info(`signal ${signal.id}: stopping the incremental snapshot of ${removed.join(', ') || 'nothing'}`);
        this.chunked.remove(removed);
        return;
      }
      case 'pause-snapshot':
        log.info(`signal ${signal.id}: incremental snapshot paused`);
        this.chunked.pause();
        return;
      case 'resume-snapshot':
        log.info(`signal ${signal.id}: incremental snapshot resumed`);
        this.chunked.unpause();
        return;
      case 'window-open':
        this.chunked.windowOpened(signal.id);
        return;
      case 'window-close':
        this.chunked.windowClosed(signal.id, positionAt);
        return;
      case 'log':
        logSignal(signal.message, positionAt().offset);
        return;
      case 'ignored':
        log.warn(`signal ${signal.id} ignored: ${signal.reason}`);
    }
  }

  /**
   * A blocking snapshot at the signal's position; `takeHold()` hands it to the stream, whose
   * next messages wait for it.
   */
  private startBlocking(signal: Extract<Signal, { kind: 'execute-snapshot' }>, positionAt: PositionAt): void {
    const { offset, pos } = positionAt();
    this.blockingRuns++;
    const run = this.blocking.run({ id: signal.id, collections: signal.collections, conditions: signal.conditions }, { offset, partition: pos.sourcePartition }).finally(() => {
      this.blockingRuns--;
    });
    const before = this.hold;
    this.hold = before ? before.then(() => run) : run;
  }
}
