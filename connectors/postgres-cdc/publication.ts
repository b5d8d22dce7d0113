/**
 * publication.autocreate.mode: creates (or, when filtered, updates) the publication the slot
 * streams, and warns about captured tables whose updates and deletes Postgres cannot replicate.
 */
import type pg from 'pg';
import { getLogger, type ParsedConfig } from '../../runtime/api/index.js';
import type { TableInfo } from './catalog.js';
import type { TableFilter } from './config.js';
import { quoteIdent } from './snapshot/snapshot-reader.js';

const log = getLogger('connectors.postgres-cdc');

/**
 * Whether partitioned tables' changes come under the root's name: the existing publication's
 * publish_via_partition_root, else what publish.via.partition.root will create it with.
 */
export async function publishesViaRoot(client: pg.Client, config: ParsedConfig): Promise<boolean> {
  const row = (await client.query<{ pubviaroot: boolean }>('SELECT pubviaroot FROM pg_publication WHERE pubname = $1', [config.requireString('publication.name')])).rows[0];
  return row ? row.pubviaroot : config.getBoolean('publish.via.partition.root');
}

/**
 * `roots`: partitioned tables the filter names (partitionedRoots). A filtered publication lists them
 * too, so partitions created later are published (under their own names, without
 * publish_via_partition_root) without a restart.
 */
export async function ensurePublication(client: pg.Client, config: ParsedConfig, tables: TableInfo[], roots: PartitionedRoot[] = []): Promise<void> {
  const name = config.requireString('publication.name');
  const mode = config.getString('publication.autocreate.mode');
  const exists = ((await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [name])).rowCount ?? 0) > 0;
  const list = [...tables, ...roots].map((t) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`).join(', ');
  const options = config.getBoolean('publish.via.partition.root') ? ' WITH (publish_via_partition_root = true)' : '';
  if (mode === 'disabled') {
    if (!exists) throw new Error(`Publication '${name}' does not exist and publication.autocreate.mode is 'disabled'`);
    return;
  }
  if (mode === 'all_tables' && !exists) await client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR ALL TABLES${options}`);
  else if (mode === 'no_tables' && !exists) await client.query(`CREATE PUBLICATION ${quoteIdent(name)}${options}`);
  else if (mode === 'filtered') {
    if (!exists) await client.query(`CREATE PUBLICATION ${quoteIdent(name)}${list ? ` FOR TABLE ${list}` : ''}${options}`);
    else if (list) await client.query(`ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${list}`);
  }
  for (const t of tables) {
    if (t.replicaIdentity === 'n' || (t.replicaIdentity === 'd' && !t.columns.some((c) => c.key))) {
      log.warn(`table ${t.schema}.${t.name} has no replica identity (no primary key and REPLICA IDENTITY ${t.replicaIdentity === 'n' ? 'NOTHING' : 'DEFAULT'}): updates and deletes of it fail in Postgres; set REPLICA IDENTITY FULL or add a primary key`);
    }
  }
}

/** A partitioned table the filter names (a root, not itself a partition) and its leaf partitions. */
export interface PartitionedRoot {
  schema: string;
  name: string;
  leaves: number[];
}

/** The partitioned tables the filter names, when partitions are captured under their own names. */
export async function partitionedRoots(client: pg.Client, filter: TableFilter): Promise<PartitionedRoot[]> {
  if (filter.partitions !== 'leaf') return [];
  const roots = await client.query<{ nspname: string; relname: string; leaves: number[] }>(
    `SELECT n.nspname, c.relname, ARRAY(SELECT relid::int FROM pg_partition_tree(c.oid) WHERE isleaf) AS leaves
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'p' AND NOT c.relispartition`,
  );
  return roots.rows.filter((r) => filter.includes(r.nspname, r.relname)).map((r) => ({ schema: r.nspname, name: r.relname, leaves: r.leaves }));
}

/**
 * Partitioned tables the filter names whose changes no captured table carries: without
 * publish_via_partition_root, changes come under each partition's name, and none of this table's
 * partitions is captured. Debezium drops them silently; tsconnect says so.
 */
export function warnUncapturedPartitions(roots: PartitionedRoot[], tables: TableInfo[]): string[] {
  const captured = new Set(tables.map((t) => t.oid));
  const missed = roots.filter((r) => !r.leaves.some((oid) => captured.has(oid)));
  for (const r of missed) {
    log.warn(`table ${r.schema}.${r.name} is partitioned and none of its partitions is captured: its changes come under the partitions' names, which table.include.list leaves out, so they are not captured. Include the partitions (events go to their own topics), or capture it under its own name with a publication created WITH (publish_via_partition_root = true) (publish.via.partition.root=true when the connector creates it)`);
  }
  return missed.map((r) => `${r.schema}.${r.name}`);
}
