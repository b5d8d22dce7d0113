/**
 * Debezium's reselect post-processor (io.debezium.processors.reselect.ReselectColumnsPostProcessor):
 * a streamed event whose `after` holds the unavailable-value placeholder (an unchanged TOAST value
 * Postgres did not send) or a null gets those columns read again from the table, by key, and put in
 * `after`. The value read is the row's current one, which may be newer than the event (as in
 * Debezium). Configured as Debezium configures it:
 *
 *   post.processors=reselector
 *   reselector.type=io.debezium.processors.reselect.ReselectColumnsPostProcessor
 *   reselector.reselect.columns.include.list / .exclude.list   regexes of <schema>.<table>:<column>
 *   reselector.reselect.unavailable.values (true), .reselect.null.values (true)
 *   reselector.reselect.use.event.key (false; tsconnect reads by the event key either way)
 *   reselector.reselect.error.handling.mode (warn | fail)
 *
 * Snapshot events (op r), deletes and the signal table are left alone, as in Debezium.
 */
import type pg from 'pg';
import { ConfigError, getLogger, SourceRecord, Struct } from '../../runtime/api/index.js';
import { regexList } from './config.js';
import type { EventBuilder, TableInfo } from './events.js';
import { quoteIdent } from './snapshot/snapshot-reader.js';

const log = getLogger('connectors.postgres-cdc');

export const RESELECT_CLASS = 'io.debezium.processors.reselect.ReselectColumnsPostProcessor';

export interface ReselectConfig {
  include: RegExp[];
  exclude: RegExp[];
  unavailable: boolean;
  nulls: boolean;
  failOnError: boolean;
}

function bool(props: Record<string, string>, key: string, fallback: boolean): boolean {
  const v = props[key]?.trim().toLowerCase();
  if (v === undefined || v === '') return fallback;
  if (v !== 'true' && v !== 'false') throw new ConfigError(`Invalid value ${props[key]} for configuration ${key}: expected true or false`, { [key]: ['expected true or false'] });
  return v === 'true';
}

/** The post.processors of a connector config: null without any; a ConfigError for one tsconnect has not. */
export function reselectConfig(props: Record<string, string>): ReselectConfig | null {
  const names = (props['post.processors'] ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) return null;
  if (names.length > 1) throw new ConfigError(`post.processors: only one post processor (the reselector) is supported, got ${names.join(', ')}`, { 'post.processors': ['only one post processor is supported'] });
  const n = names[0]!;
  const type = props[`${n}.type`]?.trim();
  if (type !== RESELECT_CLASS) {
    throw new ConfigError(`${n}.type: only ${RESELECT_CLASS} is supported as a post processor, got ${type ?? 'nothing'}`, { [`${n}.type`]: [`only ${RESELECT_CLASS} is supported`] });
  }
  const mode = (props[`${n}.reselect.error.handling.mode`] ?? 'warn').trim().toLowerCase();
  if (mode !== 'warn' && mode !== 'fail') throw new ConfigError(`${n}.reselect.error.handling.mode: warn or fail, got ${mode}`, { [`${n}.reselect.error.handling.mode`]: ['warn or fail'] });
  const include = `${n}.reselect.columns.include.list`;
  const exclude = `${n}.reselect.columns.exclude.list`;
  return {
    include: regexList(include, props[include] ?? ''),
    exclude: regexList(exclude, props[exclude] ?? ''),
    unavailable: bool(props, `${n}.reselect.unavailable.values`, true),
    nulls: bool(props, `${n}.reselect.null.values`, true),
    failOnError: mode === 'fail',
  };
}

/** Whether a field holds the placeholder value (strings, bytes and arrays of them). */
function isPlaceholder(value: unknown, placeholder: unknown): boolean {
  if (value === null || value === undefined || placeholder === null || placeholder === undefined) return false;
  if (typeof placeholder === 'string') return value === placeholder;
  if (placeholder instanceof Uint8Array) return value instanceof Uint8Array && Buffer.from(value).equals(Buffer.from(placeholder));
  if (Array.isArray(placeholder)) return Array.isArray(value) && value.length === placeholder.length && value.every((v, i) => isPlaceholder(v, placeholder[i]) || v === placeholder[i]);
  return false;
}

/** Key values as Postgres text for the WHERE clause; null for a key type this cannot spell. */
function keyText(v: unknown): string | null {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return null;
}

export interface ReselectDeps {
  builder: EventBuilder;
  client(): pg.Client;
  isSignalTable(schema: string, name: string): boolean;
}

type ValueColumns = ReturnType<EventBuilder['valueColumns']>;

export class Reselector {
  /** Each table's value columns, built once (a new relation is a new TableInfo). */
  private readonly columns = new WeakMap<TableInfo, ValueColumns>();

  constructor(private readonly cfg: ReselectConfig, private readonly deps: ReselectDeps) {}

  private selects(schema: string, table: string, column: string): boolean {
    const name = `${schema}.${table}:${column}`;
    if (this.cfg.include.length > 0 && !this.cfg.include.some((r) => r.test(name))) return false;
    return !this.cfg.exclude.some((r) => r.test(name));
  }

  async apply(records: SourceRecord[]): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    for (const r of records) out.push(await this.one(r));
    return out;
  }

  private async one(r: SourceRecord): Promise<SourceRecord> {
    const value = r.value;
    if (!(value instanceof Struct) || !(r.key instanceof Struct)) return r;
    const op = value.schema.field('op') ? value.get('op') : null;
    if (op !== 'c' && op !== 'u') return r;
    const after = value.get('after');
    const source = value.get('source');
    if (!(after instanceof Struct) || !(source instanceof Struct)) return r;
    const schema = source.get('schema') as string;
    const name = source.get('table') as string;
    if (this.deps.isSignalTable(schema, name)) return r;
    // The very table the event was built from: its columns line up with the fields.
    const table = this.deps.builder.tableOf(value.schema);
    if (!table) return r;
    let all = this.columns.get(table);
    if (!all) this.columns.set(table, (all = this.deps.builder.valueColumns(table)));
    const columns = all.filter((c) => {
      const v = after.valueAt(c.field);
      const wanted = (this.cfg.unavailable && isPlaceholder(v, c.placeholder)) || (this.cfg.nulls && (v === null || v === undefined));
      return wanted && this.selects(schema, name, c.name);
    });
    if (columns.length === 0) return r;
    const key = r.key;
    const keyFields = key.schema.fields();
    const keyValues = keyFields.map((f) => keyText(key.get(f.name)));
    if (keyValues.some((v) => v === null)) {
      log.warn(`reselect: the key of ${schema}.${name} has a column type the reselect query cannot use; event left as it is`);
      return r;
    }
    const types = new Map(table.columns.map((c) => [c.name, c.type.name]));
    const where = keyFields.map((f, i) => `${quoteIdent(f.name)} = $${i + 1}::${quoteIdent(types.get(f.name) ?? 'text')}`).join(' AND ');
    const sql = `SELECT ${columns.map((c) => `${quoteIdent(c.name)}::text AS ${quoteIdent(c.name)}`).join(', ')} FROM ${quoteIdent(schema)}.${quoteIdent(name)} WHERE ${where}`;
    let row: Record<string, string | null> | undefined;
    try {
      row = (await this.deps.client().query<Record<string, string | null>>(sql, keyValues)).rows[0];
    } catch (e) {
      return this.failed(r, `Failed to re-select columns for table ${schema}.${name} and key ${JSON.stringify(keyValues)}: ${(e as Error).message}`);
    }
    if (!row) return this.failed(r, `Failed to find row in table ${schema}.${name} with key ${JSON.stringify(keyValues)}`);
    const values = after.schema.fields().map((_, i) => after.valueAt(i));
    for (const c of columns) values[c.field] = c.convert(row[c.name] ?? null);
    const envelope = value.schema.fields().map((f, i) => (f.name === 'after' ? Struct.fromValues(after.schema, values) : value.valueAt(i)));
    return r.newRecord({ value: Struct.fromValues(value.schema, envelope) });
  }

  private failed(r: SourceRecord, message: string): SourceRecord {
    if (this.cfg.failOnError) throw new Error(message);
    log.warn(message);
    return r;
  }
}
