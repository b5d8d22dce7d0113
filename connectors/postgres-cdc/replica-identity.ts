/**
 * replica.identity.autoset.values, as Debezium applies it when it starts: each captured table whose
 * `schema.table` matches a rule's regex (whole name, case-insensitively) gets that REPLICA IDENTITY
 * if it has another. A table matched by two rules, or an ALTER the connector's user may not run, is
 * logged as an error and left as it is (Debezium does the same; the task goes on).
 */
import type pg from 'pg';
import { getLogger } from '../../runtime/api/index.js';
import { REPLICA_IDENTITY_RULE } from './config.js';
import { quoteIdent } from './snapshot/snapshot-reader.js';

const log = getLogger('connectors.postgres-cdc');

export interface ReplicaIdentityRule {
  table: RegExp;
  /** As Debezium prints it: DEFAULT, FULL, NOTHING or USING INDEX <name>. */
  identity: string;
}

export function replicaIdentityRules(value: string | null): ReplicaIdentityRule[] {
  if (!value || value.trim() === '') return [];
  return value.split(',').flatMap((entry) => {
    const m = REPLICA_IDENTITY_RULE.exec(entry);
    if (!m) return []; // validate reports it
    const kind = m[2]!.split(/\s/)[0]!.toUpperCase();
    return [{ table: new RegExp(`^(?:${m[1]})$`, 'i'), identity: kind === 'INDEX' ? `USING INDEX ${m[3]}` : kind }];
  });
}

/** Sets each table's identity where a rule says otherwise; returns whether any changed. */
export async function applyReplicaIdentities(client: pg.Client, tables: ReadonlyArray<{ schema: string; name: string }>, rules: ReplicaIdentityRule[]): Promise<boolean> {
  let changed = false;
  for (const t of tables) {
    const name = `${t.schema}.${t.name}`;
    const matching = rules.filter((r) => r.table.test(name));
    if (matching.length === 0) continue;
    if (matching.length > 1) {
      log.error(`Unable to update Replica Identity for table ${name}: more than one regular expression of replica.identity.autoset.values matched it`);
      continue;
    }
    const wanted = matching[0]!.identity;
    try {
      const current = await currentIdentity(client, t.schema, t.name);
      if (current.toUpperCase() === wanted.toUpperCase()) {
        log.info(`Replica identity for table '${name}' is already ${current}`);
        continue;
      }
      const target = wanted.startsWith('USING INDEX ') ? `USING INDEX ${quoteIdent(wanted.slice('USING INDEX '.length))}` : wanted;
      await client.query(`ALTER TABLE ${quoteIdent(t.schema)}.${quoteIdent(t.name)} REPLICA IDENTITY ${target}`);
      log.info(`Replica identity set to ${wanted} for table '${name}'`);
      changed = true;
    } catch (e) {
      log.error(`Unable to update Replica Identity for table ${name}: ${(e as Error).message}`);
    }
  }
  return changed;
}

async function currentIdentity(client: pg.Client, schema: string, table: string): Promise<string> {
  const { rows } = await client.query<{ relreplident: string; index: string | null }>(
    `SELECT c.relreplident, (SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid AND x.indisreplident) AS index
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, table],
  );
  const row = rows[0];
  switch (row?.relreplident) {
    case 'f': return 'FULL';
    case 'n': return 'NOTHING';
    case 'i': return `USING INDEX ${row.index}`;
    default: return 'DEFAULT';
  }
}
