/**
 * Incremental snapshots (Debezium's, after DBLog): while streaming goes on, each requested table
 * is read by primary key in chunks of `incremental.snapshot.chunk.size`. Every chunk is bracketed
 * by a `snapshot-window-open` and a `snapshot-window-close` row inserted into the signal table;
 * between the two, in stream order, a streamed change of a row of the chunk wins over the row
 * read, so at the window's close only the rows nobody changed go out, as `r` events marked
 * `incremental`. Replaying the topic in order therefore always ends at the table's state.
 *
 * Progress (tables left with their additional condition and surrogate key, last key emitted, the
 * table's maximum key) rides in every streamed record's offset, so a restart carries on after the
 * last chunk stored. A chunk whose connection is lost is read again, in a new window, once
 * reconnected; the old window's signals no longer match and emit nothing.
 *
 * The same signal table carries blocking snapshots (blocking-snapshot.ts): while one runs, the
 * stream's next messages wait on `takeHold()`.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { newClient } from '../pg-client.js';
import { getLogger, type ParsedConfig, type SourceRecord } from '../../../runtime/api/index.js';
import { parseMessageKeyColumns, readTables, type TableInfo as CatalogTable } from '../catalog.js';
import type { TableFilter } from '../config.js';
import { clientConfig, textTypes } from '../connection.js';
import type { EventBuilder, RecordPosition, SourceInfo, TableInfo, TupleValue } from '../events.js';
import type { PgOffset } from '../offsets.js';
import { quoteIdent } from '../snapshot/snapshot-reader.js';
import { BlockingSnapshot } from './blocking-snapshot.js';
import { withReconnect } from '../retry.js';
import { WINDOW_CLOSE, WINDOW_OPEN, filtersFor, parseSignal, signalRow, splitCollection, type Signal } from './signals.js';

const log = getLogger('connectors.postgres-cdc');
/** Rows as Postgres text, the form pgoutput streams (keys compare as text); the catalog reads keep their types. */
const TEXT = textTypes();

export interface IncrementalSnapshotDeps {
  config: ParsedConfig;
  /** The captured tables (the signal table not among them). */
  filter: TableFilter;
  builder: EventBuilder;
  toEventTable: (t: CatalogTable) => TableInfo;
  /** Queues records in stream order (synchronously). */
  emit: (records: SourceRecord[], offset: PgOffset) => void;
  /** Queues records, waiting while the queue is full (blocking snapshots, while the stream waits). */
  emitWait: (records: SourceRecord[], offset: PgOffset) => Promise<void>;
  /** Repeats the confirmed position to the server while the stream waits. */
  keepalive: () => void;
  /** A blocking snapshot lost its connection: drop (and reconnect) the replication connection too. */
  onConnectionLoss: () => void;
  fail: (e: Error) => void;
}

/** A table to snapshot incrementally, as Debezium keeps it in `incremental_snapshot_collections`. */
interface Collection {
  id: string;
  /** The additional conditions, AND-ed; null for none. */
  condition: string | null;
  surrogateKey: string | null;
}

interface StoredCollection {
  incremental_snapshot_collections_id: string;
  incremental_snapshot_collections_additional_condition?: string | null;
  incremental_snapshot_collections_surrogate_key?: string | null;
}

/** What a record's position is at the signal being handled: built after the state moved. */
export type PositionAt = () => { source: SourceInfo; offset: PgOffset; pos: RecordPosition };

type Key = Array<string | null>;

interface CurrentTable {
  name: string;
  collection: Collection;
  catalog: CatalogTable;
  table: TableInfo;
  /** The event key: the window matches streamed changes to chunk rows by it. */
  keyNames: string[];
  keyIndexes: number[];
  /** What chunks are read by: the key, or the surrogate key column. */
  chunkNames: string[];
  chunkIndexes: number[];
}

interface Chunk {
  id: string;
  table: CurrentTable;
  rows: Key[] | null;
  open: boolean;
  /** Keys of rows the stream changed while the window was open. */
  changed: Set<string>;
  truncated: boolean;
}

export class IncrementalSnapshot {
  private readonly signalSchema: string;
  private readonly signalName: string;
  private readonly chunkSize: number;
  private collections: Collection[] = [];
  private lastKey: Key | null = null;
  private maxKey: Key | null = null;
  private paused = false;
  private current: CurrentTable | null = null;
  private chunk: Chunk | null = null;
  private reading = false;
  private client: pg.Client | null = null;
  private stopped = false;
  private readonly blocking: BlockingSnapshot;
  /** A blocking snapshot started by the message just handled: the stream's next messages wait on it. */
  private hold: Promise<void> | null = null;
  private blockingRuns = 0;

  constructor(private readonly deps: IncrementalSnapshotDeps, stored: PgOffset | null) {
    [this.signalSchema, this.signalName] = splitCollection(deps.config.requireString('signal.data.collection'));
    this.chunkSize = deps.config.getInt('incremental.snapshot.chunk.size');
    this.blocking = new BlockingSnapshot({ ...deps, isStopping: () => this.stopped });
    if (stored?.incremental_snapshot_collections) {
      this.collections = (JSON.parse(stored.incremental_snapshot_collections) as StoredCollection[]).map((c) => ({
        id: c.incremental_snapshot_collections_id,
        condition: c.incremental_snapshot_collections_additional_condition ?? null,
        surrogateKey: c.incremental_snapshot_collections_surrogate_key ?? null,
      }));
      this.lastKey = stored.incremental_snapshot_primary_key ? (JSON.parse(stored.incremental_snapshot_primary_key) as Key) : null;
      this.maxKey = stored.incremental_snapshot_maximum_key ? (JSON.parse(stored.incremental_snapshot_maximum_key) as Key) : null;
    }
  }

  /** The captured filter plus the signal table, whose changes must reach the stream. */
  static withSignalTable(filter: TableFilter, signalCollection: string): TableFilter {
    const [schema, name] = splitCollection(signalCollection);
    return {
      includes: (s, t) => (s === schema && t === name) || filter.includes(s, t),
      includesColumn: (s, t, c) => (s === schema && t === name) || filter.includesColumn(s, t, c),
    };
  }

  isSignalTable(table: { schema: string; name: string }): boolean {
    return table.schema === this.signalSchema && table.name === this.signalName;
  }

  /** Debezium's offset keys for an incremental snapshot in progress; none when there is none. */
  offsetFields(): Partial<PgOffset> {
    if (this.collections.length === 0) return {};
    return {
      incremental_snapshot_collections: JSON.stringify(this.collections.map((c): StoredCollection => ({ incremental_snapshot_collections_id: c.id, incremental_snapshot_collections_additional_condition: c.condition, incremental_snapshot_collections_surrogate_key: c.surrogateKey }))),
      ...(this.lastKey ? { incremental_snapshot_primary_key: JSON.stringify(this.lastKey) } : {}),
      ...(this.maxKey ? { incremental_snapshot_maximum_key: JSON.stringify(this.maxKey) } : {}),
    };
  }

  /** Streaming has started: carry on with a snapshot a stored offset says was under way. */
  resume(): void {
    if (this.collections.length > 0) log.info(`resuming the incremental snapshot of ${this.collections.map((c) => c.id).join(', ')}`);
    this.next();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  /** Whether a blocking snapshot is under way (the stream should not read ahead). */
  get holding(): boolean {
    return this.blockingRuns > 0;
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

  /** An insert into the signal table, in stream order. */
  onSignal(table: TableInfo, tuple: TupleValue[], positionAt: PositionAt): void {
    const signal = parseSignal(signalRow(table, tuple));
    this.handle(signal, positionAt);
  }

  /** A streamed change of a captured table: inside an open window it wins over the chunk's row. */
  onChange(table: TableInfo, tuples: Array<ReadonlyArray<{ kind: string; text?: string }> | null>): void {
    const chunk = this.chunk;
    if (!chunk?.open || `${table.schema}.${table.name}` !== chunk.table.name) return;
    const indexes = chunk.table.keyNames.map((n) => table.columns.findIndex((c) => c.name === n));
    for (const tuple of tuples) {
      if (!tuple) continue;
      chunk.changed.add(keyText(indexes.map((i) => tuple[i]?.text ?? null)));
    }
  }

  onTruncate(table: TableInfo): void {
    const chunk = this.chunk;
    if (chunk?.open && `${table.schema}.${table.name}` === chunk.table.name) chunk.truncated = true;
  }

  private handle(signal: Signal, positionAt: PositionAt): void {
    switch (signal.kind) {
      case 'execute-snapshot': {
        if (signal.type === 'blocking') {
          log.info(`signal ${signal.id}: blocking snapshot of ${signal.collections.join(', ')}`);
          this.startBlocking(signal, positionAt);
          return;
        }
        const added = signal.collections
          .map((c) => splitCollection(c).join('.'))
          .filter((c, i, all) => all.indexOf(c) === i && !this.collections.some((x) => x.id === c))
          .map((id): Collection => {
            const filters = filtersFor(signal.conditions, id);
            return { id, condition: filters.length > 0 ? filters.map((f) => `(${f})`).join(' AND ') : null, surrogateKey: signal.surrogateKey };
          });
        log.info(`signal ${signal.id}: incremental snapshot of ${signal.collections.join(', ')}${signal.surrogateKey ? ` by ${signal.surrogateKey}` : ''}${signal.conditions.length ? ` where ${signal.conditions.map((c) => `${c.dataCollection}: ${c.filter}`).join('; ')}` : ''}`);
        this.collections.push(...added);
        this.next();
        return;
      }
      case 'stop-snapshot': {
        const removed = (signal.collections ?? this.collections.map((c) => c.id)).map((c) => splitCollection(c).join('.'));
        log.info(`signal ${signal.id}: stopping the incremental snapshot of ${removed.join(', ') || 'nothing'}`);
        const head = this.collections[0];
        this.collections = this.collections.filter((c) => !removed.includes(c.id));
        if (head !== undefined && this.collections[0] !== head) this.leaveTable();
        this.next();
        return;
      }
      case 'pause-snapshot':
        log.info(`signal ${signal.id}: incremental snapshot paused`);
        this.paused = true;
        return;
      case 'resume-snapshot':
        log.info(`signal ${signal.id}: incremental snapshot resumed`);
        this.paused = false;
        this.next();
        return;
      case 'window-open':
        if (this.chunk && signal.id === `${this.chunk.id}-open`) this.chunk.open = true;
        return;
      case 'window-close':
        if (this.chunk && signal.id === `${this.chunk.id}-close`) this.closeWindow(this.chunk, positionAt);
        return;
      case 'ignored':
        log.warn(`signal ${signal.id} ignored: ${signal.reason}`);
    }
  }

  private closeWindow(chunk: Chunk, positionAt: PositionAt): void {
    this.chunk = null;
    const rows = chunk.rows ?? [];
    const t = chunk.table;
    const keep = chunk.truncated ? [] : rows.filter((r) => !chunk.changed.has(keyText(t.keyIndexes.map((i) => r[i] ?? null))));
    const last = rows[rows.length - 1];
    if (rows.length < this.chunkSize || !last) {
      log.info(`incremental snapshot of ${t.name} done`);
      this.collections.shift();
      this.leaveTable();
    } else {
      this.lastKey = t.chunkIndexes.map((i) => last[i] ?? null);
    }
    if (keep.length > 0) {
      const { source, offset, pos } = positionAt();
      const src: SourceInfo = { ...source, snapshot: 'incremental' };
      const records = keep.flatMap((r) => this.deps.builder.read(t.table, r.map((v): TupleValue => (v === null ? { kind: 'null' } : { kind: 'text', text: v })), src, pos));
      this.deps.emit(records, offset);
    }
    this.next();
  }

  private leaveTable(): void {
    this.current = null;
    this.chunk = null;
    this.lastKey = null;
    this.maxKey = null;
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

  /** Reads the next chunk unless one is under way, paused, or nothing is left. */
  private next(): void {
    if (this.stopped || this.paused || this.reading || this.chunk || this.collections.length === 0) return;
    this.reading = true;
    withReconnect(() => this.readChunk(), {
      what: 'incremental snapshot chunk',
      warn: (m) => log.warn(m),
      isStopping: () => this.stopped,
      // The window whose close never came emits nothing: its signals no longer match this.chunk.
      onLoss: () => this.dropConnection(),
    }).then(() => {
      this.reading = false;
      // A stop-snapshot (or the close itself) may have come while reading: carry on from here.
      if (!this.chunk) this.next();
    }, (e: unknown) => {
      this.reading = false;
      this.deps.fail(e as Error);
    });
  }

  /** A chunk between window signals; on a lost connection the chunk is forgotten (dropConnection) and read again. */
  private async readChunk(): Promise<void> {
    this.chunk = null;
    const client = await this.connection();
    const table = await this.currentTable(client);
    if (!table || this.stopped) return;
    // A stop-snapshot may leave the table while this reads: the range stays the one it started with.
    const lastKey = this.lastKey;
    const maxKey = this.maxKey!;
    const chunk: Chunk = { id: randomUUID(), table, rows: null, open: false, changed: new Set(), truncated: false };
    this.chunk = chunk;
    await this.insertSignal(client, `${chunk.id}-open`, WINDOW_OPEN, table.name);
    const keys = table.chunkNames.map(quoteIdent);
    const cols = table.catalog.columns.map((c) => quoteIdent(c.name)).join(', ');
    const params: Array<string | null> = [];
    const tuple = (values: Key) => `(${values.map((v) => { params.push(v); return `$${params.length}`; }).join(', ')})`;
    const where = [
      ...(lastKey ? [`(${keys.join(', ')}) > ${tuple(lastKey)}`] : []),
      `(${keys.join(', ')}) <= ${tuple(maxKey)}`,
      ...(table.collection.condition ? [table.collection.condition] : []),
    ];
    const res = await client.query<Key>({
      text: `SELECT ${cols} FROM ${quoteIdent(table.catalog.schema)}.${quoteIdent(table.catalog.name)} WHERE ${where.join(' AND ')} ORDER BY ${keys.join(', ')} LIMIT ${this.chunkSize}`,
      values: params,
      rowMode: 'array',
      types: TEXT,
    });
    chunk.rows = res.rows as unknown as Key[];
    // The rows are in hand before the close row exists, so the stream cannot reach it first.
    await this.insertSignal(client, `${chunk.id}-close`, WINDOW_CLOSE, table.name);
  }

  /** A lost connection: forget it and the chunk it was reading (its window, if it opened, is left to lapse). */
  private async dropConnection(): Promise<void> {
    this.chunk = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** The table at the head of the list, with its maximum key; tables that cannot be read are dropped with a warning. */
  private async currentTable(client: pg.Client): Promise<CurrentTable | null> {
    while (this.collections.length > 0) {
      const collection = this.collections[0]!;
      const name = collection.id;
      if (this.current?.name === name) return this.current;
      const [schema, table] = splitCollection(name);
      const filter: TableFilter = { includes: (s, t) => s === schema && t === table && this.deps.filter.includes(s, t), includesColumn: this.deps.filter.includesColumn };
      const [catalog] = await readTables(client, filter, parseMessageKeyColumns(this.deps.config.getString('message.key.columns')));
      const keyNames = catalog?.columns.filter((c) => c.key).map((c) => c.name) ?? [];
      const surrogate = collection.surrogateKey;
      const why = !catalog ? 'it is not a captured table'
        : keyNames.length === 0 ? 'it has no primary key (nor message.key.columns), so streamed changes cannot be matched to its rows'
        : surrogate && !catalog.columns.some((c) => c.name === surrogate) ? `it has no column ${surrogate} (the surrogate-key)`
        : null;
      if (!catalog || why) {
        log.warn(`incremental snapshot: skipping ${name}: ${why}`);
        this.collections.shift();
        this.leaveTable();
        continue;
      }
      const chunkNames = surrogate ? [surrogate] : keyNames;
      const index = (n: string) => catalog.columns.findIndex((c) => c.name === n);
      const current: CurrentTable = { name, collection, catalog, table: this.deps.toEventTable(catalog), keyNames, keyIndexes: keyNames.map(index), chunkNames, chunkIndexes: chunkNames.map(index) };
      if (!this.maxKey) {
        const keys = chunkNames.map(quoteIdent);
        const where = [...keys.map((k) => `${k} IS NOT NULL`), ...(collection.condition ? [collection.condition] : [])];
        const max = await client.query<Key>({ text: `SELECT ${keys.join(', ')} FROM ${quoteIdent(schema)}.${quoteIdent(table)} WHERE ${where.join(' AND ')} ORDER BY ${keys.map((k) => `${k} DESC`).join(', ')} LIMIT 1`, rowMode: 'array', types: TEXT });
        const row = max.rows[0] as unknown as Key | undefined;
        if (!row) {
          log.info(`incremental snapshot: ${name} has no rows${collection.condition ? ` where ${collection.condition}` : ''}`);
          this.collections.shift();
          this.leaveTable();
          continue;
        }
        this.maxKey = row;
        this.lastKey = null;
      }
      log.info(`incremental snapshot of ${name} by (${chunkNames.join(', ')}) up to ${JSON.stringify(this.maxKey)}${this.lastKey ? `, from after ${JSON.stringify(this.lastKey)}` : ''}${collection.condition ? `, where ${collection.condition}` : ''}`);
      this.current = current;
      return current;
    }
    return null;
  }

  private async insertSignal(client: pg.Client, id: string, type: string, table: string): Promise<void> {
    await client.query(`INSERT INTO ${quoteIdent(this.signalSchema)}.${quoteIdent(this.signalName)} (id, type, data) VALUES ($1, $2, $3)`, [id, type, JSON.stringify({ 'data-collection': table })]);
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = newClient(clientConfig(this.deps.config));
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
}

function keyText(key: Key): string {
  return JSON.stringify(key);
}
