/**
 * The SQL of an incremental snapshot: one chunk (`key > last AND key <= max ORDER BY key LIMIT n`)
 * and the table's maximum key, both by the chunk columns (the key, or the surrogate key) and with
 * the additional condition AND-ed. Values travel as parameters; rows come back as Postgres text,
 * the form pgoutput streams, so keys compare with what the stream carries.
 */
import type pg from 'pg';
import { textTypes } from '../connection.js';
import { quoteIdent } from '../snapshot/snapshot-reader.js';
import type { Key } from './progress.js';

const TEXT = textTypes();

/** What a chunk's SQL needs of the table being read (`CurrentTable` is one). */
export interface ChunkTarget {
  catalog: { schema: string; name: string; columns: ReadonlyArray<{ name: string }> };
  /** The columns chunks are ordered and bounded by. */
  chunkNames: string[];
  collection: { condition: string | null };
}

/** Up to `limit` rows after `lastKey` (from the start when null) and up to `maxKey`, in key order. */
export function chunkQuery(table: ChunkTarget, lastKey: Key | null, maxKey: Key, limit: number): pg.QueryArrayConfig<Array<string | null>> {
  const keys = table.chunkNames.map(quoteIdent);
  const cols = table.catalog.columns.map((c) => quoteIdent(c.name)).join(', ');
  const params: Array<string | null> = [];
  const tuple = (values: Key) => `(${values.map((v) => { params.push(v); return `$${params.length}`; }).join(', ')})`;
  const where = [
    ...(lastKey ? [`(${keys.join(', ')}) > ${tuple(lastKey)}`] : []),
    `(${keys.join(', ')}) <= ${tuple(maxKey)}`,
    ...(table.collection.condition ? [table.collection.condition] : []),
  ];
  return {
    text: `SELECT ${cols} FROM ${quoteIdent(table.catalog.schema)}.${quoteIdent(table.catalog.name)} WHERE ${where.join(' AND ')} ORDER BY ${keys.join(', ')} LIMIT ${limit}`,
    values: params,
    rowMode: 'array',
    types: TEXT,
  };
}

/** The largest chunk key among the rows the condition keeps; rows with a NULL in it are never read. */
export function maxKeyQuery(table: ChunkTarget): pg.QueryArrayConfig {
  const keys = table.chunkNames.map(quoteIdent);
  const condition = table.collection.condition;
  const where = [...keys.map((k) => `${k} IS NOT NULL`), ...(condition ? [condition] : [])];
  return {
    text: `SELECT ${keys.join(', ')} FROM ${quoteIdent(table.catalog.schema)}.${quoteIdent(table.catalog.name)} WHERE ${where.join(' AND ')} ORDER BY ${keys.map((k) => `${k} DESC`).join(', ')} LIMIT 1`,
    rowMode: 'array',
    types: TEXT,
  };
}
