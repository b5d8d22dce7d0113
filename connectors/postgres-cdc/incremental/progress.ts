/**
 * An incremental snapshot's progress as it rides in every streamed record's offset, under
 * Debezium's keys: the tables left (with their additional condition and surrogate key), the last
 * key emitted and the current table's maximum key. The keys are JSON arrays of Postgres text;
 * Debezium writes a serialized Java array there, so offsets do not move between the two.
 */
import type { PgOffset } from '../offsets.js';
import { filtersFor, splitCollection, type SnapshotRequest } from './signals.js';

/** A key (or surrogate key) as Postgres text, the form pgoutput streams. */
export type Key = Array<string | null>;

/** A table to snapshot incrementally, as Debezium keeps it in `incremental_snapshot_collections`. */
export interface Collection {
  id: string;
  /** The additional conditions, AND-ed; null for none. */
  condition: string | null;
  surrogateKey: string | null;
  /** Taken from a pattern's matches (not expanded again); not stored. */
  expanded?: boolean;
}

interface StoredCollection {
  incremental_snapshot_collections_id: string;
  incremental_snapshot_collections_additional_condition?: string | null;
  incremental_snapshot_collections_surrogate_key?: string | null;
}

export interface Progress {
  collections: Collection[];
  /** The last chunk key emitted of the head table; null before its first chunk. */
  lastKey: Key | null;
  /** The head table's largest chunk key when its turn came; null until read. */
  maxKey: Key | null;
}

/** The progress a stored offset says was under way; none without one. */
export function restoreProgress(stored: PgOffset | null): Progress {
  if (!stored?.incremental_snapshot_collections) return { collections: [], lastKey: null, maxKey: null };
  return {
    collections: (JSON.parse(stored.incremental_snapshot_collections) as StoredCollection[]).map((c) => ({
      id: c.incremental_snapshot_collections_id,
      condition: c.incremental_snapshot_collections_additional_condition ?? null,
      surrogateKey: c.incremental_snapshot_collections_surrogate_key ?? null,
    })),
    lastKey: stored.incremental_snapshot_primary_key ? (JSON.parse(stored.incremental_snapshot_primary_key) as Key) : null,
    maxKey: stored.incremental_snapshot_maximum_key ? (JSON.parse(stored.incremental_snapshot_maximum_key) as Key) : null,
  };
}

/** Debezium's offset keys for a snapshot in progress; none when there is none. */
export function progressFields(p: Progress): Partial<PgOffset> {
  if (p.collections.length === 0) return {};
  return {
    incremental_snapshot_collections: JSON.stringify(p.collections.map((c): StoredCollection => ({
      incremental_snapshot_collections_id: c.id,
      incremental_snapshot_collections_additional_condition: c.condition,
      incremental_snapshot_collections_surrogate_key: c.surrogateKey,
    }))),
    ...(p.lastKey ? { incremental_snapshot_primary_key: JSON.stringify(p.lastKey) } : {}),
    ...(p.maxKey ? { incremental_snapshot_maximum_key: JSON.stringify(p.maxKey) } : {}),
  };
}

/** The tables an `execute-snapshot` asks for, each once, with the conditions that apply to it. */
export function requestedCollections(request: SnapshotRequest): Collection[] {
  return request.collections
    .map((c) => splitCollection(c).join('.'))
    .filter((c, i, all) => all.indexOf(c) === i)
    .map((id): Collection => {
      const filters = filtersFor(request.conditions, id);
      return { id, condition: filters.length > 0 ? filters.map((f) => `(${f})`).join(' AND ') : null, surrogateKey: request.surrogateKey };
    });
}
