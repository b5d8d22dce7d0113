/**
 * Signals: rows of the signal table (`signal.data.collection`, columns id, type, data) as the
 * stream delivers them. Users insert `execute-snapshot`, `stop-snapshot`, `pause-snapshot`,
 * `resume-snapshot`; the connector itself inserts `snapshot-window-open` / `snapshot-window-close`
 * around each chunk it reads.
 */
import type { TableInfo, TupleValue } from '../events.js';

export const WINDOW_OPEN = 'snapshot-window-open';
export const WINDOW_CLOSE = 'snapshot-window-close';

export type Signal =
  | { kind: 'execute-snapshot'; id: string; collections: string[] }
  | { kind: 'stop-snapshot'; id: string; collections: string[] | null }
  | { kind: 'pause-snapshot'; id: string }
  | { kind: 'resume-snapshot'; id: string }
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
    case 'execute-snapshot':
      if (snapshotType !== 'incremental') return { kind: 'ignored', id, reason: `snapshot type '${snapshotType}' is not supported (only incremental)` };
      if (!collections || collections.length === 0) return { kind: 'ignored', id, reason: 'execute-snapshot without data-collections' };
      return { kind: 'execute-snapshot', id, collections };
    case 'stop-snapshot':
      if (snapshotType !== 'incremental') return { kind: 'ignored', id, reason: `snapshot type '${snapshotType}' is not supported (only incremental)` };
      return { kind: 'stop-snapshot', id, collections: collections && collections.length > 0 ? collections : null };
    case 'pause-snapshot':
      return { kind: 'pause-snapshot', id };
    case 'resume-snapshot':
      return { kind: 'resume-snapshot', id };
    default:
      return { kind: 'ignored', id, reason: `unknown signal type '${row.type}'` };
  }
}
