/**
 * publication.autocreate.mode: creates (or, when filtered, updates) the publication the slot
 * streams, and warns about captured tables whose updates and deletes Postgres cannot replicate.
 */
import type pg from 'pg';
import { getLogger, type ParsedConfig } from '../../runtime/api/index.js';
import type { TableInfo } from './catalog.js';
import { quoteIdent } from './snapshot/snapshot-reader.js';

const log = getLogger('connectors.postgres-cdc');

export async function ensurePublication(client: pg.Client, config: ParsedConfig, tables: TableInfo[]): Promise<void> {
  const name = config.requireString('publication.name');
  const mode = config.getString('publication.autocreate.mode');
  const exists = ((await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [name])).rowCount ?? 0) > 0;
  const list = tables.map((t) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`).join(', ');
  if (mode === 'disabled') {
    if (!exists) throw new Error(`Publication '${name}' does not exist and publication.autocreate.mode is 'disabled'`);
    return;
  }
  if (mode === 'all_tables' && !exists) await client.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR ALL TABLES`);
  else if (mode === 'no_tables' && !exists) await client.query(`CREATE PUBLICATION ${quoteIdent(name)}`);
  else if (mode === 'filtered') {
    if (!exists) await client.query(`CREATE PUBLICATION ${quoteIdent(name)}${list ? ` FOR TABLE ${list}` : ''}`);
    else if (list) await client.query(`ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${list}`);
  }
  for (const t of tables) {
    if (t.replicaIdentity === 'n' || (t.replicaIdentity === 'd' && !t.columns.some((c) => c.key))) {
      log.warn(`table ${t.schema}.${t.name} has no replica identity (no primary key and REPLICA IDENTITY ${t.replicaIdentity === 'n' ? 'NOTHING' : 'DEFAULT'}): updates and deletes of it fail in Postgres; set REPLICA IDENTITY FULL or add a primary key`);
    }
  }
}
