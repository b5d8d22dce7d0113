/**
 * The table an incremental snapshot reads next, from the catalog: its event key (what the window
 * matches streamed changes by) and its chunk columns (the key, or the surrogate key), or why it
 * cannot be read.
 */
import type pg from 'pg';
import type { ParsedConfig } from '../../../runtime/api/index.js';
import { parseMessageKeyColumns, readTables, type TableInfo as CatalogTable } from '../catalog.js';
import type { TableFilter } from '../config.js';
import type { TableInfo } from '../events.js';
import type { Collection } from './progress.js';
import { matchesCollection, splitCollection } from './signals.js';

export interface CurrentTable {
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

export interface ChunkTableDeps {
  config: ParsedConfig;
  /** The captured tables: only they can be snapshotted. */
  filter: TableFilter;
  toEventTable: (t: CatalogTable) => TableInfo;
}

/** The collection's table as chunks read it, or the reason (for a warning) it is skipped. */
export async function describeTable(client: pg.Client, collection: Collection, deps: ChunkTableDeps): Promise<CurrentTable | { skip: string; notCaptured?: true }> {
  const name = collection.id;
  const [schema, table] = splitCollection(name);
  const filter: TableFilter = { partitions: deps.filter.partitions, includes: (s, t) => s === schema && t === table && deps.filter.includes(s, t), includesColumn: deps.filter.includesColumn };
  const [catalog] = await readTables(client, filter, parseMessageKeyColumns(deps.config.getString('message.key.columns')));
  const keyNames = catalog?.columns.filter((c) => c.key).map((c) => c.name) ?? [];
  const surrogate = collection.surrogateKey;
  if (!catalog) return { skip: 'it is not a captured table', notCaptured: true };
  if (keyNames.length === 0) return { skip: 'it has no primary key (nor message.key.columns), so streamed changes cannot be matched to its rows' };
  if (surrogate && !catalog.columns.some((c) => c.name === surrogate)) return { skip: `it has no column ${surrogate} (the surrogate-key)` };
  const chunkNames = surrogate ? [surrogate] : keyNames;
  const index = (n: string) => catalog.columns.findIndex((c) => c.name === n);
  return { name, collection, catalog, table: deps.toEventTable(catalog), keyNames, keyIndexes: keyNames.map(index), chunkNames, chunkIndexes: chunkNames.map(index) };
}

/**
 * The captured tables a data-collection pattern names when it is not a table's exact name: Debezium
 * takes `data-collections` entries as anchored case-insensitive regexes (`public\\.orders_.*`).
 */
export async function capturedMatching(client: pg.Client, pattern: string, deps: ChunkTableDeps): Promise<string[]> {
  const all = await readTables(client, deps.filter, parseMessageKeyColumns(deps.config.getString('message.key.columns')));
  return all.map((t) => `${t.schema}.${t.name}`).filter((name) => matchesCollection(pattern, name));
}
