/**
 * The incremental snapshot proper: the tables left, read one after the other in chunks by key
 * (or surrogate key) up to the largest key each had when its turn came, each chunk bracketed by
 * window signals (chunk-window.ts). One chunk at a time; the next is read when the stream reaches
 * the previous one's close. A chunk whose connection is lost is forgotten and read again, in a new
 * window, once reconnected.
 *
 * read.only=true writes nothing: no window rows; a chunk's window is open from before its SELECT
 * and closes when the stream is past the WAL position read after it (readChunk).
 */
import type pg from 'pg';
import { getLogger, type SourceRecord } from '../../../runtime/api/index.js';
import type { EventBuilder, RecordPosition, SourceInfo } from '../events.js';
import type { PgOffset } from '../offsets.js';
import { parseLsn } from '../replication/lsn.js';
import { maxRetries, withReconnect } from '../retry.js';
import { parseXidSnapshot } from '../snapshot/visibility.js';
import { FetchSizer } from '../snapshot/fetch-sizer.js';
import { ChunkConnection } from './chunk-connection.js';
import { chunkQuery, maxKeyQuery } from './chunk-query.js';
import { capturedMatching, describeTable, type ChunkTableDeps, type CurrentTable } from './chunk-table.js';
import { ChunkWindow, rowTuple } from './chunk-window.js';
import type { RecentlyStreamed } from './recently-streamed.js';
import { progressFields, restoreProgress, type Collection, type Key, type Progress } from './progress.js';
import { WINDOW_CLOSE, WINDOW_OPEN, matchesCollection } from './signals.js';

const log = getLogger('connectors.postgres-cdc');
/**
 * A chunk's rows stay in memory until its window closes. About 4 MB of them (as fetch-sizer.ts
 * counts): incremental.snapshot.chunk.size (1,024) rows of narrow or 1 KB rows, 40 of 100 KB
 * documents, where the full count would hold 100 MB.
 */
const CHUNK_BUDGET_BYTES = 4 * 1024 * 1024;

/** What a record's position is at the signal being handled: built after the state moved. */
export type PositionAt = () => { source: SourceInfo; offset: PgOffset; pos: RecordPosition };

export interface ChunkedSnapshotDeps extends ChunkTableDeps {
  builder: EventBuilder;
  /** Queues records in stream order (synchronously). */
  emit: (records: SourceRecord[], offset: PgOffset) => void;
  fail: (e: Error) => void;
  /** Read-only: asks the server for a keepalive, which says how far the stream got. */
  requestPosition: () => void;
}

/** How often a read-only chunk waiting for the stream asks the server where it is. */
const POSITION_REQUEST_MS = 100;
/** How long before a chunk whose read missed a streamed transaction is read again. */
const REREAD_DELAY_MS = 100;

export class ChunkedSnapshot {
  private readonly progress: Progress;
  private readonly chunkSize: number;
  /** Rows a chunk asks for in the current table: fewer than the chunk size where rows are wide. */
  private sizer: FetchSizer | null = null;
  private readonly connection: ChunkConnection;
  private paused = false;
  private current: CurrentTable | null = null;
  private chunk: ChunkWindow | null = null;
  private reading = false;
  private stopping = false;
  private readonly readOnly: boolean;
  /** Read-only: the furthest position the stream reported, and how to position records there. */
  private reached = 0n;
  private reachedAt: PositionAt | null = null;
  private positionTimer: NodeJS.Timeout | null = null;
  private rereadTimer: NodeJS.Timeout | null = null;
  /** Reads of the current chunk thrown away so far (logged at the first and every 50th). */
  private rereads = 0;

  /** `streamed`: the transactions streamed so far, which IncrementalSnapshot notes (recently-streamed.ts). */
  constructor(private readonly deps: ChunkedSnapshotDeps, stored: PgOffset | null, signalSchema: string, signalName: string, private readonly streamed: RecentlyStreamed) {
    this.chunkSize = deps.config.getInt('incremental.snapshot.chunk.size');
    this.readOnly = deps.config.getBoolean('read.only');
    this.connection = new ChunkConnection(deps.config, signalSchema, signalName);
    this.progress = restoreProgress(stored);
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** The chunk under way, if any: streamed changes are matched against its window. */
  get window(): ChunkWindow | null {
    return this.chunk;
  }

  collectionIds(): string[] {
    return this.progress.collections.map((c) => c.id);
  }

  offsetFields(): Partial<PgOffset> {
    return progressFields(this.progress);
  }

  /** Streaming has started: carry on with a snapshot a stored offset says was under way. */
  resume(): void {
    if (this.progress.collections.length > 0) log.info(`resuming the incremental snapshot of ${this.collectionIds().join(', ')}`);
    this.next();
  }

  /** Tables queued after those left; one already queued keeps its place and settings. */
  add(collections: Collection[]): void {
    const added = collections.filter((c) => !this.progress.collections.some((x) => x.id === c.id));
    this.progress.collections.push(...added);
    this.next();
  }

  remove(ids: string[]): void {
    const head = this.progress.collections[0];
    // Exact names, or patterns as execute-snapshot takes them.
    this.progress.collections = this.progress.collections.filter((c) => !ids.some((id) => id === c.id || matchesCollection(id, c.id)));
    if (head !== undefined && this.progress.collections[0] !== head) this.leaveTable();
    this.next();
  }

  pause(): void {
    this.paused = true;
  }

  unpause(): void {
    this.paused = false;
    this.next();
  }

  windowOpened(signalId: string): void {
    if (this.chunk && signalId === this.chunk.openId) this.openWindow(this.chunk);
  }

  /** From here the window catches the table's changes; the transactions streamed before are checked at its close. */
  private openWindow(chunk: ChunkWindow): void {
    chunk.open = true;
    chunk.streamedMark = this.streamed.mark();
  }

  windowClosed(signalId: string, positionAt: PositionAt): void {
    if (this.chunk && signalId === this.chunk.closeId && !this.readOnly) this.closeWindow(this.chunk, positionAt);
  }

  /** Read-only: a chunk is under way, so the stream reports how far it got (streamReached). */
  get awaitsStream(): boolean {
    return this.readOnly && this.chunk !== null;
  }

  /** Read-only: the stream got to `lsn`; the chunk read goes out once that is past its position. */
  streamReached(lsn: bigint, positionAt: PositionAt): void {
    if (lsn > this.reached) this.reached = lsn;
    this.reachedAt = positionAt;
    this.closeIfPassed();
  }

  private closeIfPassed(): void {
    const chunk = this.chunk;
    if (!chunk || chunk.closeAt === null || this.reached < chunk.closeAt || !this.reachedAt) return;
    this.stopAsking();
    this.closeWindow(chunk, this.reachedAt);
  }

  private stopAsking(): void {
    if (this.positionTimer) clearInterval(this.positionTimer);
    this.positionTimer = null;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopAsking();
    if (this.rereadTimer) clearTimeout(this.rereadTimer);
    await this.connection.end();
  }

  private closeWindow(chunk: ChunkWindow, positionAt: PositionAt): void {
    this.chunk = null;
    const unseen = chunk.snapshot ? this.streamed.unseen(chunk.table.name, chunk.streamedMark, chunk.snapshot) : null;
    if (chunk.snapshot) this.streamed.prune(chunk.snapshot);
    if (unseen !== null) {
      // Read again once it is visible: its streamed change is already out, and the next window
      // catches any change after the next read.
      if (this.rereads++ % 50 === 0) log.info(`incremental snapshot of ${chunk.table.name}: transaction ${unseen} was streamed before the chunk's window opened but its read could not see it yet (a commit not yet visible, as under synchronous replication); reading the chunk again${this.rereads > 1 ? ` (${this.rereads} times so far)` : ''}`);
      this.rereadTimer = setTimeout(() => {
        this.rereadTimer = null;
        this.next();
      }, REREAD_DELAY_MS);
      return;
    }
    this.rereads = 0;
    const rows = chunk.rows ?? [];
    const t = chunk.table;
    const keep = chunk.unchangedRows();
    const last = rows[rows.length - 1];
    if (rows.length < chunk.limit || !last) {
      log.info(`incremental snapshot of ${t.name} done`);
      this.progress.collections.shift();
      this.leaveTable();
    } else {
      this.progress.lastKey = t.chunkIndexes.map((i) => last[i] ?? null);
    }
    if (keep.length > 0) {
      const { source, offset, pos } = positionAt();
      const src: SourceInfo = { ...source, snapshot: 'incremental' };
      this.deps.emit(keep.flatMap((r) => this.deps.builder.read(t.table, rowTuple(r), src, pos)), offset);
    }
    this.next();
  }

  private leaveTable(): void {
    this.stopAsking();
    this.current = null;
    this.sizer = null;
    this.chunk = null;
    this.progress.lastKey = null;
    this.progress.maxKey = null;
  }

  /** Reads the next chunk unless one is under way, paused, or nothing is left. */
  private next(): void {
    if (this.stopping || this.paused || this.reading || this.chunk || this.rereadTimer || this.progress.collections.length === 0) return;
    this.reading = true;
    withReconnect(() => this.readChunk(), {
      what: 'incremental snapshot chunk',
      retries: maxRetries(this.deps.config),
      warn: (m) => log.warn(m),
      isStopping: () => this.stopping,
      // The window whose close never came emits nothing: its signals no longer match this.chunk.
      onLoss: () => {
        this.chunk = null;
        this.stopAsking();
        return this.connection.drop();
      },
    }).then(() => {
      this.reading = false;
      // A stop-snapshot (or the close itself) may have come while reading: carry on from here.
      if (!this.chunk) this.next();
    }, (e: unknown) => {
      this.reading = false;
      this.deps.fail(e as Error);
    });
  }

  /**
   * A chunk between window signals; on a lost connection the chunk is forgotten (onLoss) and read
   * again. Read-only, no window rows are written: the window is open (every streamed change of the
   * table wins over the rows) from before the SELECT, and closes once the stream is past the WAL
   * insert position read after it. Every transaction the SELECT saw had written its commit by then,
   * so its changes are in the stream before that position and in the rows; one committed after the
   * position came after the SELECT, and its changes follow the rows. One that committed in between
   * was recorded by the open window, so its rows do not go out (its change did, with the newer value).
   */
  private async readChunk(): Promise<void> {
    this.chunk = null;
    const client = await this.connection.get();
    const table = await this.currentTable(client);
    if (!table || this.stopping) return;
    // A stop-snapshot may leave the table while this reads: the range stays the one it started with.
    const lastKey = this.progress.lastKey;
    const maxKey = this.progress.maxKey!;
    // Held here: a stop-snapshot while this reads leaves the table (and drops this.sizer).
    const sizer = (this.sizer ??= new FetchSizer(this.chunkSize, CHUNK_BUDGET_BYTES));
    const chunk = new ChunkWindow(table, sizer.rows);
    this.chunk = chunk;
    // The rows' data as Debezium 3 writes it (they reach the signal table's topic): when the window opened and closed.
    const opened = `"openWindowTimestamp": "${new Date().toISOString()}"`;
    if (this.readOnly) this.openWindow(chunk);
    else await this.connection.insertSignal(client, chunk.openId, WINDOW_OPEN, `{${opened}}`);
    // The read and what its snapshot sees, in one transaction (closeWindow checks the streamed
    // transactions against it).
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    let res: pg.QueryResult<Key>;
    try {
      chunk.snapshot = parseXidSnapshot((await client.query<{ s: string }>('SELECT txid_current_snapshot()::text AS s')).rows[0]!.s);
      res = await client.query<Key>(chunkQuery(table, lastKey, maxKey, chunk.limit));
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    chunk.rows = res.rows;
    sizer.observe(res.rows);
    if (!this.readOnly) {
      // The rows are in hand before the close row exists, so the stream cannot reach it first.
      await this.connection.insertSignal(client, chunk.closeId, WINDOW_CLOSE, `{${opened}, "closeWindowTimestamp": "${new Date().toISOString()}"}`);
      return;
    }
    // On a standby (Postgres 16+ decodes there) the position is how far it replayed.
    const lsn = (await client.query<{ l: string }>('SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END)::text AS l')).rows[0]!.l;
    if (this.chunk !== chunk) return; // a stop-snapshot left the table meanwhile
    chunk.closeAt = parseLsn(lsn);
    this.closeIfPassed();
    if (this.chunk === chunk) {
      // Until the stream is known to be past that position: an idle server says so only when asked.
      this.deps.requestPosition();
      this.positionTimer = setInterval(() => this.deps.requestPosition(), POSITION_REQUEST_MS);
    }
  }

  /** The table at the head of the list, with its maximum key; tables that cannot be read are dropped with a warning. */
  private async currentTable(client: pg.Client): Promise<CurrentTable | null> {
    const p = this.progress;
    while (p.collections.length > 0) {
      const collection = p.collections[0]!;
      const name = collection.id;
      if (this.current?.name === name) return this.current;
      const current = await describeTable(client, collection, this.deps);
      if ('skip' in current && current.notCaptured && !collection.expanded) {
        // Not a table's name: a regex over the captured tables, each of them in turn.
        const matches = await capturedMatching(client, name, this.deps);
        if (matches.length > 0) {
          log.info(`incremental snapshot: ${name} matches ${matches.join(', ')}`);
          p.collections.splice(0, 1, ...matches.map((id): Collection => ({ ...collection, id, expanded: true })));
          continue;
        }
      }
      if ('skip' in current) {
        log.warn(`incremental snapshot: skipping ${name}: ${current.skip}`);
        p.collections.shift();
        this.leaveTable();
        continue;
      }
      if (!p.maxKey) {
        const row = (await client.query<Key>(maxKeyQuery(current))).rows[0];
        if (!row) {
          log.info(`incremental snapshot: ${name} has no rows${collection.condition ? ` where ${collection.condition}` : ''}`);
          p.collections.shift();
          this.leaveTable();
          continue;
        }
        p.maxKey = row;
        p.lastKey = null;
      }
      log.info(`incremental snapshot of ${name} by (${current.chunkNames.join(', ')}) up to ${JSON.stringify(p.maxKey)}${p.lastKey ? `, from after ${JSON.stringify(p.lastKey)}` : ''}${collection.condition ? `, where ${collection.condition}` : ''}`);
      this.current = current;
      return current;
    }
    return null;
  }
}
