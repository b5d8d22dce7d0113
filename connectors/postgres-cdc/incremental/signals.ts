/**
 * Signals: rows of the signal table (`signal.data.collection`, columns id, type, data) as the
 * stream delivers them. Users insert `execute-snapshot` (incremental or blocking, with
 * `additional-conditions` and `surrogate-key`), `stop-snapshot`, `pause-snapshot`,
 * `resume-snapshot`; the connector itself inserts `snapshot-window-open` / `snapshot-window-close`
 * around each chunk it reads. `log` writes its message to the connector's log. The same signals
 * can come from a file instead (signal-file.ts, `signal.enabled.channels=file`).
 */
import { getLogger } from '../../../runtime/api/index.js';
import type { TableInfo, TupleValue } from '../events.js';

const log = getLogger('connectors.postgres-cdc');

export const WINDOW_OPEN = 'snapshot-window-open';
export const WINDOW_CLOSE = 'snapshot-window-close';

/** One entry of `additional-conditions`: `dataCollection` is matched as Debezium does (a case-insensitive regex, anchored). */
export interface AdditionalCondition {
  dataCollection: string;
  filter: string;
}

export interface SnapshotRequest {
  type: 'incremental' | 'blocking';
  collections: string[];
  conditions: AdditionalCondition[];
  /** Incremental only: the unique column to chunk by instead of the key. */
  surrogateKey: string | null;
}

export type Signal =
  | ({ kind: 'execute-snapshot'; id: string } & SnapshotRequest)
  | { kind: 'stop-snapshot'; id: string; collections: string[] | null }
  | { kind: 'pause-snapshot'; id: string }
  | { kind: 'resume-snapshot'; id: string }
  | { kind: 'log'; id: string; message: string }
  | { kind: 'window-open'; id: string }
  | { kind: 'window-close'; id: string }
  | { kind: 'ignored'; id: string; reason: string };

/** `schema.table` -> [schema, table]; a bare name is in `public`. */
export function splitCollection(name: string): [string, string] {
  const dot = name.indexOf('.');
  return dot < 0 ? ['public', name] : [name.slice(0, dot), name.slice(dot + 1)];
}

/** The signal row's columns by name, from a streamed tuple. */
export function signalRow(table: TableInfo, tuple: TupleValue[]): { id: string; type: string; data: string | null } {
  const value = (name: string): string | null => {
    const i = table.columns.findIndex((c) => c.name === name);
    const v = i < 0 ? undefined : tuple[i];
    return v?.kind === 'text' ? v.text : null;
  };
  return { id: value('id') ?? '', type: value('type') ?? '', data: value('data') };
}

export function parseSignal(row: { id: string; type: string; data: string | null }): Signal {
  const { id } = row;
  const type = row.type.trim().toLowerCase();
  if (type === WINDOW_OPEN) return { kind: 'window-open', id };
  if (type === WINDOW_CLOSE) return { kind: 'window-close', id };
  let data: Record<string, unknown> = {};
  if (row.data && row.data.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(row.data);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
    } catch {
      return { kind: 'ignored', id, reason: `data is not JSON: ${row.data}` };
    }
  }
  const snapshotType = typeof data.type === 'string' ? data.type.toLowerCase() : 'incremental';
  const collections = Array.isArray(data['data-collections']) ? data['data-collections'].filter((c): c is string => typeof c === 'string' && c.trim() !== '').map((c) => c.trim()) : null;
  switch (type) {
    case 'execute-snapshot': {
      if (snapshotType !== 'incremental' && snapshotType !== 'blocking') return { kind: 'ignored', id, reason: `snapshot type '${snapshotType}' is not supported (incremental or blocking)` };
      if (!collections || collections.length === 0) return { kind: 'ignored', id, reason: 'execute-snapshot without data-collections' };
      const conditions = additionalConditions(data);
      if (typeof conditions === 'string') return { kind: 'ignored', id, reason: conditions };
      const surrogate = typeof data['surrogate-key'] === 'string' && data['surrogate-key'].trim() !== '' ? data['surrogate-key'].trim() : null;
      return { kind: 'execute-snapshot', id, type: snapshotType, collections, conditions, surrogateKey: surrogate };
    }
    case 'stop-snapshot':
      if (snapshotType !== 'incremental') return { kind: 'ignored', id, reason: `snapshot type '${snapshotType}' is not supported (only incremental)` };
      return { kind: 'stop-snapshot', id, collections: collections && collections.length > 0 ? collections : null };
    case 'pause-snapshot':
      return { kind: 'pause-snapshot', id };
    case 'resume-snapshot':
      return { kind: 'resume-snapshot', id };
    case 'log':
      // Debezium's Log action: data.message, its `{}` replaced by the connector's position.
      if (typeof data.message !== 'string') return { kind: 'ignored', id, reason: 'log without a message' };
      return { kind: 'log', id, message: data.message };
    default:
      return { kind: 'ignored', id, reason: `unknown signal type '${row.type}'` };
  }
}

/**
 * `additional-conditions: [{"data-collection", "filter"}]`, or Debezium's older
 * `additional-condition: "<filter>"`, which applies to every collection. A string says what is wrong.
 */
function additionalConditions(data: Record<string, unknown>): AdditionalCondition[] | string {
  const out: AdditionalCondition[] = [];
  const list = data['additional-conditions'];
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list)) return 'additional-conditions is not a list';
    for (const entry of list as unknown[]) {
      const e = (entry ?? {}) as Record<string, unknown>;
      const collection = e['data-collection'];
      const filter = e.filter;
      if (typeof collection !== 'string' || collection.trim() === '' || typeof filter !== 'string' || filter.trim() === '') {
        return `additional-conditions entries need "data-collection" and "filter": ${JSON.stringify(entry)}`;
      }
      out.push({ dataCollection: collection.trim(), filter: filter.trim() });
    }
  }
  const old = data['additional-condition'];
  if (typeof old === 'string' && old.trim() !== '') out.push({ dataCollection: '.*', filter: old.trim() });
  return out;
}

/** The filters of `conditions` that apply to `schema.table`. */
export function filtersFor(conditions: AdditionalCondition[], collection: string): string[] {
  return conditions.filter((c) => matchesCollection(c.dataCollection, collection)).map((c) => c.filter);
}

/** A data-collection pattern against `schema.table`: the exact name, or an anchored case-insensitive regex. */
export function matchesCollection(pattern: string, collection: string): boolean {
  const [ps, pt] = splitCollection(pattern);
  const [cs, ct] = splitCollection(collection);
  if (ps.toLowerCase() === cs.toLowerCase() && pt.toLowerCase() === ct.toLowerCase()) return true;
  try {
    return new RegExp(`^(?:${pattern})$`, 'i').test(`${cs}.${ct}`);
  } catch {
    return false;
  }
}

/**
 * Debezium's Log signal: the message at info level, its first `{}` replaced by the connector's
 * position (the offset, printed as Java prints a map).
 */
export function logSignal(message: string, offset: object): void {
  const position = `{${Object.entries(offset).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${String(v)}`).join(', ')}}`;
  log.info(message.replace('{}', () => position));
}
