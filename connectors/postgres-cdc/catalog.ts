/**
 * Reads captured tables and their columns from the Postgres catalog: names, types (domains
 * resolved to their base type, enum labels, array element types), nullability and key columns
 * (primary key, else the replica identity index, else message.key.columns).
 */
import type pg from 'pg';
import type { TableFilter } from './config.js';

export interface ColumnInfo {
  name: string;
  /** Type name as Postgres names it (`int4`, `_text` for text[], the enum's name...). */
  typeName: string;
  oid: number;
  typeMod: number;
  optional: boolean;
  key: boolean;
  /** Left out by column.include.list / column.exclude.list; still read so tuple positions hold. */
  excluded: boolean;
  elementOid?: number;
  enumValues?: string[];
  /** The default expression (`pg_get_expr` of pg_attrdef); not for a domain's column. */
  defaultExpression?: string;
  /** serial, bigserial or smallserial: an integer column whose default takes a sequence's nextval (as the JDBC driver names it). */
  sourceType?: string;
}

const SERIALS: Record<string, string> = { int4: 'serial', int8: 'bigserial', int2: 'smallserial' };

export interface TableInfo {
  oid: number;
  schema: string;
  name: string;
  /** d default, n nothing, f full, i index */
  replicaIdentity: string;
  columns: ColumnInfo[];
}

interface ColumnRow {
  attrelid: number;
  attname: string;
  atttypid: number;
  atttypmod: number;
  attnotnull: boolean;
  typname: string;
  typtype: string;
  typelem: number;
  basetypid: number | null;
  basetypname: string | null;
  basetypmod: number | null;
  enum_values: string[] | null;
  is_key: boolean;
  default_expr: string | null;
}

/** `schema.table:col1,col2;schema.table2:col` */
export function parseMessageKeyColumns(text: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (text ?? '').split(';')) {
    const [table, cols] = part.split(':');
    if (table?.trim() && cols?.trim()) out.set(table.trim(), cols.split(',').map((c) => c.trim()));
  }
  return out;
}

export async function readTables(client: pg.Client, filter: TableFilter, keyColumns = new Map<string, string[]>(), oids?: number[]): Promise<TableInfo[]> {
  const tables = await client.query<{ oid: number; nspname: string; relname: string; relreplident: string }>(
    `SELECT c.oid::int AS oid, n.nspname, c.relname, c.relreplident
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${filter.partitions === 'leaf' ? "c.relkind = 'r'" : "c.relkind IN ('r', 'p') AND NOT c.relispartition"}
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
        AND ($1::int[] IS NULL OR c.oid = ANY($1::int[]))
      ORDER BY n.nspname, c.relname`,
    [oids ?? null],
  );
  const wanted = tables.rows.filter((t) => filter.includes(t.nspname, t.relname));
  if (wanted.length === 0) return [];
  const cols = await client.query<ColumnRow>(
    `SELECT a.attrelid::int AS attrelid, a.attname, a.atttypid::int AS atttypid, a.atttypmod, a.attnotnull,
            t.typname, t.typtype, t.typelem::int AS typelem,
            bt.oid::int AS basetypid, bt.typname AS basetypname, CASE WHEN t.typtype = 'd' THEN t.typtypmod END AS basetypmod,
            (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = COALESCE(NULLIF(t.typelem, 0), a.atttypid)) AS enum_values,
            EXISTS (SELECT 1 FROM pg_index i
                     WHERE i.indrelid = a.attrelid AND a.attnum = ANY(i.indkey)
                       AND (i.indisprimary OR (i.indisreplident AND NOT EXISTS (
                            SELECT 1 FROM pg_index p WHERE p.indrelid = a.attrelid AND p.indisprimary)))) AS is_key,
            (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum) AS default_expr
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
      WHERE a.attrelid = ANY($1::int[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [wanted.map((t) => t.oid)],
  );
  const byTable = new Map<number, ColumnRow[]>();
  for (const row of cols.rows) byTable.set(row.attrelid, [...(byTable.get(row.attrelid) ?? []), row]);
  return wanted.map((t) => {
    const explicitKey = keyColumns.get(`${t.nspname}.${t.relname}`);
    const columns = (byTable.get(t.oid) ?? [])
      .map((c): ColumnInfo => {
        const domain = c.typtype === 'd' && c.basetypid !== null;
        return {
          name: c.attname,
          typeName: domain ? c.basetypname! : c.typname,
          oid: domain ? c.basetypid! : c.atttypid,
          typeMod: domain && c.atttypmod < 0 ? (c.basetypmod ?? -1) : c.atttypmod,
          optional: !c.attnotnull,
          key: explicitKey ? explicitKey.includes(c.attname) : c.is_key,
          excluded: !filter.includesColumn(t.nspname, t.relname, c.attname),
          ...(c.typelem && c.typname.startsWith('_') ? { elementOid: c.typelem } : {}),
          ...(c.enum_values ? { enumValues: c.enum_values } : {}),
          // The JDBC driver's rule: an integer column whose default calls nextval( is a serial.
          ...(c.default_expr?.includes('nextval(') && SERIALS[c.typname] ? { sourceType: SERIALS[c.typname] } : {}),
          // A domain's column has no default rule in Debezium (its type name is the domain's).
          ...(c.default_expr !== null && !domain ? { defaultExpression: c.default_expr } : {}),
        };
      });
    return { oid: t.oid, schema: t.nspname, name: t.relname, replicaIdentity: t.relreplident, columns };
  });
}
