/**
 * Blocking snapshots (`execute-snapshot` with `"type": "blocking"`): when the stream reaches the
 * signal, streaming waits while the listed tables are read in one REPEATABLE READ transaction on
 * a connection of their own, as `r` events marked as Debezium marks a snapshot (`first`,
 * `first_in_data_collection`, `true`, `last_in_data_collection`, `last`); then streaming goes on
 * with the message after the signal.
 *
 * Offsets: every record carries the streaming position just before the signal, the last one the
 * signal's own position. A restart before the last record is stored sees the signal again and
 * runs the whole snapshot again (at least once, as Debezium); once it is stored, not.
 */
import { getLogger, type ParsedConfig, type SourceMap, type SourceRecord } from '../../../runtime/api/index.js';
import { parseMessageKeyColumns, readTables, type TableInfo as CatalogTable } from '../catalog.js';
import type { TableFilter } from '../config.js';
import { clientConfig, connect } from '../connection.js';
import { snapshotMarker, type EventBuilder, type SourceInfo, type TableInfo, type TupleValue } from '../events.js';
import { justBefore, type PgOffset } from '../offsets.js';
import { SnapshotReader, quoteIdent } from '../snapshot/snapshot-reader.js';
import { maxRetries, withReconnect } from '../retry.js';
import { parseXidSnapshot } from '../snapshot/visibility.js';
import type { RecentlyStreamed } from './recently-streamed.js';
import { filtersFor, matchesCollection, type AdditionalCondition } from './signals.js';

const log = getLogger('connectors.postgres-cdc');

export interface BlockingSnapshotDeps {
  config: ParsedConfig;
  /** The captured tables (the signal table not among them). */
  filter: TableFilter;
  builder: EventBuilder;
  toEventTable: (t: CatalogTable) => TableInfo;
  /** Queues records, waiting while the queue is full. */
  emitWait: (records: SourceRecord[], offset: PgOffset) => Promise<void>;
  /** Repeats the confirmed position to the server: the paused stream must not look dead. */
  keepalive: () => void;
  /**
   * The snapshot's connection was lost, most likely the server is going down: a fast shutdown
   * waits for the replication connection to confirm everything sent, which it must not while the
   * snapshot is unstored, so the caller drops that connection too (and reconnects it later).
   */
  onConnectionLoss: () => void;
  isStopping: () => boolean;
  /** The transactions streamed so far that a read may not see yet. */
  streamed: RecentlyStreamed;
}

export interface BlockingRequest {
  id: string;
  collections: string[];
  conditions: AdditionalCondition[];
}

/** The stream's position at the signal: the offset the records are built from. */
export interface SignalPosition {
  offset: PgOffset;
  partition: SourceMap;
}

export class BlockingSnapshot {
  constructor(private readonly deps: BlockingSnapshotDeps) {}

  /**
   * Reads the requested tables and queues their events. A lost connection starts the read again
   * (its records go out again: at least once); any other error (a bad filter, say) is logged
   * and streaming goes on, as Debezium does.
   */
  async run(request: BlockingRequest, at: SignalPosition): Promise<void> {
    const started = Date.now();
    const keepalive = setInterval(() => this.deps.keepalive(), 1000);
    try {
      const rows = await withReconnect(() => this.readOnce(request, at, started), {
        what: `blocking snapshot ${request.id}`,
        warn: (m) => log.warn(m),
        isStopping: this.deps.isStopping,
        onLoss: () => this.deps.onConnectionLoss(),
        retries: maxRetries(this.deps.config),
      });
      if (rows !== null) log.info(`blocking snapshot ${request.id} done: ${rows} rows in ${Date.now() - started} ms; streaming resumes`);
    } catch (e) {
      log.warn(`blocking snapshot ${request.id} failed, streaming resumes: ${(e as Error).message}`);
    } finally {
      clearInterval(keepalive);
    }
  }

  private async readOnce(request: BlockingRequest, at: SignalPosition, started: number): Promise<number> {
    const { config, builder } = this.deps;
    const catalogClient = await connect(config);
    let tables: CatalogTable[];
    try {
      tables = await this.tables(catalogClient, request.collections);
    } finally {
      await catalogClient.end().catch(() => undefined);
    }
    if (tables.length === 0) {
      log.warn(`blocking snapshot ${request.id}: none of ${request.collections.join(', ')} is a captured table`);
      return 0;
    }
    log.info(`blocking snapshot ${request.id} of ${tables.map((t) => `${t.schema}.${t.name}`).join(', ')}: streaming paused`);
    // One REPEATABLE READ transaction of its own, values as Postgres text, as the initial snapshot reads.
    let reader = new SnapshotReader(clientConfig(config));
    try {
      let point = await reader.open(null);
      // A transaction streamed before the signal that this read cannot see yet (committed in the
      // WAL, not visible, as under synchronous replication): reading now would send rows older than
      // its changes. Streaming waits anyway; read once it is visible.
      for (let tries = 0; ; tries++) {
        const snapshot = parseXidSnapshot(point.xids);
        const mark = this.deps.streamed.mark();
        const unseen = tables.map((t) => this.deps.streamed.unseen(`${t.schema}.${t.name}`, mark, snapshot)).find((x) => x !== null) ?? null;
        this.deps.streamed.prune(snapshot);
        if (unseen === null || this.deps.isStopping()) break;
        if (tries % 50 === 0) log.info(`blocking snapshot ${request.id}: transaction ${unseen} was streamed but is not visible yet (as under synchronous replication); reading once it is`);
        await reader.end();
        await new Promise((r) => setTimeout(r, 100));
        reader = new SnapshotReader(clientConfig(config));
        point = await reader.open(null);
      }
      const { txId, walLsn: lsn } = point;
      const selects = this.selects(tables, request.conditions);
      // The last record's offset is the signal's: once stored, a restart does not run this again.
      const before = justBefore(at.offset);
      // One row is held back until the next one shows whether it ends its table or the snapshot.
      let held: { table: TableInfo; row: TupleValue[]; firstInSnapshot: boolean; firstInTable: boolean; lastInTable: boolean } | null = null;
      let total = 0;
      const build = (lastInSnapshot: boolean): SourceRecord[] => {
        if (!held) return [];
        const marker = snapshotMarker(held.firstInSnapshot, lastInSnapshot, held.firstInTable, held.lastInTable);
        const offset = lastInSnapshot ? at.offset : before;
        const source: SourceInfo = { lsn, txId, tsUs: BigInt(started) * 1000n, snapshot: marker };
        return builder.read(held.table, held.row, source, { sourcePartition: at.partition, sourceOffset: { ...offset } });
      };
      for (const catalog of tables) {
        const table = this.deps.toEventTable(catalog);
        let inTable = 0;
        await reader.readSelect(selects.get(catalog)!, config.getInt('snapshot.fetch.size'), this.deps.isStopping, async (rows) => {
          const batch: SourceRecord[] = [];
          for (const row of rows) {
            batch.push(...build(false));
            held = { table, row: row.map((v): TupleValue => (v === null ? { kind: 'null' } : { kind: 'text', text: v })), firstInSnapshot: total === 0, firstInTable: inTable === 0, lastInTable: false };
            total++;
            inTable++;
          }
          if (batch.length > 0) await this.deps.emitWait(batch, before);
        });
        if (this.deps.isStopping()) return total;
        if (held && inTable > 0) (held as { lastInTable: boolean }).lastInTable = true;
      }
      const last = build(true);
      if (last.length > 0) await this.deps.emitWait(last, at.offset);
      return total;
    } finally {
      await reader.end();
    }
  }

  /** The captured tables named (exactly or as Debezium's regexes), in the order the signal lists them. */
  private async tables(client: Awaited<ReturnType<typeof connect>>, collections: string[]): Promise<CatalogTable[]> {
    const all = await readTables(client, this.deps.filter, parseMessageKeyColumns(this.deps.config.getString('message.key.columns')));
    const out: CatalogTable[] = [];
    for (const pattern of collections) {
      for (const t of all) if (!out.includes(t) && matchesCollection(pattern, `${t.schema}.${t.name}`)) out.push(t);
    }
    return out;
  }

  /**
   * Each table's SELECT: an additional condition that is a whole SELECT (Debezium's blocking form)
   * replaces it; one that is a condition filters snapshot.select.statement.overrides' SELECT, or
   * the table.
   */
  private selects(tables: CatalogTable[], conditions: AdditionalCondition[]): Map<CatalogTable, string> {
    const { config } = this.deps;
    const overrides = new Map(config.getList('snapshot.select.statement.overrides').map((t) => [t, config.originals[`snapshot.select.statement.overrides.${t}`] ?? '']));
    const out = new Map<CatalogTable, string>();
    for (const t of tables) {
      const full = `${t.schema}.${t.name}`;
      const filters = filtersFor(conditions, full);
      const whole = filters.find((f) => /^\s*select\s/i.test(f));
      const override = overrides.get(full) || null;
      const from = override ? `(${override}) AS ${quoteIdent('snapshot')}` : `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
      const columns = override ? '*' : t.columns.map((c) => quoteIdent(c.name)).join(', ');
      const where = filters.length > 0 ? ` WHERE ${filters.map((f) => `(${f})`).join(' AND ')}` : '';
      out.set(t, whole ?? `SELECT ${columns} FROM ${from}${where}`);
    }
    return out;
  }
}
